"""COCAINE: cocaine kinetics, dopamine-transporter occupancy and accumbens dopamine.

Cocaine (``pharmacokinetics/cocaine.py``) blocks the dopamine transporter
(``receptors/dopamine_transporter.py``); accumbens dopamine rises as its clearance slows
(``reward``), and the learned drug value follows the dopamine surge, as for opioids.

Protocols and data
- Human kinetics: cocaine HCl 32 mg IV over 1 min (t1/2 from the log-linear plasma slope
  1-4 h) and 0.9 mg/kg insufflated (peak plasma). VALIDATION (cocaine_human_pharmacokinetics:
  Javaid 1983; the 1996 intranasal study in men); the disposition comes from Chow 1985 and
  Jeffcoat 1989.
- Human DAT occupancy: 0.3 and 0.6 mg/kg IV, peak occupancy. CALIBRATION (Volkow 1997; the
  same subjects' ED50 sets the transporter's dissociation constant).
- Mouse DAT occupancy: 0.25 and 1 mg/kg IV. VALIDATION (PMID 10485970): the human-derived
  constant through the mouse kinetics.
- Mouse brain kinetics: 10 and 25 mg/kg i.p.; brain time to peak and half-life. CALIBRATION
  (Benuck 1987 sets the mouse clearance and absorption).
- Rat striatal dopamine after 20 mg/kg i.p.: peak dialysate dopamine. CALIBRATION (Keller
  1992 sets the transporter share of dopamine clearance).
- Rat self-administration (PMID 2015506): each unit dose at the reported intake, spread
  evenly over 3 h; mean dopamine over hours 1-3. VALIDATION.

Not simulated yet (issue 14): cocaine-evoked beta-endorphin release in the accumbens and
the chronic induction of striatal dynorphin (the evidence's opioid coupling of cocaine).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from opioidsim.experiments._protocols import dose, infusion, mean_over, run
from opioidsim.experiments.framework import (
    AbstractExperiment,
    Check,
    ExperimentOutcome,
    save_figure,
)
from opioidsim.io.datasets import load_dataset

OCCUPANCY = "dopamine_transporter.occupancy"
DOPAMINE = "reward.dopamine_percent_baseline"
PLASMA = "cocaine.plasma_concentration"
BRAIN = "cocaine.brain_concentration"
BASE_G_PER_MOL = 303.35  # cocaine base: plasma levels are reported as the base
MOUSE = {"species": "mouse", "body_weight": "0.025 kg"}
RAT = {"species": "rat", "body_weight": "0.3 kg"}
SA_HOURS = 3.0
RAT_KG = 0.3


def _peak_occupancy(mg_per_kg: float, **subject) -> tuple[float, object]:
    result = run([dose("cocaine", f"{mg_per_kg} mg/kg", "iv", 0.0)], 1.0, step_min=0.1, **subject)
    return float(np.max(result[OCCUPANCY])), result


def _half_life_h(times: np.ndarray, values: np.ndarray, start: float, end: float) -> float:
    window = (times >= start) & (times <= end) & (values > 0)
    slope = np.polyfit(times[window], np.log(values[window]), 1)[0]
    return float(np.log(2) / -slope)


def _human_kinetics() -> dict[str, float]:
    iv = run([infusion("cocaine", "32 mg/min", "iv", 0.0, 1.0 / 60.0)], 5.0, step_min=1.0)
    nasal = run([dose("cocaine", "0.9 mg/kg", "intranasal", 0.0)], 3.0, step_min=0.5)
    return {
        "IV elimination half-life (min)": 60 * _half_life_h(iv.time, iv[PLASMA], 1.0, 4.0),
        "intranasal 0.9 mg/kg peak plasma (ng/mL)": float(np.max(nasal[PLASMA]))
        * BASE_G_PER_MOL
        / 1000.0,
    }


def _mouse_brain() -> dict[str, list[float]]:
    peaks, halves = [], []
    for mg in (10.0, 25.0):
        r = run([dose("cocaine", f"{mg} mg/kg", "ip", 0.0)], 2.0, step_min=0.25, **MOUSE)
        t_peak = float(r.time[np.argmax(r[BRAIN])])
        peaks.append(60 * t_peak)
        halves.append(60 * _half_life_h(r.time, r[BRAIN], t_peak + 0.25, 1.5))
    return {"brain time to peak (min)": peaks, "brain half-life (min)": halves}


def _self_administration(mg_per_infusion: float, intake_mg: float):
    count = round(intake_mg / mg_per_infusion)
    every_min = 60 * SA_HOURS / count
    result = run(
        [
            dose(
                "cocaine",
                f"{mg_per_infusion / RAT_KG!r} mg/kg",
                "iv",
                0.0,
                every=f"{every_min!r} min",
                count=count,
            )
        ],
        SA_HOURS,
        step_min=1.0,
        **RAT,
    )
    return mean_over(result, DOPAMINE, 1.0, SA_HOURS), result, every_min


def _run(out_dir: Path) -> ExperimentOutcome:
    checks: list[Check] = []
    notes: list[str] = []

    data = load_dataset("cocaine_human_pharmacokinetics")
    kinetics = _human_kinetics()
    for row in data.rows():
        value, spread = float(row["value"]), float(row["spread"])
        simulated = kinetics[row["quantity"]]
        lo, hi = value - 2 * spread, value + 2 * spread
        checks.append(
            Check.of(
                data,
                "human",
                row["quantity"],
                value,
                simulated,
                "",
                "mean +- 2 x spread",
                lo <= simulated <= hi,
                label=f"{value:g} +- {spread:g}",
            )
        )

    data = load_dataset("volkow_1997_cocaine_dat_occupancy")
    human_curves = {}
    for row in data.rows():
        mg = float(row["dose_mg_per_kg"])
        occ, human_curves[mg] = _peak_occupancy(mg)
        lo, hi = float(row["lower"]), float(row["upper"])
        checks.append(
            Check.of(
                data,
                f"human {mg:g} mg/kg IV",
                "peak DAT occupancy",
                None,
                occ,
                "",
                "within the reported range",
                lo <= occ <= hi,
                label=f"{lo:g}-{hi:g}",
            )
        )

    data = load_dataset("gatley_1999_mouse_cocaine_dat")
    for row in data.rows():
        mg, observed = float(row["dose_mg_per_kg"]), float(row["occupancy"])
        occ, _ = _peak_occupancy(mg, **MOUSE)
        checks.append(
            Check.of(
                data,
                f"mouse {mg:g} mg/kg IV",
                "peak DAT occupancy",
                observed,
                occ,
                "",
                "+- 0.15",
                abs(occ - observed) <= 0.15,
            )
        )

    data = load_dataset("benuck_1987_mouse_cocaine_pk")
    brain = _mouse_brain()
    for row in data.rows():
        lo, hi = float(row["lower"]), float(row["upper"])
        for mg, value in zip((10, 25), brain[row["quantity"]], strict=True):
            checks.append(
                Check.of(
                    data,
                    f"mouse {mg} mg/kg i.p.",
                    row["quantity"],
                    None,
                    value,
                    "min",
                    "within",
                    lo <= value <= hi,
                    label=f"{lo:g}-{hi:g}",
                )
            )

    data = load_dataset("keller_1992_rat_cocaine_dopamine")
    keller = run([dose("cocaine", "20 mg/kg", "ip", 0.0)], 3.0, step_min=0.5, **RAT)
    fold = float(np.max(keller[DOPAMINE])) / 100.0
    checks.append(
        Check.of(
            data,
            "rat 20 mg/kg i.p.",
            "peak dopamine (x baseline)",
            6.0,
            fold,
            "x",
            "5-7 (fit target)",
            5.0 <= fold <= 7.0,
        )
    )

    data = load_dataset("cocaine_self_administration_dopamine")
    plateaus, sa_runs = {}, {}
    for row in data.rows():
        unit, intake = float(row["mg_per_infusion"]), float(row["intake_mg"])
        observed, spread = float(row["dopamine_percent"]), float(row["spread"])
        plateau, sa_runs[unit], every = _self_administration(unit, intake)
        plateaus[unit] = plateau
        lo, hi = observed - 2 * spread, observed + 2 * spread
        checks.append(
            Check.of(
                data,
                f"rat {unit:g} mg/infusion every {every:.1f} min",
                "dopamine, mean of hours 1-3",
                observed,
                plateau,
                "%",
                "mean +- 2 SEM",
                lo <= plateau <= hi,
                label=f"{observed:g} +- {spread:g}",
            )
        )
    rise = (plateaus[0.75] - 100) / max(plateaus[0.25] - 100, 1e-9)
    checks.append(
        Check.of(
            data,
            "rat 0.25 vs 0.75 mg/infusion",
            "plateau rises with unit dose",
            (464 - 100) / (269 - 100),
            rise,
            "ratio of rises",
            "> 1.1",
            rise > 1.1,
        )
    )

    notes.append(
        "human: "
        + ", ".join(f"{k} {v:.3g}" for k, v in kinetics.items())
        + "; mouse brain: "
        + ", ".join(f"{k} {', '.join(f'{x:.1f}' for x in v)}" for k, v in brain.items())
    )
    notes.append(f"rat 20 mg/kg i.p.: peak dopamine {fold:.2f} x baseline")
    notes += [f"rat self-administration {u:g} mg/infusion: {p:.0f}%" for u, p in plateaus.items()]
    notes.append(
        "not simulated: cocaine-evoked accumbens beta-endorphin and chronic striatal dynorphin"
    )
    outcome = ExperimentOutcome(
        name="COCAINE", title=EXPERIMENT.title, phenomenon="COCAINE", checks=checks, notes=notes
    )
    outcome.figure = _figure(out_dir, human_curves, sa_runs)
    return outcome


def _figure(out_dir: Path, human_curves: dict, sa_runs: dict) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(1, 3, figsize=(14, 4))
    for mg, r in sorted(human_curves.items()):
        ax[0].plot(r.time * 60, 100 * r[OCCUPANCY], label=f"{mg:g} mg/kg IV")
    ax[0].axhspan(60, 77, color="grey", alpha=0.25, label="observed 60-77 % (Volkow 1997)")
    ax[0].set(
        xlabel="minutes after the dose",
        ylabel="striatal DAT occupancy (%)",
        title="human: transporter occupancy",
        ylim=(0, 100),
    )
    ax[0].legend(fontsize=8)
    doses = sorted(sa_runs)
    data = load_dataset("cocaine_self_administration_dopamine")
    observed = {
        float(r["mg_per_infusion"]): (float(r["dopamine_percent"]), float(r["spread"]))
        for r in data.rows()
    }
    for unit in doses:
        r = sa_runs[unit]
        ax[1].plot(r.time * 60, r[DOPAMINE], label=f"simulated, {unit:g} mg/infusion")
    ax[1].set(
        xlabel="minutes of self-administration",
        ylabel="accumbens dopamine (% of baseline)",
        title="rat: dopamine during self-administration",
    )
    ax[1].legend(fontsize=8)
    ax[2].errorbar(
        doses,
        [observed[d][0] for d in doses],
        yerr=[2 * observed[d][1] for d in doses],
        fmt="ko",
        capsize=3,
        label="observed mean +- 2 SEM (Brain Res 1991)",
    )
    ax[2].plot(doses, [100 + 0 * d for d in doses], ":", color="grey")
    ax[2].plot(
        doses,
        [float(np.mean(sa_runs[d][DOPAMINE][sa_runs[d].time >= 1.0])) for d in doses],
        "s-",
        label="simulated, mean of hours 1-3",
    )
    ax[2].set(
        xlabel="unit dose (mg cocaine HCl per infusion)",
        ylabel="accumbens dopamine (% of baseline)",
        title="rat: dose-response",
    )
    ax[2].legend(fontsize=8)
    fig.suptitle("COCAINE: kinetics, transporter occupancy and accumbens dopamine")
    fig.tight_layout()
    return save_figure(fig, out_dir, "cocaine")


EXPERIMENT = AbstractExperiment(
    name="COCAINE",
    phenomenon="COCAINE",
    title="cocaine occupies the dopamine transporter and raises accumbens dopamine",
    dataset_names=(
        "cocaine_human_pharmacokinetics",
        "volkow_1997_cocaine_dat_occupancy",
        "gatley_1999_mouse_cocaine_dat",
        "benuck_1987_mouse_cocaine_pk",
        "keller_1992_rat_cocaine_dopamine",
        "cocaine_self_administration_dopamine",
    ),
    run=_run,
    description=__doc__ or "",
)
