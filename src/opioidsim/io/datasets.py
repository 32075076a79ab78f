"""Published data sets used by experiments: ``validation/data/<name>/{data.csv,meta.yaml}``.

Each data set has a role: ``calibration`` (used to fit a parameter, so it is not evidence
that the model works) or ``validation`` (never used to fit anything). The role lives in
``meta.yaml`` with the source, DOI/PMID, species, confidence and column descriptions.

``cites`` lists the short keys of every study whose numbers the data set holds: an author-year
key ("Di Chiara & Imperato 1988", "Heishman 1990") and, for a study without a DOI or PMID, a
journal volume:page key ("Pharmacology 45:319"). ``tests/validation/test_no_leaks.py`` looks
for these keys, and the identifier, in the provenance of every model parameter: a validation
data set must not be where a parameter came from.

Optional fields: ``kind`` is ``data`` (the default: measurements) or ``model`` (another
model's prediction; its checks are model-to-model comparisons, shown but not counted as
validation); ``role_changed`` says when and why a data set's role was changed (e.g. from
validation to calibration when a parameter was found to come from it), so that summaries can
show the totals with and without such changes.
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
KINDS = ("data", "model")
REQUIRED_META = (
    "title",
    "role",
    "source",
    "identifier",
    "cites",
    "species",
    "confidence",
    "columns",
)


@dataclass(frozen=True)
class Dataset:
    """A published data set and its metadata."""

    name: str
    role: str
    title: str
    source: str
    identifier: str
    cites: tuple[str, ...]
    species: str
    confidence: str
    meta: dict[str, Any]
    path: Path
    kind: str = "data"
    role_changed: str | None = None

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
    meta = yaml.safe_load((path / "meta.yaml").read_text(encoding="utf-8")) or {}
    missing = [k for k in REQUIRED_META if k not in meta]
    if missing:
        raise DataError(f"{name}/meta.yaml: missing {', '.join(missing)}.")
    if meta["role"] not in ROLES:
        raise DataError(f"{name}/meta.yaml: role {meta['role']!r}; valid: {', '.join(ROLES)}.")
    cites = meta["cites"]
    if (
        not isinstance(cites, list)
        or not cites
        or not all(isinstance(c, str) and c.strip() for c in cites)
    ):
        raise DataError(
            f"{name}/meta.yaml: cites {cites!r}; expected a non-empty list of short keys of the "
            'studies whose numbers the data set holds, e.g. ["Di Chiara & Imperato 1988"].'
        )
    kind = meta.get("kind", "data")
    if kind not in KINDS:
        raise DataError(f"{name}/meta.yaml: kind {kind!r}; valid: {', '.join(KINDS)}.")
    if not (path / "data.csv").exists():
        raise DataError(f"{name}: data.csv is missing.")
    return Dataset(
        name=name,
        role=meta["role"],
        title=meta["title"],
        source=meta["source"],
        identifier=str(meta["identifier"]),
        cites=tuple(cites),
        species=meta["species"],
        confidence=meta["confidence"],
        meta=meta,
        path=path,
        kind=kind,
        role_changed=meta.get("role_changed"),
    )
