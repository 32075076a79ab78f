"""The Rosenbrock backends against libroadrunner (its own CVODE) on the exported SBML."""

import numpy as np
import pytest

from opioidsim.engine.compile import compile_model
from opioidsim.engine.events import BOLUS, EventTable
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.io.sbml import export_sbml
from opioidsim.model.assemble import symbol_name
from opioidsim.model.default import build_model

roadrunner = pytest.importorskip("roadrunner")

pytestmark = pytest.mark.roadrunner

#: Both at these tolerances; as in tests/reference/test_sbml_roadrunner.py, two independent
#: solvers at rtol 1e-10 agree to ~1e-8, and 1e-4 of each series' maximum still fails on a
#: lost dose, a dose at the wrong time or a wrong stage coefficient.
SOLVER_RTOL = 1e-10
SOLVER_ATOL = 1e-12
AGREEMENT = 1e-4


@pytest.mark.parametrize("backend", ["rodas4", "rodas5p"])
def test_three_days_of_morphine_then_naltrexone_agree_with_libroadrunner(backend):
    model = build_model(["morphine", "naltrexone"])
    parameters = model.parameter_values.copy()
    morphine = model.state_index("morphine.central_amount")
    naltrexone = model.state_index("naltrexone.gut_amount")
    rows = [(0, 6.0 * k, BOLUS, morphine, 35_000.0) for k in range(8)]  # 0 h to 42 h
    rows += [(0, 49.5, BOLUS, naltrexone, 130_000.0)]  # between output times
    events = EventTable.from_rows(rows)
    times = np.linspace(0.0, 72.0, 721)
    names = [
        n
        for n in model.observable_names
        if n.endswith("plasma_concentration") or n.startswith("mu_receptor.occupancy[")
    ]
    result = solve(
        compile_model(model),
        parameters[None],
        events,
        times,
        SolverOptions(rtol=SOLVER_RTOL, atol=SOLVER_ATOL, backend=backend),
    )
    ours = np.stack([result[n] for n in names])

    runner = roadrunner.RoadRunner(export_sbml(model, parameters, events))
    runner.integrator.relative_tolerance = SOLVER_RTOL
    runner.integrator.absolute_tolerance = [SOLVER_ATOL] * runner.model.getNumRateRules()
    runner.integrator.variable_step_size = False
    runner.integrator.maximum_num_steps = 100_000
    runner.timeCourseSelections = ["time", *(symbol_name(n) for n in names)]
    theirs = np.asarray(runner.simulate(0.0, 72.0, len(times)))[:, 1:].T

    scale = np.abs(ours).max(axis=1, keepdims=True)
    assert np.all(scale > 0), "a compared series is 0 throughout; the test would prove nothing"
    assert np.max(np.abs(ours - theirs) / scale) < AGREEMENT
