"""Calibrations of the layers beyond the mu receptor, as PEtab problems.

The same form as ``petab_problems`` (which registers these with the others): cocaine's
transporter share of dopamine clearance (Keller 1992, rat), the two gains by which
precipitated withdrawal excites oxytocin neurones (rat plasma and intranuclear oxytocin),
and the induction of striatal prodynorphin by dopamine (the rat binge studies). Peaks are
read at their time in the model at the stored values (``petab_spec.peak_times_h``); a rise
over a pre-drug level is a ratio to the value just before the drug (the relative_to_h
helper).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from opioidsim.experiments._protocols import dose, infusion
from opioidsim.validation.calibrate import _require_calibration_role
from opioidsim.validation.petab_spec import (
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

RAT_300_G = {"species": "rat", "sex": "male", "body_weight": "0.3 kg"}

# -- cocaine: the transporter's share of dopamine clearance (Keller 1992) ---------------------
KELLER = "keller_1992_rat_cocaine_dopamine"
TRANSPORTER_SHARE = "reward.transporter_uptake_share"
DOPAMINE = "reward.dopamine_percent_baseline"
KELLER_HOURS = 3.0
#: No spread in the data set: the fit rule's band (5-7-fold) read as +- 1 SD (assumed).
KELLER_SIGMA_PERCENT = 100.0


def _keller_scenario(dose_scale: float = 1.0) -> dict[str, Any]:
    mg_kg = 20.0 * dose_scale
    return one_dose_scenario(
        f"rat, cocaine {mg_kg:g} mg/kg i.p.",
        RAT_300_G,
        KELLER_HOURS,
        "0.5 min",
        dose("cocaine", f"{mg_kg!r} mg/kg", "ip", 0.0),
    )


def _keller_problem() -> PetabCalibration:
    rows = {r["quantity"]: r for r in _require_calibration_role(KELLER).rows()}
    return single_peak_problem(
        "cocaine-transporter-share",
        KELLER,
        _keller_scenario,
        Condition("cocaine_20_ip", "rat, cocaine 20 mg/kg i.p."),
        Peak(
            "peak_striatal_dopamine",
            DOPAMINE,
            "striatal dialysate dopamine at its peak (% of baseline)",
            100.0 * float(rows["peak dopamine (x baseline)"]["value"]),
            KELLER_SIGMA_PERCENT,
            f"no spread reported: the 5-7-fold band of the fit rule as +- 1 SD "
            f"({KELLER_SIGMA_PERCENT:g} % of baseline; assumed)",
            KELLER_HOURS,
        ),
        Estimated(TRANSPORTER_SHARE, "1", 1.0e-2, 0.99),
    )


# -- cocaine's affinity for the dopamine transporter (Volkow 1999's ED50) ---------------------
VOLKOW_ED50 = "volkow_1999_cocaine_dat_ed50"
DAT_AFFINITY = "dopamine_transporter.cocaine_dissociation_constant"
DAT_OCCUPANCY = "dopamine_transporter.occupancy"
PET_HOURS = 1.0
#: No spread reported for the ED50: 0.05 of occupancy (assumed).
OCCUPANCY_SIGMA = 0.05


def _ed50_scenario(dose_scale: float = 1.0) -> dict[str, Any]:
    (row,) = _require_calibration_role(VOLKOW_ED50).rows()
    mg_kg = float(row["dose_mg_per_kg"]) * dose_scale
    return one_dose_scenario(
        f"cocaine HCl {mg_kg:g} mg/kg IV",
        {"species": "human", "sex": "male", "body_weight": "70 kg"},
        PET_HOURS,
        "0.1 min",
        dose("cocaine", f"{mg_kg!r} mg/kg", "iv", 0.0),
    )


def _dat_problem() -> PetabCalibration:
    # occupancy is an instantaneous function of brain cocaine: its peak time does not move
    # with the affinity
    (row,) = _require_calibration_role(VOLKOW_ED50).rows()
    return single_peak_problem(
        "cocaine-dat-affinity",
        VOLKOW_ED50,
        _ed50_scenario,
        Condition("ed50", f"cocaine HCl {row['dose_mg_per_kg']} mg/kg IV"),
        Peak(
            "peak_dat_occupancy",
            DAT_OCCUPANCY,
            "striatal dopamine-transporter occupancy at its peak (fraction)",
            float(row["occupancy"]),
            OCCUPANCY_SIGMA,
            f"no spread reported: {OCCUPANCY_SIGMA:g} (assumed)",
            PET_HOURS,
        ),
        Estimated(DAT_AFFINITY, "nM", 0.1, 1.0e4),
    )


# -- oxytocin neurones in precipitated withdrawal (rat) ---------------------------------------
OXT_WITHDRAWAL = "oxt_precipitated_withdrawal_plasma_rat"
OXT = "oxytocin_system."
PLASMA_OXYTOCIN = OXT + "plasma_concentration"
CENTRAL_OXYTOCIN = OXT + "central_level"
EXCITATION_GAIN = OXT + "withdrawal_excitation_gain"
CENTRAL_GAIN = OXT + "central_withdrawal_gain"
#: The OXT-ADDICT protocol: morphine 0.5 mg/h IV for 5 days, naloxone 5 mg/kg IV at the end.
DEPENDENCE_H = 5.0 * 24.0
AFTER_NALOXONE_H = 1.0
#: The pre-naloxone reference, just before the injection.
PRE_H = DEPENDENCE_H - 1.0e-3


def _precipitated_withdrawal_scenario(dose_scale: float = 1.0) -> dict[str, Any]:
    end = DEPENDENCE_H + AFTER_NALOXONE_H
    return {
        "name": "rat, morphine 0.5 mg/h IV for 5 days, then naloxone 5 mg/kg IV",
        "subject": RAT_300_G,
        "duration": f"{end!r} h",
        "output_interval": "2 min",
        "doses": [
            infusion("morphine", "0.5 mg/h", "iv", 0.0, end),
            dose("naloxone", f"{5.0 * dose_scale!r} mg/kg", "iv", DEPENDENCE_H),
        ],
    }


def _oxytocin_problem() -> PetabCalibration:
    rows = {r["quantity"]: r for r in _require_calibration_role(OXT_WITHDRAWAL).rows()}
    plasma = rows["plasma oxytocin peak over pre-naloxone (fold)"]
    central = rows["central oxytocin release rise (%)"]
    plasma_fold = float(plasma["value"])
    # "62 x/÷ 1.25" read as +- 2 SD on the log scale, returned to the fold's scale
    plasma_sigma = plasma_fold * float(np.log(float(plasma["upper"]) / plasma_fold)) / 2.0
    central_sigma = (float(central["upper"]) - float(central["value"])) / 2.0 / 100.0
    scenario = _precipitated_withdrawal_scenario()
    end = DEPENDENCE_H + AFTER_NALOXONE_H
    plasma_peak_h, central_peak_h = peak_times_h(
        scenario, [(PLASMA_OXYTOCIN, DEPENDENCE_H, end), (CENTRAL_OXYTOCIN, DEPENDENCE_H, end)]
    )
    condition = "precipitated"
    return PetabCalibration(
        name="oxytocin-withdrawal-gains",
        datasets=(OXT_WITHDRAWAL,),
        scenario=_precipitated_withdrawal_scenario,
        conditions=(Condition(condition, "rat, morphine 0.5 mg/h IV 5 d, naloxone 5 mg/kg IV"),),
        observables=(
            Observable(
                "plasma_oxytocin_fold",
                PLASMA_OXYTOCIN,
                "plasma oxytocin at its highest within 1 h of naloxone, over its level before",
                sigma_reason=f"the data set's band 62 x/÷ 1.25 as +- 2 SD of the log fold "
                f"({plasma_sigma:.3g})",
                sigma=plasma_sigma,
                relative_to_h=PRE_H,
            ),
            Observable(
                "central_oxytocin_fold",
                CENTRAL_OXYTOCIN,
                "brain oxytocin at its highest within 1 h of naloxone, over its level before",
                sigma_reason=f"the reported SE of the rise ({central_sigma:.3g})",
                sigma=central_sigma,
                relative_to_h=PRE_H,
            ),
        ),
        measurements=(
            Measurement("plasma_oxytocin_fold", condition, plasma_peak_h, plasma_fold),
            Measurement(
                "central_oxytocin_fold",
                condition,
                central_peak_h,
                1.0 + float(central["value"]) / 100.0,
            ),
        ),
        estimated=(
            Estimated(EXCITATION_GAIN, "1", 1.0e-2, 1.0e3),
            Estimated(CENTRAL_GAIN, "1", 1.0e-3, 1.0e2),
        ),
    )


# -- striatal prodynorphin induction (rat cocaine binge) --------------------------------------
DYNORPHIN = "rat_cocaine_striatal_dynorphin"
MRNA_INDUCTION = "striatal_peptides.mrna_induction"
DYNORPHIN_CONTENT = "striatal_peptides.dynorphin_content"
BINGE_DAYS = 14
BINGE_LAST_H = (BINGE_DAYS - 1) * 24.0 + 2.0
BINGE_READ_H = BINGE_LAST_H + 24.0


def _binge_scenario(dose_scale: float = 1.0) -> dict[str, Any]:
    mg_kg = 15.0 * dose_scale
    return {
        "name": f"rat, cocaine {mg_kg:g} mg/kg i.p. x 3 hourly a day for {BINGE_DAYS} days",
        "subject": RAT_300_G,
        "duration": f"{BINGE_READ_H!r} h",
        "output_interval": "30 min",
        "doses": [
            dose("cocaine", f"{mg_kg!r} mg/kg", "ip", 24.0 * day + hour)
            for day in range(BINGE_DAYS)
            for hour in (0.0, 1.0, 2.0)
        ],
    }


def _binge_problem() -> PetabCalibration:
    (row,) = [
        r
        for r in _require_calibration_role(DYNORPHIN).rows()
        if r["condition"].startswith("binge")
    ]
    low, high = float(row["lower"]), float(row["upper"])
    rise = (low + high) / 2.0
    sigma = (high - low) / 4.0
    return PetabCalibration(
        name="dynorphin-induction",
        datasets=(DYNORPHIN,),
        scenario=_binge_scenario,
        conditions=(Condition("binge", "rat, 14-day cocaine binge (15 mg/kg x 3 hourly)"),),
        observables=(
            Observable(
                "dynorphin_content_after_binge",
                DYNORPHIN_CONTENT,
                "striatal dynorphin content 1 d after the last binge day (x resting)",
                sigma_reason=f"the summary's range {100 * low:g}-{100 * high:g} % read as the "
                f"midpoint +- 2 SD ({sigma:.3g}; assumed)",
                sigma=sigma,
            ),
        ),
        measurements=(
            Measurement("dynorphin_content_after_binge", "binge", BINGE_READ_H, 1.0 + rise),
        ),
        estimated=(Estimated(MRNA_INDUCTION, "1", 1.0e-2, 1.0e3),),
    )


# -- the human circadian CRH drive (Debono 2009's 24-h cortisol) ------------------------------
DEBONO = "debono_2009_cortisol_24h_profile"
CORTISOL_STATE = "hpa_axis.glucocorticoid"
CIRCADIAN = (
    "hpa_axis.circadian_mean_drive",
    "hpa_axis.circadian_cosine_1",
    "hpa_axis.circadian_sine_1",
    "hpa_axis.circadian_cosine_2",
    "hpa_axis.circadian_sine_2",
)
#: A run starts at 08:00 (hpa_axis.clock_cosine_at_start); day 3 is read, after two days for
#: the states set at the stored values to follow the estimated drive.
START_CLOCK_H = 8.0
READ_FROM_H = 48.0
#: No spread in the data set: 10 % of each cortisol value, and a slope of 10 % of the peak per
#: hour, i.e. a peak or nadir placed to within about an hour (assumed).
RELATIVE_SIGMA = 0.1
#: Fitted with signs free: the sine and cosine coefficients are negative or positive, so each
#: is estimated as itself on a linear scale (``Estimated.linear``).
COEFFICIENT_BOUND = 5.0
#: Starts within 0.01 of each stored coefficient (2 % of the mean drive).
START_BOX = 0.01


def _clock_to_run_h(clock_h: float) -> float:
    """The run time on day 3 of a clock time, rounded to the 1-min grid."""
    t = READ_FROM_H + (clock_h - START_CLOCK_H) % 24.0
    return round(t * 60.0) / 60.0


def _circadian_scenario(dose_scale: float = 1.0) -> dict[str, Any]:
    return {
        "name": "a drug-free man, 3 days from 08:00",
        "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
        "duration": f"{READ_FROM_H + 24.0!r} h",
        "output_interval": "1 min",
        "doses": [],
    }


def _circadian_problem() -> PetabCalibration:
    rows = {r["quantity"]: float(r["value"]) for r in _require_calibration_role(DEBONO).rows()}
    peak, nadir = rows["peak_cortisol"], rows["nadir_cortisol"]
    afternoon = rows["late_afternoon_cortisol"]
    peak_h = _clock_to_run_h(rows["peak_clock_time"])
    nadir_h = _clock_to_run_h(rows["nadir_clock_time"])
    afternoon_h = _clock_to_run_h(16.5)
    slope_sigma = RELATIVE_SIGMA * peak
    condition = "drug_free"
    value_reason = f"no spread in the data set: {RELATIVE_SIGMA:g} of each value (assumed)"
    return PetabCalibration(
        name="circadian-crh-drive",
        datasets=(DEBONO,),
        scenario=_circadian_scenario,
        conditions=(Condition(condition, "drug-free, no stress events; day 3 read"),),
        observables=(
            Observable(
                "cortisol", CORTISOL_STATE, "plasma cortisol (nmol/L)", sigma_reason=value_reason
            ),
            Observable(
                "cortisol_slope",
                CORTISOL_STATE,
                "rate of change of plasma cortisol (nmol/L per h): 0 at the peak and nadir",
                sigma_reason=f"{RELATIVE_SIGMA:g} of the peak per hour (assumed)",
                sigma=slope_sigma,
                slope=True,
            ),
        ),
        measurements=(
            Measurement("cortisol", condition, peak_h, peak, RELATIVE_SIGMA * peak),
            Measurement("cortisol", condition, nadir_h, nadir, RELATIVE_SIGMA * nadir),
            Measurement("cortisol", condition, afternoon_h, afternoon, RELATIVE_SIGMA * afternoon),
            Measurement("cortisol_slope", condition, peak_h, 0.0),
            Measurement("cortisol_slope", condition, nadir_h, 0.0),
        ),
        estimated=tuple(
            Estimated(name, "1", -COEFFICIENT_BOUND, COEFFICIENT_BOUND, linear=True)
            for name in CIRCADIAN
        ),
        # most of the bounds' box gives a negative or absurd drive: starts near the stored
        start_box=START_BOX,
        least_squares=True,
    )


LAYER_PROBLEMS = {
    "circadian-crh-drive": _circadian_problem,
    "cocaine-dat-affinity": _dat_problem,
    "cocaine-transporter-share": _keller_problem,
    "dynorphin-induction": _binge_problem,
    "oxytocin-withdrawal-gains": _oxytocin_problem,
}
