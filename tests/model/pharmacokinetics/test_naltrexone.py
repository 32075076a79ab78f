"""Naltrexone and 6beta-naltrexol: analytic oral solution, label anchors, the Vivitrol depot."""

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

#: Swiss label, 50 mg oral: naltrexone Cmax 13.3 ng/mL at ~1 h; 6beta-naltrexol ~108 ng/mL.
#: No spread was given in the sources seen; +-30% is taken for a label mean after a drug
#: with ~95% first pass.
ORAL_CMAX_NG_ML, ORAL_TMAX_H, ORAL_CMAX_RTOL = 13.3, 1.0, 0.30
#: "about 1 h": +-0.5 h.
ORAL_TMAX_TOL_H = 0.5
NALTREXOL_CMAX_NG_ML = 108.0
#: Meyer 1984 / label: 6beta-naltrexol t1/2 12-13 h after oral naltrexone.
NALTREXOL_HALF_LIFE_RANGE_H = (12.0, 13.0)
#: 6beta-naltrexol / naltrexone exposure ratio 10-30 (secondary sources).
NALTREXOL_RATIO_RANGE = (10.0, 30.0)
#: Bertolotti 1997, 7 controls, oral naltrexone 100 mg: AUC0-24 (ng.h/mL, mean, SD) halved for
#: 50 mg (dose-linear, Meyer 1984), and the 6beta-naltrexol/naltrexone ratio at 2 h.
BERTOLOTTI_NALTREXONE_AUC24 = (200.0 / 2, 97.0 / 2)
BERTOLOTTI_NALTREXOL_AUC24 = (2467.0 / 2, 730.0 / 2)
BERTOLOTTI_RATIO_AT_2_H = (10.91, 4.80)
#: Vivitrol label: a transient peak ~2 h, a second at 2-3 d; 28-day AUC 3-4 x that of 50 mg
#: oral daily. Dunbar 2006: apparent t1/2 5-7 d, measurable >= 31 d in all subjects.
DEPOT_FIRST_PEAK_H = (1.0, 3.0)
DEPOT_SECOND_PEAK_D = (2.0, 3.0)
DEPOT_AUC_RATIO = (3.0, 4.0)
DEPOT_HALF_LIFE_D = (5.0, 7.0)
#: The release rate was set at the long end (7 d); a log-linear fit of the solver output
#: recovers it to ~1e-5, so the upper bound gets this relative slack.
FIT_RTOL = 1e-4
#: Quantification limit taken for "measurable": 0.1 ng/mL (not stated in the sources seen;
#: typical of the LC-MS/MS assays of depot naltrexone studies).
MEASURABLE_NG_ML = 0.1
#: Castillo 2024: 1-2 ng/mL is treated as therapeutic; >= 2 ng/mL blocks heroin liking.
THERAPEUTIC_NG_ML = 1.0


def _oral(times, mg=50.0):
    model = build_model(["naltrexone"])
    amount = dose_nmol(model, "naltrexone", "oral", mg)  # mg of the HCl salt
    return simulate("naltrexone", [Dose("oral", amount_nmol=amount)], times, model=model)


def _depot(times):
    model = build_model(["naltrexone"])
    amount = dose_nmol(model, "naltrexone", "im_depot", 380.0)  # mg base
    return simulate("naltrexone", [Dose("im_depot", amount_nmol=amount)], times, model=model)


def test_oral_hcl_and_depot_base_use_their_own_molar_masses():
    model = build_model(["naltrexone"])
    assert dose_nmol(model, "naltrexone", "oral", 50.0) == pytest.approx(50e6 / 377.9)
    assert dose_nmol(model, "naltrexone", "im_depot", 380.0) == pytest.approx(380e6 / 341.41)


def test_oral_dose_follows_the_analytic_solution_with_first_pass_naltrexol():
    times = np.linspace(0.0, 72.0, 145)
    model, result = _oral(times)
    amount = dose_nmol(model, "naltrexone", "oral", 50.0)
    ka = p(model, "naltrexone.oral_absorption_rate")
    cl, v = p(model, "naltrexone.clearance"), p(model, "naltrexone.volume")
    cl_m = p(model, "naltrexone.naltrexol_clearance")
    v_m = p(model, "naltrexone.naltrexol_central_volume")
    q_m = p(model, "naltrexone.naltrexol_intercompartmental_clearance")
    v_p = p(model, "naltrexone.naltrexol_peripheral_volume")
    fm, f = (
        p(model, "naltrexone.naltrexol_formation_fraction"),
        p(model, "naltrexone.oral_bioavailability"),
    )
    ke0, ke0_m = (
        p(model, "naltrexone.effect_site_rate"),
        p(model, "naltrexone.naltrexol_effect_site_rate"),
    )
    # x = (gut, first pass, naltrexone, naltrexol, effect site, naltrexol effect site,
    #      naltrexol peripheral)
    matrix = np.array(
        [
            [-ka, 0, 0, 0, 0, 0, 0],
            [0, -ka, 0, 0, 0, 0, 0],
            [ka, 0, -cl / v, 0, 0, 0, 0],
            [0, fm * ka, fm * cl / v, -(cl_m + q_m) / v_m, 0, 0, q_m / v_p],
            [0, 0, ke0 / v, 0, -ke0, 0, 0],
            [0, 0, 0, ke0_m / v_m, 0, -ke0_m, 0],
            [0, 0, 0, q_m / v_m, 0, 0, -q_m / v_p],
        ]
    )
    x = linear_solution(matrix, np.array([f * amount, (1 - f) * amount, 0, 0, 0, 0, 0]), times)
    checks = {
        "naltrexone.plasma_concentration": x[2] / v,
        "naltrexone.naltrexol_plasma_concentration": x[3] / v_m,
        "naltrexone.brain_concentration": p(model, "naltrexone.plasma_unbound_fraction") * x[4],
        "naltrexone.naltrexol_brain_concentration": p(
            model, "naltrexone.naltrexol_plasma_unbound_fraction"
        )
        * p(model, "naltrexone.naltrexol_brain_unbound_partition")
        * x[5],
    }
    for name, expected in checks.items():
        np.testing.assert_allclose(
            result[name], expected, rtol=ANALYTIC_RTOL, atol=ANALYTIC_ATOL_NM, err_msg=name
        )


def test_oral_naltrexone_peaks_at_about_one_hour():
    times = np.linspace(0.0, 12.0, 7201)
    _, result = _oral(times)
    t_peak, _ = peak(times, result["naltrexone.plasma_concentration"])
    assert t_peak == pytest.approx(ORAL_TMAX_H, abs=ORAL_TMAX_TOL_H)


def test_oral_naltrexone_cmax_matches_the_label():
    times = np.linspace(0.0, 12.0, 7201)
    _, result = _oral(times)
    _, c_peak = peak(times, result["naltrexone.plasma_concentration"])
    assert nm_to_ng_per_ml(c_peak, "naltrexone") == pytest.approx(
        ORAL_CMAX_NG_ML, rel=ORAL_CMAX_RTOL
    )


def test_oral_naltrexol_cmax_matches_the_label():
    times = np.linspace(0.0, 24.0, 14401)
    _, result = _oral(times)
    _, c_peak = peak(times, result["naltrexone.naltrexol_plasma_concentration"])
    assert nm_to_ng_per_ml(c_peak, "naltrexol") == pytest.approx(
        NALTREXOL_CMAX_NG_ML, rel=ORAL_CMAX_RTOL
    )


def test_naltrexol_terminal_half_life_matches_oral_dosing():
    times = np.concatenate([[0.0], np.geomspace(1e-4, 240.0, 20000)])
    _, result = _oral(times)
    naltrexol = result["naltrexone.naltrexol_plasma_concentration"]
    t_half = half_life(times, naltrexol, 48.0, 240.0)
    assert NALTREXOL_HALF_LIFE_RANGE_H[0] <= t_half <= NALTREXOL_HALF_LIFE_RANGE_H[1]


def test_naltrexol_to_naltrexone_exposure_ratio_matches_oral_dosing():
    times = np.concatenate([[0.0], np.geomspace(1e-4, 240.0, 20000)])
    _, result = _oral(times)
    naltrexol = result["naltrexone.naltrexol_plasma_concentration"]
    ratio = auc(times, naltrexol) / auc(times, result["naltrexone.plasma_concentration"])
    assert NALTREXOL_RATIO_RANGE[0] <= ratio <= NALTREXOL_RATIO_RANGE[1]


def _oral_ng_ml(times):
    _, result = _oral(times)
    return (
        nm_to_ng_per_ml(result["naltrexone.plasma_concentration"], "naltrexone"),
        nm_to_ng_per_ml(result["naltrexone.naltrexol_plasma_concentration"], "naltrexol"),
    )


def test_oral_naltrexone_exposure_matches_bertolotti_controls():
    # Not fitted: F comes from the label Cmax and CL from Dunbar 2007.
    times = np.linspace(0.0, 24.0, 14401)
    naltrexone, _ = _oral_ng_ml(times)
    mean, sd = BERTOLOTTI_NALTREXONE_AUC24
    assert mean - sd <= auc(times, naltrexone) <= mean + sd


def test_oral_naltrexol_exposure_is_the_one_its_clearance_was_solved_for():
    # naltrexol_clearance is derived from this AUC (with the label Cmax and t1/2).
    times = np.linspace(0.0, 24.0, 14401)
    _, naltrexol = _oral_ng_ml(times)
    assert auc(times, naltrexol) == pytest.approx(BERTOLOTTI_NALTREXOL_AUC24[0], rel=0.01)


def test_naltrexol_to_naltrexone_ratio_at_2_hours_matches_bertolotti_controls():
    # Not fitted: the early ratio depends on first-pass formation and the two dispositions.
    times = np.linspace(0.0, 4.0, 2401)
    naltrexone, naltrexol = _oral_ng_ml(times)
    at_2_h = np.searchsorted(times, 2.0)
    mean, sd = BERTOLOTTI_RATIO_AT_2_H
    assert mean - sd <= naltrexol[at_2_h] / naltrexone[at_2_h] <= mean + sd


DEPOT_TIMES = np.concatenate(
    [np.linspace(0.0, 12.0, 1441), np.linspace(12.0, 40 * 24.0, 40 * 24 * 2 + 1)[1:]]
)


def test_depot_has_a_transient_peak_at_2_hours_and_a_second_at_2_to_3_days():
    _, result = _depot(DEPOT_TIMES)
    plasma = result["naltrexone.plasma_concentration"]
    early = DEPOT_TIMES < 12.0
    t_first, _ = peak(DEPOT_TIMES[early], plasma[early])
    assert DEPOT_FIRST_PEAK_H[0] <= t_first <= DEPOT_FIRST_PEAK_H[1]
    late = DEPOT_TIMES > 24.0
    t_second, _ = peak(DEPOT_TIMES[late], plasma[late])
    assert DEPOT_SECOND_PEAK_D[0] <= t_second / 24 <= DEPOT_SECOND_PEAK_D[1]
    between = (t_first < DEPOT_TIMES) & (t_second > DEPOT_TIMES)
    assert plasma[between].min() < plasma[between][0]  # a trough separates the two peaks


def test_depot_naltrexone_is_measurable_beyond_day_31_and_declines_with_5_to_7_day_half_life():
    _, result = _depot(DEPOT_TIMES)
    plasma = nm_to_ng_per_ml(result["naltrexone.plasma_concentration"], "naltrexone")
    day = DEPOT_TIMES / 24
    assert plasma[np.searchsorted(day, 31.0)] > MEASURABLE_NG_ML
    t_half_d = half_life(day, plasma, 14.0, 35.0)
    assert DEPOT_HALF_LIFE_D[0] <= t_half_d <= DEPOT_HALF_LIFE_D[1] * (1 + FIT_RTOL)


@pytest.mark.xfail(
    strict=True,
    reason="ratio ~1.0 (depot 2533 ng.h/mL at bioavailability 1, so no depot change helps): "
    "the label compares naltrexone with Dunbar 2006's own oral group (n = 14), which needs an "
    "oral AUC of 23-30 ng.h/mL per 50 mg (F 0.07-0.09, as Meyer 1984), but F 0.28 gives the "
    "Swiss label's Cmax 13.3 ng/mL and Bertolotti 1997's AUC (see naltrexone.py)",
)
def test_depot_28_day_exposure_is_3_to_4_times_daily_oral_50_mg():
    _, depot = _depot(DEPOT_TIMES)
    within = DEPOT_TIMES <= 28 * 24
    depot_auc = auc(DEPOT_TIMES[within], depot["naltrexone.plasma_concentration"][within])
    times = np.concatenate([[0.0], np.geomspace(1e-4, 120.0, 20000)])
    _, oral = _oral(times)
    oral_auc = 28 * auc(times, oral["naltrexone.plasma_concentration"])
    assert DEPOT_AUC_RATIO[0] <= depot_auc / oral_auc <= DEPOT_AUC_RATIO[1]


def test_depot_forms_less_naltrexol_relative_to_naltrexone_than_oral_dosing():
    # Dunbar 2006: no first pass after IM, so less 6beta-naltrexol per naltrexone.
    _, depot = _depot(DEPOT_TIMES)
    depot_ratio = auc(DEPOT_TIMES, depot["naltrexone.naltrexol_plasma_concentration"]) / auc(
        DEPOT_TIMES, depot["naltrexone.plasma_concentration"]
    )
    times = np.concatenate([[0.0], np.geomspace(1e-4, 240.0, 20000)])
    _, oral = _oral(times)
    oral_ratio = auc(times, oral["naltrexone.naltrexol_plasma_concentration"]) / auc(
        times, oral["naltrexone.plasma_concentration"]
    )
    assert depot_ratio < oral_ratio


def test_depot_plateaus_until_about_day_14():
    _, result = _depot(DEPOT_TIMES)
    plasma = result["naltrexone.plasma_concentration"]
    late = DEPOT_TIMES > 24.0
    _, second_peak = peak(DEPOT_TIMES[late], plasma[late])
    assert plasma[np.searchsorted(DEPOT_TIMES, 14 * 24.0)] >= 0.8 * second_peak


def test_depot_keeps_a_therapeutic_level_through_day_28():
    _, result = _depot(DEPOT_TIMES)
    plasma = nm_to_ng_per_ml(result["naltrexone.plasma_concentration"], "naltrexone")
    assert plasma[np.searchsorted(DEPOT_TIMES, 28 * 24.0)] >= THERAPEUTIC_NG_ML
