"""VENT-OD's ceilings: the most drive a ligand can remove at full occupancy."""

from __future__ import annotations

import pytest

from opioidsim.experiments.phenomena.vent_od import _ceilings

PARAMETERS = {
    "mu_effects.respiratory_coupling": 54.73,
    "mu_effects.respiratory_slope": 1.0,
    "mu_receptor.relative_efficacy[heroin]": 1.5,
    "mu_receptor.relative_efficacy[morphine]": 1.0,
    "mu_receptor.relative_efficacy[fentanyl]": 3.75,
}


def test_ceilings_follow_the_operational_model_naive_and_tolerant():
    ceilings = _ceilings(PARAMETERS, 0.216)
    tau = 54.73 * 0.216
    assert ceilings["morphine ceiling of drive removed, naive"] == pytest.approx(54.73 / 55.73)
    assert ceilings["morphine ceiling of drive removed, tolerant"] == pytest.approx(
        tau / (1 + tau)
    )
    assert ceilings["heroin/6-MAM ceiling of drive removed, tolerant"] == pytest.approx(
        1.5 * tau / (1 + 1.5 * tau)
    )
    assert ceilings["fentanyl ceiling of drive removed, tolerant"] == pytest.approx(
        3.75 * tau / (1 + 3.75 * tau)
    )


def test_a_steeper_pathway_raises_the_ceiling():
    steep = _ceilings({**PARAMETERS, "mu_effects.respiratory_slope": 2.0}, 0.216)
    flat = _ceilings(PARAMETERS, 0.216)
    key = "morphine ceiling of drive removed, tolerant"
    assert steep[key] > flat[key]
