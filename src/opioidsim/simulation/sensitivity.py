"""Global sensitivity of any endpoint of any scenario to named parameters (SALib).

A modeller asks which parameters matter for an endpoint (say naltrexone's blockade 48 h after
a tablet, or the peak of precipitated withdrawal) over their plausible ranges, not only near
the default values. This module:

1. takes named model parameters, each with a range: given (canonical units), or by default a
   multiplicative band set by the parameter's confidence (high x/÷ 1.25, medium x/÷ 1.5,
   low x/÷ 2), sampled log-uniformly;
2. draws the SALib design (Sobol: Saltelli/Sobol' sequence, N (D + 2) runs without
   second-order indices; Morris: N trajectories of D + 1 runs on a 4-level grid);
3. simulates every design point as one subject of the batched engine, in chunks (each
   subject its own parameters and dose events);
4. reads each endpoint from each run and returns SALib's indices with their confidence
   intervals (Sobol: first-order S1 and total ST; Morris: mu*, sigma).

Endpoints are written ``OBSERVABLE@TIME`` (the value at a time, e.g.
``mu_receptor.drug_occupancy@48 h``) or ``OBSERVABLE:STAT`` with STAT max, min or mean over
the run, optionally from a time on (``neuroadaptation.somatic_withdrawal_index:max>336 h``).

Runs that fail to integrate are reported; the indices need every run, so a failed run is an
error (one line naming the run and its parameters).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from opioidsim.engine.compile import compile_model
from opioidsim.engine.events import EventTable
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.errors import ConfigError, SolverError
from opioidsim.protocols.scenario import Scenario
from opioidsim.simulation.run import build_events, model_for, subject_parameters
from opioidsim.units import Q_

METHODS = ("sobol", "morris")
#: Default multiplicative half-range by the parameter's stated confidence.
FOLD_BY_CONFIDENCE = {"high": 1.25, "medium": 1.5, "low": 2.0}
STATISTICS = ("max", "min", "mean")
CHUNK_SUBJECTS = 64
MORRIS_LEVELS = 4


@dataclass(frozen=True)
class ParameterRange:
    """One varied parameter: canonical-unit bounds, sampled log-uniformly or uniformly."""

    name: str
    low: float
    high: float
    log: bool
    source: str  # "given" or "confidence <level>"


@dataclass(frozen=True)
class Endpoint:
    """A scalar read from one observable of each run."""

    text: str
    observable: str
    statistic: str  # "at", "max", "min" or "mean"
    time_h: float  # "at": the time; otherwise the start of the window


@dataclass
class SensitivityResult:
    method: str
    parameters: list[ParameterRange]
    endpoints: list[Endpoint]
    samples: np.ndarray  # (runs, parameters), canonical units
    values: np.ndarray  # (runs, endpoints)
    indices: pd.DataFrame  # one row per (endpoint, parameter)
    wall_time_s: float
    runs: int = field(init=False)

    def __post_init__(self) -> None:
        self.runs = int(self.samples.shape[0])


def parse_parameter(text: str, model) -> ParameterRange:
    """``NAME`` (range from its confidence) or ``NAME=LOW:HIGH`` (canonical units)."""
    name, _, bounds = text.partition("=")
    name = name.strip()
    if name not in model.parameter_names:
        close = [n for n in model.parameter_names if name.split(".")[-1] in n][:3]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise ConfigError(
            f"parameter: got {name!r}; not a parameter of this scenario's model{hint}; "
            "`opioidsim parameters SCENARIO` lists them."
        )
    j = model.parameter_names.index(name)
    value = float(model.parameter_values[j])
    if bounds:
        try:
            low, high = (float(x) for x in bounds.split(":"))
        except ValueError:
            raise ConfigError(
                f"parameter {name}: got range {bounds!r}; write LOW:HIGH in canonical units "
                f"({model.parameter_units[j]}), e.g. {name}={value / 2:g}:{value * 2:g}."
            ) from None
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise ConfigError(
                f"parameter {name}: got range {low!r}:{high!r}; need finite LOW < HIGH."
            )
        return ParameterRange(name, low, high, log=low > 0, source="given")
    if value <= 0:
        raise ConfigError(
            f"parameter {name}: its value is {value!r}, so no multiplicative range; give "
            f"{name}=LOW:HIGH in {model.parameter_units[j]}."
        )
    confidence = model.parameter_records[j].confidence
    fold = FOLD_BY_CONFIDENCE[confidence]
    return ParameterRange(name, value / fold, value * fold, log=True, source=f"{confidence}")


_ENDPOINT = re.compile(
    r"^(?P<obs>[^@:]+?)\s*(?:@\s*(?P<at>.+)|:\s*(?P<stat>\w+)\s*(?:>\s*(?P<after>.+))?)$"
)


def _hours(text: str, where: str) -> float:
    try:
        quantity = Q_(text.strip())
        hours = float(quantity.to("h").magnitude)
    except Exception:
        raise ConfigError(
            f"{where}: got time {text.strip()!r}; write a time with its unit, e.g. 48 h or 2 d."
        ) from None
    if not math.isfinite(hours):
        raise ConfigError(f"{where}: got time {text.strip()!r}; must be finite.")
    return hours


def parse_endpoint(text: str, observables: Sequence[str], end_h: float) -> Endpoint:
    """``OBS@TIME``, ``OBS:STAT`` or ``OBS:STAT>TIME`` (STAT: max, min, mean)."""
    match = _ENDPOINT.match(text.strip())
    if match is None:
        raise ConfigError(
            f"endpoint: got {text!r}; write OBSERVABLE@TIME (e.g. mu_receptor.drug_occupancy@48 "
            "h) or OBSERVABLE:max, :min or :mean, optionally >TIME."
        )
    observable = match["obs"].strip()
    if observable not in observables:
        close = [o for o in observables if observable.split(".")[-1] in o][:3]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise ConfigError(
            f"endpoint {text!r}: got observable {observable!r}, which this scenario's model "
            f"does not have{hint}."
        )
    if match["at"] is not None:
        statistic, hours = "at", _hours(match["at"], f"endpoint {text!r}")
    else:
        statistic = match["stat"].lower()
        if statistic not in STATISTICS:
            raise ConfigError(
                f"endpoint {text!r}: got statistic {statistic!r}; valid: {', '.join(STATISTICS)}."
            )
        after = match["after"]
        hours = _hours(after, f"endpoint {text!r}") if after else 0.0
    if not 0.0 <= hours <= end_h:
        raise ConfigError(
            f"endpoint {text!r}: got time {hours:g} h; must lie in the scenario's 0-{end_h:g} h."
        )
    return Endpoint(text.strip(), observable, statistic, hours)


def _read(endpoint: Endpoint, times: np.ndarray, series: np.ndarray) -> np.ndarray:
    """The endpoint of each run: ``series`` is (runs, times)."""
    if endpoint.statistic == "at":
        return np.array([np.interp(endpoint.time_h, times, row) for row in series])
    window = times >= endpoint.time_h - 1e-9
    reduce = {"max": np.max, "min": np.min, "mean": np.mean}[endpoint.statistic]
    return reduce(series[:, window], axis=1)


def _problem(ranges: list[ParameterRange]) -> dict:
    bounds = [[math.log(r.low), math.log(r.high)] if r.log else [r.low, r.high] for r in ranges]
    return {"num_vars": len(ranges), "names": [r.name for r in ranges], "bounds": bounds}


def _design(method: str, problem: dict, n: int, seed: int) -> np.ndarray:
    if method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, n, calc_second_order=False, seed=seed)
    from SALib.sample import morris

    return morris.sample(problem, n, num_levels=MORRIS_LEVELS, seed=seed)


def _analyse(method: str, problem: dict, design: np.ndarray, y: np.ndarray, seed: int) -> dict:
    if method == "sobol":
        from SALib.analyze import sobol

        return sobol.analyze(problem, y, calc_second_order=False, seed=seed)
    from SALib.analyze import morris

    return morris.analyze(problem, design, y, num_levels=MORRIS_LEVELS, seed=seed)


def run_sensitivity(
    scenario: Scenario,
    parameters: Sequence[str],
    endpoints: Sequence[str],
    method: str = "sobol",
    samples: int = 64,
    seed: int = 1,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> SensitivityResult:
    """Global sensitivity of ``endpoints`` to ``parameters`` over the scenario's protocol.

    ``samples`` is SALib's N: Sobol runs N (D + 2) simulations (N a power of 2), Morris
    N (D + 1).
    """
    if method not in METHODS:
        raise ConfigError(f"method: got {method!r}; valid: {', '.join(METHODS)}.")
    if not parameters:
        raise ConfigError("parameter: got none; name at least one (repeat --parameter).")
    if not endpoints:
        raise ConfigError("endpoint: got none; name at least one (repeat --endpoint).")
    if samples < 2 or (method == "sobol" and samples & (samples - 1)):
        raise ConfigError(
            f"samples: got {samples}; Sobol needs a power of 2 (e.g. 64), Morris at least 2."
        )
    model = model_for(scenario)
    ranges = [parse_parameter(text, model) for text in parameters]
    names = [r.name for r in ranges]
    if len(set(names)) != len(names):
        raise ConfigError(f"parameter: got {names}; each parameter may be named once.")
    times = scenario.output_times_h()
    wanted = [parse_endpoint(text, model.observable_names, float(times[-1])) for text in endpoints]
    problem = _problem(ranges)
    design = _design(method, problem, samples, seed)
    values = np.array(
        [
            # exp(log x) may round just outside the range
            np.clip(np.exp(design[:, k]) if r.log else design[:, k], r.low, r.high)
            for k, r in enumerate(ranges)
        ]
    ).T
    compiled = compile_model(model)
    base = subject_parameters(model, scenario)
    columns = [model.parameter_names.index(name) for name in names]
    observed = [model.observable_names.index(e.observable) for e in wanted]
    records = scenario.dose_records()
    options = SolverOptions(workers=workers)
    out = np.empty((len(values), len(wanted)))
    began = time.perf_counter()
    for start in range(0, len(values), CHUNK_SUBJECTS):
        stop = min(start + CHUNK_SUBJECTS, len(values))
        block = np.tile(base, (stop - start, 1))
        block[:, columns] = values[start:stop]
        rows = [
            row
            for s in range(stop - start)
            for row in build_events(
                compiled, records, block[s], subject=s, episodes=scenario.event_records()
            )
        ]
        result = solve(compiled, block, EventTable.from_rows(rows), times, options, throw=False)
        failed = np.flatnonzero(~result.succeeded)
        if failed.size:
            run = start + int(failed[0])
            setting = ", ".join(f"{n}={v:.4g}" for n, v in zip(names, values[run], strict=True))
            raise SolverError(
                f"sensitivity run {run}: the solver failed ({result.status[failed[0]]}) at "
                f"{setting}; narrow that parameter's range."
            )
        for k, (endpoint, index) in enumerate(zip(wanted, observed, strict=True)):
            out[start:stop, k] = _read(endpoint, times, result.values[:, index, :])
        if progress is not None:
            progress(stop, len(values))
    wall = time.perf_counter() - began
    rows = []
    for k, endpoint in enumerate(wanted):
        y = out[:, k]
        if not np.all(np.isfinite(y)):
            raise SolverError(f"endpoint {endpoint.text!r}: some runs gave a non-finite value.")
        analysis = _analyse(method, problem, design, y, seed)
        for j, r in enumerate(ranges):
            row = {
                "endpoint": endpoint.text,
                "parameter": r.name,
                "low": r.low,
                "high": r.high,
                "range": r.source,
                "endpoint_mean": float(np.mean(y)),
                "endpoint_sd": float(np.std(y)),
            }
            if method == "sobol":
                row.update(
                    S1=float(analysis["S1"][j]),
                    S1_conf=float(analysis["S1_conf"][j]),
                    ST=float(analysis["ST"][j]),
                    ST_conf=float(analysis["ST_conf"][j]),
                )
            else:
                row.update(
                    mu_star=float(analysis["mu_star"][j]),
                    mu_star_conf=float(analysis["mu_star_conf"][j]),
                    sigma=float(analysis["sigma"][j]),
                )
            rows.append(row)
    return SensitivityResult(method, ranges, wanted, values, out, pd.DataFrame(rows), wall)
