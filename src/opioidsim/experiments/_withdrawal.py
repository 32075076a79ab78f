"""Shared by the withdrawal and tolerance experiments: regimens, observer scales, dose-response.

Regimens (assumptions, typical of the clinical populations the data come from; each is long
enough to reach the steady state of cAMP superactivation, half-time ~35 h):

- heroin 25 mg IV every 6 h for 14 days (street use of several bags a day);
- morphine 30 mg IV every 6 h for 14 days;
- methadone 80 mg oral once a day for 28 days (a usual maintenance dose);
- buprenorphine 16 mg sublingual once a day for 28 days (a usual maintenance dose);
- fentanyl 100 ug IV every 6 h for 14 days.

Observer scales. The model's ``somatic_withdrawal_index`` is dimensionless. An observer scale
with maximum ``M`` reads it through one saturating map, ``score = M * I / (I + I_half)``;
``I_half`` is calibrated once, on the placebo arm of Gorodetzky 2017 (SOWS-Gossop 8.67/30 on
day 3 of unmedicated withdrawal from short-acting opioids, simulated as the heroin regimen
read 48-72 h after the last dose). COWS (0-48, Wesson & Ling 2003) uses the same ``I_half``
(assumption: both scales read the same fraction of maximal withdrawal); COWS >= 5 is "mild"
withdrawal, the scale's lowest band, used as the threshold of a detectable response.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from opioidsim.engine.results import SimulationResult
from opioidsim.experiments._protocols import dose, run
from opioidsim.io.datasets import load_dataset

SOMATIC = "neuroadaptation.somatic_withdrawal_index"
AFFECTIVE = "neuroadaptation.affective_withdrawal_index"
DOPAMINE = "reward.dopamine_percent_baseline"
RESPIRATORY = "mu_effects.respiratory_depression"
SOWS_GOSSOP_MAX = 30.0
COWS_MAX = 48.0
COWS_MILD = 5.0  # Wesson & Ling 2003: 5-12 mild; below 5 no active withdrawal


@dataclass(frozen=True)
class Regimen:
    drug: str
    amount: str
    route: str
    every_h: float
    days: float

    def doses(self, start_h: float = 0.0) -> list[dict]:
        return [
            dose(
                self.drug,
                self.amount,
                self.route,
                start_h,
                every=f"{self.every_h!r} h",
                **{"for": f"{self.days!r} d"},
            )
        ]

    @property
    def last_dose_h(self) -> float:
        """Time of the last dose (doses at 0, every, ... < days*24)."""
        n = int(np.ceil(self.days * 24.0 / self.every_h - 1e-9))
        return (n - 1) * self.every_h


REGIMENS = {
    "heroin": Regimen("heroin", "25 mg", "iv", 6.0, 14.0),
    "morphine": Regimen("morphine", "30 mg", "iv", 6.0, 14.0),
    "methadone": Regimen("methadone", "80 mg", "oral", 24.0, 28.0),
    "buprenorphine": Regimen("buprenorphine", "16 mg", "sublingual", 24.0, 28.0),
    "fentanyl": Regimen("fentanyl", "100 ug", "iv", 6.0, 14.0),
}


def after_last_dose(
    regimen: Regimen,
    extra: list[dict],
    follow_h: float,
    step_min: float,
):
    """Simulate the regimen then ``follow_h`` hours; extra doses are timed from the last dose."""
    last = regimen.last_dose_h
    shifted = []
    for entry in extra:
        moved = dict(entry)
        moved["time"] = f"{last + float(entry['time'].split()[0])!r} h"
        shifted.append(moved)
    result = run(regimen.doses() + shifted, last + follow_h, step_min)
    return result, last


#: Thakrar 2024: buprenorphine-precipitated withdrawal is a COWS rise within 4 h of the dose.
BUPRENORPHINE_WINDOW_H = 4.0


@cache
def _without_buprenorphine(drug: str, follow_h: float):
    return after_last_dose(REGIMENS[drug], [], follow_h, step_min=5)


def buprenorphine_induction_rise(drug: str, hours: float, mg: float = 8.0) -> float:
    """COWS rise within 4 h of buprenorphine ``mg`` SL given ``hours`` after the last dose.

    The rise is over the same subject without buprenorphine (spontaneous withdrawal goes on);
    ``efficacy`` overrides buprenorphine's mu operational efficacy (for its calibration).
    """
    follow = hours + BUPRENORPHINE_WINDOW_H + 0.5
    without, last = _without_buprenorphine(drug, follow)
    with_run, _ = after_last_dose(
        REGIMENS[drug],
        [dose("buprenorphine", f"{mg} mg", "sublingual", hours)],
        follow,
        5,
    )
    grid = np.linspace(last + hours, last + hours + BUPRENORPHINE_WINDOW_H, 97)
    a = cows(np.interp(grid, with_run.time, with_run[SOMATIC]))
    b = cows(np.interp(grid, without.time, without[SOMATIC]))
    return float(np.max(a - b))


@dataclass(frozen=True)
class Course:
    """A withdrawal readout after the last dose: times (h from last dose) and values."""

    time_h: np.ndarray
    value: np.ndarray

    @property
    def peak(self) -> float:
        return float(self.value.max())

    @property
    def peak_time_h(self) -> float:
        return float(self.time_h[int(np.argmax(self.value))])

    def first_above(self, level: float) -> float:
        above = np.flatnonzero(self.value > level)
        return float(self.time_h[above[0]]) if above.size else float("inf")

    def onset(self, level: float) -> float:
        """First time the index rises above ``level`` once the last dose has taken effect.

        With intermittent dosing the index may still carry the previous interval's
        withdrawal when the last dose is given; onset is counted from the trough that dose
        produces (the minimum before the peak), not from that leftover.
        """
        trough = int(np.argmin(self.value[: int(np.argmax(self.value)) + 1]))
        above = np.flatnonzero(self.value[trough:] > level)
        return float(self.time_h[trough + above[0]]) if above.size else float("inf")

    def last_above(self, level: float) -> float:
        above = np.flatnonzero(self.value > level)
        return float(self.time_h[above[-1]]) if above.size else float("nan")

    def area(self) -> float:
        return float(np.trapezoid(self.value, self.time_h))


def course(result: SimulationResult, name: str, last_h: float) -> Course:
    mask = result.time >= last_h
    return Course(result.time[mask] - last_h, result[name][mask])


#: Day 3 of withdrawal, hours after the last dose: the observer map's calibration window.
DAY3_H = (48.0, 72.0)


@cache
def observer_half_index() -> float:
    """I_half of the observer map, calibrated on Gorodetzky 2017's placebo arm (day 3).

    The closed-form solution of the PEtab problem ``observer-map`` (one measurement, one
    parameter, an invertible map): ``SOWS_MAX x I / (I + I_half) = observed`` at the day-3
    mean index I; a test checks that pyPESTO finds the same value."""
    data = load_dataset("gorodetzky_2017_placebo_sows")
    row = data.rows()[0]
    observed = float(row["sows_gossop"])
    index = day3_heroin_index()
    return index * (SOWS_GOSSOP_MAX / observed - 1.0)


@cache
def day3_heroin_index() -> float:
    """Mean somatic index over day 3 after the heroin regimen: the exact mean of the
    30-min samples' linear interpolant (the PEtab problem's integral helper computes the
    same)."""
    regimen = REGIMENS["heroin"]
    result, last = after_last_dose(regimen, [], 96.0, step_min=30)
    somatic = course(result, SOMATIC, last)
    start, end = DAY3_H
    window = (somatic.time_h >= start) & (somatic.time_h <= end)
    return float(np.trapezoid(somatic.value[window], somatic.time_h[window]) / (end - start))


def observer_score(index, maximum: float):
    """Observer-scale score of a somatic index (SOWS-Gossop: 30, COWS: 48)."""
    index = np.asarray(index, dtype=float)
    half = observer_half_index()
    return maximum * index / (index + half)


def cows(index):
    return observer_score(index, COWS_MAX)


def dose_at_level(doses, responses, level: float) -> float:
    """The dose whose response reaches ``level``, interpolated on log dose.

    Responses are made monotone (running maximum) first; ``inf`` if even the largest dose
    does not reach ``level``, the smallest dose if it already does.
    """
    monotone = np.maximum.accumulate(np.asarray(responses, dtype=float))
    if monotone[-1] < level:
        return float("inf")
    if monotone[0] >= level:
        return float(doses[0])
    k = int(np.argmax(monotone >= level))
    x0, x1 = np.log(doses[k - 1]), np.log(doses[k])
    y0, y1 = monotone[k - 1], monotone[k]
    return float(np.exp(x0 + (level - y0) * (x1 - x0) / (y1 - y0)))


def dose_response_ed50(
    history: list[dict],
    test_h: float,
    drug: str,
    route: str,
    unit: str,
    test_doses: np.ndarray,
    readout: str,
    level: float,
    window_h: float = 3.0,
    species: str = "human",
    body_weight: str = "70 kg",
) -> tuple[float, np.ndarray]:
    """Virtual dose-response test at ``test_h``: the dose whose peak effect rise reaches ``level``.

    Each test dose is given on top of the history in its own run (the subject's state at
    ``test_h`` is the same in all of them); the readout's largest rise over its value just
    before the test dose, within ``window_h``, is the response. The ED50 is interpolated on
    log dose; ``inf`` if even the largest test dose does not reach ``level``.
    """
    responses = []
    for amount in test_doses:
        result = run(
            [*history, dose(drug, f"{float(amount)!r} {unit}", route, test_h)],
            test_h + window_h,
            step_min=2,
            species=species,
            body_weight=body_weight,
        )
        before = float(np.interp(test_h - 1e-6, result.time, result[readout]))
        mask = result.time >= test_h
        responses.append(float(result[readout][mask].max()) - before)
    return dose_at_level(test_doses, responses, level), np.array(responses)
