"""The validation report: every experiment, simulated against observed, with pass/fail.

``write_report(out_dir)`` runs every registered experiment and writes ``report.md`` (one
section per experiment: verdict, the table of checks with the role of each data set,
notes, figure), ``report.html`` (the same, self-contained, with a summary, goodness of fit,
parameter provenance and the environment; see :mod:`opioidsim.validation.html_report`) and
``checks.csv`` (all checks). Calibration checks are shown as fit quality
and never count towards a verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from opioidsim.errors import ConfigError
from opioidsim.experiments import registry, run_experiment
from opioidsim.experiments.framework import ExperimentOutcome
from opioidsim.io.safe_write import (
    make_output_folder,
    replace_safely,
    write_csv_safely,
    write_text_safely,
)
from opioidsim.simulation.run import model_version
from opioidsim.validation.html_report import (
    phenomena_rows,
    seed_claim,
    write_html_report,
    write_pdf_report,
)


def _section(outcome: ExperimentOutcome, out_dir: Path) -> list[str]:
    validation = outcome.validation_checks
    passed = sum(c.passed for c in validation)
    lines = [
        f"## {outcome.name}: {outcome.title}",
        "",
        f"**{'PASS' if outcome.passed else 'FAIL'}** — {passed} of {len(validation)} "
        f"validation checks pass (phenomenon {outcome.phenomenon}).",
        "",
        *(
            [f"Seed claim {seed_claim(outcome.phenomenon)}", ""]
            if seed_claim(outcome.phenomenon)
            else []
        ),
        "| role | data set | condition | quantity | observed | simulated | criterion | result |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in outcome.checks:
        lines.append(
            f"| {c.evidence} | {c.dataset} | {c.condition} | {c.quantity} | {c.observed_text} | "
            f"{c.simulated_text} | {c.criterion} | {'pass' if c.passed else '**fail**'} |"
        )
    if outcome.notes:
        lines += ["", *[f"- {note}" for note in outcome.notes]]
    if outcome.figure:
        lines += ["", f"![{outcome.name}]({Path(outcome.figure).relative_to(out_dir)})"]
    return [*lines, ""]


def run_all(
    out: Path, jobs: int = 1, progress: Callable[[int, int], None] | None = None
) -> list[ExperimentOutcome]:
    """Every registered experiment, in registry order; ``jobs`` > 1 runs them in that many
    worker processes. ``progress(done, total)`` is called as each one finishes."""
    names = list(registry())
    if jobs < 1:
        raise ConfigError(f"jobs: got {jobs}; must be >= 1.")
    make_output_folder(out)
    if jobs == 1:
        outcomes = []
        for k, name in enumerate(names):
            outcomes.append(run_experiment(name, out))
            if progress is not None:
                progress(k + 1, len(names))
        return outcomes
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    found: dict[str, ExperimentOutcome] = {}
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(min(jobs, len(names)), mp_context=context) as pool:
        futures = {pool.submit(run_experiment, name, out): name for name in names}
        for future in as_completed(futures):
            found[futures[future]] = future.result()
            if progress is not None:
                progress(len(found), len(names))
    return [found[name] for name in names]


def write_report(
    out_dir: str | Path = "validation-report",
    outcomes: list[ExperimentOutcome] | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Path, list[ExperimentOutcome]]:
    """Run every experiment (or take ``outcomes`` already run; ``jobs`` processes, with
    ``progress`` called as each finishes); write ``report.md``, ``report.html``,
    ``report.pdf`` and ``checks.csv`` into ``out_dir``, beside a copy of each figure."""
    import shutil

    import pandas as pd

    out = Path(out_dir).resolve()
    if outcomes is None:
        outcomes = run_all(out, jobs, progress)
    else:
        make_output_folder(out)
        for outcome in outcomes:
            figure = Path(outcome.figure) if outcome.figure else None
            if figure is not None and figure.resolve().parent != out:
                outcome.figure = replace_safely(
                    out / figure.name, lambda tmp, src=figure: shutil.copyfile(src, tmp)
                )
    lines = [
        "# opioidsim validation report",
        "",
        "Each experiment simulates published protocols and compares them with the data. Rows "
        "marked *calibration* used data that fitted a parameter (or that a parameter came "
        "from): they show fit quality and do not count. Rows marked *model comparison* compare "
        "with another model's prediction and do not count. Only *validation* rows decide pass "
        "or fail.",
        "",
        "| experiment | verdict | validation checks passed |",
        "|---|---|---|",
    ]
    for o in outcomes:
        v = o.validation_checks
        lines.append(
            f"| {o.name} | {'PASS' if o.passed else 'FAIL'} | "
            f"{sum(c.passed for c in v)}/{len(v)} |"
        )
    lines += [
        "",
        "## Phenomena and seed claims",
        "",
        "| phenomenon | seed | claim | experiments | status |",
        "|---|---|---|---|---|",
        *(f"| {' | '.join(row)} |" for row in phenomena_rows(outcomes)),
    ]
    lines.append("")
    for o in outcomes:
        lines += _section(o, out)
    path = out / "report.md"
    write_text_safely(path, "\n".join(lines))
    write_html_report(out / "report.html", outcomes, model_version())
    write_pdf_report(out / "report.pdf", outcomes, model_version())
    write_csv_safely(pd.concat([o.to_pandas() for o in outcomes]), out / "checks.csv", index=False)
    return path, outcomes
