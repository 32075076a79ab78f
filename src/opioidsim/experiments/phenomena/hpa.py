"""HPA: the human stress axis on its own: cortisol kinetics, the awakening response, a TSST,
opioid agonists blunting it and an antagonist raising cortisol.

Every stress check uses one TSST (event kind ``tsst``): 15 min (preparation, speech,
arithmetic; Kirschbaum 1993) at the model's ``tsst_drive``, derived from an independent
equivalence (the TSST's cortisol response is of the size of 1 ug/kg CRH's, whose ACTH rise is
known; hpa.py). None of the sources below informs it, so the rise is a prediction; the
blunting checks are relative (drug vs no drug at the same episode). Until session 14 the
episode was 20 min of the generic ``stress`` kind at intensity 4, an assumption (see the
closing note of that session for the before/after numbers).

Protocols and data (all VALIDATION; no HPA parameter comes from these sources)
- Holland-Frei (NBK13300): cortisol t1/2 66 min at physiological levels. Simulated: the
  half-time of the decline of cortisol's increment above basal from its peak after the
  episode. Criterion 60-90 min.
- Wüst 2000: cortisol rises ~50 % within 30 min of waking (CAR). Simulated with a ``waking``
  event, whose drive is the TSST's by the equivalence of Schmidt-Reinwald 1999 (an
  independent source; until session 14 the model had no waking input and this check failed
  with 0 %). Since session 15 waking is at 07:00, on the circadian rise; the rise is read on
  the absolute cortisol.
- TSST typical values (recalled, low confidence): peak 20-40 min after onset; peak 1.5-4 x
  the pre-stress level.
- Massaccesi 2022 (morphine 10 mg oral) and Bershad 2015 (buprenorphine 0.2 and 0.4 mg
  sublingual), 60 min before the episode (timing an assumption): the cortisol AUC above the
  pre-stress level over 0-90 min after onset must fall by >= 50 %. Bershad saw no drug
  effect on pre-task cortisol: the simulated pre-task level must stay within 25 % of the
  drug-free one (a rule fixed before the run).
- Lovallo 2012 (naltrexone 50 mg oral, 0-180 min): mean cortisol above the drug-free value;
  the rise larger in a woman than in a man (the model's HPA has no sex difference: fails).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from opioidsim.experiments._protocols import dose, event, run
from opioidsim.experiments.framework import (
    AbstractExperiment,
    Check,
    ExperimentOutcome,
    save_figure,
)
from opioidsim.io.datasets import load_dataset

CORTISOL = "hpa_axis.glucocorticoid_fold_basal"  # x the resting value at that time of day
CONCENTRATION = "hpa_axis.glucocorticoid_concentration"  # what the studies measure
TSST_INTENSITY, TSST_HOURS = 1.0, 15 / 60
#: Runs start at 08:00 (hpa_axis.clock_*_at_start). The TSST starts at 14:00, in the
#: afternoon as TSST studies run it (an assumption: the studies' clock times were not seen);
#: drugs are given at 13:00.
ONSET_H = 6.0
DOSE_H = ONSET_H - 1.0
#: Waking at 07:00 (Wüst 2000's protocol), the morning after the 08:00 start.
WAKING_H = 23.0
AUC_WINDOW_H = 1.5
BLUNTING = 0.5  # >= 50 % reduction of the AUC increment
PRE_TASK_CHANGE = 0.25  # "no drug effect on pre-task cortisol": within 25 % (fixed rule)


def _tsst(doses=()) -> object:
    return run(
        list(doses),
        ONSET_H + 4.0,
        step_min=1,
        events=[event("tsst", ONSET_H, TSST_HOURS, TSST_INTENSITY)],
    )


def _increment_auc(result) -> float:
    t = np.asarray(result.time)
    y = result[CORTISOL]
    pre = float(np.interp(ONSET_H, t, y))
    inside = (t >= ONSET_H) & (t <= ONSET_H + AUC_WINDOW_H)
    return float(np.trapezoid(np.clip(y[inside] - pre, 0.0, None), t[inside]))


def _pre_stress(result) -> float:
    return float(np.interp(ONSET_H, np.asarray(result.time), result[CORTISOL]))


def _decay_and_peak(result) -> tuple[float, float, float]:
    t = np.asarray(result.time)
    y = result[CORTISOL]
    pre = float(np.interp(ONSET_H, t, y))
    k = int(np.argmax(np.where(t >= ONSET_H, y, -np.inf)))
    level = result[CONCENTRATION]
    pre_level = float(np.interp(ONSET_H, t, level))
    fold = float(np.max(np.where(t >= ONSET_H, level, -np.inf)) / pre_level)
    half = pre + (y[k] - pre) / 2
    after = np.flatnonzero(y[k:] <= half)
    half_time_min = float((t[k + after[0]] - t[k]) * 60.0) if after.size else float("nan")
    k_level = int(np.argmax(np.where(t >= ONSET_H, level, -np.inf)))
    return (t[k_level] - ONSET_H) * 60.0, fold, half_time_min


_check = Check.of


def _run(out_dir: Path) -> ExperimentOutcome:
    checks: list[Check] = []
    drug_free = _tsst()
    peak_min, fold, half_time = _decay_and_peak(drug_free)

    data = load_dataset("holland_frei_cortisol_half_life")
    observed = {r["quantity"]: float(r["value"]) for r in data.rows()}
    checks.append(
        _check(
            data,
            "after a TSST at 14:00 (increment over the resting day)",
            "half-time of the cortisol decline",
            observed["physiological_half_life_min"],
            half_time,
            "min",
            "60-90",
            60 <= half_time <= 90,
        )
    )
    data = load_dataset("wust_2000_cortisol_awakening_response")
    awakening = run(
        [], WAKING_H + 3.0, step_min=1, events=[event("waking", WAKING_H, TSST_HOURS, 1.0)]
    )
    t = np.asarray(awakening.time)
    level = awakening[CONCENTRATION]
    at_waking = float(level[np.searchsorted(t, WAKING_H - 1e-9)])
    rise = 100.0 * (float(level[np.searchsorted(t, WAKING_H + 0.5 - 1e-9)]) / at_waking - 1.0)
    checks.append(
        _check(
            data,
            "waking at 07:00 (kind waking: a TSST-sized drive for 15 min, on the circadian rise)",
            "cortisol rise 30 min after waking",
            50.0,
            rise,
            "%",
            "30-70",
            30.0 <= rise <= 70.0,
        )
    )
    data = load_dataset("tsst_cortisol_response_typical")
    bounds = {r["quantity"]: (float(r["low"]), float(r["high"])) for r in data.rows()}
    low, high = bounds["peak_time_after_onset_min"]
    checks.append(
        _check(
            data,
            "TSST at 14:00 (15 min, tsst_drive)",
            "cortisol peak after onset",
            None,
            peak_min,
            "min",
            f"{low:g}-{high:g}",
            low <= peak_min <= high,
            "20-30 (recalled)",
        )
    )
    low, high = bounds["peak_fold_rise"]
    checks.append(
        _check(
            data,
            "TSST at 14:00 (15 min, tsst_drive)",
            "cortisol peak / pre-stress level",
            None,
            fold,
            "x",
            f"{low:g}-{high:g}",
            low <= fold <= high,
            "~1.5-4 (recalled)",
        )
    )

    base_auc = _increment_auc(drug_free)
    curves = {"no drug": drug_free}
    for name in ("massaccesi_2022_morphine_stress_cortisol", "bershad_2015_buprenorphine_tsst"):
        data = load_dataset(name)
        for row in data.rows():
            label = f"{row['drug']} {row['dose_mg']:g} mg {row['route']}"
            result = _tsst([dose(row["drug"], f"{row['dose_mg']!r} mg", row["route"], DOSE_H)])
            curves[label] = result
            reduction = 1 - _increment_auc(result) / base_auc
            if name == "bershad_2015_buprenorphine_tsst":
                pre = _pre_stress(result) / _pre_stress(drug_free) - 1
                checks.append(
                    _check(
                        data,
                        f"{label}, 60 min before the episode",
                        "pre-task cortisol vs no drug",
                        None,
                        pre,
                        "fraction",
                        f"|change| <= {PRE_TASK_CHANGE}",
                        abs(pre) <= PRE_TASK_CHANGE,
                        "no drug effect",
                    )
                )
            checks.append(
                _check(
                    data,
                    f"{label}, 60 min before the episode",
                    "reduction of the cortisol AUC increment (0-90 min)",
                    None,
                    reduction,
                    "",
                    f">= {BLUNTING}",
                    reduction >= BLUNTING,
                    str(row["finding"]),
                )
            )

    data = load_dataset("lovallo_2012_naltrexone_cortisol")
    rise_male, ntx_curve = _naltrexone_rise("male")
    rise_female, _ = _naltrexone_rise("female")
    checks.append(
        _check(
            data,
            "naltrexone 50 mg oral, opioid-naive",
            "mean cortisol 0-3 h vs no drug",
            None,
            rise_male,
            "fraction above",
            "> 0",
            rise_male > 0,
            "up",
        )
    )
    checks.append(
        _check(
            data,
            "naltrexone 50 mg oral: woman - man",
            "difference of the rises",
            None,
            rise_female - rise_male,
            "fraction",
            "> 0",
            rise_female - rise_male > 1e-6,
            "women > men (F = 6.88)",
        )
    )
    notes = [
        f"TSST: cortisol peak {peak_min:.0f} min after onset at {fold:.2f} x the "
        f"pre-stress level; decline half-time {half_time:.0f} min.",
        f"Naltrexone 50 mg: mean cortisol 0-3 h +{100 * rise_male:.1f} % (man), "
        f"+{100 * rise_female:.1f} % (woman).",
        "Basal cortisol at the end of the run (4 h after the episode's onset, 5 h after one "
        "dose): "
        + ", ".join(
            f"{label} {float(result[CORTISOL][-1]):.2f}"
            for label, result in curves.items()
            if label != "no drug"
        )
        + " x basal: the brake grows as the drug reaches the brain (no data on basal "
        "cortisol hours after these doses was found; Bershad's pre-task level, 1 h after the "
        "dose, is the check above).",
        "Since session 14 the adrenal's ceiling is its measured maximal secretion (21 "
        "nmol/L/min, 3.85 x basal; Hill 2.84): the TSST rise reaches the observed "
        "fold, but cortisol falls at its own elimination rate once ACTH drops (decline "
        "half-time = Keenan's 49 min, not the 60-90 min observed) and one-compartment "
        "hormones peak late. The opioid brake's half stimulus comes from morphine "
        "(Facchinetti 1985), so the endogenous tone holds ~2.5 % of it: naltrexone's rise is "
        "small. No sex difference in the opioid tone. Since session 15 a circadian CRH drive "
        "(runs start at 08:00): the TSST is at 14:00, waking at 07:00, and the decline and "
        "AUCs are read x the resting value at the same time of day; the peak and fold on "
        "the absolute cortisol.",
    ]
    outcome = ExperimentOutcome(
        name="HPA", title=EXPERIMENT.title, phenomenon="HPA", checks=checks, notes=notes
    )
    outcome.figure = _figure(out_dir, curves, ntx_curve)
    return outcome


def _naltrexone_rise(sex: str) -> tuple[float, object]:
    """Mean cortisol over 0-3 h after naltrexone 50 mg oral, relative to no drug."""
    from opioidsim.simulation import simulate

    def simulated(doses):
        scenario = {
            "subject": {"species": "human", "sex": sex, "body_weight": "65 kg"},
            "duration": "3 h",
            "output_interval": "5 min",
            "doses": doses,
        }
        return simulate(scenario)

    result = simulated([dose("naltrexone", "50 mg", "oral", 0.0)])
    rise = float(np.mean(result[CORTISOL]) / np.mean(simulated([])[CORTISOL]) - 1)
    return rise, result


def _figure(out_dir: Path, curves: dict, ntx_curve) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(1, 2, figsize=(11, 4.2))
    for label, result in curves.items():
        minutes = (np.asarray(result.time) - ONSET_H) * 60.0
        ax[0].plot(minutes, result[CORTISOL], label=label)
    ax[0].axvspan(0, TSST_HOURS * 60, color="grey", alpha=0.15, label="stress episode")
    ax[0].axvspan(20, 40, color="C3", alpha=0.08, label="observed peak window (20-40 min)")
    ax[0].set(xlim=(-30, 180), xlabel="minutes after the onset of the TSST",
              ylabel="plasma cortisol (x basal)",
              title="TSST (15 min); agonists 60 min before")  # fmt: skip
    minutes = np.asarray(ntx_curve.time) * 60.0
    ax[1].plot(minutes, ntx_curve[CORTISOL], label="naltrexone 50 mg oral (simulated)")
    ax[1].axhline(1.0, color="grey", lw=0.8, label="no drug")
    ax[1].set(xlabel="minutes after naltrexone", ylabel="plasma cortisol (x basal)",
              title="Naltrexone in an opioid-naive adult (Lovallo 2012: rises)")  # fmt: skip
    for a in ax:
        a.grid(alpha=0.3)
        a.legend(fontsize=8)
    fig.suptitle("HPA: stress response and opioid tone (human)")
    return save_figure(fig, out_dir, "hpa")


EXPERIMENT = AbstractExperiment(
    name="HPA",
    phenomenon="HPA",
    title="human stress axis: cortisol decay, awakening, TSST, opioid blunting and antagonists",
    dataset_names=(
        "holland_frei_cortisol_half_life",
        "wust_2000_cortisol_awakening_response",
        "tsst_cortisol_response_typical",
        "massaccesi_2022_morphine_stress_cortisol",
        "bershad_2015_buprenorphine_tsst",
        "lovallo_2012_naltrexone_cortisol",
    ),
    run=_run,
    description=__doc__ or "",
)
