"""``opioidsim trial``: simulate and analyse an in-silico trial from one YAML file.

Register it in :mod:`opioidsim.cli.app` with ``app.command("trial")(trial_command)``. Like
:mod:`opioidsim.cli.population`, it imports ``app``'s guard, progress bar and console when
it runs (``app`` imports this module).

Parallelism, the same in ``opioidsim population``:

- no flag: one process; ``--workers N`` gives the engine N worker processes per chunk;
- ``--dask``: a local Dask cluster of ``--workers N`` single-threaded processes;
- ``--scheduler ADDRESS``: a running Dask cluster (its workers must see the output folder).

Every way gives the same output for the same seed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def dask_settings(dask: bool, scheduler: str | None, workers: int):
    """The Dask settings the flags ask for, or None (no Dask)."""
    from opioidsim.simulation.population import DaskSettings

    if scheduler is not None:
        return DaskSettings(scheduler=scheduler, workers=workers)
    return DaskSettings(workers=workers) if dask else None


def _run(
    trial: Path,
    output: Path,
    chunk_size: int,
    workers: int,
    dask: bool,
    scheduler: str | None,
    replicates: int | None,
) -> None:
    from opioidsim.cli.app import _LazyProgress, out_console
    from opioidsim.errors import ConfigError
    from opioidsim.safe_yaml import read_yaml_file
    from opioidsim.trials import load_trial, run_trial
    from opioidsim.trials.design import MAX_REPLICATES
    from opioidsim.trials.use_trial import is_use_trial

    raw = read_yaml_file(trial, "a trial file", "give a trial YAML file")
    if is_use_trial(raw):
        _run_use_trial(raw, trial, output, chunk_size, workers, dask, scheduler, replicates)
        return
    spec = load_trial(trial)
    if replicates is not None:
        if spec.power is None:
            raise ConfigError(
                f"--replicates: got {replicates}; {trial} has no power block to repeat."
            )
        if not 2 <= replicates <= MAX_REPLICATES:
            raise ConfigError(
                f"--replicates: got {replicates}; must be from 2 to {MAX_REPLICATES}."
            )
        power = spec.power.model_copy(update={"replicates": replicates})
        spec = spec.model_copy(update={"power": power})
    if chunk_size < 1:
        raise ConfigError(f"--chunk-size: got {chunk_size}; must be >= 1.")
    settings = dask_settings(dask, scheduler, workers)
    n = spec.max_subjects * (spec.power.replicates if spec.power else 1)
    with _LazyProgress(f"simulating {n} trial subjects") as bar:
        run = run_trial(
            spec,
            output,
            chunk_size=chunk_size,
            workers=workers,
            dask=settings,
            progress=bar.update,
        )
    result = run.analysis[spec.analysis.primary]
    out_console.print(
        f"{spec.analysis.primary}: {result['treatment']} minus {result['control']} = "
        f"{result['estimate']:.4g} ({result['method']}, p = {result['p_value']:.3g})",
        highlight=False,
        soft_wrap=True,
    )
    if run.sample_size is not None:
        s = run.sample_size
        reached = s["smallest_simulated"] if s["smallest_simulated"] is not None else "not reached"
        out_console.print(f"subjects for power {s['target']:g}: {reached}", highlight=False)
    out_console.print(
        f"wrote {', '.join(p.name for p in run.files)} to {output} in {run.wall_time_s:.1f} s",
        highlight=False,
        soft_wrap=True,
    )


def _run_use_trial(
    raw, trial: Path, output: Path, chunk_size: int, workers: int, dask, scheduler, replicates
) -> None:
    """A trial of people after detoxification (an ``opioid_use`` block with arms)."""
    from opioidsim.cli.app import _LazyProgress, out_console
    from opioidsim.errors import ConfigError
    from opioidsim.trials.use_trial import parse_use_trial, run_use_trial

    for flag, given in (
        ("--dask", dask),
        ("--scheduler", scheduler),
        ("--replicates", replicates),
    ):
        if given:
            raise ConfigError(
                f"{flag}: got {given!r}; a use trial ({trial}) runs on --workers and "
                "--chunk-size only."
            )
    if chunk_size < 1:
        raise ConfigError(f"--chunk-size: got {chunk_size}; must be >= 1.")
    spec = parse_use_trial(raw)
    total = sum(a.people for a in spec.arms)
    with _LazyProgress(f"simulating {total} people") as bar:
        run = run_use_trial(
            spec, output, workers=workers, chunk_size=chunk_size, progress=bar.update
        )
    for arm in spec.arms:
        parts = [
            f"{key} {e.text()}" if e.lower == e.lower else f"{key} {e.value:.3g}"
            for (name, key), e in run.endpoints.items()
            if name == arm.name
            and key
            in (
                "retained to the end (%)",
                "confirmed-abstinent weeks (median %)",
                "relapse (%)",
            )
        ]
        out_console.print(f"{arm.name}: " + "; ".join(parts), highlight=False, soft_wrap=True)
    out_console.print(
        f"wrote {', '.join(p.name for p in run.files)} to {output} in {run.wall_time_s:.1f} s",
        highlight=False,
        soft_wrap=True,
    )


def trial_command(
    trial: Annotated[Path, typer.Argument(help="Trial YAML file (design, endpoints, analysis).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder.")] = Path("trial"),
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", help="Subjects solved together.")
    ] = 250,
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes (engine, or Dask with --dask).")
    ] = 1,
    dask: Annotated[
        bool, typer.Option("--dask", help="Run chunks on a local Dask cluster.")
    ] = False,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Address of a running Dask scheduler.")
    ] = None,
    replicates: Annotated[
        int | None, typer.Option("--replicates", help="Override power.replicates.")
    ] = None,
) -> None:
    """Simulate a trial: endpoints by arm, the statistical result, power, report.md, figures."""
    from opioidsim.cli.app import _guard

    _guard(lambda: _run(trial, output, chunk_size, workers, dask, scheduler, replicates))
