"""Simulate a trial: allocate subjects, build each sequence's timeline, solve, read endpoints.

Subjects and randomness
    Replicate ``r`` of a trial (``r = 0`` is the trial itself; ``1 .. R - 1`` are the extra
    trials of a power calculation) enrols ``N = max(design.subjects, power.sample_sizes)``
    subjects in order; a trial of ``n`` subjects is the first ``n`` of them (nested samples
    give a smoother power curve than independent ones). Enrolled subject ``i`` of replicate
    ``r`` is subject ``r * N + i`` of the population, so it is the same virtual person
    whatever the chunking or the number of workers.

    Every random number comes from its own stream of ``numpy.random.default_rng``:

    ========================  =============================================
    ``[seed, r, 0]``          permuted-block randomisation of replicate r
    ``[seed, id, 1]``         dropout of subject id, one uniform per period
    ``[seed, id, 2, k]``      subject id's random intercept for endpoint k
    ``[seed, id, 2, k, p]``   its measurement errors in period p
    ========================  =============================================

    with ``seed`` the trial's seed; the population's own seed draws parameters and covariates.

Timeline
    Each sequence is one continuous run: ``run_in``, then the periods separated by the
    washout, then ``follow_up``. Doses of an arm are shifted to its period's start, so
    carry-over (drug left from period 1 in period 2) is simulated, not assumed away.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from opioidsim.engine.compile import CompiledModel, compile_model
from opioidsim.engine.events import EventTable
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.errors import ConfigError, SolverError
from opioidsim.io.config import load_scenario
from opioidsim.model.default import build_model
from opioidsim.population import sample_covariates, sample_parameters
from opioidsim.protocols import Scenario
from opioidsim.simulation.population import per_kg_doses, subject_records
from opioidsim.simulation.run import build_events, subject_parameters
from opioidsim.trials.design import Endpoint, TrialSpec

RANDOMISATION_STREAM = 0
DROPOUT_STREAM = 1
NOISE_STREAM = 2

#: Times closer than this (h) are the same time when cutting windows out of the output grid.
TIME_TOLERANCE_H = 1e-9

#: Raw endpoint table columns (before measurement noise and dropout).
RAW_COLUMNS = [
    "subject",
    "replicate",
    "enrolment",
    "sequence",
    "period",
    "arm",
    "endpoint",
    "day",
    "true_value",
]


def _prefixed(error: ConfigError, prefix: str) -> ConfigError:
    return ConfigError(f"{prefix}{error}")


def _hours_text(hours: float) -> str:
    return f"{hours!r} h"


@dataclass(frozen=True)
class TrialModel:
    """What every chunk of a trial shares: the scenarios of the sequences and the model."""

    spec: TrialSpec
    scenarios: tuple[Scenario, ...]
    compiled: CompiledModel
    base: np.ndarray
    output_times_h: np.ndarray


def _arm_scenario(spec: TrialSpec, k: int) -> Scenario:
    arm = spec.design.arms[k]
    try:
        return load_scenario(
            {
                "subject": spec.subject,
                "duration": _hours_text(spec.design.period_h),
                "output_interval": spec.output_interval,
                "doses": [dict(d) for d in arm.doses],
                "events": [dict(e) for e in arm.events],
            }
        )
    except ConfigError as error:
        raise _prefixed(error, f"trial.design.arms[{k}].") from None


def sequence_scenarios(spec: TrialSpec) -> tuple[Scenario, ...]:
    """One scenario per sequence: the whole timeline with each arm's doses in its period.

    Raises
    ------
    ConfigError
        Invalid subject, output interval (``trial.…``) or arm dose
        (``trial.design.arms[k].doses[j]…``).
    """
    design = spec.design
    try:
        load_scenario(
            {
                "subject": spec.subject,
                "duration": _hours_text(design.duration_h),
                "output_interval": spec.output_interval,
                "events": [dict(e) for e in spec.events],
            }
        )
    except ConfigError as error:
        raise _prefixed(error, "trial.") from None
    arms = {arm.name: _arm_scenario(spec, k) for k, arm in enumerate(design.arms)}
    scenarios = []
    for sequence in design.sequence_list:
        doses: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = [dict(e) for e in spec.events]
        for period, name in enumerate(sequence):
            start = design.period_start_h(period)
            for dose in arms[name].doses:
                data = dose.model_dump(mode="json", by_alias=True, exclude_none=True)
                data["time"] = _hours_text(start + float(dose.time.to("h").magnitude))
                doses.append(data)
            for event in arms[name].events:
                data = event.model_dump(mode="json", exclude_none=True)
                data["time"] = _hours_text(start + float(event.time.to("h").magnitude))
                events.append(data)
        scenarios.append(
            load_scenario(
                {
                    "name": "-".join(sequence),
                    "subject": spec.subject,
                    "duration": _hours_text(design.duration_h),
                    "output_interval": spec.output_interval,
                    "doses": doses,
                    "events": events,
                }
            )
        )
    return tuple(scenarios)


def trial_model(spec: TrialSpec) -> TrialModel:
    """Scenarios, model (every drug of every arm) and typical parameters of a trial."""
    scenarios = sequence_scenarios(spec)
    drugs = sorted({r.drug for s in scenarios for r in s.dose_records()})
    model = build_model(
        drugs, species=scenarios[0].subject.species, physiology=scenarios[0].physiology
    )
    for k, endpoint in enumerate(spec.endpoints):
        if endpoint.observable not in model.observable_names:
            close = [n for n in model.observable_names if endpoint.observable.split(".")[0] in n]
            hint = f" (e.g. {', '.join(close[:3])})" if close else ""
            raise ConfigError(
                f"trial.endpoints[{k}].observable: got {endpoint.observable!r}; not an "
                f"observable of this model{hint}."
            )
    base = subject_parameters(model, scenarios[0])
    return TrialModel(spec, scenarios, compile_model(model), base, scenarios[0].output_times_h())


def allocate(spec: TrialSpec, replicate: int) -> np.ndarray:
    """Sequence index of each of the replicate's enrolled subjects (permuted blocks)."""
    design = spec.design
    units = np.repeat(np.arange(len(design.weights)), design.weights)
    per_block = np.tile(units, design.block // design.block_unit)
    rng = np.random.default_rng([spec.seed, replicate, RANDOMISATION_STREAM])
    blocks = -(-spec.max_subjects // per_block.size)
    order = np.concatenate([rng.permutation(per_block) for _ in range(blocks)])
    return order[: spec.max_subjects]


def _window(t: np.ndarray, y: np.ndarray, start: float, end: float):
    inside = (t > start + TIME_TOLERANCE_H) & (t < end - TIME_TOLERANCE_H)
    tt = np.concatenate([[start], t[inside], [end]])
    return tt, np.interp(tt, t, y)


def _time_above(tt: np.ndarray, yy: np.ndarray, threshold: float) -> float:
    """Time (h) a piecewise-linear curve spends above ``threshold``."""
    a, b = yy[:-1] - threshold, yy[1:] - threshold
    dt = np.diff(tt)
    both = (a > 0) & (b > 0)
    cross = (a > 0) != (b > 0)
    total = float(dt[both].sum())
    if cross.any():
        above_part = np.where(a[cross] > 0, a[cross], b[cross])
        total += float((dt[cross] * above_part / np.abs(a[cross] - b[cross])).sum())
    return total


def endpoint_values(
    endpoint: Endpoint, t: np.ndarray, y: np.ndarray, period_start_h: float, baseline: float
) -> list[float]:
    """True values of one endpoint in one period (one per day for ``fraction_of_days``)."""
    if endpoint.relative_to_baseline:
        y = 100.0 * y / baseline
    start = period_start_h + endpoint.window_h[0]
    end = period_start_h + endpoint.window_h[1]
    statistic = endpoint.statistic
    if statistic == "fraction_of_days":
        days = int(np.floor((end - start) / 24.0 + 1e-9))
        out = []
        for d in range(days):
            tt, yy = _window(t, y, start + 24.0 * d, start + 24.0 * (d + 1))
            out.append(float(np.trapezoid(yy, tt) / 24.0))
        return out
    if statistic == "value_at":
        assert endpoint.at_h is not None
        return [float(np.interp(period_start_h + endpoint.at_h, t, y))]
    tt, yy = _window(t, y, start, end)
    if statistic == "mean":
        return [float(np.trapezoid(yy, tt) / (end - start))]
    if statistic == "auc":
        return [float(np.trapezoid(yy, tt))]
    if statistic == "peak":
        return [float(yy.max())]
    assert endpoint.threshold is not None  # time_above
    if endpoint.direction == "above":
        return [_time_above(tt, yy, endpoint.threshold)]
    return [float(end - start) - _time_above(tt, yy, endpoint.threshold)]


def simulate_subjects(
    trial: TrialModel,
    subjects: np.ndarray,
    sequences: np.ndarray,
    options: SolverOptions | None = None,
) -> pd.DataFrame:
    """True endpoint values (no noise, no dropout) of the given population subjects.

    Parameters
    ----------
    trial
        From :func:`trial_model`.
    subjects
        Population ids (``replicate * N + enrolment``).
    sequences
        Sequence index of each subject.
    options
        Solver options (backend, tolerances, worker processes).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`RAW_COLUMNS`, one row per subject, period, endpoint and day.
    """
    spec = trial.spec
    design = spec.design
    n_max = spec.max_subjects
    replicates = spec.power.replicates if spec.power else 1
    population = spec.population_spec(replicates * n_max)
    model = trial.compiled.model
    typical = trial.scenarios[0].subject
    ids = np.asarray(subjects, dtype=np.int64)
    covariates = sample_covariates(
        population,
        ids,
        species=typical.species,
        sex=typical.sex,
        body_weight_kg=typical.body_weight_kg,
    )
    parameters = sample_parameters(model, trial.base, population, ids, covariates)
    rows: list[tuple] = []
    for n in range(ids.size):
        scenario = trial.scenarios[int(sequences[n])]
        ratio = covariates.body_weight_kg[n] / typical.body_weight_kg
        records = subject_records(scenario.dose_records(), per_kg_doses(scenario), ratio)
        rows += build_events(
            trial.compiled, records, parameters[n], subject=n, episodes=scenario.event_records()
        )
    t = trial.output_times_h
    try:
        result = solve(
            trial.compiled, parameters, EventTable.from_rows(rows), t, options, subject_ids=ids
        )
    except SolverError as error:
        raise type(error)(
            f"trial subjects {ids[0]}-{ids[-1]}: {error}", partial=error.partial
        ) from None
    names = list(model.observable_names)
    out: list[tuple] = []
    baseline_start = design.run_in_h - 24.0
    for n, gid in enumerate(ids):
        replicate, enrolment = divmod(int(gid), n_max)
        s = int(sequences[n])
        sequence = design.sequence_list[s]
        for endpoint in spec.endpoints:
            y = result.values[n, names.index(endpoint.observable)]
            baseline = np.nan
            if endpoint.relative_to_baseline:
                tt, yy = _window(t, y, baseline_start, design.run_in_h)
                baseline = float(np.trapezoid(yy, tt) / 24.0)
                if not baseline > 0:
                    raise ConfigError(
                        f"trial.endpoints.{endpoint.name}.relative_to_baseline: subject {gid} "
                        f"has a run-in mean of {baseline:.4g} for {endpoint.observable}; a "
                        "baseline must be > 0 (use an observable that is positive at rest)."
                    )
            for period, arm in enumerate(sequence):
                values = endpoint_values(endpoint, t, y, design.period_start_h(period), baseline)
                for day, value in enumerate(values):
                    out.append(
                        (int(gid), replicate, enrolment, s, period, arm, endpoint.name, day, value)
                    )
    return pd.DataFrame(out, columns=RAW_COLUMNS)


def observe(spec: TrialSpec, raw: pd.DataFrame) -> pd.DataFrame:
    """Apply measurement noise and dropout to true endpoint values.

    Returns one row per subject, period and endpoint still measured: the raw columns but
    ``day``, plus ``value`` (observed) and ``sequence_name``. ``fraction_of_days`` is the
    fraction of days whose observed daily value is above (below) the threshold.
    """
    design = spec.design
    endpoints = {e.name: (k, e) for k, e in enumerate(spec.endpoints)}
    dropped_from: dict[int, int] = {}
    for gid in raw["subject"].unique():
        u = np.random.default_rng([spec.seed, int(gid), DROPOUT_STREAM]).random(design.n_periods)
        left = np.flatnonzero(u < design.dropout_per_period)
        dropped_from[int(gid)] = int(left[0]) if left.size else design.n_periods
    out = []
    keys = ["subject", "replicate", "enrolment", "sequence", "period", "arm", "endpoint"]
    for key, group in raw.groupby(keys, sort=True):
        gid, period, name = int(key[0]), int(key[4]), str(key[6])
        if period >= dropped_from[gid]:
            continue
        k, endpoint = endpoints[name]
        intercept = np.random.default_rng([spec.seed, gid, NOISE_STREAM, k]).standard_normal()
        errors = np.random.default_rng([spec.seed, gid, NOISE_STREAM, k, period])
        true = group.sort_values("day")["true_value"].to_numpy()
        noisy = (
            true
            + endpoint.noise.between_subject_sd * intercept
            + endpoint.noise.within_subject_sd * errors.standard_normal(true.size)
        )
        if endpoint.statistic == "fraction_of_days":
            assert endpoint.threshold is not None
            events = (
                noisy > endpoint.threshold
                if endpoint.direction == "above"
                else (noisy < endpoint.threshold)
            )
            value, truth = (
                float(events.mean()),
                float(
                    (
                        true > endpoint.threshold
                        if endpoint.direction == "above"
                        else true < endpoint.threshold
                    ).mean()
                ),
            )
        else:
            value, truth = float(noisy[0]), float(true[0])
        out.append((*key, truth, value))
    frame = pd.DataFrame(out, columns=[*keys, "true_value", "value"])
    frame["sequence_name"] = frame["sequence"].map(
        lambda s: "-".join(design.sequence_list[int(s)])
    )
    return frame


def simulate_raw(
    spec: TrialSpec,
    replicates: int,
    *,
    chunk_size: int = 250,
    options: SolverOptions | None = None,
    map_chunks: Callable[
        [Callable[[np.ndarray], pd.DataFrame], list[np.ndarray]], list[pd.DataFrame]
    ]
    | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """True endpoint values of replicates ``0 .. replicates - 1`` (all enrolled subjects).

    ``map_chunks(function, chunks)`` runs the chunks (default: one after another here); a
    Dask client's map gives the same table, since a chunk's rows depend only on its ids.
    """
    n_max = spec.max_subjects
    ids = np.arange(replicates * n_max, dtype=np.int64)
    chunks = [ids[k : k + chunk_size] for k in range(0, ids.size, chunk_size)]
    if map_chunks is None:
        trial = trial_model(spec)
        allocations = {r: allocate(spec, r) for r in range(replicates)}
        frames = []
        for chunk in chunks:
            seq = np.array([allocations[int(g) // n_max][int(g) % n_max] for g in chunk])
            frames.append(simulate_subjects(trial, chunk, seq, options))
            if progress:
                progress(int(chunk[-1]) + 1, ids.size)
    else:
        frames = map_chunks(lambda chunk: _chunk_rows(spec, chunk, options), chunks)
    return (
        pd.concat(frames, ignore_index=True)
        .sort_values(["subject", "endpoint", "period", "day"], kind="stable")
        .reset_index(drop=True)
    )


def _chunk_rows(spec: TrialSpec, chunk: np.ndarray, options: SolverOptions | None) -> pd.DataFrame:
    """One chunk, self-contained (for a worker process): rebuild the model, allocate, solve."""
    trial = trial_model(spec)
    n_max = spec.max_subjects
    allocations = {r: allocate(spec, r) for r in {int(g) // n_max for g in chunk}}
    seq = np.array([allocations[int(g) // n_max][int(g) % n_max] for g in chunk])
    return simulate_subjects(trial, chunk, seq, options)
