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
    # intensity 5 on top of the rat's circadian drive (1 at 07:00 to 2 at 19:00, session 15)
    assert 6.0 < ours[NAMES.index("hpa_axis.hypothalamic_drive")].max() < 7.0
    _assert_agree(ours, theirs, NAMES, _not_at_events(times, events))


def test_the_export_with_stress_events_passes_libsbml_consistency_checks():
    model = build_model(["morphine"], species="rat")
    parameters = model.parameter_values.copy()
    xml = export_sbml(model, parameters, _stress_events(model, parameters))
    validate_sbml(xml)
    assert "event[hpa_axis.stressor_drive]" in xml


SOCIAL_NAMES = [
    "endogenous_opioids.beta_endorphin_brain_concentration",
    "social_connection.connection",
    "mu_receptor.drug_occupancy",
]


def test_libroadrunner_reproduces_felt_connection_under_naltrexone():
    """A social contact (the beta-endorphin release feedback and the connection state) with
    naltrexone taking the receptors: the export must carry the event channel and the
    feedback; libroadrunner must agree."""
    from opioidsim.io.config import load_scenario

    scenario = load_scenario(
        {
            "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
            "duration": "6 h",
            "output_interval": "30 s",
            "doses": [{"drug": "naltrexone", "amount": "50 mg", "route": "oral", "time": "2 h"}],
            "events": [
                {"kind": "social_contact", "time": "1 h", "duration": "30 min",
                 "every": "3 h", "count": 2}
            ],
        }
    )  # fmt: skip
    model = build_model(["naltrexone"])
    parameters = model.parameter_values.copy()
    rows = build_events(
        compile_model(model),
        scenario.dose_records(),
        parameters,
        episodes=scenario.event_records(),
    )
    events = EventTable.from_rows(rows)
    times = np.linspace(0.0, 6.0, 721)
    ours, theirs = _run_both(model, parameters, events, times, SOCIAL_NAMES)
    connection = ours[SOCIAL_NAMES.index("social_connection.connection")]
    assert connection.max() > 0.5  # the contact registered
    _assert_agree(ours, theirs, SOCIAL_NAMES, _not_at_events(times, events))


DEFEAT_NAMES = [
    "hpa_axis.stress_crf_drive",
    "oxytocin_system.hpa_buffering",
    "stress_sensitisation.level",
    "reward.accumbens_dopamine",
]


def test_libroadrunner_reproduces_the_defeat_oxytocin_cocaine_example():
    """examples/social/defeat_oxytocin_cocaine_mouse.yaml (doses, defeats, pair housing,
    social contact and oxytocin; the oxytocin buffering feeds the HPA axis back) exported
    to SBML: libroadrunner must agree on the buffered CRF drive, the sensitisation and the
    dopamine response to cocaine 3 weeks later."""
    from pathlib import Path

    from opioidsim.io.config import load_scenario

    path = Path(__file__).parents[2] / "examples" / "social" / "defeat_oxytocin_cocaine_mouse.yaml"
    scenario = load_scenario(path)
    model = build_model(["oxytocin", "cocaine"], species="mouse")
    parameters = model.parameter_values.copy()
    rows = build_events(
        compile_model(model),
        scenario.dose_records(),
        parameters,
        episodes=scenario.event_records(),
    )
    events = EventTable.from_rows(rows)
    times = np.linspace(0.0, 31 * 24.0, 31 * 24 * 6 + 1)
    ours, theirs = _run_both(model, parameters, events, times, DEFEAT_NAMES)
    level = ours[DEFEAT_NAMES.index("stress_sensitisation.level")]
    assert 0.05 < level[-1] < 0.5  # buffered defeats still sensitise, less than unbuffered
    assert ours[DEFEAT_NAMES.index("oxytocin_system.hpa_buffering")].min() < 0.7
    _assert_agree(ours, theirs, DEFEAT_NAMES, _not_at_events(times, events))
