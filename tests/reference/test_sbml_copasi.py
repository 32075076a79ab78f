"""Reference: our SBML export, run in COPASI (through basico), against opioidsim's engine.

COPASI is a second independent simulator (its own SBML importer, event handling and LSODA
integrator). It runs the compact export (one self-rescheduling event per repeated dose) as
it comes: only the tolerances and the step limit are set, as in any COPASI time course.
"""

import locale

import numpy as np
import pytest

from opioidsim.io.sbml import export_sbml
from opioidsim.model.default import build_model
from reference.test_sbml_roadrunner import (
    DAYS,
    _assert_agree,
    _compared_observables,
    _fourteen_days,
    _not_at_events,
    _run_ours,
)

# Importing COPASI sets the C locale to "C" (ASCII text I/O for the rest of the process);
# the locale the tests started with is put back.
_LOCALE = locale.setlocale(locale.LC_ALL)
basico = pytest.importorskip("basico")
locale.setlocale(locale.LC_ALL, _LOCALE)

pytestmark = pytest.mark.roadrunner


@pytest.fixture(autouse=True)
def _restore_locale():
    # COPASI sets the C locale again when it loads a model; tests after these in the same
    # worker (YAML written with the locale's encoding) must get the original back.
    yield
    locale.setlocale(locale.LC_ALL, _LOCALE)


HOURS = 24 * DAYS


@pytest.mark.parametrize("drugs", [("morphine",), ("morphine", "naltrexone")])
def test_copasi_reproduces_the_fourteen_day_schedule_from_the_compact_export(drugs):
    model = build_model(list(drugs), species="human")
    parameters = model.parameter_values.copy()
    events = _fourteen_days(model, parameters, drugs)
    times = np.linspace(0.0, HOURS, HOURS + 1)
    names = _compared_observables(model)
    ours = _run_ours(model, parameters, events, times, names)
    xml = export_sbml(model, parameters, events)
    assert xml.count("<event ") < len(events) / 4  # the repeats are periodic events
    copasi = basico.load_model_from_string(xml)
    try:
        basico.set_task_settings(
            basico.T.TIME_COURSE,
            {"method": {"Relative Tolerance": 1e-10, "Absolute Tolerance": 1e-12,
                        "Max Internal Steps": 1_000_000}},
            model=copasi,
        )  # fmt: skip
        frame = basico.run_time_course_with_output(
            [f"Values[{name}]" for name in names], duration=HOURS, intervals=HOURS, model=copasi
        )
    finally:
        basico.remove_datamodel(copasi)
    theirs = np.stack([frame[f"Values[{name}]"].to_numpy() for name in names])
    assert theirs.shape == ours.shape
    _assert_agree(ours, theirs, names, _not_at_events(times, events))


_RUN_ARCHIVE_IN_COPASI = """
import json, sys
import COPASI
folder, names, out = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
datamodel = COPASI.CRootContainer.addDatamodel()
assert datamodel.importSEDML(folder + "/simulation.sedml")
task = datamodel.getTask("Time-Course")
assert task.process(True)
series = task.getTimeSeries()
titles = [series.getTitle(i) for i in range(series.getNumVariables())]
steps = range(series.getRecordedSteps())
columns = {"time": [series.getData(k, 0) for k in steps],
           "duration": task.getProblem().getDuration()}
for name in names:
    column = titles.index("Values[" + name + "]")
    columns[name] = [series.getData(k, column) for k in steps]
json.dump(columns, open(out, "w"))
"""


def test_copasi_runs_the_combine_archive_as_written(tmp_path):
    # `export-sbml --omex`: COPASI imports the archive's SED-ML (time course, integrator
    # settings, report) and runs it with nothing set by hand; it agrees with opioidsim.
    # COPASI's SED-ML import changes libsbml's global parser state, so it runs in its own
    # process.
    import json
    import subprocess
    import sys
    import zipfile

    from typer.testing import CliRunner

    from opioidsim.cli.app import app
    from opioidsim.engine.solve import SolverOptions
    from opioidsim.simulation import simulate

    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        "name: naltrexone then heroin\n"
        "subject: {species: human, sex: male, body_weight: 70 kg}\n"
        "duration: 3 d\noutput_interval: 30 min\n"
        "doses:\n"
        "  - {drug: naltrexone, amount: 50 mg, route: oral, time: 0 h, every: 24 h, for: 2 d}\n"
        "  - {drug: heroin, amount: 25 mg, route: iv, time: 60 h}\n"
    )
    archive = tmp_path / "run.omex"
    result = CliRunner().invoke(app, ["export-sbml", str(scenario), "--omex", "-o", str(archive)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "archive"
    with zipfile.ZipFile(archive) as opened:
        assert set(opened.namelist()) == {"manifest.xml", "model.xml", "simulation.sedml"}
        opened.extractall(folder)
    names = [
        "naltrexone.plasma_concentration",
        "reward.accumbens_dopamine",
        "mu_receptor.occupancy[monoacetylmorphine]",
    ]
    out = tmp_path / "copasi.json"
    subprocess.run(
        [sys.executable, "-c", _RUN_ARCHIVE_IN_COPASI, str(folder), json.dumps(names), str(out)],
        check=True,
        timeout=600,
    )
    columns = json.loads(out.read_text())
    assert columns["duration"] == pytest.approx(72.0)
    times = np.array(columns["time"])
    ours = simulate(scenario, options=SolverOptions(rtol=1e-10, atol=1e-12, max_steps=1_000_000))
    np.testing.assert_allclose(times, ours.time, atol=1e-9)
    away = ~np.isclose(times[:, None], [0.0, 24.0, 60.0], atol=1e-9).any(axis=1)
    for name in names:
        theirs = np.array(columns[name])
        scale = np.abs(ours[name]).max()
        assert scale > 0, name
        np.testing.assert_allclose(
            theirs[away], ours[name][away], rtol=1e-4, atol=1e-6 * scale, err_msg=name
        )
