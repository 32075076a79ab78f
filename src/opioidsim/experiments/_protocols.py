"""Small builders shared by the experiments: scenarios as dicts, readouts over time."""

from __future__ import annotations

from typing import Any

import numpy as np

from opioidsim.engine.results import SimulationResult
from opioidsim.simulation import simulate


def dose(drug: str, amount: str, route: str, time_h: float, **extra: Any) -> dict[str, Any]:
    """One dose entry of a scenario (``amount`` with its unit, e.g. ``"50 mg"``)."""
    entry: dict[str, Any] = {
        "drug": drug,
        "amount": amount,
        "route": route,
        "time": f"{time_h!r} h",
    }
    entry.update(extra)
    return entry


def infusion(drug: str, rate: str, route: str, time_h: float, duration_h: float) -> dict:
    return {
        "drug": drug,
        "rate": rate,
        "route": route,
        "time": f"{time_h!r} h",
        "duration": f"{duration_h!r} h",
    }


def run(
    doses: list[dict],
    duration_h: float,
    step_min: float = 5.0,
    species: str = "human",
    body_weight: str = "70 kg",
    parameters: dict[str, float] | None = None,
    name: str = "experiment",
    physiology: tuple[str, ...] = (),
    events: list[dict] | None = None,
) -> SimulationResult:
    """Simulate one subject receiving ``doses`` (and non-drug ``events``); output every
    ``step_min`` minutes."""
    scenario = {
        "physiology": list(physiology),
        "name": name,
        "subject": {"species": species, "sex": "male", "body_weight": body_weight},
        "duration": f"{duration_h!r} h",
        "output_interval": f"{step_min!r} min",
        "doses": doses,
        "events": events or [],
    }
    return simulate(scenario, parameters=parameters)


def event(kind: str, time_h: float, duration_h: float, intensity: float = 1.0) -> dict:
    """A scenario event entry (times in hours)."""
    return {
        "kind": kind,
        "time": f"{time_h!r} h",
        "duration": f"{duration_h!r} h",
        "intensity": intensity,
    }


def value_at(result: SimulationResult, name: str, time_h: float) -> float:
    """Linear interpolation of an observable at a time (h)."""
    return float(np.interp(time_h, result.time, result[name]))


def mean_over(result: SimulationResult, name: str, start_h: float, end_h: float) -> float:
    """Time-average of an observable over a window (h), as a PET scan integrates."""
    grid = np.linspace(start_h, end_h, 61)
    return float(np.mean(np.interp(grid, result.time, result[name])))


def peak_after(result: SimulationResult, name: str, start_h: float, end_h: float) -> float:
    mask = (result.time >= start_h) & (result.time <= end_h)
    return float(np.max(result[name][mask]))


def evoked_area(
    with_drug: SimulationResult, without_drug: SimulationResult, name: str, start_h: float
) -> float:
    """Area (unit x h) of what a dose given at ``start_h`` adds to an observable: the run
    with it minus the same run without it, from the dose to the end (a pre-treatment may
    move the observable by itself)."""
    window = with_drug.time >= start_h
    evoked = with_drug[name][window] - without_drug[name][window]
    return float(np.trapezoid(evoked, with_drug.time[window]))


def blockade_half_time_of(
    time_h: np.ndarray,
    blockade: np.ndarray,
    times_h: tuple[float, ...] = (48.0, 72.0, 120.0, 168.0),
) -> float:
    """Half-time (h) of a declining blockade: log-linear fit at ``times_h`` (Lee 1988's way)."""
    points = np.interp(np.array(times_h), time_h, blockade)
    slope = np.polyfit(np.array(times_h), np.log(np.maximum(points, 1e-12)), 1)[0]
    return float(np.log(2) / -slope) if slope < 0 else float("inf")


def optional_bound(value: Any) -> float | None:
    """A data-set bound: ``None`` where the CSV cell is empty (pandas reads NaN)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return float(value)


def buprenorphine_pet_occupancy(
    dose_mg: float, parameters: dict[str, float] | None = None, days: int = 14
) -> float:
    """Buprenorphine's mu occupancy 4 h after the last of ``days`` daily sublingual tablets
    (the scan time of the Michigan PET studies, near the plasma peak)."""
    last = (days - 1) * 24.0
    result = run(
        [dose("buprenorphine", f"{dose_mg!r} mg", "sublingual", 0.0, every="24 h", count=days)],
        last + 4.0,
        step_min=60,
        parameters=parameters,
    )
    return float(result["mu_receptor.occupancy[buprenorphine]"][-1])


def fentanyl_rate_holding(target_ng_ml: float) -> str:
    """IV fentanyl rate (ug/h) that holds ``target_ng_ml`` plasma at steady state (CL x C)."""
    from opioidsim.model.default import build_model
    from opioidsim.units import Q_

    model = build_model(["fentanyl"])
    clearance_l_h = model.parameter("fentanyl.elimination_rate") * model.parameter(
        "fentanyl.central_volume"
    )
    rate = (Q_(target_ng_ml, "ng/mL") * Q_(clearance_l_h, "L/h")).to("ug/h").magnitude
    return f"{float(rate)!r} ug/h"
