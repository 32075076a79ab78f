"""Fentanyl: analytic 3-compartment IV solution (FDA set), intranasal anchors, rat."""

from __future__ import annotations

import numpy as np
import pytest

from model.pharmacokinetics.pk_testing import (
    ANALYTIC_ATOL_NM,
    ANALYTIC_RTOL,
    Dose,
    auc,
    dose_nmol,
    half_life,
    linear_solution,
    nm_to_ng_per_ml,
    p,
    peak,
    simulate,
)
from opioidsim.model.default import build_model

#: Pain Res Manag 2021 Table 2: IN tmax median 0.20 h (12 min), range 0.10-0.50 h.
IN_TMAX_MIN, IN_TMAX_RANGE_H = 12.0, (0.10, 0.50)
#: Half the 5-min spacing of early samples typical of such studies (the study's own grid was
#: not seen): a model tmax within 2.5 min cannot be told apart from the median.
IN_TMAX_TOL_MIN = 2.5
#: Same table: Cmax median 370 pg/mL after 47 ug IN. Individual Cmax spread was not seen;
#: +-25% is taken as a typical between-subject CV for IN fentanyl Cmax.
IN_CMAX_PG_ML, IN_CMAX_RTOL = 370.0, 0.25
#: Rat (J Pharm Health Care Sci 2024): CL 3.21 L/h/kg, ke 0.279 /h; SE ~5%.
RAT_CLEARANCE_L_H_KG, RAT_TERMINAL_RATE, RAT_RTOL = 3.21, 0.279, 0.10


def _matrix(model):
    """(central, shallow, deep, effect-site) after an IV bolus, from the micro-constants."""
    k10, k12, k21, k13, k31 = (
        p(model, f"fentanyl.{n}")
        for n in (
            "elimination_rate",
            "central_to_shallow_rate",
            "shallow_to_central_rate",
            "central_to_deep_rate",
            "deep_to_central_rate",
        )
    )
    ke0, volume = p(model, "fentanyl.effect_site_rate"), p(model, "fentanyl.central_volume")
    return np.array(
        [
            [-(k10 + k12 + k13), k21, k31, 0.0],
            [k12, -k21, 0.0, 0.0],
            [k13, 0.0, -k31, 0.0],
            [ke0 / volume, 0.0, 0.0, -ke0],
        ]
    ), volume


@pytest.mark.parametrize("species", ["human", "rat"])
def test_iv_bolus_follows_the_analytic_multiexponential_solution(species):
    times = np.linspace(0.0, 12.0, 145)
    model, result = simulate("fentanyl", [Dose("iv", amount_nmol=100.0)], times, species=species)
    matrix, volume = _matrix(model)
    x = linear_solution(matrix, np.array([100.0, 0.0, 0.0, 0.0]), times)
    np.testing.assert_allclose(
        result["fentanyl.plasma_concentration"],
        x[0] / volume,
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM,
    )
    fu = p(model, "fentanyl.plasma_unbound_fraction")
    np.testing.assert_allclose(
        result["fentanyl.brain_concentration"],
        fu * x[3],
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM,
    )


def test_fda_disposition_half_lives_are_1_8_and_150_minutes():
    model = build_model(["fentanyl"])
    matrix, _ = _matrix(model)
    half_lives = np.sort(60 * np.log(2) / -np.linalg.eigvals(matrix[:3, :3]).real)
    np.testing.assert_allclose(half_lives, [1.2, 8.3, 150.0], rtol=0.03)


def _nasal(species="human", times=None):
    times = np.linspace(0.0, 3.0, 18001) if times is None else times
    model = build_model(["fentanyl"], species=species)
    amount = dose_nmol(model, "fentanyl", "intranasal", 0.047)  # 47 ug base
    return simulate(
        "fentanyl", [Dose("intranasal", amount_nmol=amount)], times, species=species, model=model
    )


def test_intranasal_peaks_at_the_median_tmax_of_12_minutes():
    times = np.linspace(0.0, 3.0, 18001)
    _, result = _nasal(times=times)
    t_peak, _ = peak(times, result["fentanyl.plasma_concentration"])
    assert IN_TMAX_RANGE_H[0] <= t_peak <= IN_TMAX_RANGE_H[1]
    assert 60 * t_peak == pytest.approx(IN_TMAX_MIN, abs=IN_TMAX_TOL_MIN)


@pytest.mark.xfail(
    strict=True,
    reason="FDA disposition distributes too fast for IN: Cmax after "
    "47 ug is 213 pg/mL vs the observed median 370 pg/mL",
)
def test_intranasal_cmax_matches_the_observed_median():
    times = np.linspace(0.0, 3.0, 18001)
    _, result = _nasal(times=times)
    _, c_peak = peak(times, result["fentanyl.plasma_concentration"])
    assert 1000 * nm_to_ng_per_ml(c_peak, "fentanyl") == pytest.approx(
        IN_CMAX_PG_ML, rel=IN_CMAX_RTOL
    )


def test_intranasal_exposure_is_82_percent_of_iv():
    times = np.concatenate([[0.0], np.geomspace(1e-5, 40.0, 20000)])
    _, nasal = simulate("fentanyl", [Dose("intranasal", amount_nmol=100.0)], times)
    _, iv = simulate("fentanyl", [Dose("iv", amount_nmol=100.0)], times)
    ratio = auc(times, nasal["fentanyl.plasma_concentration"]) / auc(
        times, iv["fentanyl.plasma_concentration"]
    )
    assert ratio == pytest.approx((515 / 47) / (672 / 50), rel=5e-3)


def test_rat_clearance_matches_the_wistar_study():
    times = np.concatenate([[0.0], np.geomspace(1e-5, 30.0, 20000)])
    model, result = simulate("fentanyl", [Dose("iv", amount_nmol=100.0)], times, species="rat")
    clearance = 100.0 / auc(times, result["fentanyl.plasma_concentration"])
    weight = model.parameter("subject.body_weight")
    assert clearance / weight == pytest.approx(RAT_CLEARANCE_L_H_KG, rel=RAT_RTOL)


@pytest.mark.xfail(
    strict=True,
    reason="rat modelled with one compartment (V = Vdss): terminal "
    "t1/2 1.4 h vs the reported 2.5 h (ke 0.279 /h)",
)
def test_rat_terminal_half_life_matches_the_wistar_study():
    times = np.linspace(0.0, 12.0, 121)
    _, result = simulate("fentanyl", [Dose("iv", amount_nmol=100.0)], times, species="rat")
    t_half = half_life(times, result["fentanyl.plasma_concentration"], 2.0, 12.0)
    assert np.log(2) / t_half == pytest.approx(RAT_TERMINAL_RATE, rel=RAT_RTOL)
