"""Event records: the non-drug events of a scenario (stress episodes...), in canonical floats.

A scenario's ``events`` list names an event kind declared by a model module
(:class:`opioidsim.model.declare.EventKind`; ``opioidsim.model.catalog.event_catalog`` lists
them), a start, a duration and an intensity. :meth:`Scenario.event_records` expands repeats
into one :class:`EventRecord` per episode; the simulation turns each into two rate events on
the kind's input channel (on at the start, off at the end).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class EventRecord:
    """One episode of one non-drug event.

    Attributes
    ----------
    kind : str
        Event kind (``"stress"``).
    time_h : float
        Start, h after the start of the run.
    duration_h : float
        Duration, h (> 0).
    intensity : float
        Value the kind's input takes during the episode (its meaning is the kind's).
    source_index : int
        Index of the entry in the scenario's ``events`` list this record comes from.
    """

    kind: str
    time_h: float
    duration_h: float
    intensity: float
    source_index: int

    @property
    def end_h(self) -> float:
        """End of the episode, h."""
        return self.time_h + self.duration_h
