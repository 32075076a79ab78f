"""Populations of people after detoxification on disk (``opioidsim population`` on a scenario
with an ``opioid_use`` block): ``closed_loop_population``'s chunk folders, each with
``days.csv`` (one row per person and day) beside its results, so 10^4 people never sit in
memory at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from opioidsim.population import PopulationSpec
from opioidsim.protocols import Scenario
from opioidsim.protocols.opioid_use import BLOCK, OpioidUse
from opioidsim.simulation.closed_loop_population import Paradigm, write_closed_loop_population
from opioidsim.simulation.opioid_use import (
    DAYS_HEADER,
    OpioidUseResult,
    days_rows,
    simulate_opioid_use,
)


def _tables(
    run: OpioidUseResult, block: OpioidUse, start: int
) -> dict[str, tuple[list[str], list[list]]]:
    return {"days.csv": (DAYS_HEADER, days_rows(run, block, start))}


OPIOID_USE = Paradigm(BLOCK, simulate_opioid_use, _tables, "people")


def write_opioid_use_population(
    scenario: Scenario,
    block: OpioidUse,
    population: PopulationSpec,
    out_dir: str | Path,
    **options: Any,
) -> dict:
    """Run ``population.size`` people in chunks; return the manifest with timings."""
    return write_closed_loop_population(
        OPIOID_USE, scenario, block, population, out_dir, **options
    )
