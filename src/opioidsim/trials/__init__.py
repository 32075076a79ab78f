"""In-silico trials: designs (crossover, parallel, dose-ranging), endpoints, statistics, power."""

from opioidsim.trials.design import (
    Analysis,
    Arm,
    Design,
    Endpoint,
    Noise,
    Power,
    TrialSpec,
    load_trial,
)
from opioidsim.trials.run import TrialRun, run_trial
from opioidsim.trials.statistics import analyse, power_curve, sample_size_for

__all__ = [
    "Analysis",
    "Arm",
    "Design",
    "Endpoint",
    "Noise",
    "Power",
    "TrialRun",
    "TrialSpec",
    "analyse",
    "load_trial",
    "power_curve",
    "run_trial",
    "sample_size_for",
]
