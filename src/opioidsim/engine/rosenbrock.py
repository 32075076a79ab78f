"""Batched Rosenbrock backends (Rodas4, Rodas5P): whole subjects in compiled code.

Method
    Linearly implicit Rosenbrock methods of the RODAS family: stiffly accurate, L-stable,
    one Jacobian and one LU per step, no Newton iteration, an embedded error estimate and a
    dense output. ``rodas4``: Hairer & Wanner (1996), *Solving Ordinary Differential
    Equations II*, 2nd ed., Springer, section IV.7, coefficients of the code rodas.f
    (6 stages, order 4(3), dense output of order 3). ``rodas5p``: Steinebach (2023), "Construction
    of Rosenbrock-Wanner method Rodas5P and numerical benchmarks within the Julia
    Differential Equations package", BIT Numer. Math. 63:27, doi:10.1007/s10543-023-00967-x
    (8 stages, order 5(4), dense output of order 4). The tableaus below are in the form of
    Hairer & Wanner (7.25), as the OrdinaryDiffEq.jl Rosenbrock tableaus print them.

Design (issue 6)
    - Each subject has its own adaptive step and its own error test (never a batch-wide
      norm): the step-size control of rodas.f with Gustafsson's predictive controller.
    - The analytic Jacobian comes from the model (``compile.py``); ``(I/(h gamma) - J)`` is
      factorised by a sparse LU whose pattern, pivot order and fill-in are fixed once per
      model and written as straight-line code (:mod:`opioidsim.engine.sparse_lu`).
    - The whole subject runs in compiled code: every event (exactly at its time), every
      output (dense output between steps), bounds and non-finite checks; no Python per step.
    - Subjects run in parallel on numba threads (``prange``), one subject per thread at a
      time. Measured on 2 cores against 2 worker processes, threads win because the output
      array is written in place instead of pickled back (see benchmarks/bench_engines.py).
    - A failing subject gets its status and message (as with CVODE) and the others finish.

Why numba, not JAX
    numba installs from wheels and compiles scalar per-subject code with data-dependent
    control flow (each subject its own steps, events and rejections) to machine code. JAX
    needs the batch in lock step under ``vmap`` (every lane does the work of the slowest),
    and JAX + diffrax (Kvaerno5, tuned PID) measured 0.04 subjects/s on this model.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np

from opioidsim.engine.compile import CompiledModel, _cache_dir, write_verified
from opioidsim.engine.events import EventTable
from opioidsim.engine.linear_part import decompose, system_matrices
from opioidsim.engine.sparse_lu import SparseLU, analyse
from opioidsim.engine.status import SolveStatus

#: Kernel status codes (see _rosenbrock_kernel.py) to outcomes.
STATUS_CODES = (
    SolveStatus.SUCCESS,
    SolveStatus.STEP_FAILURE,
    SolveStatus.MAX_STEPS,
    SolveStatus.NON_FINITE,
    SolveStatus.OUT_OF_BOUNDS,
    SolveStatus.NOT_RUN,
)
NOT_RUN_CODE = STATUS_CODES.index(SolveStatus.NOT_RUN)
#: Columns of the per-subject statistics the kernel counts.
STAT_NAMES = ("accepted_steps", "rejected_steps", "rhs_calls", "jacobians", "lu_factorisations")


@dataclass(frozen=True)
class Tableau:
    """A Rosenbrock method in the form W k_i = f(y + sum A_ij k_j) + sum (C_ij/h) k_j.

    ``A`` includes the stiffly accurate rows (the last stages' inputs add the previous
    increment, so ``y_new = stage input + k_s`` and ``k_s`` is the error estimate). The dense
    output is ``(1-th) y0 + th (y1 + (1-th)(K_1 + th (K_2 + th K_3)))``, ``K_r = sum_j
    H_rj k_j``.
    """

    name: str
    gamma: float
    order: int  # of the solution; the error estimate has order - 1
    A: tuple[tuple[float, ...], ...]
    C: tuple[tuple[float, ...], ...]
    H: tuple[tuple[float, ...], ...]


def _square(rows: list[list[float]], stiffly_accurate_tail: int) -> tuple[tuple[float, ...], ...]:
    """Lower-triangular rows to a square matrix; add the stiffly accurate tail rows."""
    s = len(rows) + 1 + stiffly_accurate_tail
    out = [[0.0] * s for _ in range(s)]
    for i, row in enumerate(rows, start=1):
        out[i][: len(row)] = row
    for i in range(len(rows) + 1, s):
        out[i] = list(out[i - 1])
        out[i][i - 1] = 1.0
    return tuple(tuple(r) for r in out)


def _lower(rows: list[list[float]]) -> tuple[tuple[float, ...], ...]:
    s = len(rows) + 1
    out = [[0.0] * s for _ in range(s)]
    for i, row in enumerate(rows, start=1):
        out[i][: len(row)] = row
    return tuple(tuple(r) for r in out)


#: Hairer & Wanner (1996), rodas.f METH = 1 (in the transformed form of IV.7 (7.25)); dense
#: output coefficients of rodas.f as given in OrdinaryDiffEq.jl's Rodas4Tableau.
RODAS4 = Tableau(
    name="rodas4",
    gamma=0.25,
    order=4,
    A=_square(
        [
            [1.544],
            [0.9466785280815826, 0.2557011698983284],
            [3.314825187068521, 2.896124015972201, 0.9986419139977817],
            [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950],
        ],
        stiffly_accurate_tail=1,
    ),
    C=_lower(
        [
            [-5.6688],
            [-2.430093356833875, -0.2063599157091915],
            [-0.1073529058151375, -9.594562251023355, -20.47028614809616],
            [7.496443313967647, -10.24680431464352, -33.99990352819905, 11.70890893206160],
            [
                8.083246795921522,
                -7.981132988064893,
                -31.52159432874371,
                16.31930543123136,
                -6.058818238834054,
            ],
        ]
    ),
    H=(
        (
            10.12623508344586,
            -7.487995877610167,
            -34.80091861555747,
            -7.992771707568823,
            1.025137723295662,
        ),
        (
            -0.6762803392801253,
            6.087714651680015,
            16.43084320892478,
            24.76722511418386,
            -6.594389125716872,
        ),
    ),
)

#: Steinebach (2023), Table 1 of the paper / OrdinaryDiffEq.jl's Rodas5PTableau.
RODAS5P = Tableau(
    name="rodas5p",
    gamma=0.21193756319429014,
    order=5,
    A=_square(
        [
            [3.0],
            [2.849394379747939, 0.45842242204463923],
            [-6.954028509809101, 2.489845061869568, -10.358996098473584],
            [2.8029986275628964, 0.5072464736228206, -0.3988312541770524, -0.04721187230404641],
            [
                -7.502846399306121,
                2.561846144803919,
                -11.627539656261098,
                -0.18268767659942256,
                0.030198172008377946,
            ],
        ],
        stiffly_accurate_tail=2,
    ),
    C=_lower(
        [
            [-14.155112264123755],
            [-17.97296035885952, -2.859693295451294],
            [147.12150275711716, -1.41221402718213, 71.68940251302358],
            [165.43517024871676, -0.4592823456491126, 42.90938336958603, -5.961986721573306],
            [
                24.854864614690072,
                -3.0009227002832186,
                47.4931110020768,
                5.5814197821558125,
                -0.6610691825249471,
            ],
            [
                30.91273214028599,
                -3.1208243349937974,
                77.79954646070892,
                34.28646028294783,
                -19.097331116725623,
                -28.087943162872662,
            ],
            [
                37.80277123390563,
                -3.2571969029072276,
                112.26918849496327,
                66.9347231244047,
                -40.06618937091002,
                -54.66780262877968,
                -9.48861652309627,
            ],
        ]
    ),
    H=(
        (
            25.948786856663858,
            -2.5579724845846235,
            10.433815404888879,
            -2.3679251022685204,
            0.524948541321073,
            1.1241088310450404,
            0.4272876194431874,
            -0.17202221070155493,
        ),
        (
            -9.91568850695171,
            -0.9689944594115154,
            3.0438037242978453,
            -24.495224566215796,
            20.176138334709044,
            15.98066361424651,
            -6.789040303419874,
            -6.710236069923372,
        ),
        (
            11.419903575922262,
            2.8879645146136994,
            72.92137995996029,
            80.12511834622643,
            -52.072871366152654,
            -59.78993625266729,
            -0.15582684282751913,
            4.883087185713722,
        ),
    ),
)

TABLEAUS = {t.name: t for t in (RODAS4, RODAS5P)}


@dataclass
class CompiledRosenbrock:
    """The generated integrator of one model and one method."""

    module: ModuleType
    lu: SparseLU
    tableau: Tableau
    source_path: Path
    linear_states: tuple[int, ...] = ()


_KERNEL_TEXT = (Path(__file__).with_name("_rosenbrock_kernel.py")).read_text(encoding="utf-8")
_BUILT: dict[tuple[int, str, bool], CompiledRosenbrock] = {}


def _array(name: str, rows: tuple[tuple[float, ...], ...]) -> str:
    body = ",\n    ".join("[" + ", ".join(repr(float(v)) for v in r) + "]" for r in rows)
    return f"{name} = np.array([\n    {body},\n])"


def stage_times(tableau: Tableau) -> tuple[np.ndarray, np.ndarray]:
    """(alpha_i, gamma_i) of each stage: its time t + alpha_i h and the weight of h f_t in
    it (Hairer & Wanner 1996, IV.7 (7.25); the tableau stores a = alpha Gamma^-1 and
    c = diag(1/gamma) - Gamma^-1, so Gamma = (diag(1/gamma) - c)^-1 and alpha = a Gamma)."""
    a, c = np.array(tableau.A), np.array(tableau.C)
    big_gamma = np.linalg.inv(np.eye(len(a)) / tableau.gamma - c)
    # The inversion leaves round-off (alpha 1 + 1.2e-14, gamma 1e-14 in the stiffly accurate
    # tail); the published values are exact there (alpha 1, gamma 0), and equal stage times
    # must compare equal so that the closed form is evaluated once for them.
    alpha = (a @ big_gamma).sum(axis=1)
    alpha = np.where(np.abs(alpha - np.round(alpha)) < 1e-12, np.round(alpha), alpha)
    gamma = big_gamma.sum(axis=1)
    return alpha, np.where(np.abs(gamma) < 1e-12, 0.0, gamma)


def _stages_source(
    tableau: Tableau, linear: tuple[int, ...] = (), pattern: list[tuple[int, int]] | None = None
) -> str:
    """The stages of one step as straight-line loops with literal coefficients.

    Written out per tableau (zero coefficients dropped) so that each loop over the states
    is a plain vectorisable array expression; a generic loop over a coefficient table cost
    more than the model's right-hand side, Jacobian and LU together.

    With a closed linear part (``linear``), each stage first sets those states to their
    closed form at the stage's time, their own stage increments stay zero, and the
    integrated states get the non-autonomous term gamma_i h f_t, f_t = J[:, linear] x_lin'
    (x_lin' is f_start's linear part, exact at the step's start).
    """
    s = len(tableau.A)
    alpha, gamma_i = stage_times(tableau)
    lin = set(linear)
    coupling = [(i, j) for i, j in (pattern or []) if i not in lin and j in lin]
    lines = [
        "@numba.njit(cache=True)",
        "def stages(h, t_rel, y, f_start, p, q, u, J, lu, k, y_stage, f, y_new, atol, rtol, lin):",
        "    n = y.shape[0]",
        "    inv_h = 1.0 / h",
    ]
    lines += [f"    k{i} = k[{i}]" for i in range(s)]
    if linear:
        # The closed form's modal scratch is free between calls: it keeps the last stage's
        # linear states for a stage at the same time.
        lines.append("    x_previous = lin[5]")
    if coupling:
        lines.append("    ft = y_new")  # scratch until the error norm writes y_new
        lines.append("    for m in range(n):")
        lines.append("        ft[m] = 0.0")
        for i, j in coupling:
            lines.append(f"    ft[{i}] += J[{i}, {j}] * f_start[{j}]")
    zero_linear = [f"    {{v}}[{m}] = 0.0" for m in linear]
    last_alpha = None
    for i in range(s):
        lines.append(f"    # stage {i + 1}")
        ft_term = f" + {float(gamma_i[i])!r} * h * ft[m]" if coupling and gamma_i[i] != 0.0 else ""
        if i == 0:
            lines.append("    for m in range(n):")
            lines.append(f"        k0[m] = f_start[m]{ft_term}")
            lines += [z.format(v="k0") for z in zero_linear]
        else:
            terms = "".join(
                f" + {tableau.A[i][j]!r} * k{j}[m]" for j in range(i) if tableau.A[i][j] != 0.0
            )
            lines.append("    for m in range(n):")
            lines.append(f"        y_stage[m] = y[m]{terms}")
            if linear and alpha[i] == last_alpha:
                # Same time as the previous stage (the stiffly accurate tail): copy.
                lines += [f"    y_stage[{m}] = x_previous[{j}]" for j, m in enumerate(linear)]
            elif linear:
                lines.append(f"    _linear_at(t_rel + {float(alpha[i])!r} * h, lin, y_stage)")
                lines += [f"    x_previous[{j}] = y_stage[{m}]" for j, m in enumerate(linear)]
                last_alpha = alpha[i]
            lines.append("    rhs(0.0, y_stage, p, q, u, f)")
            lines += [z.format(v="f") for z in zero_linear]
            coefficients = [(j, tableau.C[i][j]) for j in range(i) if tableau.C[i][j] != 0.0]
            for j, cij in coefficients:
                lines.append(f"    c{j} = {cij!r} * inv_h")
            terms = "".join(f" + c{j} * k{j}[m]" for j, _ in coefficients)
            lines.append("    for m in range(n):")
            lines.append(f"        k{i}[m] = f[m]{terms}{ft_term}")
        lines.append(f"    lu_solve(lu, k{i})")
    if linear:
        # Stiffly accurate: the last stage is at t + h, so y_new's linear part is exact.
        assert last_alpha is not None and abs(last_alpha - 1.0) < 1e-12, tableau.name
    last = f"k{s - 1}"
    lines += [
        "    err = 0.0",
        "    for m in range(n):",
        f"        y_new[m] = y_stage[m] + {last}[m]",
        f"        w = {last}[m] / (atol + rtol * max(abs(y[m]), abs(y_new[m])))",
        "        err += w * w",
        "    return math.sqrt(err / N_FREE)",
        "",
        "",
        "@numba.njit(cache=True)",
        "def dense(k, kd):",
        "    n = k.shape[1]",
    ]
    for r, row in enumerate(tableau.H):
        terms = " + ".join(f"{v!r} * k[{j}, m]" for j, v in enumerate(row) if v != 0.0)
        lines += ["    for m in range(n):", f"        kd[{r}, m] = {terms}"]
    return "\n".join(lines) + "\n"


def compile_rosenbrock(
    compiled: CompiledModel, tableau: Tableau, closed_form: bool = False
) -> CompiledRosenbrock:
    """Generate (once per model, method and treatment of the linear part) and import the
    compiled integrator. ``closed_form``: the model's closed linear part
    (``compiled.linear_states``) is solved in closed form, the rest integrated."""
    linear = tuple(compiled.linear_states) if closed_form else ()
    key = (id(compiled), tableau.name, bool(linear))
    known = _BUILT.get(key)
    if known is not None:
        return known
    lin = set(linear)
    # The linear states leave the factorised matrix (only their diagonal stays, so that their
    # zero stage increments solve to zero).
    lu_pattern = [(i, j) for i, j in compiled.jacobian_pattern if i == j or not {i, j} & lin]
    lu = analyse(compiled.n_states, lu_pattern)
    model_text = compiled.source_path.read_text(encoding="utf-8")
    free = [i not in lin for i in range(compiled.n_states)]
    text = "\n".join(
        [
            "# Generated by opioidsim.engine.rosenbrock; do not edit.",
            _KERNEL_TEXT,
            "# --- the model -----------------------------------------------------------------",
            model_text,
            "# --- its sparse LU -------------------------------------------------------------",
            f"N_LU = {len(lu.positions)}",
            lu.source,
            "# --- the closed linear part (empty: every state is integrated) -----------------",
            f"LIN = np.array({list(linear)!r}, dtype=np.int64)",
            f"FREE = np.array({free!r}, dtype=np.bool_)",
            # The error norm's divisor; a model that is all closed form has no error (1).
            f"N_FREE = {max(sum(free), 1)}",
            f"# --- the method: {tableau.name} ----------------------------------------------",
            f"GAMMA = {tableau.gamma!r}",
            f"ORDER = {tableau.order}",
            # rodas.f: err**(1/4) for the order-3 estimate of the order-4 method.
            f"ERR_EXPONENT = {1.0 / tableau.order!r}",
            _array("A", tableau.A),
            _array("C", tableau.C),
            _array("H", tableau.H),
            _stages_source(tableau, linear, compiled.jacobian_pattern),
            "",
        ]
    )
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    name = f"opioidsim_rosenbrock_{digest}"
    path = _cache_dir() / f"{name}.py"
    write_verified(path, text)
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    built = CompiledRosenbrock(
        module=module, lu=lu, tableau=tableau, source_path=path, linear_states=linear
    )
    _BUILT[key] = built
    return built


@dataclass
class BatchOutcome:
    """Everything the kernel returns for a batch."""

    values: np.ndarray  # (subjects, observables, times)
    codes: np.ndarray  # kernel status per subject
    t_fail: np.ndarray  # h
    y_last: np.ndarray  # (subjects, states): the last (or failing) state
    u_last: np.ndarray  # (subjects, inputs)
    stats: np.ndarray  # (subjects, len(STAT_NAMES))


def run_batch(
    built: CompiledRosenbrock,
    compiled: CompiledModel,
    parameters: np.ndarray,
    initial_states: np.ndarray,
    events: EventTable,
    output_times: np.ndarray,
    rtol: float,
    atol: float,
    max_steps: int,
    bounds: tuple[np.ndarray, np.ndarray],
    slack: float,
    threads: int,
    skip: np.ndarray,
    progress: Callable[[int, int], None] | None = None,
) -> BatchOutcome:
    """Integrate every subject in compiled code (``threads`` > 1: numba ``prange``)."""
    import numba

    n_subjects = parameters.shape[0]
    order = np.lexsort((events.time, events.subject))
    ev_subject = events.subject[order]
    ev_ptr = np.searchsorted(ev_subject, np.arange(n_subjects + 1)).astype(np.int64)
    ev_time = np.ascontiguousarray(events.time[order], dtype=float)
    ev_kind = np.ascontiguousarray(events.kind[order], dtype=np.int64)
    ev_target = np.ascontiguousarray(events.target[order], dtype=np.int64)
    ev_value = np.ascontiguousarray(events.value[order], dtype=float)
    P = np.ascontiguousarray(parameters, dtype=float)
    Q = np.zeros((n_subjects, max(compiled.n_derived, 1)))
    for s in range(n_subjects):
        compiled.derive(P[s], Q[s])
    Y = np.ascontiguousarray(initial_states, dtype=float).copy()
    U = np.zeros((n_subjects, max(compiled.n_inputs, 1)))
    values = np.full((n_subjects, compiled.n_observables, len(output_times)), np.nan)
    codes = np.full(n_subjects, NOT_RUN_CODE, dtype=np.int64)
    t_fail = np.zeros(n_subjects)
    stats = np.zeros((n_subjects, len(STAT_NAMES)), dtype=np.int64)
    lower, upper = (np.ascontiguousarray(b, dtype=float) for b in bounds)
    t_out = np.ascontiguousarray(output_times, dtype=float)
    skip = np.ascontiguousarray(skip, dtype=np.bool_)

    threads = max(1, min(threads, numba.config.NUMBA_NUM_THREADS, n_subjects))
    if threads > 1:
        numba.set_num_threads(threads)

    # The closed linear part: each subject's eigen-decomposition; a subject whose
    # decomposition is not trustworthy is integrated in full by the plain build.
    linear = list(built.linear_states)
    width = max(len(linear), 1)
    lam = np.zeros((n_subjects, width))
    vec = np.zeros((n_subjects, width, width))
    vinv = np.zeros((n_subjects, width, width))
    groups = [(built, np.ones(n_subjects, dtype=np.bool_))]
    if linear:
        matrices = system_matrices(compiled.jac, linear, compiled.n_states, P, Q, Y, U)
        decomposition = decompose(matrices, rtol)
        closed = decomposition.usable
        lam[closed] = decomposition.eigenvalues[closed]
        vec[closed] = decomposition.vectors[closed]
        vinv[closed] = decomposition.inverse[closed]
        groups = [(built, closed)]
        if (~closed & ~skip).any():
            plain = compile_rosenbrock(compiled, built.tableau, closed_form=False)
            groups.append((plain, ~closed))

    for group, members in groups:
        kernel = group.module.solve_parallel if threads > 1 else group.module.solve_serial
        group_skip = skip | ~members
        group_codes = np.zeros(n_subjects, dtype=np.int64)
        report = progress if len(groups) == 1 else None
        # Chunks only to report progress; each is many subjects per thread.
        chunk = n_subjects if report is None else max(threads * 8, -(-n_subjects // 20))
        for start in range(0, n_subjects, chunk):
            sl = slice(start, min(start + chunk, n_subjects))
            # Event pointers are relative to the chunk's first event.
            ptr = ev_ptr[sl.start : sl.stop + 1]
            a, b = ptr[0], ptr[-1]
            kernel(
                P[sl],
                Q[sl],
                Y[sl],
                U[sl],
                ptr - a,
                ev_time[a:b],
                ev_kind[a:b],
                ev_target[a:b],
                ev_value[a:b],
                t_out,
                float(rtol),
                float(atol),
                int(max_steps),
                lower,
                upper,
                float(slack),
                group_skip[sl],
                values[sl],
                group_codes[sl],
                t_fail[sl],
                stats[sl],
                lam[sl],
                vec[sl],
                vinv[sl],
            )
            if report:
                report(sl.stop, n_subjects)
        codes[members] = group_codes[members]
    if progress and len(groups) > 1:
        progress(n_subjects, n_subjects)
    return BatchOutcome(values, codes, t_fail, Y, U, stats)
