"""Oxycodone: analytic oral solution, label anchors (IR), the ER fast/slow split."""

from __future__ import annotations

import numpy as np
import pytest

from model.pharmacokinetics.pk_testing import (
    ANALYTIC_ATOL_NM,
    ANALYTIC_RTOL,
    Dose,
    auc,
    dose_nmol,
    fraction_value,
    half_life,
    linear_solution,
    nm_to_ng_per_ml,
    p,
    peak,
    simulate,
)
from opioidsim.model.default import build_model

#: Label (oxycodone HCl tablets, 12.3 Table 2, single dose), 15 mg tablet: tmax 1.4 +- 0.7 h,
#: Cmax 22.6 +- 7.6 ng/mL, t1/2 3.55 +- 1.0 h (AUC 128.2 +- 35.1 ng.h/mL).
IR_TMAX_H, IR_TMAX_SD_H = 1.4, 0.7
IR_CMAX_NG_ML = 22.6
#: +-25% is used for Cmax (tighter than the label's SD of 7.6 ng/mL, 34%).
IR_CMAX_RTOL = 0.25
HALF_LIFE_H, HALF_LIFE_SD_H = 3.55, 1.0


def _ir_dose(model):
    return dose_nmol(model, "oxycodone", "oral_ir", 15.0)  # 15 mg oxycodone HCl


def test_oral_ir_follows_the_analytic_bateman_solution():
    times = np.linspace(0.0, 24.0, 97)
    model = build_model(["oxycodone"])
    amount = _ir_dose(model)
    _, result = simulate("oxycodone", [Dose("oral_ir", amount_nmol=amount)], times, model=model)
    ka = p(model, "oxycodone.oral_absorption_rate")
    k = p(model, "oxycodone.clearance") / p(model, "oxycodone.volume")
    ke0 = p(model, "oxycodone.effect_site_rate")
    volume = p(model, "oxycodone.volume")
    matrix = np.array([[-ka, 0.0, 0.0], [ka, -k, 0.0], [0.0, ke0 / volume, -ke0]])
    f = p(model, "oxycodone.oral_bioavailability")
    x = linear_solution(matrix, np.array([f * amount, 0.0, 0.0]), times)
    np.testing.assert_allclose(
        result["oxycodone.plasma_concentration"],
        x[1] / volume,
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM,
    )
    scale = p(model, "oxycodone.plasma_unbound_fraction") * p(
        model, "oxycodone.brain_unbound_partition"
    )
    np.testing.assert_allclose(
        result["oxycodone.brain_concentration"],
        scale * x[2],
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM,
    )


def test_ir_tmax_and_half_life_are_within_the_label_spread():
    times = np.linspace(0.0, 30.0, 18001)
    model = build_model(["oxycodone"])
    _, result = simulate(
        "oxycodone", [Dose("oral_ir", amount_nmol=_ir_dose(model))], times, model=model
    )
    plasma = result["oxycodone.plasma_concentration"]
    t_peak, _ = peak(times, plasma)
    assert abs(t_peak - IR_TMAX_H) <= IR_TMAX_SD_H
    assert abs(half_life(times, plasma, 10.0, 30.0) - HALF_LIFE_H) <= HALF_LIFE_SD_H


def test_ir_cmax_matches_the_label():
    times = np.linspace(0.0, 8.0, 4801)
    model = build_model(["oxycodone"])
    _, result = simulate(
        "oxycodone", [Dose("oral_ir", amount_nmol=_ir_dose(model))], times, model=model
    )
    _, c_peak = peak(times, result["oxycodone.plasma_concentration"])
    assert nm_to_ng_per_ml(c_peak, "oxycodone") == pytest.approx(IR_CMAX_NG_ML, rel=IR_CMAX_RTOL)


def test_er_tablet_splits_into_38_percent_fast_and_62_percent_slow():
    model = build_model(["oxycodone"])
    targets = {
        model.state_names[t.state_index]: fraction_value(model, t)
        for t in model.routes[("oxycodone", "oral_er")]
    }
    f = p(model, "oxycodone.oral_bioavailability")
    assert targets["oxycodone.fast_release_amount"] == pytest.approx(0.38 * f)
    assert targets["oxycodone.slow_release_amount"] == pytest.approx(0.62 * f)


def test_er_tablet_gives_the_same_exposure_later_and_flatter_than_ir():
    times = np.concatenate([[0.0], np.geomspace(1e-4, 80.0, 20000)])
    _, ir = simulate("oxycodone", [Dose("oral_ir", amount_nmol=1000.0)], times)
    _, er = simulate("oxycodone", [Dose("oral_er", amount_nmol=1000.0)], times)
    c_ir, c_er = ir["oxycodone.plasma_concentration"], er["oxycodone.plasma_concentration"]
    assert auc(times, c_er) == pytest.approx(auc(times, c_ir), rel=2e-3)
    t_ir, peak_ir = peak(times, c_ir)
    t_er, peak_er = peak(times, c_er)
    assert t_er > t_ir
    assert peak_er < peak_ir
    at_12h = np.searchsorted(times, 12.0)
    assert c_er[at_12h] > c_ir[at_12h]


def test_er_slow_part_is_absorbed_with_a_6_2_hour_half_life():
    # Late after an ER dose the slow depot dominates: its amount halves every 6.2 h.
    times = np.linspace(0.0, 48.0, 481)
    _, result = simulate("oxycodone", [Dose("oral_er", amount_nmol=1000.0)], times)
    assert half_life(times, result["oxycodone.slow_release_amount"], 0.0, 48.0) == (
        pytest.approx(6.2, rel=1e-3)
    )
    assert half_life(times, result["oxycodone.fast_release_amount"], 0.0, 8.0) == (
        pytest.approx(37 / 60, rel=1e-3)
    )
