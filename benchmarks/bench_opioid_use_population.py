"""Benchmark: people deciding each day — a virtual trial arm in memory, 24 weeks.

Protocol: 60 days of daily heroin (3 x 25 mg IV, shared history: integrated once and copied),
14 opioid-free days, then 168 days of decisions on extended-release naltrexone 380 mg every
28 days (``simulate_opioid_use_population``: chunks over worker processes; each person
decides from their own seeded stream and what they take is fed back into the same engine
run). Output every 24 h.

Reported: wall time, people/s, person-days/s, use days per person (mean), retention, failed
subjects, and the peak resident memory of the main process and of its largest worker
(``ru_maxrss``) against the populations issue's bar (4 GB). No peer: libroadrunner has no
decision process.

    ./run python benchmarks/bench_opioid_use_population.py --people 1000 --workers 2

The result is kept in memory (every observable, daily), ~0.27 MB per person: for 10^4
people use the chunk writer, ``opioidsim population benchmarks/opioid_use_population_10k.yaml``
(benchmarks/RESULTS.md, session 25).
"""

from __future__ import annotations

import argparse
import json
import time

from _report import run_health

from opioidsim.experiments.phenomena.ntx_relapse import HISTORY, USE_DAY
from opioidsim.protocols.opioid_use import load
from opioidsim.simulation.opioid_use import simulate_opioid_use_population


def scenario(days: int, medication: str) -> dict:
    return {
        "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
        "duration": f"{74 + days} d",
        "output_interval": "24 h",
        "seed": 1,
        "doses": [HISTORY],
        "opioid_use": {
            "start": "74 d",
            "days": days,
            "use": USE_DAY,
            "treatment": {"medication": medication},
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=168)
    parser.add_argument("--medication", default="xr_naltrexone")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=1_000)
    args = parser.parse_args()

    spec, block = load(scenario(args.days, args.medication))
    # Warm the compiled kernels (a fresh process with a warm disk cache) before timing.
    simulate_opioid_use_population(spec, block, subjects=2)
    start = time.perf_counter()
    run = simulate_opioid_use_population(
        spec, block, subjects=args.people, workers=args.workers, chunk_size=args.chunk_size
    )
    wall = time.perf_counter() - start
    report = {
        "people": args.people,
        "days": args.days,
        "medication": args.medication,
        "workers": args.workers,
        "chunk_size": args.chunk_size,
        "wall_s": round(wall, 1),
        "people_per_s": round(args.people / wall, 2),
        "person_days_per_s": round(args.people * args.days / wall),
        "use_days_per_person_mean": round(float(run.used.sum(axis=1).mean()), 1),
        "retained_to_the_end": round(float((run.left_day < 0).mean()), 3),
        **run_health(run.result),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
