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
scaled per condition by the SBML parameter ``dose_scale`` (the buprenorphine PET doses). The
calibrations whose data are means over a window, peaks or ratios of two times (naltrexone's
PET and blockade, the HPA fraction, morphine liking, heroin potency) are not PEtab problems
yet: PEtab v1 measurements are values at time points.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from opioidsim.errors import ConfigError, SolverError
from opioidsim.experiments._protocols import dose, fentanyl_rate_holding, infusion
from opioidsim.validation.calibrate import _require_calibration_role

HUMAN_70_KG = {"species": "human", "sex": "male", "body_weight": "70 kg"}


@dataclass(frozen=True)
class Observable:
    """A PEtab observable: a model output with normal noise, of one sigma for all its
    measurements or (``sigma`` None) each measurement's own."""

    id: str
    output: str  # the model output it reads, e.g. "mu_effects.respiratory_depression"
    name: str
    sigma_reason: str
    sigma: float | None = None


@dataclass(frozen=True)
class Measurement:
    observable: str
    condition: str
    time_h: float
    value: float
    sigma: float | None = None  # when the observable has none


@dataclass(frozen=True)
class Condition:
    """A PEtab condition: the shared dosing schedule times ``dose_scale``."""

    id: str
    name: str
    dose_scale: float = 1.0


@dataclass(frozen=True)
class Estimated:
    """A parameter to estimate: model name, log10 scale, bounds in its canonical unit."""

    parameter: str
    unit: str
    lower: float
    upper: float


@dataclass(frozen=True)
class PetabCalibration:
    name: str
    datasets: tuple[str, ...]
    scenario: Callable[[float], dict[str, Any]]  # the shared schedule at a dose scale
    conditions: tuple[Condition, ...]
    observables: tuple[Observable, ...]
    measurements: tuple[Measurement, ...]
    estimated: tuple[Estimated, ...]


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
                f"opioid-naive adult, plasma fentanyl held at {c50:g} ng/mL for {HOLD_H:g} h",
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


PROBLEMS: dict[str, Callable[[], PetabCalibration]] = {
    "buprenorphine-mu-affinity": _buprenorphine_problem,
    "fentanyl-mu-affinity": _fentanyl_problem,
}


def problem(name: str) -> PetabCalibration:
    if name not in PROBLEMS:
        raise ConfigError(
            f"calibration: {name!r} is not a PEtab problem yet; PEtab problems: "
            f"{', '.join(PROBLEMS)}."
        )
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

    conditions = pd.DataFrame(
        {
            petab.CONDITION_ID: [c.id for c in spec.conditions],
            petab.CONDITION_NAME: [c.name for c in spec.conditions],
        }
    )
    if scaled:
        conditions["dose_scale"] = [c.dose_scale for c in spec.conditions]
    observables = pd.DataFrame(
        {
            petab.OBSERVABLE_ID: [o.id for o in spec.observables],
            petab.OBSERVABLE_NAME: [o.name for o in spec.observables],
            petab.OBSERVABLE_FORMULA: [symbol_name(o.output) for o in spec.observables],
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
    index = {n: i for i, n in enumerate(model.parameter_names)}
    parameters = pd.DataFrame(
        {
            petab.PARAMETER_ID: [
                str(model.parameter_symbols[index[e.parameter]]) for e in spec.estimated
            ],
            petab.PARAMETER_NAME: [e.parameter for e in spec.estimated],
            petab.PARAMETER_SCALE: [petab.LOG10] * len(spec.estimated),
            petab.LOWER_BOUND: [e.lower for e in spec.estimated],
            petab.UPPER_BOUND: [e.upper for e in spec.estimated],
            petab.NOMINAL_VALUE: [float(p[index[e.parameter]]) for e in spec.estimated],
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


def negative_log_likelihood(spec: PetabCalibration, values: Mapping[str, float]) -> float:
    """-log L of the problem's measurements at these parameter values (canonical units),
    each condition simulated with opioidsim's engine; normal noise with the sigmas of the
    observable or measurement tables."""
    from opioidsim.simulation import simulate

    by_id = {o.id: o for o in spec.observables}
    total = 0.0
    for condition in spec.conditions:
        result = simulate(spec.scenario(condition.dose_scale), parameters=dict(values))
        for m in spec.measurements:
            if m.condition != condition.id:
                continue
            observable = by_id[m.observable]
            sigma = observable.sigma if observable.sigma is not None else m.sigma
            if sigma is None:
                raise ConfigError(f"{spec.name}: measurement {m} has no sigma.")
            simulated = float(np.interp(m.time_h, result.time, result[observable.output]))
            total += (
                0.5 * np.log(2 * np.pi * sigma**2) + 0.5 * ((simulated - m.value) / sigma) ** 2
            )
    return total


def solve_petab(name: str, n_starts: int = 5, seed: int = 0, profile: bool = True) -> PetabFit:
    """Multi-start fit of calibration ``name`` with pyPESTO (Powell, log10 scale)."""
    import pypesto
    import pypesto.optimize
    import pypesto.profile

    spec = problem(name)
    names = [e.parameter for e in spec.estimated]

    def objective(x: np.ndarray) -> float:
        return negative_log_likelihood(spec, dict(zip(names, 10.0 ** np.asarray(x), strict=True)))

    lb = np.log10([e.lower for e in spec.estimated])
    ub = np.log10([e.upper for e in spec.estimated])
    rng = np.random.default_rng(seed)

    def uniform_starts(n_starts: int, lb: np.ndarray, ub: np.ndarray, **_: Any) -> np.ndarray:
        return rng.uniform(lb, ub, size=(n_starts, len(lb)))

    pypesto_problem = pypesto.Problem(
        objective=pypesto.Objective(fun=objective),
        lb=lb,
        ub=ub,
        x_names=names,
        x_scales=["log10"] * len(names),
        startpoint_method=uniform_starts,
    )
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
                float(10.0**lower) if lower > lb[i] + 1e-9 else float("-inf"),
                float(10.0**upper) if upper < ub[i] - 1e-9 else float("inf"),
            )
    return PetabFit(
        name=name,
        parameters=tuple(names),
        units=tuple(e.unit for e in spec.estimated),
        best=dict(zip(names, (10.0**best_x).tolist(), strict=True)),
        starts=[
            dict(zip(names, (10.0 ** np.asarray(r.x)).tolist(), strict=True)) for r in ordered
        ],
        negative_log_likelihood=float(ordered[0].fval),
        interval_95=interval,
    )
