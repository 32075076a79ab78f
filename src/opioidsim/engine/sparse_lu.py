"""A sparse LU with a fixed pattern, written as straight-line code once per model.

The Rosenbrock backend solves ``(d I - J) x = b`` several times per step, with ``d = 1/(h
gamma)``, a new ``h`` and a new Jacobian ``J`` each step, but always the same sparsity
pattern (the model's analytic Jacobian pattern plus the diagonal). So the symbolic work is
done once, here, in Python:

1. a pivot order chosen greedily by the Markowitz count ``(r - 1)(c - 1)`` of each diagonal
   candidate in the remaining submatrix (Markowitz 1957; Duff, Erisman & Reid, *Direct
   Methods for Sparse Matrices*, 1986, ch. 7), which keeps the fill-in small;
2. the symbolic fill-in of that order;
3. Python source for ``lu_factor`` and ``lu_solve`` with every index a literal, so numba
   compiles it to straight-line loads, multiplies and stores (no index arrays, no loops).

Pivots stay on the diagonal, without numerical pivoting, as in the Kinetic PreProcessor's
Rosenbrock solvers for stiff chemistry (Sandu et al. 1997, Atmos. Environ. 31:3459-3472;
Damian et al. 2002, Comput. Chem. Eng. 26:1567-1579): ``d I - J`` tends to ``d I`` as the
step shrinks, so a zero or non-finite pivot is answered by the integrator with a smaller
step. ``lu_factor`` returns False in that case.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SparseLU:
    """The symbolic factorisation of one pattern and its generated code."""

    n: int
    order: tuple[int, ...]  # pivot order (original state indices)
    positions: tuple[tuple[int, int], ...]  # (row, col) of each stored entry
    n_fill: int  # entries created by elimination
    factor_flops: int  # multiplications, divisions and subtractions in lu_factor
    solve_flops: int  # the same in lu_solve
    source: str  # defines lu_factor(J, d, a) -> bool and lu_solve(a, b)


def analyse(n: int, pattern: list[tuple[int, int]]) -> SparseLU:
    """Pivot order, fill-in and code for ``d I - J`` where J has ``pattern``.

    Parameters
    ----------
    n
        Number of states.
    pattern
        The (row, col) positions of J's structural non-zeros.
    """
    jacobian = set(pattern)
    structure = {(i, i) for i in range(n)} | jacobian
    rows: dict[int, set[int]] = {i: set() for i in range(n)}
    cols: dict[int, set[int]] = {j: set() for j in range(n)}
    for i, j in structure:
        rows[i].add(j)
        cols[j].add(i)
    remaining = set(range(n))
    order: list[int] = []
    fill: set[tuple[int, int]] = set()
    while remaining:
        # Markowitz count on the active submatrix; ties go to the lowest index (determinism).
        k = min(
            remaining,
            key=lambda c: (
                (len(rows[c] & remaining) - 1) * (len(cols[c] & remaining) - 1),
                c,
            ),
        )
        remaining.discard(k)
        order.append(k)
        below = cols[k] & remaining
        right = rows[k] & remaining
        for i in below:
            for j in right:
                if (i, j) not in structure:
                    structure.add((i, j))
                    fill.add((i, j))
                    rows[i].add(j)
                    cols[j].add(i)
    positions = sorted(structure)
    index = {pos: a for a, pos in enumerate(positions)}
    rank = {k: r for r, k in enumerate(order)}

    factor = ["def lu_factor(J, d, a):"]
    for i, j in positions:
        a = index[(i, j)]
        if (i, j) in fill:
            factor.append(f"    a[{a}] = 0.0")
        elif i == j:
            value = f"d - J[{i}, {i}]" if (i, i) in jacobian else "d"
            factor.append(f"    a[{a}] = {value}")
        else:
            factor.append(f"    a[{a}] = -J[{i}, {j}]")
    factor_flops = 0
    forward: list[str] = []
    backward: list[str] = []
    for k in order:
        kk = index[(k, k)]
        # `not (x > 0)` is also true for NaN.
        factor.append(f"    if not (abs(a[{kk}]) > 0.0):")
        factor.append("        return False")
        factor.append(f"    a[{kk}] = 1.0 / a[{kk}]")
        factor_flops += 1
        later = [x for x in order if rank[x] > rank[k]]
        below = [i for i in later if (i, k) in index]
        right = [j for j in later if (k, j) in index]
        for i in below:
            ik = index[(i, k)]
            factor.append(f"    a[{ik}] *= a[{kk}]")
            factor_flops += 1
            forward.append(f"    b[{i}] -= a[{ik}] * b[{k}]")
            for j in right:
                factor.append(f"    a[{index[(i, j)]}] -= a[{ik}] * a[{index[(k, j)]}]")
                factor_flops += 2
    for k in reversed(order):
        for j in sorted(j for j in range(n) if (k, j) in index and rank[j] > rank[k]):
            backward.append(f"    b[{k}] -= a[{index[(k, j)]}] * b[{j}]")
        backward.append(f"    b[{k}] *= a[{index[(k, k)]}]")
    factor.append("    return True")
    solve = ["def lu_solve(a, b):", *forward, *backward]
    solve_flops = 2 * len(forward) + 2 * (len(backward) - n) + n
    source = "\n".join(
        [
            "@numba.njit(cache=True)",
            *factor,
            "",
            "",
            "@numba.njit(cache=True)",
            *solve,
            "",
        ]
    )
    return SparseLU(
        n=n,
        order=tuple(order),
        positions=tuple(positions),
        n_fill=len(fill),
        factor_flops=factor_flops,
        solve_flops=solve_flops,
        source=source,
    )
