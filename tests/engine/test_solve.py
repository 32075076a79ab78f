"""Engine: exact dose events, batches with their own parameters, failures that keep the rest."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from opioidsim.engine.compile import compile_model
from opioidsim.engine.events import BOLUS, RATE, EventTable
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.engine.status import SolveStatus
from opioidsim.errors import ConfigError, NumericalError
from opioidsim.model.assemble import assemble

from helpers.toy_modules import ONE_COMPARTMENT

TIGHT = SolverOptions(rtol=1e-10, atol=1e-12)
ANALYTIC_RTOL = 1e-7  # solver at rtol 1e-10; margin for interpolation at output times


@pytest.fixture(scope="module")
def drug():
    model = assemble([ONE_COMPARTMENT], {})
    return model, compile_model(model)


def _plasma(model, t, doses, k=None):
    """Analytic one-compartment IV plasma concentration (nM) for bolus doses (nmol)."""
    v = model.parameter("drug.central_volume")
    k = k or model.parameter("drug.clearance") / v
    c = np.zeros_like(t)
    for t_dose, amount in doses:
        c += np.where(t >= t_dose, amount / v * np.exp(-k * (t - t_dose)), 0.0)
    return c


def test_iv_boluses_follow_the_analytic_solution_between_and_at_doses(drug):
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    doses = [(0.0, 1000.0), (3.3, 500.0), (7.0, 800.0)]  # 3.3 h falls between output times
    events = EventTable.from_rows([(0, t, BOLUS, central, a) for t, a in doses])
    t = np.linspace(0, 12, 49)
    result = solve(compiled, model.parameter_values[None], events, t, TIGHT)
    assert_allclose(
        result["drug.plasma_concentration"], _plasma(model, t, doses), rtol=ANALYTIC_RTOL
    )


def test_output_at_a_dose_time_shows_the_state_after_the_dose(drug):
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    events = EventTable.from_rows(
        [(0, 0.0, BOLUS, central, 1000.0), (0, 2.0, BOLUS, central, 1000.0)]
    )
    result = solve(
        compiled, model.parameter_values[None], events, np.array([0.0, 2.0, 3.0]), TIGHT
    )
    expected = _plasma(model, np.array([0.0, 2.0]), [(0.0, 1000.0), (2.0, 1000.0)])
    assert_allclose(result["drug.plasma_concentration"][:2], expected, rtol=ANALYTIC_RTOL)


def test_coincident_doses_add_up(drug):
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    t = np.linspace(0, 6, 13)
    twice = EventTable.from_rows(
        [(0, 1.0, BOLUS, central, 400.0), (0, 1.0, BOLUS, central, 600.0)]
    )
    once = EventTable.from_rows([(0, 1.0, BOLUS, central, 1000.0)])
    a = solve(compiled, model.parameter_values[None], twice, t, TIGHT)
    b = solve(compiled, model.parameter_values[None], once, t, TIGHT)
    assert_allclose(a.values, b.values, rtol=1e-12, atol=1e-14)


def test_infusion_rises_to_rate_over_clearance_and_stops_exactly(drug):
    model, compiled = drug
    channel = 0
    rate = 950.0  # nmol/h
    events = EventTable.from_rows([(0, 0.0, RATE, channel, rate), (0, 30.0, RATE, channel, -rate)])
    t = np.array([0.0, 29.0, 30.0, 40.0])
    result = solve(compiled, model.parameter_values[None], events, t, TIGHT)
    css = rate / model.parameter("drug.clearance")
    plasma = result["drug.plasma_concentration"]
    k = model.parameter("drug.clearance") / model.parameter("drug.central_volume")
    assert plasma[1] == pytest.approx(css * (1 - np.exp(-k * 29.0)), rel=ANALYTIC_RTOL)
    assert plasma[3] == pytest.approx(plasma[2] * np.exp(-k * 10), rel=1e-6)


def test_subjects_have_their_own_parameters_and_doses(drug):
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    p = np.tile(model.parameter_values, (3, 1))
    v_index = model.parameter_index("drug.central_volume")
    p[1, v_index] *= 2.0
    events = EventTable.from_rows(
        [
            (0, 0.0, BOLUS, central, 1000.0),
            (1, 0.0, BOLUS, central, 1000.0),
            (2, 1.0, BOLUS, central, 500.0),
        ]
    )
    t = np.linspace(0, 4, 9)
    result = solve(compiled, p, events, t, TIGHT)
    plasma = result["drug.plasma_concentration"]
    assert plasma[1, 0] == pytest.approx(plasma[0, 0] / 2)
    assert plasma[2, 0] == 0.0 and plasma[2, 2] > 0


def test_a_failing_subject_is_named_and_the_others_finish(drug):
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    p = np.tile(model.parameter_values, (3, 1))
    p[1, model.parameter_index("drug.clearance")] = np.nan
    events = EventTable.from_rows([(s, 0.0, BOLUS, central, 1000.0) for s in range(3)])
    t = np.linspace(0, 4, 9)
    with pytest.raises(NumericalError) as error:
        solve(compiled, p, events, t, TIGHT)
    message = str(error.value)
    assert "1 of 3 subject(s) failed" in message and "subject 1" in message
    assert "parameter drug.clearance is nan for subject 1" in message
    partial = error.value.partial
    assert partial.status[0] is SolveStatus.SUCCESS and partial.status[2] is SolveStatus.SUCCESS
    assert partial.status[1] is not SolveStatus.SUCCESS
    assert np.all(np.isfinite(partial.values[[0, 2]]))


def test_two_workers_give_the_same_result_as_one(drug):
    model, compiled = drug
    central = model.state_index("drug.central_amount")
    p = np.tile(model.parameter_values, (4, 1)) * np.linspace(0.9, 1.1, 4)[:, None]
    events = EventTable.from_rows(
        [(s, 6.0 * k, BOLUS, central, 1000.0) for s in range(4) for k in range(4)]
    )
    t = np.linspace(0, 24, 25)
    one = solve(compiled, p, events, t, SolverOptions(workers=1))
    two = solve(compiled, p, events, t, SolverOptions(workers=2))
    assert_allclose(one.values, two.values, rtol=0, atol=0)


def test_bad_solver_options_name_the_field():
    with pytest.raises(ConfigError, match=r"^rtol: got 2; must be in \(0, 1\)"):
        SolverOptions(rtol=2)
