"""Benchmark: opioidsim vs libroadrunner on the foundation issue's population scenario.

Scenario: a human on morphine 10 mg IV every 6 h for 60 days, then naltrexone 50 mg (HCl)
orally every 24 h from day 70 to day 180; hourly output over 180 days. Populations: 1 subject
and N subjects (default 1000) with 10 parameters varying 20 % (log-normal, CV 20 %, seed 1).

Peer: libroadrunner (CVODE) running the SBML that opioidsim exports for the same scenario,
with each subject's parameters set before its run, spread over 2 processes (libroadrunner's
``simulate`` holds the GIL). Both use rtol 1e-6 and a uniform absolute tolerance 1e-9 (per-
state default absolute tolerances make libroadrunner fail just after naltrexone doses).

Agreement: for every subject, maximum relative difference over hourly outputs of plasma
concentrations and mu occupancies, relative to each series' maximum (so values near 0 do not
inflate it). Reported, with subjects/s for each engine and the ratio.

Usage: ./run bench [--subjects 1000] [--workers 2] [--peer-subjects N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from opioidsim.engine.compile import compile_model
from opioidsim.engine.events import EventTable
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.io.config import load_scenario
from opioidsim.io.sbml import export_sbml
from opioidsim.model.assemble import symbol_name
from opioidsim.simulation import build_events, model_for, subject_parameters

RTOL = 1e-6
ATOL = 1e-9
CV = 0.20
SEED = 1
VARYING = (
    "morphine.clearance",
    "morphine.central_volume",
    "morphine.effect_site_rate",
    "naltrexone.clearance",
    "naltrexone.volume",
    "naltrexone.effect_site_rate",
    "mu_receptor.dissociation_constant[morphine]",
    "mu_receptor.dissociation_constant[naltrexone]",
    "subject.body_weight",
    "endogenous_opioids.beta_endorphin_basal_concentration",
)
COMPARED_SUFFIXES = ("plasma_concentration",)
SCENARIO = {
    "name": "benchmark: morphine q6h x 60 d, then naltrexone 50 mg/d from day 70",
    "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
    "duration": "180 d",
    "output_interval": "1 h",
    "doses": [
        {
            "drug": "morphine",
            "amount": "10 mg",
            "route": "iv",
            "time": "0 h",
            "every": "6 h",
            "for": "60 d",
        },
        {
            "drug": "naltrexone",
            "amount": "50 mg",
            "route": "oral",
            "time": "70 d",
            "every": "24 h",
            "for": "110 d",
        },
    ],
}


def population(model, base: np.ndarray, n: int, varying=VARYING) -> np.ndarray:
    """n subjects; the ``varying`` parameters log-normal with CV 20 % around base."""
    rng = np.random.default_rng(SEED)
    sigma = np.sqrt(np.log(1 + CV**2))
    p = np.tile(base, (n, 1))
    for name in varying:
        if name not in model.parameter_names:
            continue
        j = model.parameter_names.index(name)
        p[:, j] = base[j] * np.exp(rng.normal(-(sigma**2) / 2, sigma, n))
    return p


# --- libroadrunner worker -----------------------------------------------------------------
_RR: dict = {}


def _rr_init(xml: str, ids: list[str], selections: list[str], state_ids: list[str]) -> None:
    import roadrunner

    rr = roadrunner.RoadRunner(xml)
    # Counters of the compact export's periodic dose events: global parameters, which
    # reset() keeps; each subject starts them at 0.
    counters = [p for p in rr.model.getGlobalParameterIds() if re.fullmatch(r"event_\d+_fired", p)]
    integrator = rr.integrator
    integrator.relative_tolerance = RTOL
    # A scalar atol is scaled per state by libroadrunner; a vector keeps it uniform.
    integrator.absolute_tolerance = [ATOL] * rr.model.getNumRateRules()
    integrator.variable_step_size = False
    integrator.maximum_num_steps = 100000
    _RR.update(
        rr=rr, ids=ids, selections=["time", *selections], state_ids=state_ids, counters=counters
    )


def _rr_run(args) -> tuple[np.ndarray, float]:
    """Simulate a block of subjects; return their values and this process's CPU seconds."""
    rows, initial, t_end, n_points = args
    rr, ids, selections, state_ids = _RR["rr"], _RR["ids"], _RR["selections"], _RR["state_ids"]
    out = []
    n_selected = len(selections) - 1
    cpu = time.process_time()
    for row, y0 in zip(rows, initial, strict=True):
        # Counters first: reset() applies t = 0 dose events, which must see a 0 counter.
        for counter in _RR["counters"]:
            rr.setValue(counter, 0.0)
        # setValue, not init(): setting init() values regenerates the model (~0.7 s each).
        rr.reset()
        for pid, value in zip(ids, row, strict=True):
            rr.setValue(pid, float(value))
        for sid, value in zip(state_ids, y0, strict=True):
            rr.setValue(sid, float(value))
        try:
            # Selections passed each time: setting init() values resets them.
            out.append(np.asarray(rr.simulate(0.0, t_end, n_points, selections))[:, 1:])
        except RuntimeError:  # CVODE gave up on this subject: count it, keep going
            out.append(np.full((n_points, n_selected), np.nan))
    return np.stack(out), time.process_time() - cpu


def _rr_ready(_: int) -> int:
    """Keeps a worker busy briefly so that every worker of the pool starts (and loads the
    model in its initializer) before the timing."""
    time.sleep(0.2)
    return os.getpid()


def run_roadrunner(xml, ids, selections, state_ids, params, initial, t, workers, cpu=None):
    """Each subject: its parameters (``ids`` columns) and initial states, then simulate.

    Set-up (loading the SBML, in every worker) is outside the timing, as opioidsim's compile
    or cache load is. Returns (values, wall seconds); ``cpu``, a list, receives the CPU
    seconds spent simulating.
    """
    index = np.array_split(np.arange(len(params)), max(1, workers * 4))
    if workers == 1:  # in-process
        _rr_init(xml, ids, selections, state_ids)
        start = time.perf_counter()
        out, seconds = _rr_run((params, initial, float(t[-1]), len(t)))
        wall = time.perf_counter() - start
        if cpu is not None:
            cpu.append(seconds)
        return out, wall
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_rr_init, initargs=(xml, ids, selections, state_ids)
    ) as pool:
        list(pool.map(_rr_ready, range(workers)))
        start = time.perf_counter()
        parts = list(
            pool.map(
                _rr_run, [(params[i], initial[i], float(t[-1]), len(t)) for i in index if len(i)]
            )
        )
        wall = time.perf_counter() - start
    if cpu is not None:
        cpu.append(sum(seconds for _, seconds in parts))
    return np.concatenate([values for values, _ in parts]), wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    ap.add_argument("--subjects", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--peer-subjects",
        type=int,
        default=None,
        help="time libroadrunner on this many of the subjects (default: all)",
    )
    args = ap.parse_args(argv)

    scenario = load_scenario(SCENARIO)
    model = model_for(scenario)
    compiled = compile_model(model)
    base = subject_parameters(model, scenario)
    t = scenario.output_times_h()
    rows = build_events(compiled, scenario.dose_records(), base)
    print(
        f"model: {model.n_states} states, {model.n_parameters} parameters, "
        f"{len(rows)} dose events, {len(t)} output times; cpus={os.cpu_count()}"
    )

    compared = [
        n
        for n in model.observable_names
        if n.endswith(COMPARED_SUFFIXES) or n.startswith("mu_receptor.occupancy[")
    ]
    selections = [symbol_name(n) for n in compared]
    xml = export_sbml(model, base, EventTable.from_rows(rows))
    varying = [model.parameter_names.index(n) for n in VARYING if n in model.parameter_names]
    ids = [symbol_name("p." + model.parameter_names[j]) for j in varying]
    # Only parameter-valued initial states need setting (the peptides); dose targets must not
    # be touched after reset(), which may already have applied a t = 0 dose event.
    param_states = [i for i, j in enumerate(model.state_initial_parameter) if j is not None]
    state_ids = [symbol_name(model.state_names[i]) for i in param_states]

    options = SolverOptions(rtol=RTOL, atol=ATOL, workers=args.workers)
    report = []
    for n in (1, args.subjects):
        params = population(model, base, n) if n > 1 else base[None]
        events = EventTable.from_rows(
            [
                (s, *r[1:])
                for s in range(n)
                for r in build_events(compiled, scenario.dose_records(), params[s])
            ]
        )
        # Warm-up (numba compile/cache load) outside the timing.
        solve(
            compiled,
            params[:1],
            events.for_subject(0),
            t[:25],
            SolverOptions(rtol=RTOL, atol=ATOL),
        )
        start = time.perf_counter()
        ours = solve(
            compiled,
            params,
            events,
            t,
            SolverOptions(rtol=RTOL, atol=ATOL, workers=min(args.workers, n)),
            throw=False,
        )
        ours_s = time.perf_counter() - start
        n_peer = n if args.peer_subjects is None or n == 1 else min(n, args.peer_subjects)
        peer, peer_s = run_roadrunner(
            xml,
            ids,
            selections,
            state_ids,
            params[:n_peer][:, varying],
            model.initial_states(params[:n_peer])[:, param_states],
            t,
            min(args.workers, n_peer),
        )
        idx = [ours.names.index(c) for c in compared]
        mine = ours.values[:n_peer][:, idx, :].transpose(0, 2, 1)  # (subj, time, obs)
        peer_failed = np.isnan(peer).any(axis=(1, 2))
        ours_failed = ~ours.succeeded[:n_peer]
        both = ~peer_failed & ~ours_failed
        scale = np.maximum(np.abs(mine).max(axis=1, keepdims=True), 1e-30)
        diff = (np.abs(mine - peer) / scale)[both]
        worst = float(diff.max()) if diff.size else float("nan")
        ours_rate = n / ours_s
        peer_rate = n_peer / peer_s
        report.append((n, ours_rate, peer_rate, worst))
        print(f"\n{n} subject(s) x 180 d (libroadrunner on {n_peer}):")
        print(
            f"  opioidsim (cvode, {options.workers} proc): {ours_s:8.2f} s  "
            f"{ours_rate:8.2f} subjects/s"
        )
        print(
            f"  libroadrunner ({min(args.workers, n_peer)} proc):      {peer_s:8.2f} s  "
            f"{peer_rate:8.2f} subjects/s"
        )
        print(f"  ratio opioidsim/libroadrunner: {ours_rate / peer_rate:6.2f}")
        print(
            f"  failed subjects: opioidsim {int(ours_failed.sum())}, libroadrunner "
            f"{int(peer_failed.sum())} (CVODE convergence failures), of {n_peer}"
        )
        print(
            f"  max relative difference (of series max), plasma + mu occupancy: {worst:.2e}"
            f"  [{'ok' if worst <= 1e-3 else 'ABOVE 1e-3'}]"
        )
        per_obs = diff.max(axis=(0, 1)) if diff.size else np.full(len(compared), np.nan)
        for name, d in sorted(zip(compared, per_obs, strict=True), key=lambda x: -x[1])[:5]:
            print(f"    {name}: {d:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
