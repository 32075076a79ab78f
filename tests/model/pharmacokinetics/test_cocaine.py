"""Cocaine: analytic solutions for every route; the sourced kinetics; the transporter."""

from __future__ import annotations

import numpy as np
import pytest

from model.pharmacokinetics.pk_testing import (
    ANALYTIC_ATOL_NM,
    ANALYTIC_RTOL,
    Dose,
    auc,
    half_life,
    linear_solution,
    p,
    peak,
    simulate,
)
from opioidsim.model.default import build_model, load_module

#: Chow 1985: t1/2 48 min; the model's one compartment gives ln2 V/CL.
CHOW_HALF_LIFE_MIN = 48.0
#: Benuck 1987: mouse plasma and brain t1/2 16 min.
MOUSE_HALF_LIFE_MIN = 16.0


def _matrix(model, absorption: str):
    ka = p(model, f"cocaine.{absorption}")
    volume = p(model, "cocaine.volume")
    k = p(model, "cocaine.clearance") / volume
    ke0 = p(model, "cocaine.effect_site_rate")
    return np.array([[-ka, 0.0, 0.0], [ka, -k, 0.0], [0.0, ke0 / volume, -ke0]]), volume


@pytest.mark.parametrize(
    ("species", "route", "absorption", "fraction"),
    [
        ("human", "iv", "nasal_absorption_rate", None),
        ("human", "intranasal", "nasal_absorption_rate", "nasal_bioavailability"),
        ("human", "smoked", "smoked_absorption_rate", "smoked_bioavailability"),
        ("mouse", "ip", "injection_absorption_rate", None),
        ("rat", "sc", "injection_absorption_rate", None),
    ],
)
def test_each_route_follows_the_analytic_solution(species, route, absorption, fraction):
    times = np.linspace(0.0, 6.0, 121)
    model, result = simulate("cocaine", [Dose(route, amount_nmol=1000.0)], times, species)
    matrix, volume = _matrix(model, absorption)
    f = p(model, f"cocaine.{fraction}") if fraction else 1.0
    x0 = np.array([0.0, 1000.0, 0.0]) if route == "iv" else np.array([f * 1000.0, 0.0, 0.0])
    x = linear_solution(matrix, x0, times)
    np.testing.assert_allclose(
        result["cocaine.plasma_concentration"],
        x[1] / volume,
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM,
    )
    fu = p(model, "cocaine.plasma_unbound_fraction")
    np.testing.assert_allclose(
        result["cocaine.brain_concentration"], fu * x[2], rtol=ANALYTIC_RTOL, atol=ANALYTIC_ATOL_NM
    )


def test_human_half_life_is_chows_within_ten_percent():
    model = build_model(["cocaine"])
    t_half = 60 * np.log(2) * p(model, "cocaine.volume") / p(model, "cocaine.clearance")
    assert t_half == pytest.approx(CHOW_HALF_LIFE_MIN, rel=0.10)


def test_biophase_of_an_iv_bolus_peaks_at_chows_7_3_minutes():
    times = np.linspace(0.0, 0.5, 3001)
    _, result = simulate("cocaine", [Dose("iv", amount_nmol=1000.0)], times)
    t_peak, _ = peak(times, result["cocaine.brain_concentration"])
    assert 60 * t_peak == pytest.approx(7.3, abs=0.1)


def test_intranasal_exposure_is_jeffcoats_80_percent_of_iv():
    times = np.concatenate([[0.0], np.geomspace(1e-5, 30.0, 20000)])
    _, nasal = simulate("cocaine", [Dose("intranasal", amount_nmol=1000.0)], times)
    _, iv = simulate("cocaine", [Dose("iv", amount_nmol=1000.0)], times)
    ratio = auc(times, nasal["cocaine.plasma_concentration"]) / auc(
        times, iv["cocaine.plasma_concentration"]
    )
    assert ratio == pytest.approx(0.80, rel=5e-3)


def test_mouse_half_life_is_benucks_16_minutes_and_the_rat_scales_allometrically():
    times = np.linspace(0.0, 3.0, 1801)
    _, mouse = simulate("cocaine", [Dose("iv", amount_nmol=100.0)], times, "mouse")
    assert 60 * half_life(times, mouse["cocaine.plasma_concentration"], 0.5, 2.0) == (
        pytest.approx(MOUSE_HALF_LIFE_MIN, rel=0.01)
    )
    _, rat = simulate("cocaine", [Dose("iv", amount_nmol=100.0)], times, "rat")
    rat_half = 60 * half_life(times, rat["cocaine.plasma_concentration"], 0.5, 3.0)
    assert rat_half == pytest.approx(MOUSE_HALF_LIFE_MIN * 10**0.25, rel=0.01)


def test_transporter_occupancy_is_the_binding_isotherm_and_half_at_the_constant():
    module = load_module("opioidsim.model.receptors.dopamine_transporter")
    kd = module.parameters["any"]["cocaine_dissociation_constant"].value
    inputs = type("Inputs", (), {"cocaine_concentration": np.array([-1e-14, kd, 9 * kd])})
    params = type("Params", (), {"cocaine_dissociation_constant": kd})
    _, outputs = module.rates(None, params, inputs)
    np.testing.assert_allclose(outputs["occupancy"], [0.0, 0.5, 0.9])


def test_without_cocaine_the_transporter_is_free_and_dopamine_stays_at_baseline():
    times = np.linspace(0.0, 24.0, 25)
    _, result = simulate("cocaine", [], times)
    np.testing.assert_allclose(result["dopamine_transporter.occupancy"], 0.0, atol=1e-12)
    # the drug-free rest drifts by ~1e-5 (tests/model/test_rest.py bounds it)
    np.testing.assert_allclose(result["reward.dopamine_percent_baseline"], 100.0, rtol=1e-4)


def test_cocaine_raises_dopamine_and_its_learned_value():
    times = np.linspace(0.0, 3.0, 181)
    _, result = simulate("cocaine", [Dose("iv", amount_nmol=80000.0)], times)
    assert np.max(result["dopamine_transporter.occupancy"]) > 0.5
    assert np.max(result["reward.dopamine_percent_baseline"]) > 150.0
    assert result["reward.drug_value"][-1] > 0.0
