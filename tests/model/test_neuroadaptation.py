"""Neuroadaptation: rest without drug; tolerance and dependence build and decay; withdrawal.

Spontaneous and naloxone-precipitated withdrawal come from one expression (adapted cAMP minus
current mu inhibition); these tests check that the two differ only through the kinetics.
"""

from __future__ import annotations

import numpy as np
import pytest

from opioidsim.model.default import build_model
from opioidsim.simulation import simulate

SUBJECT = {"species": "human", "sex": "male", "body_weight": "70 kg"}
N = "neuroadaptation."
STATES = (
    "fast_desensitisation",
    "slow_desensitisation",
    "camp_superactivation",
    "allostatic_load",
    "crf_activation",
)
#: 10 mg IV morphine every 4 h (the injection's label interval) for 14 days (last dose at
#: 13 d 20 h); the next one would be at 14 d. Every 6 h until session 15: with the
#: two-compartment human morphine (Wang 2013) the 6-h troughs are deeper and withdrawal at the
#: trough reached 26 % of the post-cessation peak (21 % with one compartment), against the
#: < 25 % below; every 4 h it is 16 %.
CHRONIC = [
    {
        "drug": "morphine",
        "amount": "10 mg",
        "route": "iv",
        "time": "0 h",
        "every": "4 h",
        "for": "14 d",
    }
]
DOSE_INTERVAL_H = 4.0
STOP_H = 14 * 24.0
#: Naloxone 10 mg IM: the precipitation dose of Bickel 1988 and Heishman 1989.
NALOXONE = {"drug": "naloxone", "amount": "10 mg", "route": "im", "time": "14 d"}
#: Without drug the adaptation states are driven by positive_part(signal - tone), which is 0
#: once the receptors hold their endogenous equilibrium: anything above solver noise (atol
#: ~1e-12 of a unit-scale state) would be a drive leaking through.
REST_ATOL = 1e-9
#: The set-point parameter is written to 4 significant digits.
ROUNDING_RTOL = 1e-3
#: The receptors start empty and reach their endogenous equilibrium within the first hour.
EQUILIBRATION_H = 1.0


def _run(doses, duration, interval="10 min"):
    return simulate(
        {
            "name": "neuroadaptation test",
            "subject": SUBJECT,
            "duration": duration,
            "output_interval": interval,
            "seed": 1,
            "doses": doses,
        }
    )


def _at(result, name, hour):
    return float(np.interp(hour, result.time, result[name]))


@pytest.fixture(scope="module")
def baseline():
    return _run([], "3 d")


@pytest.fixture(scope="module")
def stopped():
    return _run(CHRONIC, "40 d")


@pytest.fixture(scope="module")
def precipitated():
    return _run([*CHRONIC, NALOXONE], "15 d", interval="2 min")


@pytest.mark.parametrize("species", ["human", "rat"])
def test_every_species_model_carries_the_adaptation_states_with_balanced_units(species):
    # assemble() evaluates every rates() on pint quantities and refuses unbalanced units.
    model = build_model(("morphine",), species=species)
    for state in STATES:
        assert N + state in model.state_names
    assert "reward.accumbens_dopamine" in model.state_names


def test_the_set_point_is_the_lc_signal_of_the_endogenous_peptides(baseline):
    late = baseline.time >= EQUILIBRATION_H
    parameters = baseline.metadata["parameters"]
    tone = parameters["neuroadaptation.resting_locus_coeruleus_signal"]
    coupling = parameters["neuroadaptation.locus_coeruleus_coupling"]
    stimulus = baseline["mu_receptor.stimulus"][late]
    np.testing.assert_allclose(
        coupling * stimulus / (1 + coupling * stimulus), tone, rtol=ROUNDING_RTOL
    )
    np.testing.assert_allclose(
        baseline[N + "locus_coeruleus_signal"][late], tone, rtol=ROUNDING_RTOL
    )
    receptor_tone = parameters["neuroadaptation.resting_mu_signal"]
    desensitisation = parameters["neuroadaptation.desensitisation_coupling"]
    np.testing.assert_allclose(
        desensitisation * stimulus / (1 + desensitisation * stimulus),
        receptor_tone,
        rtol=ROUNDING_RTOL,
    )


def test_the_lc_coupling_puts_morphine_at_half_effect_at_its_slice_ic50():
    # Seutin 1990: morphine IC50 13.4 nM on rat LC firing; at that free concentration the
    # mu_receptor table's morphine occupancy times the LC coupling must be 1 (half effect).
    from opioidsim.model.neuroadaptation import PARAMETERS as LC
    from opioidsim.model.receptors.mu import PARAMETERS as MU

    kd = MU["dissociation_constant"]["morphine"].value
    efficacy = MU["relative_efficacy"]["morphine"].value
    ic50 = 13.4
    stimulus = efficacy * ic50 / (ic50 + kd)
    assert LC["locus_coeruleus_coupling"].value * stimulus == pytest.approx(1.0, rel=1e-3)


def test_without_drug_every_adaptation_state_stays_at_rest(baseline):
    for state in STATES:
        assert np.max(np.abs(baseline[N + state])) < REST_ATOL, state
    np.testing.assert_allclose(baseline[N + "tolerance_factor"], 1.0, atol=REST_ATOL)
    assert np.max(baseline[N + "somatic_withdrawal_index"]) < REST_ATOL
    assert np.max(baseline[N + "affective_withdrawal_index"]) < REST_ATOL


def test_naloxone_without_prior_opioid_precipitates_nothing():
    naive = _run([{**NALOXONE, "time": "2 h"}], "1 d", interval="2 min")
    assert np.max(naive[N + "somatic_withdrawal_index"]) < REST_ATOL
    assert np.max(naive[N + "camp_superactivation"]) < REST_ATOL


def test_two_weeks_of_morphine_build_tolerance_dependence_and_allostasis(stopped):
    # TOL: daily dosing for 1-3 weeks shifts the ED50 2- to 10-fold (neuro.md section 5).
    assert 2.0 < _at(stopped, N + "tolerance_factor", STOP_H) < 10.0
    # Dependence: after two weeks the slow cAMP adaptation has caught up with the LC
    # inhibition the regimen holds (its half-time is ~35 h, so 14 d is ~10 half-times).
    last_day = (stopped.time >= STOP_H - 24.0) & (stopped.time <= STOP_H)
    held_inhibition = float(np.mean(stopped[N + "mu_inhibition"][last_day]))
    assert _at(stopped, N + "camp_superactivation", STOP_H) > 0.8 * held_inhibition > 0.1
    assert _at(stopped, N + "allostatic_load", STOP_H) > 0.2
    # While the drug is on board, adaptation offsets it: little withdrawal between doses.
    assert _at(stopped, N + "withdrawal_drive", STOP_H - 3.0) < 0.1


def test_tolerance_is_lost_fast_then_slowly_over_weeks(stopped):
    excess = {
        day: _at(stopped, N + "tolerance_factor", day * 24.0) - 1 for day in (14, 17, 34, 40)
    }
    early_rate = np.log(excess[14] / excess[17]) / 3  # per day, first 3 days of abstinence
    late_rate = np.log(excess[34] / excess[40]) / 6  # per day, weeks 3-4 of abstinence
    assert early_rate > 2 * late_rate
    # The fast component is gone within a week; the slow one still shifts the ED50 at 3 weeks.
    assert _at(stopped, N + "fast_desensitisation", 21 * 24.0) < 0.01
    assert _at(stopped, N + "tolerance_factor", 35 * 24.0) > 1.1


def test_dependence_and_allostasis_decay_after_stopping(stopped):
    for state, day, fraction in (
        ("camp_superactivation", 21, 0.05),
        ("allostatic_load", 40, 0.1),
        ("crf_activation", 40, 0.1),
    ):
        peak = np.max(stopped[N + state])
        assert _at(stopped, N + state, day * 24.0) < fraction * peak, state


def test_spontaneous_withdrawal_follows_the_last_dose_and_resolves(stopped):
    index = stopped[N + "somatic_withdrawal_index"]
    after = stopped.time >= STOP_H
    peak = np.max(index[after])
    peak_time = stopped.time[after][np.argmax(index[after])] - (STOP_H - DOSE_INTERVAL_H)
    assert 6.0 < peak_time < 72.0  # hours after the last dose
    assert _at(stopped, N + "somatic_withdrawal_index", STOP_H) < 0.25 * peak
    assert _at(stopped, N + "somatic_withdrawal_index", 24 * 24.0) < 0.25 * peak


def test_naloxone_precipitates_withdrawal_faster_and_higher_than_stopping(stopped, precipitated):
    index = precipitated[N + "somatic_withdrawal_index"]
    after = precipitated.time >= STOP_H
    precipitated_peak = np.max(index[after])
    precipitated_at = precipitated.time[after][np.argmax(index[after])] - STOP_H
    spontaneous = stopped[N + "somatic_withdrawal_index"][stopped.time >= STOP_H]
    spontaneous_at = stopped.time[stopped.time >= STOP_H][np.argmax(spontaneous)] - STOP_H
    assert precipitated_at < 1.0 < spontaneous_at
    assert precipitated_peak > 1.1 * np.max(spontaneous)
    # Same mechanism: naloxone removes the mu inhibition the adaptation was offsetting.
    inhibition = precipitated[N + "mu_inhibition"]
    assert _at(precipitated, N + "mu_inhibition", STOP_H + precipitated_at) < 0.2 * np.interp(
        STOP_H - 0.1, precipitated.time, inhibition
    )


def test_the_maximal_withdrawal_drive_and_the_gains_set_on_it_follow_the_model():
    # MAXIMAL_WITHDRAWAL_DRIVE: naloxone 10 mg IV 6 h after the last dose of the heroin
    # regimen; crf_withdrawal_gain (+300% CRF) and hpa noradrenergic_gain (+75% drive) are
    # set as responses at that drive, so they must move with it.
    from opioidsim.model.hpa import PARAMETERS_BY_SPECIES
    from opioidsim.model.neuroadaptation import MAXIMAL_WITHDRAWAL_DRIVE
    from opioidsim.model.neuroadaptation import PARAMETERS as LC

    heroin = {"drug": "heroin", "amount": "25 mg", "route": "iv", "time": "0 h"}
    last_h = 13 * 24.0 + 18.0
    result = _run(
        [
            {**heroin, "every": "6 h", "for": "14 d"},
            {"drug": "naloxone", "amount": "10 mg", "route": "iv", "time": f"{last_h + 6} h"},
        ],
        f"{last_h + 9} h",
        interval="2 min",
    )
    after = result.time >= last_h + 6
    drive = float(result[N + "withdrawal_drive"][after].max())
    assert drive == pytest.approx(MAXIMAL_WITHDRAWAL_DRIVE, rel=0.02)
    assert LC["crf_withdrawal_gain"].value == pytest.approx(3 / MAXIMAL_WITHDRAWAL_DRIVE, 0.01)
    assert PARAMETERS_BY_SPECIES["any"]["noradrenergic_gain"].value == pytest.approx(
        0.75 / MAXIMAL_WITHDRAWAL_DRIVE, 0.01
    )
