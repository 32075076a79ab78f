"""The generated fixed-pattern sparse LU solves (d I - J) x = b like a dense solver."""

import numba
import numpy as np
import pytest
from numpy.testing import assert_allclose

from opioidsim.engine.sparse_lu import analyse

#: Straight-line LU without pivoting on a diagonally dominant matrix of order 12: round-off
#: is a few ulps times the condition number (< 10 here).
SOLVE_RTOL = 1e-12


def _compile(source: str):
    namespace = {"numba": numba}
    # numba can cache only functions defined in files; this source is compiled in memory.
    exec(compile(source.replace("cache=True", "cache=False"), "<sparse_lu>", "exec"), namespace)
    return namespace["lu_factor"], namespace["lu_solve"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sparse_lu_with_fill_in_matches_a_dense_solve(seed):
    rng = np.random.default_rng(seed)
    n = 12
    pattern = sorted({(int(i), int(j)) for i, j in rng.integers(0, n, size=(30, 2))})
    lu = analyse(n, pattern)
    assert lu.n_fill > 0 or seed > 0  # seed 0 has fill-in, so elimination updates are tested
    J = np.zeros((n, n))
    for i, j in pattern:
        J[i, j] = rng.normal()
    d = 10.0
    lu_factor, lu_solve = _compile(lu.source)
    a = np.empty(len(lu.positions))
    assert lu_factor(J, d, a)
    b = rng.normal(size=n)
    x = b.copy()
    lu_solve(a, x)
    assert_allclose(x, np.linalg.solve(d * np.eye(n) - J, b), rtol=SOLVE_RTOL, atol=1e-14)


def test_a_zero_pivot_is_reported_not_divided_by():
    lu = analyse(2, [(0, 0), (0, 1), (1, 0)])
    lu_factor, _ = _compile(lu.source)
    J = np.array([[1.0, 2.0], [3.0, 0.0]])
    assert not lu_factor(J, 1.0, np.empty(len(lu.positions)))  # d - J[0, 0] = 0
    assert not lu_factor(J * np.nan, 1.0, np.empty(len(lu.positions)))


def test_markowitz_order_avoids_the_fill_of_an_arrow_matrix():
    # Arrow: state 0 couples to all. Eliminating 0 first fills everything (42 entries); any
    # order that keeps 0 among the last two fills nothing.
    n = 8
    pattern = [(0, j) for j in range(1, n)] + [(i, 0) for i in range(1, n)]
    lu = analyse(n, pattern)
    assert lu.n_fill == 0 and 0 in lu.order[-2:]
