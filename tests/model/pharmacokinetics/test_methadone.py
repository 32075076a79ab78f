"""Methadone: analytic IV and oral solutions; Dale 2004 and Swiss-label anchors."""

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

#: Dale 2004 (7 healthy subjects, 10 mg oral): tmax 2.8 h, 95 % CI 1.6-4.0 h.
TMAX_H, TMAX_CI_H = 2.8, (1.6, 4.0)
#: Swiss label: chronic t1/2 25 (13-47) h.
HALF_LIFE_RANGE_H = (13.0, 47.0)
#: Dale 2004: oral bioavailability 0.86, 95 % CI 0.75-0.97.
ORAL_F, ORAL_F_CI = 0.86, (0.75, 0.97)


def _matrix(model):
    ka = p(model, "methadone.oral_absorption_rate")
    k = p(model, "methadone.clearance") / p(model, "methadone.volume")
    ke0, volume = p(model, "methadone.effect_site_rate"), p(model, "methadone.volume")
    return np.array([[-ka, 0.0, 0.0], [ka, -k, 0.0], [0.0, ke0 / volume, -ke0]]), volume


@pytest.mark.parametrize("route", ["iv", "oral"])
def test_dose_follows_the_analytic_solution(route):
    times = np.linspace(0.0, 96.0, 97)
    model, result = simulate("methadone", [Dose(route, amount_nmol=1000.0)], times)
    matrix, volume = _matrix(model)
    f = p(model, "methadone.oral_bioavailability")
    x0 = np.array([f * 1000.0, 0.0, 0.0]) if route == "oral" else np.array([0.0, 1000.0, 0.0])
    x = linear_solution(matrix, x0, times)
    np.testing.assert_allclose(
        result["methadone.plasma_concentration"],
        x[1] / volume,
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM,
    )
    fu = p(model, "methadone.plasma_unbound_fraction")
    np.testing.assert_allclose(
        result["methadone.brain_concentration"],
        fu * x[2],
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM,
    )


def test_oral_dose_peaks_within_dale_2004_and_declines_with_a_25_hour_half_life():
    times = np.linspace(0.0, 200.0, 20001)
    _, result = simulate("methadone", [Dose("oral", amount_nmol=1000.0)], times)
    plasma = result["methadone.plasma_concentration"]
    t_peak, _ = peak(times, plasma)
    assert TMAX_CI_H[0] <= t_peak <= TMAX_CI_H[1]
    assert t_peak == pytest.approx(TMAX_H, abs=0.05)
    t_half = half_life(times, plasma, 48.0, 200.0)
    assert HALF_LIFE_RANGE_H[0] <= t_half <= HALF_LIFE_RANGE_H[1]


def test_oral_exposure_relative_to_iv_is_the_reported_bioavailability():
    times = np.concatenate([[0.0], np.geomspace(1e-4, 400.0, 20000)])
    _, oral = simulate("methadone", [Dose("oral", amount_nmol=1000.0)], times)
    _, iv = simulate("methadone", [Dose("iv", amount_nmol=1000.0)], times)
    ratio = auc(times, oral["methadone.plasma_concentration"]) / auc(
        times, iv["methadone.plasma_concentration"]
    )
    assert ORAL_F_CI[0] <= ratio <= ORAL_F_CI[1]
    assert ratio == pytest.approx(ORAL_F, rel=2e-3)


def test_daily_dosing_accumulates_about_twofold_by_steady_state():
    # With t1/2 25 h and tau 24 h the accumulation ratio is 1/(1 - 2**(-24/25)) = 2.06.
    times = np.linspace(0.0, 24.0 * 15, 24 * 15 * 4 + 1)
    doses = [Dose("oral", amount_nmol=1000.0, start_h=24.0 * d) for d in range(15)]
    _, result = simulate("methadone", doses, times)
    plasma = result["methadone.plasma_concentration"]
    trough_1 = plasma[np.searchsorted(times, 24.0) - 1]
    trough_15 = plasma[-1]
    assert trough_15 / trough_1 == pytest.approx(1 / (1 - 2 ** (-24 / 25)), rel=0.05)
