"""Scenario -> model -> events -> engine -> result: the one-call simulation API."""

from opioidsim.simulation.run import (
    build_events,
    model_for,
    simulate,
    subject_parameters,
)

__all__ = ["build_events", "model_for", "simulate", "subject_parameters"]
