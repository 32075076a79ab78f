"""The SBML printer writes ``where(a > b, a, b)`` as max/min however sympy rearranged it, and
never mistakes a different expression for one (the test of identity is numeric, stop 28)."""

import sympy

from opioidsim.io.sbml import _as_extremum, _equal_everywhere

a, b, c = sympy.symbols("a b c", positive=True)


def test_rearranged_conditions_become_max_and_min():
    big = (a + b) ** 3 / (1 + c)
    assert _as_extremum(sympy.Piecewise((big, big - c > 0), (c, True))) == sympy.Max(
        big, c, evaluate=False
    )
    assert _as_extremum(sympy.Piecewise((big, c - big > 0), (c, True))) == sympy.Min(
        big, c, evaluate=False
    )
    # the same difference written out (expanded) is still recognised
    expanded = sympy.expand((a + b) ** 3) / (1 + c) - c
    assert _as_extremum(sympy.Piecewise((big, expanded > 0), (c, True))) is not None


def test_a_different_condition_is_not_an_extremum():
    big = (a + b) ** 3 / (1 + c)
    assert _as_extremum(sympy.Piecewise((big, big - 2 * c > 0), (c, True))) is None
    assert _as_extremum(sympy.Piecewise((big, a > 0), (c, True))) is None


def test_identity_is_decided_numerically_and_soundly():
    assert _equal_everywhere(sympy.expand((a - b) ** 5), (a - b) ** 5)
    assert not _equal_everywhere((a - b) ** 5, (a - b) ** 5 + 1e-6 * a)
    assert _equal_everywhere(sympy.exp(sympy.log(a) * 2), a**2)
    assert not _equal_everywhere(sympy.sqrt(a - 3), a)  # undefined at the probes: not equal
