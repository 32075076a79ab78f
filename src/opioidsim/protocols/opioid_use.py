"""Opioid use after detoxification as a scenario block (issue 15, human use).

A scenario with an ``opioid_use`` block runs people who have stopped using: each day, from
``start``, each decides whether to use, and while in treatment whether to take the day's
medication and whether to stay (``opioidsim.model.opioid_use`` decides; what is taken is fed
back into the same engine run). The history before (years of use, a detoxification taper)
is the scenario's ordinary ``doses:``. Example::

    opioid_use:
      start: 60 d                 # the first morning of decisions (08:00 of day 1)
      days: 168                   # how many days decide
      ward: 7 d                   # a closed detoxification ward first: no drug at hand,
                                  # but a person may leave (and then has it at hand)
      use: {drug: heroin, amount: 25 mg, route: iv, count: 3, every: 6 h}   # one use day
      treatment:
        medication: xr_naltrexone # none | placebo | oral_naltrexone | xr_naltrexone
                                  # | buprenorphine
        start: 7 d                # after the block's start: the first injection or tablet
        adherence: free           # tablets: free | supervised (observed dosing)

Medication defaults (each may be given as ``dose`` and ``every``): extended-release
naltrexone 380 mg IM every 28 d; oral naltrexone 50 mg daily; buprenorphine 16 mg
sublingual daily. ``none`` and ``placebo`` are treatment (counselling, visits) without a
drug. Without a ``treatment`` entry nobody is in treatment (use after release or discharge
with no care). A person who leaves the ward before the treatment starts is never inducted.

The use starts ``use.at`` (default 12 h, the evening) after each morning decision. Errors
name the field (``opioid_use.treatment.medication``), the bad value and what would be valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from opioidsim.errors import ConfigError
from opioidsim.protocols.block_fields import BlockFields
from opioidsim.protocols.scenario import Scenario

BLOCK = "opioid_use"
_FIELDS = ("start", "days", "ward", "use", "treatment")
_USE_FIELDS = ("drug", "amount", "route", "count", "every", "at")
_TREATMENT_FIELDS = ("medication", "start", "dose", "every", "adherence")
#: medication -> (drug, route, default dose, default interval) or None for no drug.
MEDICATIONS: dict[str, tuple[str, str, str, str] | None] = {
    "none": None,
    "placebo": None,
    "oral_naltrexone": ("naltrexone", "oral", "50 mg", "24 h"),
    "xr_naltrexone": ("naltrexone", "im_depot", "380 mg", "28 d"),
    "buprenorphine": ("buprenorphine", "sublingual", "16 mg", "24 h"),
}
ADHERENCE = ("free", "supervised")
MAX_DAYS = 3650


@dataclass(frozen=True)
class Dose:
    """One dose of a use day or of the medication: drug, route, amount (nmol), offset (h)."""

    drug: str
    route: str
    amount_nmol: float
    offset_h: float = 0.0


@dataclass(frozen=True)
class OpioidUse:
    """A validated block."""

    start_h: float
    days: int
    ward_h: float
    #: The doses of one use day, offsets from the morning decision.
    use_day: tuple[Dose, ...]
    use_text: str
    medication: str | None = None
    #: One medication dose (None: no drug, or no treatment).
    medication_dose: Dose | None = None
    medication_text: str = ""
    #: When treatment starts, after the block's start (h).
    treatment_start_h: float = 0.0
    medication_every_h: float = 24.0
    supervised: bool = False

    @property
    def in_treatment(self) -> bool:
        return self.medication is not None

    @property
    def tablets(self) -> bool:
        """Whether the medication is a daily tablet (taken or skipped each morning)."""
        return self.medication_dose is not None and self.medication_dose.route != "im_depot"

    def decision_times_h(self) -> list[float]:
        """The mornings on which decisions are made (h)."""
        return [self.start_h + 24.0 * day for day in range(self.days)]

    def to_dict(self) -> dict:
        """The block as plain data (metadata)."""
        return {
            "start_h": self.start_h,
            "days": self.days,
            "ward_h": self.ward_h,
            "use": self.use_text,
            "medication": self.medication,
            "medication_dose": self.medication_text,
            "treatment_start_h": self.treatment_start_h,
            "medication_every_h": self.medication_every_h,
            "supervised": self.supervised,
        }


_CHECK = BlockFields(BLOCK)
_fail = _CHECK.fail
_whole = _CHECK.whole


def _hours(value: Any, field: str, example: str, *, positive: bool = False) -> float:
    return _CHECK.hours(value, field, example, positive=positive)


def _mapping(value: Any, field: str, fields: tuple[str, ...], example: str) -> Mapping:
    if not isinstance(value, Mapping):
        _fail(field, f"got {value!r}; must be a mapping (e.g. {example}).")
    for key in value:
        if key not in fields:
            _fail(
                f"{field}.{key}",
                f"got an unknown field; {BLOCK}.{field} has the fields {', '.join(fields)}.",
            )
    return value


def _dose(scenario: Scenario, drug: Any, amount: Any, route: Any, field: str) -> Dose:
    """One dose checked by the scenario's own rules, errors re-addressed to ``field``."""
    record = _CHECK.dose_record(
        scenario,
        {"drug": drug, "amount": amount, "route": route, "time": "0 h"},
        f"{field}.",
        {"amount": "dose"} if field == "treatment" else None,
    )
    return Dose(record.drug, record.route, float(record.amount_nmol))


def parse(block: Any, scenario: Scenario) -> OpioidUse:
    """Check an ``opioid_use`` block against its scenario (one-line errors)."""
    if not isinstance(block, Mapping):
        raise ConfigError(
            f"{BLOCK}: got {block!r}; must be a mapping (e.g. {{start: 60 d, days: 168, use: "
            "{drug: heroin, amount: 25 mg, route: iv}})."
        )
    for key in block:
        if key not in _FIELDS:
            _fail(str(key), f"got an unknown field; {BLOCK} has the fields {', '.join(_FIELDS)}.")
    for required in ("start", "days", "use"):
        if required not in block:
            _fail(required, "got nothing; required (e.g. start: 60 d, days: 168).")
    start_h = _hours(block["start"], "start", "60 d")
    days = _whole(block["days"], "days", 1, MAX_DAYS, "168")
    if start_h + 24.0 * days > scenario.duration_h + 1e-9:
        fit = int((scenario.duration_h - start_h) // 24.0)
        _fail(
            "days",
            f"got {days}; the last day would end at {start_h + 24.0 * days:g} h, after the run "
            f"ends at {scenario.duration_h:g} h; at most {max(fit, 0)} days fit.",
        )
    ward_h = _hours(block.get("ward", "0 d"), "ward", "7 d")

    use = _mapping(block["use"], "use", _USE_FIELDS, "{drug: heroin, amount: 25 mg, route: iv}")
    for required in ("drug", "amount", "route"):
        if required not in use:
            _fail(f"use.{required}", "got nothing; required (e.g. drug: heroin, amount: 25 mg).")
    one = _dose(scenario, use["drug"], use["amount"], use["route"], "use")
    count = _whole(use.get("count", 1), "use.count", 1, 24, "3")
    every_h = _hours(use.get("every", "6 h"), "use.every", "6 h", positive=True)
    at_h = _hours(use.get("at", "12 h"), "use.at", "12 h")
    if at_h + (count - 1) * every_h >= 24.0:
        _fail(
            "use.count",
            f"got {count}; doses from {at_h:g} h every {every_h:g} h would run into the next "
            "day's decision; one use day must end within 24 h of its morning.",
        )
    use_day = tuple(
        Dose(one.drug, one.route, one.amount_nmol, at_h + k * every_h) for k in range(count)
    )
    use_text = f"{count} x {use['amount']} {one.drug} {one.route}"

    if "treatment" not in block:
        return OpioidUse(start_h, days, ward_h, use_day, use_text)
    treatment = _mapping(
        block["treatment"], "treatment", _TREATMENT_FIELDS, "{medication: xr_naltrexone}"
    )
    medication = treatment.get("medication")
    if medication not in MEDICATIONS:
        _fail(
            "treatment.medication",
            f"got {medication!r}; must be one of {', '.join(MEDICATIONS)}.",
        )
    treatment_start_h = _hours(treatment.get("start", "0 h"), "treatment.start", "7 d")
    if treatment_start_h >= 24.0 * days:
        _fail(
            "treatment.start",
            f"got {treatment.get('start')!r}; must be before the last day ({days} days).",
        )
    if treatment_start_h % 24.0 > 1e-9:
        _fail(
            "treatment.start",
            f"got {treatment.get('start')!r}; treatment starts on a decision morning: give "
            "whole days (e.g. 7 d).",
        )
    adherence = treatment.get("adherence", "free")
    if adherence not in ADHERENCE:
        _fail("treatment.adherence", f"got {adherence!r}; must be one of {', '.join(ADHERENCE)}.")
    default = MEDICATIONS[medication]
    if default is None:
        for name in ("dose", "every"):
            if name in treatment:
                _fail(
                    f"treatment.{name}",
                    f"got {treatment[name]!r}; {medication} has no drug to dose (give "
                    "oral_naltrexone, xr_naltrexone or buprenorphine).",
                )
        return OpioidUse(
            start_h, days, ward_h, use_day, use_text, medication, None, "",
            treatment_start_h, 24.0, adherence == "supervised",
        )  # fmt: skip
    drug, route, dose_text, every_text = default
    given = treatment.get("dose", dose_text)
    dose = _dose(scenario, drug, given, route, "treatment")
    every_h = _hours(
        treatment.get("every", every_text), "treatment.every", every_text, positive=True
    )
    if route != "im_depot" and abs(every_h - 24.0) > 1e-9:
        _fail(
            "treatment.every",
            f"got {treatment.get('every')!r}; a daily tablet is taken every 24 h (decisions "
            "are daily).",
        )
    if route == "im_depot" and every_h % 24.0 > 1e-9:
        _fail(
            "treatment.every",
            f"got {treatment.get('every')!r}; injections are given on a decision morning: "
            "give whole days (e.g. 28 d).",
        )
    return OpioidUse(
        start_h, days, ward_h, use_day, use_text, medication, dose,
        f"{given} {drug} {route}", treatment_start_h, every_h, adherence == "supervised",
    )  # fmt: skip


def load(raw: Mapping[str, Any]) -> tuple[Scenario, OpioidUse | None]:
    """A scenario mapping with an optional block: the scenario and the parsed block."""
    rest = dict(raw)
    block = rest.pop(BLOCK, None)
    scenario = Scenario.model_validate(rest)
    return scenario, (None if block is None else parse(block, scenario))
