"""Calibrations as PEtab problems, solved with pyPESTO.

A calibration written as a PEtab problem (Schmiester et al. 2021, PLoS Comput Biol
17:e1008646) is the field's interchange form: the exported SBML (doses as events), a
condition table, an observable table (model output, noise model), a measurement table (the
calibration data set) and a parameter table (what is estimated, on which scale, within which
bounds). ``opioidsim calibrate NAME --petab DIR`` writes it and the PEtab linter checks it;
any PEtab tool (AMICI, libroadrunner, COPASI) can re-fit it.

``opioidsim calibrate NAME`` solves the same problem with pyPESTO (Schaelte et al. 2023,
Bioinformatics 39:btad711): multi-start local optimisation of the negative log-likelihood
(normal noise, the sigma of the observable table) from starts drawn uniformly within the
parameter table's bounds on its scale, and a profile likelihood for the 95 % interval. The
objective simulates each condition with opioidsim's own engine: AMICI, PEtab's usual
simulator, compiles C++ (users need pip alone), and libroadrunner runs the exported SBML
only with a per-state absolute tolerance, which PEtab cannot carry. The reference tests check
that the engine and libroadrunner agree on the exported SBML.

PEtab v1 has one model per problem, so a problem's conditions share one dosing schedule,
scaled per condition by the SBML parameter ``dose_scale`` (the buprenorphine PET doses). A
problem may also fix model parameters in every condition (condition-table columns): the two
morphine effect transducers are defined at effect-site equilibrium in receptors that have not
desensitised, so their conditions hold neuroadaptation's desensitisation rates at 0.

PEtab v1 measurements are values of an observable formula at time points. Two data forms
that read the model at more than one time are written with helper elements added to the
exported SBML, the model's own elements unchanged: a mean over a window (a parameter that
integrates the output, set to 0 by an event at the window's start, read at its end over the
window's length) and a ratio to the value at a reference time (a parameter set to the output
by an event at that time). The engine's objective computes the same
(``simulated_observable``); a test checks both against libroadrunner.

PEtab problems: fentanyl's mu affinity (Algera 2021), buprenorphine's mu affinity (Greenwald
2003), the human respiratory and analgesic couplings of morphine (Romberg 2003, Dahan 2004),
naltrexone's mu KD and brain equilibration rate together (Rabiner 2011's PET blockade, a mean
over 1-8 h after 2-50 mg, one schedule scaled; Lee 1988's blockade at 48-168 h over its 1-h
value after 50 mg), the tolerance of the HPA opioid brake (Facchinetti 1985's users/controls
cortisol as a mean over the last day of heroin use), the liking coupling (the morphine
liking meta-analysis, read at the peak), heroin's and 6-MAM's affinity (Kaiko 1981: heroin's
peak stimulus over morphine's, one schedule with the two drugs 48 h apart; heroin's KD tied to
10 x 6-MAM's by an SBML initial assignment) and the opioid share of social connection
(Inagaki 2019: connection after naltrexone over the same contact without drug, 48 h apart).
and the observer map of the withdrawal scales (Gorodetzky 2017's placebo SOWS-Gossop on day 3:
the somatic index's mean over 48-72 h after the last dose through the map M x I / (I +
I_half), whose I_half is a parameter of the observable table, not of the model; its closed
form in ``experiments/_withdrawal.py`` is what the experiments use, and a test checks that
pyPESTO finds it); and, in ``petab_layers``, cocaine's transporter share of dopamine
clearance (Keller 1992), the withdrawal gains of oxytocin neurones (rat plasma and
intranuclear oxytocin after naloxone), striatal prodynorphin induction (the rat binge) and
the five coefficients of the human circadian CRH drive (Debono 2009: cortisol at three clock
times, and zero slope at the peak's and nadir's times, a slope observable being the state's
rate rule copied into an assignment rule; solved as least squares) and cocaine's affinity for
the dopamine transporter (Volkow 1999's PET ED50). Every ``calibrated`` value of the model
is estimated by one of these problems (a test checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from opioidsim.errors import ConfigError, OpioidsimError, SolverError
from opioidsim.experiments._protocols import dose, event, fentanyl_rate_holding, infusion
from opioidsim.validation.calibrate import AFFINITY as NALTREXONE_AFFINITY
from opioidsim.validation.calibrate import BLOCKADE as NALTREXONE_BLOCKADE
from opioidsim.validation.calibrate import BRAIN_RATE as NALTREXONE_BRAIN_RATE
from opioidsim.validation.calibrate import (
    CONNECTION,
    CONNECTION_SHARE,
    HEROIN_AFFINITY,
    HEROIN_TO_MONOACETYLMORPHINE_AFFINITY,
    HPA_FRACTION,
    LAB_TASK_HOURS,
    LAB_TASK_START_H,
    LIKING,
    LIKING_COUPLING,
    MONOACETYLMORPHINE_AFFINITY,
    RABINER_WINDOW_H,
    STIMULUS,
    WITHDRAWAL_GAIN,
    _require_calibration_role,
    inagaki_2019_connection_effect,
)
from opioidsim.validation.petab_layers import LAYER_PROBLEMS
from opioidsim.validation.petab_spec import (
    HUMAN_70_KG,
    PEAK_GRID_MIN,
    SECOND_ARM_H,
    Condition,
    Estimated,
    Measurement,
    Observable,
    Peak,
    PetabCalibration,
    one_dose_scenario,
    peak_times_h,
    single_peak_problem,
)

#: the effect-transducer conditions (and fentanyl's) hold neuroadaptation's desensitisation
#: rates at 0: the sources' PK-PD models have no tolerance term. Without this, a hold long
#: enough for the effect site desensitises the receptors (at 32 nM for 72 h the analgesic
#: availability falls to 0.45 and analgesia never reaches half).
NAIVE_RECEPTORS = {
    "neuroadaptation.fast_desensitisation_rate": 0.0,
    "neuroadaptation.slow_desensitisation_rate": 0.0,
}


# -- fentanyl's in vivo mu affinity (Algera 2021) -------------------------------------------
FENTANYL_AFFINITY = "mu_receptor.dissociation_constant[fentanyl]"
ALGERA = "algera_2021_fentanyl_respiratory_tolerance"
HOLD_H = 24.0


def _algera_naive() -> Mapping[str, Any]:
    (row,) = [
        r for r in _require_calibration_role(ALGERA).rows() if r["population"] == "opioid-naive"
    ]
    return row


def _fentanyl_scenario(dose_scale: float = 1.0) -> dict[str, Any]:
    c50 = float(_algera_naive()["c50_ng_per_ml"]) * dose_scale
    return {
        "name": "fentanyl held at the naive isohypercapnic C50 (Algera 2021)",
        "subject": HUMAN_70_KG,
        "duration": f"{HOLD_H!r} h",
        "output_interval": "60 min",
        "doses": [infusion("fentanyl", fentanyl_rate_holding(c50), "iv", 0.0, HOLD_H)],
    }


def _fentanyl_problem() -> PetabCalibration:
    row = _algera_naive()
    c50, se = float(row["c50_ng_per_ml"]), float(row["c50_se_ng_per_ml"])
    return PetabCalibration(
        name="fentanyl-mu-affinity",
        datasets=(ALGERA,),
        scenario=_fentanyl_scenario,
        conditions=(
            Condition(
                "naive_c50_hold",
                f"opioid-naive adult, plasma fentanyl held at {c50:g} ng/mL for {HOLD_H:g} h, "
                "receptors not desensitising",
            ),
        ),
        observables=(
            Observable(
                "drive_removed",
                "mu_effects.respiratory_depression",
                "fraction of the respiratory drive removed at fixed CO2",
                sigma_reason=f"Algera 2021's C50 SE ({se:g} ng/mL) through a slope-1 Emax "
                "curve at the C50: SE / (4 C50)",
                # at the C50 a slope-1 Emax curve moves by 1/(4 C50) per unit of C50
                sigma=se / (4.0 * c50),
            ),
        ),
        measurements=(Measurement("drive_removed", "naive_c50_hold", HOLD_H, 0.5),),
        estimated=(Estimated(FENTANYL_AFFINITY, "nM", 1.0, 1.0e4),),
        # Algera's C50 is an acute, escalating-dose estimate of a model without tolerance;
        # the 24-h hold is for the plasma steady state, not for desensitisation
        fixed=NAIVE_RECEPTORS,
    )


# -- buprenorphine's in vivo mu affinity (Greenwald 2003) ------------------------------------
BUPRENORPHINE_AFFINITY = "mu_receptor.dissociation_constant[buprenorphine]"
GREENWALD = "greenwald_2003_buprenorphine_pet"
PET_DAYS = 14
PET_AFTER_LAST_H = 4.0


def _buprenorphine_problem() -> PetabCalibration:
    rows = _require_calibration_role(GREENWALD).rows()
    reference_mg = float(rows[0]["dose_mg"])
    scan_h = (PET_DAYS - 1) * 24.0 + PET_AFTER_LAST_H

    def scenario(dose_scale: float = 1.0) -> dict[str, Any]:
        mg = reference_mg * dose_scale
        return {
            "name": f"buprenorphine {mg:g} mg sublingual daily for {PET_DAYS} days",
            "subject": HUMAN_70_KG,
            "duration": f"{scan_h!r} h",
            "output_interval": "60 min",
            "doses": [
                dose("buprenorphine", f"{mg!r} mg", "sublingual", 0.0, every="24 h",
                     count=PET_DAYS)
            ],
        }  # fmt: skip

    conditions = tuple(
        Condition(
            f"daily_{float(row['dose_mg']):g}_mg",
            f"buprenorphine {float(row['dose_mg']):g} mg sublingual daily for {PET_DAYS} days, "
            f"PET {PET_AFTER_LAST_H:g} h after the last tablet",
            float(row["dose_mg"]) / reference_mg,
        )
        for row in rows
    )
    return PetabCalibration(
        name="buprenorphine-mu-affinity",
        datasets=(GREENWALD,),
        scenario=scenario,
        conditions=conditions,
        observables=(
            Observable(
                "occupancy",
                "mu_receptor.occupancy[buprenorphine]",
                "buprenorphine's share of mu receptors (PET: fall of availability)",
                sigma_reason="each dose's SEM as reported (Greenwald 2003)",
            ),
        ),
        measurements=tuple(
            Measurement(
                "occupancy",
                condition.id,
                scan_h,
                float(row["availability_decrease"]),
                float(row["availability_decrease_sem"]),
            )
            for condition, row in zip(conditions, rows, strict=True)
        ),
        estimated=(Estimated(BUPRENORPHINE_AFFINITY, "nM", 1.0e-3, 10.0),),
    )


# -- morphine's human effect transducers (Romberg 2003, Dahan 2004) --------------------------
RESPIRATORY_COUPLING = "mu_effects.respiratory_coupling"
ANALGESIA_COUPLING = "mu_effects.analgesia_coupling"
ROMBERG = "romberg_2003_morphine_ventilation"
DAHAN = "dahan_2004_morphine_analgesia_potency"
#: Both couplings are morphine's tau at effect-site equilibrium in receptors that have not
#: desensitised (the data's PK-PD models have no tolerance term; the studies last hours):
#: Plasma held for 72 h: about 16 effect-site half-lives of morphine (t1/2ke0 4.4 h, Dahan
#: 2004; morphine.effect_site_rate 0.1575/h) after 34 terminal half-lives (2.1 h), so the
#: effect site is within 2e-5 of plasma.
MORPHINE_HOLD_H = 72.0


def morphine_rate_holding(target_nm: float) -> str:
    """IV morphine rate (nmol/h) that holds ``target_nm`` plasma at steady state in the 70-kg
    adult (clearance x target; cf. ``fentanyl_rate_holding``)."""
    from opioidsim.model.default import build_model

    clearance_l_h = build_model(["morphine"]).parameter("morphine.clearance")
    return f"{float(target_nm * clearance_l_h)!r} nmol/h"


def _morphine_scenario(target_nm: float) -> Callable[[float], dict[str, Any]]:
    def scenario(dose_scale: float = 1.0) -> dict[str, Any]:
        nm = target_nm * dose_scale
        return {
            "name": f"morphine held at {nm:g} nM plasma (effect-site equilibrium)",
            "subject": HUMAN_70_KG,
            "duration": f"{MORPHINE_HOLD_H!r} h",
            "output_interval": "60 min",
            "doses": [infusion("morphine", morphine_rate_holding(nm), "iv", 0.0, MORPHINE_HOLD_H)],
        }

    return scenario


def _hill_sigma(effect: float, hill: float, relative_se: float) -> float:
    """SD of the effect at a fixed concentration when the curve's potency (C25, C50) has this
    relative SE: an Emax curve of slope ``hill`` moves by hill x E(1 - E) per unit of log
    potency (SE / (4 C50) at the C50 with slope 1, as for fentanyl)."""
    return hill * effect * (1.0 - effect) * relative_se


def _romberg() -> tuple[float, float]:
    row = _require_calibration_role(ROMBERG).rows()[0]
    return float(row["c25_nM"]), float(row["c25_sd_nM"])


def _respiratory_problem() -> PetabCalibration:
    c25, se = _romberg()
    slope = 1.0  # mu_effects.respiratory_slope (Dahan 2004), as the stored coupling assumes
    return PetabCalibration(
        name="morphine-respiratory-coupling",
        datasets=(ROMBERG,),
        scenario=_morphine_scenario(c25),
        conditions=(
            Condition(
                "c25_hold",
                f"adult, plasma morphine held at Romberg 2003's C25 ({c25:g} nM) for "
                f"{MORPHINE_HOLD_H:g} h, receptors not desensitising",
            ),
        ),
        observables=(
            Observable(
                "drive_removed",
                "mu_effects.respiratory_depression",
                "fraction of the respiratory drive removed at fixed CO2",
                sigma_reason=f"Romberg 2003's C25 SE ({se:g} nM) through a slope-1 Emax "
                "curve at the C25: 1 x 0.25 x 0.75 x SE / C25",
                sigma=_hill_sigma(0.25, slope, se / c25),
            ),
        ),
        measurements=(Measurement("drive_removed", "c25_hold", MORPHINE_HOLD_H, 0.25),),
        estimated=(Estimated(RESPIRATORY_COUPLING, "1", 1.0, 1.0e4),),
        fixed=NAIVE_RECEPTORS,
    )


def _analgesia_problem() -> PetabCalibration:
    row = _require_calibration_role(DAHAN).rows()[0]
    c50, hill = float(row["c50_nM"]), float(row["hill"])
    # Dahan 2004's C50 comes without a spread in the data set: its relative SE is taken as
    # that of Romberg 2003's C25 (same group, drug, volunteers and effect-compartment design).
    c25, se = _romberg()
    return PetabCalibration(
        name="morphine-analgesia-coupling",
        datasets=(DAHAN,),
        scenario=_morphine_scenario(c50),
        conditions=(
            Condition(
                "c50_hold",
                f"adult, plasma morphine held at Dahan 2004's analgesic C50 ({c50:g} nM) for "
                f"{MORPHINE_HOLD_H:g} h, receptors not desensitising",
            ),
        ),
        observables=(
            Observable(
                "analgesia",
                "mu_effects.analgesia",
                "analgesia, fraction of maximum",
                sigma_reason=f"no spread reported for the C50: the relative SE of Romberg "
                f"2003's C25 ({se:g}/{c25:g} nM, same group and design) through Dahan's Hill "
                f"curve (slope {hill:g}) at the C50: {hill:g} x 0.5 x 0.5 x SE / C50",
                sigma=_hill_sigma(0.5, hill, se / c25),
            ),
        ),
        measurements=(Measurement("analgesia", "c50_hold", MORPHINE_HOLD_H, 0.5),),
        estimated=(Estimated(ANALGESIA_COUPLING, "1", 1.0, 1.0e4),),
        fixed=NAIVE_RECEPTORS,
    )


# -- naltrexone's mu KD and brain equilibration (Rabiner 2011, Lee 1988) ----------------------
RABINER = "rabiner_2011_naltrexone_pet"
LEE = "lee_1988_naltrexone_blockade_duration"
NALTREXONE_REFERENCE_MG = 50.0  # Lee's dose; Rabiner's are this times dose_scale


def _naltrexone_scenario(dose_scale: float = 1.0) -> dict[str, Any]:
    mg = float(NALTREXONE_REFERENCE_MG * dose_scale)
    lee = _require_calibration_role(LEE).frame()
    return one_dose_scenario(
        f"naltrexone {mg:g} mg oral, once",
        HUMAN_70_KG,
        float(lee["time_h"].max()),
        "10 min",
        dose("naltrexone", f"{mg!r} mg", "oral", 0.0),
    )


def _rabiner_sigma(rabiner: Any) -> float:
    """Pooled within-dose SD of Rabiner's single subjects (the doses given to several)."""
    groups = [g["blockade_fraction"].to_numpy(float) for _, g in rabiner.groupby("dose_mg")]
    squares = sum(float(np.sum((g - g.mean()) ** 2)) for g in groups)
    return float(np.sqrt(squares / sum(len(g) - 1 for g in groups)))


def _naltrexone_problem() -> PetabCalibration:
    rabiner = _require_calibration_role(RABINER).frame()
    lee = _require_calibration_role(LEE).frame()
    if set(lee["naltrexone_dose_mg"].astype(float)) != {NALTREXONE_REFERENCE_MG}:
        raise ConfigError(f"{LEE}: expected the {NALTREXONE_REFERENCE_MG:g} mg dose only.")
    start, end = RABINER_WINDOW_H
    sigma = _rabiner_sigma(rabiner)
    conditions = tuple(
        Condition(
            f"oral_{mg:g}_mg",
            f"naltrexone {mg:g} mg oral, once, at time 0",
            mg / NALTREXONE_REFERENCE_MG,
        )
        for mg in sorted(rabiner["dose_mg"].astype(float).unique())
    )
    reference = f"oral_{NALTREXONE_REFERENCE_MG:g}_mg"
    return PetabCalibration(
        name="naltrexone-mu-binding",
        datasets=(RABINER, LEE),
        scenario=_naltrexone_scenario,
        conditions=conditions,
        observables=(
            Observable(
                "pet_blockade",
                NALTREXONE_BLOCKADE,
                f"mu receptors held by drugs, mean over {start:g}-{end:g} h (a [11C]"
                f"carfentanil scan within {end:g} h; Rabiner 2011)",
                sigma_reason=f"Rabiner 2011 gives single subjects, no SE: the pooled "
                f"within-dose SD of its subjects at the doses given to several ({sigma:.3g}; "
                "Lee 1988's SEMs are 0.063-0.14)",
                sigma=sigma,
                window_h=RABINER_WINDOW_H,
            ),
            Observable(
                "blockade_relative_to_1h",
                NALTREXONE_BLOCKADE,
                "mu receptors held by drugs over their value 1 h after the dose (Lee 1988)",
                sigma_reason="each time's SEM as reported (Lee 1988)",
                relative_to_h=1.0,
            ),
        ),
        measurements=tuple(
            Measurement(
                "pet_blockade",
                f"oral_{float(mg):g}_mg",
                end,
                float(b),
            )
            for mg, b in zip(rabiner["dose_mg"], rabiner["blockade_fraction"], strict=True)
        )
        + tuple(
            Measurement(
                "blockade_relative_to_1h",
                reference,
                float(h),
                float(r),
                float(sem),
            )
            for h, r, sem in zip(
                lee["time_h"],
                lee["blockade_relative_to_1h"],
                lee["blockade_relative_sem"],
                strict=True,
            )
        ),
        estimated=(
            Estimated(NALTREXONE_AFFINITY, "nM", 1.0e-2, 1.0e2),
            Estimated(NALTREXONE_BRAIN_RATE, "1/h", 1.0e-3, 1.0),
        ),
    )


# -- the HPA opioid brake's tolerance (Facchinetti 1985) --------------------------------------
FACCHINETTI = "facchinetti_1985_cortisol_heroin_users"
CORTISOL = "hpa_axis.glucocorticoid_fold_basal"


def _heroin_regimen(dose_scale: float, follow_h: float, then: str = "") -> dict[str, Any]:
    """The model's heroin-use regimen (its dose times ``dose_scale``), run ``follow_h``
    hours past the last dose."""
    from dataclasses import replace

    from opioidsim.experiments._withdrawal import REGIMENS

    regimen = REGIMENS["heroin"]
    mg = float(regimen.amount.removesuffix(" mg")) * dose_scale
    return {
        "name": f"heroin {mg:g} mg {regimen.route.upper()} every {regimen.every_h:g} h for "
        f"{regimen.days:g} days{then}",
        "subject": HUMAN_70_KG,
        "duration": f"{regimen.last_dose_h + follow_h!r} h",
        "output_interval": "30 min",
        "doses": replace(regimen, amount=f"{mg!r} mg").doses(),
    }


def _heroin_users_scenario(dose_scale: float = 1.0) -> dict[str, Any]:
    # an hour past the last dose (a scenario ends after its doses); read before it
    return _heroin_regimen(dose_scale, 1.0)


def _ratio_se(row: Mapping[str, Any]) -> float:
    """SE of a ratio of two independent means (delta method): the ratio times the root sum
    of squares of each mean's relative SE (SD / sqrt(n) / mean)."""
    users = float(row["users_sd_ng_ml"]) / np.sqrt(float(row["users_n"]))
    controls = float(row["controls_sd_ng_ml"]) / np.sqrt(float(row["controls_n"]))
    relative = np.hypot(
        users / float(row["users_mean_ng_ml"]), controls / float(row["controls_mean_ng_ml"])
    )
    return float(row["cortisol_fold"]) * float(relative)


def _hpa_problem() -> PetabCalibration:
    from opioidsim.experiments._withdrawal import REGIMENS

    (row,) = _require_calibration_role(FACCHINETTI).rows()
    last = REGIMENS["heroin"].last_dose_h
    sigma = _ratio_se(row)
    return PetabCalibration(
        name="hpa-opioid-adaptation",
        datasets=(FACCHINETTI,),
        scenario=_heroin_users_scenario,
        conditions=(
            Condition(
                "heroin_regimen",
                "heroin 25 mg IV every 6 h for 14 days (the model's heroin-use regimen)",
            ),
        ),
        observables=(
            Observable(
                "cortisol_over_the_last_day",
                CORTISOL,
                "plasma cortisol over basal, mean over the last day of use (Facchinetti "
                "1985: users' basal cortisol over healthy controls')",
                sigma_reason=f"SE of the users/controls ratio of means from the paper's SDs "
                f"and group sizes (37 users, 12 controls), by the delta method ({sigma:.3g})",
                sigma=sigma,
                window_h=(last - 24.0, last),
            ),
        ),
        measurements=(
            Measurement(
                "cortisol_over_the_last_day", "heroin_regimen", last, float(row["cortisol_fold"])
            ),
        ),
        estimated=(Estimated(HPA_FRACTION, "1", 1.0e-3, 1.0),),
    )


# -- impulsive choice in regular heroin use (Kirby, Petry & Bickel 1999) ---------------------
KIRBY = "kirby_1999_heroin_discounting"
LOG_IMPULSIVITY = "executive_control.log_impulsivity_fold"
#: EXEC's regular use (NTX-RELAPSE's history, 60 days); users tested on day 60.
USE_DAYS_EXEC = 60


def _impulsivity_scenario(dose_scale: float = 1.0) -> dict[str, Any]:
    from opioidsim.experiments.phenomena.ntx_relapse import HISTORY

    mg = float(HISTORY["amount"].removesuffix(" mg")) * dose_scale
    return {
        "name": f"heroin {mg:g} mg IV every 8 h for {USE_DAYS_EXEC} days",
        "subject": HUMAN_70_KG,
        "duration": f"{24.0 * USE_DAYS_EXEC!r} h",
        "output_interval": "15 min",
        "doses": [{**HISTORY, "amount": f"{mg!r} mg"}],
    }


def _impulsivity_problem() -> PetabCalibration:
    (row,) = _require_calibration_role(KIRBY).rows()
    ratio = float(row["value"])
    # the abstract's p = .004 with 56 + 60 people: t = 2.94 on ln k, so SE(ln ratio) = ln 2 / t
    sigma = float(np.log(ratio) / 2.94)
    end = 24.0 * USE_DAYS_EXEC
    return PetabCalibration(
        name="impulsivity-withdrawal-gain",
        datasets=(KIRBY,),
        scenario=_impulsivity_scenario,
        conditions=(Condition("regular_use", "heroin 25 mg IV every 8 h for 60 days (EXEC)"),),
        observables=(
            Observable(
                "ln_k_over_the_day",
                LOG_IMPULSIVITY,
                "ln k over the drug-free ln k, mean over day 60 of use (Kirby 1999: users' k "
                "twice controls', tested at an unknown time of day)",
                sigma_reason=f"SE of ln(ratio) implied by the abstract's p = .004 (t = 2.94, df "
                f"114): ln 2 / 2.94 = {sigma:.3g}",
                sigma=sigma,
                window_h=(end - 24.0, end),
            ),
        ),
        measurements=(Measurement("ln_k_over_the_day", "regular_use", end, float(np.log(ratio))),),
        estimated=(Estimated(WITHDRAWAL_GAIN, "1", 1.0, 300.0),),
    )


# -- peaks and ratios of two conditions, as one schedule -------------------------------------
# Liking (Drug Alcohol Depend 1994 meta-analysis of morphine abuse-liability studies).
LIKING_META = "morphine_liking_meta_1994"
LIKING_HOURS = 4.0
#: The meta-analysis gives the dose of the average effect, no spread: a tenth of the rating
#: scale (assumed); it sets the profile interval, not the estimate (one measurement).
LIKING_SIGMA = 0.1


def _liking_scenario(dose_scale: float = 1.0) -> dict[str, Any]:
    (row,) = _require_calibration_role(LIKING_META).rows()
    mg, route = float(row["morphine_mg"]) * dose_scale, str(row["route"])
    return one_dose_scenario(
        f"morphine {mg:g} mg {route}",
        HUMAN_70_KG,
        LIKING_HOURS,
        f"{PEAK_GRID_MIN!r} min",
        dose("morphine", f"{mg!r} mg", route, 0.0),
    )


def _liking_problem() -> PetabCalibration:
    (row,) = _require_calibration_role(LIKING_META).rows()
    return single_peak_problem(
        "morphine-liking",
        LIKING_META,
        _liking_scenario,
        Condition("morphine", f"morphine {row['morphine_mg']} mg {row['route']}"),
        Peak(
            "peak_drug_liking",
            LIKING,
            "subject-rated drug liking at its peak, fraction of the maximal rating",
            float(row["liking_fraction_of_maximum"]),
            LIKING_SIGMA,
            f"no spread reported: {LIKING_SIGMA!r} of the scale (assumed)",
            LIKING_HOURS,
        ),
        Estimated(LIKING_COUPLING, "1", 0.1, 1.0e4),
    )


# Heroin's potency (Kaiko 1981): heroin M/ratio mg IV gives morphine M mg IV's peak stimulus.
KAIKO = "kaiko_1981_heroin_morphine_potency"
POTENCY_HOURS = 8.0


def _kaiko_doses_mg() -> tuple[float, float]:
    (row,) = _require_calibration_role(KAIKO).rows()
    morphine_mg = float(row["morphine_mg"])
    return morphine_mg, morphine_mg / float(row["potency_ratio"])


def _kaiko_sigma() -> float:
    """SE of the log potency ratio from its 95 % limits: at the low occupancies of these
    doses the peak stimulus is proportional to potency, so this is the SE of the ratio of
    the two peaks at equality (1)."""
    (row,) = _require_calibration_role(KAIKO).rows()
    low, high = float(row["potency_ratio_low"]), float(row["potency_ratio_high"])
    return float(np.log(high / low) / (2.0 * 1.96))


def _potency_scenario(dose_scale: float = 1.0) -> dict[str, Any]:
    morphine_mg, heroin_mg = (mg * dose_scale for mg in _kaiko_doses_mg())
    return {
        "name": f"morphine {morphine_mg:g} mg IV, heroin {heroin_mg:g} mg IV {SECOND_ARM_H:g} h "
        "later",
        "subject": HUMAN_70_KG,
        "duration": f"{SECOND_ARM_H + POTENCY_HOURS!r} h",
        "output_interval": f"{PEAK_GRID_MIN!r} min",
        "doses": [
            dose("morphine", f"{morphine_mg!r} mg", "iv", 0.0),
            dose("heroin", f"{heroin_mg!r} mg", "iv", SECOND_ARM_H),
        ],
    }


def _heroin_problem() -> PetabCalibration:
    scenario = _potency_scenario()
    morphine_peak_h, heroin_peak_h = peak_times_h(
        scenario,
        [(STIMULUS, 0.0, POTENCY_HOURS), (STIMULUS, SECOND_ARM_H, SECOND_ARM_H + POTENCY_HOURS)],
    )
    morphine_mg, heroin_mg = _kaiko_doses_mg()
    sigma = _kaiko_sigma()
    return PetabCalibration(
        name="heroin-mu-affinity",
        datasets=(KAIKO,),
        scenario=_potency_scenario,
        conditions=(
            Condition(
                "morphine_then_heroin",
                f"morphine {morphine_mg:g} mg IV, then heroin {heroin_mg:g} mg IV at "
                f"{SECOND_ARM_H:g} h",
            ),
        ),
        observables=(
            Observable(
                "heroin_over_morphine_peak_stimulus",
                STIMULUS,
                "heroin's peak mu stimulus over morphine's (equi-effective doses: 1)",
                sigma_reason=f"SE of the log potency ratio from Kaiko's 95 % limits "
                f"1.6-2.6 ({sigma:.3g})",
                sigma=sigma,
                relative_to_h=morphine_peak_h,
            ),
        ),
        measurements=(
            Measurement(
                "heroin_over_morphine_peak_stimulus", "morphine_then_heroin", heroin_peak_h, 1.0
            ),
        ),
        estimated=(Estimated(MONOACETYLMORPHINE_AFFINITY, "nM", 1.0e2, 1.0e6),),
        tied={
            HEROIN_AFFINITY: (MONOACETYLMORPHINE_AFFINITY, HEROIN_TO_MONOACETYLMORPHINE_AFFINITY)
        },
    )


# The opioid share of felt connection (Inagaki 2019): naltrexone 50 mg against placebo.
INAGAKI_2019 = "inagaki_2019_naltrexone_connection"
NALTREXONE_MG = 50.0


def _connection_scenario(dose_scale: float = 1.0) -> dict[str, Any]:
    mg = NALTREXONE_MG * dose_scale
    first, second = LAB_TASK_START_H, SECOND_ARM_H + LAB_TASK_START_H
    return {
        "name": f"close contact at {first:g} h; naltrexone {mg:g} mg oral at {SECOND_ARM_H:g} h, "
        f"close contact at {second:g} h",
        "subject": HUMAN_70_KG,
        "duration": f"{second + LAB_TASK_HOURS!r} h",
        "output_interval": "30 min",
        "doses": [dose("naltrexone", f"{mg!r} mg", "oral", SECOND_ARM_H)],
        "events": [
            event("social_contact", first, LAB_TASK_HOURS),
            event("social_contact", second, LAB_TASK_HOURS),
        ],
    }


def _connection_problem() -> PetabCalibration:
    effect = inagaki_2019_connection_effect()
    (row,) = [r for r in _require_calibration_role(INAGAKI_2019).rows() if r["quantity"] ==
              "drug_effect_F"]  # fmt: skip
    sigma = effect / float(np.sqrt(float(row["value"])))
    end = LAB_TASK_START_H + LAB_TASK_HOURS
    return PetabCalibration(
        name="connection-opioid-share",
        datasets=(INAGAKI_2019,),
        scenario=_connection_scenario,
        conditions=(
            Condition(
                "placebo_then_naltrexone",
                f"close contact without drug, then {NALTREXONE_MG:g} mg naltrexone oral "
                f"{SECOND_ARM_H:g} h later and the same contact 1 h after it",
            ),
        ),
        observables=(
            Observable(
                "connection_naltrexone_over_placebo",
                CONNECTION,
                "felt connection at the end of a 30-min close contact 1 h after naltrexone, "
                "over the same without drug",
                sigma_reason=f"the drop's SE: the drop ({effect:.3g}) over the t of the drug "
                f"effect (sqrt F, F = {float(row['value']):g}) = {sigma:.3g}",
                sigma=sigma,
                relative_to_h=end,
            ),
        ),
        measurements=(
            Measurement(
                "connection_naltrexone_over_placebo",
                "placebo_then_naltrexone",
                SECOND_ARM_H + end,
                1.0 - effect,
            ),
        ),
        estimated=(Estimated(CONNECTION_SHARE, "1", 1.0e-3, 1.0),),
    )


# The observer map's I_half (Gorodetzky 2017's placebo arm, day 3 of withdrawal).
GORODETZKY = "gorodetzky_2017_placebo_sows"
OBSERVER_HALF = "observer_half_index"
#: The data set gives the mean score only: a tenth of the scale (assumed), as for liking; it
#: sets the profile interval, not the estimate (one measurement).
SOWS_SIGMA = 3.0


def _withdrawal_scenario(dose_scale: float = 1.0) -> dict[str, Any]:
    from opioidsim.experiments._withdrawal import DAY3_H

    return _heroin_regimen(dose_scale, DAY3_H[1], ", then abrupt stop")


def _observer_problem() -> PetabCalibration:
    from opioidsim.experiments._withdrawal import (
        DAY3_H,
        REGIMENS,
        SOMATIC,
        SOWS_GOSSOP_MAX,
        observer_half_index,
    )

    (row,) = _require_calibration_role(GORODETZKY).rows()
    last = REGIMENS["heroin"].last_dose_h
    start, end = (last + h for h in DAY3_H)
    return PetabCalibration(
        name="observer-map",
        datasets=(GORODETZKY,),
        scenario=_withdrawal_scenario,
        conditions=(
            Condition(
                "heroin_withdrawal",
                "heroin 25 mg IV every 6 h for 14 days, then abrupt stop (placebo arm)",
            ),
        ),
        observables=(
            Observable(
                "sows_gossop_day3",
                SOMATIC,
                "SOWS-Gossop (0-30) on day 3 of withdrawal: the somatic index's mean over "
                "48-72 h after the last dose, through the observer map",
                sigma_reason=f"no spread in the data set: {SOWS_SIGMA:g} points, a tenth of "
                "the scale (assumed)",
                sigma=SOWS_SIGMA,
                window_h=(start, end),
                saturating_map=(SOWS_GOSSOP_MAX, OBSERVER_HALF),
            ),
        ),
        measurements=(
            Measurement("sows_gossop_day3", "heroin_withdrawal", end, float(row["sows_gossop"])),
        ),
        estimated=(
            Estimated(OBSERVER_HALF, "1", 1.0e-3, 1.0e3, observable_nominal=observer_half_index()),
        ),
    )


PROBLEMS: dict[str, Callable[[], PetabCalibration]] = {
    "buprenorphine-mu-affinity": _buprenorphine_problem,
    "connection-opioid-share": _connection_problem,
    "fentanyl-mu-affinity": _fentanyl_problem,
    "heroin-mu-affinity": _heroin_problem,
    "hpa-opioid-adaptation": _hpa_problem,
    "impulsivity-withdrawal-gain": _impulsivity_problem,
    "morphine-analgesia-coupling": _analgesia_problem,
    "morphine-liking": _liking_problem,
    "morphine-respiratory-coupling": _respiratory_problem,
    "naltrexone-mu-binding": _naltrexone_problem,
    "observer-map": _observer_problem,
    **LAYER_PROBLEMS,
}


def problem(name: str) -> PetabCalibration:
    if name not in PROBLEMS:
        raise ConfigError(f"calibration: got {name!r}; PEtab problems: {', '.join(PROBLEMS)}.")
    return _built(name)


@cache
def _built(name: str) -> PetabCalibration:
    # once per process: building a peak problem simulates its schedule (peak times), and a
    # fit, its writer and the CLI each ask for the problem
    return PROBLEMS[name]()


# -- writing ----------------------------------------------------------------------------------
def write_petab(name: str, directory: str | Path) -> Path:
    """Write calibration ``name`` as a PEtab v1 problem; return the path of its YAML file."""
    import pandas as pd
    import petab.v1 as petab

    from opioidsim.engine.compile import compile_model
    from opioidsim.engine.events import EventTable
    from opioidsim.io.config import load_scenario
    from opioidsim.io.sbml import export_sbml
    from opioidsim.model.assemble import symbol_name
    from opioidsim.simulation import build_events, model_for, subject_parameters

    spec = problem(name)
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    scenario = load_scenario(spec.scenario(1.0))
    model = model_for(scenario)
    p = subject_parameters(model, scenario)
    events = EventTable.from_rows(
        build_events(
            compile_model(model), scenario.dose_records(), p, episodes=scenario.event_records()
        )
    )
    scaled = any(c.dose_scale != 1.0 for c in spec.conditions)
    export_sbml(
        model, p, events, out / "model.xml", name=spec.name.replace("-", "_"), dose_scale=scaled
    )
    _add_helpers(out / "model.xml", spec.observables, symbol_name)
    if spec.tied:
        index = {n: i for i, n in enumerate(model.parameter_names)}
        _add_ties(
            out / "model.xml",
            {
                str(model.parameter_symbols[index[tied]]): (
                    str(model.parameter_symbols[index[source]]),
                    factor,
                )
                for tied, (source, factor) in spec.tied.items()
            },
        )

    conditions = pd.DataFrame(
        {
            petab.CONDITION_ID: [c.id for c in spec.conditions],
            petab.CONDITION_NAME: [c.name for c in spec.conditions],
        }
    )
    if scaled:
        conditions["dose_scale"] = [c.dose_scale for c in spec.conditions]
    index = {n: i for i, n in enumerate(model.parameter_names)}
    for parameter, value in spec.fixed.items():
        conditions[str(model.parameter_symbols[index[parameter]])] = [value] * len(spec.conditions)
    observables = pd.DataFrame(
        {
            petab.OBSERVABLE_ID: [o.id for o in spec.observables],
            petab.OBSERVABLE_NAME: [o.name for o in spec.observables],
            petab.OBSERVABLE_FORMULA: [
                _formula(o, symbol_name(o.output)) for o in spec.observables
            ],
            petab.OBSERVABLE_TRANSFORMATION: [petab.LIN] * len(spec.observables),
            petab.NOISE_FORMULA: [
                repr(o.sigma) if o.sigma is not None else f"noiseParameter1_{o.id}"
                for o in spec.observables
            ],
            petab.NOISE_DISTRIBUTION: [petab.NORMAL] * len(spec.observables),
        }
    )
    measurements = pd.DataFrame(
        {
            petab.OBSERVABLE_ID: [m.observable for m in spec.measurements],
            petab.SIMULATION_CONDITION_ID: [m.condition for m in spec.measurements],
            petab.TIME: [m.time_h for m in spec.measurements],
            petab.MEASUREMENT: [m.value for m in spec.measurements],
        }
    )
    if any(m.sigma is not None for m in spec.measurements):
        measurements[petab.NOISE_PARAMETERS] = [
            "" if m.sigma is None else repr(m.sigma) for m in spec.measurements
        ]
    parameters = pd.DataFrame(
        {
            petab.PARAMETER_ID: [
                e.parameter
                if e.observable_nominal is not None
                else str(model.parameter_symbols[index[e.parameter]])
                for e in spec.estimated
            ],
            petab.PARAMETER_NAME: [e.parameter for e in spec.estimated],
            petab.PARAMETER_SCALE: [
                petab.LIN if e.linear else petab.LOG10 for e in spec.estimated
            ],
            petab.LOWER_BOUND: [e.lower for e in spec.estimated],
            petab.UPPER_BOUND: [e.upper for e in spec.estimated],
            petab.NOMINAL_VALUE: [
                e.observable_nominal
                if e.observable_nominal is not None
                else float(p[index[e.parameter]])
                for e in spec.estimated
            ],
            petab.ESTIMATE: [1] * len(spec.estimated),
        }
    )
    petab.write_condition_df(conditions, out / "conditions.tsv")
    petab.write_observable_df(observables, out / "observables.tsv")
    petab.write_measurement_df(measurements, out / "measurements.tsv")
    petab.write_parameter_df(parameters, out / "parameters.tsv")
    yaml_path = out / f"{spec.name}.yaml"
    petab.write_yaml(
        yaml_config={
            "format_version": 1,
            "parameter_file": "parameters.tsv",
            "problems": [
                {
                    "sbml_files": ["model.xml"],
                    "condition_files": ["conditions.tsv"],
                    "measurement_files": ["measurements.tsv"],
                    "observable_files": ["observables.tsv"],
                }
            ],
        },
        filename=yaml_path,
    )
    return yaml_path


def _integral_id(observable: Observable) -> str:
    return f"{observable.id}_integral"


def _reference_id(observable: Observable) -> str:
    return f"{observable.id}_reference"


def _slope_id(observable: Observable) -> str:
    return f"{observable.id}_slope"


def _formula(observable: Observable, output_id: str) -> str:
    """The observable table's formula: the output, its window mean, or its ratio, read
    through the observable's saturating map if it has one."""
    if observable.window_h is not None:
        start, end = observable.window_h
        value = f"{_integral_id(observable)} / {end - start!r}"
    elif observable.relative_to_h is not None:
        value = f"{output_id} / {_reference_id(observable)}"
    elif observable.slope:
        value = _slope_id(observable)
    else:
        value = output_id
    if observable.saturating_map is not None:
        maximum, half = observable.saturating_map
        return f"{maximum!r} * ({value}) / ({value} + {half})"
    return value


def _add_helpers(
    path: Path, observables: tuple[Observable, ...], symbol_name: Callable[[str], str]
) -> None:
    """Add to the exported SBML what the observables that read more than one time need.

    A window mean: a parameter ``<id>_integral`` (h) with the rate rule d/dt = output and an
    event that sets it to 0 at the window's start, so that at the window's end it over the
    window's length is the mean. A ratio: a parameter ``<id>_reference`` that an event sets
    to the output at the reference time. The model's own elements are unchanged."""
    import libsbml

    from opioidsim.io.sbml import check_operation as checked
    from opioidsim.io.sbml import parse_formula as math

    helpers = [
        o for o in observables if o.window_h is not None or o.relative_to_h is not None or o.slope
    ]
    if not helpers:
        return
    document = libsbml.readSBMLFromFile(str(path))
    sbml = document.getModel()
    hour = sbml.getTimeUnits()

    def helper(ident: str, name: str, units: str, initial: float, at_h: float, value: str):
        parameter = sbml.createParameter()
        checked(parameter.setId(ident), ident)
        parameter.setName(name)
        checked(parameter.setValue(initial), ident)
        parameter.setConstant(False)
        if units:
            checked(parameter.setUnits(units), ident)
        event = sbml.createEvent()
        checked(event.setId(f"{ident}_event"), ident)
        event.setName(f"{name}: set at t = {at_h!r} h")
        checked(event.setUseValuesFromTriggerTime(True), ident)
        trigger = event.createTrigger()
        checked(trigger.setInitialValue(False), ident)
        checked(trigger.setPersistent(True), ident)
        checked(trigger.setMath(math(f"time >= {at_h!r} {hour}", ident)), ident)
        assignment = event.createEventAssignment()
        checked(assignment.setVariable(ident), ident)
        checked(assignment.setMath(math(value, ident)), ident)

    for o in helpers:
        output = symbol_name(o.output)
        if o.window_h is not None:
            ident = _integral_id(o)
            helper(ident, f"integral of {o.output} from {o.window_h[0]!r} h", "", 0.0,
                   o.window_h[0], "0")  # fmt: skip
            rule = sbml.createRateRule()
            checked(rule.setVariable(ident), ident)
            checked(rule.setMath(math(output, ident)), ident)
        elif o.slope:
            # the state's rate rule, copied into an assignment rule: its slope at any time
            ident = _slope_id(o)
            rate = sbml.getRateRule(output)
            if rate is None:
                raise ConfigError(f"observable {o.id}: {o.output} is not a state (no rate rule).")
            parameter = sbml.createParameter()
            checked(parameter.setId(ident), ident)
            parameter.setName(f"rate of change of {o.output} (per h)")
            parameter.setConstant(False)
            rule = sbml.createAssignmentRule()
            checked(rule.setVariable(ident), ident)
            checked(rule.setMath(rate.getMath().deepCopy()), ident)
        else:
            assert o.relative_to_h is not None
            helper(_reference_id(o), f"{o.output} at {o.relative_to_h!r} h",
                   sbml.getParameter(output).getUnits(), 1.0, o.relative_to_h, output)  # fmt: skip
    document.checkInternalConsistency()
    if document.getNumErrors(libsbml.LIBSBML_SEV_ERROR):
        raise ConfigError(f"PEtab SBML helpers: {document.getError(0).getMessage()}")
    if not libsbml.writeSBMLToFile(document, str(path)):
        raise ConfigError(f"PEtab SBML helpers: could not write {path}.")


def _add_ties(path: Path, ties: Mapping[str, tuple[str, float]]) -> None:
    """Each tied SBML parameter gets an initial assignment ``factor * source``, so a PEtab
    tool that sets the estimated parameter moves the tied one with it."""
    import libsbml

    from opioidsim.io.sbml import check_operation as checked
    from opioidsim.io.sbml import parse_formula as math

    document = libsbml.readSBMLFromFile(str(path))
    sbml = document.getModel()
    for tied, (source, factor) in ties.items():
        assignment = sbml.createInitialAssignment()
        checked(assignment.setSymbol(tied), tied)
        checked(assignment.setMath(math(f"{factor!r} * {source}", tied)), tied)
    document.checkInternalConsistency()
    if document.getNumErrors(libsbml.LIBSBML_SEV_ERROR):
        raise ConfigError(f"PEtab SBML ties: {document.getError(0).getMessage()}")
    if not libsbml.writeSBMLToFile(document, str(path)):
        raise ConfigError(f"PEtab SBML ties: could not write {path}.")


def lint(yaml_path: str | Path) -> bool:
    """True if the PEtab linter finds no error in the problem."""
    import logging

    import petab.v1 as petab

    # The linter warns that the optional visualisation table is absent; errors still log.
    lint_logger = logging.getLogger("petab.v1.lint")
    level = lint_logger.level
    lint_logger.setLevel(logging.ERROR)
    try:
        return not petab.lint_problem(petab.Problem.from_yaml(str(yaml_path)))
    finally:
        lint_logger.setLevel(level)


# -- solving ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PetabFit:
    name: str
    parameters: tuple[str, ...]
    units: tuple[str, ...]
    best: dict[str, float]  # canonical units
    starts: list[dict[str, float]]  # each start's optimum (canonical units)
    negative_log_likelihood: float
    interval_95: dict[str, tuple[float, float]]


def simulated_observable(
    observable: Observable,
    result: Any,
    time_h: float,
    values: Mapping[str, float] | None = None,
) -> float:
    """The observable at ``time_h`` from an opioidsim result: the output there, its mean over
    the observable's window (which must end at ``time_h``), or its ratio to its value at
    ``relative_to_h`` (what the SBML helpers of :func:`_add_helpers` compute); then the
    saturating map, if any, with its parameter from ``values``."""
    value = _simulated_value(observable, result, time_h)
    if observable.saturating_map is None:
        return value
    maximum, half = observable.saturating_map
    if values is None or half not in values:
        raise ConfigError(f"observable {observable.id}: its map needs a value of {half}.")
    return maximum * value / (value + values[half])


def _simulated_value(observable: Observable, result: Any, time_h: float) -> float:
    series = result[observable.output]
    if observable.slope:
        # central difference over the output grid's neighbours of time_h
        k = int(np.clip(np.searchsorted(result.time, time_h), 1, len(result.time) - 2))
        return float((series[k + 1] - series[k - 1]) / (result.time[k + 1] - result.time[k - 1]))
    if observable.window_h is not None:
        start, end = observable.window_h
        if time_h != end:
            raise ConfigError(
                f"observable {observable.id}: a mean over {start:g}-{end:g} h is measured at "
                f"{end:g} h; got {time_h:g} h."
            )
        # the exact mean of the output's linear interpolant: its samples and the window's ends
        inside = (result.time > start) & (result.time < end)
        grid = np.concatenate(([start], result.time[inside], [end]))
        return float(np.trapezoid(np.interp(grid, result.time, series), grid) / (end - start))
    value = float(np.interp(time_h, result.time, series))
    if observable.relative_to_h is not None:
        return value / float(np.interp(observable.relative_to_h, result.time, series))
    return value


def simulated_measurements(spec: PetabCalibration, values: Mapping[str, float]) -> np.ndarray:
    """The simulated value of each of the problem's measurements (in their order) at these
    parameter values (canonical units), each condition simulated with opioidsim's engine."""
    from opioidsim.simulation import simulate

    by_id = {o.id: o for o in spec.observables}
    simulated = np.full(len(spec.measurements), np.nan)
    for condition in spec.conditions:
        result = simulate(spec.scenario(condition.dose_scale), parameters=spec.with_ties(values))
        for k, m in enumerate(spec.measurements):
            if m.condition == condition.id:
                simulated[k] = simulated_observable(by_id[m.observable], result, m.time_h, values)
    return simulated


def _sigmas(spec: PetabCalibration) -> np.ndarray:
    """Each measurement's sigma: its observable's, else its own."""
    by_id = {o.id: o for o in spec.observables}
    sigmas = []
    for m in spec.measurements:
        sigma = by_id[m.observable].sigma
        sigma = sigma if sigma is not None else m.sigma
        if sigma is None:
            raise ConfigError(f"{spec.name}: measurement {m} has no sigma.")
        sigmas.append(sigma)
    return np.array(sigmas)


def negative_log_likelihood(spec: PetabCalibration, values: Mapping[str, float]) -> float:
    """-log L of the problem's measurements at these parameter values (canonical units),
    each condition simulated with opioidsim's engine; normal noise with the sigmas of the
    observable or measurement tables."""
    sigma = _sigmas(spec)
    residual = simulated_measurements(spec, values) - np.array(
        [m.value for m in spec.measurements]
    )
    return float(np.sum(0.5 * np.log(2 * np.pi * sigma**2) + 0.5 * (residual / sigma) ** 2))


def _stored(spec: PetabCalibration) -> list[float]:
    """The estimated parameters' stored values (the model's, or an observable's nominal)."""
    from opioidsim.io.config import load_scenario
    from opioidsim.simulation import model_for

    model = model_for(load_scenario(spec.scenario(1.0)))
    return [
        e.observable_nominal if e.observable_nominal is not None else model.parameter(e.parameter)
        for e in spec.estimated
    ]


def solve_petab(name: str, n_starts: int = 5, seed: int = 0, profile: bool = True) -> PetabFit:
    """Multi-start fit of calibration ``name`` with pyPESTO (Powell; log10 scale, or linear
    where a parameter says so)."""
    import pypesto
    import pypesto.optimize
    import pypesto.profile

    spec = problem(name)
    names = [e.parameter for e in spec.estimated]

    def objective(x: np.ndarray) -> float:
        return negative_log_likelihood(spec, values_of(x))

    def values_of(x: np.ndarray) -> dict[str, float]:
        return {e.parameter: e.to_value(v) for e, v in zip(spec.estimated, x, strict=True)}

    lb = np.array([e.to_scale(e.lower) for e in spec.estimated])
    ub = np.array([e.to_scale(e.upper) for e in spec.estimated])
    rng = np.random.default_rng(seed)

    def uniform_starts(n_starts: int, lb: np.ndarray, ub: np.ndarray, **_: Any) -> np.ndarray:
        if spec.start_box is None:
            return rng.uniform(lb, ub, size=(n_starts, len(lb)))
        centre = np.array(
            [e.to_scale(v) for e, v in zip(spec.estimated, _stored(spec), strict=True)]
        )
        low = np.maximum(lb, centre - spec.start_box)
        high = np.minimum(ub, centre + spec.start_box)
        return rng.uniform(low, high, size=(n_starts, len(lb)))

    def residuals(x: np.ndarray) -> np.ndarray:
        """Weighted residuals (a failed simulation: large ones, so the step is refused)."""
        try:
            simulated = simulated_measurements(spec, values_of(x))
        except OpioidsimError:
            return np.full(len(spec.measurements), 1e3)
        return (simulated - observed) / sigmas

    observed = np.array([m.value for m in spec.measurements])
    sigmas = _sigmas(spec)
    pypesto_problem = pypesto.Problem(
        objective=pypesto.Objective(fun=objective, res=residuals if spec.least_squares else None),
        lb=lb,
        ub=ub,
        x_names=names,
        x_scales=["lin" if e.linear else "log10" for e in spec.estimated],
        startpoint_method=uniform_starts,
    )
    if spec.least_squares:
        # trust-region least squares on the residuals, finite-difference Jacobian
        optimizer = pypesto.optimize.ScipyOptimizer(
            method="ls_trf", options={"diff_step": 1e-4, "x_scale": spec.start_box or 1.0}
        )
        profile = False  # several parameters, each simulation seconds: no profile here
    else:
        optimizer = pypesto.optimize.ScipyOptimizer(method="Powell", options={"xtol": 1e-5})
    result = pypesto.optimize.minimize(
        pypesto_problem,
        optimizer=optimizer,
        n_starts=n_starts,
        progress_bar=False,
    )
    ordered = [r for r in result.optimize_result.list if np.isfinite(r.fval)]
    if not ordered:
        raise SolverError(f"{name}: every pyPESTO start failed ({n_starts} starts).")
    best_x = np.asarray(ordered[0].x)
    interval: dict[str, tuple[float, float]] = {}
    if profile:
        pypesto.profile.parameter_profile(
            pypesto_problem, result, optimizer=optimizer, progress_bar=False
        )
        for i, parameter in enumerate(names):
            lower, upper = pypesto.profile.calculate_approximate_ci(
                xs=result.profile_result.list[0][i].x_path[i],
                ratios=result.profile_result.list[0][i].ratio_path,
                confidence_ratio=np.exp(-3.84 / 2),  # chi2(1) 95 % quantile
            )
            # an end at the profile's edge means the interval reaches the parameter bound
            interval[parameter] = (
                spec.estimated[i].to_value(lower) if lower > lb[i] + 1e-9 else float("-inf"),
                spec.estimated[i].to_value(upper) if upper < ub[i] - 1e-9 else float("inf"),
            )
    return PetabFit(
        name=name,
        parameters=tuple(names),
        units=tuple(e.unit for e in spec.estimated),
        best=values_of(best_x),
        starts=[values_of(np.asarray(r.x)) for r in ordered],
        # a least-squares run's fval is half the weighted sum of squares, not -log L
        negative_log_likelihood=(
            negative_log_likelihood(spec, values_of(best_x))
            if spec.least_squares
            else float(ordered[0].fval)
        ),
        interval_95=interval,
    )
