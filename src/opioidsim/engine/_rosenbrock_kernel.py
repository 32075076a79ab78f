"""Template of the compiled Rosenbrock integrator (see :mod:`opioidsim.engine.rosenbrock`).

This file is never imported to run: :func:`opioidsim.engine.rosenbrock.compile_rosenbrock`
pastes its text into one generated module per model, after which come the model's
functions (``rhs``, ``jac``, ``observe``), the model's sparse LU (``lu_factor``,
``lu_solve``), the method's tableau (``GAMMA``, ``A``, ``C``, ``H``, ``ORDER``) and the
closed linear part solved in closed form (``LIN``, ``FREE``, ``N_FREE``; empty when the
build integrates every state, see :mod:`opioidsim.engine.linear_part`); these later
definitions replace the stubs below. numba resolves globals when it compiles, so the
kernel sees the model's functions and the tableau as constants and inlines them. Keeping the
kernel in a real Python file lets ruff check it.

Status codes returned per subject (mapped to ``SolveStatus`` by the backend):
0 success, 1 step failure, 2 max steps, 3 non-finite, 4 out of bounds, 5 not run.
"""

import math

import numba
import numpy as np

# --- stubs, replaced in the generated module -------------------------------------------------
GAMMA = 0.25
ORDER = 4
ERR_EXPONENT = 0.25
A = np.zeros((1, 1))
C = np.zeros((1, 1))
H = np.zeros((1, 1))
#: States solved in closed form, the mask of the integrated ones and their number.
LIN = np.zeros(0, dtype=np.int64)
FREE = np.ones(1, dtype=np.bool_)
N_FREE = 1


def rhs(t, y, p, q, u, dy):  # pragma: no cover - replaced
    raise NotImplementedError


def jac(t, y, p, q, u, J):  # pragma: no cover - replaced
    raise NotImplementedError


def observe(y, p, q, u, out):  # pragma: no cover - replaced
    raise NotImplementedError


def lu_factor(J, d, a):  # pragma: no cover - replaced
    raise NotImplementedError


def lu_solve(a, b):  # pragma: no cover - replaced
    raise NotImplementedError


def stages(  # pragma: no cover - replaced
    h, t_rel, y, f_start, p, q, u, J, lu, k, y_stage, f, y_new, atol, rtol, lin
):
    """One step's stages (unrolled for the tableau); returns the error norm."""
    raise NotImplementedError


def dense(k, kd):  # pragma: no cover - replaced
    """The dense-output vectors K_r = sum_j H_rj k_j."""
    raise NotImplementedError


N_LU = 1
# ---------------------------------------------------------------------------------------------

SUCCESS, STEP_FAILURE, MAX_STEPS, NON_FINITE, OUT_OF_BOUNDS, NOT_RUN = 0, 1, 2, 3, 4, 5
#: Step-size selection of RODAS (Hairer & Wanner 1996, Solving ODEs II, 2nd ed., IV.7 and
#: the code rodas.f): new/old step ratio within [1/6, 5] (WORK(3) = 0.2, WORK(4) = 6),
#: safety factor 0.9 (WORK(5)), predictive controller of Gustafsson (1994, ACM TOMS 20:496).
FAC_MIN_INV = 5.0  # 1 / WORK(3)
FAC_MAX_INV = 1.0 / 6.0  # 1 / WORK(4)
SAFE = 0.9
#: rodas.f: after a rejected first step the step is divided by 10.
FIRST_REJECT = 0.1
#: A step that would end within 1 % of the breakpoint is stretched to end on it (Hairer,
#: Norsett & Wanner's codes, e.g. dopri5.f: "IF ((X+1.01D0*H-XEND)*POSNEG.GT.0.D0) H=XEND-X").
STRETCH = 1.01
#: A step below this multiple of the round-off in t cannot make progress (rodas.f: 10 UROUND).
HMIN_ULPS = 10.0
UROUND = 2.220446049250313e-16
#: A closed-form mode is dropped once it adds less than this share of atol to every state.
LINEAR_NEGLIGIBLE = 1e-6


@numba.njit(cache=True)
def _norm(v, y, atol, rtol):
    """Root-mean-square norm weighted by atol + rtol |y| (Hairer & Wanner, IV.8), over the
    integrated states (those solved in closed form carry no integration error)."""
    total = 0.0
    for i in range(v.shape[0]):
        if FREE[i]:
            w = v[i] / (atol + rtol * abs(y[i]))
            total += w * w
    return math.sqrt(total / N_FREE)


@numba.njit(cache=True)
def _linear_at(tau, lin, target):
    """Write the closed-form linear states at tau h after the last anchor into target.

    ``lin`` is (lam, vec, z0, w, flags, xs, lower, upper) of :func:`integrate_subject`;
    ``flags`` holds the forcing flag, then each mode's time of death: after it, the mode
    adds less than LINEAR_NEGLIGIBLE x atol to every state, and it is skipped (an exp per
    mode per stage is most of the closed form's cost). Round-off of the eigenbasis must not
    take an amount below its bound (a Hill function of a concentration of -1e-18 is NaN),
    so the result is kept within the state's bounds.
    """
    lam, vec, z0, w, flags, xs, lower, upper = lin
    n_lin = LIN.shape[0]
    forcing = flags[0] != 0.0
    for i in range(n_lin):
        xs[i] = 0.0
    for a in range(n_lin):
        if tau > flags[1 + a]:
            continue
        x = lam[a] * tau
        c = math.exp(x) * z0[a]
        if forcing:
            c += w[a] * (math.expm1(x) / lam[a] if lam[a] != 0.0 else tau)
        for i in range(n_lin):
            xs[i] += vec[i, a] * c
    for i in range(n_lin):
        m = LIN[i]
        target[m] = min(max(xs[i], lower[m]), upper[m])


@numba.njit(cache=True)
def _anchor(y, p, q, u, vinv, lin, scratch, f, atol):
    """Start the closed form at the current state and inputs (after events):
    z0 = V^-1 x(t0) and w = V^-1 g(u), g the linear part's derivative at x = 0; and each
    mode's time of death (see :func:`_linear_at`; never for a growing or forced mode)."""
    lam, vec, z0, w, flags = lin[0], lin[1], lin[2], lin[3], lin[4]
    n_lin = LIN.shape[0]
    if n_lin == 0:
        return
    for m in range(y.shape[0]):
        scratch[m] = y[m]
    for i in range(n_lin):
        scratch[LIN[i]] = 0.0
    rhs(0.0, scratch, p, q, u, f)
    flags[0] = 0.0
    for a in range(n_lin):
        acc_z = 0.0
        acc_w = 0.0
        for b in range(n_lin):
            acc_z += vinv[a, b] * y[LIN[b]]
            acc_w += vinv[a, b] * f[LIN[b]]
        z0[a] = acc_z
        w[a] = acc_w
        if acc_w != 0.0:
            flags[0] = 1.0
    for a in range(n_lin):
        size = 0.0
        for i in range(n_lin):
            size = max(size, abs(vec[i, a]))
        size *= abs(z0[a])
        floor = LINEAR_NEGLIGIBLE * atol
        if w[a] != 0.0 or lam[a] >= 0.0:
            flags[1 + a] = math.inf
        elif size <= floor:
            flags[1 + a] = -math.inf
        else:
            flags[1 + a] = math.log(floor / size) / lam[a]


@numba.njit(cache=True)
def _initial_step(t, t_rel, y, f0, f1, y1, p, q, u, atol, rtol, h_max, lin):
    """Starting step of Hairer, Norsett & Wanner (1993, Solving ODEs I, II.4, p. 169)."""
    if LIN.shape[0] == y.shape[0]:
        return h_max  # every state in closed form: nothing to control
    d0 = _norm(y, y, atol, rtol)
    d1 = _norm(f0, y, atol, rtol)
    h0 = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
    h0 = min(h0, h_max)
    for i in range(y.shape[0]):
        y1[i] = y[i] + h0 * f0[i]
    _linear_at(t_rel + h0, lin, y1)
    rhs(t + h0, y1, p, q, u, f1)
    for i in range(y.shape[0]):
        f1[i] = (f1[i] - f0[i]) / h0
    d2 = _norm(f1, y, atol, rtol)
    big = max(d1, d2)
    h1 = max(1e-6, h0 * 1e-3) if big <= 1e-15 else (0.01 / big) ** (1.0 / (ORDER + 1))
    return min(100.0 * h0, h1, h_max)


@numba.njit(cache=True)
def _record(k, tau, y0, y1, kd, h_rows, theta, p, q, u, yt, obs, values, lin):
    """Dense output at theta in [0, 1] of the last step (the closed-form states exactly, at
    tau h after the anchor), then the observables at it."""
    n = y0.shape[0]
    t1 = 1.0 - theta
    for i in range(n):
        acc = 0.0
        for r in range(h_rows - 1, -1, -1):
            acc = kd[r, i] + theta * acc
        yt[i] = t1 * y0[i] + theta * (y1[i] + t1 * acc)
    if h_rows > 0:
        _linear_at(tau, lin, yt)
    observe(yt, p, q, u, obs)
    for m in range(obs.shape[0]):
        values[m, k] = obs[m]


@numba.njit(cache=True)
def _apply(ev_time, ev_kind, ev_target, ev_value, e, t, y, u, upto, cutoff):
    """Apply the events at t (or at and before t); return the next unapplied event."""
    n_ev = ev_time.shape[0]
    while e < n_ev and (ev_time[e] == t or (upto and ev_time[e] <= t)):
        if ev_kind[e] == 0:
            y[ev_target[e]] += ev_value[e]
        else:
            u[ev_target[e]] += ev_value[e]
        e += 1
    # An infusion that stops removes its rate; round-off must not leave a tiny residue.
    for i in range(u.shape[0]):
        if abs(u[i]) < cutoff:
            u[i] = 0.0
    return e


@numba.njit(cache=True)
def integrate_subject(
    p,
    q,
    y,
    u,
    ev_time,
    ev_kind,
    ev_target,
    ev_value,
    t_out,
    rtol,
    atol,
    max_steps,
    lower,
    upper,
    slack,
    values,
    stats,
    lam,
    vec,
    vinv,
):
    """Integrate one subject over all its events and outputs; return (status, t).

    ``y`` and ``u`` hold the start state and inputs on entry and the last state and inputs
    reached on return (the failing state when the status is not 0). ``stats`` receives
    accepted steps, rejected steps, RHS calls, Jacobians and LU factorisations. ``lam``,
    ``vec`` and ``vinv`` are the subject's eigen-decomposition of the closed linear part
    (unused when LIN is empty).
    """
    n = y.shape[0]
    s = A.shape[0]
    h_rows = H.shape[0]
    n_times = t_out.shape[0]
    k_stage = np.empty((s, n))
    kd = np.empty((h_rows, n))
    y_stage = np.empty(n)
    y_new = np.empty(n)
    f = np.empty(n)
    f_start = np.empty(n)
    yt = np.empty(n)
    J = np.zeros((n, n))
    lu = np.empty(N_LU)
    obs = np.empty(values.shape[0])
    accepted = rejected = n_rhs = n_jac = n_lu = 0
    n_lin = LIN.shape[0]
    # The closed form's workspace: modal start z0, modal forcing w, flags (forcing, each
    # mode's time of death), modes.
    z0, w, flags, xs = np.zeros(n_lin), np.zeros(n_lin), np.zeros(1 + n_lin), np.empty(n_lin)
    lin = (lam, vec, z0, w, flags, xs, lower, upper)

    cutoff = 0.0
    for e in range(ev_value.shape[0]):
        cutoff = max(cutoff, abs(ev_value[e]))
    cutoff = 1e-12 * (1.0 + cutoff)

    t_now = t_out[0]
    t_end = t_out[n_times - 1]
    e = _apply(ev_time, ev_kind, ev_target, ev_value, 0, t_now, y, u, True, cutoff)
    # The closed form restarts at every breakpoint (t_now), after its events.
    _anchor(y, p, q, u, vinv, lin, y_stage, f, atol)
    k = 0
    while k < n_times and t_out[k] <= t_now:
        _record(k, 0.0, y, y, kd, 0, 1.0, p, q, u, yt, obs, values, lin)
        k += 1
    status = SUCCESS
    t_fail = t_now
    while t_now < t_end and status == SUCCESS:
        b = ev_time[e] if e < ev_time.shape[0] and ev_time[e] < t_end else t_end
        # --- integrate from t_now to the breakpoint b ---------------------------------------
        t = t_now
        rhs(t, y, p, q, u, f_start)
        n_rhs += 1
        h = _initial_step(
            t, t - t_now, y, f_start, y_stage, y_new, p, q, u, atol, rtol, b - t, lin
        )
        n_rhs += 1
        first = True
        last_rejected = False
        h_acc = 0.0
        err_acc = 1.0
        since_output = 0
        h_min = HMIN_ULPS * UROUND * max(abs(t), abs(b), 1.0)
        while True:
            if since_output >= max_steps:
                status, t_fail = MAX_STEPS, t
                break
            if not h >= h_min:
                # The last rejection's cause names the failure; a NaN step (a non-finite
                # slope at the segment's start) is a non-finite failure.
                status = NON_FINITE if (status == NON_FINITE or h != h) else STEP_FAILURE
                t_fail = t
                break
            if t + STRETCH * h >= b:
                h = b - t
            # A rejected step retries from the same (t, y): its Jacobian is still exact.
            if not last_rejected:
                jac(t, y, p, q, u, J)
                n_jac += 1
            d = 1.0 / (h * GAMMA)
            ok = lu_factor(J, d, lu)
            n_lu += 1
            if not ok:
                h *= 0.5
                rejected += 1
                since_output += 1
                last_rejected = True
                continue
            err = stages(
                h, t - t_now, y, f_start, p, q, u, J, lu, k_stage, y_stage, f, y_new, atol,
                rtol, lin,
            )  # fmt: skip
            n_rhs += s - 1
            since_output += 1
            if not (err <= 1e300):  # NaN or inf: reject hard
                rejected += 1
                last_rejected = True
                h *= 1.0 / FAC_MIN_INV
                status = NON_FINITE
                continue
            status = SUCCESS
            fac = max(FAC_MAX_INV, min(FAC_MIN_INV, err**ERR_EXPONENT / SAFE))
            h_new = h / fac
            if err <= 1.0:
                accepted += 1
                if not first:
                    fac_gus = (h_acc / h) * (err * err / err_acc) ** ERR_EXPONENT / SAFE
                    fac_gus = max(FAC_MAX_INV, min(FAC_MIN_INV, fac_gus))
                    fac = max(fac, fac_gus)
                    h_new = h / fac
                h_acc = h
                err_acc = max(1e-2, err)
                t_next = t + h if t + h < b else b
                # Outputs strictly before the breakpoint fall in this step: dense output.
                if k < n_times and t_out[k] <= t_next and t_out[k] < b:
                    dense(k_stage, kd)
                    while k < n_times and t_out[k] <= t_next and t_out[k] < b:
                        theta = (t_out[k] - t) / h
                        _record(
                            k, t_out[k] - t_now, y, y_new, kd, h_rows, theta, p, q, u, yt,
                            obs, values, lin,
                        )  # fmt: skip
                        since_output = 0
                        k += 1
                for m in range(n):
                    y[m] = y_new[m]
                t = t_next
                first = False
                if last_rejected:
                    h_new = min(h_new, h)
                last_rejected = False
                h = h_new
                if t >= b:
                    break
                rhs(t, y, p, q, u, f_start)
                n_rhs += 1
            else:
                rejected += 1
                last_rejected = True
                h = h * FIRST_REJECT if first else h_new
        if status == SUCCESS:
            for m in range(n):
                if not (lower[m] - slack <= y[m] <= upper[m] + slack):
                    status = OUT_OF_BOUNDS if math.isfinite(y[m]) else NON_FINITE
                    t_fail = b
                    break
        if status != SUCCESS:
            break
        t_now = b
        e = _apply(ev_time, ev_kind, ev_target, ev_value, e, t_now, y, u, False, cutoff)
        _anchor(y, p, q, u, vinv, lin, y_stage, f, atol)
        while k < n_times and t_out[k] <= t_now:
            _record(k, 0.0, y, y, kd, 0, 1.0, p, q, u, yt, obs, values, lin)
            k += 1
    stats[0] += accepted
    stats[1] += rejected
    stats[2] += n_rhs
    stats[3] += n_jac
    stats[4] += n_lu
    return status, t_fail


@numba.njit(cache=True)
def _subject(
    s,
    P,
    Q,
    Y,
    U,
    ev_ptr,
    ev_time,
    ev_kind,
    ev_target,
    ev_value,
    t_out,
    rtol,
    atol,
    max_steps,
    lower,
    upper,
    slack,
    skip,
    values,
    status,
    t_fail,
    stats,
    LAM,
    VEC,
    VINV,
):
    if skip[s]:
        status[s] = NOT_RUN
        return
    a, b = ev_ptr[s], ev_ptr[s + 1]
    code, t = integrate_subject(
        P[s],
        Q[s],
        Y[s],
        U[s],
        ev_time[a:b],
        ev_kind[a:b],
        ev_target[a:b],
        ev_value[a:b],
        t_out,
        rtol,
        atol,
        max_steps,
        lower,
        upper,
        slack,
        values[s],
        stats[s],
        LAM[s],
        VEC[s],
        VINV[s],
    )
    status[s] = code
    t_fail[s] = t


# nogil: callers may run batches on Python threads (e.g. a threaded Dask scheduler).
@numba.njit(cache=True, nogil=True)
def solve_serial(
    P,
    Q,
    Y,
    U,
    ev_ptr,
    ev_time,
    ev_kind,
    ev_target,
    ev_value,
    t_out,
    rtol,
    atol,
    max_steps,
    lower,
    upper,
    slack,
    skip,
    values,
    status,
    t_fail,
    stats,
    LAM,
    VEC,
    VINV,
):
    """All subjects, one after another (one thread)."""
    for s in range(P.shape[0]):
        _subject(
            s,
            P,
            Q,
            Y,
            U,
            ev_ptr,
            ev_time,
            ev_kind,
            ev_target,
            ev_value,
            t_out,
            rtol,
            atol,
            max_steps,
            lower,
            upper,
            slack,
            skip,
            values,
            status,
            t_fail,
            stats,
            LAM,
            VEC,
            VINV,
        )


@numba.njit(cache=True, parallel=True, nogil=True)
def solve_parallel(
    P,
    Q,
    Y,
    U,
    ev_ptr,
    ev_time,
    ev_kind,
    ev_target,
    ev_value,
    t_out,
    rtol,
    atol,
    max_steps,
    lower,
    upper,
    slack,
    skip,
    values,
    status,
    t_fail,
    stats,
    LAM,
    VEC,
    VINV,
):
    """All subjects, spread over numba's threads (each subject on one thread)."""
    for s in numba.prange(P.shape[0]):
        _subject(
            s,
            P,
            Q,
            Y,
            U,
            ev_ptr,
            ev_time,
            ev_kind,
            ev_target,
            ev_value,
            t_out,
            rtol,
            atol,
            max_steps,
            lower,
            upper,
            slack,
            skip,
            values,
            status,
            t_fail,
            stats,
            LAM,
            VEC,
            VINV,
        )
