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
    """(central, shallow, deep, adipose, effect-site) after an IV bolus (amounts; effect site
    as concentration), from the micro-constants and the adipose clearance/volume."""
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
    q, v_adipose = p(model, "fentanyl.adipose_clearance"), p(model, "fentanyl.adipose_volume")
    ka, kb = q / volume, q / v_adipose
    return np.array(
        [
            [-(k10 + k12 + k13 + ka), k21, k31, kb, 0.0],
            [k12, -k21, 0.0, 0.0, 0.0],
            [k13, 0.0, -k31, 0.0, 0.0],
            [ka, 0.0, 0.0, -kb, 0.0],
            [ke0 / volume, 0.0, 0.0, 0.0, -ke0],
        ]
    ), volume


@pytest.mark.parametrize("species", ["human", "rat"])
def test_iv_bolus_follows_the_analytic_multiexponential_solution(species):
    times = np.linspace(0.0, 12.0, 145)
    model, result = simulate("fentanyl", [Dose("iv", amount_nmol=100.0)], times, species=species)
    matrix, volume = _matrix(model)
    x = linear_solution(matrix, np.array([100.0, 0.0, 0.0, 0.0, 0.0]), times)
    np.testing.assert_allclose(
        result["fentanyl.plasma_concentration"],
        x[0] / volume,
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM,
    )
    fu = p(model, "fentanyl.plasma_unbound_fraction")
    np.testing.assert_allclose(
        result["fentanyl.brain_concentration"],
        fu * x[4],
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM,
    )


def test_fda_disposition_half_lives_are_1_8_and_150_minutes():
    model = build_model(["fentanyl"])
    matrix, _ = _matrix(model)
    matrix[0, 0] += matrix[3, 0]  # the FDA set alone: no flow to the adipose store
    half_lives = np.sort(60 * np.log(2) / -np.linalg.eigvals(matrix[:3, :3]).real)
    np.testing.assert_allclose(half_lives, [1.2, 8.3, 150.0], rtol=0.03)


#: Huhn 2020 derivation (see the module): terminal t1/2 of daily users 5.4 h x 7.3 d / 3 d.
CHRONIC_TERMINAL_HALF_LIFE_H = 5.4 * 7.3 / 3.0
#: Mather & Gourlay 1991: Vss 300-400 L/70 kg.
LITERATURE_VSS_L = (300.0, 400.0)


def test_adipose_compartment_gives_the_chronic_terminal_half_life_and_literature_vss():
    model = build_model(["fentanyl"])
    matrix, volume = _matrix(model)
    slowest = np.log(2) / np.min(-np.linalg.eigvals(matrix[:4, :4]).real)
    assert slowest == pytest.approx(CHRONIC_TERMINAL_HALF_LIFE_H, rel=0.02)
    k12, k21 = matrix[1, 0], -matrix[1, 1]
    k13, k31 = matrix[2, 0], -matrix[2, 2]
    vss = volume * (1 + k12 / k21 + k13 / k31) + p(model, "fentanyl.adipose_volume")
    assert LITERATURE_VSS_L[0] <= vss <= LITERATURE_VSS_L[1]


def test_one_dose_barely_reaches_the_adipose_store():
    # The FDA set was fitted to single doses: the store must not change a single-dose peak.
    times = np.linspace(0.0, 1.0, 601)
    model, with_store = simulate("fentanyl", [Dose("iv", amount_nmol=100.0)], times)
    assert p(model, "fentanyl.adipose_clearance") > 0
    matrix, volume = _matrix(model)
    matrix[0, 0] += matrix[3, 0]  # no flow to the store
    matrix[3, 0] = 0.0
    without = linear_solution(matrix, np.array([100.0, 0.0, 0.0, 0.0, 0.0]), times)[0] / volume
    peak_with = with_store["fentanyl.plasma_concentration"][1:].max()
    assert peak_with == pytest.approx(without[1:].max(), rel=0.02)


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
    reason="Cmax after 47 ug IN is 213 pg/mL vs the observed median 370 pg/mL; the "
    "FDA (arterial-like) disposition also gives ~3.0 ng/mL after the same study's 50 ug IV "
    "vs its median 938 pg/mL: early disposition, not nasal absorption, needs a venous fit",
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


def test_rat_terminal_half_life_matches_the_wistar_study():
    times = np.linspace(0.0, 12.0, 121)
    _, result = simulate("fentanyl", [Dose("iv", amount_nmol=100.0)], times, species="rat")
    t_half = half_life(times, result["fentanyl.plasma_concentration"], 2.0, 12.0)
    assert np.log(2) / t_half == pytest.approx(RAT_TERMINAL_RATE, rel=RAT_RTOL)
