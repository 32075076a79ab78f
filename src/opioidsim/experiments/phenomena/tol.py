"""TOL: tolerance builds with daily dosing, is lost in abstinence, and abstinence kills.

Tolerance in the model is the loss of signalling mu receptors (fast desensitisation and slow
internalisation, ``neuroadaptation``), which scales every agonist's stimulus; it is read the
way a pharmacologist reads it, by a virtual dose-response test (``_withdrawal``
``dose_response_ed50``): test doses on top of the history, the ED50 of the analgesia-like
effect (dose giving a rise of 0.5) relative to a naive subject.

Protocols
- Build-up (rat): morphine 10 mg/kg s.c. daily for 7, 14, 21 days; test 24 h after the last.
- Loss (rat): 7 daily doses; test 4 days after the last.
- Human, return after abstinence: heroin 25 mg IV q6h for 14 days, 14 days abstinent, the
  same dose again q6h for 14 days. Readout: peak respiratory depression within 2 h of a dose.
  The overdose margin (notes): the dose multiple of 25 mg that depresses ventilation by half
  (danger level, assumption) at the end of use and after abstinence.

- Respiratory vs antinociceptive tolerance (monkeys, read in the rat model): after 14 days of
  the build-up regimen (whose antinociceptive shift, ~4-fold, matches the monkeys' 4.4-fold),
  the ED50 of respiratory depression (half the drive removed at fixed CO2) over the naive
  one. Morphine-maintained monkeys showed none (Paronis & Woods 1997). In the model the
  respiratory pathway loses receptors to internalisation only, not to fast desensitisation
  (``neuroadaptation``, from Ling 1989's rat infusion and Athanasos 2006, not from this
  study), and has more reserve than the rodent antinociceptive one (tau 54.7 vs 4), so its
  shift is smaller than the antinociceptive one but not absent (before session 18, when it
  read the whole receptor loss: ~2.3 vs ~4.0-fold). The check tests the slow receptor loss
  and the cross-species respiratory coupling together; the regimen was chosen for its
  antinociceptive shift, which is the same study's other arm.

Data: VALIDATION (tol_rodent_ed50_shift, paronis_woods_1997_respiratory_tolerance);
CALIBRATION since issue 13 (tol_loss_rat and
tol_human_overdose_after_abstinence: the resensitisation rates were set from these studies).
Species: the effect transducers are calibrated on human morphine data; the rodent checks
read fold-changes, which depend on the receptor loss rather than on the transducer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from opioidsim.experiments._protocols import dose, run
from opioidsim.experiments._withdrawal import RESPIRATORY, dose_response_ed50
from opioidsim.experiments.framework import (
    AbstractExperiment,
    Check,
    ExperimentOutcome,
    save_figure,
)
from opioidsim.io.datasets import load_dataset

ANALGESIA = "mu_effects.analgesia"
LEVEL = 0.5
DANGER = 0.5  # ventilation halved: the danger level of the overdose margin (assumption)
RAT_DOSE = "10 mg/kg"
RAT = {"species": "rat", "body_weight": "0.3 kg"}
RAT_TEST_DOSES = np.geomspace(0.003, 100.0, 14)  # mg/kg
HUMAN_DOSE_MG = 25.0
USE_DAYS = 14.0
ABSTINENT_DAYS = 14.0
EVERY_H = 6.0
DOSE_WINDOW_H = 2.0


def _rat_history(days: float) -> list[dict]:
    return [dose("morphine", RAT_DOSE, "sc", 0.0, every="24 h", **{"for": f"{days!r} d"})]


def _rat_ed50(history: list[dict], test_h: float, readout: str = ANALGESIA) -> float:
    ed50, _ = dose_response_ed50(
        history, test_h, "morphine", "sc", "mg/kg", RAT_TEST_DOSES, readout, LEVEL, **RAT
    )
    return ed50


def _heroin(start_h: float, days: float) -> dict:
    return dose(
        "heroin",
        f"{HUMAN_DOSE_MG} mg",
        "iv",
        start_h,
        every=f"{EVERY_H} h",
        **{"for": f"{days} d"},
    )


def _peak_after(result, t: float) -> float:
    mask = (result.time >= t) & (result.time <= t + DOSE_WINDOW_H)
    return float(result[RESPIRATORY][mask].max())


def _human() -> dict:
    use_end = USE_DAYS * 24.0
    last_use = use_end - EVERY_H
    back = use_end - EVERY_H + ABSTINENT_DAYS * 24.0
    history = [_heroin(0.0, USE_DAYS)]
    result = run([*history, _heroin(back, USE_DAYS)], back + USE_DAYS * 24.0, step_min=5)
    first_use = _peak_after(result, 0.0)
    end_of_use = _peak_after(result, last_use)
    return_day1 = _peak_after(result, back)
    return_day14 = _peak_after(result, back + (USE_DAYS - 1) * 24.0)
    doses = np.geomspace(HUMAN_DOSE_MG / 4, HUMAN_DOSE_MG * 64, 9)
    margin_end, _ = dose_response_ed50(
        history, last_use, "heroin", "iv", "mg", doses, RESPIRATORY, DANGER
    )
    margin_back, _ = dose_response_ed50(
        history, back, "heroin", "iv", "mg", doses, RESPIRATORY, DANGER
    )
    margin_naive, _ = dose_response_ed50([], 1.0, "heroin", "iv", "mg", doses, RESPIRATORY, DANGER)
    return {
        "result": result,
        "back": back,
        "first use": first_use,
        "end of use": end_of_use,
        "return day 1": return_day1,
        "return day 14": return_day14,
        "danger dose naive (mg)": margin_naive,
        "danger dose at end of use (mg)": margin_end,
        "danger dose after abstinence (mg)": margin_back,
    }


def _run(out_dir: Path) -> ExperimentOutcome:
    shift_data = load_dataset("tol_rodent_ed50_shift")
    loss_data = load_dataset("tol_loss_rat")
    human_data = load_dataset("tol_human_overdose_after_abstinence")
    naive = _rat_ed50([], 1.0)
    checks = []
    folds = {}
    for row in shift_data.rows():
        days = float(row["days"])
        fold = _rat_ed50(_rat_history(days), days * 24.0) / naive
        folds[days] = fold
        checks.append(
            Check(
                shift_data.name,
                shift_data.role,
                f"rat morphine {RAT_DOSE} s.c. daily x {days:g} d",
                "analgesic ED50 fold-change",
                None,
                fold,
                "x",
                "within",
                bool(row["lower"] <= fold <= row["upper"]),
                observed_label=f"{row['lower']:g}-{row['upper']:g} x",
            )
        )
    loss = {}
    for row in loss_data.rows():
        after = float(row["days_after_stop"])
        fold = _rat_ed50(_rat_history(7.0), (6.0 + after) * 24.0) / naive
        loss[after] = fold
        checks.append(
            Check(
                loss_data.name,
                loss_data.role,
                f"rat morphine daily x 7 d, {after:g} d after the last dose",
                "analgesic ED50 fold-change",
                1.0,
                fold,
                "x",
                f"<= {row['upper']:g}",
                bool(fold <= row["upper"]),
                observed_label=f"<= {row['upper']:g} x (gone)",
            )
        )
    respiratory_data = load_dataset("paronis_woods_1997_respiratory_tolerance")
    respiratory_days = 14.0
    respiratory_fold = _rat_ed50(
        _rat_history(respiratory_days), respiratory_days * 24.0, RESPIRATORY
    ) / _rat_ed50([], 1.0, RESPIRATORY)
    for row in respiratory_data.rows():
        checks.append(
            Check.within(
                respiratory_data,
                f"rat morphine {RAT_DOSE} s.c. daily x {respiratory_days:g} d (monkey data: "
                "morphine maintenance)",
                row["quantity"],
                respiratory_fold,
                "x",
                lower=row["lower"],
                upper=row["upper"],
                observed=row["observed"],
            )
        )
    human = _human()
    ratios = {
        "respiratory depression of the old dose: after 14 d abstinence / end of use": human[
            "return day 1"
        ]
        / human["end of use"],
        "respiratory depression on return: day 1 / day 14 of resumed use": human["return day 1"]
        / human["return day 14"],
    }
    for row in human_data.rows():
        value = ratios[row["quantity"]]
        checks.append(
            Check(
                human_data.name,
                human_data.role,
                f"heroin {HUMAN_DOSE_MG:g} mg IV q6h, {ABSTINENT_DAYS:g} d abstinent, same dose",
                row["quantity"],
                None,
                value,
                "",
                f"> {row['lower']:g}",
                bool(value > row["lower"]),
                observed_label=f"> {row['lower']:g}",
            )
        )
    notes = [f"rat naive analgesic ED50 {naive:.3g} mg/kg s.c. (mouse hot plate 3.2 mg/kg)"]
    notes += [f"rat ED50 fold after {d:g} d: {f:.2f}" for d, f in folds.items()]
    notes += [f"rat ED50 fold {a:g} d after stopping 7 d: {f:.2f}" for a, f in loss.items()]
    notes.append(
        f"rat respiratory ED50 fold after {respiratory_days:g} d: {respiratory_fold:.2f} "
        f"(analgesic {folds.get(respiratory_days, float('nan')):.2f})"
    )
    notes += [
        f"human {k}: {human[k]:.3g}"
        for k in (
            "first use",
            "end of use",
            "return day 1",
            "return day 14",
            "danger dose naive (mg)",
            "danger dose at end of use (mg)",
            "danger dose after abstinence (mg)",
        )
    ]
    outcome = ExperimentOutcome(
        name="TOL", title=EXPERIMENT.title, phenomenon="TOL", checks=checks, notes=notes
    )
    outcome.figure = _figure(out_dir, folds, human)
    return outcome


def _figure(out_dir: Path, folds: dict, human: dict) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(1, 2, figsize=(11, 4))
    ax[0].plot(list(folds), list(folds.values()), "o-")
    ax[0].axhspan(2, 10, color="grey", alpha=0.2, label="2-10 fold (rodent data)")
    ax[0].set(xlabel="days of daily morphine (rat)", ylabel="analgesic ED50 fold-change")
    result = human["result"]
    ax[1].plot(result.time / 24, result[RESPIRATORY], lw=0.6)
    ax[1].axvline(human["back"] / 24, ls=":", c="grey", label="return to the old dose")
    ax[1].set(xlabel="days", ylabel="respiratory depression (fraction)")
    for a in ax:
        a.grid(alpha=0.3)
        a.legend(fontsize=8)
    fig.suptitle("TOL: tolerance build-up, loss, and the risk of returning to the old dose")
    return save_figure(fig, out_dir, "tol")


EXPERIMENT = AbstractExperiment(
    name="TOL",
    phenomenon="TOL",
    title="tolerance builds with daily dosing and is lost in abstinence",
    dataset_names=(
        "tol_rodent_ed50_shift",
        "tol_loss_rat",
        "tol_human_overdose_after_abstinence",
        "paronis_woods_1997_respiratory_tolerance",
    ),
    run=_run,
    description=__doc__ or "",
)
