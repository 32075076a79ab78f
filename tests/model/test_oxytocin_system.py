"""Endogenous oxytocin (issue 14): at rest every output is at its resting value and the
adaptation factor is exactly 1; mu agonism inhibits the neurones, withdrawal excites them,
chronic agonism lowers the store, brain oxytocin restrains opioid adaptation and blunts
drug-evoked dopamine, and repeated stress lowers the receptors for days.
"""

from __future__ import annotations

import numpy as np
import pytest

from opioidsim.experiments._protocols import dose, event, infusion, run
from opioidsim.model import oxytocin_system
from opioidsim.model.declare import Scalar
from opioidsim.model.receptors import mu

P = "oxytocin_system."
RAT = {"species": "rat", "body_weight": "0.25 kg"}
TABLE = oxytocin_system.PARAMETERS_BY_SPECIES["rat"]
#: Solver tolerance for "stays at rest" (relative): the engine's default rtol is 1e-6.
REST_RTOL = 1e-6


def test_resting_mu_stimulus_follows_the_mu_table():
    beta = mu.PARAMETERS["resting_occupancy_beta_endorphin"].value
    dynorphin = mu.PARAMETERS["resting_occupancy_dynorphin"].value
    assert TABLE["resting_mu_stimulus"].value == pytest.approx(beta + dynorphin, rel=1e-4)


def test_outputs_carry_their_units():
    outputs = oxytocin_system.MODULE.outputs
    assert isinstance(outputs["plasma_concentration"], Scalar)
    assert outputs["plasma_concentration"].unit == "nM"
    assert {outputs[n].unit for n in ("content", "otr_signal", "adaptation_rate_factor")} == {"1"}


@pytest.mark.parametrize("species", ["rat", "human"])
def test_without_drug_every_output_stays_at_its_resting_value(species):
    weight = "0.25 kg" if species == "rat" else "70 kg"
    result = run([], 48.0, step_min=60, species=species, body_weight=weight)
    resting_plasma = oxytocin_system.PARAMETERS_BY_SPECIES[species]["resting_plasma_oxytocin"]
    np.testing.assert_allclose(
        result[P + "plasma_concentration"], resting_plasma.value * 1e-3, rtol=REST_RTOL
    )
    for name in ("content", "central_level", "otr_signal", "neurone_activity", "otr_expression"):
        np.testing.assert_allclose(result[P + name], 1.0, rtol=1e-3, err_msg=name)
    # Exactly 1: the neuroadaptation numbers are those of the model without oxytocin.
    for name in ("adaptation_rate_factor", "evoked_dopamine_factor"):
        factor = np.asarray(result[P + name])
        assert np.all(np.abs(factor - 1.0) < 1e-6), name


def _rates_at(
    central_oxytocin: float, exogenous_nm: float = 0.0, otr_expression: float = 1.0
) -> dict:
    """The module's own rates() at rest, with brain oxytocin at ``central_oxytocin`` x rest."""
    from types import SimpleNamespace

    params = SimpleNamespace(**{name: record.value for name, record in TABLE.items()})
    state = SimpleNamespace(
        oxytocin_expression=1.0,
        oxytocin_content=1.0,
        plasma_oxytocin=params.resting_plasma_oxytocin,
        central_oxytocin=central_oxytocin,
        otr_expression=otr_expression,
    )
    inputs = SimpleNamespace(
        mu_stimulus=params.resting_mu_stimulus,
        mu_receptor_availability=1.0,
        locus_coeruleus_drive=0.0,
        stress_drive=0.0,
        social_contact=0.0,
        exogenous_concentration=exogenous_nm,
    )
    return oxytocin_system.rates(state, params, inputs)[1]


def test_the_adaptation_factor_is_one_at_rest_and_moves_with_the_otr_signal():
    restraint = TABLE["oxytocin_restraint"].value
    assert _rates_at(1.0)["adaptation_rate_factor"] == pytest.approx(1.0, abs=1e-12)
    # no OTR signal (brain oxytocin gone, e.g. anti-oxytocin serum): 1 + restraint
    assert _rates_at(0.0)["adaptation_rate_factor"] == pytest.approx(1 + restraint)
    # dosed oxytocin at 10 x its KD slows adaptation
    kd = TABLE["otr_dissociation_constant"].value
    assert _rates_at(1.0, 10 * kd)["adaptation_rate_factor"] < 0.5


def test_morphine_inhibits_the_neurones_and_lowers_plasma_oxytocin():
    result = run([dose("morphine", "1 mg/kg", "iv", 0.0)], 1.0, step_min=1, **RAT)
    assert result[P + "neurone_activity"].min() < 0.15
    assert result[P + "plasma_concentration"][-1] < 0.5 * result[P + "plasma_concentration"][0]


def test_chronic_morphine_lowers_content_but_leaves_the_adaptation_factor_near_one():
    # Design choice (module Assumptions): central oxytocin does not follow the store.
    result = run([infusion("morphine", "0.5 mg/h", "iv", 0.0, 168.0)], 168.0, step_min=60, **RAT)
    assert result[P + "content"][-1] < 0.5
    assert result[P + "adaptation_rate_factor"][-1] == pytest.approx(1.0, abs=0.01)


def test_precipitated_withdrawal_raises_plasma_oxytocin_many_fold():
    t = 72.0
    result = run(
        [infusion("morphine", "0.5 mg/h", "iv", 0.0, t + 1), dose("naloxone", "5 mg/kg", "iv", t)],
        t + 1,
        step_min=2,
        **RAT,
    )
    before = float(np.interp(t - 1e-3, result.time, result[P + "plasma_concentration"]))
    after = result[P + "plasma_concentration"][result.time >= t].max()
    assert after > 10 * before


def test_icv_oxytocin_raises_the_otr_signal_and_lowers_the_adaptation_factor():
    result = run([dose("oxytocin", "1 ug", "icv", 0.0)], 1.0, step_min=1, **RAT)
    assert result[P + "otr_signal"].max() > 2.0
    assert result[P + "adaptation_rate_factor"].min() < 1.0


def test_the_evoked_dopamine_factor_is_one_at_rest_and_falls_to_its_floor_at_saturation():
    blunting = TABLE["maximum_dopamine_blunting"].value
    kd = TABLE["otr_dissociation_constant"].value
    assert _rates_at(1.0)["evoked_dopamine_factor"] == pytest.approx(1.0, abs=1e-12)
    saturated = _rates_at(1.0, 1e6 * kd)["evoked_dopamine_factor"]
    assert saturated == pytest.approx(1 - blunting, abs=1e-4)
    # no central oxytocin (a full antagonist's equivalent): slightly above 1
    assert 1.0 < _rates_at(0.0)["evoked_dopamine_factor"] < 1.1
    # fewer receptors, same oxytocin: less blunting from a dose
    dosed = _rates_at(1.0, kd)["evoked_dopamine_factor"]
    assert _rates_at(1.0, kd, otr_expression=0.5)["evoked_dopamine_factor"] > dosed


def test_icv_oxytocin_blunts_cocaine_evoked_dopamine_but_not_basal_dopamine():
    dopamine = "reward.dopamine_percent_baseline"
    cocaine = dose("cocaine", "10 mg/kg", "ip", 0.25)
    plain = run([cocaine], 1.5, step_min=1, **RAT)
    blunted = run([dose("oxytocin", "1 ug", "icv", 0.0), cocaine], 1.5, step_min=1, **RAT)
    alone = run([dose("oxytocin", "1 ug", "icv", 0.0)], 1.5, step_min=1, **RAT)
    rise, blunted_rise = plain[dopamine].max() - 100, blunted[dopamine].max() - 100
    assert rise > 50
    assert blunted_rise < 0.5 * rise
    np.testing.assert_allclose(alone[dopamine], 100.0, atol=0.01)


def test_repeated_defeats_lower_the_receptors_and_they_return_within_weeks():
    defeats = [event("social_defeat", 1.0 + 72.0 * i, 25 / 60) for i in range(4)]
    days = 40.0
    result = run([], days * 24, step_min=60, events=defeats, species="mouse", body_weight="25 g")
    expression = result[P + "otr_expression"]
    after = float(np.interp(1.0 + 3 * 72.0 + 1.0, result.time, expression))
    assert 0.75 < after < 0.9  # four defeats, 5 % each (assumed), partly recovered between
    assert expression[-1] > 0.97  # half-time 7 d: most of it back 5 weeks later
    assert result[P + "otr_signal"].min() < 0.9  # fewer receptors, less signal at rest
