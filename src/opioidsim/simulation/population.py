"""Simulate a virtual population in chunks, streamed to partitioned Parquet.

``simulate_population(scenario, spec, out_dir)`` draws subjects ``0 .. size - 1`` of a
:class:`~opioidsim.population.PopulationSpec`, simulates them ``chunk_size`` at a time and
writes each finished chunk before starting the next, so memory is bounded by one chunk::

    out_dir/
      _manifest.json                    the run: scenario, population, chunking, status
      chunk=00000/part.parquet          subject, time_h, observable, value, unit
      chunk=00001/part.parquet
      _subjects/chunk=00000/part.parquet  subject, species, sex, body_weight_kg, and the
                                          value of every varied parameter (canonical units)

pandas, polars and DuckDB read ``out_dir`` as one data set (names starting with ``_`` or
``.`` are skipped by their readers, so the manifest and subject tables do not get in the
way); ``chunk`` comes back as a partition column.

Each file is written to a hidden temporary name and renamed, so a file exists only when
complete. ``resume=True`` keeps the chunks already written and simulates the rest; since a
subject's random numbers depend only on the seed and its id, the result is the same as an
uninterrupted run, and the same for any ``chunk_size`` and ``workers``.

Each subject gets its own dose events: per-kg doses follow the subject's body weight, and
route fractions (bioavailability) follow its parameters.

Dask
    ``dask=DaskSettings(...)`` sends each missing chunk to a Dask cluster as one task that
    rebuilds the model from the scenario and population (plain data), simulates the chunk
    and writes its files itself: ``DaskSettings(scheduler="tcp://host:8786")`` uses a running
    cluster (its workers must see ``out_dir``: a shared file system), ``DaskSettings(workers=
    N)`` starts a local cluster of N single-threaded worker processes on the loopback
    interface and closes it afterwards. Chunks are the unit of work and each is written
    atomically, so the output is the same as a single-process run, and ``resume`` works the
    same way.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import time as _time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from opioidsim.engine.compile import CompiledModel, compile_model
from opioidsim.engine.events import EventTable
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.errors import ConfigError, SolverError
from opioidsim.io.config import load_scenario
from opioidsim.io.results import result_table
from opioidsim.io.safe_write import make_output_folder, replace_safely, write_text_safely
from opioidsim.population import (
    PopulationSpec,
    SubjectCovariates,
    load_population_spec,
    parameter_indices,
    sample_covariates,
    sample_parameters,
)
from opioidsim.protocols import DoseRecord, Scenario
from opioidsim.protocols.doses import amount_kind
from opioidsim.protocols.scenario import BODY_WEIGHT_RANGE, read_yaml
from opioidsim.simulation.run import build_events, model_for, model_version, subject_parameters

MANIFEST = "_manifest.json"
SUBJECTS = "_subjects"
PART = "part.parquet"
FORMAT = "opioidsim.population/1"

#: Default subjects per chunk: a 180-day run at 1 h output with ~50 observables is about
#: 1000 x 50 x 4321 x 8 B = 1.7 GB in memory before selection; pick observables, or a
#: smaller chunk, for long runs.
DEFAULT_CHUNK_SIZE = 250

# Keys of the manifest that must match for --resume to continue a run.
_IDENTITY = ("format", "scenario", "population", "chunk_size", "observables", "model_version")


@dataclass(frozen=True)
class DaskSettings:
    """Where Dask runs the chunks: a running cluster's scheduler address, or a local
    cluster of ``workers`` single-threaded processes (started and closed by the run)."""

    scheduler: str | None = None
    workers: int = 1

    def __post_init__(self) -> None:
        if (
            isinstance(self.workers, bool)
            or not isinstance(self.workers, int)
            or (self.workers < 1)
        ):
            raise ConfigError(f"dask workers: got {self.workers!r}; must be a whole number >= 1.")
        if self.scheduler is not None and not self.scheduler.strip():
            raise ConfigError(
                "scheduler: got ''; give the scheduler's address, e.g. tcp://10.0.0.5:8786."
            )


@contextlib.contextmanager
def dask_client(settings: DaskSettings) -> Iterator[Any]:
    """A ``distributed.Client`` for ``settings``; a local cluster is closed on exit."""
    from distributed import Client, LocalCluster

    if settings.scheduler is not None:
        try:
            client = Client(settings.scheduler, timeout="20s")
        except OSError as error:
            raise ConfigError(
                f"scheduler: got {settings.scheduler!r}; cannot connect ({error}). Start the "
                "scheduler (dask scheduler) or leave --scheduler out for a local cluster."
            ) from None
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=settings.workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,  # pyright: ignore[reportArgumentType]  (None: no dashboard)
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@contextlib.contextmanager
def dask_map(
    settings: DaskSettings,
) -> Iterator[Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]]:
    """A ``map(function, items) -> results in order`` that runs on a Dask cluster."""
    with dask_client(settings) as client:

        def mapper(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
            futures = client.map(function, list(items), pure=False)
            return client.gather(futures)

        yield mapper


@dataclass(frozen=True)
class PopulationRun:
    """What :func:`simulate_population` did."""

    out_dir: Path
    manifest: Path
    n_subjects: int
    n_chunks: int
    chunks_simulated: int
    chunks_skipped: int
    wall_time_s: float


def chunk_path(out_dir: str | PathLike[str], chunk: int, table: str = "") -> Path:
    """Path of one chunk's Parquet file (``table=SUBJECTS`` for its subject table)."""
    base = Path(out_dir) / table if table else Path(out_dir)
    return base / f"chunk={chunk:05d}" / PART


def _write_atomically(table: pa.Table, path: Path) -> None:
    # Hidden temporary names (".part...tmp"): readers of the data set skip them.
    replace_safely(path, lambda tmp: pq.write_table(table, tmp))


def _write_json(data: Mapping[str, Any], path: Path) -> None:
    write_text_safely(path, json.dumps(data, indent=2, sort_keys=True))


def per_kg_doses(scenario: Scenario) -> set[int]:
    """Indices of the scenario's doses given per kg of body weight."""
    out = set()
    for index, dose in enumerate(scenario.doses):
        given = dose.amount if dose.amount is not None else dose.rate
        if given is not None and amount_kind(given, per_time=dose.amount is None)[1]:
            out.add(index)
    return out


def subject_records(
    records: list[DoseRecord], per_kg: set[int], weight_ratio: float
) -> list[DoseRecord]:
    """One subject's dose records: per-kg doses (indices ``per_kg``) scaled by its weight
    relative to the scenario's subject (``weight_ratio``)."""
    if not per_kg or weight_ratio == 1.0:
        return records
    scaled = []
    for record in records:
        if record.source_index in per_kg:
            if record.amount_nmol is not None:
                record = dataclasses.replace(record, amount_nmol=record.amount_nmol * weight_ratio)
            else:
                assert record.rate_nmol_per_h is not None
                record = dataclasses.replace(
                    record, rate_nmol_per_h=record.rate_nmol_per_h * weight_ratio
                )
        scaled.append(record)
    return scaled


def _check_observables(names: list[str] | None, available: list[str]) -> list[str]:
    if names is None:
        return list(available)
    if not names:
        raise ConfigError("observables: got an empty list; give at least one or leave it out.")
    for k, name in enumerate(names):
        if name not in available:
            raise ConfigError(
                f"observables[{k}]: got {name!r}; not an observable of this model "
                f"(e.g. {', '.join(available[:3])})."
            )
    return list(dict.fromkeys(names))


def _check_existing(out: Path, manifest: dict[str, Any], resume: bool) -> None:
    path = out / MANIFEST
    has_chunks = any(out.glob("chunk=*")) if out.is_dir() else False
    if not path.exists():
        if has_chunks:
            raise ConfigError(
                f"output: {out} holds chunk folders but no {MANIFEST}; choose an empty folder."
            )
        return
    if not resume:
        raise ConfigError(
            f"output: {out} already holds a population run ({MANIFEST}); pass --resume "
            "(resume=True) to finish it, or choose another folder."
        )
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ConfigError(
            f"output: {path} cannot be read; delete the folder and run again."
        ) from None
    for key in _IDENTITY:
        if previous.get(key) != manifest[key]:
            raise ConfigError(
                f"output: {out} holds a run with another {key}; resume needs the same "
                "scenario, population, chunk size and observables (or choose another folder)."
            )


def _sample_subjects(
    compiled: CompiledModel,
    scenario: Scenario,
    spec: PopulationSpec,
    base: np.ndarray,
    ids: np.ndarray,
    per_kg: set[int],
) -> tuple[SubjectCovariates, np.ndarray, list[tuple]]:
    """Covariates, parameter vectors and dose events of the subjects ``ids``."""
    model = compiled.model
    species = scenario.subject.species
    covariates = sample_covariates(
        spec,
        ids,
        species=species,
        sex=scenario.subject.sex,
        body_weight_kg=scenario.subject.body_weight_kg,
    )
    low, high = (float(q.to("kg").magnitude) for q in BODY_WEIGHT_RANGE[species])
    outside = np.flatnonzero(
        (covariates.body_weight_kg < low) | (covariates.body_weight_kg > high)
    )
    if outside.size:
        n = outside[0]
        raise ConfigError(
            f"population.covariates.body_weight.{covariates.sex[n]}: subject {ids[n]} drew "
            f"{covariates.body_weight_kg[n]:.4g} kg, outside the plausible {species} range "
            f"{low:g} to {high:g} kg; set min and max."
        )
    parameters = sample_parameters(model, base, spec, ids, covariates)
    records = scenario.dose_records()
    rows: list[tuple] = []
    for n in range(ids.size):
        ratio = covariates.body_weight_kg[n] / scenario.subject.body_weight_kg
        rows += build_events(
            compiled,
            subject_records(records, per_kg, ratio),
            parameters[n],
            subject=n,
            episodes=scenario.event_records(),
        )
    return covariates, parameters, rows


def _solve_subjects(
    compiled: CompiledModel,
    scenario: Scenario,
    spec: PopulationSpec,
    base: np.ndarray,
    ids: np.ndarray,
    per_kg: set[int],
    options: SolverOptions | None,
):
    """Draw subjects ``ids`` of ``spec`` and simulate them in one batch:
    (covariates, parameters, result)."""
    covariates, parameters, rows = _sample_subjects(compiled, scenario, spec, base, ids, per_kg)
    result = solve(
        compiled,
        parameters,
        EventTable.from_rows(rows),
        scenario.output_times_h(),
        options,
        subject_ids=ids,
    )
    return covariates, parameters, result


def _simulate_chunk(
    compiled: CompiledModel,
    scenario: Scenario,
    spec: PopulationSpec,
    base: np.ndarray,
    ids: np.ndarray,
    observables: list[str],
    varied: list[int],
    per_kg: set[int],
    options: SolverOptions,
) -> tuple[pa.Table, pa.Table]:
    model = compiled.model
    try:
        covariates, parameters, result = _solve_subjects(
            compiled, scenario, spec, base, ids, per_kg, options
        )
    except SolverError as error:
        raise type(error)(
            f"subjects {ids[0]}-{ids[-1]}: {error} Earlier chunks are saved; fix the cause "
            "and rerun with --resume.",
            partial=error.partial,
        ) from None
    subjects = covariates.to_pandas()
    for j in varied:
        subjects[model.parameter_names[j]] = parameters[:, j]
    return result_table(result, observables), pa.Table.from_pandas(subjects, preserve_index=False)


def split_population(
    scenario: Scenario | Mapping[str, Any] | str | PathLike[str],
) -> tuple[Scenario | Mapping[str, Any], dict[str, Any] | None]:
    """Separate a scenario file's or mapping's ``population:`` block from the scenario.

    The block is read here, by the population layer, so the scenario schema stays the
    protocol's; ``opioidsim run`` on such a file reports ``population`` as an unknown field.
    """
    if isinstance(scenario, Scenario):
        return scenario, None
    data = read_yaml(scenario) if isinstance(scenario, str | PathLike) else scenario
    if not isinstance(data, Mapping) or "population" not in data:
        return data, None
    block = data["population"]
    if not isinstance(block, Mapping):
        raise ConfigError(
            f"scenario.population: got {block!r:.60}; a population must be a mapping (e.g. "
            "{size: 100, seed: 1}), as in a population file."
        )
    return {k: v for k, v in data.items() if k != "population"}, dict(block)


def _chunk_task(
    scenario_data: dict[str, Any],
    spec_data: dict[str, Any],
    out: str,
    chunk: int,
    chunk_size: int,
    names: list[str],
    options: SolverOptions,
) -> int:
    """Simulate and write one chunk from plain data (a Dask task; runs in any process)."""
    scenario = load_scenario(scenario_data)
    spec = load_population_spec(spec_data)
    model = model_for(scenario)
    ids = np.arange(chunk * chunk_size, min((chunk + 1) * chunk_size, spec.size))
    table, subjects = _simulate_chunk(
        compile_model(model),
        scenario,
        spec,
        subject_parameters(model, scenario),
        ids,
        names,
        parameter_indices(model, spec),
        per_kg_doses(scenario),
        options,
    )
    _write_atomically(subjects, chunk_path(out, chunk, SUBJECTS))
    _write_atomically(table, chunk_path(out, chunk))
    return int(ids.size)


def simulate_population(
    scenario: Scenario | Mapping[str, Any] | str | PathLike[str],
    spec: PopulationSpec | Mapping[str, Any] | str | PathLike[str] | None,
    out_dir: str | PathLike[str],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    workers: int = 1,
    observables: list[str] | None = None,
    resume: bool = False,
    options: SolverOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
    dask: DaskSettings | None = None,
) -> PopulationRun:
    """Simulate every subject of a population and write partitioned Parquet.

    Parameters
    ----------
    scenario
        The protocol and typical subject: a :class:`Scenario`, a mapping or a YAML path.
    spec
        The population: a :class:`PopulationSpec`, a mapping or a YAML path; ``None`` takes
        the scenario's ``population:`` block.
    out_dir
        Output folder (created); see the module docstring for its layout.
    chunk_size
        Subjects simulated and written together; bounds memory.
    workers
        Worker processes per chunk (the engine's ``SolverOptions.workers``).
    observables
        Observables to write (default: all of the model's).
    resume
        Keep chunks already in ``out_dir`` (same scenario, population, chunk size and
        observables) and simulate only the missing ones.
    options
        Solver tolerances and backend; ``workers`` overrides its ``workers``.
    progress
        Called with (subjects done, subjects in all) after each chunk.
    dask
        Run the chunks on a Dask cluster (see the module docstring); ``workers`` is then
        ignored (each task solves its chunk in one process).

    Returns
    -------
    PopulationRun

    Raises
    ------
    ConfigError
        Invalid scenario, population, chunking, observables or output folder.
    SolverError
        A subject failed; the chunks before its chunk are kept for ``resume``.
    """
    started = _time.perf_counter()
    scenario_source, block = split_population(scenario)
    if spec is None:
        if block is None:
            raise ConfigError(
                "population: got nothing; give a population file or a population: block in "
                "the scenario (size, seed, variability)."
            )
        try:
            spec = load_population_spec(block)
        except ConfigError as error:
            raise ConfigError(f"scenario.{error}") from None
    spec = load_population_spec(spec)
    scenario = load_scenario(scenario_source)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ConfigError(f"chunk_size: got {chunk_size!r}; must be a whole number >= 1.")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ConfigError(f"workers: got {workers!r}; must be a whole number >= 1.")
    options = dataclasses.replace(options or SolverOptions(), workers=1 if dask else workers)

    model = model_for(scenario)
    base = subject_parameters(model, scenario)
    varied = parameter_indices(model, spec)
    names = _check_observables(observables, list(model.observable_names))
    compiled = compile_model(model)
    per_kg = per_kg_doses(scenario)

    out = Path(out_dir)
    n_chunks = -(-spec.size // chunk_size)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "scenario": scenario.to_dict(),
        "population": spec.to_dict(),
        "chunk_size": chunk_size,
        "n_chunks": n_chunks,
        "n_subjects": spec.size,
        "observables": names,
        "units": {n: model.observable_units[model.observable_names.index(n)] for n in names},
        "model_version": model_version(),
        "species": model.species,
        "time_unit": "h",
        "columns": ["subject", "time_h", "observable", "value", "unit"],
        "solver": {"backend": options.backend, "rtol": options.rtol, "atol": options.atol},
        "complete": False,
    }
    _check_existing(out, manifest, resume)
    make_output_folder(out)
    _write_json(manifest, out / MANIFEST)

    simulated = skipped = 0
    if dask is not None:
        todo = [c for c in range(n_chunks) if not (resume and chunk_path(out, c).exists())]
        skipped = n_chunks - len(todo)
        done = sum(min(chunk_size, spec.size - c * chunk_size) for c in range(n_chunks)) - sum(
            min(chunk_size, spec.size - c * chunk_size) for c in todo
        )
        if progress and done:
            progress(done, spec.size)
        with dask_client(dask) as client:
            from distributed import as_completed

            scenario_data, spec_data = scenario.to_dict(), spec.to_dict()
            futures = [
                client.submit(
                    _chunk_task,
                    scenario_data,
                    spec_data,
                    str(out),
                    c,
                    chunk_size,
                    names,
                    options,
                    pure=False,
                )
                for c in todo
            ]
            for future in as_completed(futures):
                done += future.result()
                simulated += 1
                if progress:
                    progress(done, spec.size)
    for chunk in range(n_chunks if dask is None else 0):
        ids = np.arange(chunk * chunk_size, min((chunk + 1) * chunk_size, spec.size))
        path = chunk_path(out, chunk)
        if resume and path.exists():
            skipped += 1
        else:
            table, subjects = _simulate_chunk(
                compiled, scenario, spec, base, ids, names, varied, per_kg, options
            )
            # The subject table first: the observables' file marks the chunk as done.
            _write_atomically(subjects, chunk_path(out, chunk, SUBJECTS))
            _write_atomically(table, path)
            simulated += 1
        if progress:
            progress(int(ids[-1]) + 1, spec.size)

    elapsed = _time.perf_counter() - started
    manifest["complete"] = True
    _write_json(manifest, out / MANIFEST)
    return PopulationRun(out, out / MANIFEST, spec.size, n_chunks, simulated, skipped, elapsed)


def population_band(
    scenario: Scenario,
    spec: PopulationSpec,
    observables: list[str],
    size: int | None = None,
    quantiles: tuple[float, ...] = (0.05, 0.5, 0.95),
    options: SolverOptions | None = None,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Quantiles over subjects of each observable, in memory: the band a page draws.

    The first ``size`` subjects of ``spec`` (default: all) are drawn exactly as
    :func:`simulate_population` draws them (same covariates, parameters and per-kg doses),
    simulated in one batch, and reduced to ``quantiles`` at every output time.

    Returns
    -------
    (times_h, {observable: array of shape (len(quantiles), times)})
    """
    model = model_for(scenario)
    compiled = compile_model(model)
    names = _check_observables(observables, model.observable_names)
    n = spec.size if size is None else int(size)
    if not 1 <= n <= spec.size:
        raise ConfigError(f"size: got {size}; valid: 1 to the population's {spec.size}.")
    ids = np.arange(n)
    base = subject_parameters(model, scenario)
    _, _, result = _solve_subjects(
        compiled, scenario, spec, base, ids, per_kg_doses(scenario), options
    )
    out = {}
    for name in names:
        values = result.values[:, model.observable_names.index(name), :]
        out[name] = np.nanquantile(values, quantiles, axis=0)
    return result.time, out


def read_population(out_dir: str | PathLike[str], table: str = ""):
    """Read a population's observables (or, with ``table=SUBJECTS``, its subjects) as pandas,
    sorted by subject (then observable and time)."""
    import pandas as pd

    base = Path(out_dir) / table if table else Path(out_dir)
    files = sorted(base.glob(f"chunk=*/{PART}"))
    if not files:
        raise ConfigError(f"output: {base} holds no chunk=*/{PART}; run the population first.")
    frame = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    keys = ["subject", "observable", "time_h"] if not table else ["subject"]
    if not table:
        frame["observable"] = frame["observable"].astype(str)
        frame["unit"] = frame["unit"].astype(str)
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)
