"""Stress sensitisation and oxytocin buffering (issue 14): at rest nothing moves; a defeat
builds a slow sensitisation that enlarges only the drug-evoked dopamine rise; oxytocin's
buffering is exactly 1 at rest and lowers the defeat's CRF drive, and with it the
sensitisation.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from opioidsim.experiments._protocols import dose, event, run
from opioidsim.model import oxytocin_system, reward, stress_sensitisation

MOUSE = {"species": "mouse", "body_weight": "0.03 kg"}
S = "stress_sensitisation."


def _params(table) -> SimpleNamespace:
    return SimpleNamespace(**{name: record.value for name, record in table.items()})


def _sensitisation_rates(level: float, drive: float):
    params = _params(stress_sensitisation.PARAMETERS)
    return stress_sensitisation.rates(
        SimpleNamespace(sensitisation=level), params, SimpleNamespace(stress_crf_drive=drive)
    )


def test_without_stress_nothing_builds_and_the_gain_is_one():
    derivatives, outputs = _sensitisation_rates(0.0, 0.0)
    assert derivatives["sensitisation"] == 0.0
    assert outputs["dopamine_response_gain"] == 1.0


def test_a_typical_defeat_half_activates_the_induction():
    params = _params(stress_sensitisation.PARAMETERS)
    derivatives, _ = _sensitisation_rates(0.0, stress_sensitisation.DEFEAT_DRIVE)
    assert derivatives["sensitisation"] == pytest.approx(0.5 * params.induction_rate)


def test_sensitisation_decays_with_its_half_life():
    params = _params(stress_sensitisation.PARAMETERS)
    derivatives, _ = _sensitisation_rates(0.5, 0.0)
    assert derivatives["sensitisation"] == pytest.approx(-params.decay_rate * 0.5)
    assert np.log(2) / params.decay_rate / 24 == pytest.approx(30.0, rel=1e-2)


def _reward_target(release_fold_via_uptake: float, gain: float) -> float:
    """Dopamine (% of baseline) the reward module relaxes to, from its own rates()."""
    params = _params(reward.PARAMETERS)
    blockade = (1 - 1 / release_fold_via_uptake) / params.transporter_uptake_share
    inputs = SimpleNamespace(
        mu_stimulus=params.resting_mu_stimulus,
        kappa_signal=params.resting_kappa_signal,
        withdrawal_drive=0.0,
        dopamine_tone=1.0,
        dopamine_uptake_blockade=blockade,
        dopamine_response_gain=gain,
        oxytocin_evoked_factor=1.0,
        drug_mu_occupancy=0.0,
        beta_endorphin_release_ratio=1.0,
    )
    state = SimpleNamespace(accumbens_dopamine=0.0, drug_value=0.0)
    derivatives, _ = reward.rates(state, params, inputs)
    return derivatives["accumbens_dopamine"] / params.dopamine_response_rate


def test_the_gain_multiplies_the_drug_evoked_rise_only():
    assert _reward_target(1.0, 2.9) == pytest.approx(100.0)  # baseline unchanged
    assert _reward_target(2.0, 1.0) == pytest.approx(200.0)
    assert _reward_target(2.0, 2.9) == pytest.approx(100.0 + 2.9 * 100.0)
    assert _reward_target(4.0, 2.0) == pytest.approx(100.0 + 2.0 * 300.0)


def _oxytocin_outputs(central: float, exogenous_nm: float = 0.0) -> dict:
    table = oxytocin_system.PARAMETERS_BY_SPECIES["mouse"]
    params = _params(table)
    state = SimpleNamespace(
        oxytocin_expression=1.0,
        oxytocin_content=1.0,
        plasma_oxytocin=params.resting_plasma_oxytocin,
        central_oxytocin=central,
        otr_expression=1.0,
    )
    inputs = SimpleNamespace(
        mu_stimulus=params.resting_mu_stimulus,
        mu_receptor_availability=1.0,
        locus_coeruleus_drive=0.0,
        exogenous_concentration=exogenous_nm,
        social_contact=0.0,
        stress_drive=0.0,
    )
    return oxytocin_system.rates(state, params, inputs)[1]


def test_hpa_buffering_is_exactly_one_at_rest_and_its_maximum_at_saturation():
    assert _oxytocin_outputs(1.0)["hpa_buffering"] == pytest.approx(1.0, abs=1e-12)
    maximum = oxytocin_system.PARAMETERS_BY_SPECIES["mouse"]["maximum_stress_buffering"].value
    saturated = _oxytocin_outputs(1.0, exogenous_nm=1e9)["hpa_buffering"]
    assert saturated == pytest.approx(1 - maximum, rel=1e-6)
    assert _oxytocin_outputs(0.0)["hpa_buffering"] > 1.0  # receptors empty: no buffering


@pytest.fixture(scope="module")
def one_defeat():
    defeat = [event("social_defeat", 1.0, 25 / 60)]
    plain = run([], 48.0, step_min=10, events=defeat, **MOUSE)
    oxytocin = run(
        [dose("oxytocin", "1 mg/kg", "ip", 0.5)], 48.0, step_min=10, events=defeat, **MOUSE
    )
    quiet = run([], 48.0, step_min=60, **MOUSE)
    return plain, oxytocin, quiet


def test_at_rest_the_sensitisation_stays_at_zero(one_defeat):
    quiet = one_defeat[2]
    assert np.max(np.abs(quiet[S + "level"])) < 1e-9
    assert np.allclose(quiet["oxytocin_system.hpa_buffering"], 1.0, atol=1e-6)


def test_a_defeat_builds_sensitisation_that_lasts_and_oxytocin_lowers_it(one_defeat):
    plain, oxytocin, _ = one_defeat
    after = float(plain[S + "level"][-1])
    assert 0.15 < after < 0.35  # about a quarter of the maximum per typical defeat
    assert float(oxytocin[S + "level"][-1]) < 0.75 * after
    # oxytocin release rises during the defeat (stress input wired from the HPA axis)
    i = np.searchsorted(plain.time, 1.2)
    assert plain["oxytocin_system.central_level"][i] > 1.3


def test_the_typical_defeat_drive_is_the_hpa_axis_defeat_drive():
    # Modules meet only in default.py, so the sensitisation keeps its own copy of the number.
    from opioidsim.model import hpa

    table = hpa.PARAMETERS_BY_SPECIES["any"]
    assert table["social_defeat_drive"].value == stress_sensitisation.DEFEAT_DRIVE
