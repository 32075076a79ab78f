"""Morphine: analytic IV solution, published anchors (Stuart-Harris 2000, Hoskin 1989), rat."""

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

#: Stuart-Harris 2000 Table 1: t1/2 2.2 +- 1.0 h (mean +- SD) after 10 mg/70 kg IV.
HALF_LIFE_H, HALF_LIFE_SD_H = 2.2, 1.0
#: Hoskin 1989: oral solution tmax 0.75 h. The derivation of the absorption rate rounds ka to
#: 3 significant figures; 0.05 h (3 min) is below any sampling interval used.
ORAL_TMAX_H, ORAL_TMAX_TOL_H = 0.75, 0.05
#: Stuart-Harris 2000: s.c. bolus tmax 0.25 h (range 0.17-0.25 h).
SC_TMAX_RANGE_H = (0.17, 0.25)
#: Stuart-Harris 2000 Table 1: i.v. Cmax 283 +- 74 nM at the first sample (tmax 0.08 h, all
#: subjects), standardized to 10 mg (morphine sulphate) per 70 kg.
IV_CMAX_NM, IV_CMAX_SD_NM, IV_FIRST_SAMPLE_H = 283.0, 74.0, 0.08
#: 10 mg morphine sulphate pentahydrate, (C17H19NO3)2.H2SO4.5H2O, 758.8 g/mol: 2 x 13.18
#: umol of morphine.
TEN_MG_SULPHATE_NMOL = 2 * 10.0 / 758.8 * 1e6
#: Rat serum t1/2 ~40 min after 5 mg/kg s.c. (JPET 1975): "about", so +-10%.
RAT_HALF_LIFE_H, RAT_HALF_LIFE_RTOL = 40 / 60, 0.10
#: Rat: serum tmax < 0.5 h after s.c.
RAT_SC_TMAX_MAX_H = 0.5


def _matrix(model):
    # x = (central_amount, peripheral_amount, effect_site_concentration); d/dt x = A x after
    # an IV bolus: two-compartment disposition with the effect site fed by plasma.
    clearance, volume = p(model, "morphine.clearance"), p(model, "morphine.central_volume")
    q = p(model, "morphine.intercompartmental_clearance")
    peripheral_volume = p(model, "morphine.peripheral_volume")
    ke0 = p(model, "morphine.effect_site_rate")
    matrix = np.array(
        [
            [-(clearance + q) / volume, q / peripheral_volume, 0.0],
            [q / volume, -q / peripheral_volume, 0.0],
            [ke0 / volume, 0.0, -ke0],
        ]
    )
    return matrix, volume


def test_iv_bolus_follows_the_analytic_solution_of_the_equations():
    times = np.linspace(0.0, 24.0, 97)
    model, result = simulate("morphine", [Dose("iv", amount_nmol=1000.0)], times)
    matrix, volume = _matrix(model)
    expected = linear_solution(matrix, np.array([1000.0, 0.0, 0.0]), times)
    np.testing.assert_allclose(
        result["morphine.plasma_concentration"],
        expected[0] / volume,
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM,
    )
    np.testing.assert_allclose(
        result["morphine.peripheral_amount"], expected[1], rtol=ANALYTIC_RTOL, atol=1e-7
    )
    unbound_brain = (
        p(model, "morphine.plasma_unbound_fraction")
        * p(model, "morphine.brain_unbound_partition")
        * expected[2]
    )
    np.testing.assert_allclose(
        result["morphine.brain_concentration"],
        unbound_brain,
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM,
    )


def test_iv_half_life_is_within_the_spread_of_stuart_harris_2000():
    times = np.linspace(0.0, 24.0, 241)
    _, result = simulate("morphine", [Dose("iv", amount_nmol=1000.0)], times)
    t_half = half_life(times, result["morphine.plasma_concentration"], 2.0, 24.0)
    assert abs(t_half - HALF_LIFE_H) <= HALF_LIFE_SD_H


def test_oral_solution_peaks_at_45_minutes_like_hoskin_1989():
    times = np.linspace(0.0, 6.0, 3601)
    _, result = simulate("morphine", [Dose("oral", amount_nmol=1000.0)], times)
    t_peak, _ = peak(times, result["morphine.plasma_concentration"])
    assert t_peak == pytest.approx(ORAL_TMAX_H, abs=ORAL_TMAX_TOL_H)


def test_oral_exposure_is_23_percent_of_iv():
    times = np.concatenate([[0.0], np.geomspace(1e-4, 40.0, 20000)])
    model, oral = simulate("morphine", [Dose("oral", amount_nmol=1000.0)], times)
    _, iv = simulate("morphine", [Dose("iv", amount_nmol=1000.0)], times)
    ratio = auc(times, oral["morphine.plasma_concentration"]) / auc(
        times, iv["morphine.plasma_concentration"]
    )
    assert ratio == pytest.approx(p(model, "morphine.oral_bioavailability"), rel=2e-3)
    assert p(model, "morphine.oral_bioavailability") == pytest.approx(0.23)


def test_brain_lags_plasma_by_hours_after_iv():
    # Dahan 2004: t1/2ke0 4.4 h, so the biophase peaks hours after an IV bolus.
    times = np.linspace(0.0, 24.0, 2401)
    _, result = simulate("morphine", [Dose("iv", amount_nmol=1000.0)], times)
    t_peak, _ = peak(times, result["morphine.brain_concentration"])
    assert 2.0 < t_peak < 6.0


def test_iv_concentration_at_the_first_sample_is_within_the_stuart_harris_spread():
    # The early distribution phase: the one-compartment model (V 276 L) gave 93 nM here.
    times = np.array([0.0, IV_FIRST_SAMPLE_H])
    _, result = simulate("morphine", [Dose("iv", amount_nmol=TEN_MG_SULPHATE_NMOL)], times)
    assert abs(result["morphine.plasma_concentration"][-1] - IV_CMAX_NM) <= IV_CMAX_SD_NM


def test_subcutaneous_bolus_peaks_within_the_stuart_harris_range():
    times = np.linspace(0.0, 3.0, 3601)
    _, result = simulate("morphine", [Dose("sc", amount_nmol=1000.0)], times)
    t_peak, _ = peak(times, result["morphine.plasma_concentration"])
    assert SC_TMAX_RANGE_H[0] <= t_peak <= SC_TMAX_RANGE_H[1]


def test_rat_serum_half_life_is_40_minutes_after_subcutaneous_dose():
    times = np.linspace(0.0, 6.0, 721)
    _, result = simulate("morphine", [Dose("sc", amount_nmol=1000.0)], times, species="rat")
    plasma = result["morphine.plasma_concentration"]
    assert half_life(times, plasma, 1.5, 6.0) == pytest.approx(
        RAT_HALF_LIFE_H, rel=RAT_HALF_LIFE_RTOL
    )
    t_peak, _ = peak(times, plasma)
    assert t_peak < RAT_SC_TMAX_MAX_H
