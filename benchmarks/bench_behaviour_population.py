"""Benchmark: a population with behaviour — 10^4 rats self-administering heroin.

Protocol: heroin 0.1 mg/kg per infusion, FR1, 20-s time-out, one 1-h session a day for
``--days`` days (default 7); every subject decides each minute of a session from its own
seeded stream, and what it takes is fed back into the same engine run
(``simulate_self_administration_population``: chunks over worker processes). Output every
24 h, so that the result array stays small.

Reported: wall time, subjects/s, infusions per subject-session (mean), and the peak resident
memory of the main process and of its largest worker (``ru_maxrss``), against the
populations issue's bar (4 GB). No peer: libroadrunner has no closed-loop decision process,
so there is nothing to time it on.

    ./run python benchmarks/bench_behaviour_population.py --subjects 10000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import time

from _report import run_health

from opioidsim.protocols.self_administration import load
from opioidsim.simulation.self_administration import simulate_self_administration_population


def scenario(days: int) -> dict:
    return {
        "subject": {"species": "rat", "sex": "male", "body_weight": "0.35 kg"},
        "duration": f"{24 * days} h",
        "output_interval": "24 h",
        "seed": 1,
        "doses": [],
        "self_administration": {
            "drug": "heroin",
            "dose": "0.1 mg/kg",
            "fixed_ratio": 1,
            "time_out": "20 s",
            "sessions": {"start": "9 h", "duration": "1 h", "count": days},
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=2_500)
    args = parser.parse_args()

    spec, block = load(scenario(args.days))
    # Warm the compiled kernels (a fresh process with a warm disk cache) before timing.
    simulate_self_administration_population(spec, block, subjects=2)
    start = time.perf_counter()
    run = simulate_self_administration_population(
        spec, block, subjects=args.subjects, workers=args.workers, chunk_size=args.chunk_size
    )
    wall = time.perf_counter() - start
    counts = run.infusions_per_session()
    report = {
        "subjects": args.subjects,
        "days": args.days,
        "workers": args.workers,
        "chunk_size": args.chunk_size,
        "wall_s": round(wall, 1),
        "subjects_per_s": round(args.subjects / wall, 1),
        "infusions_per_session_mean": round(float(counts.mean()), 2),
        "infusions_per_session_sd": round(float(counts.std()), 2),
        **run_health(run.result),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
