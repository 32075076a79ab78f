"""Self-administration populations on disk (``opioidsim population`` on a scenario with a
``self_administration`` block): ``closed_loop_population``'s chunk folders, each with
``infusions.csv`` and ``responses.csv`` beside its results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from opioidsim.population import PopulationSpec
from opioidsim.protocols import Scenario
from opioidsim.protocols.self_administration import BLOCK, SelfAdministration
from opioidsim.simulation.closed_loop_population import (
    MANIFEST,
    Paradigm,
    write_closed_loop_population,
)
from opioidsim.simulation.self_administration import (
    SelfAdministrationResult,
    simulate_self_administration,
)

__all__ = ["MANIFEST", "SELF_ADMINISTRATION", "write_self_administration_population"]


def _tables(
    run: SelfAdministrationResult, block: SelfAdministration, start: int
) -> dict[str, tuple[list[str], list[list]]]:
    header = ["subject", "time_h", "session", "delivered"]
    return {
        name: (
            header,
            [
                [start + subject, f"{time_h:.6g}", session + 1, block.sessions[session].reinforced]
                for subject, time_h, session in rows
            ],
        )
        for name, rows in (("infusions.csv", run.infusions), ("responses.csv", run.responses))
    }


SELF_ADMINISTRATION = Paradigm(BLOCK, simulate_self_administration, _tables, "animals")


def write_self_administration_population(
    scenario: Scenario,
    block: SelfAdministration,
    population: PopulationSpec,
    out_dir: str | Path,
    **options: Any,
) -> dict:
    """Run ``population.size`` animals in chunks; return the manifest with timings."""
    return write_closed_loop_population(
        SELF_ADMINISTRATION, scenario, block, population, out_dir, **options
    )
