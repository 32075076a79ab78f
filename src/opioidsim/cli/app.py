"""The ``opioidsim`` command.

Every command turns an :class:`~opioidsim.errors.OpioidsimError` into one line on stderr and
an exit code (2 for bad input, 3 for a failed simulation); any other exception is a bug and
says so. ``--debug`` shows the traceback.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from opioidsim.errors import ConfigError, OpioidsimError, OutputError, SolverError
from opioidsim.io.safe_write import write_csv_safely

EXIT_BAD_INPUT = 2
EXIT_SOLVER = 3
EXIT_BUG = 70
EXIT_OUTPUT = 74  # sysexits EX_IOERR: an output could not be written (disk full, read-only)

app = typer.Typer(
    name="opioidsim",
    help="Mechanistic simulator of the brain's opioid system in addiction.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
experiments_app = typer.Typer(
    help="Named experiments: simulated vs published data.", no_args_is_help=True
)
app.add_typer(experiments_app, name="experiments")

out_console = Console()
err_console = Console(stderr=True)
_STATE = {"debug": False}

DEMO_SCENARIO = Path(__file__).with_name("demo.yaml")


@app.callback()
def _main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False):
    _STATE["debug"] = debug


def _guard(function: Callable[[], Any]) -> Any:
    try:
        return function()
    except OpioidsimError as error:
        if _STATE["debug"]:
            raise
        code = (
            EXIT_SOLVER
            if isinstance(error, SolverError)
            else EXIT_OUTPUT
            if isinstance(error, OutputError)
            else EXIT_BAD_INPUT
        )
        err_console.print(
            f"[bold red]{type(error).__name__}[/]: {error}",
            markup=True,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(code) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as error:  # a bug: say so, briefly
        if _STATE["debug"]:
            raise
        err_console.print(
            f"[bold red]internal error[/] ({type(error).__name__}: {error}). "
            "This is a bug in opioidsim; rerun with --debug and report it.",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_BUG) from None


class _LazyProgress:
    """A progress bar that appears only if the work takes more than a second."""

    def __init__(self, description: str) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn(description),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        )
        self._task = None
        self._timer = threading.Timer(1.0, self._start)
        self._total = 1

    def _start(self) -> None:
        self._progress.start()
        self._task = self._progress.add_task("run", total=self._total)

    def __enter__(self):
        self._timer.start()
        return self

    def update(self, done: int, total: int) -> None:
        self._total = total
        if self._task is not None:
            self._progress.update(self._task, completed=done, total=total)

    def __exit__(self, *exc):
        self._timer.cancel()
        if self._timer.is_alive():
            self._timer.join()
        if self._task is not None:  # stopping a bar that never started prints a blank line
            self._progress.stop()


def _run_scenario(
    scenario_path: Path, out: Path, fmt: str, plot: bool, observables: list[str] | None
) -> None:
    from opioidsim.io.config import load_scenario
    from opioidsim.io.plots import plot_observables
    from opioidsim.io.results import write_result
    from opioidsim.protocols import read_yaml
    from opioidsim.protocols.place_conditioning import BLOCK as PLACE_BLOCK
    from opioidsim.protocols.self_administration import BLOCK
    from opioidsim.simulation import simulate

    raw = read_yaml(scenario_path)
    from opioidsim.protocols.opioid_use import BLOCK as USE_BLOCK

    paradigms = [
        name for name in (BLOCK, PLACE_BLOCK, USE_BLOCK) if isinstance(raw, dict) and name in raw
    ]
    if len(paradigms) > 1:
        from opioidsim.errors import ConfigError

        raise ConfigError(
            f"{paradigms[1]}: got both {paradigms[0]} and {paradigms[1]}; a scenario runs one "
            "paradigm."
        )
    if paradigms == [USE_BLOCK]:
        _run_opioid_use(raw, scenario_path, out, fmt, plot, observables)
        return
    if isinstance(raw, dict) and BLOCK in raw:
        _run_self_administration(raw, scenario_path, out, fmt, plot, observables)
        return
    if isinstance(raw, dict) and PLACE_BLOCK in raw:
        _run_place_conditioning(raw, scenario_path, out, fmt, plot, observables)
        return
    scenario = load_scenario(scenario_path)
    _check_run_options(scenario, out, fmt, observables)
    with _LazyProgress(f"simulating {scenario.name or scenario_path.name}") as bar:
        result = simulate(scenario, progress=bar.update)
    paths = write_result(result, out, fmt=fmt, observables=observables)
    out_console.print(f"wrote {paths['table']} and {paths['metadata']}")
    if plot:
        png = plot_observables(result, None, out / "summary.png", title=scenario.name)
        out_console.print(f"wrote {png}")
    _print_summary(result)


def _run_self_administration(
    raw: dict, scenario_path: Path, out: Path, fmt: str, plot: bool, observables
) -> None:
    """A scenario with a self-administration block: the closed loop, then the responses
    (one row per completed ratio, ``fixed_ratio`` presses; ``delivered`` says whether it
    brought an infusion)."""
    import csv

    from opioidsim.io.plots import plot_observables
    from opioidsim.io.results import write_result
    from opioidsim.protocols.self_administration import load
    from opioidsim.simulation.self_administration import simulate_self_administration

    scenario, block = load(raw)
    _check_run_options(scenario, out, fmt, None)
    with _LazyProgress(f"simulating {scenario.name or scenario_path.name}") as bar:
        run = simulate_self_administration(scenario, block, progress=bar.update)
    paths = write_result(run.result, out, fmt=fmt, observables=observables)
    infusions = out / "infusions.csv"
    with infusions.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["subject", "time_h", "session", "drug", "dose"])
        for subject, time_h, session in run.infusions:
            writer.writerow([subject, f"{time_h:.6g}", session + 1, block.drug, block.dose_text])
    responses = out / "responses.csv"
    with responses.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["subject", "time_h", "session", "delivered", "cue"])
        for subject, time_h, session in run.responses:
            kind = block.sessions[session]
            writer.writerow([subject, f"{time_h:.6g}", session + 1, kind.reinforced, kind.cue])
    out_console.print(f"wrote {paths['table']}, {paths['metadata']}, {infusions} and {responses}")
    if plot:
        png = plot_observables(run.result, None, out / "summary.png", title=scenario.name)
        out_console.print(f"wrote {png}")
    table = Table(title=f"{block.drug} self-administration ({block.dose_text} per infusion)")
    columns = ["session", "hours", "drug", "cue", "ratios completed", "infusions"]
    if run.progressive:
        columns.append("breakpoint (last ratio)")
    for column in columns:
        table.add_column(column)
    breakpoints = run.breakpoints()[0] if run.progressive else None
    for k, (session, count, pressed) in enumerate(
        zip(
            block.sessions,
            run.infusions_per_session()[0],
            run.responses_per_session()[0],
            strict=True,
        )
    ):
        row = [
            str(k + 1),
            f"{session.end_h - session.start_h:g}",
            "yes" if session.reinforced else "no (extinction)",
            "on" if session.cue else "off",
            str(pressed),
            str(count),
        ]
        if breakpoints is not None:
            row.append(str(breakpoints[k]))
        table.add_row(*row)
    out_console.print(table)


def _run_opioid_use(
    raw: dict, scenario_path: Path, out: Path, fmt: str, plot: bool, observables
) -> None:
    """A scenario with an opioid_use block: the daily closed loop, then one row per day
    (days.csv) and a weekly summary."""
    import csv

    from opioidsim.io.plots import plot_observables
    from opioidsim.io.results import write_result
    from opioidsim.protocols.opioid_use import load
    from opioidsim.simulation.opioid_use import DAYS_HEADER, days_rows, simulate_opioid_use

    scenario, block = load(raw)
    _check_run_options(scenario, out, fmt, None)
    with _LazyProgress(f"simulating {scenario.name or scenario_path.name}") as bar:
        run = simulate_opioid_use(scenario, block, progress=bar.update)
    paths = write_result(run.result, out, fmt=fmt, observables=observables)
    days_path = out / "days.csv"
    with days_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(DAYS_HEADER)
        writer.writerows(days_rows(run, block))
    out_console.print(f"wrote {paths['table']}, {paths['metadata']} and {days_path}")
    if plot:
        png = plot_observables(run.result, None, out / "summary.png", title=scenario.name)
        out_console.print(f"wrote {png}")
    table = Table(
        title=f"opioid use after {block.start_h / 24:g} d ({block.use_text} per use day; "
        f"treatment: {block.medication or 'none'})"
    )
    for column in ("week", "use days", "in care", "medicated days", "mean craving"):
        table.add_column(column)
    for week in range((block.days + 6) // 7):
        days = slice(7 * week, min(7 * week + 7, block.days))
        table.add_row(
            str(week + 1),
            str(int(run.used[0, days].sum())),
            "yes" if run.in_care[0, days].all() else ("left" if run.left_day[0] >= 0 else "no"),
            str(int(run.medicated[0, days].sum())),
            f"{run.craving[0, days].mean():.2f}",
        )
    out_console.print(table)
    if run.induction_day[0] >= 0:
        out_console.print(f"inducted on day {run.induction_day[0] + 1}")
    if run.left_day[0] >= 0:
        out_console.print(f"left care on day {run.left_day[0] + 1}")


def _run_place_conditioning(
    raw: dict, scenario_path: Path, out: Path, fmt: str, plot: bool, observables
) -> None:
    """A scenario with a place-conditioning block: the run, each trial, the test's score."""
    import csv

    from opioidsim.io.plots import plot_observables
    from opioidsim.io.results import write_result
    from opioidsim.protocols.place_conditioning import load
    from opioidsim.simulation.place_conditioning import simulate_place_conditioning

    scenario, block = load(raw)
    _check_run_options(scenario, out, fmt, None)
    with _LazyProgress(f"simulating {scenario.name or scenario_path.name}"):
        run = simulate_place_conditioning(scenario, block)
    paths = write_result(run.result, out, fmt=fmt, observables=observables)
    trials = out / "trials.csv"
    with trials.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["side", "start_h", "mean_outcome", "value_after"])
        for side, start, mean, value in run.trials:
            writer.writerow([side, f"{start:.6g}", f"{mean:.6g}", f"{value:.6g}"])
    out_console.print(f"wrote {paths['table']}, {paths['metadata']} and {trials}")
    if plot:
        png = plot_observables(run.result, None, out / "summary.png", title=scenario.name)
        out_console.print(f"wrote {png}")
    table = Table(title=f"place conditioning: {block.drug} {block.dose_text} {block.route}")
    for column in ("side", "pairing at (h)", "mean outcome", "value after"):
        table.add_column(column)
    for side, start, mean, value in run.trials:
        # round first: a tiny withdrawal term must not print as -0.000
        table.add_row(
            side, f"{start:g}", f"{round(mean, 3) + 0.0:.3f}", f"{round(value, 3) + 0.0:.3f}"
        )
    out_console.print(table)
    out_console.print(
        f"test at {block.test_start_h:g} h: {100 * run.paired_fraction:.1f} % of the time on "
        f"the drug-paired side; place-preference score {run.score_s:+.0f} s "
        f"(test minus pre-test, {block.test_duration_h * 60:g}-min test)"
    )


def _check_run_options(scenario, out: Path, fmt: str, observables: list[str] | None) -> None:
    """Refuse bad options before the simulation runs (format, observables, output path)."""
    import difflib

    from opioidsim.errors import ConfigError
    from opioidsim.io.results import FORMATS
    from opioidsim.simulation import model_for

    if fmt not in FORMATS:
        raise ConfigError(f"format: got {fmt!r}; valid: {', '.join(FORMATS)}.")
    if out.exists() and not out.is_dir():
        raise ConfigError(f"output: got {str(out)!r}, an existing file; give a directory.")
    if observables:
        available = model_for(scenario).observable_names
        for name in observables:
            if name not in available:
                close = difflib.get_close_matches(name, available, n=3)
                hint = f" (e.g. {', '.join(close)})" if close else ""
                raise ConfigError(
                    f"observable: got {name!r}; not an observable of this scenario's model{hint}."
                )


def _print_summary(result) -> None:
    table = Table(title="summary (subject 0)", show_lines=False)
    for col in ("observable", "unit", "max", "at time (h)", "final"):
        table.add_column(col)
    from opioidsim.io.plots import moved_readouts

    moved = moved_readouts(result)
    for name in result.names:
        if not (
            name.endswith("plasma_concentration")
            or (
                name.startswith("mu_receptor.")
                and name.split(".")[1] in ("drug_occupancy", "signal")
            )
            or name in moved
        ):
            continue
        series = result.values[0, result.names.index(name)]
        k = int(series.argmax())
        table.add_row(
            escape(name),
            result.unit(name),
            f"{series[k]:.4g}",
            f"{result.time[k]:.4g}",
            f"{series[-1]:.4g}",
        )
    out_console.print(table)


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder.")] = Path("out"),
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    plot: Annotated[bool, typer.Option(help="Also draw summary.png.")] = True,
    observable: Annotated[
        list[str] | None,
        typer.Option("--observable", help="Write only these observables (repeatable)."),
    ] = None,
) -> None:
    """Simulate a scenario; write the tidy table, metadata.json and a figure."""
    _guard(lambda: _run_scenario(scenario, output, fmt, plot, observable))


@app.command()
def demo(
    output: Annotated[Path, typer.Option("-o", "--output")] = Path("opioidsim-demo"),
) -> None:
    """Run the embedded demo: naltrexone 50 mg daily, then a heroin challenge, beside the
    same challenge without naltrexone (the control arm)."""
    out_console.print(f"scenario: {DEMO_SCENARIO}")
    _guard(lambda: _run_demo(output))


#: What the demo compares between its arms, one figure panel each.
DEMO_PANELS = [
    [
        "heroin.monoacetylmorphine_plasma_concentration",
        "morphine.plasma_concentration",
        "naltrexone.plasma_concentration",
    ],
    ["mu_receptor.drug_occupancy"],
    ["reward.dopamine_percent_baseline"],
    ["subjective_effects.drug_liking"],
    ["mu_effects.analgesia"],
    ["mu_effects.respiratory_depression"],
    ["ventilation.ventilation_fraction"],
]
#: Readouts whose response to the challenge is a fall (the table reads their minimum).
DEMO_FALLS = ("ventilation.ventilation_fraction",)


#: The agonists of the demo's challenge: heroin and what it turns into.
DEMO_AGONISTS = ("heroin", "monoacetylmorphine", "morphine")


def _run_demo(out: Path) -> None:
    import yaml

    from opioidsim.io.plots import PERCENT_OF_FRACTION, label, plot_arms
    from opioidsim.io.results import write_result
    from opioidsim.simulation import simulate
    from opioidsim.units import Q_

    blocked = yaml.safe_load(DEMO_SCENARIO.read_text(encoding="utf-8"))
    control = {
        **blocked,
        "name": "heroin 25 mg IV alone (control)",
        "doses": [d for d in blocked["doses"] if d["drug"] != "naltrexone"],
    }
    challenge_h = next(Q_(d["time"]).to("h").magnitude for d in control["doses"])
    arms = {}
    with _LazyProgress("simulating the naltrexone and control arms") as bar:
        arms["naltrexone"] = simulate(blocked, progress=bar.update)
        arms["control"] = simulate(control, progress=bar.update)
    paths = write_result(arms["naltrexone"], out)
    write_result(arms["control"], out / "control")
    png = plot_arms(
        arms,
        DEMO_PANELS,
        out / "summary.png",
        challenge_h,
        title="heroin 25 mg IV, 24 h after naltrexone 50 mg/day x 5 (solid) or alone (dashed)",
    )
    out_console.print(f"wrote {paths['table']}, {out / 'control'} and {png}")
    table = Table(title="heroin challenge: peak (ventilation: lowest) within 4 h of the dose")
    for col in ("readout", "control", "naltrexone", "response blocked"):
        table.add_column(col)
    agonists = [f"mu_receptor.occupancy[{ligand}]" for ligand in DEMO_AGONISTS]
    readouts = {"mu receptors held by heroin, 6-MAM and morphine (%)": agonists}
    readouts.update({label(names[0]): names[:1] for names in DEMO_PANELS[2:]})
    for title, summed in readouts.items():
        peaks, rest = {}, {}
        for arm, result in arms.items():
            t = result.time
            window = (t >= challenge_h) & (t <= challenge_h + 4.0)
            series = sum(result[n] for n in summed if n in result.names)
            rest[arm] = float(np.interp(challenge_h - 1e-3, t, series))
            falls = summed[0] in DEMO_FALLS
            peaks[arm] = float(series[window].min() if falls else series[window].max())
        scale = 100.0 if summed == agonists or summed[0] in PERCENT_OF_FRACTION else 1.0
        rise = {arm: peaks[arm] - rest[arm] for arm in arms}
        blocked_share = 1.0 - rise["naltrexone"] / rise["control"] if rise["control"] else 0.0
        table.add_row(
            title,
            f"{scale * peaks['control']:.3g}",
            f"{scale * peaks['naltrexone']:.3g}",
            f"{100 * blocked_share:.0f} %",
        )
    out_console.print(table)


def _model_for_listing(scenario: Path | None, drugs: list[str] | None, species: str):
    from opioidsim.io.config import load_scenario
    from opioidsim.model.default import DRUG_MODULES, build_model, load_module
    from opioidsim.simulation import model_for

    if scenario is not None:
        return model_for(load_scenario(scenario))
    if not drugs:  # every drug with pharmacokinetics in this species
        from opioidsim.model.catalog import drug_catalog

        catalog = drug_catalog()
        if species in load_module("opioidsim.model.subject").parameters:
            drugs = [d for d in sorted(DRUG_MODULES) if species in catalog[d].species]
    return build_model(sorted(DRUG_MODULES) if drugs is None else drugs, species=species)


@app.command()
def parameters(
    scenario: Annotated[Path | None, typer.Argument(help="Scenario (default: all drugs).")] = None,
    species: Annotated[str, typer.Option(help="human, rat or mouse.")] = "human",
    drug: Annotated[list[str] | None, typer.Option("--drug", help="Only these drugs.")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Write the table as CSV.")] = None,
) -> None:
    """The parameter table of the model that runs: value, unit, provenance, source."""

    def go():
        from opioidsim.io.tables import parameter_table

        model = _model_for_listing(scenario, drug, species)
        frame = parameter_table(model)
        if csv:
            write_csv_safely(frame, csv, index=False)
            out_console.print(f"wrote {csv} ({len(frame)} parameters)")
            return
        table = Table(title=f"parameters ({model.species})")
        for col in ("name", "value", "unit", "provenance", "source", "confidence"):
            table.add_column(col, overflow="fold")
        for row in frame.itertuples():
            table.add_row(
                escape(row.name),
                f"{row.value:.4g}",
                row.unit,
                row.provenance,
                escape(row.source),
                row.confidence,
            )
        out_console.print(table)

    _guard(go)


@app.command()
def sources(
    scenario: Annotated[Path | None, typer.Argument(help="Scenario (default: all drugs).")] = None,
    species: Annotated[str, typer.Option(help="human, rat or mouse.")] = "human",
    csv: Annotated[Path | None, typer.Option("--csv", help="Write the table as CSV.")] = None,
) -> None:
    """The bibliography of the model that runs (only the sources it cites)."""

    def go():
        from opioidsim.io.tables import source_table

        model = _model_for_listing(scenario, None, species)
        frame = source_table(model)
        if csv:
            write_csv_safely(frame, csv, index=False)
            out_console.print(f"wrote {csv} ({len(frame)} sources)")
            return
        table = Table(title="sources")
        for col in ("key", "citation", "identifier", "parameters"):
            table.add_column(col, overflow="fold")
        for row in frame.itertuples():
            table.add_row(row.key, escape(row.citation), row.identifier, str(row.parameters))
        out_console.print(table)

    _guard(go)


@app.command("export-sbml")
def export_sbml_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    output: Annotated[Path, typer.Option("-o", "--output")] = Path("model.xml"),
    per_dose_events: Annotated[
        bool,
        typer.Option(
            "--per-dose-events",
            help="One SBML event per dose (slow in every simulator) instead of one "
            "self-rescheduling event per repeated dose.",
        ),
    ] = False,
    omex: Annotated[
        bool,
        typer.Option(
            "--omex",
            help="Write a COMBINE archive (.omex): the SBML, a SED-ML time course with the "
            "integrator settings, and its manifest.",
        ),
    ] = False,
) -> None:
    """Write the scenario's model as SBML Level 3 (doses as events), or as a COMBINE archive
    with its SED-ML simulation."""

    def go():
        from opioidsim.engine.compile import compile_model
        from opioidsim.engine.events import EventTable
        from opioidsim.io.config import load_scenario
        from opioidsim.io.sbml import export_sbml
        from opioidsim.simulation import build_events, model_for, subject_parameters

        loaded = load_scenario(scenario)
        model = model_for(loaded)
        p = subject_parameters(model, loaded)
        events = EventTable.from_rows(
            build_events(
                compile_model(model), loaded.dose_records(), p, episodes=loaded.event_records()
            )
        )
        name = loaded.name or scenario.stem
        xml = export_sbml(
            model,
            p,
            events,
            None if omex else output,
            name=name,
            compact_events=not per_dose_events,
        )
        n_events = xml.count("<event ")
        written = output
        if omex:
            from opioidsim.io.omex import write_omex

            written = output if output.suffix == ".omex" else output.with_suffix(".omex")
            times = loaded.output_times_h()
            steps = np.diff(times)
            if not np.allclose(steps, steps[0], rtol=1e-9, atol=1e-9):
                raise ConfigError(
                    f"--omex: the scenario's output grid is not uniform (steps {steps.min():g}-"
                    f"{steps.max():g} h); SED-ML's uniform time course needs an output_interval "
                    "that divides the duration."
                )
            write_omex(
                written, xml, float(times[-1]), len(times) - 1, model.observable_names, name
            )
        out_console.print(
            f"wrote {written} ({model.n_states} states, {len(events)} dose events as "
            f"{n_events} SBML events{'; SED-ML time course' if omex else ''})"
        )

    _guard(go)


@app.command()
def plot(
    results: Annotated[Path, typer.Argument(help="results.parquet or .csv from `run`.")],
    observable: Annotated[list[str] | None, typer.Option("--observable", "-y")] = None,
    output: Annotated[Path, typer.Option("-o", "--output")] = Path("plot.png"),
    subject: Annotated[int, typer.Option(help="Subject to draw.")] = 0,
) -> None:
    """Draw chosen observables of a results table to PNG."""

    def go():
        from opioidsim.io.plots import plot_table

        path = plot_table(results, observable, output, subject)
        out_console.print(f"wrote {path}")

    _guard(go)


@app.command()
def calibrate(
    name: Annotated[str, typer.Argument(help="Calibration name, e.g. naltrexone-mu-binding.")],
    petab: Annotated[
        Path | None,
        typer.Option(
            "--petab",
            help="Write the calibration as a PEtab problem in this folder (and lint it) "
            "instead of fitting.",
        ),
    ] = None,
    starts: Annotated[
        int | None,
        typer.Option("--starts", help="pyPESTO multi-start: number of starts (default 5)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed of the start points (default 0).")
    ] = None,
) -> None:
    """Re-run a calibration fit and print the values to store in the model modules
    (PEtab problems are solved with pyPESTO: multi-start, profile-likelihood interval)."""

    def go():
        from opioidsim.validation.calibrate import run_calibration
        from opioidsim.validation.petab_problems import (
            PROBLEMS,
            lint,
            problem,
            solve_petab,
            write_petab,
        )

        if starts is not None and starts < 1:
            raise ConfigError(f"--starts: got {starts}; give a whole number >= 1.")
        if petab is not None:
            path = write_petab(name, petab)
            verdict = "passes the PEtab linter" if lint(path) else "FAILS the PEtab linter"
            out_console.print(f"wrote {path} ({verdict})", markup=False)
            return
        if name in PROBLEMS:
            fit = solve_petab(
                name, n_starts=5 if starts is None else starts, seed=0 if seed is None else seed
            )
            spec = problem(name)
            for parameter, unit in zip(fit.parameters, fit.units, strict=True):
                spread = [s[parameter] for s in fit.starts]
                if parameter in fit.interval_95:
                    lower, upper = fit.interval_95[parameter]
                    interval = f"profile 95 % interval {lower:.4g} to {upper:.4g}; "
                else:
                    interval = "no profile; "
                out_console.print(
                    f"{parameter} = {fit.best[parameter]:.4g} {unit} ({interval}"
                    f"{len(spread)} starts ended at {min(spread):.4g} to {max(spread):.4g})",
                    markup=False,
                )
            for tied, (source, factor) in spec.tied.items():
                out_console.print(
                    f"{tied} = {factor * fit.best[source]:.4g} (tied: {factor:g} x {source})",
                    markup=False,
                )
            method = "trust-region least squares" if spec.least_squares else "Powell"
            scales = sorted({"linear" if e.linear else "log10" for e in spec.estimated})
            out_console.print(
                f"-log L {fit.negative_log_likelihood:.4g}; pyPESTO, {method}, "
                f"{' and '.join(scales)} scale"
            )
            out_console.print(f"data: {', '.join(problem(name).datasets)}")
            return
        calibration, fitted = run_calibration(name)
        for parameter, (value, residual) in fitted.items():
            out_console.print(
                f"{parameter} = {value:.4g} {calibration.units[parameter]} "
                f"(residual {residual:.3g})",
                markup=False,
            )
        out_console.print(f"data: {', '.join(calibration.datasets)}")

    _guard(go)


@app.command()
def validate(
    output: Annotated[Path, typer.Option("-o", "--output")] = Path("validation-report"),
    jobs: Annotated[int, typer.Option("--jobs", help="Experiments run in parallel.")] = 1,
) -> None:
    """Run every experiment and write the validation report (report.html, report.pdf,
    report.md, checks.csv)."""

    def go():
        from opioidsim.validation.report import write_report

        with _LazyProgress("validation: experiments run") as bar:
            path, outcomes = write_report(output, jobs=jobs, progress=bar.update)
        for outcome in outcomes:
            _print_experiment(outcome)
        failed = [o.name for o in outcomes if not o.passed]
        out_console.print(
            f"\nwrote {path}, {path.with_suffix('.html')}, {path.with_suffix('.pdf')}"
        )
        if failed:
            err_console.print(f"not reproduced: {', '.join(failed)} (see the report)")

    _guard(go)


@experiments_app.command("list")
def experiments_list() -> None:
    """The experiments that can run, with their phenomenon and data sets."""

    def go():
        from opioidsim.experiments import registry

        table = Table(title="experiments")
        for col in ("name", "phenomenon", "title", "data (role)"):
            table.add_column(col, overflow="fold")
        for exp in registry().values():
            data = ", ".join(f"{d.name} ({d.role})" for d in exp.datasets())
            table.add_row(exp.name, exp.phenomenon, exp.title, data)
        out_console.print(table)

    _guard(go)


@experiments_app.command("run")
def experiments_run(
    name: Annotated[
        str | None, typer.Argument(help="Experiment name, or 'all' (same as --all).")
    ] = None,
    all_experiments: Annotated[
        bool, typer.Option("--all", help="Run every experiment and print a summary table.")
    ] = False,
    output: Annotated[Path, typer.Option("-o", "--output")] = Path("experiments-out"),
) -> None:
    """Run an experiment: simulated vs observed, pass/fail, a figure."""

    def go():
        from opioidsim.experiments import registry, run_experiment

        run_all = all_experiments or name == "all"
        if not run_all and not name:
            known = ", ".join(registry())
            raise ConfigError(f"experiment: none given; name one ({known}) or use --all.")
        names = list(registry()) if run_all else [name]
        failed = 0
        outcomes = []
        for n in names:
            with _LazyProgress(f"experiment {n}"):
                outcome = run_experiment(n, output)
            _print_experiment(outcome)
            outcomes.append(outcome)
            failed += not outcome.passed
        if len(outcomes) > 1:
            summary = Table(title="experiments")
            for col in ("experiment", "validation checks passed", "verdict"):
                summary.add_column(col)
            for o in outcomes:
                checks = o.validation_checks
                summary.add_row(
                    o.name,
                    f"{sum(c.passed for c in checks)}/{len(checks)}",
                    "[green]PASS[/]"
                    if o.passed
                    else ("[red]FAIL[/]" if checks else "[yellow]no validation data[/]"),
                )
            out_console.print(summary)
            _print_tallies(outcomes)
        if failed:
            err_console.print(f"{failed} experiment(s) did not reproduce their validation data.")

    _guard(go)


def _print_tallies(outcomes) -> None:
    """Checks per data set, and the totals with and without the data sets whose role changed."""
    from opioidsim.experiments.framework import tally_by_dataset, totals

    tallies = tally_by_dataset(outcomes)
    table = Table(title="checks by data set")
    for col in ("data set", "role", "kind", "checks", "passed", "role changed"):
        table.add_column(col, overflow="fold")
    for t in tallies:
        table.add_row(
            t.dataset, t.role, t.kind, str(t.checks), str(t.passed), escape(t.role_changed or "")
        )
    out_console.print(table)
    total = totals(tallies)
    p, n = total.counted
    out_console.print(f"validation checks passed (counted): {p}/{n}")
    p, n = total.with_role_changed
    out_console.print(
        f"validation checks passed, counting the data sets whose role changed as validation: "
        f"{p}/{n}"
    )
    p, n = total.model_comparisons
    out_console.print(f"model-to-model comparisons passed (not counted): {p}/{n}")


def _print_experiment(outcome) -> None:
    verdict = "[green]PASS[/]" if outcome.passed else "[red]FAIL[/]"
    out_console.print(f"\n[bold]{outcome.name}[/] {outcome.title}: {verdict}")
    table = Table(show_lines=False)
    for col in ("role", "condition", "quantity", "observed", "simulated", "criterion", "result"):
        table.add_column(col, overflow="fold")
    for c in outcome.checks:
        mark = "[green]pass[/]" if c.passed else "[red]fail[/]"
        table.add_row(
            c.evidence,
            *(
                escape(x)
                for x in (c.condition, c.quantity, c.observed_text, c.simulated_text, c.criterion)
            ),
            mark,
        )
    out_console.print(table)
    for line in outcome.notes:
        out_console.print(f"  note: {escape(line)}")
    if outcome.figure:
        out_console.print(f"  figure: {outcome.figure}")
    if outcome.table_path:
        out_console.print(f"  table: {outcome.table_path}")


def _register_population() -> None:
    from opioidsim.cli.population import population_command

    app.command("population")(population_command)


def _register_trial() -> None:
    from opioidsim.cli.trial import trial_command

    app.command("trial")(trial_command)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind (default: this machine only).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port.")] = 8050,
) -> None:
    """Serve the scenario page: build a scenario, watch every layer, download YAML/Parquet."""

    def go():
        from opioidsim.web.app import serve as serve_page

        if not 0 < port < 65536:
            raise ConfigError(f"port: got {port}; valid: 1-65535.")
        out_console.print(f"opioidsim page on http://{host}:{port}/ (Ctrl-C stops it)")
        serve_page(host, port)

    _guard(go)


def _register_sensitivity() -> None:
    from opioidsim.cli.sensitivity import sensitivity_command

    app.command("sensitivity")(sensitivity_command)


_register_population()
_register_trial()
_register_sensitivity()


def main() -> None:
    """Entry point of the ``opioidsim`` script."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive
        err_console.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()

__all__ = ["ConfigError", "app", "main"]
