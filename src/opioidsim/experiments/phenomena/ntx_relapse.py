"""NTX-RELAPSE: naltrexone after detoxification as virtual trials: extended-release
naltrexone vs placebo, vs usual care, vs buprenorphine-naloxone (induction included), and
oral naltrexone with and without supervised adherence.

Every arm is the same virtual people (``model.opioid_use``; same seed, so the arms share
their random numbers): 60 days of daily heroin (3 x 25 mg IV), an abstinence that depends on
the trial, then daily decisions to use, take the day's tablet and stay in treatment, with
what is taken fed into the same engine run. Medication acts only through the receptor layer
(naltrexone's blockade, buprenorphine's partial agonism and withdrawal relief). Each trial's
endpoints are computed from the daily record with that trial's own definitions
(``trials.use_endpoints``), with 95 % intervals, for the trial's own n per arm.

Data: CALIBRATION smyth_2010_relapse_after_inpatient_detox,
gossop_1987_use_after_inpatient_withdrawal and chutuape_2001_use_after_brief_detox (lapse_rate,
priming_gain, lapse_propensity_shape: untreated use after detoxification) and
comer_2006_depot_naltrexone_retention (dropout_rate, dropout_craving_rate). VALIDATION
krupitsky_2011_xr_naltrexone_vs_placebo (with Nunes 2020's dropout analysis of the same
trial), lee_2016_xr_naltrexone_criminal_justice, lee_2018_xbot_xr_naltrexone_vs_buprenorphine,
tanum_2017_xr_naltrexone_vs_buprenorphine, sullivan_2019_xr_vs_oral_naltrexone,
krupitsky_2012_oral_naltrexone_vs_placebo, minozzi_2011_oral_naltrexone_cochrane; criteria
are the sources' own intervals, written before any run.
"""

from __future__ import annotations

import textwrap
from functools import cache
from pathlib import Path

import numpy as np

from opioidsim.experiments.framework import (
    AbstractExperiment,
    Check,
    ExperimentOutcome,
    save_figure,
)
from opioidsim.io.datasets import load_dataset
from opioidsim.protocols.opioid_use import load
from opioidsim.simulation.opioid_use import OpioidUseResult, simulate_opioid_use
from opioidsim.trials import use_endpoints as ep

HUMAN = {"species": "human", "sex": "male", "body_weight": "70 kg"}
HISTORY_DAYS = 60
HISTORY = {
    "drug": "heroin",
    "amount": "25 mg",
    "route": "iv",
    "time": "0 h",
    "every": "8 h",
    "for": f"{HISTORY_DAYS} d",
}
USE_DAY = {
    "drug": "heroin",
    "amount": "25 mg",
    "route": "iv",
    "count": 3,
    "every": "5 h",
    "at": "10 h",
}
SEED = 2024


@cache
def arm(
    people: int,
    days: int,
    *,
    abstinent_days: int = 14,
    ward_days: int = 0,
    medication: str | None = None,
    treatment_start_days: int = 0,
    dose: str | None = None,
    supervised: bool = False,
) -> OpioidUseResult:
    """One arm: ``people`` after the history and ``abstinent_days`` without opioids, then
    ``days`` of decisions (the first ``ward_days`` on a closed ward)."""
    start = HISTORY_DAYS + abstinent_days
    block: dict = {"start": f"{start} d", "days": days, "ward": f"{ward_days} d", "use": USE_DAY}
    if medication is not None:
        treatment: dict = {"medication": medication, "start": f"{treatment_start_days} d"}
        if dose is not None:
            treatment["dose"] = dose
        if supervised:
            treatment["adherence"] = "supervised"
        block["treatment"] = treatment
    scenario, parsed = load(
        {
            "subject": HUMAN,
            "duration": f"{start + days} d",
            "output_interval": "1 d",
            "seed": SEED,
            "doses": [HISTORY],
            "opioid_use": block,
        }
    )
    return simulate_opioid_use(scenario, parsed, subjects=people)


def _smyth() -> dict[str, ep.Estimate]:
    run = arm(300, 35, ward_days=14, abstinent_days=0)
    home = run.used[:, 14:]
    runs = np.stack([home[:, d : d + 3].all(axis=1) for d in range(7)], axis=1)
    return {
        "any use by day 7 at home (%)": ep.proportion(home[:, :7].any(axis=1)),
        "return to daily use begun by day 7 at home (%)": ep.proportion(runs.any(axis=1)),
    }


def _no_use_share(used: np.ndarray) -> ep.Estimate:
    return ep.proportion(~used.any(axis=1))


def _gossop() -> dict[str, ep.Estimate]:
    run = arm(300, 14 + 182, ward_days=14, abstinent_days=0)
    home = run.used[:, 14:]
    early, late = ~home[:, :61].any(axis=1), ~home[:, 121:182].any(axis=1)
    rise = 100 * (late.mean() - early.mean())
    half = ep.Z95 * 100 * np.sqrt((late.var() + early.var()) / len(late))
    return {
        "never used in 6 months after discharge (%)": _no_use_share(home[:, :182]),
        "no use in the last 30 days of the 6 months (%)": _no_use_share(home[:, 152:182]),
        "any use within 6 weeks of discharge (%)": ep.proportion(home[:, :42].any(axis=1)),
        "abstinent share rises from months 1-2 to months 5-6 (percentage points)": ep.Estimate(
            rise, rise - half, rise + half
        ),
    }


def _chutuape() -> dict[str, ep.Estimate]:
    run = arm(300, 3 + 180, ward_days=3, abstinent_days=0)
    home = run.used[:, 3:]
    out = {}
    for label, end in (("1 month", 30), ("3 months", 90), ("6 months", 180)):
        days = home[:, end - 30 : end].sum(axis=1).astype(float)
        out[f"mean heroin-use days in the past 30 at {label}"] = ep.mean_with_interval(days)
        out[f"no heroin use in the past 30 days at {label} (%)"] = ep.proportion(days == 0)
        out[f"almost daily use in the past 30 days at {label} (%)"] = ep.proportion(days >= 25)
    return out


def _comer() -> dict[str, ep.Estimate]:
    out = {}
    for label, medication, dose in (
        ("placebo", "placebo", None),
        ("depot 192 mg", "xr_naltrexone", "192 mg"),
        ("depot 384 mg", "xr_naltrexone", "384 mg"),
    ):
        run = arm(150, 56, abstinent_days=7, medication=medication, dose=dose)
        out[f"{label}: retained at 8 weeks (%)"] = ep.proportion(run.left_day < 0)
    return out


def _krupitsky_2011() -> tuple[dict[str, ep.Estimate], list[str]]:
    from scipy.stats import mannwhitneyu

    out, notes = {}, []
    shares = {}
    for label, medication, people in (
        ("XR-NTX", "xr_naltrexone", 126),
        ("placebo", "placebo", 124),
    ):
        run = arm(people, 168, medication=medication)
        urines = ep.weekly_urines(run.used, run.in_care)
        shares[label] = 100 * ep.confirmed_abstinent_share(urines, 5, 24)
        out[f"{label}: median confirmed-abstinent weeks 5-24 (%)"] = ep.median_with_interval(
            shares[label], seed=SEED
        )
        out[f"{label}: HR of dropout in the week after a positive urine"] = (
            ep.dropout_after_positive(urines)
        )
        out[f"{label}: 24 weeks with no positive or missing urine (%)"] = ep.proportion(
            (urines == ep.NEGATIVE).all(axis=1)
        )
        notes.append(
            f"Krupitsky 2011 {label}: retained 24 weeks {ep.proportion(run.left_day < 0).text()} "
            f"%; use days {run.used.sum(axis=1).mean():.1f} of 168"
        )
    p = mannwhitneyu(shares["XR-NTX"], shares["placebo"]).pvalue
    notes.append(f"Krupitsky 2011: Mann-Whitney p for the abstinent-week shares {p:.2g}")
    return out, notes


def _lee_2016() -> tuple[dict[str, ep.Estimate], list[str]]:
    weeks, events = {}, {}
    out = {}
    for label, medication, people in (
        ("XR-NTX", "xr_naltrexone", 153),
        ("usual care", "none", 155),
    ):
        run = arm(people, 168, abstinent_days=60, medication=medication)
        relapse = ep.relapse_week_lee(run.used, ep.weekly_urines(run.used, run.in_care))
        weeks[label] = np.where(relapse >= 0, relapse + 1, 24)
        events[label] = relapse >= 0
        out[f"{label}: relapse by 24 weeks (%)"] = ep.proportion(relapse >= 0)
    out["HR of relapse XR-NTX vs usual care"] = ep.hazard_ratio(
        weeks["XR-NTX"], events["XR-NTX"], weeks["usual care"], events["usual care"]
    )
    notes = [
        "Lee 2016 median weeks to relapse (Kaplan-Meier): "
        + ", ".join(f"{k} {ep.km_median(weeks[k], events[k]):.1f}" for k in weeks)
        + " (published 10.5 vs 5.0)"
    ]
    return out, notes


def _xbot() -> tuple[dict[str, ep.Estimate], list[str]]:
    out, notes = {}, []
    for label, medication, people, ward, start in (
        ("XR-NTX", "xr_naltrexone", 283, 7, 7),
        ("BUP-NX", "buprenorphine", 287, 3, 1),
    ):
        run = arm(
            people, 168, abstinent_days=0, ward_days=ward, medication=medication,
            treatment_start_days=start,
        )  # fmt: skip
        inducted = run.induction_day >= 0
        relapsed = ep.relapse_week_xbot(run.used, run.in_care, from_day=21) >= 0
        out[f"{label}: inducted (%)"] = ep.proportion(inducted)
        out[f"{label}: relapse by 24 weeks (%)"] = ep.proportion(relapsed)
        out[f"{label} inducted: relapse by 24 weeks (%)"] = ep.proportion(relapsed[inducted])
        notes.append(
            f"X:BOT {label}: left the ward before induction {ep.proportion(~inducted).text()} %; "
            f"relapse among those not inducted {ep.proportion(relapsed[~inducted]).text()} %"
        )
    return out, notes


def _tanum() -> tuple[dict[str, ep.Estimate], list[str]]:
    out, use_days = {}, {}
    for label, medication, people in (
        ("XR-NTX", "xr_naltrexone", 80),
        ("BUP-NX", "buprenorphine", 79),
    ):
        run = arm(people, 84, medication=medication)
        out[f"{label}: mean retention (days)"] = ep.mean_with_interval(
            ep.retention_days(run.left_day, run.used.shape[1])
        )
        out[f"{label}: completed 12 weeks (%)"] = ep.proportion(run.left_day < 0)
        use_days[label] = run.used.sum(axis=1).astype(float)
    difference = use_days["XR-NTX"].mean() - use_days["BUP-NX"].mean()
    half = ep.Z95 * np.sqrt(
        use_days["XR-NTX"].var(ddof=1) / len(use_days["XR-NTX"])
        + use_days["BUP-NX"].var(ddof=1) / len(use_days["BUP-NX"])
    )
    out["heroin-use days XR-NTX minus BUP-NX"] = ep.Estimate(
        difference, difference - half, difference + half
    )
    return out, []


def _sullivan() -> dict[str, ep.Estimate]:
    out = {}
    for label, medication, people in (
        ("XR-NTX", "xr_naltrexone", 28),
        ("oral naltrexone", "oral_naltrexone", 32),
    ):
        run = arm(people, 168, medication=medication)
        out[f"{label}: retained 24 weeks (%)"] = ep.proportion(run.left_day < 0)
    return out


def _oral() -> tuple[dict[str, ep.Estimate], dict[str, ep.Estimate], list[str]]:
    """Krupitsky 2012's oral and placebo arms, and a supervised oral arm (Minozzi 2011)."""
    runs = {
        "oral naltrexone": arm(102, 168, medication="oral_naltrexone"),
        "placebo": arm(102, 168, medication="placebo"),
        "supervised oral naltrexone": arm(102, 168, medication="oral_naltrexone", supervised=True),
    }
    krupitsky, kept, notes = {}, {}, []
    for label, run in runs.items():
        urines = ep.weekly_urines(run.used, run.in_care)
        relapse = ep.relapse_week_consecutive_positives(urines, 3)
        if label != "supervised oral naltrexone":
            krupitsky[f"{label}: retained without relapse at 24 weeks (%)"] = ep.proportion(
                (run.left_day < 0) & (relapse < 0)
            )
        kept[label] = (run.left_day < 0) & (urines[:, -4:] == ep.NEGATIVE).all(axis=1)
        taken = run.medicated[run.in_care].mean() if run.in_care.any() else float("nan")
        notes.append(f"{label}: tablets taken on {100 * taken:.0f} % of days in treatment")
    minozzi = {
        "retained and abstinent RR: oral naltrexone vs placebo": ep.risk_ratio(
            kept["oral naltrexone"], kept["placebo"]
        ),
        "retained and abstinent RR: supervised oral naltrexone vs placebo": ep.risk_ratio(
            kept["supervised oral naltrexone"], kept["placebo"]
        ),
    }
    return krupitsky, minozzi, notes


def _run(out_dir: Path) -> ExperimentOutcome:
    k11, k11_notes = _krupitsky_2011()
    lee, lee_notes = _lee_2016()
    xbot, xbot_notes = _xbot()
    tanum, _ = _tanum()
    k12, minozzi, oral_notes = _oral()
    results = {
        "smyth_2010_relapse_after_inpatient_detox": (
            _smyth(),
            "no medication after a 14-day ward; days at home",
        ),
        "gossop_1987_use_after_inpatient_withdrawal": (
            _gossop(),
            "no medication after a 14-day ward; days at home",
        ),
        "chutuape_2001_use_after_brief_detox": (
            _chutuape(),
            "no medication after a 3-day ward; days at home",
        ),
        "comer_2006_depot_naltrexone_retention": (
            _comer(),
            "8 weeks, injections on days 0 and 28",
        ),
        "krupitsky_2011_xr_naltrexone_vs_placebo": (k11, "24 weeks after detoxification"),
        "lee_2016_xr_naltrexone_criminal_justice": (lee, "24 weeks after 60 days without access"),
        "lee_2018_xbot_xr_naltrexone_vs_buprenorphine": (xbot, "randomised on the ward, 24 weeks"),
        "tanum_2017_xr_naltrexone_vs_buprenorphine": (tanum, "12 weeks after detoxification"),
        "sullivan_2019_xr_vs_oral_naltrexone": (_sullivan(), "24 weeks after detoxification"),
        "krupitsky_2012_oral_naltrexone_vs_placebo": (k12, "24 weeks after detoxification"),
        "minozzi_2011_oral_naltrexone_cochrane": (minozzi, "24 weeks after detoxification"),
    }
    checks: list[Check] = []
    for name, (estimates, condition) in results.items():
        data = load_dataset(name)
        for row in data.rows():
            quantity = row["quantity"]
            estimate = estimates[quantity]
            check = Check.within(
                data,
                f"{condition}; simulated 95 % CI {estimate.lower:.3g}-{estimate.upper:.3g}",
                quantity,
                estimate.value,
                _unit(quantity),
                row["lower"],
                row["upper"],
            )
            checks.append(check)
    outcome = ExperimentOutcome(
        name="NTX-RELAPSE",
        title=EXPERIMENT.title,
        phenomenon="NTX-RELAPSE",
        checks=checks,
        notes=k11_notes + lee_notes + xbot_notes + oral_notes,
    )
    outcome.figure = _figure(out_dir, results)
    return outcome


def _unit(quantity: str) -> str:
    if "(%)" in quantity:
        return "%"
    if "(days)" in quantity or "use days" in quantity:
        return "days"
    return "ratio"


TRIAL_LABELS = {
    "smyth_2010_relapse_after_inpatient_detox": "Smyth 2010",
    "gossop_1987_use_after_inpatient_withdrawal": "Gossop 1987/1989",
    "chutuape_2001_use_after_brief_detox": "Chutuape 2001",
    "comer_2006_depot_naltrexone_retention": "Comer 2006",
    "krupitsky_2011_xr_naltrexone_vs_placebo": "Krupitsky 2011",
    "lee_2016_xr_naltrexone_criminal_justice": "Lee 2016",
    "lee_2018_xbot_xr_naltrexone_vs_buprenorphine": "X:BOT 2018",
    "tanum_2017_xr_naltrexone_vs_buprenorphine": "Tanum 2017",
    "sullivan_2019_xr_vs_oral_naltrexone": "Sullivan 2019",
    "krupitsky_2012_oral_naltrexone_vs_placebo": "Krupitsky 2012",
    "minozzi_2011_oral_naltrexone_cochrane": "Minozzi 2011",
}


def _figure(out_dir: Path, results: dict) -> Path:
    """A forest plot: each published interval (bar) and the simulated estimate with its 95 %
    interval (point), by unit."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = []
    for name, (estimates, _) in results.items():
        data = load_dataset(name)
        for row in data.rows():
            q = row["quantity"]
            rows.append(
                (
                    f"{TRIAL_LABELS[name]}: {q}",
                    _unit(q),
                    row,
                    estimates[q],
                    data.role,
                )
            )
    units = ["%", "ratio", "days"]
    heights = [sum(1 for r in rows if r[1] == u) for u in units]
    fig, axes = plt.subplots(
        3, 1, figsize=(13, 0.32 * sum(heights) + 3), gridspec_kw={"height_ratios": heights}
    )
    for ax, unit in zip(axes, units, strict=True):
        selected = [r for r in rows if r[1] == unit]
        for y, (_, _, row, estimate, role) in enumerate(selected):
            lo, hi = row["lower"], row["upper"]
            ax.plot(
                [lo, hi], [y, y], color="0.6" if role == "calibration" else "k", lw=5, alpha=0.5
            )
            below = max(estimate.value - estimate.lower, 0.0)
            above = max(estimate.upper - estimate.value, 0.0)
            ax.errorbar([estimate.value], [y], xerr=[[below], [above]], fmt="o", color="C3", ms=4)
        labels = [textwrap.fill(r[0], 56) for r in selected]
        ax.set_yticks(range(len(selected)), labels, fontsize=7)
        ax.invert_yaxis()
        label = {"%": "percent of people", "ratio": "hazard or risk ratio", "days": "days"}[unit]
        ax.set_xlabel(label)
        if unit == "ratio":
            ax.set_xscale("log")
    axes[0].plot([], [], color="k", lw=5, alpha=0.5, label="published 95 % interval (validation)")
    axes[0].plot(
        [], [], color="0.6", lw=5, alpha=0.5, label="published 95 % interval (calibration)"
    )
    axes[0].errorbar(
        [], [], xerr=[], fmt="o", color="C3", label="simulated, with its 95 % interval"
    )
    axes[0].legend(fontsize=7, loc="lower right")
    fig.suptitle("NTX-RELAPSE: virtual naltrexone and buprenorphine trials after detoxification")
    return save_figure(fig, out_dir, "ntx_relapse")


EXPERIMENT = AbstractExperiment(
    name="NTX-RELAPSE",
    phenomenon="NTX-RELAPSE",
    title="naltrexone after detoxification as virtual trials: relapse, retention, induction",
    dataset_names=(
        "smyth_2010_relapse_after_inpatient_detox",
        "gossop_1987_use_after_inpatient_withdrawal",
        "chutuape_2001_use_after_brief_detox",
        "comer_2006_depot_naltrexone_retention",
        "krupitsky_2011_xr_naltrexone_vs_placebo",
        "lee_2016_xr_naltrexone_criminal_justice",
        "lee_2018_xbot_xr_naltrexone_vs_buprenorphine",
        "tanum_2017_xr_naltrexone_vs_buprenorphine",
        "sullivan_2019_xr_vs_oral_naltrexone",
        "krupitsky_2012_oral_naltrexone_vs_placebo",
        "minozzi_2011_oral_naltrexone_cochrane",
    ),
    run=_run,
    description=__doc__ or "",
    slow=True,
)
