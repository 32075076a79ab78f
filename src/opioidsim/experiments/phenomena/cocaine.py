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

Where cocaine meets the opioid system (``striatal_peptides``): dopamine at D1 releases
accumbens beta-endorphin, and repeated dopamine rises induce striatal prodynorphin.
- Rat accumbens beta-endorphin after 2 mg/kg IV: rises, lags dopamine, is transient, and
  needs the dopamine rise (run again with no dopamine response, as a 6-OHDA lesion).
  VALIDATION (Roth-Deri 2003; qualitative).
- Rat striatal dynorphin peptide: one 20 mg/kg dose, 20 mg/kg/d for 4 days (1, 4 and 12 days
  after), and a 14-day binge (15 mg/kg x 3 hourly). CALIBRATION (Sivam 1989 sets the peptide
  turnover; the 40-100 % binge rise sets the induction).
- Rat prodynorphin mRNA after one binge day, ahead of the peptide. VALIDATION (Spangler 1997).
- Human kappa receptor availability after a 3-day smoked binge (the Foltin laboratory
  schedule, assumed). VALIDATION (Martinez 2019: -18 % striatal [11C]GR103545 binding).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from opioidsim.experiments._protocols import dose, infusion, mean_over, optional_bound, run
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
BETA_ENDORPHIN = "endogenous_opioids.beta_endorphin_concentration"
DYNORPHIN_CONTENT = "striatal_peptides.dynorphin_content"
PRODYNORPHIN_MRNA = "striatal_peptides.prodynorphin_mrna"
KAPPA_FREE = "kappa_receptor.free_fraction"
#: A rise that is numerical noise, not a response (fraction of basal).
NOISE = 0.01


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


def _rise(result, name: str) -> np.ndarray:
    """Change from the t = 0 value, as a fraction of it."""
    return result[name] / result[name][0] - 1


def _beta_endorphin_checks(checks: list[Check], notes: list[str]):
    """Rat accumbens beta-endorphin after 2 mg/kg IV cocaine, with and without a dopamine rise."""
    data = load_dataset("roth_deri_2003_cocaine_beta_endorphin")
    doses = [dose("cocaine", "2 mg/kg", "iv", 0.0)]
    intact = run(doses, 4.0, step_min=1.0, **RAT)
    # No dopamine response (the 6-OHDA lesion): cocaine still occupies the transporters.
    lesion = run(
        doses, 4.0, step_min=1.0, parameters={"reward.transporter_uptake_share": 0.0}, **RAT
    )
    rise = _rise(intact, BETA_ENDORPHIN)
    peak = float(np.max(rise))
    t_endorphin = 60 * float(intact.time[np.argmax(rise)])
    t_dopamine = 60 * float(intact.time[np.argmax(intact[DOPAMINE])])
    at_3h = float(np.interp(3.0, intact.time, rise))
    lesion_share = float(np.max(_rise(lesion, BETA_ENDORPHIN))) / max(peak, 1e-12)
    condition = "rat 2 mg/kg IV"
    rows = {r["quantity"]: r["criterion"] for r in data.rows()}
    for quantity, simulated, unit, passed in (
        ("beta-endorphin rises after cocaine", 100 * peak, "% of basal", peak > NOISE),
        (
            "beta-endorphin peak lags the dopamine peak",
            t_endorphin - t_dopamine,
            "min",
            t_endorphin > t_dopamine,
        ),
        (
            "beta-endorphin returns toward baseline",
            at_3h / max(peak, 1e-12),
            "x peak rise",
            at_3h < 0.25 * peak,
        ),
        (
            "beta-endorphin rise needs dopamine",
            lesion_share,
            "x intact rise",
            lesion_share < NOISE,
        ),
    ):
        checks.append(
            Check.of(
                data,
                condition,
                quantity,
                None,
                simulated,
                unit,
                rows[quantity],
                passed,
                label="qualitative",
            )
        )
    notes.append(
        f"rat 2 mg/kg IV: dopamine peaks at {t_dopamine:.0f} min "
        f"({float(np.max(intact[DOPAMINE])):.0f} %), beta-endorphin at {t_endorphin:.0f} min "
        f"(+{100 * peak:.0f} %, +{100 * at_3h:.1f} % at 3 h); the D1 coupling's size is assumed"
    )
    return intact


def _rat_dynorphin(checks: list[Check], notes: list[str]):
    """Rat striatal dynorphin content and prodynorphin mRNA after single, daily and binge
    cocaine."""
    data = load_dataset("rat_cocaine_striatal_dynorphin")
    single = run([dose("cocaine", "20 mg/kg", "ip", 0.0)], 25.0, step_min=30, **RAT)
    daily = run(
        [dose("cocaine", "20 mg/kg", "ip", 0.0, every="24 h", count=4)],
        3 * 24 + 12 * 24 + 1,
        step_min=60,
        **RAT,
    )
    binge = run(
        [
            dose("cocaine", "15 mg/kg", "ip", 24.0 * day + hour)
            for day in range(14)
            for hour in (0, 1, 2)
        ],
        13 * 24 + 2 + 24 + 1,
        step_min=30,
        **RAT,
    )
    last_daily, last_binge = 3 * 24.0, 13 * 24.0 + 2
    simulated = {
        "single 20 mg/kg: 1 d after": float(
            np.interp(24.0, single.time, _rise(single, DYNORPHIN_CONTENT))
        ),
        **{
            f"20 mg/kg/d x 4 d: {d} d after the last dose": float(
                np.interp(last_daily + 24 * d, daily.time, _rise(daily, DYNORPHIN_CONTENT))
            )
            for d in (1, 4, 12)
        },
        "binge 15 mg/kg x 3/d x 14 d: 1 d after the last dose": float(
            np.interp(last_binge + 24, binge.time, _rise(binge, DYNORPHIN_CONTENT))
        ),
    }
    for row in data.rows():
        lo, hi = optional_bound(row["lower"]), optional_bound(row["upper"])
        value = simulated[row["condition"]]
        passed = (lo is None or value >= lo) and (hi is None or value < hi)
        label = f">= {100 * lo:g} %" if hi is None else f"< {100 * hi:g} %"
        if lo is not None and hi is not None:
            label = f"{100 * lo:g}-{100 * hi:g} %"
        checks.append(
            Check.of(
                data,
                f"rat {row['condition']}",
                row["quantity"],
                None,
                100 * value,
                "%",
                "within" if lo is not None and hi is not None else label,
                passed,
                label=label,
            )
        )

    data = load_dataset("spangler_1997_cocaine_prodynorphin_mrna")
    day_one = run(
        [dose("cocaine", "15 mg/kg", "ip", float(hour)) for hour in (0, 1, 2)],
        3.0,
        step_min=10,
        **RAT,
    )
    mrna = float(_rise(day_one, PRODYNORPHIN_MRNA)[-1])
    content = float(_rise(day_one, DYNORPHIN_CONTENT)[-1])
    for row in data.rows():
        value = mrna if row["quantity"].startswith("prodynorphin") else mrna - content
        lo = float(row["lower"])
        checks.append(
            Check.of(
                data,
                "rat 1 binge day (15 mg/kg x 3 hourly), 30 min after the last injection",
                row["quantity"],
                None,
                100 * value,
                "%",
                f"> {100 * lo:g} %",
                value > lo,
                label=f"> {100 * lo:g} % (direction)",
            )
        )
    notes.append(
        "rat dynorphin content: "
        + ", ".join(f"{k} {100 * v:+.0f} %" for k, v in simulated.items())
        + f"; 1 binge day: mRNA {100 * mrna:+.0f} %, peptide {100 * content:+.1f} %"
    )
    return daily


def _human_binge(checks: list[Check], notes: list[str]):
    """Kappa receptor availability after the assumed 3-day smoked binge (Martinez 2019)."""
    data = load_dataset("martinez_2019_kor_cocaine_binge")
    doses = [
        dose("cocaine", "50 mg", "smoked", 24.0 * day + session + k * 14 / 60)
        for day in range(3)
        for session in (12.0, 16.0)
        for k in range(6)
    ]
    scan = 3 * 24 + 10.0
    result = run(doses, scan + 1, step_min=10)
    change = float(np.interp(scan, result.time, _rise(result, KAPPA_FREE)))
    content = float(np.interp(scan, result.time, _rise(result, DYNORPHIN_CONTENT)))
    occupancy = "kappa_receptor.occupancy[dynorphin]"
    before, after = (
        float(result[occupancy][0]),
        float(np.interp(scan, result.time, result[occupancy])),
    )
    for row in data.rows():
        lo, hi = float(row["lower"]), float(row["upper"])
        checks.append(
            Check.of(
                data,
                "human 3-day smoked binge, scan next morning",
                f"kappa receptor availability change ({row['region']})",
                float(row["change_percent"]),
                100 * change,
                "%",
                "within",
                lo <= 100 * change <= hi,
                label=f"{row['change_percent']:g} % ({lo:g} to {hi:g})",
            )
        )
    notes.append(
        f"human 3-day binge: dynorphin content {100 * content:+.0f} %, dynorphin kappa occupancy "
        f"{before:.3f} -> {after:.3f}, availability {100 * change:+.1f} % (observed -18 %): "
        "with the assumed basal dynorphin (0.01 nM) holding 3 % of kappa receptors, a 14-18 % "
        "fall needs about 7 x basal dynorphin (or receptor loss, not modelled)"
    )
    return result


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
    endorphin_run = _beta_endorphin_checks(checks, notes)
    dynorphin_run = _rat_dynorphin(checks, notes)
    binge_run = _human_binge(checks, notes)
    outcome = ExperimentOutcome(
        name="COCAINE", title=EXPERIMENT.title, phenomenon="COCAINE", checks=checks, notes=notes
    )
    outcome.figure = _figure(
        out_dir, human_curves, sa_runs, (endorphin_run, dynorphin_run, binge_run)
    )
    return outcome


def _figure(out_dir: Path, human_curves: dict, sa_runs: dict, opioid_runs: tuple) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(14, 8))
    ax = axes[0]
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
    _opioid_panels(axes[1], *opioid_runs)
    fig.suptitle("COCAINE: kinetics, transporter occupancy, dopamine and the opioid peptides")
    fig.tight_layout()
    return save_figure(fig, out_dir, "cocaine")


def _opioid_panels(ax, endorphin_run, dynorphin_run, binge_run) -> None:
    r = endorphin_run
    ax[0].plot(r.time * 60, r[DOPAMINE] / 100, label="dopamine (x baseline)")
    ax[0].plot(r.time * 60, r[BETA_ENDORPHIN] / r[BETA_ENDORPHIN][0], label="beta-endorphin")
    ax[0].set(
        xlabel="minutes after the dose",
        ylabel="x basal",
        title="rat 2 mg/kg IV: accumbens beta-endorphin",
    )
    ax[0].legend(fontsize=8)
    r = dynorphin_run
    ax[1].plot(r.time / 24, 100 * _rise(r, DYNORPHIN_CONTENT), label="dynorphin content")
    ax[1].plot(r.time / 24, 100 * _rise(r, PRODYNORPHIN_MRNA), label="prodynorphin mRNA")
    for day in (4, 7, 15):
        ax[1].axvline(day, color="grey", ls=":")
    ax[1].set(
        xlabel="days (20 mg/kg i.p. on days 0-3; Sivam's samples dotted)",
        ylabel="change from basal (%)",
        title="rat: striatal dynorphin induction",
    )
    ax[1].legend(fontsize=8)
    r = binge_run
    ax[2].plot(r.time / 24, 100 * _rise(r, KAPPA_FREE), label="simulated availability")
    ax[2].axhspan(-18, -14, color="grey", alpha=0.25, label="observed -14 to -18 % (PET)")
    ax[2].set(
        xlabel="days (smoked binge on days 0-2)",
        ylabel="kappa receptor availability change (%)",
        title="human: kappa availability after a binge",
    )
    ax[2].legend(fontsize=8)


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
        "roth_deri_2003_cocaine_beta_endorphin",
        "rat_cocaine_striatal_dynorphin",
        "spangler_1997_cocaine_prodynorphin_mrna",
        "martinez_2019_kor_cocaine_binge",
    ),
    run=_run,
    description=__doc__ or "",
)
