"""Competitive displacement: naloxone reverses fentanyl within minutes, buprenorphine slowly.

Protocols
- Fentanyl held near 25 or 50 ng/mL plasma by an IV infusion (rate = clearance x target,
  8 h to approach steady state), then naloxone 2 mg IM: time until fentanyl's mu occupancy
  falls to half its pre-naloxone value. MODEL COMPARISON (kind: model, shown, not counted)
  with an independent QSP model's prediction (PLoS One 2020: 3 and 10 min); criterion:
  within a factor 2 (stated margin), and longer at the higher fentanyl level.
- Buprenorphine 0.2 mg IV at t = 0; naloxone 0.8, 1.2 or 2.5 mg infused over 30 min from
  30 min: reversal = 1 - (respiratory depression with naloxone) / (without), at the end of
  the infusion, read from the mu_effects respiratory transducer as Dahan measured
  ventilation (the saturating mu_receptor signal, used before that module existed, hides
  most of the reversal). CALIBRATION since issue 13 (buprenorphine's binding and effect-site
  rates come from Yassen 2007, a model fitted to this trial): Dahan 2006 (0.8 mg: no
  effect; 1.2 mg: 50 %; 2.5 mg: 80 %); criterion: |sim - obs| <= 0.2 (our stated margin).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from opioidsim.experiments._protocols import (
    dose,
    fentanyl_rate_holding,
    infusion,
    run,
    value_at,
)
from opioidsim.experiments._withdrawal import RESPIRATORY
from opioidsim.experiments.framework import (
    AbstractExperiment,
    Check,
    ExperimentOutcome,
    save_figure,
)
from opioidsim.io.datasets import load_dataset

TIME_FACTOR = 2.0
REVERSAL_TOLERANCE = 0.2
EQUILIBRATION_H = 8.0
FENTANYL_OCC = "mu_receptor.occupancy[fentanyl]"


def _fentanyl_checks() -> tuple[list[Check], dict]:
    data = load_dataset("qsp_2020_naloxone_fentanyl_displacement")
    checks, curves, times = [], {}, {}
    for row in data.rows():
        level = float(row["fentanyl_plasma_ng_per_ml"])
        doses = [
            infusion("fentanyl", fentanyl_rate_holding(level), "iv", 0.0, EQUILIBRATION_H + 2),
            dose("naloxone", f"{row['naloxone_im_mg']} mg", "im", EQUILIBRATION_H),
        ]
        result = run(doses, EQUILIBRATION_H + 2.0, step_min=0.25)
        before = value_at(result, FENTANYL_OCC, EQUILIBRATION_H - 1e-3)
        after = result.time > EQUILIBRATION_H
        below = np.flatnonzero(result[FENTANYL_OCC][after] <= before / 2)
        minutes = (
            (float(result.time[after][below[0]]) - EQUILIBRATION_H) * 60
            if below.size
            else float("inf")
        )
        times[level] = minutes
        curves[level] = result
        observed = float(row["time_to_half_occupancy_min"])
        checks.append(
            Check(
                dataset=data.name,
                role=data.role,
                condition=f"fentanyl {level:g} ng/mL, naloxone {row['naloxone_im_mg']} mg IM",
                quantity="time to halve fentanyl occupancy",
                observed=observed,
                simulated=minutes,
                unit="min",
                criterion=f"within x{TIME_FACTOR}",
                passed=observed / TIME_FACTOR <= minutes <= observed * TIME_FACTOR,
                kind=data.kind,
            )
        )
    levels = sorted(times)
    checks.append(
        Check(
            dataset=data.name,
            role=data.role,
            condition="fentanyl 50 vs 25 ng/mL",
            quantity="slower at the higher level",
            observed=None,
            simulated=times[levels[-1]] - times[levels[0]],
            unit="min",
            criterion="> 0",
            passed=times[levels[-1]] > times[levels[0]],
            observed_label="slower",
            kind=data.kind,
        )
    )
    return checks, curves


def _buprenorphine_checks() -> tuple[list[Check], dict]:
    data = load_dataset("dahan_2006_buprenorphine_naloxone_reversal")
    base = [dose("buprenorphine", "0.2 mg", "iv", 0.0)]
    control = run(base, 3.0, step_min=1)
    checks, curves = [], {"control": control}
    for row in data.rows():
        mg = float(row["naloxone_dose_mg"])
        minutes = float(row["infusion_min"])
        rate = f"{mg / (minutes / 60.0)!r} mg/h"
        result = run(
            [*base, infusion("naloxone", rate, "iv", 0.5, minutes / 60.0)], 3.0, step_min=1
        )
        end = 0.5 + minutes / 60.0
        reversal = 1.0 - value_at(result, RESPIRATORY, end) / value_at(control, RESPIRATORY, end)
        curves[mg] = result
        observed = float(row["reversal_fraction"])
        checks.append(
            Check(
                dataset=data.name,
                role=data.role,
                condition=f"buprenorphine 0.2 mg IV, naloxone {mg:g} mg over {minutes:g} min",
                quantity="reversal of respiratory depression",
                observed=observed,
                simulated=reversal,
                unit="",
                criterion=f"|sim-obs| <= {REVERSAL_TOLERANCE}",
                passed=abs(reversal - observed) <= REVERSAL_TOLERANCE,
            )
        )
    return checks, curves


def _run(out_dir: Path) -> ExperimentOutcome:
    fentanyl_checks, fentanyl = _fentanyl_checks()
    bup_checks, bup = _buprenorphine_checks()
    outcome = ExperimentOutcome(
        name="DISPLACEMENT",
        title=EXPERIMENT.title,
        phenomenon="NTX-PRECIP",
        checks=fentanyl_checks + bup_checks,
        notes=[
            "fentanyl and naloxone binding kinetics are in vitro values (Mann 2022); "
            "buprenorphine's koff is the in vivo estimate of Yassen 2007"
        ],
    )
    outcome.figure = _figure(out_dir, fentanyl, bup)
    return outcome


def _figure(out_dir: Path, fentanyl, bup) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(1, 2, figsize=(11, 4))
    for level, result in fentanyl.items():
        t = (result.time - EQUILIBRATION_H) * 60
        mask = t >= -10
        ax[0].plot(t[mask], result[FENTANYL_OCC][mask], label=f"fentanyl {level:g} ng/mL")
    ax[0].set(xlabel="min after naloxone 2 mg IM", ylabel="fentanyl mu occupancy")
    for key, result in bup.items():
        label = "no naloxone" if key == "control" else f"naloxone {key:g} mg / 30 min"
        ax[1].plot(result.time * 60, result[RESPIRATORY], label=label)
    ax[1].set(xlabel="min after buprenorphine 0.2 mg IV", ylabel="respiratory depression")
    for a in ax:
        a.grid(alpha=0.3)
        a.legend(fontsize=8)
    fig.suptitle("Displacement by naloxone: fentanyl (fast) vs buprenorphine (slow)")
    return save_figure(fig, out_dir, "displacement")


EXPERIMENT = AbstractExperiment(
    name="DISPLACEMENT",
    phenomenon="NTX-PRECIP",
    title="naloxone displaces fentanyl in minutes, buprenorphine slowly and only at high doses",
    dataset_names=(
        "qsp_2020_naloxone_fentanyl_displacement",
        "dahan_2006_buprenorphine_naloxone_reversal",
    ),
    run=_run,
    description=__doc__ or "",
)
