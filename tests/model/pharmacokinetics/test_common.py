"""Claims every drug module makes: structure, provenance, scaling, mass balance."""

from __future__ import annotations

import ast
import inspect
import textwrap

import numpy as np
import pytest

from model.pharmacokinetics.pk_testing import (
    Dose,
    auc,
    declared_species,
    fraction_value,
    simulate,
)
from opioidsim.engine.compile import compile_model
from opioidsim.model.default import DRUG_MODULES, build_model, load_module

DRUGS = sorted(DRUG_MODULES)
DRUG_SPECIES = [(d, s) for d in DRUGS for s in declared_species(d)]
DRUG_ROUTES = [(d, r) for d in DRUGS for r in load_module(DRUG_MODULES[d][0]).declaration.routes]

#: Mass balance: amounts may not rise by more than the solver's absolute tolerance (1e-10
#: nmol per state) times a margin for the output interpolation.
MASS_BALANCE_SLACK_NMOL = 1e-7
#: AUC by the trapezoid rule on a dense grid: relative quadrature error is below this.
AUC_RTOL = 2e-3
#: Infusions reach steady state within this relative distance of R/CL after 12 slowest
#: half-lives (exp(-12 ln2) = 2.4e-4).
STEADY_STATE_RTOL = 1e-3
#: The slowest half-life of each drug's disposition or effect site (h), to size run lengths.
SLOWEST_HALF_LIFE_H = {
    "morphine": 4.4,  # the effect site (t1/2ke0 4.4 h) is slower than plasma (2.0 h)
    "heroin": 4.4,
    "fentanyl": 13.0,  # the adipose store (chronic-use terminal t1/2, Huhn 2020 derivation)
    "oxycodone": 3.0,
    "methadone": 25.0,
    "buprenorphine": 28.0,
    "naltrexone": 43.2,  # the brain biophase (t1/2 43 h, fitted to Lee 1988)
    "naloxone": 1.3,
    "oxytocin": 1.2,
    "lofexidine": 11.0,
    "clonidine": 8.5,
    "cocaine": 0.8,  # plasma t1/2 45 min (human); the effect site is faster
    "ethanol": 0.25,  # ln2 Km/Vm at C << Km (Michaelis-Menten; the test doses are tiny)
}
#: Routes whose absorption is slow enough to matter for run length (h of release t1/2).
SLOW_ROUTE_HALF_LIFE_H = {("naltrexone", "im_depot"): 7 * 24.0, ("oxycodone", "oral_er"): 6.2}


def _drug_of(drug: str, model) -> list[str]:
    """Names of the modules belonging to a drug (itself and the drugs it forms)."""
    return [drug, *DRUG_MODULES[drug][1]]


@pytest.mark.parametrize(("drug", "species"), DRUG_SPECIES)
def test_every_drug_assembles_for_each_species_it_declares(drug, species):
    model = build_model([drug], species=species)
    compile_model(model)
    declaration = load_module(DRUG_MODULES[drug][0]).declaration
    assert species in declaration.species
    assert model.species == species


@pytest.mark.parametrize("drug", DRUGS)
def test_declared_species_match_the_parameter_tables(drug):
    module = load_module(DRUG_MODULES[drug][0])
    assert set(module.declaration.species) == set(declared_species(drug))
    assert "human" in module.declaration.species


@pytest.mark.parametrize("drug", DRUGS)
def test_every_drug_has_molar_mass_scaling_inputs_and_standard_outputs(drug):
    declaration = load_module(DRUG_MODULES[drug][0]).declaration
    assert declaration.molar_mass == "molar_mass"
    for name in ("clearance_scale", "volume_scale"):
        assert declaration.inputs[name].default == 1.0
    assert declaration.outputs["plasma_concentration"].unit == "nM"
    assert declaration.outputs["brain_concentration"].unit == "nM"
    for name, state in declaration.states.items():
        assert state.bounds == (0, 1e12), name
    for output in declaration.ligands.values():
        assert output in declaration.outputs


def test_oxytocin_is_not_an_opioid_ligand_and_is_dosed_in_units():
    declaration = load_module(DRUG_MODULES["oxytocin"][0]).declaration
    assert declaration.ligands == {}
    assert declaration.mass_per_international_unit == "mass_per_international_unit"


def test_heroin_needs_morphine_and_feeds_its_formation_rate():
    model = build_model(["heroin"])
    assert DRUG_MODULES["heroin"][1] == ("morphine",)
    assert "morphine" in model.drug_modules
    assert model.connections["morphine.formation_rate"] == "heroin.morphine_formation_rate"


class _Numbers(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[object] = []

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, int | float) and not isinstance(node.value, bool):
            self.found.append(node.value)


@pytest.mark.parametrize("drug", DRUGS)
def test_rates_contain_no_numbers_but_structural_0_1_2(drug):
    rates = load_module(DRUG_MODULES[drug][0]).rates
    tree = ast.parse(textwrap.dedent(inspect.getsource(rates)))
    visitor = _Numbers()
    visitor.visit(tree)
    assert set(visitor.found) <= {0, 1, 2}, visitor.found


def _run_length(drug: str, route: str) -> float:
    slowest = max(SLOWEST_HALF_LIFE_H[drug], SLOW_ROUTE_HALF_LIFE_H.get((drug, route), 0.0))
    if drug == "heroin":
        slowest = max(slowest, SLOWEST_HALF_LIFE_H["morphine"])
    return 12 * slowest


def _amount_rows(model, modules):
    return [
        i
        for i, (name, unit) in enumerate(zip(model.state_names, model.state_units, strict=True))
        if unit == "nmol" and name.split(".")[0] in modules
    ]


@pytest.mark.parametrize(("drug", "route"), DRUG_ROUTES)
def test_total_amount_never_grows_without_doses(drug, route):
    t_end = _run_length(drug, route)
    times = np.concatenate([[0.0], np.geomspace(1e-3, t_end, 800)])
    model, result = simulate(drug, [Dose(route, amount_nmol=1000.0)], times)
    rows = _amount_rows(model, _drug_of(drug, model))
    total = sum(result[model.state_names[i]] for i in rows)
    dosed = 1000.0 * sum(fraction_value(model, t) for t in model.routes[(drug, route)])
    assert total[0] == pytest.approx(dosed, rel=1e-12)
    assert np.all(np.diff(total) <= MASS_BALANCE_SLACK_NMOL)
    assert total[-1] < 1e-2 * dosed  # and it is eliminated


def _first_route(drug):
    routes = load_module(DRUG_MODULES[drug][0]).declaration.routes
    return "iv" if "iv" in routes else next(iter(routes))


def _scaled(drug, clearance_scale, volume_scale, times):
    """Simulate with the subject's scale factors set through its own parameters."""
    model = build_model([drug])
    weight = model.parameter("subject.reference_body_weight") * 2.0
    # scale = 2 ** exponent: exponent 1 -> 2, exponent 0 -> 1.
    overrides = {
        "subject.body_weight": weight,
        "subject.clearance_exponent": float(np.log2(clearance_scale)),
        "subject.volume_exponent": float(np.log2(volume_scale)),
    }
    return simulate(
        drug, [Dose(_first_route(drug), amount_nmol=1000.0)], times, overrides=overrides
    )


#: Drugs with first-order (linear) elimination. Ethanol's Michaelis-Menten elimination keeps
#: the amounts' course only while C << Km: at the test dose C/Km ~1e-5 moves the halved
#: concentrations by ~6e-6, above this test's 1e-6 (tests/.../test_ethanol.py checks the
#: Michaelis-Menten solution itself).
LINEAR_DRUGS = [d for d in DRUGS if d != "ethanol"]


@pytest.mark.parametrize("drug", LINEAR_DRUGS)
def test_doubling_every_clearance_and_volume_halves_every_concentration(drug):
    # With all clearances and volumes x s, amounts follow the same course: C -> C/s.
    times = np.linspace(0.0, 24.0, 241)
    model, base = simulate(drug, [Dose(_first_route(drug), amount_nmol=1000.0)], times)
    _, scaled = _scaled(drug, 2.0, 2.0, times)
    for name in model.observable_names:
        if name.startswith(f"{drug}.") and "concentration" in name:
            np.testing.assert_allclose(
                scaled[name], base[name] / 2.0, rtol=1e-6, atol=1e-9, err_msg=name
            )


def _scaled_route(drug, route, clearance_scale, volume_scale, times):
    model = build_model([drug])
    weight = model.parameter("subject.reference_body_weight") * 2.0
    overrides = {
        "subject.body_weight": weight,
        "subject.clearance_exponent": float(np.log2(clearance_scale)),
        "subject.volume_exponent": float(np.log2(volume_scale)),
    }
    return simulate(drug, [Dose(route, amount_nmol=1000.0)], times, overrides=overrides)


@pytest.mark.parametrize(("drug", "route"), DRUG_ROUTES)
def test_doubling_clearance_scale_halves_the_exposure_of_every_concentration(drug, route):
    # AUC = (amount reaching each compartment) / clearance for every structure used here;
    # the amounts do not depend on clearance, so every AUC halves.
    t_end = _run_length(drug, route)
    times = np.concatenate([[0.0], np.geomspace(1e-5, t_end, 20000)])
    model, base = _scaled_route(drug, route, 1.0, 1.0, times)
    _, faster = _scaled_route(drug, route, 2.0, 1.0, times)
    for name in model.observable_names:
        if name.split(".")[0] in _drug_of(drug, model) and name.endswith("concentration"):
            exposure = auc(times, base[name])
            if exposure > 0:
                assert auc(times, faster[name]) == pytest.approx(exposure / 2.0, rel=AUC_RTOL), (
                    name
                )


IV_DRUGS = [d for d in DRUGS if "iv" in load_module(DRUG_MODULES[d][0]).declaration.routes]


@pytest.mark.parametrize("drug", IV_DRUGS)
def test_doubling_clearance_scale_runs_the_iv_plasma_course_twice_as_fast(drug):
    # Every disposition rate (CL/V, Q/V) doubles when clearances double at fixed volumes,
    # so after an IV bolus C_scaled(t) = C(2 t).
    times = np.linspace(0.0, 12.0, 121)
    _, base = _scaled_route(drug, "iv", 1.0, 1.0, 2 * times)
    _, faster = _scaled_route(drug, "iv", 2.0, 1.0, times)
    for name in base.names:
        if name.split(".")[0] in DRUG_MODULES[drug][1] + (drug,) and name.endswith(
            "plasma_concentration"
        ):
            np.testing.assert_allclose(
                faster[name], base[name], rtol=1e-6, atol=1e-9, err_msg=name
            )


INFUSION_DRUGS = [
    d
    for d in DRUGS
    if load_module(DRUG_MODULES[d][0]).declaration.routes.get("iv")
    and load_module(DRUG_MODULES[d][0]).declaration.routes["iv"].infusion
]


def _clearance(model, drug):
    if drug in ("fentanyl", "buprenorphine"):
        return model.parameter(f"{drug}.elimination_rate") * model.parameter(
            f"{drug}.central_volume"
        )
    if drug == "ethanol":  # Michaelis-Menten: Vm V / Km where C << Km (the test's 100 nmol/h)
        volume = model.parameter("ethanol.male_widmark_factor") * model.parameter(
            "ethanol.reference_body_weight"
        )
        return (
            model.parameter("ethanol.maximal_elimination_rate")
            * volume
            / model.parameter("ethanol.michaelis_constant")
        )
    return model.parameter(f"{drug}.clearance")


@pytest.mark.parametrize("drug", INFUSION_DRUGS)
def test_constant_iv_infusion_reaches_rate_over_clearance(drug):
    t_end = 12 * SLOWEST_HALF_LIFE_H[drug]
    rate = 100.0  # nmol/h
    model, result = simulate(
        drug, [Dose("iv", rate_nmol_per_h=rate, end_h=2 * t_end)], np.linspace(0.0, t_end, 50)
    )
    expected = rate / _clearance(model, drug)
    assert result[f"{drug}.plasma_concentration"][-1] == pytest.approx(
        expected, rel=STEADY_STATE_RTOL
    )


@pytest.mark.parametrize("drug", INFUSION_DRUGS)
def test_plasma_concentration_falls_once_an_infusion_stops(drug):
    times = np.linspace(0.0, 2.0, 21)
    _, result = simulate(drug, [Dose("iv", rate_nmol_per_h=100.0, end_h=1.0)], times)
    plasma = result[f"{drug}.plasma_concentration"]
    assert np.all(np.diff(plasma[times <= 1.0]) > 0)
    assert np.all(np.diff(plasma[times >= 1.0]) < 0)
