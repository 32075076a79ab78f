"""NTX-OCC: mu-receptor blockade vs antagonist dose and time, as [11C]carfentanil PET reads it.

Protocols
- Oral naltrexone hydrochloride 2, 5, 15, 50 mg; blockade (drug occupancy of mu) averaged
  over 1-8 h after the dose, the window of Rabiner 2011's scans. These data CALIBRATE the
  naltrexone mu dissociation constant, so they are shown as fit quality, not evidence.
- IV naloxone 0.0005-1 mg/kg (70 kg); blockade averaged over the 45-65 min scan window
  (Mayberg & Frost 1990; Kim 1997; Villemagne 1994; all as tabulated by Trøstheim 2022).
  CALIBRATION since issue 13 (role_changed in each meta.yaml): naloxone's mu binding (Mann
  2022, in vitro) and PK (FDA fits) were not fitted to PET, but kappa dissociation constants
  and naltrexone's effect-site rates cite Trøstheim 2022, where these values were read, so
  they no longer count as evidence. The studies disagree with each other (0.01 mg/kg: 65 %
  vs 100 %); every row is checked and reported.
- Time course after IV naloxone 0.001 mg/kg (low dose, where blockade is proportional to
  the effective dose, as the planoxone model assumes): time of peak and half-life of the
  decline. MODEL COMPARISON (kind: model, shown, not counted) with Trøstheim 2022's
  planoxone model, fitted to PET data: 25 min and 110 min.
- Time course of blockade over days after oral naltrexone 50 mg: blockade at 48, 72, 120
  and 168 h over blockade at 1 h (Lee 1988, Table 2 as transcribed). These data CALIBRATE,
  with Rabiner 2011, naltrexone's KD and brain equilibration rate (fit quality only).
- Buprenorphine maintenance, 2 and 16 mg/day sublingual liquid (given as twice the dose in
  tablets, which give about half the liquid's exposure): occupancy 4 h after the 14th dose.
  VALIDATION against the 2000 preliminary PET study (PMID 10942856): within the regional
  range of decreases (36-50 %, 79-95 %). The KD comes from Greenwald 2003 (same laboratory,
  later cohort, tablets).
- Naltrexone 50 mg/day for 7 days: blockade over the last dosing interval. VALIDATION against
  Weerts 2008 (94.9 +/- 4.9 %, n = 21, maintenance): the whole interval must stay within
  mean +/- 2 SD (the time of the scans after the dose is not known to us); mean + 2 SD is
  above full blockade, so this is one check, on the trough.

Criteria (fixed before simulating)
- Blockade: |simulated - observed| <= 0.15, the spread of single-subject values at one dose
  in the same PET table (5 mg naltrexone: 0.43-0.58; naloxone 1 mg/kg: 0.83-0.98).
- Naloxone time course: simulated within a factor 1.5 of the fitted value (the planner's
  values are single fitted numbers without stated uncertainty; 1.5 is our stated margin).
- Naltrexone blockade over days: within mean +/- 2 SEM of Lee 1988 at each time (until
  session 9 the check was the half-time within 72-108 h; the half-time is now a note).
- Maintenance blockade: trough at least mean - 2 SD of Weerts 2008.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from opioidsim.experiments._protocols import (
    blockade_half_time_of,
    buprenorphine_pet_occupancy,
    dose,
    mean_over,
    run,
)
from opioidsim.experiments.framework import (
    AbstractExperiment,
    Check,
    ExperimentOutcome,
    save_figure,
)
from opioidsim.io.datasets import load_dataset

BLOCKADE_TOLERANCE = 0.15  # absolute; single-subject spread at one dose in the PET table
TIME_FACTOR = 1.5
BLOCKADE = "mu_receptor.drug_occupancy"
BODY_WEIGHT_KG = 70.0
RABINER_WINDOW_H = (1.0, 8.0)


def _naltrexone_dose_response() -> tuple[list[Check], dict[float, float]]:
    data = load_dataset("rabiner_2011_naltrexone_pet")
    simulated: dict[float, float] = {}
    checks = []
    for row in data.rows():
        mg = float(row["dose_mg"])
        if mg not in simulated:
            result = run([dose("naltrexone", f"{mg} mg", "oral", 0.0)], 10.0, step_min=5)
            simulated[mg] = mean_over(result, BLOCKADE, *RABINER_WINDOW_H)
        observed = float(row["blockade_fraction"])
        checks.append(
            Check(
                dataset=data.name,
                role=data.role,
                condition=f"naltrexone {mg:g} mg oral",
                quantity="mu blockade, mean 1-8 h",
                observed=observed,
                simulated=simulated[mg],
                unit="",
                criterion=f"|sim-obs| <= {BLOCKADE_TOLERANCE}",
                passed=abs(simulated[mg] - observed) <= BLOCKADE_TOLERANCE,
            )
        )
    return checks, simulated


NALOXONE_PET = (
    "mayberg_frost_1990_naloxone_pet",
    "kim_1997_naloxone_dual_detector",
    "villemagne_1994_naloxone_dual_detector",
)


def _naloxone_dose_response() -> tuple[list[Check], dict[float, float]]:
    checks, simulated = [], {}
    for name in NALOXONE_PET:
        data = load_dataset(name)
        for row in data.rows():
            per_kg = float(row["dose_mg_per_kg"])
            start, end = row["scan_start_min"] / 60.0, row["scan_end_min"] / 60.0
            if per_kg not in simulated:
                total_mg = per_kg * BODY_WEIGHT_KG
                result = run([dose("naloxone", f"{total_mg} mg", "iv", 0.0)], 2.0, step_min=1)
                simulated[per_kg] = mean_over(result, BLOCKADE, start, end)
            observed = float(row["blockade_fraction"])
            checks.append(
                Check(
                    dataset=data.name,
                    role=data.role,
                    condition=f"naloxone {per_kg:g} mg/kg IV",
                    quantity="mu blockade, 45-65 min",
                    observed=observed,
                    simulated=simulated[per_kg],
                    unit="",
                    criterion=f"|sim-obs| <= {BLOCKADE_TOLERANCE}",
                    passed=abs(simulated[per_kg] - observed) <= BLOCKADE_TOLERANCE,
                )
            )
    return checks, simulated


def _naloxone_time_course() -> tuple[list[Check], object]:
    data = load_dataset("trostheim_2022_naloxone_blockade_time")
    observed = {r["quantity"]: float(r["value"]) for r in data.rows()}
    result = run([dose("naloxone", f"{0.001 * BODY_WEIGHT_KG} mg", "iv", 0.0)], 12.0, step_min=0.5)
    blockade = result[BLOCKADE]
    k = int(np.argmax(blockade))
    peak_min = result.time[k] * 60.0
    after = np.flatnonzero(blockade[k:] <= blockade[k] / 2)
    half_life_min = float("nan")
    if after.size:
        # Half-life of the decline once past the peak's rounding: from 80 % to 40 % of peak.
        i80 = k + int(np.flatnonzero(blockade[k:] <= 0.8 * blockade[k])[0])
        i40 = k + int(np.flatnonzero(blockade[k:] <= 0.4 * blockade[k])[0])
        half_life_min = (result.time[i40] - result.time[i80]) * 60.0
    checks = []
    for quantity, sim in (("blockade_peak_time", peak_min), ("blockade_half_life", half_life_min)):
        obs = observed[quantity]
        ok = bool(np.isfinite(sim) and obs / TIME_FACTOR <= sim <= obs * TIME_FACTOR)
        checks.append(
            Check(
                dataset=data.name,
                role=data.role,
                condition="naloxone 0.001 mg/kg IV",
                quantity=quantity.replace("_", " "),
                observed=obs,
                simulated=float(sim),
                unit="min",
                criterion=f"within x{TIME_FACTOR}",
                passed=ok,
                kind=data.kind,
            )
        )
    return checks, result


def _naltrexone_days() -> tuple[list[Check], list[str], object]:
    lee = load_dataset("lee_1988_naltrexone_blockade_duration")
    result = run([dose("naltrexone", "50 mg", "oral", 0.0)], 170.0, step_min=30)
    at_1h = float(np.interp(1.0, result.time, result[BLOCKADE]))
    checks = []
    for row in lee.rows():
        hours = float(row["time_h"])
        observed = float(row["blockade_relative_to_1h"])
        sem = float(row["blockade_relative_sem"])
        relative = float(np.interp(hours, result.time, result[BLOCKADE])) / at_1h
        checks.append(
            Check(
                dataset=lee.name,
                role=lee.role,
                condition=f"naltrexone 50 mg oral, {hours:g} h",
                quantity="mu blockade / blockade at 1 h",
                observed=observed,
                simulated=relative,
                unit="",
                criterion=f"mean +/- 2 SEM ({observed - 2 * sem:.2f}-{observed + 2 * sem:.2f})",
                passed=abs(relative - observed) <= 2 * sem,
            )
        )
    half_time = blockade_half_time_of(result.time, result[BLOCKADE])
    notes = [
        f"naltrexone 50 mg oral: half-time of blockade 48-168 h {half_time:.0f} h "
        "(Lee 1988: 72-108 h)"
    ]
    for hours in (1, 24, 48, 72, 120, 168):
        b = float(np.interp(hours, result.time, result[BLOCKADE]))
        notes.append(f"naltrexone 50 mg oral: simulated mu blockade {b:.2f} at {hours} h")
    above = result.time[result[BLOCKADE] >= 0.9]
    notes.append(
        f"blockade >= 0.90 lasts {above.max() if above.size else 0:.0f} h after 50 mg "
        "(a vendor page quotes 49 h from Trøstheim 2022; low confidence, not evidence)"
    )
    return checks, notes, result


def _maintenance() -> tuple[list[Check], object]:
    data = load_dataset("weerts_2008_naltrexone_maintenance_pet")
    row = data.rows()[0]
    mean, sd = float(row["blockade_mean"]), float(row["blockade_sd"])
    days = 7
    result = run(
        [
            dose(
                "naltrexone",
                f"{row['naltrexone_daily_dose_mg']} mg",
                "oral",
                0.0,
                every="24 h",
                count=days,
            )
        ],
        24.0 * days,
        step_min=15,
    )
    last = result.time >= 24.0 * (days - 1)
    trough, peak = float(result[BLOCKADE][last].min()), float(result[BLOCKADE][last].max())
    # One check for the whole interval. With these data mean + 2 SD (1.047) is above full
    # blockade, so only the trough can leave the band; a separate check on the peak passed
    # whenever this one did and was removed (issue 13).
    lowest, highest = mean - 2 * sd, mean + 2 * sd
    checks = [
        Check(
            dataset=data.name,
            role=data.role,
            condition="naltrexone 50 mg/day, day 7 interval",
            quantity="mu blockade, trough",
            observed=mean,
            simulated=trough,
            unit="",
            criterion=f"whole interval in {lowest:.3f}-{highest:.3f} (mean +/- 2 SD)",
            passed=lowest <= trough and peak <= highest,
        ),
    ]
    return checks, result


def _buprenorphine_maintenance() -> list[Check]:
    """Zubieta-group 2000 PET: buprenorphine occupancy 4 h after a maintenance dose."""
    data = load_dataset("zubieta_2000_buprenorphine_pet")
    checks = []
    for row in data.rows():
        low, high = float(row["decrease_low"]), float(row["decrease_high"])
        occupancy = buprenorphine_pet_occupancy(float(row["tablet_equivalent_mg"]))
        checks.append(
            Check(
                dataset=data.name,
                role=data.role,
                condition=f"buprenorphine {row['liquid_dose_mg']} mg/day sublingual liquid "
                f"(as {row['tablet_equivalent_mg']} mg tablets), 4 h after the dose",
                quantity="mu occupancy by buprenorphine",
                observed=None,
                simulated=occupancy,
                unit="",
                criterion=f"within the regional range {low:.2f}-{high:.2f}",
                passed=low <= occupancy <= high,
                observed_label=f"{low:.2f}-{high:.2f}",
            )
        )
    return checks


def _run(out_dir: Path) -> ExperimentOutcome:
    cal_checks, ntx = _naltrexone_dose_response()
    nlx_checks, nlx = _naloxone_dose_response()
    time_checks, nlx_course = _naloxone_time_course()
    lee_checks, notes, days = _naltrexone_days()
    maintenance_checks, _ = _maintenance()
    maintenance_checks += _buprenorphine_maintenance()
    outcome = ExperimentOutcome(
        name="NTX-OCC",
        title=EXPERIMENT.title,
        phenomenon="NTX-OCC",
        checks=cal_checks + lee_checks + nlx_checks + time_checks + maintenance_checks,
        notes=notes,
    )
    outcome.figure = _figure(out_dir, ntx, nlx, nlx_course, days)
    return outcome


def _figure(out_dir: Path, ntx, nlx, nlx_course, days) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rab = load_dataset("rabiner_2011_naltrexone_pet").frame()
    naloxone_data = [(n, load_dataset(n).frame()) for n in NALOXONE_PET]
    fig, ax = plt.subplots(2, 2, figsize=(10, 7))
    d = sorted(ntx)
    ax[0, 0].semilogx(d, [ntx[k] for k in d], "o-", label="simulated (mean 1-8 h)")
    ax[0, 0].semilogx(rab.dose_mg, rab.blockade_fraction, "ks", label="Rabiner 2011 (calibration)")
    ax[0, 0].set(xlabel="oral naltrexone HCl (mg)", ylabel="mu blockade", ylim=(0, 1.05))
    ax[0, 0].set_xticks([2, 5, 15, 50], labels=["2", "5", "15", "50"])
    ax[0, 0].minorticks_off()
    d = sorted(nlx)
    ax[0, 1].semilogx(d, [nlx[k] for k in d], "o-", label="simulated (45-65 min)")
    for (name, frame), marker in zip(naloxone_data, "sDv", strict=True):
        label = f"{name.split('_naloxone')[0]} ({load_dataset(name).role})"
        ax[0, 1].semilogx(frame.dose_mg_per_kg, frame.blockade_fraction, "k" + marker, label=label)
    ax[0, 1].set(xlabel="IV naloxone (mg/kg)", ylabel="mu blockade", ylim=(0, 1.05))
    ax[1, 0].plot(nlx_course.time * 60, nlx_course[BLOCKADE])
    ax[1, 0].set(xlabel="time after naloxone 0.001 mg/kg IV (min)", ylabel="mu blockade")
    ax[1, 1].plot(days.time / 24, days[BLOCKADE], label="simulated")
    lee = load_dataset("lee_1988_naltrexone_blockade_duration").frame()
    at_1h = float(np.interp(1.0, days.time, days[BLOCKADE]))
    ax[1, 1].errorbar(
        lee.time_h / 24,
        lee.blockade_relative_to_1h * at_1h,
        yerr=2 * lee.blockade_relative_sem * at_1h,
        fmt="ks",
        label="Lee 1988 (x simulated 1-h blockade; 2 SEM; calibration)",
    )
    ax[1, 1].set(xlabel="days after naltrexone 50 mg oral", ylabel="mu blockade", ylim=(0, 1.05))
    for a in ax.ravel():
        a.grid(alpha=0.3)
        if a.get_legend_handles_labels()[0]:
            a.legend(fontsize=8)
    fig.suptitle("NTX-OCC: mu blockade by naltrexone and naloxone")
    return save_figure(fig, out_dir, "ntx_occ")


EXPERIMENT = AbstractExperiment(
    name="NTX-OCC",
    phenomenon="NTX-OCC",
    title="mu blockade vs naltrexone/naloxone dose and time (PET)",
    dataset_names=(
        "rabiner_2011_naltrexone_pet",
        "lee_1988_naltrexone_blockade_duration",
        *NALOXONE_PET,
        "trostheim_2022_naloxone_blockade_time",
        "weerts_2008_naltrexone_maintenance_pet",
        "zubieta_2000_buprenorphine_pet",
    ),
    run=_run,
    description=__doc__ or "",
)
