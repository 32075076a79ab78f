"""Run a trial file end to end: simulate, observe, analyse, power, and write a report.

``run_trial("trial.yaml", "out/")`` is the Python twin of ``opioidsim trial``. It writes::

    out/
      endpoints.csv, endpoints.parquet   the trial (replicate 0): subject, sequence, period,
                                         arm, endpoint, true_value, value
      subjects.csv                       its subjects: sequence, sex, weight, genotypes
      analysis.json                      every endpoint's tests; the primary one first
      endpoints.png                      primary endpoint by arm (paired lines in a crossover)
      power.csv, power.png               with a power block: power against sample size
      power_endpoints.parquet            every replicate's observed endpoints
      report.md                          a short report of the above

Parallelism: ``workers`` processes inside each chunk (the engine's ``SolverOptions``), or,
with ``dask``, chunks spread over a Dask cluster (see :mod:`opioidsim.simulation.dask`).
"""

from __future__ import annotations

import dataclasses
import json
import math
import time as _time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opioidsim.engine.solve import SolverOptions
from opioidsim.io.safe_write import (
    make_output_folder,
    save_figure_safely,
    write_csv_safely,
    write_parquet_safely,
    write_text_safely,
)
from opioidsim.population import sample_covariates
from opioidsim.simulation.population import DaskSettings, dask_map
from opioidsim.simulation.run import model_version
from opioidsim.trials.design import TrialSpec, load_trial
from opioidsim.trials.simulate import observe, sequence_scenarios, simulate_raw
from opioidsim.trials.statistics import analyse, method_of, power_curve, sample_size_for


@dataclass(frozen=True)
class TrialRun:
    """What :func:`run_trial` did and found."""

    out_dir: Path
    spec: TrialSpec
    endpoints: pd.DataFrame
    analysis: dict[str, Any]
    power: pd.DataFrame | None
    sample_size: dict[str, Any] | None
    wall_time_s: float
    files: list[Path]
    backend: str = ""


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return _json_safe(value.item())
    return value


def _summary(spec: TrialSpec, endpoints: pd.DataFrame) -> pd.DataFrame:
    return (
        endpoints.groupby(["endpoint", "arm"], sort=False)["value"]
        .agg(n="count", mean="mean", sd="std", median="median")
        .reset_index()
    )


def subjects_table(spec: TrialSpec, endpoints: pd.DataFrame) -> pd.DataFrame:
    """The trial's subjects: sequence, sex, body weight and genotypes (from the population)."""
    typical = sequence_scenarios(spec)[0].subject
    replicates = spec.power.replicates if spec.power else 1
    population = spec.population_spec(replicates * spec.max_subjects)
    ids = np.sort(endpoints["subject"].to_numpy(dtype=np.int64))
    ids = np.unique(ids)
    covariates = sample_covariates(
        population,
        ids,
        species=typical.species,
        sex=typical.sex,
        body_weight_kg=typical.body_weight_kg,
    ).to_pandas()
    sequences = endpoints.groupby("subject")["sequence"].first()
    covariates.insert(1, "sequence", covariates["subject"].map(sequences))
    return covariates


def _figure_endpoints(spec: TrialSpec, endpoints: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    name = spec.analysis.primary
    frame = endpoints[endpoints["endpoint"] == name]
    control = spec.analysis.control
    arms = [control] + [a.name for a in spec.design.arms if a.name != control]
    fig, ax = plt.subplots(figsize=(5.5, 4.0))
    if spec.design.kind == "crossover":
        wide = frame.pivot_table(index="subject", columns="arm", values="value", aggfunc="first")
        cols = [a for a in arms if a in wide]
        for _, row in wide[cols].iterrows():
            ax.plot(range(len(cols)), row.to_numpy(), color="0.6", lw=0.8, marker="o", ms=3)
        ax.plot(
            range(len(cols)),
            wide[cols].mean().to_numpy(),
            color="C3",
            lw=2.5,
            marker="s",
            label="mean",
        )
        ax.set_xticks(range(len(cols)), cols)
        ax.legend(frameon=False)
    else:
        rng = np.random.default_rng(0)  # horizontal jitter only, for legibility
        for k, arm in enumerate(arms):
            values = frame.loc[frame["arm"] == arm, "value"].to_numpy()
            ax.scatter(k + rng.uniform(-0.12, 0.12, values.size), values, s=12, color="0.5")
            if values.size:
                ax.plot([k - 0.25, k + 0.25], [values.mean()] * 2, color="C3", lw=2.5)
        ax.set_xticks(range(len(arms)), arms)
    endpoint = next(e for e in spec.endpoints if e.name == name)
    unit = "% of baseline" if endpoint.relative_to_baseline else endpoint.observable
    ax.set_ylabel(f"{name} ({endpoint.statistic}, {unit})")
    ax.set_title(spec.name or "trial", fontsize=10)
    fig.tight_layout()
    save_figure_safely(fig, path, dpi=120)
    plt.close(fig)


def _figure_power(spec: TrialSpec, curve: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert spec.power is not None
    fig, ax = plt.subplots(figsize=(5.5, 4.0))
    n = curve["sample_size"].to_numpy()
    p = curve["power"].to_numpy()
    # Wilson limits can sit a rounding error inside p at p = 0 or 1.
    low = np.clip(p - curve["ci_low"].to_numpy(), 0.0, None)
    high = np.clip(curve["ci_high"].to_numpy() - p, 0.0, None)
    ax.errorbar(n, p, yerr=[low, high], marker="o", capsize=3)
    ax.axhline(spec.power.target, color="C3", ls="--", lw=1, label=f"target {spec.power.target:g}")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("subjects")
    ax.set_ylabel(f"power (alpha {spec.analysis.alpha:g}, {method_of(spec)})")
    ax.set_title(
        f"{spec.analysis.primary}: {spec.power.replicates} simulated trials per size", fontsize=10
    )
    ax.legend(frameon=False, loc="lower right")
    fig.tight_layout()
    save_figure_safely(fig, path, dpi=120)
    plt.close(fig)


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def _report(run: TrialRun, summary: pd.DataFrame) -> str:
    spec = run.spec
    d = spec.design
    a = run.analysis[spec.analysis.primary]
    lines = [f"# {spec.name or 'Simulated trial'}", ""]
    lines += [
        f"- design: {d.kind}, {d.subjects} subjects, sequences "
        f"{', '.join('-'.join(s) for s in d.sequence_list)}; run-in {d.run_in_h / 24:g} d, "
        f"period {d.period_h / 24:g} d, washout {d.washout_h / 24:g} d; permuted blocks of "
        f"{d.block}; dropout {d.dropout_per_period:g} per period",
        f"- seed {spec.seed} (randomisation, dropout, noise); population seed "
        f"{spec.population.get('seed', 0)}; opioidsim {model_version()}, solver backend "
        f"{run.backend}, {run.wall_time_s:.0f} s",
        "",
        "## Endpoints by arm",
        "",
        "| endpoint | arm | n | mean | SD | median |",
        "|---|---|---|---|---|---|",
    ]
    for row in summary.to_dict("records"):
        lines.append(
            f"| {row['endpoint']} | {row['arm']} | {row['n']} | {_fmt(row['mean'])} | "
            f"{_fmt(row['sd'])} | {_fmt(row['median'])} |"
        )
    lines += ["", f"## Primary analysis: {spec.analysis.primary}", ""]
    lines.append(
        f"{a['treatment']} minus {a['control']} ({a['method']}): estimate "
        f"{_fmt(a['estimate'])}, p = {_fmt(a['p_value'])} "
        f"({'significant' if a['significant'] else 'not significant'} at alpha "
        f"{spec.analysis.alpha:g})."
    )
    for test in ("mixed", "paired", "welch"):
        if test in a:
            t = a[test]
            extra = ""
            if "cohen_dz" in t:
                extra = (
                    f"; Cohen's d_z {_fmt(t['cohen_dz'])} [{_fmt(t['cohen_dz_ci_low'])}, "
                    f"{_fmt(t['cohen_dz_ci_high'])}]"
                )
            if "hedges_g" in t:
                extra = (
                    f"; Hedges' g {_fmt(t['hedges_g'])} [{_fmt(t['hedges_g_ci_low'])}, "
                    f"{_fmt(t['hedges_g_ci_high'])}]"
                )
            if "period_p_value" in t:
                extra += f"; period p = {_fmt(t['period_p_value'])}"
            if "sequence_p_value" in t:
                extra += f"; sequence p = {_fmt(t['sequence_p_value'])}"
            lines.append(
                f"- {test}: estimate {_fmt(t.get('estimate'))} [95 % CI {_fmt(t.get('ci_low'))}, "
                f"{_fmt(t.get('ci_high'))}], p = {_fmt(t.get('p_value'))}{extra}"
            )
    between = a.get("between_arms") or {}
    if "anova_p_value" in between:
        lines.append(f"- one-way ANOVA over all arms: p = {_fmt(between['anova_p_value'])}")
    if "dose_slope" in between:
        lines.append(
            f"- dose trend: slope {_fmt(between['dose_slope'])} per dose unit, p = "
            f"{_fmt(between['dose_slope_p_value'])}"
        )
    if run.power is not None and run.sample_size is not None:
        lines += [
            "",
            "## Power by simulation",
            "",
            "| subjects | power | 95 % CI | mean estimate |",
            "|---|---|---|---|",
        ]
        for row in run.power.to_dict("records"):
            lines.append(
                f"| {row['sample_size']} | {row['power']:.3f} | [{row['ci_low']:.3f}, "
                f"{row['ci_high']:.3f}] | {_fmt(row['mean_estimate'])} |"
            )
        s = run.sample_size
        reached = (
            f"{s['smallest_simulated']} subjects (interpolated {_fmt(s['interpolated'])})"
            if s["smallest_simulated"] is not None
            else "not reached at the simulated sizes"
        )
        lines += ["", f"Target power {s['target']:g}: {reached}."]
    noise = [e for e in spec.endpoints if e.noise.within_subject_sd or e.noise.between_subject_sd]
    lines += ["", "## Assumptions", ""]
    for e in noise:
        lines.append(
            f"- {e.name}: measurement noise assumed, within-subject SD "
            f"{e.noise.within_subject_sd:g}, between-subject SD {e.noise.between_subject_sd:g} "
            "(endpoint units); not measured."
        )
    lines += ["", "Figures: endpoints.png" + (", power.png" if run.power is not None else "")]
    return "\n".join(lines) + "\n"


def run_trial(
    trial: TrialSpec | Mapping[str, Any] | str | PathLike[str],
    out_dir: str | PathLike[str] | None = None,
    *,
    chunk_size: int = 250,
    workers: int = 1,
    options: SolverOptions | None = None,
    dask: DaskSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TrialRun:
    """Simulate and analyse a trial; write its tables, figures and report to ``out_dir``.

    Parameters
    ----------
    trial
        A :class:`TrialSpec`, a mapping or a YAML path.
    out_dir
        Output folder (created); ``None`` writes nothing.
    chunk_size
        Subjects solved together.
    workers
        Worker processes per chunk (ignored with ``dask``).
    options
        Solver options (backend, tolerances); the default backend when not given.
    dask
        Spread chunks over a Dask cluster; the result is the same as without.
    progress
        Called with (subjects done, subjects in all).

    Returns
    -------
    TrialRun
    """
    started = _time.perf_counter()
    spec = load_trial(trial)
    options = dataclasses.replace(options or SolverOptions(), workers=1 if dask else workers)
    replicates = spec.power.replicates if spec.power else 1
    if dask is not None:
        with dask_map(dask) as mapper:
            raw = simulate_raw(
                spec, replicates, chunk_size=chunk_size, options=options, map_chunks=mapper
            )
    else:
        raw = simulate_raw(
            spec, replicates, chunk_size=chunk_size, options=options, progress=progress
        )
    observed = observe(spec, raw)
    trial_rows = observed[
        (observed["replicate"] == 0) & (observed["enrolment"] < spec.design.subjects)
    ]
    analysis = {e.name: analyse(spec, trial_rows, e.name) for e in spec.endpoints}
    curve = power_curve(spec, observed) if spec.power else None
    needed = (
        sample_size_for(curve, spec.power.target) if spec.power and curve is not None else None
    )
    columns = [
        "subject",
        "enrolment",
        "sequence_name",
        "period",
        "arm",
        "endpoint",
        "true_value",
        "value",
    ]
    endpoints = trial_rows[columns].rename(columns={"sequence_name": "sequence"})
    endpoints = endpoints.reset_index(drop=True)
    run = TrialRun(
        Path(out_dir) if out_dir else Path(),
        spec,
        endpoints,
        analysis,
        curve,
        needed,
        _time.perf_counter() - started,
        [],
        options.backend,
    )
    if out_dir is None:
        return run
    out = Path(out_dir)
    make_output_folder(out)
    files = [
        out / "endpoints.csv",
        out / "endpoints.parquet",
        out / "analysis.json",
        out / "endpoints.png",
        out / "report.md",
        out / "subjects.csv",
    ]
    write_csv_safely(subjects_table(spec, endpoints), files[5], index=False)
    write_csv_safely(endpoints, files[0], index=False)
    write_parquet_safely(endpoints, files[1], index=False)
    write_text_safely(
        files[2],
        json.dumps(
            _json_safe(
                {
                    "trial": spec.model_dump(mode="json", by_alias=True, exclude_none=True),
                    "primary": spec.analysis.primary,
                    "analysis": analysis,
                    "sample_size": needed,
                    "model_version": model_version(),
                    "solver": {
                        "backend": options.backend,
                        "rtol": options.rtol,
                        "atol": options.atol,
                    },
                }
            ),
            indent=2,
        ),
    )
    _figure_endpoints(spec, endpoints, files[3])
    if curve is not None:
        write_csv_safely(curve, out / "power.csv", index=False)
        _figure_power(spec, curve, out / "power.png")
        write_parquet_safely(observed, out / "power_endpoints.parquet", index=False)
        files += [out / "power.csv", out / "power.png", out / "power_endpoints.parquet"]
    run = dataclasses.replace(run, wall_time_s=_time.perf_counter() - started, files=files)
    write_text_safely(files[4], _report(run, _summary(spec, endpoints)))
    return run
