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
