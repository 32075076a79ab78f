"""The validation report as one self-contained HTML file (figures embedded, no network) and
as a PDF (matplotlib pages: no browser or system package needed).

A reader should see, phenomenon by phenomenon, what the model was fitted to and what it
predicts without fitting, as in the qualification reports of Open Systems Pharmacology:

- a header with the model version, git revision (when run from a checkout) and environment;
- a summary table: per experiment its phenomenon, verdict, validation checks passed (data),
  model comparisons, calibration fit checks, and the geometric mean fold error (GMFE) of its
  numeric validation checks;
- the provenance of the parameters of the full human model (every drug, ventilation
  included): counts by kind (measured, derived, calibrated, assumed) per layer and by
  confidence;
- one section per experiment: its description (protocol, data, criteria as the experiment
  states them), the data sets with their roles, every check (failing ones highlighted, none
  dropped), notes and the figure with the observed data's spread.
"""

from __future__ import annotations

import base64
import html
import math
import platform
import subprocess
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from opioidsim.experiments import registry
from opioidsim.experiments.claims import PHENOMENA
from opioidsim.experiments.framework import Check, ExperimentOutcome
from opioidsim.io.safe_write import write_text_safely

KINDS = ("measured", "derived", "calibrated", "assumed")
CONFIDENCES = ("high", "medium", "low")
PACKAGES = ("numpy", "scipy", "sympy", "numba", "pint", "libroadrunner")

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
tr.fail td { background: #fde8e8; }
tr.calibration td { color: #555; }
.pass { color: #17692c; font-weight: bold; }
.fail { color: #b00020; font-weight: bold; }
pre { white-space: pre-wrap; background: #f7f7f7; padding: 0.8em; font-size: 0.85em; }
img { max-width: 100%; border: 1px solid #ddd; }
"""


def _e(value: object) -> str:
    return html.escape(str(value))


def git_revision() -> str:
    """The checkout's commit (with ``+dirty`` if it has changes), or ``unknown``."""
    root = Path(__file__).resolve().parents[3]
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return head + ("+dirty" if dirty else "")


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def fold_error(check: Check) -> float | None:
    """max(sim/obs, obs/sim) for a numeric check with both values positive, else None."""
    observed, simulated = check.observed, check.simulated
    if observed is None or not isinstance(simulated, int | float):
        return None
    if not (observed > 0 and simulated > 0 and math.isfinite(observed * simulated)):
        return None
    return max(simulated / observed, observed / simulated)


def gmfe(checks: list[Check]) -> tuple[float | None, int]:
    """Geometric mean fold error over the numeric checks, and how many there were."""
    folds = [f for f in (fold_error(c) for c in checks) if f is not None]
    if not folds:
        return None, 0
    return math.exp(sum(math.log(f) for f in folds) / len(folds)), len(folds)


def _provenance_tables() -> str:
    from opioidsim.model.default import DRUG_MODULES, build_model

    model = build_model(sorted(DRUG_MODULES), species="human", physiology=("ventilation",))
    by_layer: dict[str, Counter] = {}
    by_confidence: dict[str, Counter] = {}
    for name, record in zip(model.parameter_names, model.parameter_records, strict=True):
        layer = name.split(".", 1)[0]
        by_layer.setdefault(layer, Counter())[record.provenance] += 1
        by_confidence.setdefault(record.confidence, Counter())[record.provenance] += 1
    total = Counter()
    for counts in by_layer.values():
        total.update(counts)
    n = sum(total.values())

    def table(title: str, rows: dict[str, Counter], order) -> str:
        head = "".join(f"<th>{k}</th>" for k in KINDS)
        body = []
        for key in order:
            counts = rows.get(key)
            if not counts:
                continue
            cells = "".join(f"<td>{counts.get(k, 0)}</td>" for k in KINDS)
            body.append(f"<tr><td>{_e(key)}</td>{cells}<td>{sum(counts.values())}</td></tr>")
        return f"<table><tr><th>{title}</th>{head}<th>total</th></tr>{''.join(body)}</table>"

    shares = ", ".join(f"{k} {total.get(k, 0)} ({100 * total.get(k, 0) / n:.1f} %)" for k in KINDS)
    return (
        f"<p>{n} parameters of the human model with every drug and the ventilation module: "
        f"{shares}.</p>"
        + table("layer (module)", by_layer, sorted(by_layer))
        + table("confidence", by_confidence, CONFIDENCES)
    )


def seed_claim(phenomenon: str) -> str:
    """'(seed 003) naltrexone blocks ...' for a phenomenon id, or '' if it is not listed."""
    p = PHENOMENA.get(phenomenon)
    if p is None:
        return ""
    return f"(seed {', '.join(p.seeds)}) {p.claim}"


def phenomena_rows(outcomes: list[ExperimentOutcome]) -> list[list[str]]:
    """Per phenomenon: id, seeds, claim, its experiments, validation checks passed/total,
    or the issue that will bring it."""
    rows = []
    for p in PHENOMENA.values():
        mine = [o for o in outcomes if o.phenomenon == p.id]
        checks = [c for o in mine for c in o.validation_checks]
        if mine:
            status = f"{sum(c.passed for c in checks)}/{len(checks)} validation checks pass"
        else:
            status = f"no mechanism yet: {p.planned or 'not planned'}"
        rows.append(
            [p.id, ", ".join(p.seeds), p.claim, ", ".join(o.name for o in mine) or "-", status]
        )
    return rows


def _phenomena(outcomes: list[ExperimentOutcome]) -> str:
    rows = phenomena_rows(outcomes)
    body = []
    for pid, seeds, claim, experiments, status in rows:
        links = (
            ", ".join(f"<a href='#{_e(name)}'>{_e(name)}</a>" for name in experiments.split(", "))
            if experiments != "-"
            else "—"
        )
        # rows of checks are the only <tr class=...>; a missing mechanism marks its cell
        cls = " class='fail'" if status.startswith("no mechanism") else ""
        body.append(
            f"<tr><td>{_e(pid)}</td><td>{_e(seeds)}</td><td>{_e(claim)}</td>"
            f"<td>{links}</td><td{cls}>{_e(status)}</td></tr>"
        )
    covered = sum(1 for r in rows if r[3] != "-")
    return (
        f"<p>{covered} of {len(PHENOMENA)} phenomena have an experiment.</p>"
        "<table><tr><th>phenomenon</th><th>seed</th><th>claim</th><th>experiments</th>"
        "<th>status</th></tr>" + "".join(body) + "</table>"
    )


def _summary(outcomes: list[ExperimentOutcome]) -> str:
    rows = []
    for o in outcomes:
        validation = o.validation_checks
        models = o.model_comparison_checks
        calibration = [c for c in o.checks if c.role == "calibration"]
        value, count = gmfe(validation)
        fold = f"{value:.2f} ({count})" if value is not None else "—"
        verdict = "PASS" if o.passed else "FAIL"
        rows.append(
            f"<tr><td><a href='#{_e(o.name)}'>{_e(o.name)}</a></td><td>{_e(o.phenomenon)}</td>"
            f"<td class='{verdict.lower()}'>{verdict}</td>"
            f"<td>{sum(c.passed for c in validation)}/{len(validation)}</td>"
            f"<td>{sum(c.passed for c in models)}/{len(models)}</td>"
            f"<td>{sum(c.passed for c in calibration)}/{len(calibration)}</td><td>{fold}</td></tr>"
        )
    every = [c for o in outcomes for c in o.validation_checks]
    value, count = gmfe(every)
    overall = f"{value:.2f} over {count} numeric checks" if value is not None else "—"
    return (
        "<table><tr><th>experiment</th><th>phenomenon</th><th>verdict</th>"
        "<th>validation checks passed (data)</th><th>model comparisons</th>"
        "<th>calibration fit checks</th><th>GMFE of validation checks (n)</th></tr>"
        + "".join(rows)
        + f"</table><p>All validation checks: {sum(c.passed for c in every)} of {len(every)} "
        f"pass; geometric mean fold error {overall}.</p>"
    )


def _section(outcome: ExperimentOutcome) -> str:
    experiment = registry().get(outcome.name)
    parts = [f"<h2 id='{_e(outcome.name)}'>{_e(outcome.name)}: {_e(outcome.title)}</h2>"]
    verdict = "PASS" if outcome.passed else "FAIL"
    validation = outcome.validation_checks
    parts.append(
        f"<p class='{verdict.lower()}'>{verdict}: {sum(c.passed for c in validation)} of "
        f"{len(validation)} validation checks pass (phenomenon {_e(outcome.phenomenon)}).</p>"
    )
    claim = seed_claim(outcome.phenomenon)
    if claim:
        parts.append(f"<p><strong>Seed claim</strong> {_e(claim)}</p>")
    if experiment is not None:
        if experiment.description:
            parts.append(f"<pre>{_e(experiment.description.strip())}</pre>")
        data = "".join(
            f"<tr><td>{_e(d.name)}</td><td>{_e(d.role)}</td><td>{_e(d.title)}</td>"
            f"<td>{_e(d.identifier)}</td></tr>"
            for d in experiment.datasets()
        )
        parts.append(
            "<table><tr><th>data set</th><th>role</th><th>what</th><th>source</th></tr>"
            f"{data}</table>"
        )
    rows = []
    for c in outcome.checks:
        cls = "fail" if not c.passed and c.counts else c.role
        result = "pass" if c.passed else "fail"
        rows.append(
            f"<tr class='{cls}'><td>{_e(c.evidence)}</td><td>{_e(c.dataset)}</td>"
            f"<td>{_e(c.condition)}</td><td>{_e(c.quantity)}</td><td>{_e(c.observed_text)}</td>"
            f"<td>{_e(c.simulated_text)}</td><td>{_e(c.criterion)}</td>"
            f"<td class='{result}'>{result}</td></tr>"
        )
    parts.append(
        "<table><tr><th>role</th><th>data set</th><th>condition</th><th>quantity</th>"
        "<th>observed</th><th>simulated</th><th>criterion</th><th>result</th></tr>"
        + "".join(rows)
        + "</table>"
    )
    if outcome.notes:
        parts.append("<ul>" + "".join(f"<li>{_e(n)}</li>" for n in outcome.notes) + "</ul>")
    if outcome.figure and Path(outcome.figure).exists():
        data = base64.b64encode(Path(outcome.figure).read_bytes()).decode()
        parts.append(
            f"<img alt='{_e(outcome.name)}: simulated against observed' "
            f"src='data:image/png;base64,{data}'>"
        )
    return "\n".join(parts)


def write_html_report(path: Path, outcomes: list[ExperimentOutcome], model_version: str) -> Path:
    """Write the self-contained HTML report of ``outcomes`` to ``path``."""
    environment = ", ".join(f"{p} {_package_version(p)}" for p in PACKAGES)
    header = (
        f"<p>opioidsim {_e(model_version)}; git {_e(git_revision())}; Python "
        f"{_e(platform.python_version())} on {_e(platform.platform())}; {_e(environment)}.</p>"
    )
    body = [
        "<!DOCTYPE html>",
        "<html lang='en'><head><meta charset='utf-8'>",
        "<title>opioidsim validation report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>opioidsim validation report</h1>",
        header,
        "<p>Each experiment simulates published protocols and compares them with the data. "
        "<em>Calibration</em> rows used data that fitted a parameter (or that a parameter came "
        "from): they show fit quality and do not count. <em>Model comparison</em> rows compare "
        "with another model's prediction and do not count. Only <em>validation</em> rows on "
        "measured data decide pass or fail; failing checks are shown, never dropped.</p>",
        "<h2>Summary</h2>",
        _summary(outcomes),
        "<h2>Phenomena and seed claims</h2>",
        _phenomena(outcomes),
        "<h2>Parameter provenance</h2>",
        _provenance_tables(),
        *(_section(o) for o in outcomes),
        "</body></html>",
    ]
    write_text_safely(path, "\n".join(body))
    return path


def _clip(text: object, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _table_page(
    pdf,
    title: str,
    lines: list[str],
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    figure: Path | None = None,
    failed_rows=(),
) -> None:
    """One A4 page: a title, text lines, a table and optionally an image below it."""
    import matplotlib.image as mpimg
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(8.27, 11.69))
    fig.text(0.05, 0.965, title, fontsize=12, weight="bold", va="top")
    for k, line in enumerate(lines):
        fig.text(0.05, 0.94 - 0.016 * k, line, fontsize=7.5, va="top")
    top = 0.93 - 0.016 * len(lines)
    table_height = min(0.55, 0.018 * (len(rows) + 1))
    ax = fig.add_axes((0.05, top - table_height, 0.9, table_height))
    ax.axis("off")
    if rows:
        table = ax.table(cellText=rows, colLabels=header, colWidths=widths, loc="upper left",
                         cellLoc="left")  # fmt: skip
        table.auto_set_font_size(False)
        table.set_fontsize(5.5)
        table.scale(1, 0.9)
        for (row, _), cell in table.get_celld().items():
            if row == 0:
                cell.set_facecolor("#f2f2f2")
            elif row - 1 in failed_rows:
                cell.set_facecolor("#fde8e8")
    if figure is not None and Path(figure).exists():
        bottom = 0.03
        height = top - table_height - 0.04 - bottom
        if height > 0.1:
            image = fig.add_axes((0.05, bottom, 0.9, height))
            image.imshow(mpimg.imread(figure))
            image.axis("off")
    pdf.savefig(fig)
    plt.close(fig)


def write_pdf_report(path: Path, outcomes: list[ExperimentOutcome], model_version: str) -> Path:
    """The report as A4 pages: summary and provenance, then one page per experiment."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages

    from opioidsim.io.safe_write import replace_safely

    every = [c for o in outcomes for c in o.validation_checks]
    value, count = gmfe(every)
    summary_rows, failed = [], []
    for k, o in enumerate(outcomes):
        validation, models = o.validation_checks, o.model_comparison_checks
        calibration = [c for c in o.checks if c.role == "calibration"]
        fold, n = gmfe(validation)
        summary_rows.append([
            o.name, o.phenomenon, "PASS" if o.passed else "FAIL",
            f"{sum(c.passed for c in validation)}/{len(validation)}",
            f"{sum(c.passed for c in models)}/{len(models)}",
            f"{sum(c.passed for c in calibration)}/{len(calibration)}",
            f"{fold:.2f} ({n})" if fold is not None else "-",
        ])  # fmt: skip
        if not o.passed:
            failed.append(k)

    def write(tmp: Path) -> None:
        with PdfPages(tmp) as pdf:
            header = [
                f"opioidsim {model_version}; git {git_revision()}",
                f"Python {platform.python_version()}; "
                + ", ".join(f"{p} {_package_version(p)}" for p in PACKAGES),
                "Only validation rows on measured data decide a verdict; calibration rows show "
                "fit quality; model comparisons do not count.",
                f"All validation checks: {sum(c.passed for c in every)} of {len(every)} pass; "
                + (f"GMFE {value:.2f} over {count} numeric checks." if value else ""),
            ]
            _table_page(
                pdf, "opioidsim validation report", header,
                ["experiment", "phenomenon", "verdict", "validation (data)", "model comparisons",
                 "calibration fit", "GMFE (n)"],
                summary_rows, [0.14, 0.12, 0.08, 0.16, 0.16, 0.14, 0.12], failed_rows=failed,
            )  # fmt: skip
            phenomena = phenomena_rows(outcomes)
            _table_page(
                pdf, "Phenomena and seed claims",
                [f"{sum(1 for r in phenomena if r[3] != '-')} of {len(phenomena)} phenomena "
                 "have an experiment."],
                ["phenomenon", "seed", "claim", "experiments", "status"],
                [[r[0], r[1], _clip(r[2], 70), _clip(r[3], 24), _clip(r[4], 40)]
                 for r in phenomena],
                [0.13, 0.08, 0.45, 0.12, 0.22],
                failed_rows=[k for k, r in enumerate(phenomena) if r[3] == "-"],
            )  # fmt: skip
            for o in outcomes:
                rows = [
                    [_clip(c.evidence, 12), _clip(c.dataset, 30), _clip(c.condition, 48),
                     _clip(c.quantity, 34), _clip(c.observed_text, 14),
                     _clip(c.simulated_text, 12), _clip(c.criterion, 24),
                     "pass" if c.passed else "FAIL"]
                    for c in o.checks
                ]  # fmt: skip
                bad = [k for k, c in enumerate(o.checks) if c.counts and not c.passed]
                validation = o.validation_checks
                _table_page(
                    pdf, f"{o.name}: {o.title}",
                    [f"{'PASS' if o.passed else 'FAIL'}: {sum(c.passed for c in validation)} of "
                     f"{len(validation)} validation checks pass (phenomenon {o.phenomenon}).",
                     _clip(f"Seed claim {seed_claim(o.phenomenon)}", 160)],
                    ["role", "data set", "condition", "quantity", "observed", "simulated",
                     "criterion", "result"],
                    rows, [0.08, 0.17, 0.24, 0.17, 0.08, 0.07, 0.13, 0.05],
                    figure=o.figure, failed_rows=bad,
                )  # fmt: skip

    return replace_safely(path, write)


__all__ = [
    "fold_error",
    "git_revision",
    "gmfe",
    "phenomena_rows",
    "seed_claim",
    "write_html_report",
    "write_pdf_report",
]
