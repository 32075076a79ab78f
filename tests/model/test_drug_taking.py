"""The decision model of drug taking (model.drug_taking): retrieval hides extinction, credit
goes to the state the animal is in, the stress trace follows a stressor and decays, and the
cue's pull incubates."""

from __future__ import annotations

import numpy as np
import pytest

from opioidsim.errors import ConfigError
from opioidsim.model import drug_taking

TABLE = drug_taking.values()


def readouts(signal: float, withdrawal: float = 0.0, stressor: float = 0.0):
    return drug_taking.Readouts(
        mu_stimulus=np.array([signal]),
        mu_availability=np.array([1.0]),
        withdrawal_drive=np.array([withdrawal]),
        stressor_intensity=np.array([stressor]),
    )


def probability(memory, signal=0.0, cue_on=False, time_h=24.0):
    chance, retrieval = drug_taking.response_probability(
        readouts(signal),
        memory,
        np.zeros(1),
        cue_on=cue_on,
        time_h=time_h,
        fixed_ratio=1,
        table=TABLE,
    )
    return float(chance[0]), float(retrieval[0])


def test_an_extinguished_animal_responds_rarely_until_a_prime_retrieves_the_drug_state():
    memory = drug_taking.Memory.trained(1)
    memory.extinction[:] = 1.0
    quiet, retrieval = probability(memory)
    assert retrieval == 0.0
    assert quiet == pytest.approx(1 - np.exp(-TABLE["resting_response_rate"]))
    priming = TABLE["priming_fraction"] * TABLE["satiety_threshold"]
    primed, retrieval = probability(memory, signal=priming)
    assert retrieval == 1.0
    assert primed == pytest.approx(1 - np.exp(-TABLE["maximum_response_rate"]))
    # above the satiety threshold the animal is sated, primed or not
    sated, _ = probability(memory, signal=2 * TABLE["satiety_threshold"])
    assert sated == pytest.approx(quiet)


def test_credit_goes_to_the_state_the_animal_is_in():
    memory = drug_taking.Memory.trained(2)
    responded = np.array([True, True])
    nothing = np.zeros(2)
    after = drug_taking.learn(
        memory, responded, nothing, np.zeros(2, bool), np.array([0.0, 1.0]), TABLE
    )
    rate = TABLE["expectancy_learning_rate"]
    # not retrieved: an unrewarded response builds the extinction memory, the drug memory stays
    assert after.extinction[0] == pytest.approx(rate)
    assert after.drug_value[0] == 1.0
    # retrieved: it wears down the drug memory, extinction is untouched
    assert after.extinction[1] == 0.0
    assert after.drug_value[1] == pytest.approx(1 - rate)


def test_an_infusion_without_effect_is_an_unrewarded_response():
    before = np.array([0.01, 0.01])
    rise = TABLE["priming_fraction"] * TABLE["satiety_threshold"]
    now = drug_taking.Readouts(np.array([0.01 + rise, 0.01]), np.ones(2), np.zeros(2), np.zeros(2))
    outcomes = drug_taking.outcome(now, before, np.array([True, True]), TABLE)
    np.testing.assert_allclose(outcomes, [1.0, 0.0])
    assert drug_taking.outcome(now, before, np.array([False, False]), TABLE).tolist() == [0, 0]


def test_the_stress_trace_follows_a_stressor_at_once_and_decays_after_it():
    memory = drug_taking.Memory.trained(1)
    memory = drug_taking.traced(memory, np.array([1.0]), 1 / 60, TABLE)
    assert memory.stress_trace[0] == 1.0
    tau_h = TABLE["stress_trace_time"] / 60
    memory = drug_taking.traced(memory, np.array([0.0]), tau_h, TABLE)
    assert memory.stress_trace[0] == pytest.approx(np.exp(-1))


def test_the_cue_pull_incubates_over_weeks_of_abstinence():
    pull = drug_taking.incubation(np.array([0.0, 24.0, 14 * 24.0, 90 * 24.0]), TABLE)
    assert pull[0] == pytest.approx(TABLE["incubation_initial"])
    assert np.all(np.diff(pull) > 0)
    assert pull[-1] == pytest.approx(1.0, abs=1e-3)


def test_a_bad_override_names_the_parameter():
    with pytest.raises(ConfigError, match=r"behaviour\.context_drive: got nan"):
        drug_taking.values({"context_drive": float("nan")})
