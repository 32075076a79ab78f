"""Oxytocin: analytic IV solution (de Groot 1995), intranasal plasma and CSF (Striepens 2013)."""

from __future__ import annotations

import numpy as np
import pytest

from model.pharmacokinetics.pk_testing import (
    ANALYTIC_ATOL_NM,
    ANALYTIC_RTOL,
    Dose,
    linear_solution,
    p,
    peak,
    simulate,
)
from opioidsim.model.default import build_model
from opioidsim.units import Q_

#: de Groot 1995: IV t1/2 0.33 +- 0.23 h.
IV_HALF_LIFE_H, IV_HALF_LIFE_SD_H = 0.33, 0.23
#: Striepens 2013, 24 IU IN: plasma peak at 15 min. Its sampling grid was not seen; +-7.5 min
#: is half of a 15-min step.
PLASMA_TMAX_MIN, SAMPLE_TOL_MIN = 15.0, 7.5
#: CSF rose significantly only at 75 min (CSF sampled up to 75 min).
CSF_SIGNIFICANT_MIN = 75.0
#: Gossen 2012, 26 IU: plasma back to baseline by 150 min in every subject; "back" is taken as
#: below 5% of the dosed peak.
BASELINE_BY_MIN, BASELINE_FRACTION = 150.0, 0.05


def _in_24_iu(times, model=None):
    model = model or build_model(["oxytocin"])
    record = model.parameter_records[model.parameter_index("oxytocin.mass_per_international_unit")]
    mass = Q_(24.0, "IU") * Q_(record.value, record.unit)
    molar = model.parameter_records[model.parameter_index("oxytocin.molar_mass")]
    amount = (mass / Q_(molar.value, molar.unit)).to("nmol").magnitude
    return simulate("oxytocin", [Dose("intranasal", amount_nmol=amount)], times, model=model)


def test_24_iu_are_40_micrograms_or_39_7_nmol():
    model = build_model(["oxytocin"])
    record = model.parameter_records[model.parameter_index("oxytocin.mass_per_international_unit")]
    mass = (Q_(24.0, "IU") * Q_(record.value, record.unit)).to("ug")
    assert mass.magnitude == pytest.approx(40.0, rel=1e-3)
    assert (mass / Q_(1007.19, "g/mol")).to("nmol").magnitude == pytest.approx(39.7, rel=2e-3)


def test_iv_bolus_follows_the_analytic_monoexponential_solution():
    times = np.linspace(0.0, 3.0, 61)
    model, result = simulate("oxytocin", [Dose("iv", amount_nmol=10.0)], times)
    k = p(model, "oxytocin.clearance") / p(model, "oxytocin.volume")
    expected = 10.0 / p(model, "oxytocin.volume") * np.exp(-k * times)
    np.testing.assert_allclose(
        result["oxytocin.plasma_concentration"],
        expected,
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM,
    )
    assert abs(np.log(2) / k - IV_HALF_LIFE_H) <= IV_HALF_LIFE_SD_H


def test_intranasal_dose_follows_the_analytic_solution_of_both_paths():
    times = np.linspace(0.0, 6.0, 121)
    model, result = simulate("oxytocin", [Dose("intranasal", amount_nmol=40.0)], times)
    ka, k = (
        p(model, "oxytocin.nasal_absorption_rate"),
        p(model, "oxytocin.clearance") / p(model, "oxytocin.volume"),
    )
    kb, kc = p(model, "oxytocin.nose_to_brain_rate"), p(model, "oxytocin.csf_elimination_rate")
    matrix = np.array([[-ka, 0, 0, 0], [ka, -k, 0, 0], [0, 0, -kb, 0], [0, 0, kb, -kc]])
    x0 = np.array(
        [
            40.0 * p(model, "oxytocin.nasal_bioavailability"),
            0.0,
            40.0 * p(model, "oxytocin.nose_to_brain_fraction"),
            0.0,
        ]
    )
    x = linear_solution(matrix, x0, times)
    np.testing.assert_allclose(
        result["oxytocin.plasma_concentration"],
        x[1] / p(model, "oxytocin.volume"),
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM * 1e-3,
    )
    np.testing.assert_allclose(
        result["oxytocin.brain_concentration"],
        x[3] / p(model, "oxytocin.csf_volume"),
        rtol=ANALYTIC_RTOL,
        atol=ANALYTIC_ATOL_NM * 1e-3,
    )


def test_intranasal_plasma_peaks_at_15_minutes_and_returns_to_baseline_by_150():
    times = np.linspace(0.0, 4.0, 4801)
    _, result = _in_24_iu(times)
    plasma = result["oxytocin.plasma_concentration"]
    t_peak, c_peak = peak(times, plasma)
    assert 60 * t_peak == pytest.approx(PLASMA_TMAX_MIN, abs=SAMPLE_TOL_MIN)
    assert plasma[np.searchsorted(times, BASELINE_BY_MIN / 60)] < BASELINE_FRACTION * c_peak


def test_csf_rises_later_than_plasma_and_is_highest_at_75_minutes_of_the_sampled_times():
    times = np.linspace(0.0, 4.0, 4801)
    _, result = _in_24_iu(times)
    csf = result["oxytocin.brain_concentration"]
    t_plasma, _ = peak(times, result["oxytocin.plasma_concentration"])
    t_csf, _ = peak(times, csf)
    assert t_csf > t_plasma
    assert 60 * t_csf == pytest.approx(CSF_SIGNIFICANT_MIN, abs=SAMPLE_TOL_MIN)
    at = {minute: csf[np.searchsorted(times, minute / 60)] for minute in (15, 30, 45, 75)}
    assert at[15] < at[30] < at[45] < at[75]


def test_iv_oxytocin_does_not_reach_the_csf():
    times = np.linspace(0.0, 3.0, 31)
    _, result = simulate("oxytocin", [Dose("iv", amount_nmol=40.0)], times)
    assert np.all(result["oxytocin.brain_concentration"] == 0.0)


# -- rodent tables and routes (issue 14) -----------------------------------------------------

#: PMID 19183510, IV <= 500 ng/kg: CL 0.0624 L/min/kg, Vc 0.79 L/kg (one compartment).
RAT_CL_L_PER_MIN_KG, RAT_VC_L_PER_KG = 0.0624, 0.79
#: Mens 1983: 0.002 % of a peripheral dose in the CSF at its peak; CSF t1/2 19 min.
CSF_FRACTION, CSF_HALF_LIFE_MIN = 2e-5, 19.0


def test_rat_iv_bolus_follows_the_clearance_and_volume_of_the_rat_study():
    times = np.linspace(0.0, 1.0, 61)
    _, result = simulate("oxytocin", [Dose("iv", amount_nmol=1.0)], times, species="rat")
    volume = RAT_VC_L_PER_KG * 0.25
    k = RAT_CL_L_PER_MIN_KG * 60 / RAT_VC_L_PER_KG
    np.testing.assert_allclose(
        result["oxytocin.plasma_concentration"],
        1.0 / volume * np.exp(-k * times),
        rtol=1e-3,
        atol=ANALYTIC_ATOL_NM,
    )


@pytest.mark.parametrize("route", ["iv", "sc"])
def test_rat_peripheral_dose_puts_0_002_percent_in_the_csf(route):
    times = np.linspace(0.0, 3.0, 1801)
    model, result = simulate("oxytocin", [Dose(route, amount_nmol=5.0)], times, species="rat")
    csf_amount = result["oxytocin.brain_concentration"] * p(model, "oxytocin.csf_volume")
    fraction = csf_amount.max() / 5.0
    # IV gives the fraction it was derived from; s.c. spreads the input and lowers it a little.
    assert fraction == pytest.approx(CSF_FRACTION, rel=0.02 if route == "iv" else 0.4)


def test_rat_icv_dose_leaves_the_csf_with_a_19_minute_half_life():
    times = np.linspace(0.0, 2.0, 241)
    _, result = simulate("oxytocin", [Dose("icv", amount_nmol=1.0)], times, species="rat")
    csf = result["oxytocin.brain_concentration"]
    half = np.log(2) / np.polyfit(times[60:], -np.log(csf[60:]), 1)[0]
    assert half * 60 == pytest.approx(CSF_HALF_LIFE_MIN, rel=0.01)


@pytest.mark.parametrize("route", ["sc", "ip"])
def test_rodent_sc_and_ip_doses_are_absorbed_completely(route):
    times = np.linspace(0.0, 4.0, 2401)
    model, result = simulate("oxytocin", [Dose(route, amount_nmol=2.0)], times, species="mouse")
    auc = np.trapezoid(result["oxytocin.plasma_concentration"], times)
    assert auc * p(model, "oxytocin.clearance") == pytest.approx(2.0, rel=0.01)
