"""What every closed-loop population benchmark reports about its run besides speed: failed
subjects, peak memory of the main process and of its largest worker, the result array's
size, and whether every value is finite."""

from __future__ import annotations

import resource

import numpy as np

from opioidsim.engine.results import SimulationResult
from opioidsim.engine.status import SolveStatus


def run_health(result: SimulationResult) -> dict:
    return {
        "failed_subjects": int(sum(1 for s in result.status if s is not SolveStatus.SUCCESS)),
        "peak_rss_main_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_largest_worker_mb": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        ),
        "result_array_mb": round(result.values.nbytes / 2**20),
        "all_finite": bool(np.isfinite(result.values).all()),
    }
