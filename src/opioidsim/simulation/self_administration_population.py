"""Self-administration populations on disk: one folder per chunk, kept on ``resume``.

``write_self_administration_population`` runs a population of animals that differ (a
:class:`~opioidsim.population.PopulationSpec`: model parameters and ``drug_taking.*``
behaviour parameters, drawn by subject id) through a scenario with a self-administration
block, in chunks over worker processes. Each finished chunk is written to a folder of its own
(``chunk=NNNNNNN/``: ``results.parquet``, ``metadata.json``, ``infusions.csv``,
``responses.csv``), first under a temporary name and then renamed, so an interrupted run
loses no finished chunk and ``resume=True`` simulates only the rest. ``_manifest.json``
records what was asked; a resumed run must ask the same.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from opioidsim.errors import ConfigError
from opioidsim.io.results import write_result
from opioidsim.io.safe_write import make_output_folder, write_text_safely
from opioidsim.population import PopulationSpec
from opioidsim.protocols import Scenario
from opioidsim.protocols.self_administration import SelfAdministration
from opioidsim.simulation.closed_loop import map_chunks
from opioidsim.simulation.run import model_version
from opioidsim.simulation.self_administration import simulate_self_administration

MANIFEST = "_manifest.json"
#: Manifest keys a resumed run must match.
_SAME = ("scenario", "self_administration", "population", "chunk_size", "model_version")


def _chunk_folder(out: Path, start: int) -> Path:
    return out / f"chunk={start:07d}"


def _write_chunk(task: tuple) -> int:
    scenario, block, start, size, population, folder, observables = task
    run = simulate_self_administration(
        scenario, block, subjects=size, first_subject=start, population=population
    )
    final = Path(folder)
    partial = final.with_name(final.name + ".tmp")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    write_result(run.result, partial, observables=observables)
    for name, rows in (("infusions.csv", run.infusions), ("responses.csv", run.responses)):
        with (partial / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["subject", "time_h", "session", "delivered"])
            for subject, time_h, session in rows:
                writer.writerow(
                    [
                        start + subject,
                        f"{time_h:.6g}",
                        session + 1,
                        block.sessions[session].reinforced,
                    ]
                )
    os.replace(partial, final)
    return size


def write_self_administration_population(
    scenario: Scenario,
    block: SelfAdministration,
    population: PopulationSpec,
    out_dir: str | Path,
    *,
    chunk_size: int = 1000,
    workers: int = 1,
    resume: bool = False,
    observables: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Run ``population.size`` animals in chunks; return the manifest with timings."""
    if chunk_size < 1:
        raise ConfigError(f"chunk_size: got {chunk_size}; must be >= 1.")
    if workers < 1:
        raise ConfigError(f"workers: got {workers}; must be >= 1.")
    out = Path(out_dir)
    manifest = {
        "scenario": scenario.to_dict(),
        "self_administration": block.to_dict(),
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
                f"output: {out} already holds a self-administration population ({MANIFEST}); "
                "pass --resume to finish it, or choose another folder."
            )
        old = json.loads(path.read_text(encoding="utf-8"))
        for key in _SAME:
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
