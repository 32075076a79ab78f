"""VENT-OD: ventilation falls with the dose, can fail (overdose), and naloxone can rescue it.

The respiratory mu pathway (``mu_effects.respiratory_depression``: the fraction of the
respiratory drives removed at a fixed CO2) feeds the closed-loop ``ventilation`` module
(``physiology: [ventilation]``), where CO2 retention drives the chemoreflexes back up.

Protocols
- Fixed CO2 (Dahan 2005): fentanyl 1.1-7.1 ug/kg IV over 90 s in a 70 kg subject; peak drive
  removed within 1 h. CALIBRATION (the same study sets buprenorphine's relative efficacy):
  apnoea at a fixed CO2 is read as >= 90 % of the drive removed (stated rule).
- Room air (Mildh 2001): fentanyl infused at the rate that holds 5.1 ng/mL plasma (clearance x
  target) for 24 h; the fall of closed-loop minute ventilation at 24 h. VALIDATION: within
  the reported mean +/- 1 SD (50 +/- 11 %).
- Tolerance (Algera 2021): fentanyl's isohypercapnic C50 in chronic high-dose opioid users
  is 4.3 x the naive C50. CALIBRATION (the naive C50 of the same study sets fentanyl's
  affinity). The tolerant subject below (14 d of heroin 25 mg IV every 6 h, heroin continued)
  gets plasma fentanyl held for 24 h as in the naive calibration; the drive removed is read
  against the same subject without fentanyl at the same time (each subject's own baseline, as
  in the study), and the C50 found by root finding. Passes within the ratio range of the two
  C50s +/- 2 SE (1.86-9.29, written before the run).
- Rescue (no data; shown in the notes and figure): the smallest fentanyl dose on a grid of
  factor sqrt(2) (a doubling grid before session 18) that ends in arrest in a naive subject,
  alone and with naloxone 1 min later: 2 mg IM (the figure), 4 mg intranasal, 5 mg IM and
  2 mg IV (notes).
- Margin (no data; notes): the smallest heroin dose on a doubling grid from 25 mg, and the
  smallest fentanyl dose on a doubling grid from 100 ug, that meets the overdose definition
  (``simulation.overdose``: SpO2 < 70 % or apnoea > 60 s) in a naive subject and after 14
  days of heroin 25 mg IV every 6 h (the tolerant subject).
- Ceilings (notes): the largest fraction of the drive each ligand can remove at full
  occupancy, tau / (1 + tau) with tau = respiratory coupling x efficacy x respiratory
  receptor availability (``neuroadaptation``: the respiratory pathway loses receptors to
  the slow component only), naive and in the tolerant subject. The closed loop needs about
  0.94 held (0.97 at a heroin bolus's peak) before SpO2 falls below 70 %: a ligand whose
  tolerant ceiling lies below that has no finite tolerant margin.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.optimize import brentq

from opioidsim.experiments._protocols import dose, fentanyl_rate_holding, infusion, run
from opioidsim.experiments._withdrawal import RESPIRATORY
from opioidsim.experiments.framework import (
    AbstractExperiment,
    Check,
    ExperimentOutcome,
    save_figure,
)
from opioidsim.io.datasets import load_dataset
from opioidsim.model.default import build_model
from opioidsim.simulation.overdose import detect_overdose
from opioidsim.units import Q_

VENTILATION = "ventilation.ventilation_fraction"
SPO2 = "ventilation.arterial_o2_saturation"
ARREST = "ventilation.arrest"
AVAILABILITY = "neuroadaptation.mu_receptor_availability"
AVAILABILITY_NOTE = "tolerant subject's mu receptor availability"
RESPIRATORY_AVAILABILITY = "neuroadaptation.respiratory_receptor_availability"
RESPIRATORY_AVAILABILITY_NOTE = "tolerant subject's respiratory mu receptor availability"
PHYSIOLOGY = ("ventilation",)
APNOEA_DRIVE_REMOVED = 0.9  # apnoea at a fixed CO2: >= 90 % of the drive removed (rule)
BODY_WEIGHT_KG = 70.0
INFUSION_MIN = 1.5  # Dahan 2005 infused each dose over 90 s
HOLD_H = 24.0
RESCUE_DOSES_UG_KG = tuple(6.25 * 2.0 ** (k / 2.0) for k in range(15))  # 6.25 ... 800 ug/kg
#: naloxone products given 1 min after the fentanyl: the standard 2 mg IM and 4 mg intranasal,
#: the 5 mg IM product, and 2 mg IV as a clinician would give it
NALOXONE_ARMS = (("2 mg", "im"), ("4 mg", "intranasal"), ("5 mg", "im"), ("2 mg", "iv"))
FIGURE_ARM = "naloxone 2 mg im at 1 min"
NALOXONE_AFTER_H = 1.0 / 60.0
HEROIN_MG = 25.0
USE_DAYS = 14.0
MARGIN_MULTIPLES = tuple(2.0**k for k in range(0, 11))  # 25 mg ... 25.6 g
FENTANYL_START_UG = 100.0  # fentanyl margin grid: 100 ug ... 102.4 mg


def _fixed_co2_checks() -> tuple[list[Check], dict[float, float]]:
    data = load_dataset("dahan_2005_fentanyl_apnoea")
    checks, peaks = [], {}
    for row in data.rows():
        ug_kg = float(row["fentanyl_ug_per_kg"])
        rate = ug_kg * BODY_WEIGHT_KG / (INFUSION_MIN / 60.0)
        result = run(
            [infusion("fentanyl", f"{rate!r} ug/h", "iv", 0.0, INFUSION_MIN / 60.0)],
            1.0,
            step_min=0.1,
        )
        peak = float(np.max(result[RESPIRATORY]))
        peaks[ug_kg] = peak
        observed = str(row["apnoea"]).lower() == "true"
        checks.append(
            Check(
                data.name,
                data.role,
                f"fentanyl {ug_kg:g} ug/kg IV over 90 s, end-tidal CO2 7 kPa",
                "peak respiratory drive removed",
                None,
                peak,
                "",
                f"apnoea iff >= {APNOEA_DRIVE_REMOVED:g}",
                (peak >= APNOEA_DRIVE_REMOVED) == observed,
                observed_label="apnoea" if observed else "no apnoea",
            )
        )
    return checks, peaks


def _room_air_check() -> tuple[Check, dict[str, float]]:
    data = load_dataset("mildh_2001_fentanyl_ventilation")
    row = data.rows()[0]
    target = float(row["fentanyl_ng_per_ml"])
    result = run(
        [infusion("fentanyl", fentanyl_rate_holding(target), "iv", 0.0, HOLD_H)],
        HOLD_H,
        step_min=30.0,
        physiology=PHYSIOLOGY,
    )
    model = build_model(["fentanyl"])
    molar_mass = model.molar_mass("fentanyl")
    plasma_nm = float(result["fentanyl.plasma_concentration"][-1])
    plasma = float((Q_(plasma_nm, "nM") * molar_mass).to("ng/mL").magnitude)
    fall = 1.0 - float(result[VENTILATION][-1])
    mean, sd = float(row["ventilation_decrease"]), float(row["ventilation_decrease_sd"])
    check = Check(
        data.name,
        data.role,
        f"fentanyl infusion holding {plasma:.2f} ng/mL plasma for {HOLD_H:g} h, room air",
        "fall of minute ventilation",
        mean,
        fall,
        "",
        f"{mean - sd:.2f}-{mean + sd:.2f} (mean +/- SD)",
        bool(mean - sd <= fall <= mean + sd),
    )
    return check, {
        "plasma (ng/mL)": plasma,
        "fall of ventilation": fall,
        "drive removed at fixed CO2": float(result[RESPIRATORY][-1]),
        "arterial CO2 (mmHg)": float(result["ventilation.arterial_co2"][-1]),
    }


def _drive_removed_over_own_baseline(
    history: list[dict], start_h: float, c_ng_ml: float, control: float
) -> float:
    """Fraction of the subject's own fixed-CO2 ventilation removed by plasma fentanyl held at
    ``c_ng_ml`` from ``start_h`` for HOLD_H h."""
    fentanyl = infusion("fentanyl", fentanyl_rate_holding(c_ng_ml), "iv", start_h, HOLD_H)
    result = run([*history, fentanyl], start_h + HOLD_H, step_min=60.0)
    with_fentanyl = float(result[RESPIRATORY][-1])
    return (with_fentanyl - control) / (1.0 - control)


def _tolerance_check() -> tuple[Check, dict[str, float]]:
    data = load_dataset("algera_2021_fentanyl_respiratory_tolerance")
    rows = {r["population"]: r for r in data.rows()}
    naive, chronic = rows["opioid-naive"], rows["chronic high-dose opioid users"]
    c_naive, se_naive = float(naive["c50_ng_per_ml"]), float(naive["c50_se_ng_per_ml"])
    c_user, se_user = float(chronic["c50_ng_per_ml"]), float(chronic["c50_se_ng_per_ml"])
    low = (c_user - 2 * se_user) / (c_naive + 2 * se_naive)
    high = (c_user + 2 * se_user) / (c_naive - 2 * se_naive)
    # Heroin continues through the fentanyl hold (users keep taking their opioid).
    start_h = USE_DAYS * 24.0
    days = int((USE_DAYS + HOLD_H / 24.0) * 4)
    history = [dose("heroin", f"{HEROIN_MG!r} mg", "iv", 0.0, every="6 h", count=days)]
    control_run = run(history, start_h + HOLD_H, step_min=60.0)
    control = float(control_run[RESPIRATORY][-1])
    availability = float(control_run[AVAILABILITY][-1])
    respiratory_availability = float(control_run[RESPIRATORY_AVAILABILITY][-1])

    def half(log_c: float) -> float:
        return _drive_removed_over_own_baseline(history, start_h, 10.0**log_c, control) - 0.5

    naive_model = brentq(lambda x: _drive_removed_over_own_baseline(
        [], 0.0, 10.0**x, 0.0) - 0.5, -2.0, 2.0, xtol=1e-3)  # fmt: skip
    tolerant_model = brentq(half, -2.0, 3.0, xtol=1e-3)
    fold = 10.0 ** (tolerant_model - naive_model)
    check = Check(
        data.name,
        data.role,
        f"fentanyl C50 at fixed CO2 after {USE_DAYS:g} d of heroin {HEROIN_MG:g} mg IV every "
        "6 h (continued) vs naive",
        "tolerant / naive C50",
        c_user / c_naive,
        fold,
        "x",
        f"{low:.2f}-{high:.2f} (C50s +/- 2 SE)",
        bool(low <= fold <= high),
    )
    return check, {
        "naive C50 (ng/mL)": 10.0**naive_model,
        "tolerant C50 (ng/mL)": 10.0**tolerant_model,
        "tolerant subject's own drive removed before fentanyl": control,
        AVAILABILITY_NOTE: availability,
        RESPIRATORY_AVAILABILITY_NOTE: respiratory_availability,
    }


def _default_parameters(drugs: list[str]) -> dict[str, float]:
    model = build_model(drugs)
    return dict(zip(model.parameter_names, map(float, model.parameter_values), strict=True))


def _ceilings(parameters: dict[str, float], availability: float) -> dict[str, float]:
    """The most drive a ligand can remove at full occupancy (operational model), naive and
    at the tolerant subject's respiratory receptor availability: heroin and 6-MAM share one
    efficacy (1.5), morphine's is 1."""
    coupling = parameters["mu_effects.respiratory_coupling"]
    slope = parameters["mu_effects.respiratory_slope"]
    ceilings = {}
    ligands = (("heroin", "heroin/6-MAM"), ("morphine", "morphine"), ("fentanyl", "fentanyl"))
    for ligand, label in ligands:
        efficacy = parameters[f"mu_receptor.relative_efficacy[{ligand}]"]
        for who, fraction in (("naive", 1.0), ("tolerant", availability)):
            drive = (coupling * efficacy * fraction) ** slope
            ceilings[f"{label} ceiling of drive removed, {who}"] = drive / (1.0 + drive)
    return ceilings


def _rescue() -> dict:
    for ug_kg in RESCUE_DOSES_UG_KG:
        fentanyl = dose("fentanyl", f"{ug_kg * BODY_WEIGHT_KG!r} ug", "iv", 0.0)
        alone = run([fentanyl], 1.0, step_min=0.05, physiology=PHYSIOLOGY)
        if np.max(alone[ARREST]) >= 1.0:
            arms = {
                f"naloxone {amount} {route} at 1 min": run(
                    [fentanyl, dose("naloxone", amount, route, NALOXONE_AFTER_H)],
                    1.0,
                    step_min=0.05,
                    physiology=PHYSIOLOGY,
                )
                for amount, route in NALOXONE_ARMS
            }
            return {"dose (ug/kg)": ug_kg, "alone": alone, "arms": arms}
    return {"dose (ug/kg)": None, "alone": None, "arms": {}}


def _overdose_dose_mg(
    history: list[dict], test_h: float, drug: str = "heroin", start_mg: float = HEROIN_MG
) -> float | None:
    """The smallest dose of ``drug`` on the doubling grid that meets the overdose definition,
    or None."""
    for multiple in MARGIN_MULTIPLES:
        mg = start_mg * multiple
        result = run(
            [*history, dose(drug, f"{mg!r} mg", "iv", test_h)],
            test_h + 2.0,
            step_min=0.25,
            physiology=PHYSIOLOGY,
        )
        event = detect_overdose(result)
        if event is not None and event.time_h >= test_h:
            return mg
        if event is not None:  # the history itself overdosed: no margin to read
            return None
    return None


def _margins() -> dict[tuple[str, str], float | None]:
    use = [dose("heroin", f"{HEROIN_MG!r} mg", "iv", 0.0, every="6 h", count=int(USE_DAYS * 4))]
    fentanyl_mg = FENTANYL_START_UG / 1000.0
    return {
        ("heroin", "naive"): _overdose_dose_mg([], 1.0),
        ("heroin", "after 14 d of heroin"): _overdose_dose_mg(use, USE_DAYS * 24.0),
        ("fentanyl", "naive"): _overdose_dose_mg([], 1.0, "fentanyl", fentanyl_mg),
        ("fentanyl", "after 14 d of heroin"): _overdose_dose_mg(
            use, USE_DAYS * 24.0, "fentanyl", fentanyl_mg
        ),
    }


def _run(out_dir: Path) -> ExperimentOutcome:
    checks, peaks = _fixed_co2_checks()
    room_air, steady = _room_air_check()
    checks.append(room_air)
    tolerance, tolerant_c50 = _tolerance_check()
    checks.append(tolerance)
    rescue = _rescue()
    margins = _margins()
    notes = [f"fentanyl {d:g} ug/kg: peak drive removed {p:.2f}" for d, p in peaks.items()]
    notes += [f"room-air infusion: {k} {v:.3g}" for k, v in steady.items()]
    notes += [f"tolerance (Algera 2021): {k} {v:.3g}" for k, v in tolerant_c50.items()]
    ceilings = _ceilings(
        _default_parameters(["heroin", "morphine", "fentanyl"]),
        tolerant_c50[RESPIRATORY_AVAILABILITY_NOTE],
    )
    notes += [f"respiratory pathway at full occupancy: {k} {v:.3g}" for k, v in ceilings.items()]
    if rescue["dose (ug/kg)"] is None:
        notes.append(f"no fentanyl dose up to {RESCUE_DOSES_UG_KG[-1]:g} ug/kg ends in arrest")
    else:
        for arm, result in (("alone", rescue["alone"]), *rescue["arms"].items()):
            event = detect_overdose(result)
            when = f"at {event.time_h * 60:.1f} min ({event.criterion})" if event else "no"
            notes.append(
                f"fentanyl {rescue['dose (ug/kg)']:.3g} ug/kg, {arm}: min SpO2 "
                f"{np.min(result[SPO2]):.2f}, min ventilation {np.min(result[VENTILATION]):.2f}, "
                f"arrest {'yes' if np.max(result[ARREST]) >= 1 else 'no'}, overdose "
                f"{when}"
            )
    for (drug, who), mg in margins.items():
        start = HEROIN_MG if drug == "heroin" else FENTANYL_START_UG / 1000.0
        top = start * MARGIN_MULTIPLES[-1]
        text = f"{mg:g} mg ({mg / start:g} x {start:g} mg)" if mg else f"none up to {top:g} mg"
        notes.append(f"smallest {drug} IV dose that overdoses, {who}: {text}")
    for drug in ("heroin", "fentanyl"):
        naive, tolerant = margins[(drug, "naive")], margins[(drug, "after 14 d of heroin")]
        if naive and tolerant:
            notes.append(f"{drug}: tolerance raises the overdose dose {tolerant / naive:g}-fold")
    outcome = ExperimentOutcome(
        name="VENT-OD", title=EXPERIMENT.title, phenomenon="TOL", checks=checks, notes=notes
    )
    outcome.figure = _figure(out_dir, peaks, rescue)
    return outcome


def _figure(out_dir: Path, peaks: dict[float, float], rescue: dict) -> Path:
    import matplotlib.pyplot as plt

    data = load_dataset("dahan_2005_fentanyl_apnoea")
    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    doses = sorted(peaks)
    ax[0].plot(doses, [100 * peaks[d] for d in doses], "o-", label="simulated peak")
    apnoeic = [float(r["fentanyl_ug_per_kg"]) for r in data.rows() if str(r["apnoea"]) == "True"]
    ax[0].plot(apnoeic, [100] * len(apnoeic), "kx", ms=9, label="observed apnoea (Dahan 2005)")
    ax[0].axhline(100 * APNOEA_DRIVE_REMOVED, color="grey", ls=":", label="apnoea rule (90 %)")
    ax[0].set_xlabel("fentanyl IV over 90 s (µg/kg)")
    ax[0].set_ylabel("respiratory drive removed at fixed CO₂ (%)")
    ax[0].set_ylim(0, 105)
    ax[0].legend(fontsize=8)
    if rescue["alone"] is not None:
        figure_arms = (("alone", rescue["alone"]), ("naloxone", rescue["arms"][FIGURE_ARM]))
        for (arm, result), style in zip(figure_arms, ("-", "--"), strict=True):
            ax[1].plot(result.time * 60, 100 * result[SPO2], style, label=f"SpO₂, {arm}")
            ax[1].plot(
                result.time * 60, 100 * result[VENTILATION], style, label=f"ventilation, {arm}"
            )
        ax[1].axhline(70, color="grey", ls=":", label="SpO₂ 70 % (overdose)")
        ax[1].set_title(
            f"fentanyl {rescue['dose (ug/kg)']:.3g} µg/kg IV; naloxone 2 mg IM at 1 min",
            fontsize=9,
        )
    ax[1].set_xlabel("time after fentanyl (min)")
    ax[1].set_ylabel("% of rest (ventilation) / % (SpO₂)")
    ax[1].legend(fontsize=7)
    return save_figure(fig, out_dir, "vent_od")


EXPERIMENT = AbstractExperiment(
    name="VENT-OD",
    phenomenon="TOL",
    title="ventilation falls with the dose, can fail, and naloxone rescues it",
    dataset_names=(
        "dahan_2005_fentanyl_apnoea",
        "mildh_2001_fentanyl_ventilation",
        "algera_2021_fentanyl_respiratory_tolerance",
    ),
    run=_run,
    description=__doc__ or "",
)
