"""WD-NEGREINF's relapse part: extinction, reinstatement by prime, cue and stress, and
incubation of cue-induced seeking, in rats trained to self-administer heroin.

Protocols (8 rats of 0.35 kg per condition, identical but for their random streams; heroin
0.1 mg/kg per infusion, FR1, 20-s time-out, the drug-paired cue on while heroin is
available)
- Reinstatement (Shaham & Stewart 1995; Shaham 2000; de Wit & Stewart 1983; Stewart & Wise
  1992): 10 daily 3-h training sessions, 10 daily 3-h extinction sessions (responses deliver
  nothing, cue off), then one 3-h test (responses deliver nothing) with the condition's
  prime, drug, stressor or cue. Index = (mean test responses + 1) / (mean responses in the
  saline test + 1).
- Cue after 3 weeks of extinction (Gracy 2000): 21 extinction sessions, test with the cue on.
- Incubation (Kuntz 2008): 14 training sessions, 1 or 14 days of forced abstinence in the
  home cage, then a 3-h cue test.

Data: VALIDATION (shaham_1995_footshock_heroin_reinstatement,
shaham_2000_stressors_heroin_reinstatement, de_wit_1983_heroin_prime_reinstatement,
stewart_wise_1992_morphine_prime_naltrexone, kuntz_2008_heroin_incubation); CALIBRATION
(gracy_2000_heroin_cue_reinstatement: the reward module's value forgetting cites it).
Criteria were written into each data set before any run of these protocols.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from opioidsim.experiments.framework import Check
from opioidsim.io.datasets import load_dataset
from opioidsim.protocols.self_administration import SelfAdministration, load
from opioidsim.simulation.self_administration import (
    SelfAdministrationResult,
    simulate_self_administration,
)

RAT = {"species": "rat", "sex": "male", "body_weight": "0.35 kg"}
SESSION_START_H = 9.0
SESSION_H = 3.0
TRAINING_DOSE = "0.1 mg/kg"
RATS = 8
SEED = 23

#: Access history (Ahmed 2000; Lenoir & Ahmed 2007): 10 x 1 h, then 14 daily sessions of
#: 1 or 6 h at 40 ug per infusion; then 10 x 3 h extinction and a 3-h test.
ACCESS_DOSE = "0.12 mg/kg"
ACCESS_HOURS = (1.0, 6.0)
ACCESS_TESTS: dict[str, tuple[list[dict], list[dict]]] = {
    "saline": ([], []),
    "footshock": ([], [{"kind": "footshock", "before": 0.0, "duration": "10 min"}]),
    "heroin 20 ug IV": (
        [{"drug": "heroin", "amount": "0.057 mg/kg", "route": "iv", "before": 0.0}],
        [],
    ),
}

DATASETS = (
    "shaham_1995_footshock_heroin_reinstatement",
    "shaham_2000_stressors_heroin_reinstatement",
    "de_wit_1983_heroin_prime_reinstatement",
    "stewart_wise_1992_morphine_prime_naltrexone",
    "gracy_2000_heroin_cue_reinstatement",
    "kuntz_2008_heroin_incubation",
    "ahmed_lenoir_long_access_relapse",
)


@dataclass
class Relapse:
    """What the relapse protocols measured, for the checks, notes and figure."""

    #: Mean responses per session (training, extinction, test) of the saline condition.
    saline_sessions: np.ndarray
    #: Mean test responses per condition.
    test: dict[str, float] = field(default_factory=dict)
    #: Mean trained responses (the last 3 training sessions) and the cue test after 3 weeks.
    trained: float = 0.0
    cue_after_three_weeks: float = 0.0
    #: Mean cue-test responses after 1 and 14 days of abstinence.
    incubation: dict[int, float] = field(default_factory=dict)
    #: By daily access (h): mean responses in the first 3 extinction sessions, and in each
    #: test of ``ACCESS_TESTS``.
    early_extinction: dict[float, float] = field(default_factory=dict)
    access_test: dict[tuple[float, str], float] = field(default_factory=dict)

    def index(self, condition: str) -> float:
        return (self.test[condition] + 1.0) / (self.test["saline"] + 1.0)


def heroin_rats(
    sessions: list[dict],
    days: int,
    unit_dose: str,
    doses: list[dict] | None = None,
    events: list[dict] | None = None,
    subjects: int = 1,
    seed: int = SEED,
) -> tuple[SelfAdministrationResult, SelfAdministration]:
    """Rats (0.35 kg) with heroin IV at FR1 (20-s time-out) in ``sessions``: the run and its
    parsed block (WD-NEGREINF's protocols all start here)."""
    scenario, block = load(
        {
            "subject": RAT,
            "duration": f"{24 * days} h",
            "output_interval": "1 h",
            "seed": seed,
            "doses": doses or [],
            "events": events or [],
            "self_administration": {
                "drug": "heroin",
                "dose": unit_dose,
                "fixed_ratio": 1,
                "time_out": "20 s",
                "sessions": sessions,
            },
        }
    )
    return simulate_self_administration(scenario, block, subjects=subjects), block


def _rats(
    sessions: list[dict],
    days: int,
    doses: list[dict],
    events: list[dict],
    unit_dose: str = TRAINING_DOSE,
) -> np.ndarray:
    """Responses per session (rats x sessions) for 8 rats trained on heroin."""
    run, _ = heroin_rats(sessions, days, unit_dose, doses, events, subjects=RATS)
    return run.responses_per_session()


def _series(
    day: int, count: int, *, reinforced: bool, cue: bool, hours: float = SESSION_H
) -> dict:
    return {
        "start": f"{SESSION_START_H + 24 * day} h",
        "duration": f"{hours} h",
        "count": count,
        "reinforced": reinforced,
        "cue": cue,
    }


def _at(test_start_h: float, entry: dict) -> dict:
    """A dose or event given ``entry['before']`` hours before (negative: after) the test."""
    out = {key: value for key, value in entry.items() if key != "before"}
    out["time"] = f"{test_start_h - entry['before']!r} h"
    return out


#: Test conditions: (doses, events, cue on) relative to the test session's start.
CONDITIONS: dict[str, tuple[list[dict], list[dict], bool]] = {
    "saline": ([], [], False),
    "footshock 10 min": ([], [{"kind": "footshock", "before": 0.0, "duration": "10 min"}], False),
    "heroin 0.05 mg/kg IV": (
        [{"drug": "heroin", "amount": "0.05 mg/kg", "route": "iv", "before": 0.0}],
        [],
        False,
    ),
    "heroin 0.1 mg/kg IV": (
        [{"drug": "heroin", "amount": "0.1 mg/kg", "route": "iv", "before": 0.0}],
        [],
        False,
    ),
    "heroin 0.2 mg/kg IV": (
        [{"drug": "heroin", "amount": "0.2 mg/kg", "route": "iv", "before": 0.0}],
        [],
        False,
    ),
    "morphine 2 mg/kg s.c.": (
        [{"drug": "morphine", "amount": "2 mg/kg", "route": "sc", "before": 0.25}],
        [],
        False,
    ),
    "morphine 10 mg/kg s.c.": (
        [{"drug": "morphine", "amount": "10 mg/kg", "route": "sc", "before": 0.25}],
        [],
        False,
    ),
    "naltrexone 2 mg/kg s.c.": (
        [{"drug": "naltrexone", "amount": "2 mg/kg", "route": "sc", "before": 0.25}],
        [],
        False,
    ),
    "morphine 10 mg/kg, then naltrexone 5 mg/kg": (
        [
            {"drug": "morphine", "amount": "10 mg/kg", "route": "sc", "before": 3.0},
            {"drug": "naltrexone", "amount": "5 mg/kg", "route": "sc", "before": 0.25},
        ],
        [],
        False,
    ),
    "restraint 30 min": ([], [{"kind": "restraint", "before": 0.0, "duration": "30 min"}], False),
}


#: What each study saw (no counts were retrieved): shown beside the simulated bars.
OBSERVED = {
    "footshock 10 min": "reinstates, about as a 0.05 mg/kg prime",
    "heroin 0.05 mg/kg IV": "reinstates",
    "heroin 0.1 mg/kg IV": "reinstates",
    "heroin 0.2 mg/kg IV": "reinstates",
    "morphine 2 mg/kg s.c.": "reinstates for 1-4 h",
    "morphine 10 mg/kg s.c.": "reinstates for 1-4 h",
    "naltrexone 2 mg/kg s.c.": "below saline",
    "morphine 10 mg/kg, then naltrexone 5 mg/kg": "does not reinstate",
    "restraint 30 min": "does not reinstate",
}


def _reinstatement_test(
    condition: str, *, extinction_sessions: int = 10, training: int = 10
) -> np.ndarray:
    doses, events, cue = CONDITIONS[condition]
    test_day = training + extinction_sessions
    test_start = SESSION_START_H + 24 * test_day
    sessions = [
        _series(0, training, reinforced=True, cue=True),
        _series(training, extinction_sessions, reinforced=False, cue=False),
        _series(test_day, 1, reinforced=False, cue=cue),
    ]
    return _rats(
        sessions,
        test_day + 1,
        [_at(test_start, d) for d in doses],
        [_at(test_start, e) for e in events],
    )


def _access_history(hours: float, test: str) -> np.ndarray:
    """Responses per session after 10 x 1 h training and 14 sessions of ``hours``."""
    doses, events = ACCESS_TESTS[test]
    extinction_day = 10 + 14
    test_day = extinction_day + 10
    test_start = SESSION_START_H + 24 * test_day
    sessions = [
        _series(0, 10, reinforced=True, cue=True, hours=1.0),
        _series(10, 14, reinforced=True, cue=True, hours=hours),
        _series(extinction_day, 10, reinforced=False, cue=False),
        _series(test_day, 1, reinforced=False, cue=False),
    ]
    return _rats(
        sessions,
        test_day + 1,
        [_at(test_start, d) for d in doses],
        [_at(test_start, e) for e in events],
        unit_dose=ACCESS_DOSE,
    )


def measure() -> Relapse:
    """Run every relapse protocol."""
    saline = _reinstatement_test("saline")
    relapse = Relapse(saline_sessions=saline.mean(axis=0))
    relapse.test["saline"] = float(saline[:, -1].mean())
    for condition in CONDITIONS:
        if condition != "saline":
            relapse.test[condition] = float(_reinstatement_test(condition)[:, -1].mean())
    late = _reinstatement_test("footshock 10 min", extinction_sessions=42)
    relapse.test["footshock after 6 weeks"] = float(late[:, -1].mean())
    late_saline = _reinstatement_test("saline", extinction_sessions=42)
    relapse.test["saline after 6 weeks"] = float(late_saline[:, -1].mean())
    relapse.trained = float(saline[:, 7:10].mean())
    three_weeks = 21
    cue = _rats(
        [
            _series(0, 10, reinforced=True, cue=True),
            _series(10, three_weeks, reinforced=False, cue=False),
            _series(10 + three_weeks, 1, reinforced=False, cue=True),
        ],
        10 + three_weeks + 1,
        [],
        [],
    )
    relapse.cue_after_three_weeks = float(cue[:, -1].mean())
    for days in (1, 14):
        test_day = 13 + days
        incubated = _rats(
            [
                _series(0, 14, reinforced=True, cue=True),
                _series(test_day, 1, reinforced=False, cue=True),
            ],
            test_day + 1,
            [],
            [],
        )
        relapse.incubation[days] = float(incubated[:, -1].mean())
    for hours in ACCESS_HOURS:
        for test in ACCESS_TESTS:
            counts = _access_history(hours, test)
            relapse.access_test[(hours, test)] = float(counts[:, -1].mean())
            if test == "saline":
                relapse.early_extinction[hours] = float(counts[:, 24:27].sum(axis=1).mean())
    return relapse


def _index(relapse: Relapse, hours: float) -> float:
    """The prime's reinstatement index for one access history (its own saline test)."""
    return (relapse.access_test[(hours, "heroin 20 ug IV")] + 1.0) / (
        relapse.access_test[(hours, "saline")] + 1.0
    )


def checks(relapse: Relapse) -> tuple[list[Check], list[str]]:
    """The validation checks of the relapse protocols, and notes with their numbers."""
    late_index = (relapse.test["footshock after 6 weeks"] + 1) / (
        relapse.test["saline after 6 weeks"] + 1
    )
    shock_over_prime = relapse.test["footshock 10 min"] / max(
        relapse.test["heroin 0.05 mg/kg IV"], 1e-9
    )
    simulated = {
        "footshock 10 min: reinstatement index": relapse.index("footshock 10 min"),
        "footshock after 6 weeks of extinction: reinstatement index": late_index,
        "footshock over heroin 0.05 mg/kg prime: responses": shock_over_prime,
        "naltrexone 5 mg/kg after morphine 10 mg/kg (precipitated withdrawal): "
        "reinstatement index": relapse.index("morphine 10 mg/kg, then naltrexone 5 mg/kg"),
        "restraint 30 min: reinstatement index": relapse.index("restraint 30 min"),
        "heroin 0.05 mg/kg IV prime: reinstatement index": relapse.index("heroin 0.05 mg/kg IV"),
        "heroin 0.1 mg/kg IV prime: reinstatement index": relapse.index("heroin 0.1 mg/kg IV"),
        "heroin 0.2 mg/kg IV prime: reinstatement index": relapse.index("heroin 0.2 mg/kg IV"),
        "morphine 2 mg/kg s.c.: reinstatement index": relapse.index("morphine 2 mg/kg s.c."),
        "morphine 10 mg/kg s.c.: reinstatement index": relapse.index("morphine 10 mg/kg s.c."),
        "naltrexone 2 mg/kg s.c. alone: responses over saline (index)": relapse.index(
            "naltrexone 2 mg/kg s.c."
        ),
        "cue after 3 weeks of extinction: test responses over trained responses": (
            relapse.cue_after_three_weeks / relapse.trained
        ),
        "cue test responses: 14 days of abstinence over 1 day": relapse.incubation[14]
        / max(relapse.incubation[1], 1e-9),
        "responses in the first 3 extinction sessions: long over short access": (
            relapse.early_extinction[6.0] / max(relapse.early_extinction[1.0], 1e-9)
        ),
        "footshock test responses: long over short access": relapse.access_test[(6.0, "footshock")]
        / max(relapse.access_test[(1.0, "footshock")], 1e-9),
        "heroin 20 ug IV prime after long access: reinstatement index": _index(relapse, 6.0),
        "heroin 20 ug IV prime after short access: reinstatement index": _index(relapse, 1.0),
    }
    found: list[Check] = []
    conditions = {
        "shaham_1995_footshock_heroin_reinstatement": "rat, 10 x 3 h heroin 0.1 mg/kg/inf, "
        "10 extinction sessions, 3-h test",
        "shaham_2000_stressors_heroin_reinstatement": "rat, as Shaham 1995, restraint in the "
        "test's first 30 min",
        "de_wit_1983_heroin_prime_reinstatement": "rat, as Shaham 1995, heroin IV at the test's "
        "start",
        "stewart_wise_1992_morphine_prime_naltrexone": "rat, as Shaham 1995, drug s.c. 15 min "
        "before the test",
        "gracy_2000_heroin_cue_reinstatement": "rat, 10 x 3 h heroin, 21 extinction sessions, "
        "3-h cue test",
        "kuntz_2008_heroin_incubation": "rat, 14 x 3 h heroin, 1 or 14 d abstinence, 3-h cue test",
        "ahmed_lenoir_long_access_relapse": "rat, 10 x 1 h then 14 x 1 or 6 h at 40 ug/inf, "
        "10 extinction sessions, 3-h test",
    }
    for name in DATASETS:
        found += Check.within_rows(load_dataset(name), conditions[name], simulated, "ratio")
    notes = [
        "mean responses per rat in the 3-h test: "
        + ", ".join(f"{condition} {value:.1f}" for condition, value in relapse.test.items()),
        "saline condition, mean responses per session: training "
        + " ".join(f"{v:.1f}" for v in relapse.saline_sessions[:10])
        + "; extinction "
        + " ".join(f"{v:.1f}" for v in relapse.saline_sessions[10:-1])
        + f"; test {relapse.saline_sessions[-1]:.1f}",
        f"cue after 3 weeks of extinction {relapse.cue_after_three_weeks:.1f} responses vs "
        f"{relapse.trained:.1f} trained (last 3 training sessions); cue test after 1 d "
        f"{relapse.incubation[1]:.1f}, after 14 d {relapse.incubation[14]:.1f}",
        "access history (1 h vs 6 h): responses in the first 3 extinction sessions "
        f"{relapse.early_extinction[1.0]:.1f} vs {relapse.early_extinction[6.0]:.1f}; test "
        + "; ".join(
            f"{test} {relapse.access_test[(1.0, test)]:.1f} vs "
            f"{relapse.access_test[(6.0, test)]:.1f}"
            for test in ACCESS_TESTS
        ),
    ]
    return found, notes


def draw(relapse: Relapse, axes) -> None:
    """Two panels: extinction and the test responses by condition."""
    ax = axes[0]
    sessions = relapse.saline_sessions
    ax.plot(range(1, 11), sessions[:10], "o-", label="training (heroin, cue on)")
    ax.plot(range(11, len(sessions)), sessions[10:-1], "s-", label="extinction (nothing)")
    ax.set(
        xlabel="daily 3-h session",
        ylabel="responses per session (mean of 8 rats)",
        title="Extinction of heroin seeking (simulated; no counts retrieved)",
    )
    ax.text(
        0.03,
        0.97,
        f"cue after 3 weeks of extinction: {relapse.cue_after_three_weeks:.1f} responses vs "
        f"{relapse.trained:.1f} trained\n(observed 12.8 vs 12.6, Gracy 2000)\n"
        f"cue test after 14 d / 1 d of abstinence: "
        f"{relapse.incubation[14] / max(relapse.incubation[1], 1e-9):.2f}\n"
        "(observed: seeking higher at 14 d, Kuntz 2008)",
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=7,
    )
    ax.set_ylim(0, 1.7 * float(np.max(sessions)))
    ax.legend(fontsize=7, loc="lower left")
    ax = axes[1]
    names = [name for name in relapse.test if "after 6 weeks" not in name]
    ax.barh(range(len(names)), [relapse.test[name] for name in names], color="C0")
    for row, name in enumerate(names):
        ax.text(
            relapse.test[name],
            row,
            f"  observed: {OBSERVED.get(name, 'baseline')}",
            va="center",
            fontsize=6,
        )
    saline = relapse.test["saline"]
    ax.axvline(2 * (saline + 1) - 1, color="k", ls="--", lw=1, label="reinstatement criterion")
    ax.set_yticks(range(len(names)), names, fontsize=7)
    ax.set(
        xlabel="responses in the 3-h test (mean of 8 rats)",
        title="Reinstatement after 10 extinction sessions",
    )
    ax.legend(fontsize=7)
