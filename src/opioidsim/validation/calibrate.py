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
from opioidsim.experiments._protocols import dose, mean_over, run
from opioidsim.io.datasets import load_dataset


@dataclass(frozen=True)
class Calibration:
    name: str
    dataset: str
    parameter: str
    unit: str
    fit: Callable[[], tuple[float, float]]  # -> (value in canonical unit, residual RMS)


def _require_calibration_role(name: str):
    data = load_dataset(name)
    if data.role != "calibration":
        raise DataError(f"{name}: role is {data.role!r}; only calibration data may be fitted.")
    return data


def fit_naltrexone_mu_affinity() -> tuple[float, float]:
    """Naltrexone's mu dissociation constant from Rabiner 2011 dose vs blockade (1-8 h)."""
    data = _require_calibration_role("rabiner_2011_naltrexone_pet")
    frame = data.frame()
    doses = sorted(frame["dose_mg"].unique())
    parameter = "mu_receptor.dissociation_constant[naltrexone]"

    def residuals(log10_kd: float) -> np.ndarray:
        kd = 10.0**log10_kd
        simulated = {}
        for mg in doses:
            result = run([dose("naltrexone", f"{mg} mg", "oral", 0.0)], 10.0, step_min=10,
                         parameters={parameter: kd})
            simulated[mg] = mean_over(result, "mu_receptor.drug_occupancy", 1.0, 8.0)
        return np.array([simulated[m] - b for m, b in zip(frame["dose_mg"],
                                                          frame["blockade_fraction"],
                                                          strict=True)])

    best = minimize_scalar(lambda x: float(np.sum(residuals(x) ** 2)), bounds=(-3.0, 1.0),
                           method="bounded", options={"xatol": 1e-3})
    rms = float(np.sqrt(np.mean(residuals(best.x) ** 2)))
    return 10.0**best.x, rms


CALIBRATIONS = {
    "naltrexone-mu-affinity": Calibration(
        "naltrexone-mu-affinity", "rabiner_2011_naltrexone_pet",
        "mu_receptor.dissociation_constant[naltrexone]", "nM", fit_naltrexone_mu_affinity),
}


def run_calibration(name: str) -> tuple[Calibration, float, float]:
    if name not in CALIBRATIONS:
        raise ConfigError(f"calibration: got {name!r}; known: {', '.join(CALIBRATIONS)}.")
    calibration = CALIBRATIONS[name]
    value, rms = calibration.fit()
    return calibration, value, rms
