"""Benchmark: exact linear PK (issue 18 item 4) against integrating every state.

The same subjects and tolerances as bench_engines.py (rtol 1e-6, atol 1e-9), rodas5p with
``SolverOptions(linear_closed_form=True)`` and ``False``, timed in interleaved rounds in one
process (CPU seconds per subject), with their steps and each one's error against a rodas5p
reference at rtol 1e-11 (floored as in bench_engines.py).

Usage: ./run python benchmarks/bench_linear_pk.py [--scenario heroin-year|foundation]
                                                 [--subjects 3] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from bench_engines import (
    REFERENCE_ATOL,
    REFERENCE_RTOL,
    SCALE_FLOOR,
    SCENARIOS,
    _difference,
    scenario_setup,
)
from bench_population import ATOL, RTOL, population

from opioidsim.engine.events import EventTable
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.simulation import build_events


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenario", choices=sorted(SCENARIOS), default="heroin-year")
    ap.add_argument("--subjects", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    scenario_dict, varying, _ = SCENARIOS[args.scenario]
    model, compiled, base, t, records = scenario_setup(scenario_dict)
    n = args.subjects
    params = population(model, base, n, varying)
    events = EventTable.from_rows(
        [(s, *r[1:]) for s in range(n) for r in build_events(compiled, records, params[s])]
    )
    names = [model.state_names[i] for i in compiled.linear_states]
    print(f"{args.scenario}: {model.n_states} states, {len(names)} in closed form: {names}")
    variants = {
        "integrated": SolverOptions(rtol=RTOL, atol=ATOL, linear_closed_form=False),
        "closed form": SolverOptions(rtol=RTOL, atol=ATOL, linear_closed_form=True),
    }
    for options in variants.values():  # compile or load outside the timing
        solve(compiled, params[:1], events.for_subject(0), t[:3], options)
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    results = {}
    for round_ in range(args.rounds):
        order = list(variants) if round_ % 2 == 0 else list(reversed(variants))
        for name in order:
            began = time.process_time()
            results[name] = solve(compiled, params, events, t, variants[name])
            cpu[name].append((time.process_time() - began) / n)
    reference = solve(
        compiled,
        params,
        events,
        t,
        SolverOptions(rtol=REFERENCE_RTOL, atol=REFERENCE_ATOL, linear_closed_form=False),
    )
    for name, result in results.items():
        stats = result.statistics
        error = _difference(
            result.values.transpose(0, 2, 1), reference.values.transpose(0, 2, 1), SCALE_FLOOR
        )
        print(
            f"  {name:12s} {statistics.median(cpu[name]):.4f} "
            f"[{min(cpu[name]):.4f}-{max(cpu[name]):.4f}] CPU-s/subject; "
            f"{stats['accepted_steps'] // n:,} accepted + {stats['rejected_steps'] // n:,} "
            f"rejected steps/subject; error vs reference {error:.2g}"
        )
    ratio = statistics.median(cpu["integrated"]) / statistics.median(cpu["closed form"])
    print(f"  closed form speed-up: {ratio:.2f}x (median CPU time)")
    return 0 if np.isfinite(ratio) else 1


if __name__ == "__main__":
    raise SystemExit(main())
