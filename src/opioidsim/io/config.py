"""Configuration files: a scenario YAML file (or the same as a mapping) to a Scenario.

The schema and its validation live in :mod:`opioidsim.protocols.scenario`, one layer down,
so that :meth:`Scenario.from_yaml` works without this module; this is the entry point the
CLI and :func:`opioidsim.simulation.simulate` use, and it accepts every form a scenario
comes in.
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from opioidsim.errors import ConfigError
from opioidsim.model.catalog import DrugInfo
from opioidsim.protocols.scenario import Scenario


def load_scenario(
    source: str | PathLike[str] | Mapping[str, Any] | Scenario,
    *,
    catalog: Mapping[str, DrugInfo] | None = None,
) -> Scenario:
    """Load and validate a scenario.

    Parameters
    ----------
    source : str, os.PathLike, Mapping or Scenario
        A path to a YAML file, the scenario as a mapping (what the YAML holds), or a
        scenario (returned as is, or validated again when ``catalog`` is given).
    catalog : Mapping of str to DrugInfo, optional
        Drug catalog to check drugs, routes and species against; by default the default
        model's (:func:`opioidsim.model.catalog.drug_catalog`).

    Returns
    -------
    Scenario

    Raises
    ------
    ConfigError
        One line: ``<field path>: got <value>; <what is valid>.`` for an invalid scenario,
        ``<file>, line <n>: got invalid YAML (...)`` for a file YAML cannot read, or
        ``<file>: got a path that does not exist; ...``.
    """
    context = {"catalog": catalog} if catalog is not None else None
    if isinstance(source, Scenario):
        if catalog is None:
            return source
        return Scenario.model_validate(source.to_dict(), context=context)
    if isinstance(source, str | PathLike):
        return Scenario.from_yaml(Path(source), catalog=catalog)
    if isinstance(source, Mapping):
        return Scenario.model_validate(source, context=context)
    shown = repr(source)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    raise ConfigError(
        f"scenario: got {shown}; give a path to a YAML file, a mapping or a Scenario."
    )
