"""Field checks shared by the scenario's paradigm blocks (self-administration, human opioid
use): times, whole numbers and flags, each refused in one line that names the block's field,
the value and what would be valid."""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, NoReturn

from pydantic_core import PydanticCustomError

from opioidsim.errors import ConfigError
from opioidsim.protocols.doses import DoseRecord
from opioidsim.protocols.scenario import _TIME, Scenario, _parse_quantity


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

    def dose_record(
        self,
        scenario: Scenario,
        dose: dict,
        where: str = "",
        names: dict[str, str] | None = None,
    ) -> DoseRecord:
        """One dose of the block checked by the scenario's own rules (drug, species, route,
        unit, ceiling), as an ordinary scenario dose; an error about its ``drug``, ``amount``
        or ``route`` is re-addressed to ``<block>.<where><name>`` (``names`` renames a field,
        e.g. amount -> dose)."""
        probe = scenario.to_dict()
        probe["doses"] = [dict(dose)]
        probe.pop("events", None)
        try:
            (record,) = Scenario.model_validate(probe).dose_records()
        except ConfigError as exc:
            message = str(exc)
            for field in ("drug", "amount", "route"):
                prefix = f"doses[0].{field}: "
                if message.startswith(prefix):
                    name = (names or {}).get(field, field)
                    self.fail(f"{where}{name}", message[len(prefix) :])
            raise
        return record
