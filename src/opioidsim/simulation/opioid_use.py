"""Closed-loop human opioid use: decide each morning, dose, integrate, in one engine run.

The run is cut at each decision morning of an ``opioid_use`` block. Each day is one segment
integrated for all subjects at once (``engine.solve`` from the states where the previous
day ended); at its start the decision model (``model.opioid_use``) reads the withdrawal
drive and the past day's stressor drive, and draws, for each person, whether they leave
care, whether they mean to use, and whether they take the day's tablet. The day's medication
(tablet or due injection) goes in that morning and the use doses at their times, as bolus
events of the segment; the liking the first use brought (its rise over the two hours after
it) is read from the segment's outputs and is the use's outcome. Scheduled doses and events
of the scenario (the history of use, a taper, stressors) run as in ``simulate``.

Each subject draws three numbers a day from its own random stream, seeded with
``(seed, subject)``, whatever its state, and its lapse propensity once from a second stream
``(seed, subject, TRAIT_STREAM)``: the same seed gives the same behaviour whatever the
number of subjects run together, their chunking or the worker count.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from opioidsim.engine.compile import compile_model
from opioidsim.engine.events import BOLUS, RATE
from opioidsim.engine.results import SimulationResult
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.errors import ConfigError
from opioidsim.model import opioid_use
from opioidsim.model.default import build_model
from opioidsim.population import PopulationSpec
from opioidsim.protocols import DoseRecord, Scenario
from opioidsim.protocols.opioid_use import Dose, OpioidUse
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

#: Population entries with this prefix vary the decisions, not the model.
BEHAVIOUR = "opioid_use."
#: A person's traits (lapse propensity) come from ``default_rng([seed, subject, TRAIT_STREAM])``,
#: apart from the daily draws.
TRAIT_STREAM = 101
#: Times after a use (h) at which its liking is read; the peak rise is its outcome.
READ_AFTER_USE_H = (0.0, 1 / 60, 5 / 60, 10 / 60, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
RESPIRATORY_DEPRESSION = "mu_effects.respiratory_depression"
#: A day's segment is also sampled hourly (the day's largest stressor drive).
SAMPLE_EVERY_H = 1.0


@dataclass
class OpioidUseResult:
    """Observables over the output grid, and each person's days (arrays of shape (subjects,
    days))."""

    result: SimulationResult
    #: Used that day.
    used: np.ndarray
    #: In care at the end of that morning's decisions (on the ward or in treatment).
    in_care: np.ndarray
    #: Took a tablet, or was injected, that day.
    medicated: np.ndarray
    #: Craving at that morning, and the drug value after the day.
    craving: np.ndarray
    drug_value: np.ndarray
    #: Rise of drug liking after that day's first use (NaN on days without use).
    liking_rise: np.ndarray
    #: Day of the first medication dose (or, without a drug, the day treatment started while
    #: in care); -1: never inducted.
    induction_day: np.ndarray
    #: Day the person left care (-1: stayed to the end, or was never in care).
    left_day: np.ndarray
    #: Largest fraction of the respiratory drive removed in the two hours after each dose of
    #: a use day (``mu_effects.respiratory_depression``, at fixed CO2; NaN on days without
    #: use): the day's ventilation margin, what an overdose reading needs.
    respiratory_depression: np.ndarray | None = None
    #: Each person's lapse propensity (``model.opioid_use``; mean 1 over people).
    lapse_propensity: np.ndarray | None = None

    @property
    def subjects(self) -> int:
        return self.used.shape[0]


def _doses_as_targets(compiled, dose: Dose, p: np.ndarray) -> list[tuple[int, float]]:
    """(state, amount) of each bolus target of one dose (the route's own split)."""
    record = DoseRecord(
        drug=dose.drug, route=dose.route, time_h=0.0, amount_nmol=dose.amount_nmol, source_index=0
    )
    rows = build_events(compiled, [record], p)
    if any(row[2] != BOLUS for row in rows):
        raise ConfigError(f"opioid_use: the {dose.route} route of {dose.drug} is not a bolus.")
    return [(int(row[3]), float(row[4])) for row in rows]


def _check_population(population: PopulationSpec) -> None:
    if (
        population.correlation is not None
        or population.covariates != type(population.covariates)()
    ):
        raise ConfigError(
            "population: correlations and covariates are not supported with opioid_use yet; "
            "give variability only."
        )


def simulate_opioid_use(
    scenario: Scenario,
    block: OpioidUse,
    *,
    subjects: int = 1,
    seed: int | None = None,
    first_subject: int = 0,
    parameters: Mapping[str, float] | None = None,
    behaviour: Mapping[str, float] | None = None,
    population: PopulationSpec | None = None,
    options: SolverOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> OpioidUseResult:
    """Run ``subjects`` people (numbered from ``first_subject``, which seeds their streams)
    through the scenario and its ``opioid_use`` days.

    With ``population``, subject ``i`` takes the population's draws for id ``i``: model
    parameters as ``simulate_population`` draws them, and ``opioid_use.<name>`` entries of
    its ``variability`` for the decision parameters (their own stream)."""
    if subjects < 1:
        raise ConfigError(f"subjects: got {subjects}; must be >= 1.")
    if scenario.subject.species != "human":
        raise ConfigError(
            f"subject.species: got {scenario.subject.species!r}; opioid_use decides for "
            "people (species: human); for animals use self_administration."
        )
    drugs = {r.drug for r in scenario.dose_records()} | {d.drug for d in block.use_day}
    if block.medication_dose is not None:
        drugs.add(block.medication_dose.drug)
    model = build_model(
        sorted(drugs), species=scenario.subject.species, physiology=scenario.physiology
    )
    compiled = compile_model(model)
    p = subject_parameters(model, scenario, parameters)
    table: dict = opioid_use.values(dict(behaviour or {}))
    ids = np.arange(first_subject, first_subject + subjects)
    P = np.tile(p, (subjects, 1))
    if population is not None:
        _check_population(population)
        P, table = sampled(model, p, population, table, ids, BEHAVIOUR)

    scheduled = build_events(
        compiled, scenario.dose_records(), p, episodes=scenario.event_records()
    )
    rate_rows = event_columns([row for row in scheduled if row[2] == RATE])
    bolus_rows = event_columns([row for row in scheduled if row[2] == BOLUS])
    use_targets = [(dose.offset_h, _doses_as_targets(compiled, dose, p)) for dose in block.use_day]
    medication_targets = (
        []
        if block.medication_dose is None
        else _doses_as_targets(compiled, block.medication_dose, p)
    )
    first_use_h = block.use_day[0].offset_h

    n_states = len(model.state_names)
    index = {
        name: model.observable_names.index(name)
        for name in (*opioid_use.OBSERVABLES, RESPIRATORY_DEPRESSION)
    }
    seed = scenario.seed if seed is None else seed
    streams = [np.random.default_rng([seed or 0, first_subject + s]) for s in range(subjects)]
    shape = np.broadcast_to(np.asarray(table["lapse_propensity_shape"], dtype=float), (subjects,))
    if np.any(shape <= 0):
        raise ConfigError(
            f"opioid_use.lapse_propensity_shape: got {float(shape.min())}; must be > 0 (the "
            "shape of the gamma distribution of lapse propensity; large values make people "
            "alike)."
        )
    propensity = np.array(
        [
            opioid_use.lapse_propensity(
                shape[s], np.random.default_rng([seed or 0, first_subject + s, TRAIT_STREAM])
            )
            for s in range(subjects)
        ]
    )

    grid = scenario.output_times_h()
    mornings = block.decision_times_h()
    day_end = mornings[-1] + 24.0
    breaks = merged_times([0.0, float(grid[-1]), day_end, *mornings])
    first_morning = mornings[0]

    days = block.days
    used = np.zeros((subjects, days), dtype=bool)
    in_care_days = np.zeros((subjects, days), dtype=bool)
    medicated = np.zeros((subjects, days), dtype=bool)
    craving_days = np.zeros((subjects, days))
    value_days = np.zeros((subjects, days))
    liking_rise = np.full((subjects, days), np.nan)
    depression = np.full((subjects, days), np.nan)
    induction_day = np.full(subjects, -1)
    left_day = np.full(subjects, -1)

    in_care = np.full(subjects, block.in_treatment or block.ward_h > 0)
    memory = opioid_use.Memory.dependent(subjects)
    stress_past_day = np.zeros(subjects)
    y = model.initial_states(P)
    values = np.full((subjects, len(model.observable_names), len(grid)), np.nan)
    status = messages = None
    last = None  # observables at the end of the previous segment

    for k, (a, b) in enumerate(itertools.pairwise(breaks)):
        day = round((a - first_morning) / 24.0) if a >= first_morning - SAME_TIME_H else -1
        deciding = 0 <= day < days and abs(a - mornings[day]) <= SAME_TIME_H
        new_boluses: list[tuple] = []
        use_today = np.zeros(subjects, dtype=bool)
        if deciding:
            day_h = 24.0 * day
            withdrawal = (
                np.zeros(subjects) if last is None else last[:, index[opioid_use.WITHDRAWAL_DRIVE]]
            )
            craving = opioid_use.craving(memory, withdrawal, stress_past_day, table)
            draws = np.array([stream.random(3) for stream in streams])
            if not block.in_treatment and day_h >= block.ward_h - SAME_TIME_H:
                in_care[:] = False  # discharged from the ward with no treatment
            leaves = in_care & (draws[:, 0] < opioid_use.leaving_chance(craving, table))
            left_day[leaves] = day
            in_care &= ~leaves
            intent = draws[:, 1] < opioid_use.daily_chance(
                table["lapse_rate"] * propensity, craving
            )
            on_ward = in_care & (day_h < block.ward_h - SAME_TIME_H)
            use_today = intent & ~on_ward
            treated = in_care & block.in_treatment & (day_h >= block.treatment_start_h - 1e-9)
            if block.medication_dose is None:
                given = np.zeros(subjects, dtype=bool)
            elif block.tablets:
                # on a closed ward the staff give the tablet (induction on the unit)
                takes = (
                    block.supervised
                    | on_ward
                    | (~intent & (draws[:, 2] < table["tablet_adherence"]))
                )
                given = treated & takes
            else:
                since = day_h - block.treatment_start_h
                due = (
                    since >= -1e-9
                    and abs(
                        since / block.medication_every_h - round(since / block.medication_every_h)
                    )
                    < 1e-9
                )
                given = treated & due
            newly = treated & (induction_day < 0) & (given | (block.medication_dose is None))
            induction_day[newly] = day
            for s in np.flatnonzero(given):
                new_boluses += [
                    (int(s), a, BOLUS, state, amount) for state, amount in medication_targets
                ]
            for s in np.flatnonzero(use_today):
                for offset, targets in use_targets:
                    new_boluses += [
                        (int(s), a + offset, BOLUS, state, amount) for state, amount in targets
                    ]
            used[:, day] = use_today
            in_care_days[:, day] = in_care
            medicated[:, day] = given
            craving_days[:, day] = craving

        # Before the first decision, people who are the same model subject (no population)
        # live the same history: one is integrated and copied.
        shared = population is None and not deciding and a < first_morning
        run_for = 1 if shared else subjects
        events = segment_events(
            rate_rows,
            rate_rows[:, 0] < b,
            bolus_rows,
            (a <= bolus_rows[:, 0]) & (bolus_rows[:, 0] < b),
            new_boluses,
            run_for,
        )
        inside = grid[(grid > a + SAME_TIME_H) & (grid < b - SAME_TIME_H)]
        extra = []
        if deciding:
            extra = [a + dose.offset_h + t for dose in block.use_day for t in READ_AFTER_USE_H]
            extra += list(np.arange(a, b, SAMPLE_EVERY_H)[1:])
        out_t = np.array(merged_times([a, b, *inside, *[t for t in extra if a < t < b]]))
        segment = solve(compiled, P[:run_for], events, out_t, options, initial_states=y[:run_for])
        status, messages = segment.status, segment.messages
        if shared:
            segment.values = np.repeat(segment.values, subjects, axis=0)
            status, messages = list(status) * subjects, list(messages) * subjects
        store_on_grid(values, grid, out_t, segment.values)
        y = segment.values[:, :n_states, -1].copy()
        last = segment.values[:, :, -1]
        stress_past_day = segment.values[:, index[opioid_use.STRESSOR_INTENSITY], :].max(axis=1)
        if deciding:
            liking = segment.values[:, index[opioid_use.DRUG_LIKING], :]
            after = (out_t >= a + first_use_h - SAME_TIME_H) & (
                out_t <= a + first_use_h + READ_AFTER_USE_H[-1] + SAME_TIME_H
            )
            start = int(np.argmax(after))
            rise = np.maximum(liking[:, after].max(axis=1) - liking[:, start], 0.0)
            liking_rise[use_today, day] = rise[use_today]
            read = np.zeros(len(out_t), dtype=bool)
            for dose in block.use_day:
                read |= (out_t >= a + dose.offset_h - SAME_TIME_H) & (
                    out_t <= a + dose.offset_h + READ_AFTER_USE_H[-1] + SAME_TIME_H
                )
            drive_removed = segment.values[:, index[RESPIRATORY_DEPRESSION], :][:, read]
            depression[use_today, day] = drive_removed.max(axis=1)[use_today]
            outcomes = opioid_use.outcome(rise, table)
            memory = opioid_use.learn(memory, use_today, outcomes, table)
            value_days[:, day] = memory.drug_value
        if progress:
            progress(k + 1, len(breaks) - 1)

    result = SimulationResult(
        time=grid,
        names=list(model.observable_names),
        units=list(model.observable_units),
        values=values,
        status=status,
        messages=messages,
        subject_ids=ids,
        statistics={},
    )
    result.metadata = {
        "scenario": scenario.to_dict(),
        "opioid_use": block.to_dict(),
        "behaviour_parameters": opioid_use.values(dict(behaviour or {})),
        "population": None if population is None else population.model_dump(mode="json"),
        "model_version": model_version(),
        "species": model.species,
        "seed": seed,
    }
    return OpioidUseResult(
        result,
        used,
        in_care_days,
        medicated,
        craving_days,
        value_days,
        liking_rise,
        induction_day,
        left_day,
        depression,
        propensity,
    )


def _chunk(args: tuple) -> OpioidUseResult:
    scenario, block, start, size, kwargs = args
    return simulate_opioid_use(scenario, block, subjects=size, first_subject=start, **kwargs)


def simulate_opioid_use_population(
    scenario: Scenario,
    block: OpioidUse,
    *,
    subjects: int,
    chunk_size: int | None = None,
    workers: int = 1,
    **kwargs: Any,
) -> OpioidUseResult:
    """``subjects`` people in chunks of ``chunk_size`` over ``workers`` processes; the same
    people and days for any chunking and worker count (each subject's stream is seeded with
    its number)."""
    tasks = chunk_tasks(scenario, block, subjects, chunk_size, workers, kwargs)
    parts = list(map_chunks(_chunk, tasks, workers))
    result = joined([part.result for part in parts], workers)

    def stacked(name: str) -> np.ndarray:
        return np.concatenate([getattr(part, name) for part in parts])

    return OpioidUseResult(
        result,
        *(
            stacked(name)
            for name in (
                "used",
                "in_care",
                "medicated",
                "craving",
                "drug_value",
                "liking_rise",
                "induction_day",
                "left_day",
                "respiratory_depression",
                "lapse_propensity",
            )
        ),
    )


DAYS_HEADER = [
    "subject", "day", "morning_h", "used", "in_care", "medicated", "craving", "drug_value",
    "liking_rise", "respiratory_depression", "lapse_propensity",
]  # fmt: skip


def days_rows(run: OpioidUseResult, block: OpioidUse, first_subject: int = 0) -> list[list]:
    """One row per person and day (``DAYS_HEADER``); blank cells on days without use."""

    def cell(value: float) -> str:
        return "" if value != value else f"{value:.4g}"

    rows = []
    for subject in range(run.subjects):
        for day, morning in enumerate(block.decision_times_h()):
            rows.append(
                [
                    first_subject + subject,
                    day + 1,
                    f"{morning:g}",
                    bool(run.used[subject, day]),
                    bool(run.in_care[subject, day]),
                    bool(run.medicated[subject, day]),
                    f"{run.craving[subject, day]:.4g}",
                    f"{run.drug_value[subject, day]:.4g}",
                    cell(run.liking_rise[subject, day]),
                    cell(run.respiratory_depression[subject, day]),
                    f"{run.lapse_propensity[subject]:.4g}",
                ]
            )
    return rows
