"""The parts of a calibration written as a PEtab problem (see ``petab_problems``): the
observable, measurement, condition and estimated-parameter records, the problem itself, and
the reading of a peak at its time. Shared by the problem modules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from opioidsim.errors import ConfigError

HUMAN_70_KG = {"species": "human", "sex": "male", "body_weight": "70 kg"}


@dataclass(frozen=True)
class Observable:
    """A PEtab observable: a model output with normal noise, of one sigma for all its
    measurements or (``sigma`` None) each measurement's own.

    Two data forms that read the output at more than one time are written with helper
    elements added to the exported SBML (see :func:`_add_helpers`), so that the observable
    formula reads them at the measurement time: ``window_h`` (start, end), the output's mean
    over that window, measured at its end (a PET scan at an unknown time within it);
    ``relative_to_h``, the output over its value at that time (blockade relative to the
    1-h scan)."""

    id: str
    output: str  # the model output it reads, e.g. "mu_effects.respiratory_depression"
    name: str
    sigma_reason: str
    sigma: float | None = None
    window_h: tuple[float, float] | None = None
    relative_to_h: float | None = None
    # a rating scale read through a saturating map, (maximum, estimated parameter):
    # maximum x value / (value + parameter), the parameter not a model parameter
    saturating_map: tuple[float, str] | None = None
    # the output's rate of change (per h) instead of its value: the output must be a state;
    # a zero slope places a peak or a trough at the measurement time
    slope: bool = False

    def __post_init__(self) -> None:
        forms = (self.window_h is not None, self.relative_to_h is not None, self.slope)
        if sum(forms) > 1:
            raise ConfigError(
                f"observable {self.id}: one of a window mean, a ratio or a slope, not several."
            )


@dataclass(frozen=True)
class Measurement:
    observable: str
    condition: str
    time_h: float
    value: float
    sigma: float | None = None  # when the observable has none


@dataclass(frozen=True)
class Condition:
    """A PEtab condition: the shared dosing schedule times ``dose_scale``."""

    id: str
    name: str
    dose_scale: float = 1.0


@dataclass(frozen=True)
class Estimated:
    """A parameter to estimate: model name, log10 scale, bounds in its canonical unit."""

    parameter: str
    unit: str
    lower: float
    upper: float
    # set for a parameter of the observable table, not of the model: its value to start from
    observable_nominal: float | None = None
    # estimated on a linear scale (a coefficient that may be negative), not log10
    linear: bool = False

    def to_value(self, x: float) -> float:
        """The parameter's value from its value on the estimation scale."""
        return float(x) if self.linear else float(10.0**x)

    def to_scale(self, value: float) -> float:
        """The value on the estimation scale."""
        return float(value) if self.linear else float(np.log10(value))


@dataclass(frozen=True)
class PetabCalibration:
    name: str
    datasets: tuple[str, ...]
    scenario: Callable[[float], dict[str, Any]]  # the shared schedule at a dose scale
    conditions: tuple[Condition, ...]
    observables: tuple[Observable, ...]
    measurements: tuple[Measurement, ...]
    estimated: tuple[Estimated, ...]
    # model parameters every condition sets (canonical units), e.g. tolerance switched off
    fixed: Mapping[str, float] = field(default_factory=dict)
    # model parameters that follow an estimated one: {parameter: (estimated, factor)},
    # written as SBML initial assignments (heroin's KD is 10 x 6-MAM's)
    tied: Mapping[str, tuple[str, float]] = field(default_factory=dict)
    # starts drawn within this distance of the stored values on the estimation scale (a
    # problem whose bounds hold regions where the model is not meaningful), not the bounds
    start_box: float | None = None
    # solved as least squares on the weighted residuals (trust region, finite-difference
    # Jacobian) instead of Powell on -log L: for several coupled parameters
    least_squares: bool = False

    def with_ties(self, values: Mapping[str, float]) -> dict[str, float]:
        """The model parameters to simulate with: the fixed values, the model parameters of
        ``values`` and the parameters tied to them (canonical units)."""
        observable = {e.parameter for e in self.estimated if e.observable_nominal is not None}
        model = {k: v for k, v in values.items() if k not in observable}
        tied = {p: factor * values[source] for p, (source, factor) in self.tied.items()}
        return {**self.fixed, **model, **tied}


#: PEtab reads an observable at a time, not a maximum. A peak is read at the time it has in
#: the model at the stored values, found on a 1-min grid: for the liking coupling that time
#: does not depend on the estimate (liking is an instantaneous, increasing function of the
#: desensitised mu stimulus); for heroin's affinity it moves little (a test bounds the effect
#: on the fit). Two conditions compared with each other (heroin against morphine; naltrexone
#: against placebo) run as one schedule: the reference first, the test 48 h later (the same
#: clock time, the first drug washed out: morphine's terminal half-life is ~2 h), read as a
#: ratio to the reference's value (the relative_to_h helper).
PEAK_GRID_MIN = 1.0
SECOND_ARM_H = 48.0


def peak_times_h(
    scenario: Mapping[str, Any], peaks: list[tuple[str, float, float]]
) -> list[float]:
    """When each ``(output, start_h, end_h)`` peaks within its window, in the model at its
    stored values: one simulation of the schedule for all of them."""
    from opioidsim.simulation import simulate

    result = simulate(dict(scenario))
    times = []
    for output, start_h, end_h in peaks:
        inside = (result.time >= start_h) & (result.time <= end_h)
        times.append(float(result.time[inside][np.argmax(result[output][inside])]))
    return times


@dataclass(frozen=True)
class Peak:
    """One output's peak after one schedule: what a single-peak problem measures."""

    observable: str  # its PEtab id
    output: str  # the model output
    description: str
    value: float  # the measured peak
    sigma: float
    sigma_reason: str
    hours: float  # the peak is sought within [0, hours]


def one_dose_scenario(
    name: str, subject: Mapping[str, Any], hours: float, output_interval: str, dose: Mapping
) -> dict[str, Any]:
    """A scenario of one dose (a ``dose()`` record) followed for ``hours`` h."""
    return {
        "name": name,
        "subject": dict(subject),
        "duration": f"{float(hours)!r} h",
        "output_interval": output_interval,
        "doses": [dict(dose)],
    }


def single_peak_problem(
    name: str,
    dataset: str,
    scenario: Callable[[float], dict[str, Any]],
    condition: Condition,
    peak: Peak,
    estimated: Estimated,
) -> PetabCalibration:
    """A one-parameter problem: one output's peak after one schedule, read at the peak's time
    in the model at the stored values (an estimate that scales the peak without moving it:
    an instantaneous output, or one that moves it little)."""
    (at_h,) = peak_times_h(scenario(1.0), [(peak.output, 0.0, peak.hours)])
    return PetabCalibration(
        name=name,
        datasets=(dataset,),
        scenario=scenario,
        conditions=(condition,),
        observables=(
            Observable(
                peak.observable,
                peak.output,
                peak.description,
                sigma_reason=peak.sigma_reason,
                sigma=peak.sigma,
            ),
        ),
        measurements=(Measurement(peak.observable, condition.id, at_h, peak.value),),
        estimated=(estimated,),
    )
