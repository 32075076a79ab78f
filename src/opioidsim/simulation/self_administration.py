"""Closed-loop self-administration: decide, dose, integrate, in one engine run.

The run is cut at each decision step of each session. Every segment is integrated for all
subjects at once by the same engine (``engine.solve`` with the states where the previous
segment ended), the decision model (``model.drug_taking``) reads the observables at the
segment's end, and the infusions it draws become IV bolus events at that time in the next
segment. Scheduled doses and non-drug events of the scenario run as in ``simulate``: a
segment receives the bolus events that fall in it and every rate switch up to its end (the
engine applies those before the segment's start to its initial inputs, so infusions and
stress episodes carry across segments).

Each subject draws from its own random stream, seeded with ``(seed, subject)``, one number
per decision step whatever its state: the same seed gives the same behaviour whatever the
number of subjects run together, their chunking or the worker count.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from opioidsim.engine.compile import compile_model
from opioidsim.engine.events import BOLUS, RATE
from opioidsim.engine.results import SimulationResult
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.errors import ConfigError
from opioidsim.model import drug_taking
from opioidsim.model.default import build_model
from opioidsim.population import PopulationSpec
from opioidsim.protocols import DoseRecord, Scenario
from opioidsim.protocols.self_administration import SelfAdministration, progressive_ratio
from opioidsim.simulation.closed_loop import (
    SAME_TIME_H,
    chunk_tasks,
    event_columns,
    joined,
    map_chunks,
    merged_times,
    sampled,
    segment_events,
    store_on_grid,
)
from opioidsim.simulation.run import build_events, model_version, subject_parameters


@dataclass
class SelfAdministrationResult:
    """Observables over the output grid, and every infusion taken."""

    result: SimulationResult
    #: (subject, time_h, session index) of each infusion, in time order per subject.
    infusions: list[tuple[int, float, int]] = field(default_factory=list)
    n_subjects: int = 1
    n_sessions: int = 0
    #: (subject, time_h, session index) of each completed ratio, with or without drug (in
    #: extinction and cue-test sessions a response delivers nothing).
    responses: list[tuple[int, float, int]] = field(default_factory=list)
    #: Whether the schedule was the progressive ratio.
    progressive: bool = False

    def breakpoints(self) -> np.ndarray:
        """Progressive ratio: the last ratio completed in each session (0: none), shape
        (subjects, sessions)."""
        if not self.progressive:
            raise ConfigError("breakpoints: the run used a fixed ratio, not progressive_ratio.")
        counts = self.responses_per_session()
        return np.where(counts > 0, progressive_ratio(np.maximum(counts, 1)), 0)

    def infusions_per_session(self) -> np.ndarray:
        """Counts, shape (subjects, sessions)."""
        return self._counts(self.infusions)

    def responses_per_session(self) -> np.ndarray:
        """Completed ratios per session, shape (subjects, sessions)."""
        return self._counts(self.responses)

    def _counts(self, events: list[tuple[int, float, int]]) -> np.ndarray:
        counts = np.zeros((self.n_subjects, self.n_sessions), dtype=int)
        for subject, _, session in events:
            counts[subject, session] += 1
        return counts


def _decision_times(block: SelfAdministration, step_h: float) -> list[tuple[float, int]]:
    times = []
    for index, session in enumerate(block.sessions):
        n = int(np.floor((session.end_h - session.start_h) / step_h + 1e-9))
        times += [(session.start_h + k * step_h, index) for k in range(n)]
    return times


def simulate_self_administration(
    scenario: Scenario,
    block: SelfAdministration,
    *,
    subjects: int = 1,
    seed: int | None = None,
    first_subject: int = 0,
    parameters: Mapping[str, float] | None = None,
    behaviour: Mapping[str, float] | None = None,
    population: PopulationSpec | None = None,
    options: SolverOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SelfAdministrationResult:
    """Run ``subjects`` animals (numbered from ``first_subject``, which seeds their streams)
    through the scenario with the drug available in each session.

    Without ``population`` the animals are identical and differ only in their random
    streams. With one, subject ``i`` takes the population's draws for id ``i``: model
    parameters as in ``simulate_population``, and ``drug_taking.<name>`` entries of its
    ``variability`` for the behaviour parameters (their own stream). Covariates and
    correlations are not supported here yet (one line says so)."""
    if subjects < 1:
        raise ConfigError(f"subjects: got {subjects}; must be >= 1.")
    drugs = sorted({r.drug for r in scenario.dose_records()} | {block.drug})
    model = build_model(drugs, species=scenario.subject.species, physiology=scenario.physiology)
    compiled = compile_model(model)
    p = subject_parameters(model, scenario, parameters)
    table: dict = drug_taking.values(dict(behaviour or {}))
    step_h = table["decision_step"] / 60.0
    ids = np.arange(first_subject, first_subject + subjects)
    P = np.tile(p, (subjects, 1))
    if population is not None:
        _check_population(population)
        P, table = sampled(model, p, population, table, ids, BEHAVIOUR)
        if np.ndim(table["decision_step"]):
            raise ConfigError(
                "population.variability: drug_taking.decision_step cannot vary between "
                "subjects (they decide on one clock)."
            )

    scheduled = build_events(
        compiled, scenario.dose_records(), p, episodes=scenario.event_records()
    )
    one_infusion = DoseRecord(
        drug=block.drug, route="iv", time_h=0.0, amount_nmol=block.infusion_nmol, source_index=0
    )
    infusion_rows = build_events(compiled, [one_infusion], p)
    # One infusion: (state, amount) for each target of the IV route.
    targets = [(int(row[3]), float(row[4])) for row in infusion_rows]

    n_states = len(model.state_names)
    index = {name: model.observable_names.index(name) for name in drug_taking.OBSERVABLES}
    seed = scenario.seed if seed is None else seed
    streams = [np.random.default_rng([seed or 0, first_subject + s]) for s in range(subjects)]

    grid = scenario.output_times_h()
    decisions = _decision_times(block, step_h)
    # Decision times, session ends and output times, merged where they coincide up to
    # round-off (9 h + 20 x 1 min and 56 x 10 min are one time).
    breaks = merged_times(
        [0.0, float(grid[-1])]
        + [t for t, _ in decisions]
        + [s.end_h for s in block.sessions]
        + [float(t) for t in grid]
    )
    decision_times = np.array([t for t, _ in decisions])
    decision_sessions = [session for _, session in decisions]

    def session_at(time_h: float) -> int | None:
        """The session whose decision step falls at ``time_h`` (None if none does)."""
        j = int(np.searchsorted(decision_times, time_h - SAME_TIME_H))
        if j < len(decision_times) and abs(decision_times[j] - time_h) <= SAME_TIME_H:
            return decision_sessions[j]
        return None

    taken: list[tuple[int, float, int]] = []
    responses: list[tuple[int, float, int]] = []
    new_boluses: list[tuple] = []
    time_out_until = np.full(subjects, -np.inf)
    # Progressive ratio: ratios completed in the current session, when the last was, and
    # who has stopped (no ratio completed for the block's limit).
    current = -1
    completed = np.zeros(subjects, dtype=int)
    last_completed_h = np.zeros(subjects)
    stopped = np.zeros(subjects, dtype=bool)
    progressive = block.progressive_limit_h is not None
    memory = (drug_taking.Memory.trained if block.trained else drug_taking.Memory.naive)(subjects)
    # The responses whose outcome is seen at the next segment's end.
    responded = np.zeros(subjects, dtype=bool)
    delivered = np.zeros(subjects, dtype=bool)
    cued = np.zeros(subjects, dtype=bool)
    retrieval = np.zeros(subjects)
    signal_at_response = np.zeros(subjects)
    resting_signal = np.zeros(subjects)
    y = model.initial_states(P)
    values = np.full((subjects, len(model.observable_names), len(grid)), np.nan)
    status = messages = None
    # Scheduled rows as (time, kind, target, value) arrays: each segment gives every subject
    # the rate switches up to its end and the boluses inside it (vectorised: with 10^4
    # subjects and months of events, building tuples per segment dominated the run).
    rate_rows = event_columns([row for row in scheduled if row[2] == RATE])
    bolus_rows = event_columns([row for row in scheduled if row[2] == BOLUS])

    def readouts_at(values_now: np.ndarray) -> drug_taking.Readouts:
        return drug_taking.Readouts.from_columns(
            [values_now[:, index[name]] for name in drug_taking.OBSERVABLES]
        )

    for k, (a, b) in enumerate(itertools.pairwise(breaks)):
        events = segment_events(
            rate_rows,
            rate_rows[:, 0] < b,
            bolus_rows,
            (a <= bolus_rows[:, 0]) & (bolus_rows[:, 0] < b),
            new_boluses,
            subjects,
        )
        out_t = np.array([a, b])
        inside = grid[(grid > a) & (grid < b)]
        if inside.size:
            out_t = np.concatenate([[a], inside, [b]])
        segment = solve(compiled, P, events, out_t, options, initial_states=y)
        status, messages = segment.status, segment.messages
        if k == 0:
            # The drug-free signal the prime is measured from (endogenous tone at the start).
            resting_signal = readouts_at(segment.values[:, :, 0]).signal
        store_on_grid(values, grid, out_t, segment.values)
        y = segment.values[:, :n_states, -1].copy()
        new_boluses = []
        now = readouts_at(segment.values[:, :, -1])
        memory = drug_taking.traced(memory, now.stressor_intensity, b - a, table)
        if responded.any():
            # The outcome of a response, one segment after it.
            outcomes = drug_taking.outcome(now, signal_at_response, delivered, table)
            memory = drug_taking.learn(memory, responded, outcomes, cued, retrieval, table)
            responded[:] = False
        number = session_at(b)
        if number is not None:
            session = block.sessions[number]
            if number != current:
                current = number
                completed[:] = 0
                last_completed_h[:] = session.start_h
                stopped[:] = False
            if progressive:
                stopped |= b - last_completed_h > block.progressive_limit_h + SAME_TIME_H
                ratio = progressive_ratio(completed + 1)
            else:
                ratio = block.fixed_ratio
            chance, retrieval = drug_taking.response_probability(
                now,
                memory,
                resting_signal,
                cue_on=session.cue,
                time_h=b,
                fixed_ratio=ratio,
                table=table,
            )
            draws = np.array([stream.random() for stream in streams])
            take = (draws < chance) & (time_out_until <= b + 1e-12) & ~stopped
            completed[take] += 1
            last_completed_h[take] = b
            for s in np.flatnonzero(take):
                responses.append((int(s), float(b), number))
                if session.reinforced:
                    taken.append((int(s), float(b), number))
                    new_boluses += [
                        (int(s), float(b), BOLUS, state, amount) for state, amount in targets
                    ]
            time_out_until[take] = b + block.time_out_h
            responded = take
            signal_at_response = now.signal
            delivered = take & session.reinforced
            cued = take & session.cue
            if session.reinforced:
                memory.last_infusion_h[take] = b
        if progress:
            progress(k + 1, len(breaks) - 1)

    result = SimulationResult(
        time=grid,
        names=list(model.observable_names),
        units=list(model.observable_units),
        values=values,
        status=status,
        messages=messages,
        subject_ids=np.arange(first_subject, first_subject + subjects),
        statistics={},
    )
    result.metadata = {
        "scenario": scenario.to_dict(),
        "self_administration": block.to_dict(),
        "behaviour_parameters": drug_taking.values(dict(behaviour or {})),
        "population": None if population is None else population.model_dump(mode="json"),
        "model_version": model_version(),
        "species": model.species,
        "seed": seed,
    }
    return SelfAdministrationResult(
        result, taken, subjects, len(block.sessions), responses, progressive
    )


#: Population entries with this prefix vary the behaviour, not the model.
BEHAVIOUR = "drug_taking."


def _check_population(population: PopulationSpec) -> None:
    behaviour = [e for e in population.variability if e.parameter.startswith(BEHAVIOUR)]
    if behaviour and population.correlation is not None:
        raise ConfigError(
            "population.correlation: not supported with drug_taking.* variability yet; "
            "give the behaviour parameters without correlations."
        )
    if population.covariates != type(population.covariates)():
        raise ConfigError(
            "population.covariates: not supported with self-administration yet (the infusion "
            "is sized for the scenario's subject); give variability only."
        )


def _chunk(args: tuple) -> SelfAdministrationResult:
    scenario, block, start, size, kwargs = args
    return simulate_self_administration(
        scenario, block, subjects=size, first_subject=start, **kwargs
    )


def simulate_self_administration_population(
    scenario: Scenario,
    block: SelfAdministration,
    *,
    subjects: int,
    chunk_size: int | None = None,
    workers: int = 1,
    **kwargs: Any,
) -> SelfAdministrationResult:
    """``subjects`` animals in chunks of ``chunk_size``, over ``workers`` processes.

    Each subject's random stream is seeded with its number, so the infusions and trajectories
    are the same for any chunking and worker count (tested)."""
    tasks = chunk_tasks(scenario, block, subjects, chunk_size, workers, kwargs)
    parts = list(map_chunks(_chunk, tasks, workers))
    result = joined([part.result for part in parts], workers)
    infusions = [
        (start + subject, time_h, session)
        for (_, _, start, _, _), part in zip(tasks, parts, strict=True)
        for subject, time_h, session in part.infusions
    ]
    responses = [
        (start + subject, time_h, session)
        for (_, _, start, _, _), part in zip(tasks, parts, strict=True)
        for subject, time_h, session in part.responses
    ]
    return SelfAdministrationResult(
        result, infusions, subjects, parts[0].n_sessions, responses, parts[0].progressive
    )
