"""Conditioned place preference (issue 15): the block's one-line errors, the outcome and the
choice, and the paradigm's basic regularities (more pairings and a larger dose give a larger
preference; vehicle alone gives none)."""

from __future__ import annotations

import numpy as np
import pytest

from opioidsim.errors import ConfigError
from opioidsim.model import place_conditioning
from opioidsim.protocols.place_conditioning import load
from opioidsim.simulation.place_conditioning import simulate_place_conditioning

TABLE = place_conditioning.values()


def scenario(**block) -> dict:
    return {
        "subject": {"species": "mouse", "sex": "male", "body_weight": "0.03 kg"},
        "duration": "10 d",
        "output_interval": "6 h",
        "doses": [],
        "place_conditioning": {"drug": "cocaine", "dose": "5 mg/kg", "route": "ip", **block},
    }


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"drug": "cocoa"}, "place_conditioning.drug", "cocoa"),
        ({"dose": "5 kg"}, "place_conditioning.dose", "5 kg"),
        ({"route": "nasal"}, "place_conditioning.route", "nasal"),
        ({"pairings": 0}, "place_conditioning.pairings", "whole number"),
        ({"pairings": 9}, "place_conditioning.pairings", "duration"),
        ({"confinement": "30 h"}, "place_conditioning.confinement", "at most"),
        ({"every": "soon"}, "place_conditioning.every", "soon"),
        ({"shock": True}, "place_conditioning.shock", "unknown field"),
    ],
)
def test_a_bad_block_gets_one_line_naming_the_field(change, field, words):
    with pytest.raises(ConfigError) as caught:
        load(scenario(**change))
    message = str(caught.value)
    assert message.startswith(field + ":"), message
    assert words in message
    assert "\n" not in message


def test_the_outcome_is_zero_at_rest_positive_for_reward_and_negative_in_withdrawal():
    out = place_conditioning.outcome(
        np.array([100.0, 200.0, 100.0]),
        np.array([0.0, 0.0, 0.0]),
        0.0,
        np.array([0.0, 0.0, 1.0]),
        TABLE,
    )
    np.testing.assert_allclose(out, [0.0, 0.5, -0.5])
    assert place_conditioning.paired_fraction(0.3, 0.3, TABLE) == 0.5


def test_more_pairings_and_a_larger_dose_give_a_larger_preference():
    def score(**block):
        scen, spec = load(scenario(**block))
        return simulate_place_conditioning(scen, spec).score_s

    one, four = score(pairings=1), score(pairings=4)
    assert 0 < one < four
    assert score(dose="0.5 mg/kg") < four
    assert score(dose="1e-6 mg/kg") == pytest.approx(0.0, abs=0.5)
