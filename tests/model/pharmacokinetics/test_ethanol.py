"""Ethanol: the Michaelis-Menten solution, Widmark volumes by sex, doses in grams, the
evoked beta-endorphin and its block at mu."""

from __future__ import annotations

import numpy as np
import pytest

from model.pharmacokinetics.pk_testing import ANALYTIC_RTOL, Dose, p, simulate
from opioidsim.errors import ConfigError
from opioidsim.io.config import load_scenario
from opioidsim.model.default import build_model
from opioidsim.simulation import simulate as simulate_scenario
from opioidsim.units import Q_

MOLAR_MASS = Q_(46.07, "g/mol")
#: Wilkinson 1976 (one-compartment Michaelis-Menten fit): Vm 0.232 g/L/h, Km 0.0821 g/L.
WILKINSON_VM_G_PER_L_H = 0.232
WILKINSON_KM_G_PER_L = 0.0821
#: Widmark factors (Forensic Sci Int 2005): men 0.68, women 0.59 L/kg.
MALE_R, FEMALE_R = 0.68, 0.59
#: The implicit Michaelis-Menten solution is compared where the solver's relative tolerance
#: (1e-8) and the output grid leave this much error in the recovered time.
IMPLICIT_TIME_ATOL_H = 1e-5


def _nmol(grams: float) -> float:
    return float(Q_(grams, "g").to("nmol", "chemistry", mw=MOLAR_MASS).magnitude)


def _g_per_l(nm):
    return Q_(np.asarray(nm), "nM").to("g/L", "chemistry", mw=MOLAR_MASS).magnitude


def test_the_table_holds_wilkinsons_constants_in_canonical_units():
    model = build_model(["ethanol"])
    vm = Q_(p(model, "ethanol.maximal_elimination_rate"), "kg/L/h").to("g/L/h").magnitude
    km = Q_(p(model, "ethanol.michaelis_constant"), "kg/L").to("g/L").magnitude
    assert vm == pytest.approx(WILKINSON_VM_G_PER_L_H)
    assert km == pytest.approx(WILKINSON_KM_G_PER_L)


@pytest.mark.parametrize("grams", [35.0, 0.5], ids=["saturated-0.5g/kg", "near-linear"])
def test_an_iv_bolus_follows_the_implicit_michaelis_menten_solution(grams):
    # dC/dt = -Vm C / (Km + C)  =>  Vm t = Km ln(C0 / C) + (C0 - C), at any dose.
    times = np.linspace(0.0, 4.0, 401)
    _, result = simulate("ethanol", [Dose("iv", amount_nmol=_nmol(grams))], times)
    c = _g_per_l(result["ethanol.blood_concentration"])
    c0 = grams / (MALE_R * 70.0)
    assert c[0] == pytest.approx(c0, rel=ANALYTIC_RTOL)
    keep = c > 1e-4 * c0
    expected_t = (
        WILKINSON_KM_G_PER_L * np.log(c0 / c[keep]) + (c0 - c[keep])
    ) / WILKINSON_VM_G_PER_L_H
    np.testing.assert_allclose(times[keep], expected_t, atol=IMPLICIT_TIME_ATOL_H)


def test_above_the_km_the_decline_is_nearly_zero_order_at_vm():
    times = np.linspace(0.0, 3.0, 301)
    _, result = simulate("ethanol", [Dose("iv", amount_nmol=_nmol(0.8 * 47.6))], times)
    c = _g_per_l(result["ethanol.blood_concentration"])
    window = c > 0.4
    slope = -np.polyfit(times[window], c[window], 1)[0]
    # At C >= 0.4 g/L the rate is Vm C/(Km + C) = 0.83-0.91 x Vm.
    assert 0.83 * WILKINSON_VM_G_PER_L_H < slope < 0.91 * WILKINSON_VM_G_PER_L_H


def test_an_oral_dose_leaves_the_gut_first_order_with_its_bioavailability():
    times = np.linspace(0.0, 2.0, 121)
    model, result = simulate("ethanol", [Dose("oral", amount_nmol=_nmol(48.0))], times)
    ka = p(model, "ethanol.oral_absorption_rate")
    f = p(model, "ethanol.oral_bioavailability")
    np.testing.assert_allclose(
        result["ethanol.gut_amount"], f * _nmol(48.0) * np.exp(-ka * times), rtol=1e-6
    )


def _session(sex: str, grams: str = "0.5 g/kg", route: str = "iv") -> object:
    return simulate_scenario(
        {
            "name": f"ethanol-{sex}",
            "subject": {"species": "human", "sex": sex, "body_weight": "70 kg"},
            "duration": "4 h",
            "output_interval": "2 min",
            "doses": [{"drug": "ethanol", "amount": grams, "route": route, "time": "0 h"}],
        }
    )


def test_a_woman_has_the_smaller_widmark_volume_and_the_same_decline_per_litre():
    man, woman = _session("male"), _session("female")
    c_man = _g_per_l(man["ethanol.blood_concentration"])
    c_woman = _g_per_l(woman["ethanol.blood_concentration"])
    # The same dose in a smaller volume: C0 in proportion to 1/r.
    assert c_woman[0] / c_man[0] == pytest.approx(MALE_R / FEMALE_R, rel=1e-6)
    # At the reference weight the decline per litre (Vm) is the same in both sexes: the
    # concentration course is the man's shifted in time.
    level = 0.3
    t_man = np.interp(-level, -c_man, man.time)
    t_woman = np.interp(-level, -c_woman, woman.time)
    expected_shift = (
        c_woman[0] - c_man[0] + WILKINSON_KM_G_PER_L * np.log(c_woman[0] / c_man[0])
    ) / WILKINSON_VM_G_PER_L_H
    assert t_woman - t_man == pytest.approx(expected_shift, abs=2e-3)


def test_a_population_draws_the_sex_into_the_widmark_factor():
    from opioidsim.population.sampling import FEMALE_PARAMETER

    model = build_model(["ethanol"])
    assert model.parameter(FEMALE_PARAMETER) == 0.0
    assert model.connections["ethanol.female"] == "subject.female"


@pytest.mark.parametrize(
    ("amount", "grams"), [("0.68 g/kg", 0.68 * 70.0), ("48 g", 48.0), ("1.5 mol", 1.5 * 46.07)]
)
def test_ethanol_doses_in_grams_reach_the_model_as_moles(amount, grams):
    scenario = load_scenario(
        {
            "name": "grams",
            "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
            "duration": "2 h",
            "output_interval": "10 min",
            "doses": [{"drug": "ethanol", "amount": amount, "route": "oral", "time": "0 h"}],
        }
    )
    (record,) = scenario.dose_records()
    assert record.amount_nmol == pytest.approx(_nmol(grams), rel=1e-9)


def test_an_ethanol_dose_above_its_ceiling_is_one_line_naming_the_unit_problem():
    with pytest.raises(ConfigError) as error:
        load_scenario(
            {
                "name": "too-much",
                "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
                "duration": "2 h",
                "output_interval": "10 min",
                "doses": [{"drug": "ethanol", "amount": "1 kg", "route": "oral", "time": "0 h"}],
            }
        )
    message = str(error.value)
    assert "\n" not in message
    assert "above the 10 g/kg that no ethanol dose reaches" in message


def test_the_release_is_wired_only_when_ethanol_is_dosed():
    key = "endogenous_opioids.ethanol_beta_endorphin_release"
    assert build_model(["ethanol"]).connections[key] == "ethanol.beta_endorphin_release"
    assert key not in build_model(["morphine"]).connections


def test_ethanol_raises_beta_endorphin_with_dose_in_the_rat():
    peaks = []
    for g in (0.8, 1.6, 2.4):
        result = simulate_scenario(
            {
                "name": "rat",
                "subject": {"species": "rat", "sex": "male", "body_weight": "0.25 kg"},
                "duration": "3 h",
                "output_interval": "2 min",
                "doses": [
                    {"drug": "ethanol", "amount": f"{g} g/kg", "route": "ip", "time": "0 h"}
                ],
            }
        )
        peaks.append(float(np.max(result["endogenous_opioids.beta_endorphin_concentration"])))
    assert peaks[0] < peaks[1] < peaks[2]


def test_naltrexone_blocks_the_beta_endorphin_ethanol_releases_at_mu_not_its_release():
    def run(with_naltrexone: bool):
        doses = [{"drug": "ethanol", "amount": "1 g/kg", "route": "ip", "time": "0.25 h"}]
        if with_naltrexone:
            doses.append({"drug": "naltrexone", "amount": "1 mg/kg", "route": "sc", "time": "0 h"})
        return simulate_scenario(
            {
                "name": "rat",
                "subject": {"species": "rat", "sex": "male", "body_weight": "0.25 kg"},
                "duration": "2 h",
                "output_interval": "2 min",
                "doses": doses,
            }
        )

    alone, blocked = run(False), run(True)
    release = "ethanol.beta_endorphin_release"
    occupancy = "mu_receptor.occupancy[beta_endorphin]"
    # The ethanol-evoked release is the same; the peptide's hold on mu is not.
    np.testing.assert_allclose(blocked[release], alone[release], rtol=1e-6)
    assert np.max(alone[release]) > 0.1
    after = alone.time >= 0.5  # naltrexone has reached the brain (t = 0 is the resting tone)
    assert np.max(blocked[occupancy][after]) < 0.2 * np.max(alone[occupancy][after])


def test_the_rat_declines_at_kellys_rate_above_1_g_per_l():
    # Kelly 1987: 42.2 mg/dL/h in adult rats, the rat table's Vm; at C >= 1 g/L the
    # Michaelis-Menten rate is 0.92-0.97 x Vm (Km 0.0821 g/L).
    times = np.linspace(0.0, 4.0, 401)
    _, result = simulate("ethanol", [Dose("iv", amount_nmol=_nmol(0.5))], times, "rat")
    c = _g_per_l(result["ethanol.blood_concentration"])
    window = c > 1.0
    slope = -np.polyfit(times[window], c[window], 1)[0]
    assert 0.92 * 0.422 < slope < 0.97 * 0.422
