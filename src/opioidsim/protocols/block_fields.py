"""Field checks shared by the scenario's paradigm blocks (self-administration, human opioid
use): times, whole numbers and flags, each refused in one line that names the block's field,
the value and what would be valid."""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, NoReturn

from pydantic_core import PydanticCustomError

from opioidsim.errors import ConfigError
from opioidsim.protocols.scenario import _TIME, _parse_quantity


@dataclass(frozen=True)
class BlockFields:
    """The checks of one block, its errors prefixed with the block's name."""

    block: str

    def fail(self, field: str, message: str) -> NoReturn:
        raise ConfigError(f"{self.block}.{field}: {message}")

    def hours(self, value: Any, field: str, example: str, *, positive: bool) -> float:
        """A time in hours, read by the scenario's own quantity parser (the same text guard,
        units and messages as every other time of a scenario)."""
        try:
            quantity = _parse_quantity(value, _TIME, "a time", example)
        except PydanticCustomError as exc:
            self.fail(field, str((exc.context or {})["detail"]))
        hours = float(quantity.to("h").magnitude)
        if hours < 0 or (positive and hours <= 0):
            bound = "> 0" if positive else ">= 0"
            self.fail(field, f"got {value!r}; must be {bound} (e.g. {example}).")
        return hours

    def whole(self, value: Any, field: str, minimum: int, maximum: int, example: str) -> int:
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Integral)
            or not minimum <= value <= maximum
        ):
            self.fail(
                field,
                f"got {value!r}; must be a whole number from {minimum} to {maximum} "
                f"(e.g. {example}).",
            )
        return int(value)

    def flag(self, value: Any, field: str) -> bool:
        if not isinstance(value, bool):
            self.fail(field, f"got {value!r}; must be true or false.")
        return value
