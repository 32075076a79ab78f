"""Intravenous self-administration as a scenario block (issue 15, first slice).

A scenario with a ``self_administration`` block runs a trained animal that can take the
drug: during each session, each decision step, it may complete the response ratio and
receive one infusion (``opioidsim.model.drug_taking`` decides; the simulation feeds what it
takes back into the same engine run). Example::

    self_administration:
      drug: heroin
      dose: 0.06 mg/kg           # per infusion, IV
      fixed_ratio: 1             # responses per infusion (FR1)
      time_out: 20 s             # no infusion for this long after one
      sessions: {start: 9 h, duration: 1 h, every: 24 h, count: 14}

``progressive_ratio: {limit: 1 h}`` replaces the fixed ratio: the ratio for the k-th
infusion of a session is Richardson & Roberts's exponential series (1996, J Neurosci Methods
66:1, DOI 10.1016/0165-0270(95)00153-0), round(5 exp(0.2 k) - 5) for k = 1, 2, ...: 1, 2,
4, 6, 9, 12, 15, 20, 25, 32, ...; an animal that completes no ratio for ``limit`` stops for
the rest of the session, and the last ratio it completed is its breakpoint.

``trained: false`` starts drug-naive animals (acquisition: their drug memory and the cue's
value start at 0, so they respond at the resting rate until an infusion acts). Each series
of sessions may also say ``reinforced: false`` (extinction: responses deliver
nothing) and ``cue: true`` or ``false`` (whether the drug-paired cue, a light and tone, is
on; by default it is on exactly when the drug is available). A cue test after extinction is
``{reinforced: false, cue: true}``. Non-contingent primes, antagonists and stressors before
or during a session are ordinary ``doses:`` and ``events:`` of the scenario (e.g. a
``footshock`` event in the first 10 min of a test session).

Errors name the field (``self_administration.sessions.duration``), the bad value and what
would be valid, as for the rest of a scenario.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from opioidsim.errors import ConfigError
from opioidsim.protocols.block_fields import BlockFields
from opioidsim.protocols.scenario import Scenario

BLOCK = "self_administration"
_FIELDS = (
    "drug", "dose", "fixed_ratio", "progressive_ratio", "time_out", "sessions", "trained",
)  # fmt: skip
_PROGRESSIVE_FIELDS = ("limit",)
_SESSION_FIELDS = ("start", "duration", "every", "count", "reinforced", "cue")
MAX_FIXED_RATIO = 1000


def progressive_ratio(k: int | np.ndarray) -> np.ndarray:
    """The ratio for the k-th infusion of a session (k = 1, 2, ...): Richardson & Roberts's
    exponential series, round(5 exp(0.2 k) - 5)."""
    return np.round(5.0 * np.exp(0.2 * np.asarray(k, dtype=float)) - 5.0).astype(int)


@dataclass(frozen=True)
class Session:
    start_h: float
    end_h: float
    #: Whether a completed ratio delivers the drug (False: an extinction session).
    reinforced: bool = True
    #: Whether the drug-paired cue is on during the session.
    cue: bool = True


@dataclass(frozen=True)
class SelfAdministration:
    """A validated block: the drug, one infusion's amount in nmol, the schedule, sessions."""

    drug: str
    dose_text: str
    infusion_nmol: float
    fixed_ratio: int
    time_out_h: float
    sessions: tuple[Session, ...]
    #: Whether the animals start trained (drug memory 1) or naive (0: acquisition).
    trained: bool = True
    #: Progressive ratio: hours without a completed ratio that end a subject's session
    #: (None: the fixed ratio).
    progressive_limit_h: float | None = None

    def to_dict(self) -> dict:
        """The block as plain data (metadata, manifests)."""
        return {
            "drug": self.drug,
            "dose": self.dose_text,
            "fixed_ratio": self.fixed_ratio,
            "progressive_ratio_limit_h": self.progressive_limit_h,
            "time_out_h": self.time_out_h,
            "trained": self.trained,
            "sessions": [
                {"start_h": s.start_h, "end_h": s.end_h, "reinforced": s.reinforced, "cue": s.cue}
                for s in self.sessions
            ],
        }


_CHECK = BlockFields(BLOCK)
_fail = _CHECK.fail
_whole = _CHECK.whole
_flag = _CHECK.flag


def _hours(value: Any, field: str, example: str, *, positive: bool = True) -> float:
    return _CHECK.hours(value, field, example, positive=positive)


def _unknown(block: Mapping, fields: tuple[str, ...], where: str) -> None:
    for key in block:
        if key not in fields:
            _fail(
                f"{where}{key}" if isinstance(key, str) else where.rstrip("."),
                f"got an unknown field; {where.rstrip('.') or BLOCK} has the fields "
                f"{', '.join(fields)}.",
            )


def parse(block: Any, scenario: Scenario) -> SelfAdministration:
    """Check a ``self_administration`` block against its scenario (one-line errors)."""
    if not isinstance(block, Mapping):
        raise ConfigError(
            f"{BLOCK}: got {block!r}; must be a mapping (e.g. {{drug: heroin, dose: 0.06 "
            "mg/kg, sessions: {start: 9 h, duration: 1 h, every: 24 h, count: 14}})."
        )
    _unknown(block, _FIELDS, "")
    for required in ("drug", "dose", "sessions"):
        if required not in block:
            _fail(required, "got nothing; required (e.g. drug: heroin, dose: 0.06 mg/kg).")
    drug, dose = block["drug"], block["dose"]
    if not isinstance(drug, str):
        _fail("drug", f"got {drug!r}; give the drug's name (e.g. heroin).")
    # One infusion is an IV dose: the scenario's own checks apply, re-addressed here.
    record = _CHECK.dose_record(
        scenario,
        {"drug": drug, "amount": dose, "route": "iv", "time": "0 h"},
        names={"amount": "dose", "route": "drug"},
    )
    fixed_ratio = _whole(block.get("fixed_ratio", 1), "fixed_ratio", 1, MAX_FIXED_RATIO, "1")
    progressive_limit_h = None
    if "progressive_ratio" in block:
        if "fixed_ratio" in block:
            _fail(
                "progressive_ratio",
                "got both fixed_ratio and progressive_ratio; give one schedule.",
            )
        progressive = block["progressive_ratio"]
        if not isinstance(progressive, Mapping):
            _fail("progressive_ratio", f"got {progressive!r}; give {{limit: 1 h}}.")
        _unknown(progressive, _PROGRESSIVE_FIELDS, "progressive_ratio.")
        progressive_limit_h = _hours(
            progressive.get("limit", "1 h"), "progressive_ratio.limit", "1 h"
        )
    time_out_h = _hours(block.get("time_out", "20 s"), "time_out", "20 s", positive=False)
    trained = _flag(block.get("trained", True), "trained")

    given = block["sessions"]
    series = [given] if isinstance(given, Mapping) else given
    if not isinstance(series, list | tuple) or not series:
        _fail(
            "sessions",
            f"got {given!r}; give {{start: 9 h, duration: 1 h, every: 24 h, count: 14}} or a "
            "list of such series (e.g. training, then long access).",
        )
    sessions: list[Session] = []
    for number, entry in enumerate(series):
        where = "sessions" if isinstance(given, Mapping) else f"sessions[{number}]"
        sessions += _series(entry, where, scenario.duration_h)
    sessions.sort(key=lambda session: session.start_h)
    for earlier, later in itertools.pairwise(sessions):
        if later.start_h < earlier.end_h - 1e-9:
            _fail(
                "sessions",
                f"got a session from {later.start_h:g} h while another runs until "
                f"{earlier.end_h:g} h; sessions must not overlap.",
            )
    return SelfAdministration(
        drug=drug,
        dose_text=str(dose),
        infusion_nmol=float(record.amount_nmol),
        fixed_ratio=fixed_ratio,
        time_out_h=time_out_h,
        sessions=tuple(sessions),
        trained=trained,
        progressive_limit_h=progressive_limit_h,
    )


def _series(entry: Any, where: str, end_h: float) -> list[Session]:
    """One series of daily sessions ``{start, duration, every, count}``."""
    if not isinstance(entry, Mapping):
        _fail(where, f"got {entry!r}; give {{start: 9 h, duration: 1 h, every: 24 h, count: 14}}.")
    _unknown(entry, _SESSION_FIELDS, f"{where}.")
    start = _hours(entry.get("start", "0 h"), f"{where}.start", "9 h", positive=False)
    duration = _hours(entry.get("duration"), f"{where}.duration", "1 h")
    count = _whole(entry.get("count", 1), f"{where}.count", 1, 10_000, "14")
    every = _hours(entry.get("every", "24 h"), f"{where}.every", "24 h")
    if count > 1 and every < duration:
        _fail(
            f"{where}.every",
            f"got {entry.get('every')!r}; sessions of {entry.get('duration')!r} would "
            "overlap; every must be >= duration.",
        )
    last_end = start + (count - 1) * every + duration
    if last_end > end_h + 1e-9:
        fit = max(0, int((end_h - start - duration) // every) + 1)
        _fail(
            f"{where}.count",
            f"got {count}; the last session would end at {last_end:g} h, after the run ends "
            f"at {end_h:g} h; at most {fit} sessions fit.",
        )
    reinforced = _flag(entry.get("reinforced", True), f"{where}.reinforced")
    cue = _flag(entry.get("cue", reinforced), f"{where}.cue")
    return [
        Session(start + k * every, start + k * every + duration, reinforced, cue)
        for k in range(count)
    ]


def load(raw: Mapping[str, Any]) -> tuple[Scenario, SelfAdministration | None]:
    """A scenario mapping with an optional block: the scenario and the parsed block."""
    rest = dict(raw)
    block = rest.pop(BLOCK, None)
    scenario = Scenario.model_validate(rest)
    return scenario, (None if block is None else parse(block, scenario))
