"""Endpoints of relapse-prevention trials, computed from simulated days of use (NTX-RELAPSE).

A virtual trial gives, per person and day, whether they used, whether they were in treatment
and when they were inducted or left (``simulation.opioid_use``). The published trials report
the same people through urine tests and definitions of their own; each is computed here
from the daily record, so one simulation can be read by any trial's definitions:

- ``weekly_urines``: a test on the last day of each week, positive after any use in the
  ``window`` days up to it (heroin and morphine are detected for 2-3 days), missing once the
  person has left treatment;
- ``confirmed_abstinent_share``: the share of weeks with a negative test (Krupitsky 2011;
  missing counts as not abstinent);
- ``relapse_week_lee``: >= 10 use days in 4 weeks, a positive or missing test counted as
  5 days (Lee 2016);
- ``relapse_week_xbot``: 4 consecutive weeks with use (or missing), or 7 consecutive use days
  (X:BOT), counted from a given day;
- ``relapse_week_consecutive_positives``: n consecutive positive (or missing) tests.

Statistics: Wilson intervals for proportions, a bootstrap interval for a median (seeded),
Cox hazard ratios (statsmodels PHReg) with Wald intervals, and the ratio of next-week dropout
rates after positive vs negative tests with a log-normal interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NEGATIVE, POSITIVE, MISSING = 0, 1, 2
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Estimate:
    """A point estimate and its 95 % interval."""

    value: float
    lower: float
    upper: float

    def text(self, digits: int = 3) -> str:
        return f"{self.value:.{digits}g} ({self.lower:.{digits}g}-{self.upper:.{digits}g})"


def weekly_urines(used: np.ndarray, in_care: np.ndarray, window: int = 3) -> np.ndarray:
    """Test results, shape (people, weeks): NEGATIVE, POSITIVE or MISSING."""
    people, days = used.shape
    weeks = days // 7
    results = np.empty((people, weeks), dtype=int)
    for week in range(weeks):
        day = 7 * week + 6
        positive = used[:, max(0, day - window + 1) : day + 1].any(axis=1)
        results[:, week] = np.where(
            ~in_care[:, day], MISSING, np.where(positive, POSITIVE, NEGATIVE)
        )
    return results


def confirmed_abstinent_share(urines: np.ndarray, first_week: int, last_week: int) -> np.ndarray:
    """Per person, the share of weeks ``first_week``..``last_week`` (1-based) with a negative
    test."""
    return (urines[:, first_week - 1 : last_week] == NEGATIVE).mean(axis=1)


def _first(flags: np.ndarray) -> np.ndarray:
    """Index of the first True per row, -1 where none."""
    found = flags.any(axis=1)
    return np.where(found, flags.argmax(axis=1), -1)


def relapse_week_lee(used: np.ndarray, urines: np.ndarray) -> np.ndarray:
    """Lee 2016: the first week (0-based) of the first 4-week window with >= 10 use days, a
    week with a positive or missing test counting as at least 5 (-1: no relapse)."""
    weeks = urines.shape[1]
    use_days = used[:, : 7 * weeks].reshape(used.shape[0], weeks, 7).sum(axis=2)
    counted = np.where(urines != NEGATIVE, np.maximum(use_days, 5), use_days)
    windows = np.stack([counted[:, w : w + 4].sum(axis=1) for w in range(weeks - 3)], axis=1)
    return _first(windows >= 10)


def relapse_week_xbot(used: np.ndarray, in_care: np.ndarray, from_day: int = 21) -> np.ndarray:
    """X:BOT: the week (0-based) in which 4 consecutive use weeks (any use, or out of
    treatment) or 7 consecutive use days are complete, counted from ``from_day`` (-1: no
    relapse)."""
    people, days = used.shape
    weeks = days // 7
    use_week = (
        used[:, : 7 * weeks].reshape(people, weeks, 7).any(axis=2) | ~in_care[:, 6 : 7 * weeks : 7]
    )
    first_week = from_day // 7
    result = np.full(people, -1)
    for person in range(people):
        run = 0
        for week in range(first_week, weeks):
            run = run + 1 if use_week[person, week] else 0
            if run >= 4:
                result[person] = week
                break
        run = 0
        for day in range(from_day, 7 * weeks):
            run = run + 1 if used[person, day] else 0
            if run >= 7:
                week = day // 7
                if result[person] < 0 or week < result[person]:
                    result[person] = week
                break
    return result


def relapse_week_consecutive_positives(urines: np.ndarray, count: int = 3) -> np.ndarray:
    """The week (0-based) completing ``count`` consecutive positive or missing tests."""
    bad = urines != NEGATIVE
    runs = np.stack(
        [bad[:, w - count + 1 : w + 1].all(axis=1) for w in range(count - 1, bad.shape[1])], axis=1
    )
    first = _first(runs)
    return np.where(first >= 0, first + count - 1, -1)


def retention_days(left_day: np.ndarray, days: int) -> np.ndarray:
    """Days in treatment: the day each person left, or ``days`` for those who stayed."""
    return np.where(left_day < 0, days, left_day).astype(float)


def wilson(successes: int, n: int) -> Estimate:
    """A proportion (%) with its Wilson 95 % interval."""
    if n == 0:
        return Estimate(float("nan"), float("nan"), float("nan"))
    p = successes / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * np.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2)) / (1 + Z95**2 / n)
    return Estimate(100 * p, 100 * (centre - half), 100 * (centre + half))


def proportion(flags: np.ndarray) -> Estimate:
    return wilson(int(np.sum(flags)), int(np.size(flags)))


def median_with_interval(values: np.ndarray, seed: int = 0, resamples: int = 2000) -> Estimate:
    """The median and a percentile bootstrap 95 % interval (seeded, so repeatable)."""
    values = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    medians = np.median(rng.choice(values, size=(resamples, len(values))), axis=1)
    return Estimate(float(np.median(values)), *np.percentile(medians, [2.5, 97.5]))


def mean_with_interval(values: np.ndarray) -> Estimate:
    values = np.asarray(values, dtype=float)
    half = Z95 * values.std(ddof=1) / np.sqrt(len(values))
    return Estimate(float(values.mean()), float(values.mean() - half), float(values.mean() + half))


def hazard_ratio(
    time_treated: np.ndarray,
    event_treated: np.ndarray,
    time_control: np.ndarray,
    event_control: np.ndarray,
) -> Estimate:
    """Cox hazard ratio of the treated arm over the control arm (PHReg, Breslow ties)."""
    from statsmodels.duration.hazard_regression import PHReg

    time = np.concatenate([time_treated, time_control]).astype(float)
    status = np.concatenate([event_treated, event_control]).astype(int)
    arm = np.concatenate([np.ones(len(time_treated)), np.zeros(len(time_control))])
    fit = PHReg(time, arm[:, None], status=status, ties="breslow").fit()
    beta, se = float(fit.params[0]), float(fit.bse[0])
    return Estimate(np.exp(beta), np.exp(beta - Z95 * se), np.exp(beta + Z95 * se))


def km_median(time: np.ndarray, event: np.ndarray) -> float:
    """Kaplan-Meier median time (NaN where survival stays above one half)."""
    from statsmodels.duration.survfunc import SurvfuncRight

    survival = SurvfuncRight(np.asarray(time, float), np.asarray(event, int))
    below = np.flatnonzero(survival.surv_prob <= 0.5)
    return float(survival.surv_times[below[0]]) if below.size else float("nan")


def dropout_after_positive(urines: np.ndarray) -> Estimate:
    """Ratio of the rates of leaving treatment in the next week after a positive vs a
    negative test, over person-weeks in treatment; log-normal 95 % interval."""
    now, following = urines[:, :-1], urines[:, 1:]
    counts = {}
    for result in (POSITIVE, NEGATIVE):
        at_risk = now == result
        left = at_risk & (following == MISSING)
        counts[result] = (int(left.sum()), int(at_risk.sum()))
    (a, n1), (b, n0) = counts[POSITIVE], counts[NEGATIVE]
    if min(a, b) == 0 or min(n1, n0) == 0:
        return Estimate(float("nan"), float("nan"), float("nan"))
    ratio = (a / n1) / (b / n0)
    se = np.sqrt(1 / a - 1 / n1 + 1 / b - 1 / n0)
    return Estimate(ratio, ratio * np.exp(-Z95 * se), ratio * np.exp(Z95 * se))


def risk_ratio(treated: np.ndarray, control: np.ndarray) -> Estimate:
    """Risk ratio of two groups' proportions with a log-normal 95 % interval (0.5 added to
    every cell where a count is 0)."""
    a, n1, b, n0 = int(treated.sum()), len(treated), int(control.sum()), len(control)
    if min(a, b) == 0:
        a, b, n1, n0 = a + 0.5, b + 0.5, n1 + 1, n0 + 1
    ratio = (a / n1) / (b / n0)
    se = np.sqrt(1 / a - 1 / n1 + 1 / b - 1 / n0)
    return Estimate(ratio, ratio * np.exp(-Z95 * se), ratio * np.exp(Z95 * se))
