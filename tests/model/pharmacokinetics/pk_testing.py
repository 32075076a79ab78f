"""Shared helpers for the pharmacokinetic model tests: dose, simulate, read off anchors.

Everything is in canonical units (h, nM, nmol, L). Concentrations in ng/mL are converted
with the molar mass of the molecule measured (the base), never the salt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg

from opioidsim.engine.compile import compile_model
from opioidsim.engine.events import BOLUS, RATE, EventTable
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.model.assemble import AssembledModel
from opioidsim.model.default import DRUG_MODULES, build_model, load_module

#: Solver tolerances of every PK test; the analytic comparisons use ANALYTIC_RTOL (100 x the
#: solver's rtol leaves room for error accumulated over the steps).
SOLVER = SolverOptions(rtol=1e-8, atol=1e-10)
ANALYTIC_RTOL = 1e-6
#: Concentrations below this (nM) are not compared relatively in analytic checks: the
#: solver's absolute tolerance, 1e-10 nmol, over volumes of 1e-1..1e3 L.
ANALYTIC_ATOL_NM = 1e-7

#: Molar masses (g/mol) of the measured molecules, to turn reported ng/mL into nM.
BASE_MOLAR_MASS = {
    "morphine": 285.34,
    "heroin": 369.4,
    "monoacetylmorphine": 327.4,
    "fentanyl": 336.5,
    "oxycodone": 315.4,
    "methadone": 309.4,
    "buprenorphine": 467.6,
    "naltrexone": 341.41,
    "naltrexol": 343.4,
    "naloxone": 327.4,
    "oxytocin": 1007.19,
    "lofexidine": 259.13,
    "clonidine": 230.09,
    "cocaine": 303.35,
    "ethanol": 46.07,
}


def declared_species(drug: str) -> list[str]:
    """The species a drug module has parameter tables for."""
    return [s for s in load_module(DRUG_MODULES[drug][0]).parameters if s != "any"]


def ng_per_ml_to_nm(value: float, molecule: str) -> float:
    return value / BASE_MOLAR_MASS[molecule] * 1000.0


def nm_to_ng_per_ml(value, molecule: str):
    return np.asarray(value) * BASE_MOLAR_MASS[molecule] / 1000.0


@dataclass
class Dose:
    route: str
    amount_nmol: float | None = None  # bolus, nmol of the dosed form
    rate_nmol_per_h: float | None = None  # infusion
    start_h: float = 0.0
    end_h: float | None = None


def dose_nmol(model: AssembledModel, drug: str, route: str, mg: float) -> float:
    """A dose in mg of the route's dose form, as nmol."""
    module = model.drug_modules[drug]
    route_mm = module.declaration.routes[route].molar_mass or module.declaration.molar_mass
    molar_mass = model.parameter_records[model.parameter_index(f"{drug}.{route_mm}")].value
    return mg * 1e6 / molar_mass


def fraction_value(model: AssembledModel, target, parameters: np.ndarray | None = None):
    values = model.parameter_values if parameters is None else parameters
    return float(target.fraction.subs(dict(zip(model.parameter_symbols, values, strict=True))))


def events_for(model: AssembledModel, drug: str, doses: list[Dose], parameters=None):
    rows = []
    for d in doses:
        for target in model.routes[(drug, d.route)]:
            f = fraction_value(model, target, parameters)
            if d.amount_nmol is not None:
                rows.append((0, d.start_h, BOLUS, target.state_index, d.amount_nmol * f))
            else:
                assert target.infusion_channel is not None
                rows.append((0, d.start_h, RATE, target.infusion_channel, d.rate_nmol_per_h * f))
                rows.append((0, d.end_h, RATE, target.infusion_channel, -d.rate_nmol_per_h * f))
    return EventTable.from_rows(rows)


def simulate(drug, doses, times, species="human", overrides=None, model=None):
    """Simulate one subject; ``overrides`` maps parameter names to canonical values."""
    model = model or build_model([drug], species=species)
    compiled = compile_model(model)
    parameters = model.parameter_values.copy()
    for name, value in (overrides or {}).items():
        parameters[model.parameter_index(name)] = value
    events = events_for(model, drug, doses, parameters)
    result = solve(compiled, parameters[None, :], events, np.asarray(times, float), SOLVER)
    return model, result


def peak(times, values):
    """(time, value) of the maximum, refined by a parabola through the three grid points."""
    k = int(np.argmax(values))
    if 0 < k < len(values) - 1:
        t0, t1, t2 = times[k - 1 : k + 2]
        y0, y1, y2 = values[k - 1 : k + 2]
        denominator = (t0 - t1) * (t0 - t2) * (t1 - t2)
        a = (t2 * (y1 - y0) + t1 * (y0 - y2) + t0 * (y2 - y1)) / denominator
        b = (t2**2 * (y0 - y1) + t1**2 * (y2 - y0) + t0**2 * (y1 - y2)) / denominator
        if a < 0:
            t_peak = -b / (2 * a)
            c = y0 - a * t0**2 - b * t0
            return t_peak, a * t_peak**2 + b * t_peak + c
    return times[k], values[k]


def half_life(times, values, start, end):
    """Log-linear half-life between two times (h)."""
    mask = (times >= start) & (times <= end)
    slope = np.polyfit(times[mask], np.log(values[mask]), 1)[0]
    return float(np.log(2) / -slope)


def auc(times, values):
    return float(np.trapezoid(values, times))


def linear_solution(matrix: np.ndarray, initial: np.ndarray, times: np.ndarray) -> np.ndarray:
    """x(t) = expm(A t) x0 for each time: the analytic (multi-exponential) solution."""
    return np.array([scipy.linalg.expm(matrix * t) @ initial for t in times]).T


def p(model: AssembledModel, name: str) -> float:
    """A parameter in canonical units."""
    return model.parameter(name)
