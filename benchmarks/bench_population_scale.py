"""Benchmark: populations at scale — throughput vs libroadrunner, peak memory, Dask scaling.

Scenario and peer are those of ``bench_population.py`` (its helpers are reused, not copied):
a human on morphine 10 mg IV every 6 h for 60 days, then naltrexone 50 mg orally every 24 h
from day 70 to day 180; hourly output over 180 days; 10 parameters log-normal, CV 20 %.
Here the subjects come from a :class:`~opioidsim.population.PopulationSpec` (seed 1) and run
through the real population pipeline (``simulate_population``: chunks, Parquet on disk), so
the numbers include sampling, events and writing, not only the solver.

Measured, each in the same run so that the ratios compare like with like:

1. throughput (subjects/s) for each ``--sizes`` value, with the engine's default backend and
   ``--workers`` processes; libroadrunner (2 processes) on the first ``--peer-subjects`` of
   the same population; the ratio;
2. peak memory of the largest size (``--memory-subjects``, default the largest of
   ``--sizes``) in a fresh process: ``ru_maxrss`` of the main process and of its largest
   worker; their sum bounds the total (must stay under 4 GB);
3. Dask: ``--dask-subjects`` on a single process, then on warm local clusters of 1 and 2
   workers (started and warmed before timing, as a long-running cluster would be);
   scaling efficiency = (time with 1 worker / time with 2) / 2.

Defaults are the issue's sizes (10^3, 10^4, 10^5 subjects x 180 days), which take hours with
a CVODE backend on 2 cores; check the script first with small sizes, e.g.

    ./run python benchmarks/bench_population_scale.py --sizes 50 100 --peer-subjects 20 \\
        --dask-subjects 40 --memory-subjects 100
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_population as base_bench

from opioidsim.engine.compile import compile_model
from opioidsim.engine.events import EventTable
from opioidsim.engine.solve import SolverOptions
from opioidsim.io.config import load_scenario
from opioidsim.io.sbml import export_sbml
from opioidsim.model.assemble import symbol_name
from opioidsim.population import PopulationSpec, sample_covariates, sample_parameters
from opioidsim.simulation import build_events, model_for, subject_parameters
from opioidsim.simulation.population import DaskSettings, simulate_population

#: Written per subject: enough to be a real output, small enough not to time Parquet alone.
OBSERVABLES = ["morphine.plasma_concentration", "mu_receptor.drug_occupancy"]
MEMORY_LIMIT_GB = 4.0


def population_spec(size: int) -> PopulationSpec:
    """The benchmark's population: bench_population's varying parameters, CV 20 %."""
    model = model_for(load_scenario(base_bench.SCENARIO))
    varying = [n for n in base_bench.VARYING if n in model.parameter_names]
    return PopulationSpec.model_validate(
        {
            "size": size,
            "seed": base_bench.SEED,
            "variability": [{"parameter": n, "cv": base_bench.CV} for n in varying],
        }
    )


def run_population(n: int, chunk_size: int, workers: int, dask: DaskSettings | None = None):
    with tempfile.TemporaryDirectory(prefix="bench-pop-") as out:
        started = time.perf_counter()
        run = simulate_population(
            base_bench.SCENARIO,
            population_spec(n),
            out,
            chunk_size=chunk_size,
            workers=workers,
            observables=OBSERVABLES,
            options=SolverOptions(rtol=base_bench.RTOL, atol=base_bench.ATOL),
            dask=dask,
        )
        return time.perf_counter() - started, run


def peer_rate(n_peer: int, workers: int) -> float:
    """libroadrunner subjects/s on the population's first ``n_peer`` subjects."""
    scenario = load_scenario(base_bench.SCENARIO)
    model = model_for(scenario)
    compiled = compile_model(model)
    base = subject_parameters(model, scenario)
    spec = population_spec(n_peer)
    ids = np.arange(n_peer)
    covariates = sample_covariates(
        spec, ids, species="human", sex="male", body_weight_kg=scenario.subject.body_weight_kg
    )
    params = sample_parameters(model, base, spec, ids, covariates)
    t = scenario.output_times_h()
    rows = build_events(compiled, scenario.dose_records(), base)
    xml = export_sbml(model, base, EventTable.from_rows(rows))
    varying = [
        model.parameter_names.index(n) for n in base_bench.VARYING if n in model.parameter_names
    ]
    ids_sbml = [symbol_name("p." + model.parameter_names[j]) for j in varying]
    param_states = [i for i, j in enumerate(model.state_initial_parameter) if j is not None]
    state_ids = [symbol_name(model.state_names[i]) for i in param_states]
    selections = [symbol_name(n) for n in OBSERVABLES]
    _, seconds = base_bench.run_roadrunner(
        xml,
        ids_sbml,
        selections,
        state_ids,
        params[:, varying],
        model.initial_states(params)[:, param_states],
        t,
        min(workers, n_peer),
    )
    return n_peer / seconds


def memory_child(n: int, chunk_size: int, workers: int) -> None:
    """Run in a fresh process: simulate n subjects, print peak RSS (kB on Linux) as JSON."""
    seconds, _ = run_population(n, chunk_size, workers)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "main_kb": own, "largest_worker_kb": children}))


def _warm_worker(scenario: dict, spec: dict) -> None:
    """Run on every Dask worker before timing: compile (or load) the model there."""
    import tempfile

    from opioidsim.simulation.population import simulate_population

    with tempfile.TemporaryDirectory() as out:
        simulate_population(scenario, spec, out, chunk_size=1, observables=OBSERVABLES)


def dask_scaling(n: int, chunk_size: int) -> dict[str, float]:
    """Seconds for n subjects: one process, and warm local Dask clusters of 1 and 2 workers.

    Each task solves its chunk with one engine worker, as does the single-process run."""
    from distributed import Client, LocalCluster

    out: dict[str, float] = {}
    run_population(1, 1, 1)  # compile here first, outside the timing
    out["single"] = run_population(n, chunk_size, 1)[0]
    for workers in (1, 2):
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,  # pyright: ignore[reportArgumentType]
            ) as cluster,
            Client(cluster) as client,
        ):
            # Every worker compiles the model before the timing starts.
            client.run(_warm_worker, base_bench.SCENARIO, population_spec(1).to_dict())
            settings = DaskSettings(scheduler=cluster.scheduler_address)
            out[f"dask_{workers}"] = run_population(n, chunk_size, 1, settings)[0]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk-size", type=int, default=250)
    ap.add_argument("--peer-subjects", type=int, default=500)
    ap.add_argument("--peer-workers", type=int, default=2)
    ap.add_argument("--memory-subjects", type=int, default=None)
    ap.add_argument("--dask-subjects", type=int, default=1_000)
    ap.add_argument("--skip", nargs="*", default=[], choices=["peer", "memory", "dask"])
    ap.add_argument("--memory-child", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.memory_child is not None:
        memory_child(args.memory_child, args.chunk_size, args.workers)
        return 0

    backend = SolverOptions().backend
    print(
        f"cpus={os.cpu_count()}, backend={backend}, workers={args.workers}, "
        f"chunk={args.chunk_size}; 180 d, hourly output"
    )
    run_population(1, 1, 1)  # compile once, outside the timings

    peer = None
    if "peer" not in args.skip:
        n_peer = min(args.peer_subjects, max(args.sizes))
        peer = peer_rate(n_peer, args.peer_workers)
        print(
            f"libroadrunner ({args.peer_workers} proc) on {n_peer} subjects: "
            f"{peer:8.2f} subjects/s"
        )
    for n in args.sizes:
        seconds, _ = run_population(n, args.chunk_size, args.workers)
        rate = n / seconds
        ratio = f", ratio vs libroadrunner {rate / peer:5.2f}" if peer else ""
        print(f"{n:>7} subjects: {seconds:9.1f} s, {rate:8.2f} subjects/s{ratio}")

    if "memory" not in args.skip:
        n = args.memory_subjects or max(args.sizes)
        result = subprocess.run(
            [
                sys.executable,
                __file__,
                "--memory-child",
                str(n),
                "--workers",
                str(args.workers),
                "--chunk-size",
                str(args.chunk_size),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        peak = json.loads(result.stdout.strip().splitlines()[-1])
        main_gb, worker_gb = peak["main_kb"] / 1e6, peak["largest_worker_kb"] / 1e6
        bound = main_gb + args.workers * worker_gb
        print(
            f"peak memory, {n} subjects: main {main_gb:.2f} GB, largest worker "
            f"{worker_gb:.2f} GB, bound main + {args.workers} workers {bound:.2f} GB "
            f"[{'ok' if bound < MEMORY_LIMIT_GB else 'ABOVE'} {MEMORY_LIMIT_GB:g} GB]"
        )

    if "dask" not in args.skip:
        times = dask_scaling(args.dask_subjects, args.chunk_size)
        efficiency = times["dask_1"] / times["dask_2"] / 2
        print(
            f"dask, {args.dask_subjects} subjects: single process {times['single']:.1f} s, "
            f"1 worker {times['dask_1']:.1f} s, 2 workers {times['dask_2']:.1f} s; "
            f"scaling efficiency {efficiency:.0%} [{'ok' if efficiency >= 0.8 else 'below'} "
            "80 %]"
        )
    print("GPU: no GPU backend in opioidsim yet; not measured.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
