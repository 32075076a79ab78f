"""Solve a batch of subjects: the engine's one entry point and its backend interface.

``solve(compiled, parameters, events, output_times)`` integrates every subject (its own
parameters, its own events) and returns a :class:`SimulationResult`. The integration itself
is a backend's job (:class:`AbstractBackend`). The default, ``rodas5p`` (and ``rodas4``),
integrates whole batches in compiled code (:mod:`opioidsim.engine.rosenbrock`), subjects on
numba threads. ``cvode`` is SUNDIALS CVODE (BDF, Newton, dense direct solver with the
model's analytic Jacobian) through scikit-sundae, one subject at a time, subjects spread
over worker processes.

Doses are exact: integration stops at each event time, the state jumps, and CVODE restarts
from the new state. Outputs at an event time show the state after the event.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import time as _time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from opioidsim.engine.compile import CompiledModel
from opioidsim.engine.events import BOLUS, EventTable
from opioidsim.engine.results import SimulationResult, clamp_round_off
from opioidsim.engine.rosenbrock import (
    STAT_NAMES,
    STATUS_CODES,
    TABLEAUS,
    compile_rosenbrock,
    run_batch,
)
from opioidsim.engine.status import SolveStatus
from opioidsim.errors import ConfigError, NumericalError, SolverError

#: Slack when checking a state against its bounds, in units of the absolute tolerance: the
#: integrator may overshoot a bound by a few atol without the model being wrong.
BOUND_SLACK_IN_ATOL = 1000.0


@dataclass(frozen=True)
class SolverOptions:
    """Integration options shared by all backends."""

    rtol: float = 1e-6
    atol: float = 1e-9
    max_steps: int = 100_000
    #: "rodas5p" (default since issue 6: measured 11-27x libroadrunner's throughput on 2
    #: cores, agreement 2e-5), "rodas4", or "cvode" (SUNDIALS, the first backend).
    backend: str = "rodas5p"
    workers: int = 1
    #: Rosenbrock backends: solve the model's closed linear part (compartmental PK) in closed
    #: form between events instead of integrating it (issue 18 item 4; see
    #: opioidsim.engine.linear_part). Off by default: it is exact, but on heroin-year it
    #: saves 9 % of the steps and costs more per step than that (0.179 vs 0.170 CPU-s per
    #: subject, benchmarks/bench_linear_pk.py, session 21); on the foundation benchmark every
    #: subject is refused (the naltrexone depot's three erosion compartments share one rate,
    #: a defective matrix) and integrated in full.
    linear_closed_form: bool = False

    def __post_init__(self) -> None:
        if not (0 < self.rtol < 1):
            raise ConfigError(f"rtol: got {self.rtol}; must be in (0, 1), e.g. 1e-6.")
        if not (self.atol > 0):
            raise ConfigError(f"atol: got {self.atol}; must be > 0, e.g. 1e-9.")
        if self.workers < 1:
            raise ConfigError(f"workers: got {self.workers}; must be >= 1.")
        if self.backend not in BACKENDS:
            raise ConfigError(f"backend: got {self.backend!r}; valid: {', '.join(BACKENDS)}.")


@dataclass
class SubjectOutcome:
    values: np.ndarray  # (observables, times)
    status: SolveStatus
    message: str


class AbstractBackend:
    """Integrates one subject between events. Subclasses implement :meth:`integrate`."""

    name = "abstract"

    def __init__(self, compiled: CompiledModel, options: SolverOptions) -> None:
        self.compiled = compiled
        self.options = options

    def start(self, t0: float, y0: np.ndarray) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def advance(self, t: float, t_stop: float) -> tuple[np.ndarray, int, str]:
        """Advance to ``t`` (never past ``t_stop``); return (y, status flag, message)."""
        raise NotImplementedError  # pragma: no cover - interface

    def solve_subject(
        self,
        parameters: np.ndarray,
        y0: np.ndarray,
        events: EventTable,
        output_times: np.ndarray,
        subject_label: str,
    ) -> SubjectOutcome:
        c = self.compiled
        n_obs, n_times = c.n_observables, len(output_times)
        values = np.full((n_obs, n_times), np.nan)
        self.p[:] = parameters
        c.derive(self.p, self.q)
        self.u[:] = 0.0
        y = y0.astype(float).copy()
        lower, upper = self._bounds
        slack = BOUND_SLACK_IN_ATOL * self.options.atol
        obs = np.empty(n_obs)

        def record(k: int, y: np.ndarray) -> None:
            c.observe(y, self.p, self.q, self.u, obs)
            values[:, k] = obs

        def fail(status: SolveStatus, t: float, y: np.ndarray, detail: str = "") -> SubjectOutcome:
            return SubjectOutcome(
                values, status, self._failure_message(status, t, y, subject_label, detail)
            )

        message = self._bad_parameter_message(subject_label)
        if message:
            return SubjectOutcome(values, SolveStatus.NON_FINITE, message)

        event_times = np.unique(events.time)
        breakpoints = np.unique(np.concatenate([event_times, [output_times[-1]]]))
        t_now = float(output_times[0])
        k = 0
        # Events at or before the start apply to the initial state.
        y = self._apply_events(events, t_now, y, upto=True)
        while k < n_times and output_times[k] <= t_now:
            record(k, y)
            k += 1
        for b in breakpoints:
            if b <= t_now:
                continue
            self.start(t_now, y)
            while k < n_times and output_times[k] < b:
                y_out, flag, msg = self.advance(float(output_times[k]), float(b))
                if flag < 0:
                    return fail(_status_of(flag), float(output_times[k]), y, msg)
                if not np.all(np.isfinite(y_out)):
                    return fail(SolveStatus.NON_FINITE, float(output_times[k]), y_out)
                record(k, y_out)
                k += 1
            y, flag, msg = self.advance(float(b), float(b))
            if flag < 0:
                return fail(_status_of(flag), float(b), y, msg)
            if not np.all(np.isfinite(y)):
                return fail(SolveStatus.NON_FINITE, float(b), y)
            if _first_bad_state(y, lower, upper, slack) is not None:
                return fail(SolveStatus.OUT_OF_BOUNDS, float(b), y)
            t_now = float(b)
            y = self._apply_events(events, t_now, y)
            while k < n_times and output_times[k] <= t_now:
                record(k, y)
                k += 1
        return SubjectOutcome(values, SolveStatus.SUCCESS, "")

    def _failure_message(
        self, status: SolveStatus, t: float, y: np.ndarray, subject_label: str, detail: str = ""
    ) -> str:
        """The one failure message of every backend (uses self.p, self.q, self.u)."""
        lower, upper = self._bounds
        bad = _first_bad_state(y, lower, upper, BOUND_SLACK_IN_ATOL * self.options.atol)
        if bad is None:
            bad = self._stiffest_state(y)
        state = self.compiled.model.state_names[bad]
        detail = detail.rstrip(". ")
        return (
            f"{status.message} in {state} at t = {t:.6g} h, {subject_label}"
            f"{' (' + detail + ')' if detail else ''}; {status.fix}."
        )

    def _bad_parameter_message(self, subject_label: str) -> str:
        """A message if a parameter in self.p is not finite, else ''."""
        bad_parameter = np.flatnonzero(~np.isfinite(self.p))
        if not bad_parameter.size:
            return ""
        name = self.compiled.model.parameter_names[bad_parameter[0]]
        return (
            f"{SolveStatus.NON_FINITE.message}: parameter {name} is "
            f"{self.p[bad_parameter[0]]} for {subject_label}; give a finite value."
        )

    def _apply_events(self, events: EventTable, t: float, y: np.ndarray, upto=False):
        mask = events.time <= t if upto else events.time == t
        for kind, target, value in zip(
            events.kind[mask], events.target[mask], events.value[mask], strict=True
        ):
            if kind == BOLUS:
                y[target] += value
            else:
                self.u[target] += value
        # An infusion that stops removes its rate; round-off must not leave a tiny residue.
        self.u[np.abs(self.u) < 1e-12 * (1 + np.abs(events.value).max(initial=0))] = 0.0
        return y

    def _stiffest_state(self, y: np.ndarray) -> int:
        """The state whose derivative is non-finite or largest relative to its tolerance."""
        dy = np.zeros_like(y)
        self.compiled.rhs(0.0, y, self.p, self.q, self.u, dy)
        scale = self.options.atol + self.options.rtol * np.abs(y)
        score = np.where(np.isfinite(dy), np.abs(dy) / scale, np.inf)
        return int(np.argmax(score))

    @property
    def _bounds(self) -> tuple[np.ndarray, np.ndarray]:
        if not hasattr(self, "_bounds_cache"):
            lo = np.array([b[0] if b else -np.inf for b in self.compiled.model.state_bounds])
            hi = np.array([b[1] if b else np.inf for b in self.compiled.model.state_bounds])
            self._bounds_cache = (lo, hi)
        return self._bounds_cache


def _first_bad_state(y, lower, upper, slack) -> int | None:
    bad = ~np.isfinite(y) | (y < lower - slack) | (y > upper + slack)
    idx = np.flatnonzero(bad)
    return int(idx[0]) if idx.size else None


def _status_of(flag: int) -> SolveStatus:
    if flag == -1:
        return SolveStatus.MAX_STEPS
    return SolveStatus.STEP_FAILURE


class CvodeBackend(AbstractBackend):
    """SUNDIALS CVODE (variable-order BDF) via scikit-sundae, with the analytic Jacobian.

    Chosen as the first backend because SUNDIALS is the maintained reference for stiff
    ODEs (libroadrunner uses the same CVODE), and scikit-sundae installs from wheels.
    """

    name = "cvode"

    def __init__(self, compiled: CompiledModel, options: SolverOptions) -> None:
        super().__init__(compiled, options)
        from sksundae.cvode import CVODE

        n = compiled.n_states
        self.p = np.zeros(compiled.model.n_parameters)
        self.q = np.zeros(max(compiled.n_derived, 1))
        self.u = np.zeros(max(compiled.n_inputs, 1))
        rhs, jac, p, q, u = compiled.rhs, compiled.jac, self.p, self.q, self.u

        def rhsfn(t, y, yp):
            rhs(t, y, p, q, u, yp)

        def jacfn(t, y, yp, jj):
            jj[:, :] = 0.0
            jac(t, y, p, q, u, jj)

        self._solver = CVODE(
            rhsfn,
            jacfn=jacfn,
            method="BDF",
            rtol=options.rtol,
            atol=options.atol,
            linsolver="dense",
            max_num_steps=options.max_steps,
        )
        self._n = n

    def start(self, t0: float, y0: np.ndarray) -> None:
        self._solver.init_step(t0, y0)

    def advance(self, t: float, t_stop: float) -> tuple[np.ndarray, int, str]:
        result = self._solver.step(t, tstop=t_stop)
        return result.y, int(result.status), str(result.message)


class RosenbrockBackend(AbstractBackend):
    """Rodas4 on whole batches in compiled code (:mod:`opioidsim.engine.rosenbrock`).

    Batched: :meth:`solve_batch` integrates every subject, events and outputs included, in
    one compiled call; ``workers`` are numba threads here, not processes.
    """

    name = "rodas4"
    batched = True

    def __init__(self, compiled: CompiledModel, options: SolverOptions) -> None:
        super().__init__(compiled, options)
        self.tableau = TABLEAUS[self.name]
        self.p = np.zeros(compiled.model.n_parameters)
        self.q = np.zeros(max(compiled.n_derived, 1))
        self.u = np.zeros(max(compiled.n_inputs, 1))

    def solve_batch(
        self,
        parameters: np.ndarray,
        initial_states: np.ndarray,
        events: EventTable,
        output_times: np.ndarray,
        subject_ids: np.ndarray,
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[np.ndarray, list[SolveStatus], list[str], dict[str, np.ndarray]]:
        """Integrate all subjects; return values, statuses, messages and step statistics."""
        c = self.compiled
        n_subjects = parameters.shape[0]
        messages = [""] * n_subjects
        skip = ~np.isfinite(parameters).all(axis=1)
        for s in np.flatnonzero(skip):
            self.p[:] = parameters[s]
            messages[s] = self._bad_parameter_message(f"subject {subject_ids[s]}")
        built = compile_rosenbrock(c, self.tableau, self.options.linear_closed_form)
        out = run_batch(
            built,
            c,
            parameters,
            initial_states,
            events,
            output_times,
            self.options.rtol,
            self.options.atol,
            self.options.max_steps,
            self._bounds,
            BOUND_SLACK_IN_ATOL * self.options.atol,
            self.options.workers,
            skip,
            progress,
        )
        status = [STATUS_CODES[code] for code in out.codes]
        for s in np.flatnonzero(skip):
            status[s] = SolveStatus.NON_FINITE
        for s in np.flatnonzero((out.codes != 0) & ~skip):
            self.p[:] = parameters[s]
            c.derive(self.p, self.q)
            self.u[:] = out.u_last[s]
            messages[s] = self._failure_message(
                status[s], float(out.t_fail[s]), out.y_last[s], f"subject {subject_ids[s]}"
            )
        stats = {name: out.stats[:, j] for j, name in enumerate(STAT_NAMES)}
        return out.values, status, messages, stats


class Rodas5PBackend(RosenbrockBackend):
    """Rodas5P (Steinebach 2023) on whole batches; see :class:`RosenbrockBackend`."""

    name = "rodas5p"


BACKENDS: dict[str, type[AbstractBackend]] = {
    "cvode": CvodeBackend,
    "rodas4": RosenbrockBackend,
    "rodas5p": Rodas5PBackend,
}

# Worker-process state (set before forking, or rebuilt in the worker).
_WORKER: dict[str, object] = {}


def _solve_chunk(args) -> list[tuple[int, SubjectOutcome]]:
    indices, parameters, y0, events, output_times, ids = args
    compiled: CompiledModel = _WORKER["compiled"]  # type: ignore[assignment]
    options: SolverOptions = _WORKER["options"]  # type: ignore[assignment]
    backend = BACKENDS[options.backend](compiled, options)
    out = []
    for n, i in enumerate(indices):
        out.append(
            (
                i,
                backend.solve_subject(
                    parameters[n], y0[n], events[n], output_times, f"subject {ids[n]}"
                ),
            )
        )
    return out


def solve(
    compiled: CompiledModel,
    parameters: np.ndarray,
    events: EventTable,
    output_times: np.ndarray,
    options: SolverOptions | None = None,
    initial_states: np.ndarray | None = None,
    subject_ids: np.ndarray | None = None,
    throw: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Integrate every subject of a batch.

    Parameters
    ----------
    compiled
        The compiled model.
    parameters
        Shape (subjects, parameters), canonical units.
    events
        Events of all subjects (``subject`` column indexes rows of ``parameters``).
    output_times
        Increasing output grid in h, starting at the run's start.
    options
        Tolerances, backend and number of worker processes.
    throw
        Raise :class:`SolverError` (with the finished subjects in ``partial``) if any subject
        fails; otherwise return the result with each subject's status.
    """
    options = options or SolverOptions()
    parameters = np.atleast_2d(np.asarray(parameters, dtype=float))
    n_subjects = parameters.shape[0]
    output_times = np.asarray(output_times, dtype=float)
    if output_times.ndim != 1 or output_times.size < 1 or np.any(np.diff(output_times) <= 0):
        raise ConfigError("output_times: must be a strictly increasing 1-D grid.")
    if initial_states is None:
        initial_states = compiled.model.initial_states(parameters)
    ids = np.arange(n_subjects) if subject_ids is None else np.asarray(subject_ids)
    per_subject = events.split_by_subject(n_subjects)

    _WORKER["compiled"] = compiled
    _WORKER["options"] = options
    started = _time.perf_counter()
    outcomes: list[SubjectOutcome | None] = [None] * n_subjects
    workers = min(options.workers, n_subjects)
    backend_class = BACKENDS[options.backend]
    step_statistics: dict[str, np.ndarray] = {}
    if getattr(backend_class, "batched", False):
        batch = backend_class(compiled, options)
        values, status, messages, step_statistics = batch.solve_batch(  # type: ignore[attr-defined]
            parameters, initial_states, events, output_times, ids, progress
        )
    elif workers <= 1:
        backend = BACKENDS[options.backend](compiled, options)
        for s in range(n_subjects):
            outcomes[s] = backend.solve_subject(
                parameters[s], initial_states[s], per_subject[s], output_times, f"subject {ids[s]}"
            )
            if progress:
                progress(s + 1, n_subjects)
    else:
        chunk = max(1, math.ceil(n_subjects / (workers * 8)))
        tasks = []
        for start in range(0, n_subjects, chunk):
            idx = list(range(start, min(start + chunk, n_subjects)))
            tasks.append(
                (
                    idx,
                    parameters[idx],
                    initial_states[idx],
                    [per_subject[i] for i in idx],
                    output_times,
                    ids[idx],
                )
            )
        ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        done = 0
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            for chunk_result in pool.map(_solve_chunk, tasks):
                for i, outcome in chunk_result:
                    outcomes[i] = outcome
                    done += 1
                if progress:
                    progress(done, n_subjects)
    elapsed = _time.perf_counter() - started

    if not getattr(backend_class, "batched", False):
        values = np.stack([o.values for o in outcomes])  # type: ignore[union-attr]
        status = [o.status for o in outcomes]  # type: ignore[union-attr]
        messages = [o.message for o in outcomes]  # type: ignore[union-attr]
    names = list(compiled.model.observable_names)
    units = list(compiled.model.observable_units)
    clamped = clamp_round_off(names, units, values)
    result = SimulationResult(
        time=output_times,
        names=names,
        units=units,
        values=values,
        status=status,
        messages=messages,
        subject_ids=ids,
        statistics={
            "wall_time_s": elapsed,
            "backend": options.backend,
            "rtol": options.rtol,
            "atol": options.atol,
            "workers": workers,
            "most_negative_amount_clamped": clamped,
            **{name: int(v.sum()) for name, v in step_statistics.items()},
        },
    )
    failed = [i for i, s in enumerate(status) if s is not SolveStatus.SUCCESS]
    if failed and throw:
        first = messages[failed[0]]
        cls = (
            NumericalError
            if status[failed[0]] in (SolveStatus.NON_FINITE, SolveStatus.OUT_OF_BOUNDS)
            else SolverError
        )
        raise cls(
            f"{len(failed)} of {n_subjects} subject(s) failed; first: {first} "
            f"The {n_subjects - len(failed)} finished subject(s) are kept in the error's "
            "partial result.",
            partial=result,
        )
    return result
