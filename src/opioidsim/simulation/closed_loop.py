"""What every closed-loop simulation shares: one engine run cut into segments, each segment's
event table (the scenario's scheduled rows for every subject, plus what the decisions just
chose), and the process pool its chunks of subjects run on.

Used by self-administration (decisions every minute of a session) and by human opioid use
(decisions once a day).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from opioidsim.engine.events import EventTable
from opioidsim.engine.results import SimulationResult
from opioidsim.errors import ConfigError
from opioidsim.population import PopulationSpec
from opioidsim.population.sampling import sample_behaviour, sample_parameters

#: Times closer than this (h) are one time: 9 h + 20 x 1 min and 56 x 10 min differ by
#: round-off only, which grows with the time (~1e-12 h after a year).
SAME_TIME_H = 1e-9


def merged_times(times: list[float]) -> list[float]:
    out: list[float] = []
    for t in sorted(times):
        if not out or t - out[-1] > SAME_TIME_H:
            out.append(t)
    return out


def store_on_grid(
    values: np.ndarray, grid: np.ndarray, out_t: np.ndarray, segment_values: np.ndarray
) -> None:
    """Copy a segment's outputs that fall on the run's output grid into ``values``
    (subjects x observables x grid). A segment's end is the next one's start, which is
    written after it: at a decision time the value after that decision's doses is kept."""
    at = np.searchsorted(grid, out_t - SAME_TIME_H)
    on_grid = (at < len(grid)) & (
        np.abs(grid[np.minimum(at, len(grid) - 1)] - out_t) <= SAME_TIME_H
    )
    values[:, :, at[on_grid]] = segment_values[:, :, on_grid]


def event_columns(rows: list[tuple]) -> np.ndarray:
    """Scheduled ``(subject, time, kind, target, value)`` rows as a (rows, 4) array of
    (time, kind, target, value), in their order."""
    if not rows:
        return np.zeros((0, 4))
    return np.array([(t, kind, target, value) for (_, t, kind, target, value) in rows], float)


def segment_events(
    rates: np.ndarray,
    rate_mask: np.ndarray,
    boluses: np.ndarray,
    bolus_mask: np.ndarray,
    taken: list[tuple],
    subjects: int,
) -> EventTable:
    """One segment's event table: the selected scheduled rows for every subject, then the
    infusions just taken, sorted by (subject, time) stably (as ``EventTable.from_rows``)."""
    chosen = np.concatenate([rates[rate_mask], boluses[bolus_mask]])
    subject = np.repeat(np.arange(subjects), len(chosen))
    columns = np.tile(chosen, (subjects, 1))
    if taken:
        extra = np.array(taken, dtype=float)
        subject = np.concatenate([subject, extra[:, 0].astype(np.int64)])
        columns = np.concatenate([columns, extra[:, 1:]])
    if not len(subject):
        return EventTable.empty()
    order = np.lexsort((columns[:, 0], subject))
    return EventTable(
        subject[order].astype(np.int64),
        columns[order, 0].astype(float),
        columns[order, 1].astype(np.int64),
        columns[order, 2].astype(np.int64),
        columns[order, 3].astype(float),
    )


def map_chunks(function: Callable[[Any], Any], tasks: list, workers: int) -> Iterator[Any]:
    """``function`` over ``tasks`` in order: here, or over ``workers`` processes (fork where
    the platform has it, so the compiled kernels are inherited)."""
    if workers == 1 or len(tasks) <= 1:
        yield from map(function, tasks)
        return
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(function, tasks)


def sampled(
    model,
    typical: np.ndarray,
    population: PopulationSpec,
    table: dict,
    ids: np.ndarray,
    prefix: str,
) -> tuple[np.ndarray, dict]:
    """Each subject's model parameters and decision table: the population's ``variability``
    entries named ``<prefix><name>`` vary the decision table (their own random stream, so
    adding them leaves every model draw unchanged), the others the model, as
    ``simulate_population`` draws them."""
    model_spec = population.model_copy(
        update={
            "variability": tuple(
                e for e in population.variability if not e.parameter.startswith(prefix)
            )
        }
    )
    parameters = sample_parameters(model, typical, model_spec, ids)
    return parameters, sample_behaviour(table, population, ids, prefix=prefix)


def chunk_tasks(
    scenario: Any, block: Any, subjects: int, chunk_size: int | None, workers: int, kwargs: dict
) -> list[tuple]:
    """``(scenario, block, first subject, size, kwargs)`` per chunk, after checking the
    counts (one-line errors)."""
    if subjects < 1:
        raise ConfigError(f"subjects: got {subjects}; must be >= 1.")
    if workers < 1:
        raise ConfigError(f"workers: got {workers}; must be >= 1.")
    size = subjects if chunk_size is None else chunk_size
    if size < 1:
        raise ConfigError(f"chunk_size: got {chunk_size}; must be >= 1.")
    return [
        (scenario, block, start, min(size, subjects - start), kwargs)
        for start in range(0, subjects, size)
    ]


def joined(parts: list[SimulationResult], workers: int) -> SimulationResult:
    """The chunks' results as one, subjects in order."""
    first = parts[0]
    return SimulationResult(
        time=first.time,
        names=first.names,
        units=first.units,
        values=np.concatenate([part.values for part in parts]),
        status=[status for part in parts for status in part.status],
        messages=[message for part in parts for message in part.messages],
        subject_ids=np.arange(sum(len(part.values) for part in parts)),
        metadata=first.metadata,
        statistics={"chunks": len(parts), "workers": workers},
    )
