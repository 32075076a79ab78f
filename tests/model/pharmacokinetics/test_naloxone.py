"""Naloxone: analytic 2-compartment IV solution, label and Dowling anchors for IM and IN."""

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

#: IV label: serum t1/2 64 +- 12 min (mean +- SD).
IV_HALF_LIFE_MIN, IV_HALF_LIFE_SD_MIN = 64.0, 12.0
#: Dowling 2008: IM tmax 12 min. Its sampling grid was not seen; 2.5 min (half of a 5-min
#: early sampling interval) separates a model tmax from the reported one.
IM_TMAX_MIN, TMAX_TOL_MIN = 12.0, 2.5
#: Narcan label: tmax (2 mg) 0.33 h, range 0.25-1.0 h; apparent t1/2 2.08 h after 4 mg IN.
IN_TMAX_RANGE_H = (0.25, 1.0)
IN_HALF_LIFE_H, IN_HALF_LIFE_RTOL = 2.08, 0.25
#: Narcan label: 4 mg IN vs 0.4 mg IM relative bioavailability ~47% (dose-normalised). The
#: FDA fits themselves differ by 10% between IM sets (F 0.5704 vs 0.6349).
IN_VS_IM_RELATIVE_F, RELATIVE_F_RTOL = 0.47, 0.10


def _matrix(model):
    """(central, peripheral, effect site) after an IV bolus."""
    cl, q = p(model, "naloxone.clearance"), p(model, "naloxone.intercompartmental_clearance")
    v1, v2 = p(model, "naloxone.central_volume"), p(model, "naloxone.peripheral_volume")
    ke0 = p(model, "naloxone.effect_site_rate")
    return np.array(
        [
            [-(cl + q) / v1, q / v2, 0.0],
            [q / v1, -q / v2, 0.0],
            [ke0 / v1, 0.0, -ke0],
        ]
    ), v1


def test_iv_bolus_follows_the_analytic_biexponential_solution():
    times = np.linspace(0.0, 8.0, 161)
    model, result = simulate("naloxone", [Dose("iv", amount_nmol=1000.0)], times)
    matrix, volume = _matrix(model)
    x = linear_solution(matrix, np.array([1000.0, 0.0, 0.0]), times)
    np.testing.assert_allclose(
        result["naloxone.plasma_concentration"],
        x[0] / volume,
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM,
    )
    fu = p(model, "naloxone.plasma_unbound_fraction")
    np.testing.assert_allclose(
        result["naloxone.brain_concentration"],
        fu * x[2],
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM,
    )


def test_iv_half_life_is_within_the_label_spread():
    times = np.linspace(0.0, 6.0, 721)
    _, result = simulate("naloxone", [Dose("iv", amount_nmol=1000.0)], times)
    t_half = 60 * half_life(times, result["naloxone.plasma_concentration"], 1.0, 6.0)
    assert abs(t_half - IV_HALF_LIFE_MIN) <= IV_HALF_LIFE_SD_MIN


def test_im_injection_peaks_at_about_12_minutes():
    times = np.linspace(0.0, 2.0, 12001)
    _, result = simulate("naloxone", [Dose("im", amount_nmol=1000.0)], times)
    t_peak, _ = peak(times, result["naloxone.plasma_concentration"])
    assert 60 * t_peak == pytest.approx(IM_TMAX_MIN, abs=TMAX_TOL_MIN)


def test_effect_site_equilibrates_with_a_6_5_minute_half_life():
    model, _ = simulate("naloxone", [], np.array([0.0, 1.0]))
    assert np.log(2) / p(model, "naloxone.effect_site_rate") * 60 == pytest.approx(6.5, rel=0.01)


def test_nasal_to_im_exposure_matches_the_narcan_relative_bioavailability():
    times = np.concatenate([[0.0], np.geomspace(1e-5, 30.0, 20000)])
    _, nasal = simulate("naloxone", [Dose("intranasal", amount_nmol=1000.0)], times)
    _, im = simulate("naloxone", [Dose("im", amount_nmol=1000.0)], times)
    ratio = auc(times, nasal["naloxone.plasma_concentration"]) / auc(
        times, im["naloxone.plasma_concentration"]
    )
    assert ratio == pytest.approx(IN_VS_IM_RELATIVE_F, rel=RELATIVE_F_RTOL)


@pytest.mark.xfail(
    strict=True,
    reason="IN tmax 14.1 min (0.235 h), just before the label range 0.25-1.0 h: the FDA IN "
    "fit's chain on its own disposition. A slow parallel nasal pathway does not move it "
    "(0.245 h with half the dose on it); Laffont 2024's Narcan popPK absorption peaks at "
    "35-41 min but halves the FDA fit's Cmax on this disposition",
)
def test_nasal_spray_peaks_within_the_label_range():
    times = np.linspace(0.0, 3.0, 18001)
    _, result = simulate("naloxone", [Dose("intranasal", amount_nmol=1000.0)], times)
    t_peak, _ = peak(times, result["naloxone.plasma_concentration"])
    assert IN_TMAX_RANGE_H[0] <= t_peak <= IN_TMAX_RANGE_H[1]


@pytest.mark.xfail(
    strict=True,
    reason="apparent t1/2 after IN is 1.21 h (the IV disposition) vs the label's 2.08 h. A "
    "flip-flop slow nasal pathway (rate ln2/2.08 h) needs >= ~13% of the bioavailable dose to "
    "reach 1.56 h, lowering the FDA-fitted early exposure or pushing IN/IM AUC past 0.47+10%; "
    "no source fixes that fraction (Laffont 2024's popPK: IN terminal t1/2 0.7 h)",
)
def test_nasal_spray_apparent_half_life_matches_the_label():
    times = np.linspace(0.0, 10.0, 1001)
    _, result = simulate("naloxone", [Dose("intranasal", amount_nmol=1000.0)], times)
    t_half = half_life(times, result["naloxone.plasma_concentration"], 3.0, 10.0)
    assert t_half == pytest.approx(IN_HALF_LIFE_H, rel=IN_HALF_LIFE_RTOL)
