"""Scenario: one subject, a run length, an output grid and a dosing protocol.

A scenario is a YAML file or the same structure in Python, validated here with pydantic
against the model's drug catalog (:func:`opioidsim.model.catalog.drug_catalog`)::

    name: naltrexone then heroin          # optional
    subject: {species: human, sex: male, body_weight: 70 kg}
    duration: 7 d                          # run length, any time unit
    output_interval: 1 h                   # or output_times: [0 h, 1 h, 2 h]
    seed: 1                                # optional, integer >= 0
    physiology: [ventilation]              # optional modules (human): blood gases, SpO2
    doses:                                 # optional; [] or absent is a baseline run
      - {drug: naltrexone, amount: 50 mg, route: oral, time: 0 h, every: 24 h, for: 5 d}
      - {drug: heroin, amount: 0.2 mg/kg, route: iv, time: 5 d}
      - {drug: morphine, route: iv, rate: 2 mg/h, duration: 4 h, time: 1 d}
      - {drug: oxytocin, amount: 24 IU, route: intranasal, time: 2 h}

Every quantity is text, a number and a unit (``"50 mg"``), or a pint quantity of
:data:`opioidsim.units.ureg`; a bare number is refused, because the unit cannot be guessed.

Doses
    A **bolus** has ``amount``: a mass (``50 mg``), a substance amount (``100 nmol``), an
    amount per kg of body weight (``0.2 mg/kg``) or international units (``24 IU``, for drugs
    whose catalog entry declares a mass per IU). A zero-order **infusion** has ``duration``
    and either ``rate`` (``2 mg/h``, ``10 ug/kg/min``) or ``amount`` (the total given over
    ``duration``), on a route whose catalog entry allows infusion. A dose **repeats** with
    ``every`` and either ``count`` (number of doses) or ``for`` (doses start at ``time``,
    ``time + every``, ... while the start is before ``time + for``). Every administration
    must start at or after 0 and before the end of the run; infusions must end by the end
    of the run, and two infusions of the same drug by the same route must not overlap.
    Boluses may coincide: they add up.

Errors
    Every invalid scenario raises :class:`~opioidsim.errors.ConfigError` with one line,
    ``<field path>: got <value>; <what is valid>.``, e.g.
    ``doses[2].amount: got -5 mg; a dose must be > 0 (e.g. 50 mg).`` Only the first
    problem is reported. ``Scenario.model_validate``, ``Scenario.from_yaml`` and
    :func:`opioidsim.io.config.load_scenario` raise it; ``Scenario(...)`` called directly
    raises pydantic's ``ValidationError`` (also a ``ValueError``), which
    :func:`config_error_from` converts.

Non-drug events
    ``events`` lists what is not a drug: ``{kind: stress, time: 1 h, duration: 30 min,
    intensity: 2}``, repeated with ``every`` and ``count``. A kind is declared by the model
    module that reacts to it (``EventKind``, as a drug's routes are declared beside its PK),
    so this schema checks kinds against ``event_catalog()`` and does not grow with each one.
    Episodes expand to :class:`~opioidsim.protocols.events.EventRecord` objects next to the
    dose records; the simulation switches the kind's input on and off with rate events.
"""

from __future__ import annotations

import difflib
import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from os import PathLike
from typing import Annotated, Any, ClassVar, Literal, Self, TypeAlias, cast

import numpy as np
import pint
import yaml
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from opioidsim.errors import ConfigError
from opioidsim.field_errors import FieldErrors, one_line, show
from opioidsim.model.catalog import DrugInfo, EventInfo, drug_catalog, event_catalog
from opioidsim.model.default import OPTIONAL_MODULES
from opioidsim.protocols.doses import (
    TIME_TOLERANCE_H,
    DoseRecord,
    absolute_amount,
    amount_kind,
    mass_of,
    nanomoles_of,
    repeat_count,
    start_times_h,
    unit_factors,
)
from opioidsim.protocols.events import EventRecord
from opioidsim.safe_yaml import read_yaml_file
from opioidsim.units import Q_, ureg


def _quantity(magnitude: float, unit: Any) -> pint.Quantity:
    # Q_ is typed as pint's PlainQuantity; every quantity of ureg is a pint.Quantity.
    return cast(pint.Quantity, Q_(magnitude, unit))


#: Plausible body weights per species. A weight outside is a unit slip (g for kg) or a typo.
#: A species is known to the protocol layer only when it has a range here.
BODY_WEIGHT_RANGE: dict[str, tuple[pint.Quantity, pint.Quantity]] = {
    "human": (_quantity(2.0, "kg"), _quantity(300.0, "kg")),
    "rat": (_quantity(0.02, "kg"), _quantity(1.5, "kg")),
    "mouse": (_quantity(0.005, "kg"), _quantity(0.1, "kg")),
}

#: No dose of any drug reaches 1 g per kg of body weight; above it the unit is wrong. A drug
#: dosed in grams declares its own ceiling (``DrugInfo.dose_ceiling``: ethanol).
DOSE_CEILING = _quantity(1.0, "g/kg")

#: Longest run: 5 years. Longer runs are beyond any scenario the model is built for.
MAX_DURATION = _quantity(5.0, "year")

#: Most output times in one run (1 year at 1 min is ~526,000).
MAX_OUTPUT_TIMES = 1_000_000

#: Most administrations one entry of ``doses`` may expand to (5 years hourly is ~43,800).
MAX_DOSES_PER_ENTRY = 100_000
#: Shortest interval between repeated doses: 1 s, the shortest time-out of IV
#: self-administration schedules; shorter intervals are a unit slip, not a protocol.
MIN_DOSE_INTERVAL_H = 1.0 / 3600.0

_ERROR_TYPE = "opioidsim_config"


# --------------------------------------------------------------------------- errors


def _show(value: Any) -> str:
    """Show a given value in a message: quantities as text, the rest as short reprs."""
    if isinstance(value, pint.Quantity):
        return format_quantity(value, short=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return show(value)


_ERRORS = FieldErrors(_ERROR_TYPE, "scenario", root_in_path=False, show_value=_show)
_invalid = _ERRORS.invalid


def config_error_from(exc: ValidationError) -> ConfigError:
    """Convert pydantic's ``ValidationError`` to a one-line :class:`ConfigError`.

    Parameters
    ----------
    exc : pydantic.ValidationError
        Raised while validating a scenario or one of its parts.

    Returns
    -------
    ConfigError
        ``<field path>: got <value>; <what is valid>.`` for the first error only.
    """
    return _ERRORS.config_error(exc)


def _did_you_mean(word: object, options: Iterable[object]) -> str:
    if not isinstance(word, str):
        return ""
    matches = difflib.get_close_matches(word, [str(o) for o in options], n=1, cutoff=0.6)
    return f" Did you mean {matches[0]!r}?" if matches else ""


def _hours(quantity: pint.Quantity) -> float:
    return float(quantity.to("h").magnitude)


def _h(value_h: float) -> str:
    return f"{value_h:g} h"


# --------------------------------------------------------------------------- quantities


def _number(value: float, *, short: bool) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}" if short else repr(float(value))


def format_quantity(quantity: pint.Quantity, *, short: bool = False) -> str:
    """Write a quantity as text that a scenario reads back exactly.

    Parameters
    ----------
    quantity : pint.Quantity
        A scalar quantity.
    short : bool
        Round the magnitude to 6 significant digits (for messages).

    Returns
    -------
    str
        ``"50 mg"``, ``"0.2 mg/kg"``, ``"2 ug/kg/min"``, ``"5 year"``.
    """
    factors: list[tuple[str, float]] = []
    for name, exponent in unit_factors(quantity):
        # pint's symbol for year is "a" (annum), which nobody reads as a year.
        factors.append(("year" if name == "year" else ureg.get_symbol(name), exponent))

    def power(symbol: str, exponent: float) -> str:
        return symbol if exponent == 1 else f"{symbol}^{_number(exponent, short=False)}"

    numerator = [power(symbol, exponent) for symbol, exponent in factors if exponent > 0]
    denominator = [power(symbol, -exponent) for symbol, exponent in factors if exponent < 0]
    if numerator:
        units = "*".join(numerator) + "".join(f"/{factor}" for factor in denominator)
    else:
        units = "*".join(power(symbol, exponent) for symbol, exponent in factors)
    magnitude = _number(float(quantity.magnitude), short=short)
    return f"{magnitude} {units}".rstrip()


_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_UNIT_FACTOR = r"[A-Za-zµμ_]+(?:(?:\^|\*\*)[+-]?[0-9]{1,2})?"
# A restricted grammar, read before pint sees the text: pint's parser evaluates arithmetic,
# so "9**9**9 mg" would hang it.
_QUANTITY_TEXT = re.compile(
    rf"\s*(?P<number>{_NUMBER})\s*"
    rf"(?P<unit>{_UNIT_FACTOR}(?:\s*[*/]\s*{_UNIT_FACTOR}|\s+{_UNIT_FACTOR})*)?\s*"
)


@dataclass(frozen=True)
class _Kind:
    """What a quantity field measures, for parsing and messages."""

    noun: str  # "a time"
    valid: str  # "a time (s, min, h, d, week)"
    common_units: tuple[str, ...]
    accepts: Callable[[pint.Quantity], bool]


def _is_amount(quantity: pint.Quantity, *, per_time: bool) -> bool:
    try:
        amount_kind(quantity, per_time=per_time)
    except pint.DimensionalityError:
        return False
    return True


_TIME = _Kind(
    "a time",
    "a time (s, min, h, d, week)",
    ("s", "min", "h", "d", "week", "year"),
    lambda q: q.check("[time]"),
)
_MASS = _Kind("a mass", "a mass (g, kg)", ("g", "kg", "lb"), lambda q: q.check("[mass]"))
_AMOUNT = _Kind(
    "an amount",
    "a mass (mg), substance amount (nmol), amount per body weight (mg/kg) or IU",
    ("ng", "ug", "mg", "g", "nmol", "umol", "mmol", "IU"),
    lambda q: _is_amount(q, per_time=False),
)
_RATE = _Kind(
    "an amount per time",
    "an amount per time (mg/h, nmol/h, mg/kg/h or IU/h)",
    ("ng", "ug", "mg", "g", "nmol", "umol", "IU", "s", "min", "h", "d", "kg"),
    lambda q: _is_amount(q, per_time=True),
)


def _parse_quantity(value: Any, kind: _Kind, description: str, example: str) -> pint.Quantity:
    """Read ``value`` as a quantity of ``kind``, or raise a one-line validation error.

    Parameters
    ----------
    value : str or pint.Quantity
        ``"50 mg"``, ``"0.2 mg/kg"``, ``"7 d"``, or a quantity of :data:`opioidsim.units.ureg`.
    kind : _Kind
        What the field measures (time, mass, amount or rate).
    description : str
        The field, as a message names it (``"a dose"``).
    example : str
        A valid value for the field (``"50 mg"``).

    Returns
    -------
    pint.Quantity
        Magnitude a finite float, unit as given.
    """
    if isinstance(value, pint.Quantity):
        if value._REGISTRY is not ureg:
            _invalid(
                f"got {_show(value)} from another unit registry; "
                "use opioidsim.units.Q_ or text such as " + repr(example) + "."
            )
        if not isinstance(value.magnitude, numbers.Real) or isinstance(value.magnitude, bool):
            _invalid(f"got {_show(value)}; give one number with a unit, e.g. {example!r}.")
        quantity = _quantity(float(value.magnitude), value.units)
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        # The field's example, not the number with a guessed unit: 24 may mean h, not d.
        _invalid(f"got {_show(value)}; give a unit, e.g. {example!r} ({kind.noun}).")
    elif isinstance(value, str):
        quantity = _parse_text(value, kind, example)
    else:
        _invalid(f"got {_show(value)}; give {description} as text with a unit, e.g. {example!r}.")
    if not math.isfinite(quantity.magnitude):
        _invalid(f"got {_show(value)}; give a finite number, e.g. {example!r}.")
    if not kind.accepts(quantity):
        _invalid(f"got {_show(quantity)}; {description} must be {kind.valid}.")
    return quantity


def _parse_text(text: str, kind: _Kind, example: str) -> pint.Quantity:
    match = _QUANTITY_TEXT.fullmatch(text)
    if match is None:
        _invalid(
            f"got {_show(text)}; cannot read a number and a unit in it; write e.g. {example!r}."
        )
    if match["unit"] is None:
        _invalid(f"got {_show(text)}; give a unit, e.g. {example!r} ({kind.noun}).")
    try:
        units = ureg.parse_units(match["unit"])
    except pint.UndefinedUnitError as exc:
        names = exc.unit_names if isinstance(exc.unit_names, tuple | list) else (exc.unit_names,)
        unknown = str(names[0]) if names else match["unit"]
        known = ", ".join(kind.common_units)
        _invalid(
            f"got {_show(text)}; {unknown!r} is not a known unit (use e.g. {known})."
            + _did_you_mean(unknown, kind.common_units)
        )
    except Exception:  # pint's unit parser raises several unrelated types on odd text
        _invalid(
            f"got {_show(text)}; cannot read a number and a unit in it; write e.g. {example!r}."
        )
    return _quantity(float(match["number"]), units)


def _serialize_quantity(quantity: pint.Quantity) -> str:
    return format_quantity(quantity)


QuantityField: TypeAlias = Annotated[
    pint.Quantity,
    PlainSerializer(_serialize_quantity, return_type=str),
    WithJsonSchema({"type": "string", "description": "a number and a unit, e.g. '50 mg'"}),
]


# --------------------------------------------------------------------------- models


class _ConfigModel(BaseModel):
    """Common behaviour: frozen, no unknown fields, one-line messages for missing ones."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        arbitrary_types_allowed=True,
    )

    _noun: ClassVar[str] = "this"
    _example: ClassVar[str] = "{...}"
    _kinds: ClassVar[dict[str, _Kind]] = {}

    @model_validator(mode="before")
    @classmethod
    def _check_fields(cls, data: Any) -> Any:
        if isinstance(data, cls):
            return data
        if not isinstance(data, Mapping):
            _invalid(f"got {_show(data)}; {cls._noun} must be a mapping (e.g. {cls._example}).")
        public = {cls._public_name(name): name for name in cls.model_fields}
        for key in data:
            if key not in public and key not in cls.model_fields:
                valid = ", ".join(sorted(public))
                simple = isinstance(key, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key)
                _invalid(
                    f"got an unknown field; {cls._noun} has the fields {valid}."
                    + _did_you_mean(key, public),
                    at=key if simple else f"[{key!r}]",
                )
        for alias, name in public.items():
            field = cls.model_fields[name]
            if field.is_required() and alias not in data and name not in data:
                example = (field.examples or ["..."])[0]
                _invalid(f"got nothing; {field.description} is required (e.g. {example}).", alias)
        return dict(data)

    @classmethod
    def _public_name(cls, name: str) -> str:
        """The field's name in YAML (``for`` for the attribute ``for_``)."""
        return cls.model_fields[name].serialization_alias or name

    @classmethod
    def _describe(cls, name: str) -> tuple[str, str]:
        field = cls.model_fields[name]
        return str(field.description), str((field.examples or ["..."])[0])

    @classmethod
    def _parse_text_field(cls, value: Any, name: str) -> str:
        description, example = cls._describe(name)
        if not isinstance(value, str):
            _invalid(f"got {_show(value)}; give {description} as text (e.g. {example}).")
        return value

    @classmethod
    def _parse_quantity_field(cls, value: Any, name: str) -> pint.Quantity | None:
        if value is None and not cls.model_fields[name].is_required():
            return None
        description, example = cls._describe(name)
        return _parse_quantity(value, cls._kinds[name], description, example)

    @classmethod
    def _require_positive(cls, quantity: pint.Quantity | None, name: str) -> None:
        if quantity is not None and not quantity.magnitude > 0:
            description, example = cls._describe(name)
            _invalid(
                f"got {_show(quantity)}; {description} must be > 0 (e.g. {example}).",
                cls._public_name(name),
            )


def _whole_number(value: Any, minimum: int, description: str, example: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        _invalid(
            f"got {_show(value)}; {description} must be a whole number >= {minimum} "
            f"(e.g. {example})."
        )
    return int(value)


class Subject(_ConfigModel):
    """The simulated individual.

    Attributes
    ----------
    species : str
        ``human``, ``rat`` or ``mouse`` (the keys of :data:`BODY_WEIGHT_RANGE`).
    sex : {"male", "female"}
    body_weight : pint.Quantity
        A mass within the species' plausible range.
    """

    _noun: ClassVar[str] = "the subject"
    _example: ClassVar[str] = "{species: human, sex: male, body_weight: 70 kg}"
    _kinds: ClassVar[dict[str, _Kind]] = {"body_weight": _MASS}

    species: str = Field(description="the subject's species", examples=["human"])
    sex: Literal["male", "female"] = Field(description="the subject's sex", examples=["male"])
    body_weight: QuantityField = Field(description="a body weight", examples=["70 kg"])

    @field_validator("species", mode="before")
    @classmethod
    def _species(cls, value: Any) -> str:
        species = cls._parse_text_field(value, "species")
        if species not in BODY_WEIGHT_RANGE:
            known = ", ".join(sorted(BODY_WEIGHT_RANGE))
            _invalid(
                f"got {_show(species)}; known species are {known}."
                + _did_you_mean(species, BODY_WEIGHT_RANGE)
            )
        return species

    @field_validator("sex", mode="before")
    @classmethod
    def _sex(cls, value: Any) -> str:
        if not isinstance(value, str) or value not in ("male", "female"):
            _invalid(f"got {_show(value)}; valid values are female, male.")
        return value

    @field_validator("body_weight", mode="before")
    @classmethod
    def _quantities(cls, value: Any, info: ValidationInfo) -> pint.Quantity | None:
        return cls._parse_quantity_field(value, str(info.field_name))

    @model_validator(mode="after")
    def _plausible_weight(self) -> Self:
        self._require_positive(self.body_weight, "body_weight")
        low, high = BODY_WEIGHT_RANGE[self.species]
        if not low <= self.body_weight <= high:
            _invalid(
                f"got {_show(self.body_weight)}; a plausible {self.species} body weight is "
                f"{_show(low)} to {_show(high)}.",
                "body_weight",
            )
        return self

    @property
    def body_weight_kg(self) -> float:
        """Body weight, kg."""
        return float(self.body_weight.to("kg").magnitude)


class Dose(_ConfigModel):
    """One entry of a scenario's ``doses``: a bolus or infusion, maybe repeated.

    Attributes
    ----------
    drug, route : str
        Names from the drug catalog.
    time : pint.Quantity
        First administration, after the start of the run.
    amount : pint.Quantity or None
        Bolus amount, or the total of an infusion given with ``duration``.
    rate : pint.Quantity or None
        Infusion rate (amount per time, or per kg per time); needs ``duration``.
    duration : pint.Quantity or None
        Infusion duration; makes the dose an infusion.
    every : pint.Quantity or None
        Interval between administrations; needs ``for_`` or ``count``.
    for_ : pint.Quantity or None
        Repeat period (``for`` in YAML): doses start while the start is before
        ``time + for``.
    count : int or None
        Number of administrations.
    """

    _noun: ClassVar[str] = "a dose"
    _example: ClassVar[str] = "{drug: morphine, amount: 5 mg, route: iv, time: 0 h}"
    _kinds: ClassVar[dict[str, _Kind]] = {
        "time": _TIME,
        "amount": _AMOUNT,
        "rate": _RATE,
        "duration": _TIME,
        "every": _TIME,
        "for_": _TIME,
    }

    drug: str = Field(description="the drug", examples=["morphine"])
    amount: QuantityField | None = Field(default=None, description="a dose", examples=["50 mg"])
    rate: QuantityField | None = Field(
        default=None, description="an infusion rate", examples=["2 mg/h"]
    )
    route: str = Field(description="the route", examples=["iv"])
    time: QuantityField = Field(description="a dose time", examples=["0 h"])
    duration: QuantityField | None = Field(
        default=None, description="an infusion duration", examples=["4 h"]
    )
    every: QuantityField | None = Field(
        default=None, description="the interval between doses", examples=["24 h"]
    )
    for_: QuantityField | None = Field(
        default=None,
        # "for" in YAML and dicts; for_ (or "for") in Python.
        validation_alias=AliasChoices("for", "for_"),
        serialization_alias="for",
        description="the repeat period",
        examples=["5 d"],
    )
    count: int | None = Field(default=None, description="a dose count", examples=["5"])

    @field_validator("drug", "route", mode="before")
    @classmethod
    def _texts(cls, value: Any, info: ValidationInfo) -> str:
        return cls._parse_text_field(value, str(info.field_name))

    @field_validator("time", "amount", "rate", "duration", "every", "for_", mode="before")
    @classmethod
    def _quantities(cls, value: Any, info: ValidationInfo) -> pint.Quantity | None:
        return cls._parse_quantity_field(value, str(info.field_name))

    @field_validator("count", mode="before")
    @classmethod
    def _count(cls, value: Any) -> int | None:
        return None if value is None else _whole_number(value, 1, "a dose count", "5")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for name in ("amount", "rate", "duration", "every", "for_"):
            self._require_positive(getattr(self, name), name)
        if self.amount is not None and self.rate is not None:
            _invalid(
                f"got {_show(self.rate)} and amount {_show(self.amount)}; give amount (a bolus, "
                "or an infusion's total with duration) or rate (with duration), not both.",
                "rate",
            )
        if self.amount is None and self.rate is None:
            _invalid(
                "got neither amount nor rate; give amount (e.g. 50 mg) for a bolus, "
                "or rate and duration (e.g. 2 mg/h for 4 h) for an infusion."
            )
        if self.rate is not None and self.duration is None:
            _invalid("got nothing; an infusion rate needs a duration (e.g. 4 h).", "duration")
        self._check_repeats()
        return self

    def _check_repeats(self) -> None:
        if self.every is None:
            if self.for_ is not None:
                _invalid(
                    f"got {_show(self.for_)} without 'every'; give the interval between "
                    "doses too (e.g. every: 24 h).",
                    "for",
                )
            if self.count is not None:
                _invalid(
                    f"got {self.count} without 'every'; give the interval between doses too "
                    "(e.g. every: 24 h).",
                    "count",
                )
            return
        if self.for_ is None and self.count is None:
            _invalid(
                f"got {_show(self.every)} without 'for' or 'count'; say how long to repeat "
                "(e.g. for: 5 d) or how many doses (e.g. count: 5).",
                "every",
            )
        if self.for_ is not None and self.count is not None:
            _invalid(
                f"got {self.count} and for {_show(self.for_)}; give for or count, not both.",
                "count",
            )
        every_h = _hours(self.every)
        if every_h < MIN_DOSE_INTERVAL_H * (1 - 1e-9):
            _invalid(
                f"got {_show(self.every)}; repeated doses must be at least 1 s apart "
                "(e.g. every: 6 h).",
                "every",
            )
        if self.for_ is not None:
            ratio = _hours(self.for_) / every_h
            if ratio > MAX_DOSES_PER_ENTRY:
                _invalid(
                    f"got {_show(self.every)}; every {_show(self.every)} for "
                    f"{_show(self.for_)} gives {ratio:.0f} doses; at most "
                    f"{MAX_DOSES_PER_ENTRY} per dose entry are allowed.",
                    "every",
                )
        elif self.count is not None and self.count > MAX_DOSES_PER_ENTRY:
            _invalid(
                f"got {self.count}; at most {MAX_DOSES_PER_ENTRY} doses per dose entry "
                "are allowed.",
                "count",
            )
        if self.duration is not None and every_h < _hours(self.duration) - TIME_TOLERANCE_H:
            _invalid(
                f"got {_show(self.every)}; each infusion lasts {_show(self.duration)}, so "
                "repeats would overlap; every must be >= duration.",
                "every",
            )

    @property
    def is_infusion(self) -> bool:
        """True when the dose is a zero-order infusion (it has a duration)."""
        return self.duration is not None

    @property
    def dose_count(self) -> int:
        """Number of administrations this entry expands to."""
        if self.every is None:
            return 1
        if self.count is not None:
            return self.count
        assert self.for_ is not None
        return repeat_count(_hours(self.for_), _hours(self.every))


class Event(_ConfigModel):
    """One entry of a scenario's ``events``: a non-drug event, maybe repeated.

    The kind names an event kind a model module declares
    (``opioidsim.model.catalog.event_catalog``: ``stress`` drives the hypothalamic CRH drive);
    the kind's input takes the value ``intensity`` from ``time`` for ``duration``.

    Attributes
    ----------
    kind : str
        Event kind.
    time : pint.Quantity
        Start of the first episode, after the start of the run.
    duration : pint.Quantity
        Length of each episode (> 0).
    intensity : float
        Value of the kind's input during an episode (>= 0; its meaning is the kind's).
    every : pint.Quantity or None
        Interval between episode starts; needs ``count``.
    count : int or None
        Number of episodes.
    """

    _noun: ClassVar[str] = "an event"
    _example: ClassVar[str] = "{kind: stress, time: 1 h, duration: 30 min, intensity: 2}"
    _kinds: ClassVar[dict[str, _Kind]] = {"time": _TIME, "duration": _TIME, "every": _TIME}

    kind: str = Field(description="the event kind", examples=["stress"])
    time: QuantityField = Field(description="an event time", examples=["1 h"])
    duration: QuantityField = Field(description="an event duration", examples=["30 min"])
    intensity: float = Field(1.0, description="an event intensity", examples=["2"])
    every: QuantityField | None = Field(
        default=None, description="the interval between episodes", examples=["24 h"]
    )
    count: int | None = Field(default=None, description="an episode count", examples=["4"])

    @field_validator("kind", mode="before")
    @classmethod
    def _texts(cls, value: Any, info: ValidationInfo) -> str:
        return cls._parse_text_field(value, str(info.field_name))

    @field_validator("time", "duration", "every", mode="before")
    @classmethod
    def _quantities(cls, value: Any, info: ValidationInfo) -> pint.Quantity | None:
        return cls._parse_quantity_field(value, str(info.field_name))

    @field_validator("intensity", mode="before")
    @classmethod
    def _intensity(cls, value: Any) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Real)
            or not math.isfinite(value)
            or value < 0
        ):
            _invalid(f"got {_show(value)}; an event intensity must be a number >= 0 (e.g. 2).")
        return float(value)

    @field_validator("count", mode="before")
    @classmethod
    def _count(cls, value: Any) -> int | None:
        return None if value is None else _whole_number(value, 1, "an episode count", "4")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for name in ("duration", "every"):
            self._require_positive(getattr(self, name), name)
        if (self.every is None) != (self.count is None):
            given, missing = ("every", "count") if self.count is None else ("count", "every")
            value = self.every if self.count is None else self.count
            _invalid(
                f"got {_show(value)} without {missing}; repeated events need both (e.g. "
                "every: 72 h, count: 4).",
                given,
            )
        if self.count is not None and self.count > MAX_DOSES_PER_ENTRY:
            _invalid(
                f"got {self.count}; at most {MAX_DOSES_PER_ENTRY} episodes per event entry "
                "are allowed.",
                "count",
            )
        if (
            self.every is not None
            and _hours(self.every) < _hours(self.duration) - TIME_TOLERANCE_H
        ):
            _invalid(
                f"got {_show(self.every)}; each episode lasts {_show(self.duration)}, so "
                "repeats would overlap; every must be >= duration.",
                "every",
            )
        return self


class Scenario(_ConfigModel):
    """A subject, a run length, an output grid and a dosing protocol (see module docstring).

    Build one with :meth:`model_validate` (a mapping), :meth:`from_yaml` (a file) or
    :func:`opioidsim.io.config.load_scenario` (either); each raises a one-line
    :class:`~opioidsim.errors.ConfigError`. Validation checks drugs, routes and species
    against the drug catalog given as ``context={"catalog": ...}``, by default
    :func:`~opioidsim.model.catalog.drug_catalog`.

    Attributes
    ----------
    name : str or None
    subject : Subject
    duration : pint.Quantity
        Run length, > 0 and at most 5 years.
    output_interval : pint.Quantity or None
        Step of the output grid (one of ``output_interval`` and ``output_times``).
    output_times : tuple of pint.Quantity or None
        Strictly increasing output times within the run.
    seed : int or None
        Random seed, >= 0.
    doses : tuple of Dose
    events : tuple
        Reserved for non-drug events; empty for now.
    """

    _noun: ClassVar[str] = "a scenario"
    _example: ClassVar[str] = "{subject: {...}, duration: 7 d, output_interval: 1 h, doses: []}"
    _kinds: ClassVar[dict[str, _Kind]] = {
        "duration": _TIME,
        "output_interval": _TIME,
        "output_times": _TIME,
    }

    name: str | None = Field(
        default=None, description="a name", examples=["naltrexone then heroin"]
    )
    subject: Subject = Field(description="the subject", examples=[Subject._example])
    duration: QuantityField = Field(description="the run length", examples=["7 d"])
    output_interval: QuantityField | None = Field(
        default=None, description="the output interval", examples=["1 h"]
    )
    output_times: tuple[QuantityField, ...] | None = Field(
        default=None, description="an output time", examples=["0 h"]
    )
    seed: int | None = Field(default=None, description="a seed", examples=["1"])
    doses: tuple[Dose, ...] = Field((), description="the doses", examples=["[]"])
    physiology: tuple[str, ...] = Field(
        (), description="optional physiology modules", examples=["[ventilation]"]
    )
    events: tuple[Event, ...] = Field((), description="the events", examples=["[]"])

    _records: tuple[DoseRecord, ...] = PrivateAttr(default=())
    _event_records: tuple[EventRecord, ...] = PrivateAttr(default=())

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> str | None:
        if value is not None and not isinstance(value, str):
            _invalid(f"got {_show(value)}; a name must be text (e.g. 'naltrexone then heroin').")
        return value

    @field_validator("duration", "output_interval", mode="before")
    @classmethod
    def _quantities(cls, value: Any, info: ValidationInfo) -> pint.Quantity | None:
        return cls._parse_quantity_field(value, str(info.field_name))

    @field_validator("output_times", mode="before")
    @classmethod
    def _times(cls, value: Any) -> tuple[pint.Quantity, ...] | None:
        if value is None:
            return None
        if not isinstance(value, list | tuple):
            _invalid(f"got {_show(value)}; output_times must be a list (e.g. [0 h, 1 h, 2 h]).")
        if len(value) > MAX_OUTPUT_TIMES:
            _invalid(
                f"got {len(value)} times; at most {MAX_OUTPUT_TIMES} output times are allowed."
            )
        times = []
        for index, item in enumerate(value):
            try:
                times.append(_parse_quantity(item, _TIME, "an output time", "1 h"))
            except PydanticCustomError as exc:
                _invalid(str((exc.context or {})["detail"]), f"[{index}]")
        return tuple(times)

    @field_validator("seed", mode="before")
    @classmethod
    def _seed(cls, value: Any) -> int | None:
        return None if value is None else _whole_number(value, 0, "a seed", "1")

    @field_validator("doses", mode="before")
    @classmethod
    def _doses(cls, value: Any) -> Any:
        if not isinstance(value, list | tuple):
            _invalid(
                f"got {_show(value)}; doses must be a list of doses, or [] for a baseline run."
            )
        return value

    @field_validator("physiology", mode="before")
    @classmethod
    def _physiology(cls, value: Any) -> tuple[str, ...]:
        known = ", ".join(sorted(OPTIONAL_MODULES))
        if not isinstance(value, list | tuple):
            _invalid(f"got {_show(value)}; physiology must be a list of names (known: {known}).")
        for index, name in enumerate(value):
            if name not in OPTIONAL_MODULES:
                _invalid(f"got {_show(name)}; known: {known}.", f"[{index}]")
        return tuple(dict.fromkeys(value))

    @field_validator("events", mode="before")
    @classmethod
    def _events(cls, value: Any) -> Any:
        if not isinstance(value, list | tuple):
            _invalid(f"got {_show(value)}; events must be a list of events, or [] for none.")
        return value

    @model_validator(mode="after")
    def _check_run(self, info: ValidationInfo) -> Self:
        self._require_positive(self.duration, "duration")
        if self.duration > MAX_DURATION:
            _invalid(
                f"got {_show(self.duration)}; the run length must be at most 5 years "
                f"({_h(_hours(MAX_DURATION))}).",
                "duration",
            )
        self._check_output()
        for name in self.physiology:
            species = OPTIONAL_MODULES[name][1]
            if self.subject.species not in species:
                _invalid(
                    f"got {name!r} for a {self.subject.species}; it has parameters for "
                    f"{', '.join(species)} only.",
                    "physiology",
                )
        catalog = _catalog_from(info.context)
        records: list[DoseRecord] = []
        for index, dose in enumerate(self.doses):
            records.extend(self._expand(index, dose, catalog))
        _check_overlaps(records)
        records.sort(key=lambda record: (record.time_h, record.source_index))
        self._records = tuple(records)
        kinds = _event_catalog_from(info.context)
        episodes: list[EventRecord] = []
        for index, event in enumerate(self.events):
            episodes.extend(self._expand_event(index, event, kinds))
        episodes.sort(key=lambda record: (record.time_h, record.source_index))
        self._event_records = tuple(episodes)
        return self

    def _expand_event(
        self, index: int, event: Event, kinds: Mapping[str, EventInfo]
    ) -> list[EventRecord]:
        """Check one event against the event kinds and the run; return its episodes."""
        at = f"events[{index}]"
        kind = kinds.get(event.kind)
        if kind is None:
            _invalid(
                f"got {_show(event.kind)}; known event kinds are {', '.join(sorted(kinds))}."
                + _did_you_mean(event.kind, kinds),
                f"{at}.kind",
            )
        if self.subject.species not in kind.species:
            _invalid(
                f"got {_show(event.kind)}; {kind.name} exists for "
                f"{', '.join(kind.species)} only, not for {self.subject.species}.",
                f"{at}.kind",
            )
        time_h, end_h = _hours(event.time), self.duration_h
        if time_h < 0 or time_h >= end_h - TIME_TOLERANCE_H:
            _invalid(
                f"got {_show(event.time)}; an event must start within the run: "
                f"0 h <= time < {_show(self.duration)}.",
                f"{at}.time",
            )
        every_h = 0.0 if event.every is None else _hours(event.every)
        count = event.count or 1
        return [
            EventRecord(
                kind=event.kind,
                time_h=time_h + k * every_h,
                duration_h=_hours(event.duration),
                intensity=event.intensity,
                source_index=index,
            )
            for k in range(count)
            if time_h + k * every_h < end_h - TIME_TOLERANCE_H
        ]

    def _check_output(self) -> None:
        end_h = self.duration_h
        if self.output_interval is None and self.output_times is None:
            _invalid(
                "got nothing; give output_interval (e.g. 1 h) or output_times "
                "(e.g. [0 h, 1 h, 2 h]).",
                "output_interval",
            )
        if self.output_interval is not None and self.output_times is not None:
            _invalid(
                "got both output_interval and output_times; give one of them.", "output_times"
            )
        if self.output_interval is not None:
            self._require_positive(self.output_interval, "output_interval")
            interval_h = _hours(self.output_interval)
            if interval_h > end_h + TIME_TOLERANCE_H:
                _invalid(
                    f"got {_show(self.output_interval)}; the output interval must be at most "
                    f"the run length ({_show(self.duration)}).",
                    "output_interval",
                )
            if end_h / interval_h + 2 > MAX_OUTPUT_TIMES:
                _invalid(
                    f"got {_show(self.output_interval)}; over {_show(self.duration)} that gives "
                    f"{end_h / interval_h + 1:.0f} output times; at most {MAX_OUTPUT_TIMES} "
                    "are allowed (use a longer interval).",
                    "output_interval",
                )
        if self.output_times is not None:
            if not self.output_times:
                _invalid(
                    "got []; give at least one time (e.g. [0 h, 1 h, 2 h]), or use "
                    "output_interval.",
                    "output_times",
                )
            previous: pint.Quantity | None = None
            for index, time in enumerate(self.output_times):
                time_h = _hours(time)
                if time_h < 0 or time_h > end_h + TIME_TOLERANCE_H:
                    _invalid(
                        f"got {_show(time)}; output times must lie within the run: "
                        f"0 h <= time <= {_show(self.duration)}.",
                        f"output_times[{index}]",
                    )
                if previous is not None and time_h <= _hours(previous) + TIME_TOLERANCE_H:
                    _invalid(
                        f"got {_show(time)}; output times must increase strictly (the one "
                        f"before is {_show(previous)}).",
                        f"output_times[{index}]",
                    )
                previous = time

    def _expand(self, index: int, dose: Dose, catalog: Mapping[str, DrugInfo]) -> list[DoseRecord]:
        """Check one dose against the catalog and the run; return its records."""
        at = f"doses[{index}]"
        drug = _drug_for(dose, catalog, self.subject.species, at)
        route = drug.routes[dose.route]
        time_h = _hours(dose.time)
        end_h = self.duration_h
        if time_h < 0 or time_h >= end_h - TIME_TOLERANCE_H:
            _invalid(
                f"got {_show(dose.time)}; a dose must start within the run: "
                f"0 h <= time < {_show(self.duration)}.",
                f"{at}.time",
            )

        # Amount, in nmol (bolus) or nmol/h (infusion), and the per-administration ceiling.
        field = "amount" if dose.amount is not None else "rate"
        given = dose.amount if dose.amount is not None else dose.rate
        assert given is not None
        per_time = dose.amount is None
        kind, _ = amount_kind(given, per_time=per_time)
        if kind == "activity" and drug.mass_per_international_unit is None:
            examples = "(e.g. 2 mg/h) or substance" if per_time else "(e.g. 50 mg) or substance"
            unit = "nmol/h" if per_time else "nmol"
            _invalid(
                f"got {_show(given)}; {drug.name} is not dosed in IU; give a mass "
                f"{examples} amount (e.g. 100 {unit}).",
                f"{at}.{field}",
            )
        body_weight = self.subject.body_weight
        absolute = absolute_amount(given, body_weight, per_time=per_time)
        duration_h = _hours(dose.duration) if dose.duration is not None else None
        total = absolute * dose.duration if per_time else absolute
        per_kg = (mass_of(total, drug, route) / body_weight).to("g/kg")
        ceiling = drug.dose_ceiling if drug.dose_ceiling is not None else DOSE_CEILING
        if not per_kg <= ceiling:
            over = f"over {_show(dose.duration)} " if per_time else ""
            which = f"{drug.name} dose" if drug.dose_ceiling is not None else "dose of any drug"
            _invalid(
                f"got {_show(given)}; {over}that is {_show(per_kg)} for a "
                f"{_show(body_weight)} subject, above the {_show(ceiling)} that no {which} "
                "reaches. Check the unit.",
                f"{at}.{field}",
            )
        # A rate converts as the amount given per hour: no division by the duration.
        nmol = nanomoles_of(absolute * ureg.hour if per_time else absolute, drug, route)

        if dose.is_infusion and not route.infusion:
            infusible = sorted(name for name, info in drug.routes.items() if info.infusion)
            where = (
                f"{drug.name} can be infused only by {', '.join(infusible)}"
                if infusible
                else f"{drug.name} has no infusion route"
            )
            _invalid(
                f"got {_show(dose.route)}; {where} (a bolus has amount and no rate or duration).",
                f"{at}.route",
            )

        # Repeats: the last administration must start, and end, within the run.
        count = dose.dose_count
        every_h = _hours(dose.every) if dose.every is not None else None
        starts = start_times_h(time_h, every_h, count)
        last_h = float(starts[-1])
        if last_h >= end_h - TIME_TOLERANCE_H:
            assert every_h is not None
            fit = repeat_count(end_h - time_h, every_h)
            if dose.count is not None:
                name, given_text = "count", str(count)
            else:
                name, given_text = "for", _show(dose.for_)
            _invalid(
                f"got {given_text}; the last dose would start at {_h(last_h)}, outside the run "
                f"(which ends at {_h(end_h)}); at most {fit} doses fit.",
                f"{at}.{name}",
            )
        if duration_h is not None and last_h + duration_h > end_h + TIME_TOLERANCE_H:
            which = "the last infusion" if count > 1 else "the infusion"
            _invalid(
                f"got {_show(dose.duration)}; {which}, from {_h(last_h)}, would end at "
                f"{_h(last_h + duration_h)}, after the run ends at {_h(end_h)}.",
                f"{at}.duration",
            )

        if duration_h is None:
            return [
                DoseRecord(
                    drug=dose.drug,
                    route=dose.route,
                    time_h=float(start),
                    amount_nmol=nmol,
                    source_index=index,
                )
                for start in starts
            ]
        return [
            DoseRecord(
                drug=dose.drug,
                route=dose.route,
                time_h=float(start),
                rate_nmol_per_h=nmol if per_time else nmol / duration_h,
                duration_h=duration_h,
                source_index=index,
            )
            for start in starts
        ]

    # ----------------------------------------------------------------------- public API

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        """Validate a mapping into a scenario.

        Parameters
        ----------
        obj : Mapping
            The scenario as a mapping (what YAML gives).
        **kwargs
            As :meth:`pydantic.BaseModel.model_validate`; ``context={"catalog": ...}``
            validates against another drug catalog than the default model's.

        Returns
        -------
        Scenario

        Raises
        ------
        ConfigError
            One line naming the first invalid field.
        """
        try:
            return super().model_validate(obj, **kwargs)
        except ValidationError as exc:
            raise config_error_from(exc) from None

    @classmethod
    def from_yaml(
        cls, path: str | PathLike[str], *, catalog: Mapping[str, DrugInfo] | None = None
    ) -> Self:
        """Read a scenario YAML file.

        Parameters
        ----------
        path : str or os.PathLike
            The file.
        catalog : Mapping of str to DrugInfo, optional
            Drug catalog to check against; the default model's when omitted.

        Returns
        -------
        Scenario

        Raises
        ------
        ConfigError
            When the file is missing, unreadable or not valid YAML (naming the file and
            line), or the scenario is invalid.
        """
        data = read_yaml(path)
        context = {"catalog": catalog} if catalog is not None else None
        return cls.model_validate(data, context=context)

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario as plain data (quantities as text) that validates back to it.

        Returns
        -------
        dict
            Keys as in YAML (``for``, not ``for_``); unset optional fields left out.
        """
        data = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        if not data.get("events"):
            data.pop("events", None)
        return data

    def to_yaml(self) -> str:
        """Return the scenario as YAML text that :meth:`from_yaml` reads back to it."""
        return yaml.safe_dump(
            self.to_dict(), sort_keys=False, allow_unicode=True, default_flow_style=None
        )

    @property
    def duration_h(self) -> float:
        """Run length, h."""
        return _hours(self.duration)

    def output_times_h(self) -> np.ndarray:
        """Times of the output grid, h: always 0 and the end of the run, sorted, unique.

        With ``output_interval``: 0, interval, 2 interval, ... and the end (when the run is
        not a whole number of intervals, the last step is shorter). With ``output_times``:
        those times, plus 0 and the end.

        Returns
        -------
        numpy.ndarray
            Shape (n,), float64, h.
        """
        end_h = self.duration_h
        if self.output_interval is not None:
            step_h = _hours(self.output_interval)
            steps = math.floor(end_h / step_h + TIME_TOLERANCE_H / step_h)
            times = step_h * np.arange(steps + 1, dtype=float)
        else:
            assert self.output_times is not None
            times = np.array([_hours(time) for time in self.output_times], dtype=float)
        times = np.concatenate([[0.0], times, [end_h]])
        times = np.sort(np.clip(times, 0.0, end_h))
        keep = np.concatenate([[True], np.diff(times) > TIME_TOLERANCE_H])
        times = times[keep]
        times[-1] = end_h  # the end is exact, not a rounded multiple of the step
        return times

    def dose_records(self) -> list[DoseRecord]:
        """Every administration, repeats expanded, sorted by time (then by ``doses`` index).

        Returns
        -------
        list of DoseRecord
            Times in h, bolus amounts in nmol, infusion rates in nmol/h.
        """
        return list(self._records)

    def event_records(self) -> list[EventRecord]:
        """Every non-drug event episode, repeats expanded (those starting within the run),
        sorted by time (then by ``events`` index)."""
        return list(self._event_records)


def _catalog_from(context: Any) -> Mapping[str, DrugInfo]:
    if isinstance(context, Mapping) and context.get("catalog") is not None:
        return context["catalog"]
    return drug_catalog()


def _event_catalog_from(context: Any) -> Mapping[str, EventInfo]:
    if isinstance(context, Mapping) and context.get("event_catalog") is not None:
        return context["event_catalog"]
    return event_catalog()


def _drug_for(dose: Dose, catalog: Mapping[str, DrugInfo], species: str, at: str) -> DrugInfo:
    drug = catalog.get(dose.drug)
    if drug is None:
        _invalid(
            f"got {_show(dose.drug)}; known drugs are {', '.join(sorted(catalog))}."
            + _did_you_mean(dose.drug, catalog),
            f"{at}.drug",
        )
    if species not in drug.species:
        _invalid(
            f"got {_show(dose.drug)}; {drug.name} has pharmacokinetics for "
            f"{', '.join(sorted(drug.species))} only, not for {species}.",
            f"{at}.drug",
        )
    if dose.route not in drug.routes:
        routes = ", ".join(sorted(drug.routes))
        if any(dose.route in other.routes for other in catalog.values()):
            detail = f"{drug.name} cannot be given {dose.route}; its routes are {routes}."
        else:
            detail = f"the routes of {drug.name} are {routes}." + _did_you_mean(
                dose.route, drug.routes
            )
        _invalid(f"got {_show(dose.route)}; {detail}", f"{at}.route")
    return drug


def _check_overlaps(records: list[DoseRecord]) -> None:
    """Refuse two infusions of one drug by one route that overlap in time."""
    infusions: dict[tuple[str, str], list[DoseRecord]] = {}
    for record in records:
        if record.is_infusion:
            infusions.setdefault((record.drug, record.route), []).append(record)
    for (drug, route), group in infusions.items():
        group.sort(key=lambda record: (record.time_h, record.source_index))
        for first, second in pairwise(group):
            if first.end_h > second.time_h + TIME_TOLERANCE_H:
                early, late = sorted((first, second), key=lambda record: record.source_index)
                _invalid(
                    f"got a {drug} {route} infusion over {_span(late)} that overlaps "
                    f"doses[{early.source_index}] ({_span(early)}); infusions of one drug by "
                    "one route must not overlap. Merge them into one dose or shift one.",
                    f"doses[{late.source_index}]",
                )


def _span(record: DoseRecord) -> str:
    return f"{record.time_h:g}-{record.end_h:g} h"


# --------------------------------------------------------------------------- YAML


def read_yaml(path: str | PathLike[str]) -> Any:
    """Read a YAML file with the safe loader, refusing duplicated keys.

    Parameters
    ----------
    path : str or os.PathLike
        The file.

    Returns
    -------
    object
        What the file holds (a mapping, for a scenario).

    Raises
    ------
    ConfigError
        Missing, unreadable, empty or not UTF-8; invalid YAML (with its line).
    """
    where = str(path)
    hint = "give the path of a scenario YAML file (e.g. examples/morphine_iv.yaml)"
    data = read_yaml_file(path, "a scenario file", hint)
    if data is None:
        raise ConfigError(
            one_line(
                f"{where}: got an empty file; a scenario needs at least subject, duration and "
                "output_interval."
            )
        )
    return data
