"""The page's pure logic: fields <-> scenario, and where a message goes."""

from __future__ import annotations

import pytest

pytest.importorskip("dash")

from opioidsim.io.config import load_scenario
from opioidsim.web.app import (
    DEFAULT_SCENARIO,
    error_outputs,
    fields_from_scenario,
    scenario_from_fields,
)


def test_fields_round_trip_the_default_scenario():
    fields = fields_from_scenario(DEFAULT_SCENARIO)
    assert load_scenario(scenario_from_fields(*fields)) == load_scenario(DEFAULT_SCENARIO)


@pytest.mark.parametrize(
    "message, slot",
    [
        ("subject.body_weight: got 'seventy'; write e.g. '70 kg'.", 1),
        ("duration: got 'soon'; write e.g. '7 d'.", 2),
        ("output_interval: got 'often'; write e.g. '1 h'.", 3),
        ("doses[0].amount: got 'fifty'; write e.g. '10 mg'.", 0),
        ("something else: got it; do this.", 0),
    ],
)
def test_a_message_goes_beside_the_field_it_names(message, slot):
    outputs = error_outputs(message)
    assert outputs[slot] == message
    assert all(text == "" for k, text in enumerate(outputs) if k != slot)
