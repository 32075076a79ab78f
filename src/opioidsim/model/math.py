"""The only functions model equations may call.

Each works the same on three kinds of value, so one ``rates()`` runs three ways: on pint
quantities (unit checking at assembly), on sympy expressions (code generation, Jacobian,
SBML and LaTeX export) and on numpy arrays shaped ``(..., subjects)``. Per-ligand values
carry the ligand on axis 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pint
import sympy

__all__ = ["exp", "hill", "log", "maximum", "minimum", "positive_part", "total", "where"]


def _is_symbolic(value: Any) -> bool:
    if isinstance(value, sympy.Basic):
        return True
    return isinstance(value, np.ndarray) and value.dtype == object


def _elementwise(function, *args):
    arrays = [a for a in args if isinstance(a, np.ndarray)]
    if not arrays:
        return function(*args)
    return np.vectorize(function, otypes=[object])(*args)


def exp(x: Any) -> Any:
    """Natural exponential; ``x`` must be dimensionless."""
    if _is_symbolic(x):
        return _elementwise(sympy.exp, x)
    if isinstance(x, pint.Quantity):
        return np.exp(x.to("dimensionless"))
    return np.exp(x)


def log(x: Any) -> Any:
    """Natural logarithm; ``x`` must be dimensionless."""
    if _is_symbolic(x):
        return _elementwise(sympy.log, x)
    if isinstance(x, pint.Quantity):
        return np.log(x.to("dimensionless"))
    return np.log(x)


def hill(x: Any, half_effect: Any, exponent: Any) -> Any:
    """Hill function x^n / (x^n + half^n): 0 at x = 0, 1/2 at x = half_effect, -> 1."""
    ratio = x / half_effect
    powered = ratio**exponent
    return powered / (1 + powered)


def total(per_ligand: Any) -> Any:
    """Sum over ligands (axis 0)."""
    if isinstance(per_ligand, np.ndarray) and per_ligand.dtype == object:
        return (
            sympy.Add(*per_ligand.ravel().tolist())
            if per_ligand.ndim == 1
            else (np.sum(per_ligand, axis=0))
        )
    if isinstance(per_ligand, pint.Quantity):
        return per_ligand.sum(axis=0)
    return np.sum(per_ligand, axis=0)


def where(condition: Any, if_true: Any, if_false: Any) -> Any:
    """Elementwise choice; the only way a model equation may branch."""
    if any(_is_symbolic(v) for v in (condition, if_true, if_false)):
        return _elementwise(
            lambda c, a, b: sympy.Piecewise((a, c), (b, True)), condition, if_true, if_false
        )
    if isinstance(if_true, pint.Quantity) or isinstance(if_false, pint.Quantity):
        units = if_true.units if isinstance(if_true, pint.Quantity) else if_false.units
        a = if_true.to(units).magnitude if isinstance(if_true, pint.Quantity) else if_true
        b = if_false.to(units).magnitude if isinstance(if_false, pint.Quantity) else if_false
        c = condition.magnitude if isinstance(condition, pint.Quantity) else condition
        return np.where(c, a, b) * units
    return np.where(condition, if_true, if_false)


def maximum(a: Any, b: Any) -> Any:
    """Elementwise maximum (written as a ``where`` so all three backends agree)."""
    return where(a > b, a, b)


def minimum(a: Any, b: Any) -> Any:
    """Elementwise minimum."""
    return where(a < b, a, b)


def positive_part(x: Any) -> Any:
    """max(x, 0), keeping the unit of ``x``."""
    return where(x > 0 * x, x, 0 * x)
