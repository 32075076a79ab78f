"""Run a scenario: pick the model it needs, turn its doses into events, solve, annotate.

``simulate(scenario)`` is the Python twin of ``opioidsim run``: it accepts a
:class:`~opioidsim.protocols.Scenario`, a dict or a YAML path and returns a
:class:`~opioidsim.engine.results.SimulationResult` whose ``metadata`` holds the scenario,
the model version, the parameter set and the seed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from opioidsim.engine.compile import CompiledModel, compile_model
from opioidsim.engine.events import BOLUS, RATE, EventTable
from opioidsim.engine.results import SimulationResult
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.errors import ConfigError
from opioidsim.io.config import load_scenario
from opioidsim.model.assemble import AssembledModel
from opioidsim.model.default import build_model
from opioidsim.protocols import DoseRecord, Scenario
from opioidsim.protocols.events import EventRecord


def model_version() -> str:
    try:
        return version("opioidsim")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def model_for(scenario: Scenario) -> AssembledModel:
    """The assembled model a scenario needs: its species and the drugs it doses."""
    drugs = sorted({record.drug for record in scenario.dose_records()})
    return build_model(drugs, species=scenario.subject.species, physiology=scenario.physiology)


def subject_parameters(
    model: AssembledModel, scenario: Scenario, overrides: Mapping[str, float] | None = None
) -> np.ndarray:
    """The parameter vector of the scenario's subject (canonical units).

    ``overrides`` maps parameter names (``"morphine.clearance"``,
    ``"mu_receptor.dissociation_constant[naltrexone]"``) to canonical values.
    """
    parameters = model.parameter_values.copy()
    parameters[model.parameter_index("subject.body_weight")] = scenario.subject.body_weight_kg
    parameters[model.parameter_index("subject.female")] = float(scenario.subject.sex == "female")
    for name, value in (overrides or {}).items():
        if name not in model.parameter_names:
            raise ConfigError(
                f"parameters.{name}: not a parameter of this model; see `opioidsim parameters`."
            )
        if not np.isfinite(value):
            raise ConfigError(f"parameters.{name}: got {value}; must be a finite number.")
        parameters[model.parameter_names.index(name)] = value
    return parameters


def build_events(
    compiled: CompiledModel,
    records: list[DoseRecord],
    parameters: np.ndarray,
    subject: int = 0,
    episodes: Sequence[EventRecord] = (),
) -> list[tuple]:
    """Event rows ``(subject, time_h, kind, target, value)`` for one subject's doses and
    non-drug event episodes (each switches its kind's input channel on, then off)."""
    model = compiled.model
    fractions = np.empty(max(len(compiled.route_targets), 1))
    q = np.empty(max(compiled.n_derived, 1))
    compiled.derive(parameters, q)
    compiled.fractions(parameters, q, fractions)
    by_route: dict[tuple[str, str], list[tuple[Any, float]]] = {}
    for k, (key, target) in enumerate(compiled.route_targets):
        by_route.setdefault(key, []).append((target, float(fractions[k])))
    rows: list[tuple] = []
    for record in records:
        key = (record.drug, record.route)
        if key not in by_route:
            raise ConfigError(
                f"doses[{record.source_index}].route: got {record.route!r}; "
                f"{record.drug} has routes "
                f"{', '.join(r for d, r in model.routes if d == record.drug)}."
            )
        for target, fraction in by_route[key]:
            if record.is_infusion:
                if target.infusion_channel is None:
                    raise ConfigError(
                        f"doses[{record.source_index}].route: {record.route} "
                        f"of {record.drug} cannot be infused."
                    )
                rate = record.rate_nmol_per_h * fraction
                rows.append((subject, record.time_h, RATE, target.infusion_channel, rate))
                rows.append((subject, record.end_h, RATE, target.infusion_channel, -rate))
            else:
                rows.append(
                    (
                        subject,
                        record.time_h,
                        BOLUS,
                        target.state_index,
                        record.amount_nmol * fraction,
                    )
                )
    for episode in episodes:
        channel = model.event_channels.get(episode.kind)
        if channel is None:
            raise ConfigError(
                f"events[{episode.source_index}].kind: got {episode.kind!r}; this model has "
                f"the event kinds {', '.join(sorted(model.event_channels)) or 'none'}."
            )
        rows.append((subject, episode.time_h, RATE, channel, episode.intensity))
        rows.append((subject, episode.end_h, RATE, channel, -episode.intensity))
    return rows


def simulate(
    scenario: Scenario | Mapping[str, Any] | str | Path,
    *,
    parameters: Mapping[str, float] | None = None,
    options: SolverOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Simulate one scenario for its subject.

    Parameters
    ----------
    scenario
        A :class:`Scenario`, the same as a dict, or a path to a YAML file.
    parameters
        Optional overrides by parameter name, in canonical units (h, nM, nmol, L, kg).
    options
        Solver tolerances and backend; defaults are rtol 1e-6, atol 1e-9, CVODE.

    Returns
    -------
    SimulationResult
        Observables over the scenario's output grid (time in h); ``.to_pandas()`` gives
        the tidy table.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    model = model_for(scenario)
    compiled = compile_model(model)
    p = subject_parameters(model, scenario, parameters)
    events = EventTable.from_rows(
        build_events(compiled, scenario.dose_records(), p, episodes=scenario.event_records())
    )
    result = solve(
        compiled, p[None, :], events, scenario.output_times_h(), options, progress=progress
    )
    result.metadata = {
        "scenario": scenario.to_dict(),
        "model_version": model_version(),
        "species": model.species,
        "parameters": {n: float(v) for n, v in zip(model.parameter_names, p, strict=True)},
        "parameter_units": dict(zip(model.parameter_names, model.parameter_units, strict=True)),
        "seed": scenario.seed,
        "solver": result.statistics,
    }
    return result
