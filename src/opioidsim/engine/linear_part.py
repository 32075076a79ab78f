"""Exact linear pharmacokinetics: the model's closed linear part, solved in closed form.

Issue 18 item 4. Compartmental PK (gut, depot, central, peripheral, metabolite and
effect-site compartments) is a linear system ``x' = A x + g(u)`` whose coefficients are
parameters only and which no other state feeds back into. Integrated as part of the stiff
system it sets the step size for hours after every dose: the integrator follows a bolus of
5e4 nmol heroin down to atol over ~25 half-lives (benchmarks/RESULTS.md, session 17). Solved
in closed form between events, it becomes a known input of the rest of the model, as it is
in PK/PD practice (e.g. NONMEM's ADVAN1-4 and mrgsolve's closed-form models):

    x(t0 + tau) = V (exp(Lambda tau) z0 + phi(Lambda, tau) w),
    z0 = V^-1 x(t0),  w = V^-1 g(u),  phi(l, tau) = (exp(l tau) - 1) / l  (tau when l = 0),

with ``A = V Lambda V^-1`` per subject and ``u`` (infusion rates) constant between events.
The remaining states are integrated by the Rosenbrock method in its non-autonomous form
(Hairer & Wanner 1996, IV.7 (7.25): stage times ``t + alpha_i h`` and the ``gamma_i h f_t``
term, with ``f_t = J[:, S] x_S'``).

:func:`closed_linear_states` finds the part symbolically (largest set of states whose
derivatives are affine in those states and the inputs with parameter-only coefficients, and
read no other state); :func:`decompose` diagonalises ``A`` per subject and says for which
subjects the closed form is trustworthy (real spectrum, well-conditioned eigenvectors);
the others are integrated in full.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy

#: A subject's eigenvectors may amplify round-off by their condition number; the closed form
#: is used only when that stays this far below the relative tolerance.
ROUND_OFF_SHARE_OF_RTOL = 1e-2
MACHINE_EPSILON = float(np.finfo(float).eps)


def closed_linear_states(
    state_symbols: list[sympy.Symbol],
    derivatives: list[sympy.Expr],
    parameter_symbols: list[sympy.Symbol],
    input_symbols: list[sympy.Symbol],
) -> list[int]:
    """Indices of the largest closed linear subsystem (sorted; empty if there is none).

    A state qualifies if its derivative is affine in states and inputs, every coefficient and
    the constant term depend on parameters only, and every state it reads qualifies too.
    """
    states = set(state_symbols)
    inputs = set(input_symbols)
    allowed = set(parameter_symbols)
    index = {s: i for i, s in enumerate(state_symbols)}
    reads: dict[int, set[int]] = {}
    candidates: set[int] = set()
    for i, derivative in enumerate(derivatives):
        free = derivative.free_symbols
        if not free <= states | inputs | allowed:
            continue  # reads time or an unknown symbol
        variables = free & (states | inputs)
        affine = all(sympy.diff(derivative, v).free_symbols <= allowed for v in variables)
        if affine:
            candidates.add(i)
            reads[i] = {index[s] for s in free & states}
    changed = True
    while changed:
        changed = False
        for i in sorted(candidates):
            if not reads[i] <= candidates:
                candidates.discard(i)
                changed = True
    return sorted(candidates)


@dataclass
class LinearDecomposition:
    """Per-subject eigen-decomposition of the closed linear part."""

    eigenvalues: np.ndarray  # (subjects, n_lin)
    vectors: np.ndarray  # (subjects, n_lin, n_lin): columns are eigenvectors
    inverse: np.ndarray  # (subjects, n_lin, n_lin)
    usable: np.ndarray  # (subjects,) bool: the closed form is trustworthy for this subject


def system_matrices(jac, linear: list[int], n_states: int, P, Q, Y, U) -> np.ndarray:
    """``A`` of each subject: the Jacobian's linear block (its entries are parameters only,
    so the state it is evaluated at does not matter)."""
    n_subjects = P.shape[0]
    J = np.zeros((n_states, n_states))
    out = np.empty((n_subjects, len(linear), len(linear)))
    for s in range(n_subjects):
        J[:] = 0.0
        jac(0.0, Y[s], P[s], Q[s], U[s], J)
        out[s] = J[np.ix_(linear, linear)]
    return out


def decompose(matrices: np.ndarray, rtol: float) -> LinearDecomposition:
    """Diagonalise each subject's ``A``; mark a subject unusable if its spectrum is not real,
    if its eigenvectors are too ill-conditioned for ``rtol`` (nearly equal rates in a chain
    make ``A`` nearly defective) or if the decomposition does not reproduce ``A``."""
    finite = np.isfinite(matrices).all(axis=(1, 2))
    safe = np.where(finite[:, None, None], matrices, 0.0)
    eigenvalues, vectors = np.linalg.eig(safe)
    scale = np.maximum(np.abs(eigenvalues).max(axis=1, initial=0.0), 1e-300)
    real = (np.abs(eigenvalues.imag) <= 1e-12 * scale[:, None]).all(axis=1)
    lam = eigenvalues.real.copy()
    vec = vectors.real.copy()
    cond = np.linalg.cond(vec)
    well_conditioned = np.isfinite(cond) & (
        cond * MACHINE_EPSILON <= ROUND_OFF_SHARE_OF_RTOL * rtol
    )
    inverse = np.zeros_like(vec)
    usable = finite & real & well_conditioned
    if usable.any():
        inverse[usable] = np.linalg.inv(vec[usable])
        rebuilt = vec @ (lam[:, :, None] * inverse)
        norm = np.maximum(np.abs(safe).max(axis=(1, 2)), 1e-300)
        error = np.abs(rebuilt - safe).max(axis=(1, 2)) / norm
        usable &= error <= ROUND_OFF_SHARE_OF_RTOL * rtol
    return LinearDecomposition(lam, vec, inverse, usable)
