"""Calibrations: each fits named parameters to ONE data set whose role is calibration.

The fitted values are written into the model modules by hand as ``calibrated(value, unit,
against=<data set>)``; ``opioidsim calibrate NAME`` re-runs a fit so anyone can check that
the stored value is the optimum (a slow test does the same). Calibration data never count as
validation: experiments show them as fit quality only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

from opioidsim.errors import ConfigError, DataError
from opioidsim.experiments._protocols import (
    blockade_half_time_of,
    buprenorphine_pet_occupancy,
    dose,
    fentanyl_rate_holding,
    infusion,
    mean_over,
    run,
)
from opioidsim.io.datasets import load_dataset


@dataclass(frozen=True)
class Calibration:
    name: str
    datasets: tuple[str, ...]
    units: dict[str, str]  # parameter -> canonical unit
    fit: Callable[[], dict[str, tuple[float, float]]]  # parameter -> (value, residual)


def _require_calibration_role(name: str):
    data = load_dataset(name)
    if data.role != "calibration":
        raise DataError(f"{name}: role is {data.role!r}; only calibration data may be fitted.")
    return data


AFFINITY = "mu_receptor.dissociation_constant[naltrexone]"
DISSOCIATION = "mu_receptor.dissociation_rate[naltrexone]"
BLOCKADE = "mu_receptor.drug_occupancy"
ALTERNATIONS = 4  # rounds of one-parameter fits; the pair changes < 0.1 % after 3


def _rabiner_residuals(kd: float, koff: float) -> np.ndarray:
    frame = _require_calibration_role("rabiner_2011_naltrexone_pet").frame()
    simulated = {}
    for mg in sorted(frame["dose_mg"].unique()):
        result = run(
            [dose("naltrexone", f"{mg} mg", "oral", 0.0)],
            10.0,
            step_min=10,
            parameters={AFFINITY: kd, DISSOCIATION: koff},
        )
        simulated[mg] = mean_over(result, BLOCKADE, 1.0, 8.0)
    return np.array(
        [
            simulated[m] - b
            for m, b in zip(frame["dose_mg"], frame["blockade_fraction"], strict=True)
        ]
    )


def blockade_half_time(kd: float | None = None, koff: float | None = None) -> float:
    """Half-time (h) of the decline of mu blockade over 48-168 h after naltrexone 50 mg.

    As Lee 1988 computed it: a log-linear fit of blockade at 48, 72, 120 and 168 h.
    """
    parameters = {}
    if kd is not None:
        parameters[AFFINITY] = kd
    if koff is not None:
        parameters[DISSOCIATION] = koff
    result = run(
        [dose("naltrexone", "50 mg", "oral", 0.0)],
        170.0,
        step_min=60,
        parameters=parameters or None,
    )
    return blockade_half_time_of(result.time, result[BLOCKADE])


def _lee_target() -> float:
    row = _require_calibration_role("lee_1988_naltrexone_blockade_duration").rows()[0]
    return 0.5 * (float(row["blockade_half_time_low_h"]) + float(row["blockade_half_time_high_h"]))


def fit_naltrexone_mu_binding() -> dict[str, tuple[float, float]]:
    """Naltrexone's mu KD (Rabiner 2011) and koff (Lee 1988), fitted in alternation.

    Returns ``{parameter: (value in canonical unit, residual)}``: the RMS blockade residual
    for the KD, the half-time error (h) for koff.
    """
    target = _lee_target()
    kd, koff = 0.9, 0.01
    for _ in range(ALTERNATIONS):
        fit_kd = minimize_scalar(
            lambda x, koff=koff: float(np.sum(_rabiner_residuals(10.0**x, koff) ** 2)),
            bounds=(-3.0, 1.5),
            method="bounded",
            options={"xatol": 1e-3},
        )
        kd = 10.0**fit_kd.x
        fit_koff = minimize_scalar(
            lambda x, kd=kd: (np.log(blockade_half_time(kd, 10.0**x)) - np.log(target)) ** 2,
            bounds=(-4.0, 1.0),
            method="bounded",
            options={"xatol": 1e-3},
        )
        koff = 10.0**fit_koff.x
    rms = float(np.sqrt(np.mean(_rabiner_residuals(kd, koff) ** 2)))
    return {AFFINITY: (kd, rms), DISSOCIATION: (koff, blockade_half_time(kd, koff) - target)}


HPA_FRACTION = "hpa_axis.opioid_adaptation_fraction"


def hpa_users_cortisol(fraction: float) -> float:
    """Mean cortisol (x basal) over the last day of the heroin regimen."""
    from opioidsim.experiments._withdrawal import REGIMENS

    regimen = REGIMENS["heroin"]
    result = run(regimen.doses(), regimen.last_dose_h + 1.0, step_min=30,
                 parameters={HPA_FRACTION: fraction})  # fmt: skip
    last = regimen.last_dose_h
    return mean_over(result, "hpa_axis.glucocorticoid_fold_basal", last - 24.0, last)


def fit_hpa_opioid_adaptation() -> dict[str, tuple[float, float]]:
    """The brake tolerance giving Facchinetti 1985's users/controls cortisol ratio."""
    data = _require_calibration_role("facchinetti_1985_cortisol_heroin_users")
    target = float(data.rows()[0]["cortisol_fold"])
    fit = minimize_scalar(
        lambda f: (hpa_users_cortisol(f) - target) ** 2,
        bounds=(0.0, 1.0),
        method="bounded",
        options={"xatol": 1e-4},
    )
    return {HPA_FRACTION: (float(fit.x), hpa_users_cortisol(float(fit.x)) - target)}


BUPRENORPHINE_AFFINITY = "mu_receptor.dissociation_constant[buprenorphine]"


def _greenwald_residuals(kd: float) -> np.ndarray:
    rows = _require_calibration_role("greenwald_2003_buprenorphine_pet").rows()
    return np.array(
        [
            buprenorphine_pet_occupancy(float(row["dose_mg"]), {BUPRENORPHINE_AFFINITY: kd})
            - float(row["availability_decrease"])
            for row in rows
        ]
    )


def fit_buprenorphine_mu_affinity() -> dict[str, tuple[float, float]]:
    """Buprenorphine's unbound in vivo mu KD from Greenwald 2003's PET (least squares)."""
    fit = minimize_scalar(
        lambda x: float(np.sum(_greenwald_residuals(10.0**x) ** 2)),
        bounds=(-3.0, 1.0),
        method="bounded",
        options={"xatol": 1e-3},
    )
    kd = float(10.0**fit.x)
    return {BUPRENORPHINE_AFFINITY: (kd, float(np.sqrt(np.mean(_greenwald_residuals(kd) ** 2))))}


FENTANYL_AFFINITY = "mu_receptor.dissociation_constant[fentanyl]"
RESPIRATORY = "mu_effects.respiratory_depression"


def fentanyl_steady_drive_removed(target_ng_ml: float, kd_nm: float) -> float:
    """Respiratory drive removed at fixed CO2 after 24 h of plasma fentanyl held at target."""
    result = run(
        [infusion("fentanyl", fentanyl_rate_holding(target_ng_ml), "iv", 0.0, 24.0)],
        24.0,
        step_min=60,
        parameters={FENTANYL_AFFINITY: kd_nm},
    )
    return float(result[RESPIRATORY][-1])


def fit_fentanyl_mu_affinity() -> dict[str, tuple[float, float]]:
    """Fentanyl's unbound in vivo mu KD: half the drive removed at Cartwright 1983's C50."""
    row = _require_calibration_role("cartwright_1983_fentanyl_co2_response").rows()[0]
    c50 = float(np.sqrt(float(row["c50_low_ng_per_ml"]) * float(row["c50_high_ng_per_ml"])))

    def residual(log_kd: float) -> float:
        return fentanyl_steady_drive_removed(c50, 10.0**log_kd) - 0.5

    fit = minimize_scalar(
        lambda x: residual(x) ** 2, bounds=(1.0, 4.0), method="bounded",
        options={"xatol": 1e-4},
    )  # fmt: skip
    return {FENTANYL_AFFINITY: (float(10.0**fit.x), residual(float(fit.x)))}


LIKING_COUPLING = "subjective_effects.liking_coupling"
LIKING = "subjective_effects.drug_liking"


def morphine_peak_liking(mg: float, route: str, coupling: float) -> float:
    """Peak drug liking within 4 h of one morphine dose at time 0."""
    result = run(
        [dose("morphine", f"{mg!r} mg", route, 0.0)],
        4.0,
        step_min=1,
        parameters={LIKING_COUPLING: coupling},
    )
    return float(np.max(result[LIKING]))


def fit_morphine_liking() -> dict[str, tuple[float, float]]:
    """The liking coupling giving the meta-analysis's liking at its morphine dose."""
    row = _require_calibration_role("morphine_liking_meta_1994").rows()[0]
    mg, route = float(row["morphine_mg"]), str(row["route"])
    target = float(row["liking_fraction_of_maximum"])

    def residual(log_coupling: float) -> float:
        return morphine_peak_liking(mg, route, 10.0**log_coupling) - target

    fit = minimize_scalar(
        lambda x: residual(x) ** 2, bounds=(-1.0, 4.0), method="bounded",
        options={"xatol": 1e-4},
    )  # fmt: skip
    return {LIKING_COUPLING: (float(10.0**fit.x), residual(float(fit.x)))}


CALIBRATIONS = {
    "buprenorphine-mu-affinity": Calibration(
        "buprenorphine-mu-affinity",
        ("greenwald_2003_buprenorphine_pet",),
        {BUPRENORPHINE_AFFINITY: "nM"},
        fit_buprenorphine_mu_affinity,
    ),
    "fentanyl-mu-affinity": Calibration(
        "fentanyl-mu-affinity",
        ("cartwright_1983_fentanyl_co2_response",),
        {FENTANYL_AFFINITY: "nM"},
        fit_fentanyl_mu_affinity,
    ),
    "hpa-opioid-adaptation": Calibration(
        "hpa-opioid-adaptation",
        ("facchinetti_1985_cortisol_heroin_users",),
        {HPA_FRACTION: "1"},
        fit_hpa_opioid_adaptation,
    ),
    "morphine-liking": Calibration(
        "morphine-liking",
        ("morphine_liking_meta_1994",),
        {LIKING_COUPLING: "1"},
        fit_morphine_liking,
    ),
    "naltrexone-mu-binding": Calibration(
        "naltrexone-mu-binding",
        ("rabiner_2011_naltrexone_pet", "lee_1988_naltrexone_blockade_duration"),
        {AFFINITY: "nM", DISSOCIATION: "1/h"},
        fit_naltrexone_mu_binding,
    ),
}


def run_calibration(name: str) -> tuple[Calibration, dict[str, tuple[float, float]]]:
    """Run a named calibration; return it and ``{parameter: (value, residual)}``."""
    if name not in CALIBRATIONS:
        raise ConfigError(f"calibration: got {name!r}; known: {', '.join(CALIBRATIONS)}.")
    calibration = CALIBRATIONS[name]
    return calibration, calibration.fit()
