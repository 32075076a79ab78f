"""The daily decision model of human opioid use: craving, learning, leaving."""

from __future__ import annotations

import numpy as np
import pytest

from opioidsim.errors import ConfigError
from opioidsim.model import opioid_use

TABLE = opioid_use.values()


def test_craving_is_one_at_rest_and_rises_with_prime_withdrawal_and_stress():
    memory = opioid_use.Memory.dependent(4)
    memory.priming[:] = [0.0, 1.0, 0.0, 0.0]
    craving = opioid_use.craving(
        memory, np.array([0.0, 0.0, 0.2, 0.0]), np.array([0.0, 0.0, 0.0, 1.0]), TABLE
    )
    assert craving[0] == pytest.approx(1.0)
    assert craving[1] == pytest.approx(1.0 + TABLE["priming_gain"])
    assert craving[2] == pytest.approx(1.0 + 0.2 * TABLE["withdrawal_gain"])
    assert craving[3] == pytest.approx(1.0 + TABLE["stress_gain"])


def test_a_blocked_use_lowers_the_drug_value_and_primes_little():
    memory = opioid_use.Memory.dependent(2)
    used = np.array([True, True])
    outcomes = opioid_use.outcome(np.array([0.7, 0.05]), TABLE)  # liked vs blocked
    after = opioid_use.learn(memory, used, outcomes, TABLE)
    assert after.drug_value[0] == pytest.approx(1.0)
    assert after.drug_value[1] < 1.0 - 0.8 * TABLE["learning_rate"]
    assert after.priming[1] < 0.2 < after.priming[0]


def test_the_prime_fades_on_days_without_use():
    memory = opioid_use.Memory(np.ones(1), np.ones(1))
    after = opioid_use.learn(memory, np.array([False]), np.zeros(1), TABLE)
    assert after.priming[0] == pytest.approx(np.exp(-1.0 / TABLE["priming_time"]))
    assert after.drug_value[0] == 1.0


def test_leaving_rises_with_craving():
    chances = opioid_use.leaving_chance(np.array([0.0, 1.0, 26.0]), TABLE)
    assert chances[0] < chances[1] < chances[2] < 1.0
    assert chances[0] == pytest.approx(1 - np.exp(-TABLE["dropout_rate"]))


def test_an_unknown_override_is_one_line():
    with pytest.raises(ConfigError, match="lapse_rte"):
        opioid_use.values({"lapse_rte": 0.1})


def test_lapse_propensity_has_mean_one_and_the_calibrated_spread():
    stream = np.random.default_rng(0)
    shape = opioid_use.values()["lapse_propensity_shape"]
    draws = np.array([opioid_use.lapse_propensity(shape, stream) for _ in range(20000)])
    assert abs(draws.mean() - 1.0) < 0.05
    # gamma variance 1/shape: most people below the mean, a few far above it
    assert abs(draws.var() - 1.0 / shape) / (1.0 / shape) < 0.15
    assert np.median(draws) < 0.5
