"""Assembly: unit checks, provenance checks, wiring, analytic binding solution."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from opioidsim.engine.compile import compile_model
from opioidsim.engine.events import EventTable
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.errors import ModelError
from opioidsim.model.assemble import LIGAND_CONCENTRATIONS, LIGAND_DRUG_MASK, assemble
from opioidsim.model.declare import ModelModule, Module, Scalar, Source, assumed, measured
from opioidsim.model.default import DRUG_MODULES, build_model, load_module

from helpers.toy_modules import BROKEN, CONSTANT_LIGAND

ANALYTIC_RTOL = 1e-6  # solver run at rtol 1e-10; 1e-6 leaves room for output interpolation

MU = "opioidsim.model.receptors.mu"
WIRING = {
    "mu_receptor.concentration": LIGAND_CONCENTRATIONS,
    "mu_receptor.drug_mask": LIGAND_DRUG_MASK,
}


def test_unbalanced_units_are_refused_with_module_state_and_units():
    with pytest.raises(ModelError) as error:
        assemble([BROKEN], {})
    assert str(error.value) == (
        "broken.amount: d/dt has unit 'nM/h'; expected 'nmol/h'. Check the units of the "
        "parameters and inputs in its equation."
    )


def test_measured_value_without_doi_or_pmid_is_refused():
    no_id = Source("NOBODY", "an uncited talk")
    module = ModelModule(
        Module(name="m", description="", outputs={"x": Scalar("1", "x")}),
        {"any": {"k": measured(1.0, "1/h", no_id, species="human", confidence="high")}},
        lambda s, p, i: ({}, {"x": p.k * 0 + 1}),
    )
    with pytest.raises(ModelError, match=r"^m\.k: measured value without a DOI or PMID"):
        assemble([module], {})


def test_assumed_value_without_reason_is_refused():
    module = ModelModule(
        Module(name="m", description=""),
        {"any": {"k": assumed(1.0, "1/h", reason="")}},
        lambda s, p, i: ({}, {}),
    )
    with pytest.raises(ModelError, match=r"^m\.k: assumed value needs reason=\.$"):
        assemble([module], {})


def test_unknown_unit_is_refused():
    module = ModelModule(
        Module(name="m", description=""),
        {"any": {"k": assumed(1.0, "furlongs per fortnightz", reason="x")}},
        lambda s, p, i: ({}, {}),
    )
    with pytest.raises(ModelError, match=r"^m\.k: unit 'furlongs per fortnightz' is not a known"):
        assemble([module], {})


def test_wiring_to_an_unknown_input_is_refused():
    with pytest.raises(ModelError, match=r"^connections\[mu_receptor\.nothing\]"):
        assemble([CONSTANT_LIGAND, load_module(MU)], {**WIRING, "mu_receptor.nothing": "x.y"})


def test_every_parameter_of_every_drug_has_unit_and_provenance():
    model = build_model(sorted(DRUG_MODULES))
    assert model.parameter_names
    for name, record in zip(model.parameter_names, model.parameter_records, strict=True):
        assert record.unit, name
        assert record.provenance in ("measured", "derived", "calibrated", "assumed"), name
        if record.provenance == "measured":
            assert record.sources[0].doi or record.sources[0].pmid, name
        if record.provenance == "assumed":
            assert record.reason, name
        if record.provenance == "derived":
            assert record.how and record.sources, name


def test_parameters_are_converted_once_to_canonical_units():
    model = build_model(["morphine"])
    # 1584 mL/min -> 95.04 L/h; 0.03959 /s -> 142.524 /h
    assert model.parameter("morphine.clearance") == pytest.approx(95.04)
    assert (
        model.parameter("mu_receptor.dissociation_rate", "fentanyl")
        if "fentanyl" in model.ligands
        else True
    )


@pytest.mark.parametrize("level", [20.0, 200.0, 2000.0])
def test_occupancy_follows_the_analytic_single_ligand_solution(level):
    # Constant C: occupancy(t) = C/(C + KD) * (1 - exp(-(kon*C + koff) * t)), KD in vivo.
    model = assemble([CONSTANT_LIGAND, load_module(MU)], WIRING)
    compiled = compile_model(model)
    p = model.parameter_values.copy()
    p[model.parameter_index("fentanyl.level")] = level
    t = np.linspace(0, 0.5, 101)
    result = solve(compiled, p[None], EventTable.empty(), t, SolverOptions(rtol=1e-10, atol=1e-12))
    koff = model.parameter("mu_receptor.dissociation_rate", "fentanyl")
    kd = model.parameter("mu_receptor.dissociation_constant", "fentanyl")
    expected = level / (level + kd) * (1 - np.exp(-(koff / kd * level + koff) * t))
    assert_allclose(
        result["mu_receptor.occupancy[fentanyl]"], expected, rtol=ANALYTIC_RTOL, atol=1e-10
    )


def test_symbolic_jacobian_matches_finite_differences():
    model = build_model(["morphine"])
    compiled = compile_model(model)
    p = model.parameter_values
    q = np.zeros(max(compiled.n_derived, 1))
    compiled.derive(p, q)
    rng = np.random.default_rng(0)
    # Around the resting state (gas tensions of 0.05-0.3 mmHg put the blood-gas curves where
    # finite differences lose digits), with drug amounts and receptors away from zero.
    y = np.ravel(model.initial_states(p)) * rng.uniform(0.8, 1.2, model.n_states)
    y = np.where(y == 0, rng.uniform(0.05, 0.3, model.n_states), y)
    u = np.zeros(max(compiled.n_inputs, 1))
    jac = np.zeros((model.n_states, model.n_states))
    compiled.jac(0.0, y, p, q, u, jac)
    # Central differences (error ~h^2).
    for j in range(model.n_states):
        h = 1e-6 * max(1.0, abs(y[j]))
        up, down = y.copy(), y.copy()
        up[j] += h
        down[j] -= h
        f1, f0 = np.zeros(model.n_states), np.zeros(model.n_states)
        compiled.rhs(0.0, up, p, q, u, f1)
        compiled.rhs(0.0, down, p, q, u, f0)
        assert_allclose(jac[:, j], (f1 - f0) / (2 * h), rtol=1e-4, atol=1e-6)


def _pair(b_output_uses_input: bool):
    """Module a (state x, driven by input u) feeds b; b's output y feeds back into a.u."""
    a = ModelModule(
        Module(
            name="a",
            description="",
            inputs={"u": Scalar("1", "drive", default=1.0)},
            states={"x": Scalar("nM", "x")},
            outputs={"level": Scalar("nM", "x itself")},
        ),
        {"any": {"k": assumed(1.0, "1/h", reason="test"), "c": assumed(2.0, "nM", reason="t")}},
        lambda s, p, i: (
            {"x": p.k * (p.c * i.u - s.x)},
            {"level": s.x * i.u if b_output_uses_input else s.x},
        ),
    )
    b = ModelModule(
        Module(
            name="b",
            description="",
            inputs={"level": Scalar("nM", "level")},
            outputs={"y": Scalar("1", "y")},
        ),
        {"any": {"h": assumed(4.0, "nM", reason="test")}},
        lambda s, p, i: ({}, {"y": i.level / p.h}),
    )
    return [a, b], {"b.level": "a.level"}, {"a.u": "b.y"}


def test_feedback_through_a_state_is_wired_into_the_derivative():
    modules, wiring, feedback = _pair(b_output_uses_input=False)
    with pytest.raises(ModelError, match="loop"):
        assemble(modules, {**wiring, **feedback})
    model = assemble(modules, wiring, feedback=feedback)
    compiled = compile_model(model)
    t = np.linspace(0, 20, 11)
    # u = y = x / h, so dx/dt = k (c x / h - x) = -0.5 x: from x(0) = 1, x = exp(-t / 2).
    result = solve(
        compiled,
        model.parameter_values[None, :],
        EventTable.empty(),
        t,
        SolverOptions(rtol=1e-10, atol=1e-12),
        initial_states=np.array([[1.0]]),
    )
    assert_allclose(result["a.x"], np.exp(-0.5 * t), rtol=ANALYTIC_RTOL)


def test_feedback_reaching_an_output_back_to_itself_is_refused_as_an_algebraic_loop():
    modules, wiring, feedback = _pair(b_output_uses_input=True)
    with pytest.raises(ModelError, match=r"feedback\[a.u\]: .*algebraic loop"):
        assemble(modules, wiring, feedback=feedback)


def test_feedback_may_reach_an_output_when_its_source_reads_only_states():
    modules, _, feedback = _pair(b_output_uses_input=True)
    # b reads nothing of a: y = 1 / h (its input defaults), so a.level = x * u closes no loop.
    b = modules[1]
    b_free = ModelModule(
        Module(
            name="b",
            description="",
            inputs={"level": Scalar("nM", "level", default=4.0)},
            outputs={"y": Scalar("1", "y")},
        ),
        b.parameters,
        b.rates,
    )
    model = assemble([modules[0], b_free], {}, feedback=feedback)
    compiled = compile_model(model)
    t = np.linspace(0, 2, 3)
    result = solve(
        compiled,
        model.parameter_values[None, :],
        EventTable.empty(),
        t,
        SolverOptions(rtol=1e-10, atol=1e-12),
        initial_states=np.array([[1.0]]),
    )
    # u = y = 4 / 4 = 1: level = x * u = x.
    assert_allclose(result["a.level"], result["a.x"], rtol=1e-12)
