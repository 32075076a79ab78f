"""Protocols: scenarios (subject, run, dosing) and the dose records they give the engine."""

from opioidsim.protocols.doses import DoseRecord
from opioidsim.protocols.scenario import (
    Dose,
    Scenario,
    Subject,
    config_error_from,
    format_quantity,
    read_yaml,
)

__all__ = [
    "Dose",
    "DoseRecord",
    "Scenario",
    "Subject",
    "config_error_from",
    "format_quantity",
    "read_yaml",
]
