"""Trial endpoints from daily use records (NTX-RELAPSE definitions)."""

from __future__ import annotations

import numpy as np
import pytest

from opioidsim.trials import use_endpoints as ep


def test_weekly_urines_see_three_days_and_missing_after_leaving():
    used = np.zeros((3, 14), dtype=bool)
    used[0, 4] = True  # day 5: inside the 3-day window of the day-7 test
    used[1, 2] = True  # day 3: outside it
    in_care = np.ones((3, 14), dtype=bool)
    in_care[2, 10:] = False
    urines = ep.weekly_urines(used, in_care)
    assert urines.tolist() == [[1, 0], [0, 0], [0, 2]]


def test_lee_relapse_counts_positive_or_missing_weeks_as_five_days():
    used = np.zeros((2, 56), dtype=bool)
    used[0, [6, 13]] = True  # two positive weeks: 5 + 5 = 10 in a 4-week window
    urines = ep.weekly_urines(used, np.ones_like(used))
    assert ep.relapse_week_lee(used, urines).tolist() == [0, -1]


def test_xbot_relapse_needs_four_use_weeks_or_seven_use_days():
    used = np.zeros((3, 70), dtype=bool)
    used[0, 21:28] = True  # 7 consecutive days in week 3
    for week in range(3, 7):
        used[1, 7 * week] = True  # one use in each of weeks 3-6
    used[2, 21:27] = True  # 6 days only
    in_care = np.ones_like(used)
    assert ep.relapse_week_xbot(used, in_care, from_day=21).tolist() == [3, 6, -1]


def test_wilson_interval_matches_a_published_value():
    estimate = ep.wilson(72, 109)  # Smyth 2010, any use by day 7
    assert estimate.value == pytest.approx(66.06, abs=0.01)
    assert (estimate.lower, estimate.upper) == pytest.approx((56.8, 74.3), abs=0.1)


def test_dropout_ratio_and_hazard_ratio_point_the_right_way():
    urines = np.array([[1, 2, 2], [1, 2, 2], [0, 0, 0], [0, 0, 2], [1, 1, 2], [0, 0, 0]] * 5)
    assert ep.dropout_after_positive(urines).value > 1
    rng = np.random.default_rng(0)
    fast, slow = rng.exponential(5, 200), rng.exponential(10, 200)
    hr = ep.hazard_ratio(slow, np.ones(200), fast, np.ones(200))
    assert hr.lower < 0.5 < hr.upper or hr.value < 0.7
