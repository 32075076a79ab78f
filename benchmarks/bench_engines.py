"""Benchmark: the engine backends against each other and libroadrunner, in the same run.

Scenario, population, tolerances and agreement measure as in bench_population.py (morphine
10 mg IV q6h x 60 d, naltrexone 50 mg/d oral from day 70, 180 d hourly, 10 parameters
log-normal CV 20 %, rtol 1e-6, atol 1e-9). For each population size: subjects/s of each
opioidsim backend (Rosenbrock backends on numba threads, CVODE on worker processes) and of
libroadrunner (worker processes), ratios to libroadrunner, the maximum relative difference
(of each series' maximum) to libroadrunner and to CVODE, and a profile of the batched
backends: steps, rejections, time per subject-step and its split between right-hand side,
Jacobian, LU and the rest, and the achieved FLOP rate against the machine's peak.

``--scenario heroin-year`` runs issue 4's benchmark instead: heroin 20 mg IV once a day for
365 days, hourly output, with neuroadaptation, reward and effects in the model; 10 parameters
vary (PK, binding, adaptation and dopamine), and the agreement also covers the withdrawal
indices, dopamine, tolerance and respiratory outputs (the new modules' SBML export).

Agreement is |difference| / max(series maximum, atol/rtol) (see SCALE_FLOOR); the measure
without the floor is printed too, with the series that sets it.

Fairness: opioidsim and libroadrunner (on the compact SBML export, and on one event per dose
as a second peer row) are timed in --rounds interleaved rounds, opioidsim first in even
rounds and the peers first in odd ones; set-up (numba compile or cache load; SBML load in
every libroadrunner worker) is outside the timing on both sides; the summary gives the
median and range of subjects/s, of the per-round ratios, and CPU seconds per subject.

Usage: ./run bench-engines [--sizes 100,1000] [--large] [--workers 2] [--peer-subjects N]
                           [--scenario foundation|heroin-year] [--rounds 3] [--reference]
                           [--exact-linear-pk]
       (--large adds 10^4 subjects; the peers then run on --peer-subjects of them)
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import bench_population
from bench_population import ATOL, COMPARED_SUFFIXES, RTOL, SCENARIO, population, run_roadrunner

from opioidsim.engine.compile import compile_model
from opioidsim.engine.events import EventTable
from opioidsim.engine.rosenbrock import TABLEAUS, compile_rosenbrock
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.io.config import load_scenario
from opioidsim.io.sbml import export_sbml
from opioidsim.model.assemble import symbol_name
from opioidsim.simulation import build_events, model_for, subject_parameters

BATCHED = ("rodas4", "rodas5p")

#: Issue 4's benchmark: one year of daily heroin use with every adaptation module.
HEROIN_YEAR = {
    "name": "benchmark: heroin 20 mg IV once a day for a year",
    "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
    "duration": "365 d",
    "output_interval": "1 h",
    "doses": [
        {"drug": "heroin", "amount": "20 mg", "route": "iv", "time": "0 h", "every": "24 h",
         "for": "365 d"},
    ],
}  # fmt: skip
HEROIN_VARYING = (
    "heroin.clearance",
    "heroin.volume",
    "morphine.clearance",
    "morphine.central_volume",
    "morphine.effect_site_rate",
    "mu_receptor.dissociation_constant[morphine]",
    "subject.body_weight",
    "endogenous_opioids.beta_endorphin_basal_concentration",
    "neuroadaptation.camp_induction_rate",
    "reward.dopamine_coupling",
)
#: Outputs of the adaptation modules compared with libroadrunner in the heroin-year run.
ADAPTATION_OUTPUTS = (
    "neuroadaptation.somatic_withdrawal_index",
    "neuroadaptation.affective_withdrawal_index",
    "neuroadaptation.tolerance_factor",
    "reward.dopamine_percent_baseline",
    "mu_effects.respiratory_depression",
)
SCENARIOS = {
    "foundation": (SCENARIO, bench_population.VARYING, ()),
    "heroin-year": (HEROIN_YEAR, HEROIN_VARYING, ADAPTATION_OUTPUTS),
}
#: --exact-linear-pk, read by the solve calls (a one-element list: set once by main).
EXACT_LINEAR_PK = [False]
#: Subjects per solve call, so that a large population never holds every observable.
CHUNK = 1000
#: Issue 6's agreement criterion.
AGREEMENT = 1e-3
#: The reference solution of --reference: five decades tighter than the benchmark's own.
REFERENCE_RTOL, REFERENCE_ATOL = 1e-11, 1e-14


def scenario_setup(scenario_dict: dict):
    """(model, compiled model, base parameters, output times, dose records) of a scenario."""
    scenario = load_scenario(scenario_dict)
    model = model_for(scenario)
    compiled = compile_model(model)
    base = subject_parameters(model, scenario)
    return model, compiled, base, scenario.output_times_h(), scenario.dose_records()


def _solve_compared(compiled, params, events_of, t, backend, workers, idx, rtol=None, atol=None):
    """Solve in chunks, keep only the compared observables; return (values, seconds, stats,
    failed, CPU seconds of this process: every thread). Tolerances default to RTOL, ATOL."""
    rtol = RTOL if rtol is None else rtol
    atol = ATOL if atol is None else atol
    out, stats, seconds, failed, cpu = [], {}, 0.0, 0, 0.0
    for start in range(0, len(params), CHUNK):
        sl = slice(start, min(start + CHUNK, len(params)))
        events = events_of(sl)
        began, began_cpu = time.perf_counter(), time.process_time()
        result = solve(
            compiled,
            params[sl],
            events,
            t,
            SolverOptions(
                rtol=rtol,
                atol=atol,
                backend=backend,
                workers=workers,
                linear_closed_form=EXACT_LINEAR_PK[0],
            ),
            throw=False,
        )
        seconds += time.perf_counter() - began
        cpu += time.process_time() - began_cpu
        values = result.values[:, idx, :].transpose(0, 2, 1).copy()
        values[~result.succeeded] = np.nan
        failed += int((~result.succeeded).sum())
        out.append(values)
        for key, value in result.statistics.items():
            if isinstance(value, int) and key.endswith(("steps", "calls", "jacobians")):
                stats[key] = stats.get(key, 0) + value
        del result
    return np.concatenate(out), seconds, stats, failed, cpu


#: Below |y| = ATOL / RTOL the solvers' error control is absolute (atol), not relative: a
#: series whose sampled maximum is smaller (e.g. heroin's occupancy an hour after a dose,
#: 1e-11 in some subjects) is compared against this floor instead of its own maximum.
SCALE_FLOOR = ATOL / RTOL


def _difference(a: np.ndarray, b: np.ndarray, floor: float = 1e-30) -> float:
    """Max over subjects (both finished), times and series of |a-b| / max(max_t |b|, floor)."""
    both = ~np.isnan(a).any(axis=(1, 2)) & ~np.isnan(b).any(axis=(1, 2))
    if not both.any():
        return float("nan")
    scale = np.maximum(np.abs(b[both]).max(axis=1, keepdims=True), floor)
    return float((np.abs(a[both] - b[both]) / scale).max())


def _agreement(a: np.ndarray, b: np.ndarray, names: list[str], peer: str) -> str:
    """Agreement text: the floored measure (verdict), the raw one and its worst series."""
    floored, raw = _difference(a, b, SCALE_FLOOR), _difference(a, b)
    verdict = "ok" if floored <= AGREEMENT else "ABOVE 1e-3"
    text = f"max rel diff vs {peer} {floored:.2e} [{verdict}]"
    if raw > floored:

        def series(k: int) -> float:
            return _difference(a[..., k : k + 1], b[..., k : k + 1])

        worst = max(range(len(names)), key=series)
        text += f" (without the {SCALE_FLOOR:g} floor {raw:.2e}, in {names[worst]})"
    return text


# --- processes for a batched backend (to compare with its threads) ----------------------------
_PROC: dict = {}


def _proc_run(args):
    sl, backend = args
    compiled, params, events_of, t = _PROC["data"]
    result = solve(
        compiled,
        params[sl],
        events_of(sl),
        t,
        SolverOptions(rtol=RTOL, atol=ATOL, backend=backend, workers=1),
        throw=False,
    )
    return result.values[:, _PROC["idx"], :].transpose(0, 2, 1).copy()


def _solve_processes(compiled, params, events_of, t, backend, workers, idx):
    _PROC.update(data=(compiled, params, events_of, t), idx=idx)
    bounds = np.linspace(0, len(params), workers * 4 + 1).astype(int)
    tasks = [(slice(a, b), backend) for a, b in itertools.pairwise(bounds) if b > a]
    ctx = multiprocessing.get_context("fork")
    began = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        parts = list(pool.map(_proc_run, tasks))
    return np.concatenate(parts), time.perf_counter() - began


# --- profile --------------------------------------------------------------------------------
def _count_flops(source: str, function: str) -> int:
    """Arithmetic operators and math calls in one generated function's body (an estimate)."""
    # The last definition wins (the kernel template's stubs come first).
    bodies = re.findall(rf"def {function}\(.*?\n(.*?)(?:\n\n|\Z)", source, re.S)
    body = bodies[-1] if bodies else ""
    body = re.sub(r"\[[^\]]*\]", "", body)  # indices are not arithmetic
    ops = len(re.findall(r"(?<![=<>!*])[-+*/](?![=*])", body)) + len(re.findall(r"\*\*", body))
    return ops + 10 * len(re.findall(r"math\.\w+\(", body))  # ~10 flops per exp/log/pow


def _component_ns(built, compiled, p, y) -> dict[str, float]:
    """ns per call of rhs, jac, lu_factor and lu_solve, timed in compiled loops."""
    import numba

    m = built.module
    rhs, jac, lu_factor, lu_solve = m.rhs, m.jac, m.lu_factor, m.lu_solve
    q = np.zeros(max(compiled.n_derived, 1))
    compiled.derive(p, q)
    u = np.zeros(max(compiled.n_inputs, 1))
    n_lu = len(built.lu.positions)

    @numba.njit
    def loop(kind, count, y, p, q, u):
        n = y.shape[0]
        dy = np.empty(n)
        J = np.zeros((n, n))
        a = np.empty(n_lu)
        b = np.ones(n)
        jac(0.0, y, p, q, u, J)
        lu_factor(J, 1e3, a)
        acc = 0.0
        for i in range(count):
            y[0] += 1e-15
            if kind == 0:
                rhs(0.0, y, p, q, u, dy)
                acc += dy[0]
            elif kind == 1:
                jac(0.0, y, p, q, u, J)
                acc += J[0, 0]
            elif kind == 2:
                lu_factor(J, 1e3 + i * 1e-9, a)
                acc += a[0]
            else:
                b[0] += 1.0
                lu_solve(a, b)
                acc += b[0]
        return acc

    out = {}
    for kind, name in enumerate(("rhs", "jac", "lu_factor", "lu_solve")):
        loop(kind, 10, y.copy(), p, q, u)
        count = 200_000
        began = time.perf_counter()
        loop(kind, count, y.copy(), p, q, u)
        out[name] = (time.perf_counter() - began) / count * 1e9
    return out


def _peak_gflops() -> tuple[float, float, int]:
    """(scalar, AVX-512) double-precision peak in GFLOP/s of the cores, and the core count.

    Per core and cycle: 2 FMA ports x 2 flops (scalar) or x 8 lanes (AVX-512).
    """
    mhz = 0.0
    try:
        text = Path("/proc/cpuinfo").read_text()
        mhz = max(float(v) for v in re.findall(r"cpu MHz\s*:\s*([\d.]+)", text))
    except (OSError, ValueError):
        pass
    cores = os.cpu_count() or 1
    ghz = (mhz or 2000.0) / 1000.0
    return cores * ghz * 4, cores * ghz * 32, cores


def _profile(name, compiled, built, stats, n, seconds, threads, p, y) -> None:
    steps = stats.get("accepted_steps", 0) + stats.get("rejected_steps", 0)
    s = len(built.tableau.A)
    ns = _component_ns(built, compiled, p, y)
    per_step = {
        "rhs": s * ns["rhs"],  # s - 1 stages + f at the step start
        "jacobian": ns["jac"],
        "lu_factor": ns["lu_factor"],
        "lu_solve": s * ns["lu_solve"],
    }
    us_step = seconds * threads / max(steps, 1) * 1e6
    print(
        f"  profile {name}: {stats.get('accepted_steps', 0) / n:,.0f} accepted + "
        f"{stats.get('rejected_steps', 0) / n:,.0f} rejected steps/subject, "
        f"{stats.get('rhs_calls', 0) / n:,.0f} RHS calls/subject; "
        f"{us_step:.2f} us per subject-step per thread"
    )
    parts = ", ".join(
        f"{k} {v / 1e3:.3f} us ({v / 1e3 / us_step:.0%})" for k, v in per_step.items()
    )
    rest = us_step - sum(per_step.values()) / 1e3
    print(f"    per step: {parts}, rest (stage sums, error norm, control, output) {rest:.3f} us")
    source = built.source_path.read_text()
    flops = {
        "rhs": s * _count_flops(source, "rhs"),
        "jac": _count_flops(source, "jac"),
        "lu": built.lu.factor_flops + s * built.lu.solve_flops,
        "stages": 2 * compiled.n_states * sum(1 for row in built.tableau.A for v in row if v)
        + 2 * compiled.n_states * sum(1 for row in built.tableau.C for v in row if v),
    }
    total = sum(flops.values())
    achieved = total * steps / seconds / 1e9
    scalar, vector, cores = _peak_gflops()
    print(
        f"    ~{total} flops/step ({', '.join(f'{k} {v}' for k, v in flops.items())}): "
        f"{achieved:.2f} GFLOP/s achieved; peak of {cores} cores ~{scalar:.0f} GFLOP/s "
        f"scalar, ~{vector:.0f} with AVX-512 ({achieved / scalar:.0%} / {achieved / vector:.1%})"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    ap.add_argument("--sizes", default="100,1000")
    ap.add_argument("--large", action="store_true", help="add 10^4 subjects")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--peer-subjects", type=int, default=None)
    ap.add_argument(
        "--backends", default="rodas4,rodas5p,cvode", help="opioidsim backends to time"
    )
    ap.add_argument("--no-processes", action="store_true", help="skip rodas4 on processes")
    ap.add_argument("--scenario", choices=sorted(SCENARIOS), default="foundation")
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="timed rounds per engine, interleaved (opioidsim first in even rounds, the "
        "peers first in odd ones); medians and ranges are reported",
    )
    ap.add_argument(
        "--reference",
        action="store_true",
        help="also solve the peer subjects with rodas5p at rtol 1e-11, atol 1e-14 and give "
        "each engine's error against that reference (accuracy at the shared tolerances)",
    )
    ap.add_argument(
        "--exact-linear-pk",
        action="store_true",
        help="Rosenbrock backends solve the linear PK in closed form "
        "(SolverOptions.linear_closed_form; issue 18 item 4)",
    )
    args = ap.parse_args(argv)
    EXACT_LINEAR_PK[0] = args.exact_linear_pk
    scenario_dict, varying_names, extra_outputs = SCENARIOS[args.scenario]
    sizes = [int(v) for v in args.sizes.split(",")] + ([10_000] if args.large else [])
    backends = args.backends.split(",")

    model, compiled, base, t, records = scenario_setup(scenario_dict)
    compared = [
        n
        for n in model.observable_names
        if n.endswith(COMPARED_SUFFIXES)
        or n.startswith("mu_receptor.occupancy[")
        or n in extra_outputs
    ]
    idx = [model.observable_names.index(c) for c in compared]
    selections = [symbol_name(n) for n in compared]
    base_events = EventTable.from_rows(build_events(compiled, records, base))
    # The peer runs the compact export (one self-rescheduling event per repeated dose, as
    # `opioidsim export-sbml` writes it) and, as a second row, one event per dose.
    peer_models = {
        "libroadrunner": export_sbml(model, base, base_events),
        "libroadrunner, per-dose events": export_sbml(
            model, base, base_events, compact_events=False
        ),
    }
    varying = [model.parameter_names.index(n) for n in varying_names]
    ids = [symbol_name("p." + model.parameter_names[j]) for j in varying]
    param_states = [i for i, j in enumerate(model.state_initial_parameter) if j is not None]
    state_ids = [symbol_name(model.state_names[i]) for i in param_states]
    print(
        f"model: {model.n_states} states, {len(compiled.jacobian_pattern)} Jacobian non-zeros, "
        f"{len(t)} output times; cpus={os.cpu_count()}, workers={args.workers}"
    )
    built = {
        b: compile_rosenbrock(compiled, TABLEAUS[b], EXACT_LINEAR_PK[0])
        for b in backends
        if b in BATCHED
    }
    for name, b in built.items():
        print(f"  {name}: sparse LU {len(b.lu.positions)} entries, {b.lu.n_fill} fill-in")

    for n in sizes:
        params = population(model, base, n, varying_names)

        def events_of(sl, params=params):
            return EventTable.from_rows(
                [
                    (s - sl.start, *r[1:])
                    for s in range(sl.start, sl.stop)
                    for r in build_events(compiled, records, params[s])
                ]
            )

        n_peer = n if args.peer_subjects is None else min(n, args.peer_subjects)
        days = t[-1] / 24
        print(f"\n{n} subjects x {days:.0f} d (CVODE and libroadrunner on {n_peer}):")
        results, rates = {}, {}
        if "rodas4" in backends and not args.no_processes and n >= args.workers:
            values, seconds = _solve_processes(
                compiled, params, events_of, t, "rodas4", args.workers, idx
            )
            print(
                f"  rodas4 ({args.workers} processes): {seconds:8.2f} s {n / seconds:9.2f} subj/s"
            )
        for backend in backends:
            # Warm-up: numba compile or cache load, outside the timing (libroadrunner's
            # SBML load is outside its timing too).
            solve(
                compiled,
                params[:2],
                events_of(slice(0, 2)),
                t[:25],
                SolverOptions(
                    rtol=RTOL,
                    atol=ATOL,
                    backend=backend,
                    workers=args.workers,
                    linear_closed_form=EXACT_LINEAR_PK[0],
                ),
            )
        peer_workers = min(args.workers, n_peer)
        engines = [*backends, *peer_models]
        rates = {name: [] for name in engines}
        cpu_per_subject = {name: [] for name in engines}
        peers: dict[str, np.ndarray] = {}

        for round_ in range(args.rounds):
            parts = ("opioidsim", "peers") if round_ % 2 == 0 else ("peers", "opioidsim")
            for part in parts:
                if part == "opioidsim":
                    for backend in backends:
                        count = n if backend in BATCHED else n_peer
                        values, seconds, stats, failed, cpu = _solve_compared(
                            compiled, params[:count], events_of, t, backend, args.workers, idx
                        )
                        results[backend] = values
                        rates[backend].append(count / seconds)
                        cpu_per_subject[backend].append(cpu / count)
                        kind = "threads" if backend in BATCHED else "processes"
                        print(
                            f"  round {round_ + 1} {backend} ({args.workers} {kind}): "
                            f"{seconds:8.2f} s {count / seconds:9.2f} subj/s, "
                            f"{cpu / count:.4f} CPU-s/subject, failed {failed}"
                        )
                        if backend in BATCHED and round_ == 0:
                            y0 = model.initial_states(params[:1])[0]
                            _profile(backend, compiled, built[backend], stats, count, seconds,
                                     args.workers, params[0], y0)  # fmt: skip
                else:
                    for peer_name, xml in peer_models.items():
                        peer_cpu: list[float] = []
                        peer, peer_s = run_roadrunner(
                            xml,
                            ids,
                            selections,
                            state_ids,
                            params[:n_peer][:, varying],
                            model.initial_states(params[:n_peer])[:, param_states],
                            t,
                            peer_workers,
                            cpu=peer_cpu,
                        )
                        peers[peer_name] = peer
                        rates[peer_name].append(n_peer / peer_s)
                        cpu_per_subject[peer_name].append(peer_cpu[0] / n_peer)
                        print(
                            f"  round {round_ + 1} {peer_name} ({peer_workers} processes, "
                            f"{xml.count('<event ')} SBML events): {peer_s:8.2f} s "
                            f"{n_peer / peer_s:9.2f} subj/s, "
                            f"{peer_cpu[0] / n_peer:.4f} CPU-s/subject, "
                            f"failed {int(np.isnan(peer).any(axis=(1, 2)).sum())}"
                        )

        def spread(values: list[float]) -> str:
            return f"{np.median(values):.3g} [{min(values):.3g}-{max(values):.3g}]"

        print(f"  summary over {args.rounds} interleaved round(s): median [min-max]")
        for name in engines:
            print(
                f"    {name}: {spread(rates[name])} subj/s, "
                f"{np.median(cpu_per_subject[name]):.4f} CPU-s/subject"
            )
        for backend, values in results.items():
            ratios = {
                peer_name: [a / b for a, b in zip(rates[backend], rates[peer_name], strict=True)]
                for peer_name in peer_models
            }
            line = (
                f"  {backend}: {spread(ratios['libroadrunner'])}x libroadrunner (compact "
                f"events), {spread(ratios['libroadrunner, per-dose events'])}x on per-dose "
                "events; "
                + _agreement(values[:n_peer], peers["libroadrunner"], compared, "libroadrunner")
            )
            if backend != "cvode" and "cvode" in results:
                line += "; " + _agreement(values[:n_peer], results["cvode"], compared, "cvode")
            print(line)
        if args.reference:
            # Equal tolerances need not mean equal accuracy: each engine's error against a
            # tight reference says whether the ratio compares like with like.
            reference, *_ = _solve_compared(
                compiled, params[:n_peer], events_of, t, "rodas5p", args.workers, idx,
                rtol=REFERENCE_RTOL, atol=REFERENCE_ATOL,
            )  # fmt: skip
            errors = {name: results[name][:n_peer] for name in results}
            errors.update(peers)
            for name, values in errors.items():
                error = _difference(values, reference, SCALE_FLOOR)
                print(
                    f"  error vs reference (rodas5p, rtol {REFERENCE_RTOL:g}, atol "
                    f"{REFERENCE_ATOL:g}) of {name}: {error:.2e}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
