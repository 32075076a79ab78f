"""Benchmark: one subject, warm and from a fresh process (issue 18 item 6).

Issue 18 asks for one 7-day subject in < 20 ms and a 180-day one in < 50 ms once the process
is warm, and < 2 s for a fresh process with a warm code cache. This measures, in one run:

- warm, in the same process after a first call: the wall time of ``simulate`` (the public
  API: scenario validation, model lookup, events, solve, result) for the web page's default
  7-day scenario and the engine benchmark's 180-day scenario (morphine q6h then naltrexone,
  hourly output); the median of ``--rounds`` calls;
- a fresh process (a new interpreter, the code cache already warm from the calls above):
  the wall time from launch to the 7-day result, and its split into imports and the first
  subject; the median of ``--fresh`` launches.

Usage: ./run python benchmarks/bench_startup.py [--rounds 20] [--fresh 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

#: Issue 18's goals (s).
GOALS = {
    "7 d, warm": 0.020,
    "180 d, warm": 0.050,
    "fresh process, warm cache": 2.0,
    "fresh process, warm cache, bytecode kept": 2.0,
}

#: The child reads the scenario from its argument, so that it imports only what a user of
#: ``simulate`` imports (not the web page's modules, where the scenario is defined).
_FRESH = """
import json, sys, time
began = time.perf_counter()
from opioidsim.simulation import simulate
imported = time.perf_counter()
simulate(json.loads(sys.argv[1]))
done = time.perf_counter()
print(json.dumps({"imports": imported - began, "first subject": done - imported}))
"""


def _median_seconds(call, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--fresh", type=int, default=3)
    args = ap.parse_args(argv)

    from bench_population import SCENARIO as SCENARIO_180_D

    from opioidsim.simulation import simulate
    from opioidsim.web.app import DEFAULT_SCENARIO

    results = {}
    for label, scenario in (("7 d, warm", DEFAULT_SCENARIO), ("180 d, warm", SCENARIO_180_D)):
        simulate(scenario)  # compile or load the model, warm the caches
        results[label] = _median_seconds(lambda s=scenario: simulate(s), args.rounds)

    # This machine (and many container images) sets PYTHONDONTWRITEBYTECODE=1, so Python
    # recompiles every module it imports that has no bytecode yet (~1.2 s of sympy, pint,
    # numba and opioidsim sources); ./run installs with compiled bytecode for that reason.
    # The fresh process is timed as the environment is, and, when that forbids writing
    # bytecode, also as Python does by default (after one launch that writes it).
    default_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    variants = [("fresh process, warm cache", None)]
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        variants.append(("fresh process, warm cache, bytecode kept", default_env))
    splits = {}
    for label, env in variants:
        launches = []
        for attempt in range(args.fresh + (env is not None)):
            began = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", _FRESH, json.dumps(DEFAULT_SCENARIO)],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            wall = time.perf_counter() - began
            if env is not None and attempt == 0:
                continue  # the launch that writes the bytecode
            launches.append((wall, json.loads(out.stdout.strip().splitlines()[-1])))
        wall, split = sorted(launches, key=lambda x: x[0])[len(launches) // 2]
        results[label] = wall
        splits[label] = split

    print(f"rounds {args.rounds} (warm), fresh launches {args.fresh}; median wall times")
    for label, seconds in results.items():
        goal = GOALS[label]
        verdict = "meets" if seconds < goal else "misses"
        print(f"  {label}: {1000 * seconds:.1f} ms ({verdict} the goal of {1000 * goal:g} ms)")
    for label, split in splits.items():
        print(
            f"  {label}, split: imports {1000 * split['imports']:.0f} ms, first subject "
            f"{1000 * split['first subject']:.0f} ms, interpreter start and the rest "
            f"{1000 * (results[label] - split['imports'] - split['first subject']):.0f} ms"
        )
    print(f"  PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
