"""Trial designs as YAML: arms, crossover or parallel, run-in, randomisation, dropout, endpoints.

A trial file holds a typical subject, a population, a design, endpoints, an analysis and,
optionally, a power block::

    name: naltrexone vs placebo, crossover
    subject: {species: human, sex: female, body_weight: 65 kg}
    output_interval: 1 h
    seed: 7                                  # randomisation, dropout, measurement noise
    events:                                  # every subject, whole timeline (optional)
      - {kind: social_contact, time: 10 h, duration: 1 h, intensity: 0.5, every: 24 h,
         count: 21}
    population:                              # a population spec without size (see population/)
      seed: 2016
      variability: [{parameter: naltrexone.clearance, cv: 0.3}]
    design:
      kind: crossover                        # crossover | parallel
      subjects: 31
      run_in: 3 d                            # before the first period (baseline, steady state)
      period: 4 d                            # each treatment period
      washout: 10 d                          # between periods (crossover)
      arms:                                  # dose times are relative to the period's start
        - {name: naltrexone, doses: [{drug: naltrexone, amount: 50 mg, route: oral,
                                      time: 0 h, every: 24 h, count: 4}],
           events: [{kind: social_contact, time: 73 h, duration: 30 min}]}  # as doses
        - {name: placebo, events: [{kind: social_contact, time: 73 h, duration: 30 min}]}
      sequences: [[naltrexone, placebo], [placebo, naltrexone]]   # default: every order
      allocation: [1, 1]                     # parallel: ratio of subjects per arm
      block_size: 4                          # permuted blocks; default 2 x sequences (arms)
      dropout_per_period: 0.05               # probability of leaving during each period
    endpoints:
      - name: lab_mu_stimulus
        observable: mu_receptor.stimulus
        statistic: mean                      # mean | auc | peak | value_at | time_above
                                             # | fraction_of_days
        window: [3 d, 4 d]                   # relative to the period's start
        relative_to_baseline: true           # percent of the run-in's last-day mean
        noise: {within_subject_sd: 30, between_subject_sd: 15}   # endpoint units
    analysis: {primary: lab_mu_stimulus, control: placebo, treatment: naltrexone, alpha: 0.05}
    power: {replicates: 100, sample_sizes: [6, 10, 16, 24, 31], target: 0.8}

Statistics
    ``mean`` (time average), ``auc`` (trapezoid, unit x h), ``peak`` (maximum),
    ``value_at`` (linear interpolation at ``at``), ``time_above`` (hours above
    ``threshold``, or below with ``direction: below``) and ``fraction_of_days`` (fraction of
    whole days in the window whose daily mean is above, or below, ``threshold``).

Measurement noise
    The model gives the true value of an endpoint; a trial observes it with error.
    ``noise`` adds a subject's random intercept (``between_subject_sd``) and an independent
    error per period (per day, for ``fraction_of_days``) (``within_subject_sd``), both
    normal, in the endpoint's units. Without it the only variability between subjects is
    the population's. These SDs are assumptions unless a source is given for them.

Errors are :class:`~opioidsim.errors.ConfigError` with one line naming the field, the value
and what is valid, e.g. ``trial.design.washout: got '-1 d'; a time must be >= 0 (e.g. 10 d).``
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from os import PathLike
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic import model_validator as _model_validator

from opioidsim.errors import ConfigError
from opioidsim.field_errors import FieldErrors
from opioidsim.population import PopulationSpec
from opioidsim.safe_yaml import read_yaml_file
from opioidsim.units import ureg

_ERROR_TYPE = "opioidsim_trial"
_ROOT = "trial"
_TIME_TEXT = re.compile(
    r"\s*(?P<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*"
    r"(?P<unit>[A-Za-z]+)\s*"
)
_TIME_UNITS = ("s", "min", "h", "d", "week")

#: Most replicates of a power calculation: beyond it the Monte-Carlo error (< 0.5 % at 10^4)
#: is far below any other uncertainty of a simulated trial.
MAX_REPLICATES = 10_000

STATISTICS = ("mean", "auc", "peak", "value_at", "time_above", "fraction_of_days")


_ERRORS = FieldErrors(_ERROR_TYPE, _ROOT)
_invalid = _ERRORS.invalid
_show = _ERRORS.show


def trial_error(exc: ValidationError) -> ConfigError:
    """Convert pydantic's error to a one-line :class:`ConfigError` (first problem only)."""
    return _ERRORS.config_error(exc)


def parse_hours(value: Any, example: str = "4 d", minimum: float = 0.0) -> float:
    """Read a time given as text with a unit (``"4 d"``) as hours; refuse bare numbers."""
    if isinstance(value, str) and (match := _TIME_TEXT.fullmatch(value)):
        try:
            quantity = ureg.Quantity(float(match["number"]), ureg.parse_units(match["unit"]))
        except Exception:  # pint raises several unrelated types on unknown units
            _invalid(
                f"got {_show(value)}; {match['unit']!r} is not a known unit "
                f"(use {', '.join(_TIME_UNITS)})."
            )
        if not quantity.check("[time]"):
            _invalid(f"got {_show(value)}; give a time ({', '.join(_TIME_UNITS)}).")
        hours = float(quantity.to("h").magnitude)
    else:
        _invalid(f"got {_show(value)}; give a time with a unit, e.g. {example!r}.")
    if not hours >= minimum:
        _invalid(f"got {_show(value)}; a time must be >= {minimum:g} h (e.g. {example}).")
    return hours


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Arm(_Frozen):
    """One treatment: a name, its doses and its non-drug events (a laboratory social task,
    a stressor), with times relative to the period's start."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$")
    doses: tuple[dict[str, Any], ...] = ()
    events: tuple[dict[str, Any], ...] = ()
    dose: float | None = Field(default=None, allow_inf_nan=False)
    """Optional numeric dose level (e.g. mg/day) of a dose-ranging arm, for the dose trend."""


class Noise(_Frozen):
    """Measurement model of an endpoint (assumption unless sourced): normal, endpoint units."""

    within_subject_sd: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    between_subject_sd: float = Field(default=0.0, ge=0, allow_inf_nan=False)


class Endpoint(_Frozen):
    """An endpoint: one statistic of one observable over a window of each period."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    observable: str = Field(min_length=1)
    statistic: Literal["mean", "auc", "peak", "value_at", "time_above", "fraction_of_days"]
    window_h: tuple[float, float] = Field(alias="window")
    at_h: float | None = Field(default=None, alias="at")
    threshold: float | None = Field(default=None, allow_inf_nan=False)
    direction: Literal["above", "below"] = "above"
    relative_to_baseline: bool = False
    noise: Noise = Noise()

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @field_validator("window_h", mode="before")
    @classmethod
    def _window(cls, value: Any) -> tuple[float, float]:
        if not isinstance(value, list | tuple) or len(value) != 2:
            _invalid(
                f"got {_show(value)}; give [start, end] relative to the period, e.g. [3 d, 4 d]."
            )
        start, end = (parse_hours(v, "3 d") for v in value)
        if not end > start:
            _invalid(f"got {_show(value)}; the end must be after the start (e.g. [3 d, 4 d]).")
        return start, end

    @field_validator("at_h", mode="before")
    @classmethod
    def _at(cls, value: Any) -> float | None:
        return None if value is None else parse_hours(value, "4 d")

    @_model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.statistic == "value_at":
            if self.at_h is None:
                _invalid("got nothing; value_at needs at (e.g. at: 4 d).", "at")
            if not self.window_h[0] <= self.at_h <= self.window_h[1]:
                _invalid(f"got {self.at_h:g} h; at must lie within the window.", "at")
        if self.statistic in ("time_above", "fraction_of_days") and self.threshold is None:
            _invalid(f"got nothing; {self.statistic} needs a threshold.", "threshold")
        if self.statistic == "fraction_of_days":
            days = (self.window_h[1] - self.window_h[0]) / 24.0
            if days < 1 - 1e-9:
                _invalid(
                    f"got a window of {days * 24:g} h; fraction_of_days needs at least one "
                    "whole day.",
                    "window",
                )
        return self


class Design(_Frozen):
    """Arms, periods and allocation of a crossover or parallel trial (times in h)."""

    kind: Literal["crossover", "parallel"]
    subjects: int = Field(ge=2, strict=True)
    run_in_h: float = Field(default=0.0, alias="run_in")
    period_h: float = Field(alias="period")
    washout_h: float = Field(default=0.0, alias="washout")
    follow_up_h: float = Field(default=0.0, alias="follow_up")
    arms: tuple[Arm, ...] = Field(min_length=2)
    sequences: tuple[tuple[str, ...], ...] | None = None
    allocation: tuple[int, ...] | None = None
    block_size: int | None = Field(default=None, ge=1, strict=True)
    dropout_per_period: float = Field(default=0.0, ge=0, lt=1, allow_inf_nan=False)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @field_validator("run_in_h", "washout_h", "follow_up_h", mode="before")
    @classmethod
    def _times(cls, value: Any) -> float:
        return parse_hours(value, "10 d")

    @field_validator("period_h", mode="before")
    @classmethod
    def _period(cls, value: Any) -> float:
        hours = parse_hours(value, "4 d")
        if hours <= 0:
            _invalid(f"got {_show(value)}; a period must be > 0 (e.g. 4 d).")
        return hours

    @_model_validator(mode="after")
    def _consistent(self) -> Self:
        names = [arm.name for arm in self.arms]
        for k, name in enumerate(names):
            if name in names[:k]:
                _invalid(f"got {name!r} again; arm names must differ.", f"arms[{k}].name")
        if self.kind == "crossover":
            if self.allocation is not None:
                _invalid(
                    "got an allocation; a crossover allocates sequences, not arms.", "allocation"
                )
            for s, sequence in enumerate(self.sequences or ()):
                for p, name in enumerate(sequence):
                    if name not in names:
                        _invalid(
                            f"got {name!r}; not an arm (arms: {', '.join(names)}).",
                            f"sequences[{s}][{p}]",
                        )
                if len(sequence) != len(self.sequence_list[0]):
                    _invalid(
                        f"got {len(sequence)} periods; every sequence must have "
                        f"{len(self.sequence_list[0])}.",
                        f"sequences[{s}]",
                    )
        else:
            if self.sequences is not None:
                _invalid(
                    "got sequences; a parallel design has one period per subject.", "sequences"
                )
            if self.washout_h:
                _invalid("got a washout; a parallel design has one period.", "washout")
            if self.allocation is not None and (
                len(self.allocation) != len(self.arms) or min(self.allocation) < 1
            ):
                _invalid(
                    f"got {_show(list(self.allocation))}; give one whole number >= 1 per "
                    f"arm ({len(self.arms)}), e.g. {[1] * len(self.arms)}.",
                    "allocation",
                )
        if self.block_size is not None and self.block_size % self.block_unit:
            _invalid(
                f"got {self.block_size}; a block must hold whole multiples of the "
                f"{self.block_unit} allocation units (e.g. {2 * self.block_unit}).",
                "block_size",
            )
        return self

    @property
    def sequence_list(self) -> tuple[tuple[str, ...], ...]:
        """Sequences of arm names: given, every order of the arms (crossover), or one arm
        each (parallel)."""
        names = tuple(arm.name for arm in self.arms)
        if self.kind == "parallel":
            return tuple((name,) for name in names)
        if self.sequences is not None:
            return self.sequences
        return tuple(itertools.permutations(names))

    @property
    def weights(self) -> tuple[int, ...]:
        """Allocation units per sequence (crossover: 1 each)."""
        if self.kind == "parallel" and self.allocation is not None:
            return self.allocation
        return (1,) * len(self.sequence_list)

    @property
    def block_unit(self) -> int:
        return sum(self.weights)

    @property
    def block(self) -> int:
        """Subjects per permuted block (default: two allocation units)."""
        return self.block_size if self.block_size is not None else 2 * self.block_unit

    @property
    def n_periods(self) -> int:
        return len(self.sequence_list[0])

    def period_start_h(self, period: int) -> float:
        return self.run_in_h + period * (self.period_h + self.washout_h)

    @property
    def duration_h(self) -> float:
        return self.period_start_h(self.n_periods - 1) + self.period_h + self.follow_up_h

    def arm(self, name: str) -> Arm:
        return next(arm for arm in self.arms if arm.name == name)


class Analysis(_Frozen):
    """Which endpoint decides, which arms are compared, at what level."""

    primary: str
    control: str
    treatment: str | None = None
    alpha: float = Field(default=0.05, gt=0, lt=1)
    method: Literal["mixed", "paired", "welch"] | None = None


class Power(_Frozen):
    """Power by simulation: ``replicates`` trials per sample size, each with new subjects."""

    replicates: int = Field(ge=2, le=MAX_REPLICATES, strict=True)
    sample_sizes: tuple[int, ...] = Field(min_length=1)
    target: float = Field(default=0.8, gt=0, lt=1)

    @field_validator("sample_sizes")
    @classmethod
    def _sizes(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        for k, n in enumerate(value):
            if n < 2:
                _invalid(f"got {n}; a trial needs at least 2 subjects.", f"[{k}]")
        if list(value) != sorted(set(value)):
            _invalid(f"got {_show(list(value))}; give increasing, distinct sizes.")
        return value


class TrialSpec(_Frozen):
    """A simulated trial (see the module docstring)."""

    name: str | None = None
    subject: dict[str, Any]
    output_interval: str = "1 h"
    seed: int = Field(ge=0, strict=True)
    population: dict[str, Any] = Field(default_factory=dict)
    events: tuple[dict[str, Any], ...] = ()
    """Non-drug events of every subject over the whole timeline (times from the start of the
    run-in), e.g. daily social contact."""
    design: Design
    endpoints: tuple[Endpoint, ...] = Field(min_length=1)
    analysis: Analysis
    power: Power | None = None

    @_model_validator(mode="after")
    def _consistent(self) -> Self:
        names = [e.name for e in self.endpoints]
        for k, name in enumerate(names):
            if name in names[:k]:
                _invalid(
                    f"got {name!r} again; endpoint names must differ.", f"endpoints[{k}].name"
                )
        if self.analysis.primary not in names:
            _invalid(
                f"got {self.analysis.primary!r}; not an endpoint ({', '.join(names)}).",
                "analysis.primary",
            )
        arms = [arm.name for arm in self.design.arms]
        for field in ("control", "treatment"):
            value = getattr(self.analysis, field)
            if value is not None and value not in arms:
                _invalid(f"got {value!r}; not an arm ({', '.join(arms)}).", f"analysis.{field}")
        if self.analysis.treatment == self.analysis.control:
            _invalid("got the control arm; compare another arm with it.", "analysis.treatment")
        if self.design.kind == "crossover" and self.design.n_periods < 2:
            _invalid("got one period; a crossover needs at least two.", "design.sequences")
        if "size" in self.population:
            _invalid(
                "got a size; a trial's size is design.subjects (and power.sample_sizes).",
                "population.size",
            )
        for k, endpoint in enumerate(self.endpoints):
            if endpoint.window_h[1] > self.design.period_h + self.design.washout_h + 1e-9 + (
                self.design.follow_up_h
            ):
                _invalid(
                    f"got a window ending at {endpoint.window_h[1]:g} h; it must end within "
                    f"the period and what follows it ({self.design.period_h:g} h + washout).",
                    f"endpoints[{k}].window",
                )
            if endpoint.relative_to_baseline and self.design.run_in_h < 24.0 - 1e-9:
                _invalid(
                    "got relative_to_baseline with a run-in shorter than 1 d; the baseline "
                    "is the mean over the run-in's last day (set design.run_in, e.g. 3 d).",
                    f"endpoints[{k}].relative_to_baseline",
                )
        return self

    @property
    def treatment_arm(self) -> str:
        """The arm compared with the control (default: the first other arm)."""
        if self.analysis.treatment is not None:
            return self.analysis.treatment
        return next(a.name for a in self.design.arms if a.name != self.analysis.control)

    @property
    def max_subjects(self) -> int:
        sizes = self.power.sample_sizes if self.power else ()
        return max((self.design.subjects, *sizes))

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        """Validate a mapping; raise a one-line :class:`ConfigError`."""
        try:
            spec = super().model_validate(obj, **kwargs)
        except ValidationError as exc:
            raise trial_error(exc) from None
        spec.population_spec(1)  # population errors now, not in the middle of a run
        return spec

    def population_spec(self, size: int) -> PopulationSpec:
        """The population with ``size`` subjects (seed 0 when the block gives none)."""
        data = {"seed": 0, **self.population, "size": size}
        try:
            return PopulationSpec.model_validate(data)
        except ConfigError as error:
            raise ConfigError(f"trial.{error}") from None


def load_trial(source: str | PathLike[str] | Mapping[str, Any] | TrialSpec) -> TrialSpec:
    """Load a :class:`TrialSpec` from a YAML file, a mapping, or return it as is.

    Raises
    ------
    ConfigError
        Missing or unreadable file (naming it), or an invalid trial (naming the field).
    """
    if isinstance(source, TrialSpec):
        return source
    if isinstance(source, Mapping):
        return TrialSpec.model_validate(source)
    where = str(source)
    data = read_yaml_file(source, "a trial file", "give a trial YAML file")
    if not isinstance(data, Mapping):
        raise ConfigError(
            f"{where}: got {type(data).__name__}; a trial file is a mapping with subject, seed, "
            "design, endpoints and analysis."
        )
    return TrialSpec.model_validate(data)
