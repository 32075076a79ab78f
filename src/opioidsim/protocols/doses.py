"""Dose records: what a protocol hands the engine, in canonical floats.

A scenario's ``doses`` list is written in the units people dose in (``50 mg``,
``0.2 mg/kg``, ``24 IU``, ``2 mg/h``). :meth:`Scenario.dose_records` expands it into
:class:`DoseRecord` objects, one per administration, with

- times in h, counted from the start of the run;
- bolus amounts in nmol of the dosed form, infusion rates in nmol/h;
- repeats expanded (``every: 24 h, for: 5 d`` gives 5 records).

The conversions here go through the one pint registry: per-body-weight amounts are
multiplied by the subject's body weight, international units by the drug's declared mass
per IU, and masses become substance amounts through pint's ``chemistry`` context with the
molar mass of the dosed form (the route's, when its catalog entry gives one, else the
drug's), never a typed factor. This module knows no drug by name: everything it
needs comes from the drug's :class:`~opioidsim.model.catalog.DrugInfo`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
import pint

from opioidsim.errors import ConfigError
from opioidsim.model.catalog import DrugInfo, RouteInfo
from opioidsim.units import ureg

#: Two times closer than this are the same time. Unit conversions of times written in d,
#: min or week round at ~1e-12 h for runs up to 5 years; any physiological process is
#: slower than 3.6 microseconds by many orders of magnitude.
TIME_TOLERANCE_H = 1e-9

AmountKind = Literal["mass", "substance", "activity"]

_BASE_DIMENSION: dict[AmountKind, str] = {
    "mass": "[mass]",
    "substance": "[substance]",
    "activity": "[biological_activity]",
}


@dataclass(frozen=True, kw_only=True)
class DoseRecord:
    """One administration of one drug, in canonical units.

    A bolus has ``amount_nmol``; an infusion has ``rate_nmol_per_h`` and ``duration_h``
    (zero order: the rate is constant from ``time_h`` to ``time_h + duration_h``).

    Attributes
    ----------
    drug : str
        Catalog name of the drug.
    route : str
        Catalog name of the route of that drug.
    time_h : float
        Start of the administration, h after the start of the run.
    amount_nmol : float or None
        Bolus amount, nmol of the dosed form (molar mass of the catalog's dosed form).
    rate_nmol_per_h : float or None
        Infusion rate, nmol/h.
    duration_h : float or None
        Infusion duration, h.
    source_index : int
        Index of the entry in the scenario's ``doses`` list this record comes from.
    """

    drug: str
    route: str
    time_h: float
    amount_nmol: float | None = None
    rate_nmol_per_h: float | None = None
    duration_h: float | None = None
    source_index: int

    def __post_init__(self) -> None:
        bolus = self.amount_nmol is not None
        infusion = self.rate_nmol_per_h is not None and self.duration_h is not None
        if bolus == infusion or (not infusion and self.rate_nmol_per_h is not None):
            raise ConfigError(
                f"DoseRecord: got amount_nmol={self.amount_nmol}, "
                f"rate_nmol_per_h={self.rate_nmol_per_h}, duration_h={self.duration_h}; "
                "give amount_nmol (a bolus) or rate_nmol_per_h and duration_h (an infusion)."
            )

    @property
    def is_infusion(self) -> bool:
        """True for a zero-order infusion, False for a bolus."""
        return self.rate_nmol_per_h is not None

    @property
    def end_h(self) -> float:
        """End of the administration, h (equal to ``time_h`` for a bolus)."""
        return self.time_h + (self.duration_h or 0.0)

    @property
    def total_nmol(self) -> float:
        """Amount given by this administration, nmol (rate times duration for an infusion)."""
        if self.amount_nmol is not None:
            return self.amount_nmol
        assert self.rate_nmol_per_h is not None and self.duration_h is not None
        return self.rate_nmol_per_h * self.duration_h


def unit_factors(quantity: pint.Quantity) -> list[tuple[str, float]]:
    """The unit of ``quantity`` as (unit name, exponent) pairs, in written order.

    ``0.2 mg/kg`` gives ``[("milligram", 1.0), ("kilogram", -1.0)]``.
    """
    return [(str(name), float(cast(float, exponent))) for name, exponent in quantity.unit_items()]


def amount_kind(quantity: pint.Quantity, *, per_time: bool = False) -> tuple[AmountKind, bool]:
    """Classify a dose amount (or, with ``per_time``, an infusion rate).

    Parameters
    ----------
    quantity : pint.Quantity
        An amount (``50 mg``, ``100 nmol``, ``0.2 mg/kg``, ``24 IU``) or a rate
        (``2 mg/h``, ``10 ug/kg/min``, ``1 IU/min``).
    per_time : bool
        Classify ``quantity`` as an amount per time.

    Returns
    -------
    tuple of (str, bool)
        ``"mass"``, ``"substance"`` or ``"activity"`` (international units), and whether the
        amount is per kg of body weight.

    Raises
    ------
    pint.DimensionalityError
        When ``quantity`` is none of these.
    """
    amount = quantity * ureg.hour if per_time else quantity
    for kind, dimension in _BASE_DIMENSION.items():
        if amount.check(dimension):
            return kind, False
    # mg/kg is dimensionless in pint, so a per-body-weight amount is recognised by a mass
    # in its unit's denominator, not by its dimension alone ("5 percent" is no dose).
    has_mass_denominator = any(
        exponent < 0 and ureg.Unit(name).dimensionality == ureg.kilogram.dimensionality
        for name, exponent in unit_factors(quantity)
    )
    if has_mass_denominator:
        for kind, dimension in _BASE_DIMENSION.items():
            if (amount * ureg.kilogram).check(dimension):
                return kind, True
    raise pint.DimensionalityError(quantity.units, "an amount (mass, substance, IU) or per kg")


def absolute_amount(
    quantity: pint.Quantity, body_weight: pint.Quantity, *, per_time: bool = False
) -> pint.Quantity:
    """Return a dose as the amount the subject gets: per-kg doses times the body weight.

    Parameters
    ----------
    quantity : pint.Quantity
        An amount or (with ``per_time``) a rate, as :func:`amount_kind` accepts.
    body_weight : pint.Quantity
        The subject's body weight (a mass).
    per_time : bool
        ``quantity`` is a rate.

    Returns
    -------
    pint.Quantity
        A mass, substance or IU (per h with ``per_time``), reduced to one unit.
    """
    kind, per_body_weight = amount_kind(quantity, per_time=per_time)
    amount = quantity * body_weight if per_body_weight else quantity
    base = {"mass": "mg", "substance": "nmol", "activity": "IU"}[kind]
    return amount.to(f"{base}/h" if per_time else base)


def molar_mass_of(drug: DrugInfo, route: RouteInfo | None = None) -> pint.Quantity:
    """Molar mass of the dosed form: the route's dose form if it declares one, else the drug's."""
    if route is not None and route.molar_mass is not None:
        return route.molar_mass
    return drug.molar_mass


def mass_of(
    amount: pint.Quantity, drug: DrugInfo, route: RouteInfo | None = None
) -> pint.Quantity:
    """Return an absolute amount (mass, substance or IU) of ``drug`` as a mass, in g.

    Parameters
    ----------
    amount : pint.Quantity
        A mass, substance amount or IU (not per kg: see :func:`absolute_amount`).
    drug : DrugInfo
        Catalog entry: molar mass and mass per IU.
    route : RouteInfo, optional
        The route, whose dose form may have its own molar mass.

    Returns
    -------
    pint.Quantity
        g of the dosed form.

    Raises
    ------
    ConfigError
        When ``amount`` is in IU and the drug declares no mass per IU.
    """
    if amount.check("[biological_activity]"):
        if drug.mass_per_international_unit is None:
            raise ConfigError(
                f"{drug.name}: got an amount in IU; {drug.name} has no mass per IU. "
                "Give a mass or a substance amount."
            )
        amount = amount * drug.mass_per_international_unit
    return amount.to("g", "chemistry", mw=molar_mass_of(drug, route))


def nanomoles_of(amount: pint.Quantity, drug: DrugInfo, route: RouteInfo | None = None) -> float:
    """Return an absolute amount (mass, substance or IU) of ``drug`` in nmol of the dosed form.

    Parameters
    ----------
    amount : pint.Quantity
        A mass, substance amount or IU (not per kg: see :func:`absolute_amount`).
    drug : DrugInfo
        Catalog entry: its molar mass (and mass per IU) make the conversion.
    route : RouteInfo, optional
        The route, whose dose form may have its own molar mass.

    Returns
    -------
    float
        nmol.
    """
    if amount.check("[substance]"):
        return float(amount.to("nmol").magnitude)
    molar_mass = molar_mass_of(drug, route)
    return float(mass_of(amount, drug, route).to("nmol", "chemistry", mw=molar_mass).magnitude)


def repeat_count(repeat_for_h: float, every_h: float) -> int:
    """Number of doses ``every_h`` apart whose start lies in ``[0, repeat_for_h)``.

    ``every 24 h for 5 d`` gives 5 (0, 24, 48, 72 and 96 h; 120 h is not before 5 d).
    A ratio within :data:`TIME_TOLERANCE_H` of a whole number counts as that number, so
    unit rounding never adds or drops a dose.

    Parameters
    ----------
    repeat_for_h : float
        Length of the repeat period, h (> 0).
    every_h : float
        Interval between dose starts, h (> 0).

    Returns
    -------
    int
        At least 1.
    """
    ratio = repeat_for_h / every_h
    return max(1, math.ceil(ratio - TIME_TOLERANCE_H / every_h))


def start_times_h(time_h: float, every_h: float | None, count: int) -> np.ndarray:
    """Start times, h, of ``count`` doses from ``time_h``, ``every_h`` apart.

    Parameters
    ----------
    time_h : float
        First dose, h.
    every_h : float or None
        Interval, h; ``None`` for a single dose.
    count : int
        Number of doses (1 without ``every_h``).

    Returns
    -------
    numpy.ndarray
        Shape (count,), h. A start within TIME_TOLERANCE_H (3.6 us) of 0 is 0: a dose at
        1e-300 h is a dose at 0 h, not an event the integrator must step 1e-300 h to reach.
    """
    if every_h is None:
        starts = np.array([time_h])
    else:
        starts = time_h + every_h * np.arange(count, dtype=float)
    return np.where(np.abs(starts) < TIME_TOLERANCE_H, 0.0, starts)
