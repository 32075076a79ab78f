"""The result of a simulation: observables over time for a batch of subjects."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from opioidsim.engine.status import SolveStatus
from opioidsim.units import parse_unit

#: Dimensions that cannot be negative: amounts, masses and their concentrations (also gas
#: tensions). The solver keeps them >= 0 only to within its absolute tolerance.
_NONNEGATIVE = ("[substance]", "[mass]", "[gas_tension]", "[biological_activity]")


def nonnegative_observables(units: list[str]) -> np.ndarray:
    """Which observables are amounts, masses, concentrations or gas tensions (boolean mask)."""
    return np.array(_nonnegative_mask(tuple(units)), dtype=bool)


@lru_cache(maxsize=32)
def _nonnegative_mask(units: tuple[str, ...]) -> tuple[bool, ...]:
    """The mask for one model's units, parsed once (closed-loop runs solve one short segment
    per decision step, and parsing ~100 units with pint each time took a quarter of it)."""
    mask = []
    for unit in units:
        try:
            dims = dict(parse_unit(unit).dimensionality)
        except Exception:  # an unparseable unit: leave the values as they are
            mask.append(False)
            continue
        physical = [d for d in dims if d in _NONNEGATIVE]
        others = {d: e for d, e in dims.items() if d not in _NONNEGATIVE}
        mask.append(
            len(physical) == 1 and dims[physical[0]] == 1 and others in ({}, {"[length]": -3})
        )
    return tuple(mask)


def clamp_round_off(names: list[str], units: list[str], values: np.ndarray) -> float:
    """Set negative amounts and concentrations (solver round-off within atol) to 0, in place.

    Returns the most negative value clamped (0.0 if none), which the result's statistics keep
    so that a real sign error would still show.
    """
    mask = nonnegative_observables(units)
    if not mask.any():
        return 0.0
    physical = values[:, mask, :]
    lowest = float(np.nanmin(physical, initial=0.0))
    if lowest < 0:
        values[:, mask, :] = np.where(physical < 0, 0.0, physical)
    return min(lowest, 0.0)


@dataclass
class SimulationResult:
    """Observables (subjects x observables x times) with names, units and status.

    Failed subjects keep the values they reached (NaN after the failure); ``status`` says
    which finished.
    """

    time: np.ndarray  # h
    names: list[str]
    units: list[str]
    values: np.ndarray  # (subjects, observables, times)
    status: list[SolveStatus]
    messages: list[str]
    subject_ids: np.ndarray
    metadata: dict[str, Any] = field(default_factory=dict)
    statistics: dict[str, Any] = field(default_factory=dict)

    @property
    def n_subjects(self) -> int:
        return self.values.shape[0]

    @property
    def succeeded(self) -> np.ndarray:
        return np.array([s is SolveStatus.SUCCESS for s in self.status])

    def __getitem__(self, name: str) -> np.ndarray:
        """One observable: shape (times,) for one subject, (subjects, times) otherwise."""
        try:
            k = self.names.index(name)
        except ValueError:
            close = [n for n in self.names if name.split("[")[0] in n][:8]
            hint = f" Similar: {', '.join(close)}." if close else ""
            raise KeyError(f"observable {name!r} is not in this result.{hint}") from None
        series = self.values[:, k, :]
        return series[0] if self.n_subjects == 1 else series

    def unit(self, name: str) -> str:
        return self.units[self.names.index(name)]

    def select_subjects(self, mask: np.ndarray) -> SimulationResult:
        keep = np.flatnonzero(mask)
        return SimulationResult(
            self.time,
            self.names,
            self.units,
            self.values[keep],
            [self.status[i] for i in keep],
            [self.messages[i] for i in keep],
            self.subject_ids[keep],
            dict(self.metadata),
            dict(self.statistics),
        )

    def to_pandas(self, observables: list[str] | None = None):
        """Tidy table: subject, time_h, observable, value, unit."""
        import pandas as pd

        names = observables or self.names
        idx = [self.names.index(n) for n in names]
        n_s, n_t = self.n_subjects, len(self.time)
        frames = []
        for k, name in zip(idx, names, strict=True):
            frames.append(
                pd.DataFrame(
                    {
                        "subject": np.repeat(self.subject_ids, n_t),
                        "time_h": np.tile(self.time, n_s),
                        "observable": name,
                        "value": self.values[:, k, :].ravel(),
                        "unit": self.units[k],
                    }
                )
            )
        table = pd.concat(frames, ignore_index=True)
        table["observable"] = table["observable"].astype("category")
        table["unit"] = table["unit"].astype("category")
        return table

    def to_wide(self, subject: int = 0, observables: list[str] | None = None):
        """One subject as a wide table: time_h then one column per observable."""
        import pandas as pd

        names = observables or self.names
        data = {"time_h": self.time}
        for n in names:
            data[n] = self.values[subject, self.names.index(n), :]
        return pd.DataFrame(data)
