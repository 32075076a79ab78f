"""opioidsim: a mechanistic, multi-scale simulator of the brain's opioid system in addiction.

Public API (imported lazily, so ``import opioidsim`` is fast)::

    opioidsim.simulate(scenario) -> SimulationResult
    opioidsim.load_scenario(path_or_dict) -> Scenario
    opioidsim.run_experiment(name, out_dir) -> ExperimentOutcome
    opioidsim.build_model(drugs, species) -> AssembledModel
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "simulate": "opioidsim.simulation",
    "load_scenario": "opioidsim.io.config",
    "Scenario": "opioidsim.protocols",
    "run_experiment": "opioidsim.experiments",
    "build_model": "opioidsim.model.default",
    "SolverOptions": "opioidsim.engine.solve",
    "SimulationResult": "opioidsim.engine.results",
    "write_result": "opioidsim.io.results",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'opioidsim' has no attribute {name!r}")
