"""The exceptions opioidsim raises.

Every message has one shape (STYLE.md section 7): **where** (field path): **what was given**;
**what is valid**. **How to fix**, when known. Each class also inherits a builtin, so callers
may catch either ``OpioidsimError`` or ``ValueError``/``RuntimeError``.
"""

from __future__ import annotations


class OpioidsimError(Exception):
    """Base class of every error opioidsim raises on purpose."""


class ConfigError(OpioidsimError, ValueError):
    """A scenario, protocol or option is invalid (bad field, value, unit, route...)."""


class UnitError(OpioidsimError, ValueError):
    """A quantity has the wrong dimension or an unknown unit."""


class ModelError(OpioidsimError, ValueError):
    """A model definition is inconsistent: unbalanced units, missing provenance, bad wiring."""


class DataError(OpioidsimError, ValueError):
    """A data set is missing, malformed, or used in a role it does not have."""


class OutputError(OpioidsimError, OSError):
    """An output cannot be written: a read-only folder, a full disk, no permission.

    Files already finished (a population's chunks, earlier experiment tables) stay as they
    are; nothing half-written is left under its final name.
    """


class SolverError(OpioidsimError, RuntimeError):
    """The integrator failed for at least one subject.

    ``partial`` holds the result of the subjects that finished, when there is one.
    """

    def __init__(self, message: str, partial: object | None = None) -> None:
        super().__init__(message)
        self.partial = partial


class NumericalError(SolverError):
    """A state became non-finite or left its bounds."""
