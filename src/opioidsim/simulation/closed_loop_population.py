"""Closed-loop populations on disk: one folder per chunk, kept on ``resume``.

``write_closed_loop_population`` runs a population of subjects that differ (a
:class:`~opioidsim.population.PopulationSpec`: model parameters and the paradigm's decision
parameters, drawn by subject id) through a scenario with a paradigm block (self-administration,
human opioid use), in chunks over worker processes. Each finished chunk is written to a folder
of its own (``chunk=NNNNNNN/``: ``results.parquet``, ``metadata.json`` and the paradigm's
tables), first under a temporary name and then renamed, so an interrupted run loses no
finished chunk and ``resume=True`` simulates only the rest. ``_manifest.json`` records what
was asked; a resumed run must ask the same.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opioidsim.errors import ConfigError
from opioidsim.io.results import write_result
from opioidsim.io.safe_write import make_output_folder, write_text_safely
from opioidsim.population import PopulationSpec
from opioidsim.protocols import Scenario
from opioidsim.simulation.closed_loop import map_chunks
from opioidsim.simulation.run import model_version

MANIFEST = "_manifest.json"


@dataclass(frozen=True)
class Paradigm:
    """How one paradigm's chunk is simulated and which tables it writes (module-level
    functions, so that worker processes can receive them)."""

    #: The scenario block's name (a manifest key).
    block: str
    #: ``simulate(scenario, block, subjects=, first_subject=, population=)`` -> a run with
    #: ``.result``.
    simulate: Callable[..., Any]
    #: ``tables(run, block, first_subject)`` -> {file name: (header, rows)}.
    tables: Callable[[Any, Any, int], dict[str, tuple[list[str], list[list]]]]
    #: What the subjects are called in messages ("animals", "people").
    plural: str = "subjects"


def _chunk_folder(out: Path, start: int) -> Path:
    return out / f"chunk={start:07d}"


def _write_chunk(task: tuple) -> int:
    paradigm, scenario, block, start, size, population, folder, observables = task
    run = paradigm.simulate(
        scenario, block, subjects=size, first_subject=start, population=population
    )
    final = Path(folder)
    partial = final.with_name(final.name + ".tmp")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    write_result(run.result, partial, observables=observables)
    for name, (header, rows) in paradigm.tables(run, block, start).items():
        with (partial / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    os.replace(partial, final)
    return size


def write_closed_loop_population(
    paradigm: Paradigm,
    scenario: Scenario,
    block: Any,
    population: PopulationSpec,
    out_dir: str | Path,
    *,
    chunk_size: int = 1000,
    workers: int = 1,
    resume: bool = False,
    observables: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Run ``population.size`` subjects in chunks; return the manifest with timings."""
    if chunk_size < 1:
        raise ConfigError(f"chunk_size: got {chunk_size}; must be >= 1.")
    if workers < 1:
        raise ConfigError(f"workers: got {workers}; must be >= 1.")
    out = Path(out_dir)
    manifest = {
        "scenario": scenario.to_dict(),
        paradigm.block: block.to_dict(),
        "population": population.model_dump(mode="json"),
        "chunk_size": chunk_size,
        "model_version": model_version(),
        "subjects": population.size,
    }
    # The manifest goes through JSON so that a resumed run compares like with like.
    manifest = json.loads(json.dumps(manifest))
    path = out / MANIFEST
    if path.exists():
        if not resume:
            raise ConfigError(
                f"output: {out} already holds a {paradigm.block.replace('_', '-')} population "
                f"({MANIFEST}); pass --resume to finish it, or choose another folder."
            )
        old = json.loads(path.read_text(encoding="utf-8"))
        for key in ("scenario", paradigm.block, "population", "chunk_size", "model_version"):
            if old.get(key) != manifest[key]:
                raise ConfigError(
                    f"output: {out} holds a run with another {key}; --resume needs the same "
                    "scenario, population and chunk size (or choose another folder)."
                )
    else:
        make_output_folder(out)
        write_text_safely(path, json.dumps(manifest, indent=1))
    starts = range(0, population.size, chunk_size)
    tasks = [
        (
            paradigm,
            scenario,
            block,
            start,
            min(chunk_size, population.size - start),
            population,
            str(_chunk_folder(out, start)),
            observables,
        )
        for start in starts
        if not _chunk_folder(out, start).exists()
    ]
    kept = len(starts) - len(tasks)
    began = time.perf_counter()
    done = 0
    for size in map_chunks(_write_chunk, tasks, workers):
        done += size
        if progress:
            progress(done, population.size)
    return {
        **manifest,
        "chunks": len(starts),
        "chunks_kept": kept,
        "wall_time_s": time.perf_counter() - began,
        "manifest": str(path),
    }
