"""Relapse-prevention trials from one YAML file: arms of people after detoxification, each
with its own treatment, and the endpoints such trials report, with 95 % intervals.

A use trial is a scenario with an ``opioid_use`` block (``protocols/opioid_use.py``: the
history as ``doses``, then the daily decisions) whose ``treatment`` differs by arm::

    name: XR-naltrexone vs placebo after detoxification
    subject: {species: human, sex: male, body_weight: 70 kg}
    seed: 2024
    doses: [{drug: heroin, amount: 25 mg, route: iv, time: 0 h, every: 8 h, for: 60 d}]
    opioid_use:                                # shared by every arm, without treatment
      start: 74 d
      days: 168
      use: {drug: heroin, amount: 25 mg, route: iv, count: 3, every: 5 h, at: 10 h}
    arms:
      - {name: xr_naltrexone, people: 126, treatment: {medication: xr_naltrexone}}
      - {name: placebo, people: 124, treatment: {medication: placebo}}
    control: placebo                           # the arm the others are compared with
    population: {seed: 11, variability: [{parameter: heroin.clearance, cv: 0.3}]}  # optional

Every arm draws the same people (person i of each arm has the same seed, traits and model
parameters: common random numbers, as in a crossover of identical twins), so differences
between arms are the treatment's. Endpoints, computed from each person's days
(``trials/use_endpoints.py``; weekly urine tests on the last day of each week, positive after
any use in the 3 days up to it, missing once the person has left treatment):

- inducted (%): received the first dose of the medication (or started a drug-free treatment);
- retained to the end (%), and days in treatment (mean);
- use days per person (mean), and no use on any day (%);
- confirmed-abstinent weeks (median % of weeks with a negative test; missing counts as not
  abstinent, Krupitsky 2011's primary endpoint);
- relapse (%): 4 consecutive weeks with use or a missing test, or 7 consecutive use days
  (X:BOT's definition, counted from the first day), and weeks to relapse (Kaplan-Meier
  median).

Each arm other than the control against it: the risk ratio of relapse, Cox hazard ratios of
relapse and of leaving treatment, and the Mann-Whitney p of the abstinent-week shares.

Known limitation: a person who leaves treatment is no longer tested (the model has no
research follow-up apart from treatment), so their weeks count as missing, as in Krupitsky
2011; trials that followed people after they stopped treatment read differently.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from opioidsim.errors import ConfigError
from opioidsim.io.safe_write import make_output_folder, save_figure_safely, write_text_safely
from opioidsim.population import PopulationSpec
from opioidsim.protocols.block_fields import BlockFields
from opioidsim.protocols.opioid_use import BLOCK, MAX_DAYS, OpioidUse, load
from opioidsim.protocols.scenario import Scenario
from opioidsim.simulation.opioid_use import OpioidUseResult, simulate_opioid_use_population
from opioidsim.trials import use_endpoints as ep

_ROOT = "trial"
_FIELDS = (
    "name", "subject", "seed", "doses", "events", "physiology", "opioid_use", "arms",
    "control", "population", "output_interval",
)  # fmt: skip
_ARM_FIELDS = ("name", "people", "treatment")
MAX_PEOPLE = 100_000
#: Weekly urine tests detect any use in the 3 days up to the test.
URINE_WINDOW_DAYS = 3


def _fail(where: str, message: str) -> None:
    raise ConfigError(f"{_ROOT}.{where}: {message}")


@dataclass(frozen=True)
class Arm:
    name: str
    people: int
    scenario: Scenario
    block: OpioidUse
    treatment: Mapping[str, Any] | None


@dataclass(frozen=True)
class UseTrial:
    """A validated use trial: its arms (each a scenario and its block), control, population."""

    name: str
    arms: tuple[Arm, ...]
    control: str
    population: PopulationSpec | None
    source: Mapping[str, Any] = field(repr=False)

    def arm(self, name: str) -> Arm:
        return next(a for a in self.arms if a.name == name)


def is_use_trial(raw: Any) -> bool:
    """Whether a trial mapping is a use trial (it has an ``opioid_use`` block)."""
    return isinstance(raw, Mapping) and BLOCK in raw


def parse_use_trial(raw: Mapping[str, Any]) -> UseTrial:
    """Check a use trial (one-line errors naming the field)."""
    if not isinstance(raw, Mapping):
        raise ConfigError(
            f"{_ROOT}: got {raw!r}; a use trial is a mapping (see trials/use_trial)."
        )
    for key in raw:
        if key not in _FIELDS:
            _fail(
                str(key), f"got an unknown field; a use trial has the fields {', '.join(_FIELDS)}."
            )
    arms_raw = raw.get("arms")
    if not isinstance(arms_raw, list) or not arms_raw:
        _fail(
            "arms",
            f"got {arms_raw!r}; give a list of arms, e.g. [{{name: xr_naltrexone, people: 100, "
            "treatment: {medication: xr_naltrexone}}, {name: placebo, people: 100, treatment: "
            "{medication: placebo}}].",
        )
    block = raw.get(BLOCK)
    if not isinstance(block, Mapping):
        _fail(BLOCK, f"got {block!r}; must be a mapping (start, days, ward, use).")
    if "treatment" in block:
        _fail(
            f"{BLOCK}.treatment",
            "a use trial gives each arm its own treatment (arms[].treatment), not the shared "
            "block.",
        )
    shared = {k: v for k, v in raw.items() if k not in ("arms", "control", "population", "name")}
    shared["name"] = str(raw.get("name", "use trial"))
    # The run ends with the last decision day; weekly endpoints need a week.
    fields = BlockFields(f"{_ROOT}.{BLOCK}")
    start_h = fields.hours(block.get("start"), "start", "74 d", positive=False)
    days = fields.whole(block.get("days"), "days", 7, MAX_DAYS, "168")
    shared["duration"] = f"{start_h + 24.0 * days:g} h"
    arms: list[Arm] = []
    for i, entry in enumerate(arms_raw):
        where = f"arms[{i}]"
        if not isinstance(entry, Mapping):
            _fail(where, f"got {entry!r}; an arm is {{name: ..., people: ..., treatment: ...}}.")
        for key in entry:
            if key not in _ARM_FIELDS:
                _fail(
                    f"{where}.{key}",
                    f"got an unknown field; an arm has the fields {', '.join(_ARM_FIELDS)}.",
                )
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            _fail(f"{where}.name", f"got {name!r}; give a short name, e.g. placebo.")
        if any(a.name == name for a in arms):
            _fail(f"{where}.name", f"got {name!r} twice; arm names must differ.")
        people = entry.get("people")
        if (
            isinstance(people, bool)
            or not isinstance(people, int)
            or not 1 <= people <= MAX_PEOPLE
        ):
            _fail(
                f"{where}.people",
                f"got {people!r}; give a whole number of people from 1 to {MAX_PEOPLE}.",
            )
        treatment = entry.get("treatment")
        arm_block = dict(block)
        if treatment is not None:
            arm_block["treatment"] = treatment
        try:
            scenario, parsed = load({**shared, BLOCK: arm_block})
        except ConfigError as error:
            raise ConfigError(f"{_ROOT}.{where} ({name}): {error}") from None
        assert parsed is not None
        if scenario.subject.species != "human":
            _fail(
                "subject.species",
                f"got {scenario.subject.species!r}; use trials are for people (species: human).",
            )
        arms.append(Arm(name, people, scenario, parsed, treatment))
    names = [a.name for a in arms]
    control = raw.get("control", names[-1])
    if control not in names:
        _fail("control", f"got {control!r}; give one of the arms: {', '.join(names)}.")
    population = None
    if raw.get("population") is not None:
        if not isinstance(raw["population"], Mapping):
            _fail(
                "population",
                f"got {raw['population']!r}; give {{seed: 1, variability: [{{parameter: "
                "heroin.clearance, cv: 0.3}]}}.",
            )
        spec = dict(raw["population"])
        if "size" in spec:
            _fail("population.size", "the arms give the number of people (arms[].people).")
        spec["size"] = max(a.people for a in arms)
        try:
            population = PopulationSpec.model_validate(spec)
        except ConfigError as error:
            raise ConfigError(f"{_ROOT}.population: {error}") from None
    return UseTrial(shared["name"], tuple(arms), str(control), population, dict(raw))


@dataclass
class UseTrialRun:
    trial: UseTrial
    runs: dict[str, OpioidUseResult]
    #: (arm, endpoint) -> estimate
    endpoints: dict[tuple[str, str], ep.Estimate]
    #: (arm, comparison) -> estimate (the p value as an estimate without interval)
    comparisons: dict[tuple[str, str], ep.Estimate]
    files: list[Path]
    wall_time_s: float


def _retention_days(run: OpioidUseResult) -> np.ndarray:
    return ep.retention_days(run.left_day, run.used.shape[1])


def _relapse(run: OpioidUseResult) -> tuple[np.ndarray, np.ndarray]:
    """Week of relapse (or the last week, censored) and whether it happened."""
    weeks = run.used.shape[1] // 7
    week = ep.relapse_week_xbot(run.used, run.in_care, from_day=0)
    happened = week >= 0
    return np.where(happened, week + 1, weeks).astype(float), happened


def arm_endpoints(run: OpioidUseResult, seed: int) -> dict[str, ep.Estimate]:
    """The endpoints of one arm."""
    urines = ep.weekly_urines(run.used, run.in_care, URINE_WINDOW_DAYS)
    weeks = urines.shape[1]
    abstinent = 100 * ep.confirmed_abstinent_share(urines, 1, weeks)
    relapse_week, relapsed = _relapse(run)
    km = ep.km_median(relapse_week, relapsed)
    return {
        "inducted (%)": ep.proportion(run.induction_day >= 0),
        "retained to the end (%)": ep.proportion(run.in_care[:, -1]),
        "days in treatment (mean)": ep.mean_with_interval(_retention_days(run)),
        "use days per person (mean)": ep.mean_with_interval(run.used.sum(axis=1)),
        "no use on any day (%)": ep.proportion(~run.used.any(axis=1)),
        "confirmed-abstinent weeks (median %)": ep.median_with_interval(abstinent, seed=seed),
        "relapse (%)": ep.proportion(relapsed),
        "weeks to relapse (Kaplan-Meier median)": ep.Estimate(km, float("nan"), float("nan")),
    }


def compare(treated: OpioidUseResult, control: OpioidUseResult) -> dict[str, ep.Estimate]:
    """A treated arm against the control arm."""
    from scipy.stats import mannwhitneyu

    week_t, relapsed_t = _relapse(treated)
    week_c, relapsed_c = _relapse(control)
    left_t, left_c = treated.left_day >= 0, control.left_day >= 0
    out = {
        "risk ratio of relapse": ep.risk_ratio(relapsed_t, relapsed_c),
        "hazard ratio of relapse (Cox)": ep.hazard_ratio(week_t, relapsed_t, week_c, relapsed_c),
    }
    if left_t.any() or left_c.any():
        out["hazard ratio of leaving treatment (Cox)"] = ep.hazard_ratio(
            _retention_days(treated), left_t, _retention_days(control), left_c
        )
    shares = [
        ep.confirmed_abstinent_share(
            ep.weekly_urines(r.used, r.in_care, URINE_WINDOW_DAYS), 1, r.used.shape[1] // 7
        )
        for r in (treated, control)
    ]
    if np.ptp(np.concatenate(shares)) > 0:
        p = float(mannwhitneyu(shares[0], shares[1]).pvalue)
    else:
        p = 1.0
    out["abstinent-week shares, Mann-Whitney p"] = ep.Estimate(p, float("nan"), float("nan"))
    return out


def run_use_trial(
    trial: UseTrial,
    out_dir: str | Path,
    *,
    workers: int = 1,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> UseTrialRun:
    """Simulate every arm and write ``endpoints.csv``, ``comparisons.csv``, ``days.csv``,
    ``report.md``, ``trial.png`` and ``trial.json`` into ``out_dir``."""
    started = time.perf_counter()
    out = Path(out_dir)
    make_output_folder(out)
    runs: dict[str, OpioidUseResult] = {}
    total = sum(a.people for a in trial.arms)
    done = 0
    for arm in trial.arms:
        # At least one chunk per worker (chunking never changes the people or their days).
        per_worker = -(-arm.people // workers)
        runs[arm.name] = simulate_opioid_use_population(
            arm.scenario,
            arm.block,
            subjects=arm.people,
            chunk_size=per_worker if chunk_size is None else min(chunk_size, per_worker),
            workers=workers,
            population=trial.population,
        )
        done += arm.people
        if progress:
            progress(done, total)
    seed = trial.arms[0].scenario.seed or 0
    endpoints = {
        (name, key): value
        for name, run in runs.items()
        for key, value in arm_endpoints(run, seed).items()
    }
    comparisons = {
        (name, key): value
        for name, run in runs.items()
        if name != trial.control
        for key, value in compare(run, runs[trial.control]).items()
    }
    files = _write(trial, runs, endpoints, comparisons, out)
    return UseTrialRun(trial, runs, endpoints, comparisons, files, time.perf_counter() - started)


def _cell(value: float) -> str:
    return "" if value != value else f"{value:.4g}"


def _write(trial, runs, endpoints, comparisons, out: Path) -> list[Path]:
    from opioidsim.simulation.opioid_use import DAYS_HEADER, days_rows

    files = []
    for name, table in (("endpoints.csv", endpoints), ("comparisons.csv", comparisons)):
        path = out / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["arm", "endpoint" if name == "endpoints.csv" else "comparison",
                             "estimate", "lower_95", "upper_95"])  # fmt: skip
            for (arm, key), e in table.items():
                writer.writerow([arm, key, _cell(e.value), _cell(e.lower), _cell(e.upper)])
        files.append(path)
    path = out / "days.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["arm", *DAYS_HEADER])
        for arm in trial.arms:
            for row in days_rows(runs[arm.name], arm.block):
                writer.writerow([arm.name, *row])
    files.append(path)
    lines = [
        f"# {trial.name}",
        "",
        "| arm | endpoint | estimate (95 % interval) |",
        "|---|---|---|",
    ]
    for (arm, key), e in endpoints.items():
        lines.append(f"| {arm} | {key} | {_text(e)} |")
    lines += ["", f"Against {trial.control}:", "",
              "| arm | comparison | estimate (95 % interval) |", "|---|---|---|"]  # fmt: skip
    for (arm, key), e in comparisons.items():
        lines.append(f"| {arm} | {key} | {_text(e)} |")
    lines += ["", "Definitions: `opioidsim.trials.use_trial` (weekly urines, missing once out of "
              "treatment; relapse by X:BOT's definition from the first day)."]  # fmt: skip
    path = out / "report.md"
    write_text_safely(path, "\n".join(lines) + "\n")
    files.append(path)
    path = out / "trial.json"
    from opioidsim.simulation.run import model_version

    write_text_safely(
        path,
        json.dumps({"trial": _jsonable(trial.source), "model_version": model_version()}, indent=1),
    )
    files.append(path)
    files.append(_figure(trial, runs, out))
    return files


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _text(e: ep.Estimate) -> str:
    if e.lower != e.lower:
        return _cell(e.value)
    return f"{e.value:.3g} ({e.lower:.3g}-{e.upper:.3g})"


def _figure(trial: UseTrial, runs: dict[str, OpioidUseResult], out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for i, arm in enumerate(trial.arms):
        run = runs[arm.name]
        days = np.arange(1, run.used.shape[1] + 1)
        colour = f"C{i}"
        retained = 100 * run.in_care.mean(axis=0)
        axes[0].plot(days / 7, retained, c=colour, label=f"{arm.name} (n = {arm.people})")
        weeks = run.used.shape[1] // 7
        weekly = run.used[:, : 7 * weeks].reshape(run.subjects, weeks, 7).any(axis=2)
        shares = [ep.proportion(weekly[:, w]) for w in range(weeks)]
        x = np.arange(1, weeks + 1)
        axes[1].plot(x, [s.value for s in shares], c=colour, marker="o", ms=3, label=arm.name)
        axes[1].fill_between(
            x, [s.lower for s in shares], [s.upper for s in shares], color=colour, alpha=0.15
        )
    axes[0].set(
        xlabel="weeks after the first decision day",
        ylabel="in treatment (% of the arm)",
        ylim=(0, 102),
        title="retention",
    )
    axes[1].set(
        xlabel="week",
        ylabel="used at least once that week (% of the arm)",
        ylim=(0, 102),
        title="weekly use (95 % Wilson bands)",
    )
    for ax in axes:
        ax.legend(fontsize=8)
    fig.suptitle(trial.name, fontsize=10)
    fig.tight_layout()
    path = out / "trial.png"
    save_figure_safely(fig, path, dpi=120)
    plt.close(fig)
    return path
