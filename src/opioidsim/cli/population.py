"""``opioidsim population``: simulate a virtual population into partitioned Parquet.

Register it in :mod:`opioidsim.cli.app` with ``app.command("population")(population_command)``.
``--dask`` and ``--scheduler`` work as in ``opioidsim trial`` (see :mod:`opioidsim.cli.trial`).
It uses that module's error guard, progress bar and console, imported when it runs (this
module is imported by ``app``, so importing ``app`` at the top would be circular).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer

from opioidsim.simulation.population import DEFAULT_CHUNK_SIZE


def _run(
    scenario: Path,
    spec: Path | None,
    output: Path,
    chunk_size: int,
    workers: int,
    resume: bool,
    observables: list[str] | None,
    dask: bool = False,
    scheduler: str | None = None,
) -> None:
    from opioidsim.cli.app import _LazyProgress, out_console
    from opioidsim.cli.trial import dask_settings
    from opioidsim.errors import ConfigError
    from opioidsim.io.config import load_scenario
    from opioidsim.population import load_population_spec
    from opioidsim.protocols.opioid_use import BLOCK as USE_BLOCK
    from opioidsim.protocols.self_administration import BLOCK as SA_BLOCK
    from opioidsim.simulation.population import simulate_population, split_population

    source, block = split_population(scenario)
    behaviour = isinstance(source, Mapping) and (SA_BLOCK in source or USE_BLOCK in source)
    if isinstance(source, Mapping) and "place_conditioning" in source:
        raise ConfigError(
            "place_conditioning: a population of place-conditioned animals is not supported "
            "yet (the model has no between-animal variation there); run one animal with "
            "`opioidsim run`."
        )
    loaded = None if behaviour else load_scenario(source)
    if spec is None:
        if block is None:
            raise ConfigError(
                f"{scenario}: got no population: block and no population file; add one of them."
            )
        try:
            population = load_population_spec(block)
        except ConfigError as error:
            raise ConfigError(f"scenario.{error}") from None
    else:
        population = load_population_spec(spec)
    if behaviour:
        _run_behaviour(source, population, output, chunk_size, workers, resume, observables)
        return
    with _LazyProgress(f"simulating {population.size} subjects") as bar:
        run = simulate_population(
            loaded,
            population,
            output,
            chunk_size=chunk_size,
            workers=workers,
            observables=observables,
            resume=resume,
            progress=bar.update,
            dask=dask_settings(dask, scheduler, workers),
        )
    skipped = f" ({run.chunks_skipped} kept from before)" if run.chunks_skipped else ""
    out_console.print(
        f"wrote {run.n_subjects} subjects in {run.n_chunks} chunks{skipped} to {run.out_dir} "
        f"in {run.wall_time_s:.1f} s; manifest {run.manifest}",
        highlight=False,
        soft_wrap=True,
    )


def _run_behaviour(source, population, output, chunk_size, workers, resume, observables):
    """A population with a self-administration or opioid-use block: chunk folders on disk."""
    from opioidsim.cli.app import _LazyProgress, out_console
    from opioidsim.protocols import opioid_use, self_administration
    from opioidsim.simulation.closed_loop_population import write_closed_loop_population

    if opioid_use.BLOCK in source:
        from opioidsim.simulation.opioid_use_population import OPIOID_USE as paradigm

        scenario, block = opioid_use.load(source)
        tables = "days.csv"
    else:
        from opioidsim.simulation.self_administration_population import (
            SELF_ADMINISTRATION as paradigm,
        )

        scenario, block = self_administration.load(source)
        tables = "infusions.csv, responses.csv"
    with _LazyProgress(f"simulating {population.size} {paradigm.plural}") as bar:
        run = write_closed_loop_population(
            paradigm,
            scenario,
            block,
            population,
            output,
            chunk_size=chunk_size,
            workers=workers,
            resume=resume,
            observables=observables,
            progress=bar.update,
        )
    kept = f" ({run['chunks_kept']} kept from before)" if run["chunks_kept"] else ""
    out_console.print(
        f"wrote {run['subjects']} {paradigm.plural} in {run['chunks']} chunk folders{kept} to "
        f"{output} in {run['wall_time_s']:.1f} s (results, {tables} per chunk); "
        f"manifest {run['manifest']}",
        highlight=False,
        soft_wrap=True,
    )


def population_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file (protocol, subject).")],
    spec: Annotated[
        Path | None,
        typer.Argument(
            help="Population YAML file (size, seed, variability); default: the scenario's "
            "population: block."
        ),
    ] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder.")] = Path(
        "population"
    ),
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", help="Subjects per chunk; bounds memory.")
    ] = DEFAULT_CHUNK_SIZE,
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes (engine, or Dask with --dask).")
    ] = 1,
    resume: Annotated[
        bool, typer.Option("--resume", help="Keep finished chunks of an interrupted run.")
    ] = False,
    observable: Annotated[
        list[str] | None,
        typer.Option("--observable", help="Write only these observables (repeatable)."),
    ] = None,
    dask: Annotated[
        bool, typer.Option("--dask", help="Run chunks on a local Dask cluster.")
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Address of a running Dask scheduler (shared disk)."),
    ] = None,
) -> None:
    """Simulate a population: one chunk=NNNNN/part.parquet per chunk, and _manifest.json."""
    from opioidsim.cli.app import _guard

    _guard(
        lambda: _run(
            scenario, spec, output, chunk_size, workers, resume, observable, dask, scheduler
        )
    )
