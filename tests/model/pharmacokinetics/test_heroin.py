"""Heroin -> 6-MAM -> morphine: analytic chain, Inturrisi 1984 and Rook 2006 anchors."""

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

#: Inturrisi 1984: heroin t1/2 3.0 +- 1.3 min (IV); Rook 2006's terminal 7.6 min is the
#: upper end of the 3-8 min range in the brief.
HEROIN_HALF_LIFE_MIN, HEROIN_HALF_LIFE_SD_MIN = 3.0, 1.3
#: Rook 2006: 6-MAM t1/2 21.8 min; 13% shorter in cocaine users, taken as the spread.
MONOACETYLMORPHINE_HALF_LIFE_MIN, MONOACETYLMORPHINE_RTOL = 21.8, 0.13
#: Rook 2006: inhaled bioavailability 0.53 (95% CI 0.437-0.623).
INHALED_F_CI = (0.437, 0.623)


def _matrix(model):
    """(heroin, 6-MAM, morphine central, morphine peripheral) amounts after an IV heroin
    bolus (human morphine has two compartments)."""
    k_heroin = p(model, "heroin.clearance") / p(model, "heroin.volume")
    k_mam = p(model, "heroin.monoacetylmorphine_clearance") / p(
        model, "heroin.monoacetylmorphine_volume"
    )
    clearance, exchange = (
        p(model, "morphine.clearance"),
        p(model, "morphine.intercompartmental_clearance"),
    )
    v1, v2 = p(model, "morphine.central_volume"), p(model, "morphine.peripheral_volume")
    f_mam = p(model, "heroin.monoacetylmorphine_formation_fraction")
    f_morphine = p(model, "heroin.morphine_formation_fraction")
    return np.array(
        [
            [-k_heroin, 0.0, 0.0, 0.0],
            [f_mam * k_heroin, -k_mam, 0.0, 0.0],
            [0.0, f_morphine * k_mam, -(clearance + exchange) / v1, exchange / v2],
            [0.0, 0.0, exchange / v1, -exchange / v2],
        ]
    )


def test_iv_bolus_follows_the_analytic_solution_of_the_chain():
    times = np.linspace(0.0, 12.0, 121)
    model, result = simulate("heroin", [Dose("iv", amount_nmol=1000.0)], times)
    amounts = linear_solution(_matrix(model), np.array([1000.0, 0.0, 0.0, 0.0]), times)[:3]
    volumes = [
        p(model, "heroin.volume"),
        p(model, "heroin.monoacetylmorphine_volume"),
        p(model, "morphine.central_volume"),
    ]
    names = [
        "heroin.plasma_concentration",
        "heroin.monoacetylmorphine_plasma_concentration",
        "morphine.plasma_concentration",
    ]
    for amount, volume, name in zip(amounts, volumes, names, strict=True):
        np.testing.assert_allclose(
            result[name], amount / volume, rtol=ANALYTIC_RTOL, atol=ANALYTIC_ATOL_NM, err_msg=name
        )


def test_heroin_half_life_is_within_the_spread_of_inturrisi_1984():
    times = np.linspace(0.0, 0.5, 601)
    _, result = simulate("heroin", [Dose("iv", amount_nmol=1000.0)], times)
    t_half = 60 * half_life(times, result["heroin.plasma_concentration"], 0.02, 0.3)
    assert abs(t_half - HEROIN_HALF_LIFE_MIN) <= HEROIN_HALF_LIFE_SD_MIN


def test_monoacetylmorphine_declines_with_rook_2006_half_life():
    times = np.linspace(0.0, 4.0, 481)
    _, result = simulate("heroin", [Dose("iv", amount_nmol=1000.0)], times)
    t_half = 60 * half_life(
        times, result["heroin.monoacetylmorphine_plasma_concentration"], 1.0, 4.0
    )
    assert t_half == pytest.approx(MONOACETYLMORPHINE_HALF_LIFE_MIN, rel=MONOACETYLMORPHINE_RTOL)


def test_monoacetylmorphine_peaks_within_minutes_and_before_morphine():
    times = np.linspace(0.0, 4.0, 4801)
    _, result = simulate("heroin", [Dose("iv", amount_nmol=1000.0)], times)
    t_mam, _ = peak(times, result["heroin.monoacetylmorphine_plasma_concentration"])
    t_morphine, _ = peak(times, result["morphine.plasma_concentration"])
    assert t_mam < 0.25 < t_morphine


def test_all_monoacetylmorphine_formed_becomes_morphine():
    # Morphine AUC x morphine CL = morphine formed = 0.95 (heroin -> 6-MAM) x 1 x dose.
    times = np.concatenate([[0.0], np.geomspace(1e-5, 40.0, 20000)])
    model, result = simulate("heroin", [Dose("iv", amount_nmol=1000.0)], times)
    formed = auc(times, result["morphine.plasma_concentration"]) * p(model, "morphine.clearance")
    expected = (
        1000.0
        * p(model, "heroin.monoacetylmorphine_formation_fraction")
        * p(model, "heroin.morphine_formation_fraction")
    )
    assert formed == pytest.approx(expected, rel=2e-3)
    assert auc(times, result["heroin.morphine_formation_rate"]) == pytest.approx(
        expected, rel=2e-3
    )


def test_smoked_heroin_reaches_the_blood_with_rook_2006_bioavailability():
    times = np.concatenate([[0.0], np.geomspace(1e-6, 3.0, 20000)])
    _, smoked = simulate("heroin", [Dose("smoked", amount_nmol=1000.0)], times)
    _, iv = simulate("heroin", [Dose("iv", amount_nmol=1000.0)], times)
    ratio = auc(times, smoked["heroin.plasma_concentration"]) / auc(
        times, iv["heroin.plasma_concentration"]
    )
    assert INHALED_F_CI[0] <= ratio <= INHALED_F_CI[1]
    assert ratio == pytest.approx(0.53, rel=2e-3)


def test_brain_heroin_and_monoacetylmorphine_lag_plasma_by_minutes():
    times = np.linspace(0.0, 1.0, 6001)
    _, result = simulate("heroin", [Dose("iv", amount_nmol=1000.0)], times)
    t_brain_heroin, _ = peak(times, result["heroin.brain_concentration"])
    t_brain_mam, _ = peak(times, result["heroin.monoacetylmorphine_brain_concentration"])
    t_plasma_mam, _ = peak(times, result["heroin.monoacetylmorphine_plasma_concentration"])
    assert 0.0 < t_brain_heroin < 5 / 60
    assert t_plasma_mam < t_brain_mam < t_plasma_mam + 15 / 60
