"""The repeated-social-defeat protocol of DEFEAT-REWARD and OXT-BLOCK, and its readout.

Mouse (30 g): four 25-min defeats 72 h apart (resident-intruder; Rodriguez-Arias lab), an
optional treatment (oxytocin 1 mg/kg i.p. 30 min before each defeat, or pair housing from
the first defeat to the test), then cocaine i.p. 21 days after the last defeat. Until the
behaviour issue gives place preference, the readout is reward sensitivity: the accumbens
dopamine rise above baseline integrated over the first hour after the injection (% x h).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from opioidsim.engine.results import SimulationResult
from opioidsim.experiments._protocols import dose, event, run

MOUSE = {"species": "mouse", "body_weight": "0.03 kg"}
DEFEAT_TIMES_H = (1.0, 73.0, 145.0, 217.0)
DEFEAT_DURATION_H = 25.0 / 60.0
OXYTOCIN_DOSE = "1 mg/kg"
OXYTOCIN_LEAD_H = 0.5
TEST_DAYS_AFTER = 21.0
TEST_H = DEFEAT_TIMES_H[-1] + TEST_DAYS_AFTER * 24.0
READOUT_H = 1.0
DOPAMINE = "reward.dopamine_percent_baseline"
#: Conditions: (defeated, oxytocin before each defeat time, pair-housed).
CONDITIONS = {
    "control": (False, False, False),
    "defeated": (True, False, False),
    "oxytocin + defeat": (True, True, False),
    "oxytocin alone": (False, True, False),
    "pair-housed + defeat": (True, False, True),
}


#: What the place-preference studies saw at cocaine 1 mg/kg (directions only; no seconds).
OBSERVED_PREFERENCE = {
    "control": "no preference",
    "defeated": "preference",
    "oxytocin + defeat": "no preference",
    "oxytocin alone": "no preference",
    "pair-housed + defeat": "no preference",
}
LINE_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)))


def treatment(condition: str, end_h: float) -> tuple[list[dict], list[dict]]:
    """A condition's doses and events: its defeats, oxytocin before each defeat time, or
    pair housing from the first defeat to ``end_h`` (also read by CPP's place preference)."""
    defeated, oxytocin, paired = CONDITIONS[condition]
    doses = []
    if oxytocin:
        doses += [
            dose("oxytocin", OXYTOCIN_DOSE, "ip", t - OXYTOCIN_LEAD_H) for t in DEFEAT_TIMES_H
        ]
    events = []
    if defeated:
        events += [event("social_defeat", t, DEFEAT_DURATION_H) for t in DEFEAT_TIMES_H]
    if paired:
        start = DEFEAT_TIMES_H[0] - OXYTOCIN_LEAD_H
        events.append(event("pair_housing", start, end_h - start))
    return doses, events


@cache
def protocol(condition: str, cocaine_mg_per_kg: float) -> SimulationResult:
    """One mouse through the protocol (cached: both experiments read the same runs)."""
    doses, events = treatment(condition, TEST_H + READOUT_H)
    doses = [dose("cocaine", f"{cocaine_mg_per_kg!r} mg/kg", "ip", TEST_H), *doses]
    return run(doses, TEST_H + READOUT_H, step_min=2, events=events, **MOUSE)


def dopamine_rise(result: SimulationResult) -> float:
    """Accumbens dopamine above baseline, integrated over the readout hour (% x h)."""
    after = result.time >= TEST_H
    excess = np.clip(result[DOPAMINE][after] - 100.0, 0.0, None)
    return float(np.trapezoid(excess, result.time[after]))


def ratio_to_control(condition: str, cocaine_mg_per_kg: float = 1.0) -> float:
    return dopamine_rise(protocol(condition, cocaine_mg_per_kg)) / dopamine_rise(
        protocol("control", cocaine_mg_per_kg)
    )


def figure(out_dir, stem: str, conditions: tuple[str, ...], title: str):
    """Sensitisation over the protocol and the dopamine response at the test, per condition."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from opioidsim.experiments.framework import save_figure

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for k, name in enumerate(conditions):
        result = protocol(name, 1.0)
        style = {"ls": LINE_STYLES[k % len(LINE_STYLES)], "lw": 1.6}
        left.plot(result.time / 24, result["stress_sensitisation.level"], label=name, **style)
        after = result.time >= TEST_H - 0.1
        right.plot(
            60 * (result.time[after] - TEST_H),
            result[DOPAMINE][after],
            label=f"{name} (observed: {OBSERVED_PREFERENCE[name]})",
            **style,
        )
    for t in DEFEAT_TIMES_H:
        left.axvline(t / 24, color="0.8", lw=0.8)
    left.set(
        xlabel="days (grey: defeats)",
        ylabel="sensitisation of drug-evoked dopamine (0-1)",
        title="defeats build a slow sensitisation",
    )
    right.set(
        xlabel="minutes after cocaine 1 mg/kg i.p. (21 d after the 4th defeat)",
        ylabel="accumbens dopamine (% of baseline)",
        title=title,
    )
    left.legend(fontsize=7)
    right.legend(fontsize=7)
    return save_figure(fig, out_dir, stem)
