"""SBML export: one subject's model, parameters and doses as an SBML Level 3 Version 2 file.

``export_sbml(model, parameters, events)`` writes what the engine integrates, so that an
independent simulator (libroadrunner, COPASI, ...) can run the same scenario:

- each state is a non-constant SBML ``parameter`` with a ``rateRule`` (its derivative); the
  model has no species, so it needs no compartment;
- each model parameter is a constant ``parameter`` holding the subject's canonical value,
  with its provenance (measured/derived/calibrated/assumed, source, DOI/PMID, species,
  confidence, note) in its notes, in an ``opioidsim`` annotation and, where there is a DOI
  or PMID, in a ``bqbiol:isDescribedBy`` term pointing to identifiers.org;
- each infusion channel is a non-constant ``parameter`` (initially 0) that events switch and
  that the derivative of its state adds;
- each observable that is not a state is a ``parameter`` with an ``assignmentRule``;
- each dose is an ``event``: trigger ``time >= t`` (initial value false, so a dose at t = 0
  fires at the start; persistent), one assignment ``x = x + value``, and
  ``useValuesFromTriggerTime = false``, so coincident events each add to what the previous
  one left instead of all reading the value from before the first (see :func:`export_sbml`).
  Each event also sets every other state within ``ROUND_OFF_FLUSH`` of 0 to exactly 0
  (``x = piecewise(0, abs(x) < 1e-20, x)``), so that libroadrunner runs the file with its
  default integrator settings (see :func:`_add_flush`; not in the per-dose encoding).
  A repeated dose is one self-rescheduling event (a simulator tests every trigger at every
  step, so one event per dose makes it slow): a counter ``event_<n>_fired`` (initially 0),
  trigger ``time >= t0 + period * fired && fired < count``, and a second assignment
  ``fired = fired + 1``; the k-th firing is at ``t0 + period * k``, the time opioidsim's
  expansion of the repeat computes;
- states whose initial value is a parameter get an ``initialAssignment``;
- units are declared for every quantity whose unit SBML can express (IU cannot be: left
  unset), and the model's time unit is the hour.

SBML ids are the sanitised sympy symbol names of the assembled model (``p__...`` for
parameters); the dotted model name goes in each element's ``name``.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import cast

import libsbml
import numpy as np
import pint
import sympy

from opioidsim.engine.events import BOLUS, RATE, EventTable
from opioidsim.errors import ConfigError, ModelError
from opioidsim.io.safe_write import write_text_safely
from opioidsim.model.assemble import AssembledModel, symbol_name
from opioidsim.model.declare import Parameter
from opioidsim.units import Q_, display_unit, parse_unit, ureg

__all__ = [
    "ROUND_OFF_FLUSH",
    "SBML_LEVEL",
    "SBML_VERSION",
    "check_operation",
    "export_sbml",
    "formula",
    "parse_formula",
    "validate_sbml",
]

SBML_LEVEL = 3
SBML_VERSION = 2

#: Namespace of the opioidsim provenance annotation.
PROVENANCE_NAMESPACE = "https://opioidsim.org/sbml/provenance/1"
_XHTML = "http://www.w3.org/1999/xhtml"

#: A residual factor this close to 1 between a unit and its SBML terms is round-off.
_UNIT_FACTOR_RTOL = 1e-12

#: Default of ``export_sbml(flush_below=...)``: every event sets a state within this of 0
#: (its canonical unit: nmol, nM, a fraction ...) to exactly 0. 1e-20 nmol is 6e-6
#: molecules, far below opioidsim's own absolute tolerance (1e-9).
ROUND_OFF_FLUSH = 1e-20


# -- math ---------------------------------------------------------------------------------------
# Precedence levels of the printed text: a child is parenthesised when its level is below the
# one its parent needs. Unary minus sits below multiplication here (although the L3 parser
# binds it tighter) so that a negated product is always parenthesised where that matters.
_RELATION, _SUM, _NEGATION, _PRODUCT, _ATOM = range(5)

_FUNCTIONS: dict[type, str] = {
    sympy.exp: "exp",
    sympy.log: "ln",
    sympy.Abs: "abs",
    sympy.floor: "floor",
    sympy.ceiling: "ceiling",
    sympy.sin: "sin",
    sympy.cos: "cos",
    sympy.tan: "tan",
    sympy.sinh: "sinh",
    sympy.cosh: "cosh",
    sympy.tanh: "tanh",
}
_RELATIONS: dict[type, str] = {
    sympy.StrictLessThan: "<",
    sympy.LessThan: "<=",
    sympy.StrictGreaterThan: ">",
    sympy.GreaterThan: ">=",
    sympy.Equality: "==",
    sympy.Unequality: "!=",
}
_LOGIC: dict[type, str] = {sympy.And: "and", sympy.Or: "or", sympy.Xor: "xor", sympy.Not: "not"}


def _pieces(expr: sympy.Piecewise) -> list[tuple[sympy.Expr, sympy.Basic]]:
    """The (value, condition) pairs of a Piecewise."""
    return [cast(tuple[sympy.Expr, sympy.Basic], pair.args) for pair in expr.args]


def _as_extremum(expr: sympy.Piecewise) -> sympy.Expr | None:
    """``where(a > b, a, b)`` (``maximum``, ``positive_part``; sympy may have rearranged the
    condition, e.g. to ``b - a < 0``) as Max(a, b), Min alike; anything else None."""
    pieces = _pieces(expr)
    if len(pieces) != 2 or pieces[1][1] is not sympy.true:
        return None
    (first, condition), (second, _) = pieces
    if isinstance(condition, sympy.StrictGreaterThan | sympy.GreaterThan):
        larger_minus_smaller = condition.lhs - condition.rhs
    elif isinstance(condition, sympy.StrictLessThan | sympy.LessThan):
        larger_minus_smaller = condition.rhs - condition.lhs
    else:
        return None
    difference = first - second
    if larger_minus_smaller == difference or _equal_everywhere(larger_minus_smaller, difference):
        return sympy.Max(first, second, evaluate=False)
    if larger_minus_smaller == -difference or _equal_everywhere(larger_minus_smaller, -difference):
        return sympy.Min(first, second, evaluate=False)
    return None


_PROBE_POINTS = 3
_MATH_FUNCTIONS: dict[type, Callable[..., float]] = {
    sympy.exp: math.exp,
    sympy.log: math.log,
    sympy.Abs: abs,
    sympy.Max: max,
    sympy.Min: min,
    sympy.tanh: math.tanh,
    sympy.sqrt: math.sqrt,
}


def _equal_everywhere(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Whether ``a - b`` is identically zero, tested at random positive values of the symbols.

    ``sympy.expand`` settles it exactly but is exponential in the expressions' nesting (the
    ventilation model's chemoreflex terms took minutes per export, stop 28). Two rational
    expressions that differ agree at random points with probability zero; three points and
    a relative tolerance absorb round-off. Evaluation is memoised over the expression DAG,
    so shared subexpressions cost once.
    """
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    generator = np.random.default_rng(20260)
    for _ in range(_PROBE_POINTS):
        values = dict(zip(symbols, generator.uniform(0.5, 2.0, size=len(symbols)), strict=True))
        cache: dict[sympy.Basic, float | bool] = {}
        try:
            x, y = _evaluate(a, values, cache), _evaluate(b, values, cache)
        except (ArithmeticError, ValueError, TypeError, KeyError):
            return False
        if not abs(x - y) <= 1e-9 * max(abs(x), abs(y), 1e-300):
            return False
    return True


def _evaluate(expr: sympy.Basic, values: Mapping[sympy.Basic, float], cache: dict) -> float | bool:
    """A float (or truth value) of ``expr`` at ``values``, memoised in ``cache``."""
    if expr in cache:
        return cache[expr]
    args = expr.args
    if expr.is_Symbol:
        result: float | bool = float(values[expr])
    elif expr.is_Number:
        result = float(expr)
    elif expr is sympy.true or expr is sympy.false:
        result = bool(expr)
    elif isinstance(expr, sympy.Add):
        result = math.fsum(_evaluate(arg, values, cache) for arg in args)
    elif isinstance(expr, sympy.Mul):
        result = math.prod(_evaluate(arg, values, cache) for arg in args)
    elif isinstance(expr, sympy.Pow):
        base, exponent = (_evaluate(arg, values, cache) for arg in args)
        result = math.pow(base, exponent)  # ValueError for a negative base, fractional power
    elif isinstance(expr, sympy.Piecewise):
        result = next(
            _evaluate(value, values, cache)
            for value, condition in _pieces(expr)
            if _evaluate(condition, values, cache)
        )
    elif type(expr) in _RELATIONS:
        lhs, rhs = (_evaluate(arg, values, cache) for arg in args)
        result = {
            "<": lhs < rhs, "<=": lhs <= rhs, ">": lhs > rhs, ">=": lhs >= rhs,
            "==": lhs == rhs, "!=": lhs != rhs,
        }[_RELATIONS[type(expr)]]  # fmt: skip
    elif isinstance(expr, sympy.And):
        result = all(_evaluate(arg, values, cache) for arg in args)
    elif isinstance(expr, sympy.Or):
        result = any(_evaluate(arg, values, cache) for arg in args)
    elif isinstance(expr, sympy.Not):
        result = not _evaluate(args[0], values, cache)
    elif type(expr) in _MATH_FUNCTIONS:
        result = _MATH_FUNCTIONS[type(expr)](*(_evaluate(arg, values, cache) for arg in args))
    else:
        raise TypeError(f"cannot evaluate {type(expr).__name__}")
    cache[expr] = result
    return result


class _FormulaPrinter:
    """Prints a sympy expression as an SBML L3 infix formula (``libsbml.parseL3Formula``)."""

    def __init__(
        self,
        names: Mapping[sympy.Symbol, str],
        where: str,
        units: Mapping[sympy.Symbol, pint.Unit] | None = None,
        unit_id: Callable[[pint.Unit], str | None] | None = None,
    ) -> None:
        self.names = names
        self.where = where
        self.units = units
        self.unit_id = unit_id

    def text(self, expr: sympy.Basic, number_unit: str | None = None) -> str:
        """The formula; a bare number gets ``number_unit`` (default: dimensionless)."""
        return self._print(expr, number_unit)[0]

    def _wrap(self, expr: sympy.Basic, level: int, number_unit: str | None = None) -> str:
        text, own = self._print(expr, number_unit)
        return f"({text})" if own < level else text

    # Literal numbers carry SBML units (``2 nM``) so that libsbml can check every equation's
    # units: a number in a sum or a relation has the unit of its neighbours, any other number
    # (a factor, an exponent, a function argument) is dimensionless.
    def _unit_of(self, expr: sympy.Basic) -> pint.Unit | None:
        if self.units is None:
            return None
        if isinstance(expr, sympy.Symbol):
            return self.units.get(expr)
        if expr.is_number:
            return ureg.dimensionless
        if isinstance(expr, sympy.Add | sympy.Max | sympy.Min):
            for arg in expr.args:
                if not arg.is_number:
                    return self._unit_of(arg)
            return ureg.dimensionless
        if isinstance(expr, sympy.Mul):
            unit = ureg.dimensionless
            for arg in expr.args:
                part = self._unit_of(arg)
                if part is None:
                    return None
                unit = unit * part
            return unit
        if isinstance(expr, sympy.Pow):
            base = self._unit_of(expr.base)
            if base is None or not expr.exp.is_number:
                return None if base != ureg.dimensionless else base
            return base ** float(expr.exp)
        if isinstance(expr, sympy.Piecewise):
            for value, _ in _pieces(expr):
                if not value.is_number:
                    return self._unit_of(value)
            return ureg.dimensionless
        return ureg.dimensionless  # functions, relations and logic

    def _neighbour_unit(self, siblings: tuple[sympy.Basic, ...]) -> str | None:
        """The unit id of the first non-number sibling; "" when it cannot be known."""
        if self.unit_id is None:
            return None
        for sibling in siblings:
            if not sibling.is_number:
                unit = self._unit_of(sibling)
                return (self.unit_id(unit) or "") if unit is not None else ""
        return None

    def _number(self, text: str, value: float, number_unit: str | None) -> tuple[str, int]:
        # number_unit None: a dimensionless place; "": a unit SBML cannot state (left unset).
        if self.unit_id is not None and number_unit != "":
            text = f"{text} {number_unit or 'dimensionless'}"
        return text, (_ATOM if value >= 0 else _NEGATION)

    def _print(self, expr: sympy.Basic, number_unit: str | None = None) -> tuple[str, int]:
        if isinstance(expr, sympy.Symbol):
            if expr not in self.names:
                raise ModelError(
                    f"{self.where}: symbol {expr.name!r} is not a state, parameter or input "
                    "of the model; the SBML export cannot name it."
                )
            return self.names[expr], _ATOM
        if expr is sympy.true:
            return "true", _ATOM
        if expr is sympy.false:
            return "false", _ATOM
        if expr is sympy.pi:
            return "pi", _ATOM
        if expr is sympy.E:
            return "exponentiale", _ATOM
        if expr is sympy.oo:
            return "INF", _ATOM
        if expr is sympy.S.NegativeInfinity:
            return "-INF", _NEGATION
        if expr is sympy.nan:
            return "NaN", _ATOM
        if isinstance(expr, sympy.Integer):
            return self._number(str(int(expr)), int(expr), number_unit)
        if isinstance(expr, sympy.Rational | sympy.Float):
            return self._number(repr(float(expr)), float(expr), number_unit)
        if isinstance(expr, sympy.Add):
            return self._print_sum(expr)
        if isinstance(expr, sympy.Mul) or (
            isinstance(expr, sympy.Pow) and expr.exp.is_number and expr.exp.is_negative
        ):
            return self._print_product(expr)
        if isinstance(expr, sympy.Pow):
            if expr.exp == sympy.Rational(1, 2):
                return f"sqrt({self.text(expr.base)})", _ATOM
            return f"pow({self.text(expr.base)}, {self.text(expr.exp)})", _ATOM
        if isinstance(expr, sympy.Piecewise):
            extremum = _as_extremum(expr)
            if extremum is not None:
                return self._print_extremum(extremum, number_unit), _ATOM
            return self._print_piecewise(expr, number_unit), _ATOM
        if isinstance(expr, sympy.Max | sympy.Min):
            return self._print_extremum(expr, number_unit), _ATOM
        if isinstance(expr, sympy.Rel):
            name = _RELATIONS.get(type(expr))
            if name is None:
                raise self._unsupported(expr)
            unit = self._neighbour_unit(expr.args)
            lhs, rhs = self._wrap(expr.lhs, _SUM, unit), self._wrap(expr.rhs, _SUM, unit)
            return f"{lhs} {name} {rhs}", _RELATION
        if type(expr) in _LOGIC:
            args = ", ".join(self.text(a) for a in expr.args)
            return f"{_LOGIC[type(expr)]}({args})", _ATOM
        if isinstance(expr, sympy.Function) and type(expr) in _FUNCTIONS:
            args = ", ".join(self.text(a) for a in expr.args)
            return f"{_FUNCTIONS[type(expr)]}({args})", _ATOM
        raise self._unsupported(expr)

    def _unsupported(self, expr: sympy.Basic) -> ModelError:
        return ModelError(
            f"{self.where}: cannot write {type(expr).__name__} ({expr}) as SBML math; "
            "supported: + - * /, pow, exp, ln, abs, floor, ceiling, trigonometric functions, "
            "Piecewise, Max, Min, relations and logic. Use opioidsim.model.math in rates()."
        )

    def _print_sum(self, expr: sympy.Add) -> tuple[str, int]:
        terms = cast(list[sympy.Expr], expr.as_ordered_terms())
        unit = self._neighbour_unit(expr.args)
        parts = [self._wrap(terms[0], _SUM, unit)]
        for term in terms[1:]:
            if term.could_extract_minus_sign():
                parts.append(f"- {self._wrap(-term, _PRODUCT, unit)}")
            else:
                parts.append(f"+ {self._wrap(term, _SUM, unit)}")
        return " ".join(parts), _SUM

    def _print_product(self, expr: sympy.Expr) -> tuple[str, int]:
        coefficient, factors = expr.as_coeff_mul()
        negative = coefficient.is_negative
        if negative:
            coefficient = -coefficient
        numerator: list[sympy.Expr] = []
        denominator: list[sympy.Expr] = []
        if coefficient != 1:
            if isinstance(coefficient, sympy.Rational) and not isinstance(
                coefficient, sympy.Integer
            ):
                numerator.append(sympy.Integer(coefficient.p))
                denominator.append(sympy.Integer(coefficient.q))
            else:
                numerator.append(coefficient)
        for factor in factors:
            if isinstance(factor, sympy.Pow) and factor.exp.is_number and factor.exp.is_negative:
                denominator.append(sympy.Pow(factor.base, -factor.exp))
            else:
                numerator.append(factor)
        top = " * ".join(self._wrap(f, _PRODUCT) for f in numerator) if numerator else "1"
        if denominator:
            if len(denominator) == 1:
                bottom = self._wrap(denominator[0], _ATOM)
            else:
                bottom = "(" + " * ".join(self._wrap(f, _PRODUCT) for f in denominator) + ")"
            if len(numerator) > 1:
                top = f"({top})"
            text = f"{top} / {bottom}"
        else:
            text = top
        if negative:
            return f"-({text})" if (denominator or len(numerator) > 1) else f"-{text}", _NEGATION
        return text, _PRODUCT

    def _print_piecewise(self, expr: sympy.Piecewise, number_unit: str | None) -> str:
        parts: list[str] = []
        otherwise = None
        unit = self._neighbour_unit(tuple(value for value, _ in _pieces(expr)))
        unit = number_unit if unit is None else unit
        for value, condition in _pieces(expr):
            if condition is sympy.true:
                otherwise = self.text(value, unit)
                break
            parts += [self.text(value, unit), self.text(condition)]
        if otherwise is not None:
            parts.append(otherwise)
        return f"piecewise({', '.join(parts)})"

    def _print_extremum(self, expr: sympy.Expr, number_unit: str | None) -> str:
        # max/min are L3V2 math, but not every simulator has them; piecewise would be a root
        # function in libroadrunner, whose restart rescales a scalar absolute tolerance by the
        # states' current values (fatal while doses' states rise from zero). abs is neither:
        # max(a, b) = (a + b + |a - b|) / 2, min(a, b) = (a + b - |a - b|) / 2.
        sign = "+" if isinstance(expr, sympy.Max) else "-"
        unit = self._neighbour_unit(expr.args)
        unit = number_unit if unit is None else unit
        args = [self.text(a, unit) for a in expr.args]
        text = args[0]
        for other in args[1:]:
            # parenthesised whole: the caller treats the result as an atom (y / max(a, b))
            text = f"((({text}) + ({other}) {sign} abs(({text}) - ({other}))) / 2 dimensionless)"
        return text


def formula(
    expr: sympy.Expr,
    names: Mapping[sympy.Symbol, str],
    where: str = "expression",
    units: Mapping[sympy.Symbol, pint.Unit] | None = None,
    unit_id: Callable[[pint.Unit], str | None] | None = None,
    number_unit: str | None = None,
) -> str:
    """An SBML L3 infix formula for ``expr``.

    Parameters
    ----------
    expr
        A sympy expression of the model's symbols.
    names
        The SBML id of every symbol that may occur.
    where
        The element the expression belongs to, named in errors.
    units, unit_id
        When given: each symbol's unit, and the SBML unit id of a unit. Literal numbers are
        then written with units (``1 dimensionless``, ``2.5 nM``) so that libsbml can check
        the units of the whole expression.
    number_unit
        The SBML unit id of ``expr`` itself, used when it is a bare number: None means
        dimensionless, "" a unit SBML cannot express (the number is written without one).

    Returns
    -------
    str
        Text that ``libsbml.parseL3Formula`` reads back as the same mathematics.
    """
    printer = _FormulaPrinter(names, where, units, unit_id)
    return printer.text(sympy.sympify(expr), number_unit)


def parse_formula(text: str, where: str) -> libsbml.ASTNode:
    """``text`` (SBML L3 infix) as a libsbml AST; ModelError naming ``where`` if it fails."""
    ast = libsbml.parseL3Formula(text)
    if ast is None or not ast.isWellFormedASTNode():
        raise ModelError(
            f"{where}: libsbml could not parse the formula {text!r} "
            f"({libsbml.getLastParseL3Error() or 'malformed'}); this is a bug in the SBML "
            "printer."
        )
    return ast


# -- units --------------------------------------------------------------------------------------
_LITRE_IN_CUBIC_METRES = 1e-3


def _unit_terms(text: str) -> tuple[tuple[int, float, int, float], ...] | None:
    """SBML (kind, exponent, scale, multiplier) terms equal to ``text``; None if none exist.

    Each canonical base gets a natural SBML unit: hour = 3600 s, nmol = 10^-9 mol, kg, and
    length as litres when it comes in cubes (volumes), metres otherwise. A factor left over
    (a non-canonical unit) goes into the first term's multiplier, so the terms are exact.
    """
    try:
        unit = parse_unit(text)
    except (pint.PintError, ValueError, AttributeError):
        return None
    dimensions = dict(unit.dimensionality)
    terms: list[tuple[int, float, int, float]] = []
    in_si = 1.0  # what the terms are worth in SI base units
    si_unit = ureg.dimensionless
    for dimension, exponent in sorted(dimensions.items()):
        if dimension == "[time]":
            terms.append((libsbml.UNIT_KIND_SECOND, exponent, 0, 3600.0))
            in_si *= 3600.0**exponent
            si_unit = si_unit * ureg.second**exponent
        elif dimension == "[substance]":
            terms.append((libsbml.UNIT_KIND_MOLE, exponent, -9, 1.0))
            in_si *= 1e-9**exponent
            si_unit = si_unit * ureg.mole**exponent
        elif dimension == "[mass]":
            terms.append((libsbml.UNIT_KIND_KILOGRAM, exponent, 0, 1.0))
            si_unit = si_unit * ureg.kilogram**exponent
        elif dimension == "[length]" and float(exponent / 3).is_integer():
            terms.append((libsbml.UNIT_KIND_LITRE, exponent / 3, 0, 1.0))
            in_si *= _LITRE_IN_CUBIC_METRES ** (exponent / 3)
            si_unit = si_unit * ureg.meter**exponent
        elif dimension == "[length]":
            terms.append((libsbml.UNIT_KIND_METRE, exponent, 0, 1.0))
            si_unit = si_unit * ureg.meter**exponent
        else:  # e.g. [biological_activity] (IU): SBML has no such unit
            return None
    actual = Q_(1.0, unit).to(si_unit).magnitude
    residual = actual / in_si
    if abs(residual - 1.0) > _UNIT_FACTOR_RTOL:
        if not terms:
            return ((libsbml.UNIT_KIND_DIMENSIONLESS, 1.0, 0, residual),)
        kind, exponent, scale, multiplier = terms[0]
        terms[0] = (kind, exponent, scale, multiplier * residual ** (1.0 / exponent))
    return tuple((kind, float(e), s, float(m)) for kind, e, s, m in terms)


def _unit_id(text: str) -> str:
    text = text.replace(" ", "").replace("**", "_pow")
    if text.startswith("1/"):
        text = "per_" + text[2:]
    text = text.replace("/", "_per_").replace("*", "_")
    ident = re.sub(r"[^0-9A-Za-z_]", "_", text)
    if (
        not ident
        or ident[0].isdigit()
        or libsbml.UnitKind_isValidUnitKindString(ident, SBML_LEVEL, SBML_VERSION)
    ):
        ident = "u_" + ident
    return ident


class _Units:
    """The document's unit definitions: one per distinct set of terms."""

    def __init__(self, model: libsbml.Model) -> None:
        self.model = model
        self.by_terms: dict[tuple, str] = {}
        self.ids: set[str] = set()

    def id_of(self, text: str) -> str | None:
        """The unit id for a unit string ("dimensionless" for 1); None if SBML lacks it."""
        terms = _unit_terms(text)
        if terms is None:
            return None
        if not terms:
            return "dimensionless"
        if terms in self.by_terms:
            return self.by_terms[terms]
        ident, n = _unit_id(text), 1
        while ident in self.ids:
            n += 1
            ident = f"{_unit_id(text)}_{n}"
        definition = self.model.createUnitDefinition()
        check_operation(definition.setId(ident), f"unitDefinition {ident}")
        definition.setName(text)
        for kind, exponent, scale, multiplier in terms:
            unit = definition.createUnit()
            unit.setKind(kind)
            unit.setExponent(exponent)
            unit.setScale(scale)
            unit.setMultiplier(multiplier)
        self.by_terms[terms] = ident
        self.ids.add(ident)
        return ident


# -- notes and annotations -------------------------------------------------------------------
def _notes(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return f'<body xmlns="{_XHTML}">{body}</body>'


def _source_uri(source) -> list[str]:
    uris = []
    if source.doi:
        uris.append(f"https://identifiers.org/doi:{source.doi}")
    if source.pmid:
        uris.append(f"https://identifiers.org/pubmed:{source.pmid}")
    return uris


def _provenance_paragraphs(name: str, record: Parameter, value: float, unit: str) -> list[str]:
    lines = [
        f"{name} = {float(value)!r} {unit} (canonical units).",
        f"Provenance: {record.provenance}; confidence: {record.confidence}.",
        f"As the source gives it: {record.value!r} {record.unit}.",
        f"Origin: {record.describe_origin()}.",
    ]
    if record.species:
        lines.append(f"Species: {record.species}.")
    for source in record.sources:
        ids = ", ".join(
            filter(
                None,
                [
                    source.doi and f"DOI {source.doi}",
                    source.pmid and f"PMID {source.pmid}",
                    source.url,
                ],
            )
        )
        lines.append(f"Source {source.key}: {source.citation}" + (f" ({ids})." if ids else "."))
    if record.locator:
        lines.append(f"Locator: {record.locator}.")
    if record.bounds:
        lines.append(f"Bounds: {record.bounds[0]!r} to {record.bounds[1]!r} {record.unit}.")
    if record.note:
        lines.append(f"Note: {record.note}")
    return lines


def _provenance_annotation(name: str, record: Parameter) -> str:
    def attribute(key: str, value: object) -> str:
        return f' {key}="{html.escape(str(value), quote=True)}"' if value is not None else ""

    inner = []
    for source in record.sources:
        attrs = (
            attribute("key", source.key)
            + attribute("doi", source.doi)
            + attribute("pmid", source.pmid)
            + attribute("url", source.url)
        )
        inner.append(f"<opioidsim:source{attrs}>{html.escape(source.citation)}</opioidsim:source>")
    for field in ("locator", "how", "against", "reason", "note"):
        value = getattr(record, field)
        if value:
            inner.append(f"<opioidsim:{field}>{html.escape(value)}</opioidsim:{field}>")
    attrs = (
        attribute("name", name)
        + attribute("provenance", record.provenance)
        + attribute("confidence", record.confidence)
        + attribute("species", record.species)
        + attribute("source_value", repr(record.value))
        + attribute("source_unit", record.unit)
    )
    return (
        f'<opioidsim:parameter xmlns:opioidsim="{PROVENANCE_NAMESPACE}"{attrs}>'
        + "".join(inner)
        + "</opioidsim:parameter>"
    )


def _model_version() -> str:
    try:
        return version("opioidsim")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


# -- export -------------------------------------------------------------------------------------
def check_operation(code: int, where: str) -> None:
    """ModelError naming ``where`` unless a libsbml setter returned success."""
    if code != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise ModelError(
            f"{where}: libsbml refused the value ({libsbml.OperationReturnValue_toString(code)})."
        )


def _subject_events(events: EventTable) -> EventTable:
    subjects = np.unique(events.subject)
    if subjects.size > 1:
        raise ConfigError(
            f"events: rows for {subjects.size} subjects ({', '.join(map(str, subjects[:5]))}); "
            "an SBML file holds one subject. Pass events.for_subject(i)."
        )
    return events


def _sbml_id(text: str) -> str:
    ident = re.sub(r"[^0-9A-Za-z_]", "_", text)
    return ident if ident and not ident[0].isdigit() else f"model_{ident}"


def export_sbml(
    model: AssembledModel,
    parameters: np.ndarray,
    events: EventTable,
    path: str | Path | None = None,
    name: str = "opioidsim",
    compact_events: bool = True,
    dose_scale: bool = False,
    flush_below: float | None = ROUND_OFF_FLUSH,
) -> str:
    """Write one subject's model, parameters and doses as SBML Level 3 Version 2.

    Parameters
    ----------
    model
        The assembled model.
    parameters
        One subject's parameter vector in canonical units (h, nM, nmol, L, kg), shape
        ``(n_parameters,)`` or ``(1, n_parameters)``, e.g. ``model.parameter_values``.
    events
        That subject's event table (times in h; bolus values in the state's unit, rate
        values in state unit per h).
    path
        Where to write the file; nothing is written when None.
    name
        The model's name (its id is this name made a valid SBML id).
    compact_events
        True (default): a repeated dose (at least ``MIN_PERIODIC_DOSES`` rows of one kind,
        target and value at times ``t0 + period * k``) becomes one self-rescheduling event;
        False: every row is its own event (the encoding before issue 18, kept as a
        benchmark peer).
    dose_scale
        True: every dose and infusion rate is multiplied by a dimensionless parameter
        ``dose_scale`` (1 here), so that a PEtab condition can scale the schedule.
    flush_below
        Every event also sets each state within this of 0 (in the state's canonical unit) to
        exactly 0 (default ``ROUND_OFF_FLUSH``, 1e-20), so that the file runs in
        libroadrunner with its default integrator settings (see :func:`_add_flush`); None:
        events assign only their dose. The per-dose encoding (``compact_events=False``), a
        benchmark peer, is written as before issue 18, without it.

    Returns
    -------
    str
        The SBML document as XML text.

    Raises
    ------
    ConfigError
        If ``parameters`` has the wrong shape or non-finite values, ``events`` holds
        several subjects, an unknown kind or an out-of-range target, or ``flush_below`` is
        not a positive finite number or None.
    ModelError
        If an expression cannot be written or read back as SBML math.

    Notes
    -----
    Events: the trigger ``time >= t`` has initial value false, so a dose at t <= 0 fires at
    the start of a simulation from 0 (libroadrunner applies it before the first output,
    like opioidsim's engine). Assignments are evaluated when the event executes
    (``useValuesFromTriggerTime = false``; with no delay this is the trigger time), so
    coincident events, which execute one after another, each add their dose: with values
    taken from the trigger time, two doses into one state at the same time would both read
    the state from before either, and only the last would count.
    """
    parameters = np.asarray(parameters, dtype=float)
    if parameters.ndim == 2 and parameters.shape[0] == 1:
        parameters = parameters[0]
    if parameters.shape != (model.n_parameters,):
        raise ConfigError(
            f"parameters: got shape {parameters.shape}; expected ({model.n_parameters},), one "
            "subject's canonical parameter vector (e.g. model.parameter_values)."
        )
    bad = np.flatnonzero(~np.isfinite(parameters))
    if bad.size:
        raise ConfigError(
            f"parameters[{model.parameter_names[bad[0]]}]: got {parameters[bad[0]]}; every "
            "parameter must be finite."
        )
    events = _subject_events(events)
    if flush_below is not None and not (np.isfinite(flush_below) and flush_below > 0):
        raise ConfigError(
            f"flush_below: got {flush_below!r}; a positive finite threshold, or None for no flush."
        )

    document = libsbml.SBMLDocument(SBML_LEVEL, SBML_VERSION)
    sbml = document.createModel()
    check_operation(sbml.setId(_sbml_id(name)), "model id")
    sbml.setName(name)
    drugs = ", ".join(model.drug_modules) or "none"
    check_operation(
        sbml.setNotes(
            _notes(
                [
                    f"Generated by opioidsim {_model_version()} (opioidsim.io.sbml.export_sbml).",
                    f"Species: {model.species}; drugs: {drugs}; modules: "
                    f"{', '.join(m.name for m in model.modules)}.",
                    "One subject: its parameter values (canonical units: h, nM, nmol, L, kg) and "
                    "its doses as events. States are parameters with rate rules; observables "
                    "are parameters with assignment rules; infusion rates are parameters that "
                    "events switch.",
                ]
            )
        ),
        "model notes",
    )
    units = _Units(sbml)
    hour = units.id_of("h")
    nmol = units.id_of("nmol")
    assert hour is not None and nmol is not None
    check_operation(sbml.setTimeUnits(hour), "model timeUnits")
    check_operation(sbml.setSubstanceUnits(nmol), "model substanceUnits")
    check_operation(sbml.setExtentUnits(nmol), "model extentUnits")
    check_operation(sbml.setVolumeUnits("litre"), "model volumeUnits")

    names: dict[sympy.Symbol, str] = {}
    symbol_units: dict[sympy.Symbol, pint.Unit] = {}
    taken: dict[str, str] = {}

    def pint_unit_id(unit: pint.Unit) -> str | None:
        return units.id_of(display_unit(unit))

    def write(expr: sympy.Expr, where: str, unit: str | None) -> libsbml.ASTNode:
        # unit: the SBML unit id of the result (None: not expressible in SBML).
        text = formula(expr, names, where, symbol_units, pint_unit_id, unit or "")
        return parse_formula(text, where)

    def claim(ident: str, what: str) -> str:
        if ident in taken:
            raise ModelError(f"{what}: SBML id {ident!r} is also used by {taken[ident]}.")
        parsed = libsbml.parseL3Formula(ident)
        if parsed is None or parsed.getType() != libsbml.AST_NAME or parsed.getName() != ident:
            raise ModelError(
                f"{what}: SBML id {ident!r} is a reserved word of SBML math; "
                "rename the model quantity."
            )
        taken[ident] = what
        return ident

    exact_values: dict[str, float] = {}

    def add_parameter(ident: str, label: str, value: float, unit: str | None, constant: bool):
        exact_values[ident] = float(value)
        element = sbml.createParameter()
        check_operation(element.setId(ident), label)
        element.setName(label)
        check_operation(element.setValue(float(value)), f"{label} value")
        element.setConstant(constant)
        if unit is not None:
            check_operation(element.setUnits(unit), f"{label} units")
        return element

    # Model parameters: constants with provenance.
    for j, symbol in enumerate(model.parameter_symbols):
        label = model.parameter_names[j]
        names[symbol] = claim(symbol.name, f"parameter {label}")
        unit = model.parameter_units[j]
        symbol_units[symbol] = parse_unit(unit)
        element = add_parameter(symbol.name, label, parameters[j], units.id_of(unit), True)
        record = model.parameter_records[j]
        check_operation(element.setMetaId(f"meta_{symbol.name}"), f"parameter {label} metaid")
        check_operation(
            element.setNotes(_notes(_provenance_paragraphs(label, record, parameters[j], unit))),
            f"parameter {label} notes",
        )
        resources = [uri for source in record.sources for uri in _source_uri(source)]
        if resources:
            term = libsbml.CVTerm(libsbml.BIOLOGICAL_QUALIFIER)
            term.setBiologicalQualifierType(libsbml.BQB_IS_DESCRIBED_BY)
            for uri in dict.fromkeys(resources):
                check_operation(term.addResource(uri), f"parameter {label} isDescribedBy")
            check_operation(element.addCVTerm(term), f"parameter {label} isDescribedBy")
        check_operation(
            element.appendAnnotation(_provenance_annotation(label, record)),
            f"parameter {label} annotation",
        )

    # Infusion channels: switched by events, added to their state's derivative.
    channel_units: list[pint.Unit | None] = [None] * len(model.input_symbols)
    for targets in model.routes.values():
        for target in targets:
            if target.infusion_channel is not None:
                rate = parse_unit(model.state_units[target.state_index]) / ureg.hour
                channel_units[target.infusion_channel] = rate
    # Event channels carry the unit of the module input they drive (event[module.input]).
    declared_inputs = {
        f"{m.name}.{name}": decl.unit
        for m in model.modules
        for name, decl in m.declaration.inputs.items()
    }
    for k in set(model.event_channels.values()):
        driven = model.input_names[k].removeprefix("event[").removesuffix("]")
        channel_units[k] = parse_unit(declared_inputs[driven])
    for k, symbol in enumerate(model.input_symbols):
        label = model.input_names[k]
        names[symbol] = claim(symbol.name, f"input {label}")
        rate = channel_units[k]
        if rate is not None:
            symbol_units[symbol] = rate
        add_parameter(symbol.name, label, 0.0, rate and pint_unit_id(rate), False)

    # States: rate rules; parameter-valued initial values as initial assignments.
    y0 = model.initial_states(parameters[None, :])[0]
    state_units = [units.id_of(u) for u in model.state_units]
    for i, symbol in enumerate(model.state_symbols):
        names[symbol] = claim(symbol.name, f"state {model.state_names[i]}")
        symbol_units[symbol] = parse_unit(model.state_units[i])
    for i, symbol in enumerate(model.state_symbols):
        label = model.state_names[i]
        add_parameter(symbol.name, label, y0[i], state_units[i], False)
        source = model.state_initial_parameter[i]
        if source is not None:
            assignment = sbml.createInitialAssignment()
            check_operation(assignment.setSymbol(symbol.name), f"state {label} initialAssignment")
            where = f"initialAssignment of {label}"
            math = write(model.parameter_symbols[source], where, state_units[i])
            check_operation(assignment.setMath(math), where)
        rule = sbml.createRateRule()
        check_operation(rule.setVariable(symbol.name), f"state {label} rateRule")
        where = f"rateRule d({label})/dt"
        rate_unit = (
            pint_unit_id(symbol_units[symbol] / ureg.hour) if state_units[i] is not None else None
        )
        check_operation(rule.setMath(write(model.derivatives[i], where, rate_unit)), where)

    # Observables that are not states: assignment rules.
    states = set(model.state_names)
    for name_, unit, expr in zip(
        model.observable_names, model.observable_units, model.observable_expressions, strict=True
    ):
        if name_ in states:
            continue
        ident = claim(symbol_name(name_), f"observable {name_}")
        element = sbml.createParameter()
        check_operation(element.setId(ident), f"observable {name_}")
        element.setName(name_)
        element.setConstant(False)
        unit_id = units.id_of(unit)
        if unit_id is not None:
            check_operation(element.setUnits(unit_id), f"observable {name_} units")
        rule = sbml.createAssignmentRule()
        check_operation(rule.setVariable(ident), f"observable {name_} assignmentRule")
        where = f"assignmentRule {name_}"
        check_operation(rule.setMath(write(expr, where, unit_id)), where)

    _add_events(
        sbml,
        model,
        events,
        names,
        hour,
        [units.id_of(u) for u in model.state_units],
        [rate and pint_unit_id(rate) for rate in channel_units],
        compact=compact_events,
        dose_scale=dose_scale,
        flush_below=flush_below if compact_events else None,
    )

    errors = document.checkInternalConsistency()
    if document.getNumErrors(libsbml.LIBSBML_SEV_ERROR) or document.getNumErrors(
        libsbml.LIBSBML_SEV_FATAL
    ):
        raise ModelError(
            f"SBML export: libsbml finds {errors} internal error(s): "
            f"{_messages(document, errors_only=True)[:3]}"
        )
    xml = _with_exact_values(libsbml.writeSBMLToString(document), exact_values)
    if path is not None:
        write_text_safely(path, xml)
    return xml


_PARAMETER_TAG = re.compile(r"<parameter\b[^>]*>")
_ID = re.compile(r'\bid="([^"]*)"')
_VALUE = re.compile(r'\bvalue="[^"]*"')


def _with_exact_values(xml: str, values: Mapping[str, float]) -> str:
    """Write each parameter's value with all its digits (libsbml writes 15 significant
    digits, up to ~5e-15 off: 7 s in hours is 0.00194444444444444)."""

    def exact(match: re.Match) -> str:
        tag = match.group(0)
        ident = _ID.search(tag)
        if ident is None or ident.group(1) not in values:
            return tag
        return _VALUE.sub(f'value="{values[ident.group(1)]!r}"', tag, count=1)

    return _PARAMETER_TAG.sub(exact, xml)


def _add_flush(
    event: libsbml.Event,
    state_ids: list[str],
    state_units: list[str | None],
    skip: set[str],
    below: float,
    where: str,
) -> None:
    """Add ``x = piecewise(0, abs(x) < below, x)`` to ``event`` for every state ``x`` not in
    ``skip`` (the variables the event already assigns: SBML allows one assignment per
    variable and event).

    Why: libroadrunner turns a scalar absolute tolerance (its default, 1e-12) into
    ``1e-12 * |x|`` for each state, from the states' values whenever it restarts CVODE, at
    every event included; only an exact 0 keeps the plain 1e-12. A state that is 0 in exact
    arithmetic (the occupancy of a drug not yet given) holds round-off (1e-153) after days
    of solving, gets an absolute tolerance of 1e-165, and CVODE fails on the dose that
    raises it (the heroin dose of ``examples/naltrexone_then_heroin.yaml``; issue 19).
    Setting such values to 0 as the event executes gives them the plain tolerance again. The
    model is unchanged to within ``below``; other simulators are unaffected.
    """
    for ident, unit in zip(state_ids, state_units, strict=True):
        if ident in skip:
            continue
        tag = f" {unit}" if unit else ""
        flush = event.createEventAssignment()
        check_operation(flush.setVariable(ident), where)
        text = f"piecewise(0{tag}, abs({ident}) < {below!r}{tag}, {ident})"
        check_operation(flush.setMath(parse_formula(text, where)), where)


#: A repeated dose becomes one periodic event only when it has at least this many doses.
MIN_PERIODIC_DOSES = 3


#: Times of a repeated dose may differ from ``first + period * k`` by rounding; a run
#: accepts this much (h, relative to max(1, |t|)): 3.6 ns at t <= 1 h.
RUN_TIME_TOLERANCE = 1e-12


def _periodic_runs(times: np.ndarray) -> list[tuple[float, float, int]]:
    """Split sorted event times into ``(first, period, count)`` runs whose times are
    ``first + period * k`` (k = 0..count-1, the expansion of a repeated dose, within
    RUN_TIME_TOLERANCE) and singles (``period`` 0, ``count`` 1)."""
    runs: list[tuple[float, float, int]] = []
    i, n = 0, len(times)
    while i < n:
        first, count = float(times[i]), 1
        if i + 1 < n and times[i + 1] > times[i]:
            period = float(times[i + 1] - times[i])
            count = 2
            while i + count < n:
                expected = first + period * count
                if abs(times[i + count] - expected) > RUN_TIME_TOLERANCE * max(1.0, expected):
                    break
                count += 1
        if count >= MIN_PERIODIC_DOSES:
            # The period from the run's ends is exact to a rounding of the last time.
            runs.append((first, float(times[i + count - 1] - first) / (count - 1), count))
            i += count
        else:
            runs.append((first, 0.0, 1))
            i += 1
    return runs


def _add_events(
    sbml: libsbml.Model,
    model: AssembledModel,
    events: EventTable,
    names: Mapping[sympy.Symbol, str],
    hour: str,
    state_units: list[str | None],
    channel_units: list[str | None],
    compact: bool = True,
    dose_scale: bool = False,
    flush_below: float | None = None,
) -> None:
    state_ids = [names[symbol] for symbol in model.state_symbols]
    scale = ""
    if dose_scale and len(events):
        if sbml.getElementBySId("dose_scale") is not None:
            raise ModelError("dose_scale: the model already has an SBML element with this id.")
        parameter = sbml.createParameter()
        check_operation(parameter.setId("dose_scale"), "parameter dose_scale")
        parameter.setName("factor on every dose and infusion rate (a PEtab condition sets it)")
        check_operation(parameter.setValue(1.0), "parameter dose_scale")
        parameter.setConstant(True)
        check_operation(parameter.setUnits("dimensionless"), "parameter dose_scale")
        scale = " * dose_scale"
    groups: dict[tuple[int, int, float], list[tuple[int, float]]] = {}
    for row, (time, kind, target, value) in enumerate(
        zip(events.time, events.kind, events.target, events.value, strict=True)
    ):
        if kind == BOLUS:
            if not 0 <= target < model.n_states:
                raise ConfigError(
                    f"events[{row}].target: got {target}; a bolus targets a state "
                    f"index in 0..{model.n_states - 1}."
                )
        elif kind == RATE:
            if not 0 <= target < len(model.input_symbols):
                raise ConfigError(
                    f"events[{row}].target: got {target}; a rate targets an "
                    f"infusion channel in 0..{len(model.input_symbols) - 1}."
                )
        else:
            raise ConfigError(
                f"events[{row}].kind: got {kind}; valid: {BOLUS} (bolus), {RATE} (rate)."
            )
        groups.setdefault((int(kind), int(target), float(value)), []).append((row, float(time)))
    # Rows in table order when not compacting; else one event per periodic run.
    plan: list[tuple[int, int, float, float, float, int, int]] = []
    for (kind, target, value), rows in groups.items():
        if not compact:
            plan += [(row, kind, target, value, time, 0.0, 1) for row, time in rows]
            continue
        times = np.array([time for _, time in rows])
        start = 0
        for first, period, count in _periodic_runs(times):
            plan.append((rows[start][0], kind, target, value, first, period, count))
            start += count
    plan.sort()
    for number, (_, kind, target, value, time, period, count) in enumerate(plan):
        if kind == BOLUS:
            symbol, what, label = model.state_symbols[target], "bolus", model.state_names[target]
            unit = state_units[target]
        else:
            symbol, what, label = model.input_symbols[target], "rate", model.input_names[target]
            unit = channel_units[target]
        ident = names[symbol]
        event = sbml.createEvent()
        every = f" every {period!r} h, {count} times" if count > 1 else ""
        where = f"event {number} ({what} into {label} at t = {time!r} h{every})"
        check_operation(event.setId(f"event_{number}"), where)
        event.setName(f"{what} {value!r} into {label} at t = {time!r} h{every}")
        check_operation(event.setUseValuesFromTriggerTime(False), where)
        trigger = event.createTrigger()
        check_operation(trigger.setInitialValue(False), where)
        check_operation(trigger.setPersistent(True), where)
        if count == 1:
            condition = f"time >= {time!r} {hour}"
        else:
            # Self-rescheduling: the k-th firing is at time + period * k, k = 0..count-1;
            # firing raises the counter, which makes the trigger false until the next time.
            fired = f"event_{number}_fired"
            counter = sbml.createParameter()
            check_operation(counter.setId(fired), where)
            counter.setName(f"doses given by event {number}")
            check_operation(counter.setValue(0.0), where)
            counter.setConstant(False)
            check_operation(counter.setUnits("dimensionless"), where)
            condition = (
                f"(time >= {time!r} {hour} + {period!r} {hour} * {fired}) "
                f"&& ({fired} < {count} dimensionless)"
            )
        check_operation(trigger.setMath(parse_formula(condition, where)), where)
        assignment = event.createEventAssignment()
        check_operation(assignment.setVariable(ident), where)
        increment = f"{value!r}" + (f" {unit}" if unit else "")
        check_operation(
            assignment.setMath(parse_formula(f"{ident} + ({increment}){scale}", where)), where
        )
        if count > 1:
            step = event.createEventAssignment()
            check_operation(step.setVariable(fired), where)
            check_operation(
                step.setMath(parse_formula(f"{fired} + 1 dimensionless", where)), where
            )
        if flush_below is not None:
            _add_flush(event, state_ids, state_units, {ident}, flush_below, where)


def _messages(document: libsbml.SBMLDocument, errors_only: bool = False) -> list[str]:
    out = []
    for k in range(document.getNumErrors()):
        error = document.getError(k)
        if errors_only and error.getSeverity() < libsbml.LIBSBML_SEV_ERROR:
            continue
        out.append(
            f"{error.getSeverityAsString()} {error.getErrorId()} ({error.getCategoryAsString()}),"
            f" line {error.getLine()}: {error.getShortMessage()}: "
            f"{' '.join(error.getMessage().split())}"
        )
    return out


def validate_sbml(xml: str) -> list[str]:
    """Run libsbml's full consistency checks (units included) on an SBML document.

    Parameters
    ----------
    xml
        The document's text, as :func:`export_sbml` returns it.

    Returns
    -------
    list[str]
        The warnings and informational messages, one line each (empty when there are none).

    Raises
    ------
    ModelError
        If libsbml finds any error, listing them all.
    """
    document = libsbml.readSBMLFromString(xml)
    document.checkConsistency()
    errors = _messages(document, errors_only=True)
    if errors:
        raise ModelError(f"SBML: libsbml finds {len(errors)} error(s):\n" + "\n".join(errors))
    return _messages(document)
