"""WD-SPONT: spontaneous withdrawal follows each drug's kinetics.

Protocols (regimens in ``experiments/_withdrawal.py``): heroin, morphine, methadone and
buprenorphine to steady dependence, then abrupt stop; the somatic withdrawal index (locus
coeruleus drive: adapted cAMP minus current mu inhibition, plus CRF sensitisation) is read
for 16 days after the last dose. Rat: morphine 10 mg/kg s.c. every 8 h for 14 days
(assumption: Martin 1963's "large doses"), then stop.

Nothing here is special-cased: the course is the drug's elimination (and, for
buprenorphine, its slow dissociation from the receptor) meeting the slow decay of the
adaptation.

Readouts: onset = first time the index exceeds 25% of its peak after the trough the last
dose produces (intermittent dosing leaves the previous interval's withdrawal at the time of
the last dose; that leftover is not the onset); resolution = last time it exceeds it; peak
time; area under the index for 16 days. Human severity on an observer scale (SOWS-Gossop) is
the calibrated map of ``_withdrawal``.

Data: VALIDATION, the clinical time-course bounds (neuro.md section 1); CALIBRATION since
issue 13, Martin 1963 in rats (neuroadaptation.camp_decay_rate was set from it); CALIBRATION
(observer map only): Gorodetzky 2017 placebo arm.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from opioidsim.experiments._protocols import dose, optional_bound, run
from opioidsim.experiments._withdrawal import (
    REGIMENS,
    SOMATIC,
    SOWS_GOSSOP_MAX,
    Course,
    after_last_dose,
    course,
    day3_heroin_index,
    observer_score,
)
from opioidsim.experiments.framework import (
    AbstractExperiment,
    Check,
    ExperimentOutcome,
    save_figure,
)
from opioidsim.io.datasets import load_dataset

FOLLOW_H = 16 * 24.0
QUARTER = 0.25
HUMAN_DRUGS = ("heroin", "morphine", "methadone", "buprenorphine")
RAT_DOSE_MG_PER_KG = 10.0
RAT_EVERY_H = 8.0
RAT_DAYS = 14.0
RAT_WEIGHT = "0.3 kg"


def _features(c: Course) -> dict[str, float]:
    level = QUARTER * c.peak
    return {
        "onset (first > 25% of peak) h": c.onset(level),
        "peak time h": c.peak_time_h,
        "resolution (last > 25% of peak) h": c.last_above(level),
        "peak": c.peak,
        "area": c.area(),
    }


def _human_courses() -> dict[str, Course]:
    courses = {}
    for drug in HUMAN_DRUGS:
        result, last = after_last_dose(REGIMENS[drug], [], FOLLOW_H, step_min=30)
        courses[drug] = course(result, SOMATIC, last)
    return courses


@cache
def _rat_course() -> Course:
    doses = [
        dose(
            "morphine",
            f"{RAT_DOSE_MG_PER_KG} mg/kg",
            "sc",
            0.0,
            every=f"{RAT_EVERY_H} h",
            **{"for": f"{RAT_DAYS} d"},
        )
    ]
    last = RAT_DAYS * 24.0 - RAT_EVERY_H
    result = run(doses, last + 8 * 24.0, step_min=20, species="rat", body_weight=RAT_WEIGHT)
    return course(result, SOMATIC, last)


def _bounds_check(data, condition: str, quantity: str, value: float, lower, upper, unit: str):
    lo, hi = optional_bound(lower), optional_bound(upper)
    passed = (
        bool(np.isfinite(value)) and (lo is None or value >= lo) and (hi is None or value <= hi)
    )
    if lo is not None and hi is not None:
        label, criterion = f"{lo:g}-{hi:g} {unit}", "within"
    elif lo is not None:
        label, criterion = f">= {lo:g} {unit}", "at least"
    else:
        label, criterion = f"<= {hi:g} {unit}", "at most"
    return Check.of(data, condition, quantity, None, value, unit, criterion, passed, label.strip())


def _run(out_dir: Path) -> ExperimentOutcome:
    clinical = load_dataset("wd_spont_clinical_time_course")
    courses = _human_courses()
    features = {d: _features(c) for d, c in courses.items()}
    heroin = features["heroin"]
    checks = []
    for row in clinical.rows():
        drug, quantity = row["drug"], row["quantity"]
        f = features[drug]
        unit = "h"
        if quantity == "peak delay vs heroin h":
            value = f["peak time h"] - heroin["peak time h"]
        elif quantity == "area ratio vs heroin":
            value, unit = f["area"] / heroin["area"], ""
        else:
            value = f[quantity]
        checks.append(
            _bounds_check(
                clinical, f"{drug} stopped", quantity, value, row["lower"], row["upper"], unit
            )
        )
    rat_data = load_dataset("wd_spont_rat_morphine")
    rat = _features(_rat_course())
    for row in rat_data.rows():
        checks.append(
            _bounds_check(
                rat_data,
                f"rat morphine {RAT_DOSE_MG_PER_KG:g} mg/kg s.c. q{RAT_EVERY_H:g}h stopped",
                row["quantity"],
                rat[row["quantity"]],
                row["lower"],
                row["upper"],
                "h",
            )
        )
    calibration = load_dataset("gorodetzky_2017_placebo_sows")
    observed = float(calibration.rows()[0]["sows_gossop"])
    simulated = float(observer_score(day3_heroin_index(), SOWS_GOSSOP_MAX))
    checks.append(
        Check(
            calibration.name,
            calibration.role,
            "heroin stopped, day 3 (48-72 h)",
            "SOWS-Gossop (observer map, fitted)",
            observed,
            simulated,
            "",
            "fit",
            abs(simulated - observed) < 0.01,
        )
    )
    notes = [
        f"{d}: peak index {f['peak']:.3f} at {f['peak time h']:.0f} h; onset "
        f"{f['onset (first > 25% of peak) h']:.1f} h; resolution "
        f"{f['resolution (last > 25% of peak) h']:.0f} h; peak SOWS-Gossop "
        f"{float(observer_score(f['peak'], SOWS_GOSSOP_MAX)):.1f}/30"
        for d, f in features.items()
    ]
    notes.append(
        f"rat: peak index {rat['peak']:.3f} at {rat['peak time h']:.1f} h; onset "
        f"{rat['onset (first > 25% of peak) h']:.1f} h; resolution "
        f"{rat['resolution (last > 25% of peak) h']:.0f} h"
    )
    outcome = ExperimentOutcome(
        name="WD-SPONT", title=EXPERIMENT.title, phenomenon="WD-SPONT", checks=checks, notes=notes
    )
    outcome.figure = _figure(out_dir, courses, _rat_course())
    return outcome


def _figure(out_dir: Path, courses: dict[str, Course], rat: Course) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(1, 2, figsize=(11, 4))
    for drug, c in courses.items():
        ax[0].plot(c.time_h / 24, observer_score(c.value, SOWS_GOSSOP_MAX), label=drug)
    ax[0].set(xlabel="days after the last dose", ylabel="SOWS-Gossop (model, 0-30)")
    ax[1].plot(rat.time_h, rat.value, c="k")
    ax[1].axvspan(8, 16, color="grey", alpha=0.2, label="onset 8-16 h (Martin 1963)")
    ax[1].set(xlabel="hours after the last morphine dose (rat)", ylabel="somatic index")
    for a in ax:
        a.grid(alpha=0.3)
        a.legend(fontsize=8)
    fig.suptitle("WD-SPONT: spontaneous withdrawal after each drug")
    return save_figure(fig, out_dir, "wd_spont")


EXPERIMENT = AbstractExperiment(
    name="WD-SPONT",
    phenomenon="WD-SPONT",
    title="spontaneous withdrawal follows each drug's kinetics",
    dataset_names=(
        "wd_spont_clinical_time_course",
        "wd_spont_rat_morphine",
        "gorodetzky_2017_placebo_sows",
    ),
    run=_run,
    description=__doc__ or "",
)
