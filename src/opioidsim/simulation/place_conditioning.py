"""Conditioned place preference: simulate the conditioning, learn each side's value, test.

The animal does not choose the drug here (the experimenter injects it), so one ordinary run
of the scenario, with the block's doses added and the output grid sampled every 2 min in
each confinement, gives everything ``model.place_conditioning`` needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from opioidsim.engine.results import SimulationResult
from opioidsim.engine.solve import SolverOptions
from opioidsim.model import place_conditioning
from opioidsim.protocols import Scenario
from opioidsim.protocols.place_conditioning import PlaceConditioning
from opioidsim.simulation.run import simulate

SAMPLE_H = 2.0 / 60.0
SECONDS_PER_H = 3600.0


@dataclass
class PlaceConditioningResult:
    """The run, each trial's outcome and the sides' values, and the test."""

    result: SimulationResult
    #: (side, start_h, mean outcome, side's value after the trial), in time order.
    trials: list[tuple[str, float, float, float]] = field(default_factory=list)
    paired_value: float = 0.0
    unpaired_value: float = 0.0
    #: Fraction of the test spent on the paired side (of the time on the two sides).
    paired_fraction: float = 0.5
    #: Time on the paired side at the test minus before conditioning (s).
    score_s: float = 0.0


def _window(start_h: float, end_h: float) -> list[float]:
    n = max(2, int(np.ceil((end_h - start_h) / SAMPLE_H)) + 1)
    return list(np.linspace(start_h, end_h, n))


def simulate_place_conditioning(
    scenario: Scenario,
    block: PlaceConditioning,
    *,
    parameters: Mapping[str, float] | None = None,
    behaviour: Mapping[str, float] | None = None,
    options: SolverOptions | None = None,
) -> PlaceConditioningResult:
    """One animal through conditioning and the test (group-mean behaviour: no noise)."""
    table = place_conditioning.values(dict(behaviour or {}))
    raw = scenario.to_dict()
    raw["doses"] = list(raw.get("doses") or []) + [dict(d) for d in block.doses]
    times = set(float(t) for t in scenario.output_times_h())
    windows = [*block.drug_trials, *block.vehicle_trials]
    for start, end in windows:
        times.update(_window(start, end))
    times.add(block.test_start_h)
    raw.pop("output_interval", None)
    raw["output_times"] = [f"{float(t)!r} h" for t in sorted(times)]
    run = simulate(Scenario.model_validate(raw), parameters=parameters, options=options)

    signal = run[place_conditioning.MU_STIMULUS] * run[place_conditioning.MU_AVAILABILITY]
    resting = float(signal[0])
    outcomes = place_conditioning.outcome(
        run[place_conditioning.DOPAMINE],
        signal,
        resting,
        run[place_conditioning.WITHDRAWAL_DRIVE],
        table,
    )
    out = PlaceConditioningResult(run)
    value = {"paired": 0.0, "unpaired": 0.0}
    last = {"paired": 0.0, "unpaired": 0.0}
    trials = sorted(
        [("paired", s, e) for s, e in block.drug_trials]
        + [("unpaired", s, e) for s, e in block.vehicle_trials],
        key=lambda trial: trial[1],
    )
    for side, start, end in trials:
        inside = (run.time >= start - 1e-9) & (run.time <= end + 1e-9)
        mean = float(np.trapezoid(outcomes[inside], run.time[inside]) / (end - start))
        value[side] = place_conditioning.forgotten(value[side], start - last[side], table)
        value[side] = place_conditioning.after_trial(value[side], mean, table)
        last[side] = end
        out.trials.append((side, start, mean, value[side]))
    for side in value:
        value[side] = place_conditioning.forgotten(
            value[side], block.test_start_h - last[side], table
        )
    out.paired_value, out.unpaired_value = value["paired"], value["unpaired"]
    out.paired_fraction = place_conditioning.paired_fraction(
        value["paired"], value["unpaired"], table
    )
    out.score_s = (out.paired_fraction - 0.5) * block.test_duration_h * SECONDS_PER_H
    run.metadata = {
        **(run.metadata or {}),
        "place_conditioning": {
            "drug": block.drug,
            "dose": block.dose_text,
            "route": block.route,
            "drug_trials_h": [list(t) for t in block.drug_trials],
            "vehicle_trials_h": [list(t) for t in block.vehicle_trials],
            "test_start_h": block.test_start_h,
            "score_s": out.score_s,
            "paired_fraction": out.paired_fraction,
        },
        "place_conditioning_parameters": table,
    }
    return out
