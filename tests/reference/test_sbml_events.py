"""Reference: non-drug events (stress episodes) in the SBML export, run in libroadrunner.

A stress episode is two rate events on the HPA module's ``stressor_drive`` input channel;
the export writes that channel as a parameter switched by SBML events, as it writes an
infusion. libroadrunner must reproduce opioidsim's ACTH and glucocorticoid.
"""

import numpy as np
import pytest

from opioidsim.engine.compile import compile_model
from opioidsim.engine.events import EventTable
from opioidsim.io.sbml import export_sbml, validate_sbml
from opioidsim.model.default import build_model
from opioidsim.protocols.events import EventRecord
from opioidsim.simulation.run import build_events
from reference.test_sbml_roadrunner import _assert_agree, _not_at_events, _run_both

pytest.importorskip("roadrunner")
pytestmark = pytest.mark.roadrunner

NAMES = [
    "hpa_axis.hypothalamic_drive",
    "hpa_axis.acth_concentration",
    "hpa_axis.glucocorticoid_concentration",
]


def _stress_events(model, parameters):
    episodes = [
        EventRecord(kind="stress", time_h=1.0, duration_h=1 / 3, intensity=5.0, source_index=0),
        EventRecord(kind="stress", time_h=4.0, duration_h=1 / 3, intensity=5.0, source_index=0),
    ]
    rows = build_events(compile_model(model), [], parameters, episodes=episodes)
    return EventTable.from_rows(rows)


def test_libroadrunner_reproduces_the_hpa_response_to_stress_episodes():
    model = build_model(["morphine"], species="rat")
    parameters = model.parameter_values.copy()
    events = _stress_events(model, parameters)
    times = np.linspace(0.0, 8.0, 961)  # every 30 s
    ours, theirs = _run_both(model, parameters, events, times, NAMES)
    assert ours[NAMES.index("hpa_axis.hypothalamic_drive")].max() == pytest.approx(6.0, rel=1e-3)
    _assert_agree(ours, theirs, NAMES, _not_at_events(times, events))


def test_the_export_with_stress_events_passes_libsbml_consistency_checks():
    model = build_model(["morphine"], species="rat")
    parameters = model.parameter_values.copy()
    xml = export_sbml(model, parameters, _stress_events(model, parameters))
    validate_sbml(xml)
    assert "event[hpa_axis.stressor_drive]" in xml
