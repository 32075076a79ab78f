"""Published data sets used by experiments: ``validation/data/<name>/{data.csv,meta.yaml}``.

Each data set has a role: ``calibration`` (used to fit a parameter, so it is not evidence
that the model works) or ``validation`` (never used to fit anything). The role lives in
``meta.yaml`` with the source, DOI/PMID, species, confidence and column descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from opioidsim.errors import DataError

DATA_ROOT = Path(__file__).resolve().parents[1] / "validation" / "data"
ROLES = ("calibration", "validation")
REQUIRED_META = ("title", "role", "source", "identifier", "species", "confidence", "columns")


@dataclass(frozen=True)
class Dataset:
    """A published data set and its metadata."""

    name: str
    role: str
    title: str
    source: str
    identifier: str
    species: str
    confidence: str
    meta: dict[str, Any]
    path: Path

    def frame(self):
        """The data as a pandas DataFrame."""
        import pandas as pd

        return pd.read_csv(self.path / "data.csv", comment="#")

    def rows(self) -> list[dict[str, Any]]:
        return self.frame().to_dict(orient="records")


def dataset_names() -> list[str]:
    """Every data set shipped with opioidsim."""
    if not DATA_ROOT.exists():
        return []
    return sorted(p.name for p in DATA_ROOT.iterdir() if (p / "meta.yaml").exists())


@cache
def load_dataset(name: str) -> Dataset:
    """Load one data set by name; refuse incomplete metadata or an unknown role."""
    path = DATA_ROOT / name
    if not (path / "meta.yaml").exists():
        known = ", ".join(dataset_names())
        raise DataError(f"dataset: got {name!r}; no such data set. Known: {known}.")
    meta = yaml.safe_load((path / "meta.yaml").read_text()) or {}
    missing = [k for k in REQUIRED_META if k not in meta]
    if missing:
        raise DataError(f"{name}/meta.yaml: missing {', '.join(missing)}.")
    if meta["role"] not in ROLES:
        raise DataError(f"{name}/meta.yaml: role {meta['role']!r}; valid: {', '.join(ROLES)}.")
    if not (path / "data.csv").exists():
        raise DataError(f"{name}: data.csv is missing.")
    return Dataset(
        name=name,
        role=meta["role"],
        title=meta["title"],
        source=meta["source"],
        identifier=str(meta["identifier"]),
        species=meta["species"],
        confidence=meta["confidence"],
        meta=meta,
        path=path,
    )
