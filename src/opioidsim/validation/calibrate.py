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

from opioidsim.errors import ConfigError, DataError
from opioidsim.experiments._protocols import dose, event, run
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
BRAIN_RATE = "naltrexone.effect_site_rate"
BLOCKADE = "mu_receptor.drug_occupancy"
RABINER_WINDOW_H = (1.0, 8.0)  # scans "within 8 h"; blockade is averaged over 1-8 h


def _fit_petab(name: str) -> dict[str, tuple[float, float]]:
    """A calibration that is a PEtab problem, solved with pyPESTO (one start): each estimated
    parameter with the data's residual, simulated minus observed (one measurement) or the
    unweighted RMS of the residuals (several)."""
    from opioidsim.validation.petab_problems import problem, simulated_measurements, solve_petab

    fit = solve_petab(name, n_starts=1, profile=False)
    spec = problem(name)
    residuals = simulated_measurements(spec, fit.best) - np.array(
        [m.value for m in spec.measurements]
    )
    residual = float(residuals[0] if residuals.size == 1 else np.sqrt(np.mean(residuals**2)))
    return {parameter: (value, residual) for parameter, value in fit.best.items()}


def fit_naltrexone_mu_binding() -> dict[str, tuple[float, float]]:
    """Naltrexone's mu KD and brain (biophase) equilibration rate, fitted together to
    Rabiner 2011 (blockade, mean over 1-8 h after 2-50 mg) and Lee 1988 (blockade at
    48-168 h over blockade at 1 h, after 50 mg): the PEtab problem (Lee weighted by its
    SEMs, Rabiner's single subjects by their pooled within-dose SD) solved with pyPESTO.
    Returns ``{parameter: (value in canonical unit, unweighted RMS residual of the 11
    blockade fractions)}``.
    """
    return _fit_petab("naltrexone-mu-binding")


HPA_FRACTION = "hpa_axis.opioid_adaptation_fraction"


def fit_hpa_opioid_adaptation() -> dict[str, tuple[float, float]]:
    """The brake tolerance giving Facchinetti 1985's users/controls cortisol ratio: the PEtab
    problem (the exact mean of cortisol over the last day of use) solved by pyPESTO."""
    return _fit_petab("hpa-opioid-adaptation")


BUPRENORPHINE_AFFINITY = "mu_receptor.dissociation_constant[buprenorphine]"


def fit_buprenorphine_mu_affinity() -> dict[str, tuple[float, float]]:
    """Buprenorphine's unbound in vivo mu KD from Greenwald 2003's PET: the PEtab problem
    (weighted by each dose's SEM) solved with pyPESTO; the residual is the unweighted RMS."""
    return _fit_petab("buprenorphine-mu-affinity")


FENTANYL_AFFINITY = "mu_receptor.dissociation_constant[fentanyl]"


def fit_fentanyl_mu_affinity() -> dict[str, tuple[float, float]]:
    """Fentanyl's unbound in vivo mu KD: half the drive removed at fixed CO2 at the naive
    isohypercapnic C50 of Algera 2021 (effect site = plasma at steady state, receptors not
    desensitising); the PEtab problem solved with pyPESTO."""
    return _fit_petab("fentanyl-mu-affinity")


RESPIRATORY_COUPLING = "mu_effects.respiratory_coupling"
ANALGESIA_COUPLING = "mu_effects.analgesia_coupling"


def fit_morphine_respiratory_coupling() -> dict[str, tuple[float, float]]:
    """Morphine's tau in the human respiratory pathway: a quarter of the drive removed at
    fixed CO2 at Romberg 2003's C25 (28 nM plasma, effect-site equilibrium)."""
    return _fit_petab("morphine-respiratory-coupling")


def fit_morphine_analgesia_coupling() -> dict[str, tuple[float, float]]:
    """Morphine's tau in the human analgesic pathway: half effect at Dahan 2004's C50
    (32 nM plasma, effect-site equilibrium)."""
    return _fit_petab("morphine-analgesia-coupling")


LIKING_COUPLING = "subjective_effects.liking_coupling"
LIKING = "subjective_effects.drug_liking"


def fit_morphine_liking() -> dict[str, tuple[float, float]]:
    """The liking coupling giving the meta-analysis's liking at its morphine dose: the PEtab
    problem (peak liking, read at its time) solved with pyPESTO."""
    return _fit_petab("morphine-liking")


WITHDRAWAL_GAIN = "executive_control.withdrawal_gain"


def fit_impulsivity_withdrawal_gain() -> dict[str, tuple[float, float]]:
    """The k fold per unit withdrawal drive giving Kirby 1999's users/controls ratio (2):
    the mean of ln k over a day of regular heroin use (EXEC's protocol) at ln 2, the PEtab
    problem solved with pyPESTO (the residual in ln units)."""
    return _fit_petab("impulsivity-withdrawal-gain")


HEROIN_AFFINITY = "mu_receptor.dissociation_constant[heroin]"
MONOACETYLMORPHINE_AFFINITY = "mu_receptor.dissociation_constant[monoacetylmorphine]"
HEROIN_TO_MONOACETYLMORPHINE_AFFINITY = 10.0  # heroin binds 10 x weaker (assumed, mu.py)
STIMULUS = "mu_receptor.stimulus"


def fit_heroin_mu_affinity() -> dict[str, tuple[float, float]]:
    """6-MAM's in vivo KD (heroin's 10 x it) at which heroin is Kaiko 1981's ratio times as
    potent as morphine (equal peak mu stimulus from morphine M mg IV and heroin M/ratio mg
    IV): the PEtab problem solved with pyPESTO. Returns ``{parameter: (value in nM, residual
    of the ratio of peaks)}``."""
    fitted = _fit_petab("heroin-mu-affinity")
    kd, residual = fitted[MONOACETYLMORPHINE_AFFINITY]
    return {
        MONOACETYLMORPHINE_AFFINITY: (kd, residual),
        HEROIN_AFFINITY: (HEROIN_TO_MONOACETYLMORPHINE_AFFINITY * kd, residual),
    }


CONNECTION_SHARE = "social_connection.opioid_connection_share"
CONNECTION = "social_connection.connection"
LAB_TASK_START_H, LAB_TASK_HOURS = 1.0, 0.5  # messages read ~1 h after the pill (NCT02818036)


def close_other_connection(naltrexone_mg: float, share: float | None = None) -> float:
    """Felt connection at the end of a 30-min close contact 1 h after oral naltrexone."""
    doses = [dose("naltrexone", f"{naltrexone_mg!r} mg", "oral", 0.0)] if naltrexone_mg else []
    result = run(
        doses,
        LAB_TASK_START_H + LAB_TASK_HOURS,
        step_min=1,
        parameters=None if share is None else {CONNECTION_SHARE: share},
        events=[event("social_contact", LAB_TASK_START_H, LAB_TASK_HOURS)],
    )
    return float(result[CONNECTION][-1])


def inagaki_2019_connection_effect() -> float:
    """The fractional drop of close-other connection the calibration data set reports."""
    data = _require_calibration_role("inagaki_2019_naltrexone_connection")
    rows = {r["quantity"]: r for r in data.rows()}
    t = float(np.sqrt(float(rows["drug_effect_F"]["value"])))
    per_group = float(rows["drug_effect_F"]["n"]) / 2
    close = rows["connection_close_others"]
    points = t * np.sqrt(2 / per_group) * float(close["sd"])
    return float(points / (float(close["value"]) - 1.0))


def fit_connection_opioid_share() -> dict[str, tuple[float, float]]:
    """The opioid share of felt connection that gives Inagaki 2019's naltrexone effect (felt
    connection to close others 1 h after 50 mg, as a fraction of placebo's): the PEtab
    problem solved with pyPESTO."""
    return _fit_petab("connection-opioid-share")


CALIBRATIONS = {
    "buprenorphine-mu-affinity": Calibration(
        "buprenorphine-mu-affinity",
        ("greenwald_2003_buprenorphine_pet",),
        {BUPRENORPHINE_AFFINITY: "nM"},
        fit_buprenorphine_mu_affinity,
    ),
    "connection-opioid-share": Calibration(
        "connection-opioid-share",
        ("inagaki_2019_naltrexone_connection",),
        {CONNECTION_SHARE: "1"},
        fit_connection_opioid_share,
    ),
    "fentanyl-mu-affinity": Calibration(
        "fentanyl-mu-affinity",
        ("algera_2021_fentanyl_respiratory_tolerance",),
        {FENTANYL_AFFINITY: "nM"},
        fit_fentanyl_mu_affinity,
    ),
    "heroin-mu-affinity": Calibration(
        "heroin-mu-affinity",
        ("kaiko_1981_heroin_morphine_potency",),
        {MONOACETYLMORPHINE_AFFINITY: "nM", HEROIN_AFFINITY: "nM"},
        fit_heroin_mu_affinity,
    ),
    "hpa-opioid-adaptation": Calibration(
        "hpa-opioid-adaptation",
        ("facchinetti_1985_cortisol_heroin_users",),
        {HPA_FRACTION: "1"},
        fit_hpa_opioid_adaptation,
    ),
    "impulsivity-withdrawal-gain": Calibration(
        "impulsivity-withdrawal-gain",
        ("kirby_1999_heroin_discounting",),
        {WITHDRAWAL_GAIN: "1"},
        fit_impulsivity_withdrawal_gain,
    ),
    "morphine-analgesia-coupling": Calibration(
        "morphine-analgesia-coupling",
        ("dahan_2004_morphine_analgesia_potency",),
        {ANALGESIA_COUPLING: "1"},
        fit_morphine_analgesia_coupling,
    ),
    "morphine-liking": Calibration(
        "morphine-liking",
        ("morphine_liking_meta_1994",),
        {LIKING_COUPLING: "1"},
        fit_morphine_liking,
    ),
    "morphine-respiratory-coupling": Calibration(
        "morphine-respiratory-coupling",
        ("romberg_2003_morphine_ventilation",),
        {RESPIRATORY_COUPLING: "1"},
        fit_morphine_respiratory_coupling,
    ),
    "naltrexone-mu-binding": Calibration(
        "naltrexone-mu-binding",
        ("rabiner_2011_naltrexone_pet", "lee_1988_naltrexone_blockade_duration"),
        {AFFINITY: "nM", BRAIN_RATE: "1/h"},
        fit_naltrexone_mu_binding,
    ),
}


def run_calibration(name: str) -> tuple[Calibration, dict[str, tuple[float, float]]]:
    """Run a named calibration; return it and ``{parameter: (value, residual)}``."""
    if name not in CALIBRATIONS:
        raise ConfigError(f"calibration: got {name!r}; known: {', '.join(CALIBRATIONS)}.")
    calibration = CALIBRATIONS[name]
    return calibration, calibration.fit()
