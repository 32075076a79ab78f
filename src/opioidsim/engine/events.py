"""The event table: everything that happens at a point in time, per subject.

Two kinds of event, enough for drugs and for the non-drug events later issues add (a stress
episode or a social contact is a rate switched on and off; an antibiotic course is a rate or
a bolus):

- ``BOLUS``: ``state[target] += value`` at ``time`` (a dose; the state jumps exactly then);
- ``RATE``: ``input[target] += value`` from ``time`` on (an infusion starts with +rate and
  stops with -rate at its end).

Events at the same time are applied together, before the output at that time is recorded;
events at t = 0 apply to the initial state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BOLUS = 0
RATE = 1


@dataclass(frozen=True)
class EventTable:
    """Columns of equal length, sorted by (subject, time)."""

    subject: np.ndarray
    time: np.ndarray
    kind: np.ndarray
    target: np.ndarray
    value: np.ndarray
    label: tuple[str, ...] = ()

    @staticmethod
    def empty() -> EventTable:
        z = np.zeros(0)
        return EventTable(z.astype(int), z, z.astype(int), z.astype(int), z)

    @staticmethod
    def from_rows(rows: list[tuple[int, float, int, int, float]]) -> EventTable:
        """Build from ``(subject, time_h, kind, target, value)`` rows."""
        if not rows:
            return EventTable.empty()
        rows = sorted(rows, key=lambda r: (r[0], r[1]))
        s, t, k, g, v = (np.array(c) for c in zip(*rows, strict=True))
        return EventTable(
            s.astype(np.int64),
            t.astype(float),
            k.astype(np.int64),
            g.astype(np.int64),
            v.astype(float),
        )

    def __len__(self) -> int:
        return len(self.time)

    def for_subject(self, subject: int) -> EventTable:
        mask = self.subject == subject
        return EventTable(
            self.subject[mask],
            self.time[mask],
            self.kind[mask],
            self.target[mask],
            self.value[mask],
        )

    def split_by_subject(self, n_subjects: int) -> list[EventTable]:
        order = np.argsort(self.subject, kind="stable")
        bounds = np.searchsorted(self.subject[order], np.arange(n_subjects + 1))
        out = []
        for s in range(n_subjects):
            idx = order[bounds[s] : bounds[s + 1]]
            out.append(
                EventTable(
                    self.subject[idx],
                    self.time[idx],
                    self.kind[idx],
                    self.target[idx],
                    self.value[idx],
                )
            )
        return out
