"""Conditioned place preference as a scenario block (issue 15).

A scenario with a ``place_conditioning`` block pairs one side of a two-sided apparatus with a
drug and the other with vehicle, then tests, drug-free, where the animal spends its time
(``opioidsim.model.place_conditioning`` learns and chooses). Example::

    place_conditioning:
      drug: morphine
      dose: 10 mg/kg
      route: sc
      pairings: 4              # drug pairings; a vehicle pairing follows each
      start: 33 h              # the first drug pairing
      every: 48 h              # drug pairing to drug pairing (vehicle halfway)
      confinement: 30 min      # on the side, after the injection
      test_duration: 15 min    # the test, 24 h after the last vehicle pairing

The drug doses are added to the scenario's own doses and events (a defeat history, an
antagonist before each pairing, a dependent animal's pellets), which run as usual. Errors
name the field (``place_conditioning.pairings``), the bad value and what would be valid.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic_core import PydanticCustomError

from opioidsim.errors import ConfigError
from opioidsim.protocols.block_fields import BlockFields
from opioidsim.protocols.scenario import _TIME, Scenario, _parse_quantity

BLOCK = "place_conditioning"
_FIELDS = (
    "drug",
    "dose",
    "route",
    "pairings",
    "start",
    "every",
    "confinement",
    "test_duration",
)
TEST_DELAY_H = 24.0


@dataclass(frozen=True)
class PlaceConditioning:
    """A validated block: the drug doses (scenario dose entries), the trial windows, the test."""

    drug: str
    dose_text: str
    route: str
    #: (start_h, end_h) of each confinement on the drug side, and on the vehicle side.
    drug_trials: tuple[tuple[float, float], ...]
    vehicle_trials: tuple[tuple[float, float], ...]
    test_start_h: float
    test_duration_h: float
    doses: tuple[dict, ...]


def _fail(field: str, message: str) -> None:
    raise ConfigError(f"{BLOCK}.{field}: {message}")


def _hours(value: Any, field: str, example: str) -> float:
    try:
        quantity = _parse_quantity(value, _TIME, "a time", example)
    except PydanticCustomError as exc:
        _fail(field, str((exc.context or {})["detail"]))
    hours = float(quantity.to("h").magnitude)
    if hours < 0 or (field != "start" and hours <= 0):
        _fail(
            field,
            f"got {value!r}; must be {'>= 0' if field == 'start' else '> 0'} (e.g. {example}).",
        )
    return hours


def parse(block: Any, scenario: Scenario) -> PlaceConditioning:
    """Check a ``place_conditioning`` block against its scenario (one-line errors)."""
    if not isinstance(block, Mapping):
        raise ConfigError(
            f"{BLOCK}: got {block!r}; must be a mapping (e.g. {{drug: morphine, dose: 10 mg/kg, "
            "route: sc, pairings: 4})."
        )
    for key in block:
        if key not in _FIELDS:
            _fail(str(key), f"got an unknown field; {BLOCK} has the fields {', '.join(_FIELDS)}.")
    for required in ("drug", "dose", "route"):
        if required not in block:
            _fail(
                required, "got nothing; required (e.g. drug: morphine, dose: 10 mg/kg, route: sc)."
            )
    pairings = block.get("pairings", 4)
    if (
        isinstance(pairings, bool)
        or not isinstance(pairings, numbers.Integral)
        or not 1 <= pairings <= 100
    ):
        _fail("pairings", f"got {pairings!r}; must be a whole number from 1 to 100 (e.g. 4).")
    start = _hours(block.get("start", "9 h"), "start", "9 h")
    every = _hours(block.get("every", "48 h"), "every", "48 h")
    confinement = _hours(block.get("confinement", "30 min"), "confinement", "30 min")
    test_duration = _hours(block.get("test_duration", "15 min"), "test_duration", "15 min")
    if confinement > every / 2:
        _fail(
            "confinement",
            f"got {block.get('confinement')!r}; a drug and a vehicle pairing must fit in every "
            f"({every:g} h): at most {every / 2:g} h.",
        )
    drug_trials = tuple(
        (start + k * every, start + k * every + confinement) for k in range(pairings)
    )
    vehicle_trials = tuple((s + every / 2, e + every / 2) for s, e in drug_trials)
    test_start = vehicle_trials[-1][0] + TEST_DELAY_H
    if test_start + test_duration > scenario.duration_h + 1e-9:
        _fail(
            "pairings",
            f"got {pairings}; the test would end at {test_start + test_duration:g} h, after the "
            f"run ends at {scenario.duration_h:g} h; make the run longer (duration).",
        )
    doses = tuple(
        {
            "drug": block["drug"],
            "amount": block["dose"],
            "route": block["route"],
            "time": f"{s!r} h",
        }
        for s, _ in drug_trials
    )
    # The doses are ordinary scenario doses: the scenario's own checks apply, re-addressed.
    BlockFields(BLOCK).dose_record(scenario, doses[0], names={"amount": "dose"})
    return PlaceConditioning(
        drug=str(block["drug"]),
        dose_text=str(block["dose"]),
        route=str(block["route"]),
        drug_trials=drug_trials,
        vehicle_trials=vehicle_trials,
        test_start_h=test_start,
        test_duration_h=test_duration,
        doses=doses,
    )


def load(raw: Mapping[str, Any]) -> tuple[Scenario, PlaceConditioning | None]:
    """A scenario mapping with an optional block: the scenario and the parsed block."""
    rest = dict(raw)
    block = rest.pop(BLOCK, None)
    scenario = Scenario.model_validate(rest)
    return scenario, (None if block is None else parse(block, scenario))
