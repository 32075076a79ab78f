"""The batched Rosenbrock backends: analytic solutions, events, rejections, failures, CVODE."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from opioidsim.engine.compile import compile_model
from opioidsim.engine.events import BOLUS, RATE, EventTable
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.engine.status import SolveStatus
from opioidsim.errors import NumericalError
from opioidsim.model.assemble import assemble
from opioidsim.model.default import build_model

from helpers.toy_modules import ONE_COMPARTMENT

BATCHED = ["rodas4", "rodas5p"]
#: As in test_solve.py: solver at rtol 1e-10; margin for the dense output at output times.
ANALYTIC_RTOL = 1e-7
#: Two methods at rtol 1e-8 agree to about 1e-7 of a series' maximum; 1e-5 still fails on a
#: lost or misplaced dose, a wrong stage coefficient or a broken dense output.
BACKEND_AGREEMENT = 1e-5


def tight(backend: str, **kwargs) -> SolverOptions:
    return SolverOptions(rtol=1e-10, atol=1e-12, backend=backend, **kwargs)


@pytest.fixture(scope="module")
def drug():
    model = assemble([ONE_COMPARTMENT], {})
    return model, compile_model(model)


def _plasma(model, t, doses):
    """Analytic one-compartment IV plasma concentration (nM) for bolus doses (nmol)."""
    v = model.parameter("drug.central_volume")
    k = model.parameter("drug.clearance") / v
    c = np.zeros_like(t)
    for t_dose, amount in doses:
        c += np.where(t >= t_dose, amount / v * np.exp(-k * (t - t_dose)), 0.0)
    return c


@pytest.mark.parametrize("backend", BATCHED)
def test_iv_boluses_follow_the_analytic_solution_between_and_at_doses(drug, backend):
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    doses = [(0.0, 1000.0), (3.3, 500.0), (7.0, 800.0)]  # 3.3 h falls between output times
    events = EventTable.from_rows([(0, t, BOLUS, central, a) for t, a in doses])
    t = np.linspace(0, 12, 49)
    result = solve(compiled, model.parameter_values[None], events, t, tight(backend))
    assert_allclose(
        result["drug.plasma_concentration"], _plasma(model, t, doses), rtol=ANALYTIC_RTOL
    )


@pytest.mark.parametrize("backend", BATCHED)
def test_dense_output_between_steps_follows_the_analytic_solution(drug, backend):
    # One dose, a fine output grid: most outputs fall inside steps (dense output, not ends).
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    events = EventTable.from_rows([(0, 0.0, BOLUS, central, 1000.0)])
    t = np.linspace(0, 24, 2401)
    result = solve(compiled, model.parameter_values[None], events, t, tight(backend))
    assert result.statistics["accepted_steps"] < len(t) / 2  # most outputs are interpolated
    assert_allclose(
        result["drug.plasma_concentration"],
        _plasma(model, t, [(0.0, 1000.0)]),
        rtol=ANALYTIC_RTOL,
    )


@pytest.mark.parametrize("backend", BATCHED)
def test_events_at_t0_and_at_an_output_time_show_the_state_after_them(drug, backend):
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    events = EventTable.from_rows(
        [(0, 0.0, BOLUS, central, 1000.0), (0, 2.0, BOLUS, central, 1000.0)]
    )
    result = solve(
        compiled,
        model.parameter_values[None],
        events,
        np.array([0.0, 2.0, 3.0]),
        tight(backend),
    )
    expected = _plasma(model, np.array([0.0, 2.0]), [(0.0, 1000.0), (2.0, 1000.0)])
    assert_allclose(result["drug.plasma_concentration"][:2], expected, rtol=ANALYTIC_RTOL)


@pytest.mark.parametrize("backend", BATCHED)
def test_coincident_events_add_up_also_at_t0(drug, backend):
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    t = np.linspace(0, 6, 13)
    twice = EventTable.from_rows(
        [
            (0, 0.0, BOLUS, central, 300.0),
            (0, 0.0, BOLUS, central, 700.0),
            (0, 1.0, BOLUS, central, 400.0),
            (0, 1.0, BOLUS, central, 600.0),
        ]
    )
    once = EventTable.from_rows(
        [(0, 0.0, BOLUS, central, 1000.0), (0, 1.0, BOLUS, central, 1000.0)]
    )
    a = solve(compiled, model.parameter_values[None], twice, t, tight(backend))
    b = solve(compiled, model.parameter_values[None], once, t, tight(backend))
    assert_allclose(a.values, b.values, rtol=1e-12, atol=1e-14)
    expected = _plasma(model, t, [(0.0, 1000.0), (1.0, 1000.0)])
    assert_allclose(a["drug.plasma_concentration"], expected, rtol=ANALYTIC_RTOL)


@pytest.mark.parametrize("backend", BATCHED)
def test_infusion_rises_to_rate_over_clearance_and_stops_exactly(drug, backend):
    model, compiled = drug
    rate = 950.0  # nmol/h
    events = EventTable.from_rows([(0, 0.0, RATE, 0, rate), (0, 30.0, RATE, 0, -rate)])
    t = np.array([0.0, 29.0, 30.0, 40.0])
    result = solve(compiled, model.parameter_values[None], events, t, tight(backend))
    clearance = model.parameter("drug.clearance")
    k = clearance / model.parameter("drug.central_volume")
    plasma = result["drug.plasma_concentration"]
    rising = rate / clearance * (1 - np.exp(-k * 29.0))
    assert plasma[1] == pytest.approx(rising, rel=ANALYTIC_RTOL)
    assert plasma[3] == pytest.approx(plasma[2] * np.exp(-k * 10), rel=ANALYTIC_RTOL)


@pytest.mark.parametrize("backend", BATCHED)
def test_events_after_the_last_output_are_ignored(drug, backend):
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    t = np.linspace(0, 4, 9)
    with_late = EventTable.from_rows(
        [(0, 0.0, BOLUS, central, 1000.0), (0, 9.0, BOLUS, central, 1000.0)]
    )
    result = solve(compiled, model.parameter_values[None], with_late, t, tight(backend))
    expected = _plasma(model, t, [(0.0, 1000.0)])
    assert_allclose(result["drug.plasma_concentration"], expected, rtol=ANALYTIC_RTOL)


@pytest.mark.parametrize("backend", BATCHED)
def test_subjects_have_their_own_parameters_and_doses(drug, backend):
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    p = np.tile(model.parameter_values, (3, 1))
    p[1, model.parameter_index("drug.central_volume")] *= 2.0
    events = EventTable.from_rows(
        [
            (2, 1.0, BOLUS, central, 500.0),  # unsorted rows: the backend sorts them
            (0, 0.0, BOLUS, central, 1000.0),
            (1, 0.0, BOLUS, central, 1000.0),
        ]
    )
    t = np.linspace(0, 4, 9)
    plasma = solve(compiled, p, events, t, tight(backend))["drug.plasma_concentration"]
    assert plasma[1, 0] == pytest.approx(plasma[0, 0] / 2)
    assert plasma[2, 0] == 0.0 and plasma[2, 2] > 0


@pytest.mark.parametrize("backend", BATCHED)
def test_a_nan_parameter_fails_its_subject_only_with_the_cvode_message(drug, backend):
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    p = np.tile(model.parameter_values, (3, 1))
    p[1, model.parameter_index("drug.clearance")] = np.nan
    events = EventTable.from_rows([(s, 0.0, BOLUS, central, 1000.0) for s in range(3)])
    t = np.linspace(0, 4, 9)
    messages = {}
    for name in ("cvode", backend):
        with pytest.raises(NumericalError) as error:
            solve(compiled, p, events, t, tight(name))
        messages[name] = str(error.value)
        partial = error.value.partial
        assert [s.name for s in partial.status] == ["SUCCESS", "NON_FINITE", "SUCCESS"]
        assert np.all(np.isfinite(partial.values[[0, 2]]))
    assert messages[backend] == messages["cvode"]
    assert "parameter drug.clearance is nan for subject 1" in messages[backend]


@pytest.mark.parametrize("backend", BATCHED)
def test_a_diverging_subject_is_named_and_the_others_finish(drug, backend):
    # A negative clearance makes the amount grow as exp(36 t): past its bound of 1e12 nmol.
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    p = np.tile(model.parameter_values, (3, 1))
    p[1, model.parameter_index("drug.clearance")] = -1e4
    events = EventTable.from_rows([(s, 0.0, BOLUS, central, 1000.0) for s in range(3)])
    t = np.linspace(0, 4, 9)
    result = solve(compiled, p, events, t, tight(backend), throw=False)
    assert result.status[1] in (SolveStatus.OUT_OF_BOUNDS, SolveStatus.NON_FINITE)
    assert result.status[0] is SolveStatus.SUCCESS and result.status[2] is SolveStatus.SUCCESS
    assert "in drug.central_amount at t = " in result.messages[1]
    assert "subject 1" in result.messages[1]
    assert result.messages[1].endswith(result.status[1].fix + ".")
    assert_allclose(result.values[0], result.values[2], rtol=0, atol=0)


@pytest.mark.parametrize("backend", BATCHED)
def test_too_few_steps_between_outputs_is_max_steps(drug, backend):
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    events = EventTable.from_rows([(0, 0.0, BOLUS, central, 1000.0)])
    options = SolverOptions(rtol=1e-10, atol=1e-12, backend=backend, max_steps=3)
    t = np.array([0.0, 100.0])
    result = solve(compiled, model.parameter_values[None], events, t, options, throw=False)
    assert result.status == [SolveStatus.MAX_STEPS]
    assert result.messages[0].startswith(SolveStatus.MAX_STEPS.message + " in drug.central_amount")


@pytest.mark.parametrize("backend", BATCHED)
def test_two_threads_give_the_same_result_as_one(drug, backend):
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    p = np.tile(model.parameter_values, (6, 1)) * np.linspace(0.9, 1.1, 6)[:, None]
    events = EventTable.from_rows(
        [(s, 6.0 * k, BOLUS, central, 1000.0) for s in range(6) for k in range(4)]
    )
    t = np.linspace(0, 24, 25)
    one = solve(compiled, p, events, t, SolverOptions(backend=backend, workers=1))
    two = solve(compiled, p, events, t, SolverOptions(backend=backend, workers=2))
    assert_allclose(one.values, two.values, rtol=0, atol=0)


@pytest.fixture(scope="module")
def opioid_model():
    model = build_model(["morphine", "naltrexone"])
    return model, compile_model(model)


@pytest.mark.parametrize("backend", BATCHED)
def test_full_model_with_rejected_steps_agrees_with_cvode(opioid_model, backend):
    # Two days of morphine q6h plus a naltrexone dose: fast binding after each dose makes the
    # step controller reject steps; the accepted result must still match CVODE.
    model, compiled = opioid_model
    morphine = model.state_index("morphine.central_amount")
    naltrexone = model.state_index("naltrexone.gut_amount")
    p = np.tile(model.parameter_values, (2, 1))
    p[1, model.parameter_index("morphine.clearance")] *= 1.3
    rows = [(s, 6.0 * k, BOLUS, morphine, 35_000.0) for s in range(2) for k in range(8)]
    rows += [(s, 30.0, BOLUS, naltrexone, 130_000.0) for s in range(2)]
    events = EventTable.from_rows(rows)
    t = np.linspace(0, 48, 97)
    options = {"rtol": 1e-8, "atol": 1e-11}
    ours = solve(compiled, p, events, t, SolverOptions(backend=backend, **options))
    cvode = solve(compiled, p, events, t, SolverOptions(backend="cvode", **options))
    stats = ours.statistics
    assert stats["rejected_steps"] > 0
    # One LU per attempt; a retry after a rejection keeps the Jacobian of the same (t, y).
    assert stats["lu_factorisations"] == stats["accepted_steps"] + stats["rejected_steps"]
    assert stats["accepted_steps"] <= stats["jacobians"] < stats["lu_factorisations"]
    scale = np.maximum(np.abs(cvode.values).max(axis=2, keepdims=True), 1e-30)
    assert np.max(np.abs(ours.values - cvode.values) / scale) < BACKEND_AGREEMENT


def test_non_finite_jacobian_entries_are_written_as_zero(opioid_model):
    # The generated jac guards each entry it writes (not a loop over the dense matrix): a
    # state that makes every slope NaN leaves a finite Jacobian, zero where it was NaN.
    model, compiled = opioid_model
    n = model.n_states
    q = compiled.derived_parameters(model.parameter_values)[0]
    u = np.zeros(max(compiled.n_inputs, 1))
    J = np.zeros((n, n))
    compiled.jac(0.0, np.full(n, np.nan), model.parameter_values, q, u, J)
    assert np.all(np.isfinite(J))
    # Entries that do not depend on the state (first-order elimination rates) survive.
    assert np.any(J != 0.0)
    assert "isfinite(J[" not in compiled.source_path.read_text(encoding="utf-8")
