"""The analysis a paper would run on a simulated trial, and power by simulation.

Crossover
    ``mixed``: a linear mixed model (statsmodels ``MixedLM``, REML) with a random intercept
    per subject and fixed effects of treatment, period and sequence:
    ``value ~ C(arm, Treatment(control)) + C(period) + C(sequence)``; it uses every measured
    period, so dropouts count with what they gave. ``paired``: a paired t-test of treatment
    minus control over the subjects who finished both periods.
    Effect size: Cohen's d_z (mean paired difference / SD of the differences) with the
    large-sample CI ``d_z ± z * sqrt(1/n + d_z² / (2n))`` (Hedges & Olkin 1985, ch. 5).

Parallel (and dose-ranging)
    ``welch``: Welch's t-test of treatment vs control; one-way ANOVA (OLS F-test) over all
    arms; with numeric arm doses, a linear trend of the endpoint on dose (OLS slope).
    Effect size: Hedges' g with the CI ``g ± z * sqrt((n1 + n2)/(n1 n2) + g²/(2 (n1 + n2)))``.

Power
    The fraction of simulated trials whose primary test has p < alpha, with its Monte-Carlo
    standard error ``sqrt(p (1 - p) / R)`` and Wilson 95 % interval; the sample size for a
    target power is the smallest simulated size that reaches it, and a linear interpolation
    between the two sizes around the target.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from opioidsim.trials.design import TrialSpec

#: Two-sided 95 % normal quantile, for the large-sample effect-size intervals.
Z_95 = float(stats.norm.ppf(0.975))


def _paired(frame: pd.DataFrame, control: str, treatment: str) -> dict[str, Any]:
    wide = frame.pivot_table(index="subject", columns="arm", values="value", aggfunc="first")
    if control not in wide or treatment not in wide:
        return {"n": 0, "p_value": math.nan, "estimate": math.nan}
    diff = (wide[treatment] - wide[control]).dropna().to_numpy()
    n = diff.size
    if n < 2:
        return {"n": int(n), "p_value": math.nan, "estimate": math.nan}
    mean, sd = float(diff.mean()), float(diff.std(ddof=1))
    se = sd / math.sqrt(n)
    t_crit = float(stats.t.ppf(0.975, n - 1))
    p = float(stats.ttest_1samp(diff, 0.0).pvalue) if sd > 0 else (0.0 if mean else 1.0)
    dz = mean / sd if sd > 0 else math.copysign(math.inf, mean) if mean else 0.0
    dz_se = math.sqrt(1 / n + dz**2 / (2 * n)) if math.isfinite(dz) else math.nan
    return {
        "n": int(n),
        "estimate": mean,
        "ci_low": mean - t_crit * se,
        "ci_high": mean + t_crit * se,
        "p_value": p,
        "cohen_dz": dz,
        "cohen_dz_ci_low": dz - Z_95 * dz_se,
        "cohen_dz_ci_high": dz + Z_95 * dz_se,
    }


def _mixed(frame: pd.DataFrame, control: str, treatment: str) -> dict[str, Any]:
    import statsmodels.formula.api as smf

    data = frame[["subject", "arm", "period", "sequence_name", "value"]].copy()
    if data["subject"].nunique() < 3:
        return {"p_value": math.nan, "estimate": math.nan, "error": "fewer than 3 subjects"}
    formula = f"value ~ C(arm, Treatment({control!r})) + C(period)"
    if data["sequence_name"].nunique() > 1:
        formula += " + C(sequence_name)"
    term = f"C(arm, Treatment({control!r}))[T.{treatment}]"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = smf.mixedlm(formula, data, groups=data["subject"]).fit(reml=True)
        except (np.linalg.LinAlgError, ValueError) as error:
            return {"p_value": math.nan, "estimate": math.nan, "error": str(error)}
    ci = fit.conf_int().loc[term]
    result = {
        "estimate": float(fit.params[term]),
        "ci_low": float(ci.iloc[0]),
        "ci_high": float(ci.iloc[1]),
        "p_value": float(fit.pvalues[term]),
        "subject_variance": float(fit.cov_re.iloc[0, 0]),
        "residual_variance": float(fit.scale),
        "converged": bool(fit.converged),
        "warnings": sorted({str(w.message).splitlines()[0] for w in caught})[:3],
        "n_observations": len(data),
    }
    names = list(fit.params.index)
    for name, prefix in (("period", "C(period)"), ("sequence", "C(sequence_name)")):
        rows = [k for k, t in enumerate(names) if t.startswith(prefix)]
        if rows:
            # Wald test that every level of the factor has no effect (fixed effects only).
            matrix = np.zeros((len(rows), len(names)))
            matrix[np.arange(len(rows)), rows] = 1.0
            try:
                test = fit.wald_test(matrix, scalar=True)
            except ValueError:  # a singular covariance of the fixed effects
                continue
            result[f"{name}_p_value"] = float(test.pvalue)
    return result


def _welch(frame: pd.DataFrame, control: str, treatment: str) -> dict[str, Any]:
    a = frame.loc[frame["arm"] == treatment, "value"].to_numpy()
    b = frame.loc[frame["arm"] == control, "value"].to_numpy()
    if a.size < 2 or b.size < 2:
        return {"p_value": math.nan, "estimate": math.nan, "n": [int(a.size), int(b.size)]}
    test = stats.ttest_ind(a, b, equal_var=False)
    diff = float(a.mean() - b.mean())
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1)) if se > 0 else 1.0
    t_crit = float(stats.t.ppf(0.975, dof))
    n1, n2 = a.size, b.size
    pooled = math.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))
    d = diff / pooled if pooled > 0 else math.nan
    g = d * (1 - 3 / (4 * (n1 + n2) - 9))
    g_se = math.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2)))
    return {
        "n": [int(n1), int(n2)],
        "estimate": diff,
        "ci_low": diff - t_crit * se,
        "ci_high": diff + t_crit * se,
        "p_value": float(test.pvalue),
        "hedges_g": g,
        "hedges_g_ci_low": g - Z_95 * g_se,
        "hedges_g_ci_high": g + Z_95 * g_se,
    }


def _anova(frame: pd.DataFrame, spec: TrialSpec) -> dict[str, Any]:
    import statsmodels.formula.api as smf

    out: dict[str, Any] = {}
    if frame["arm"].nunique() > 2:
        fit = smf.ols("value ~ C(arm)", frame).fit()
        out["anova_p_value"] = float(fit.f_pvalue)
    doses = {a.name: a.dose for a in spec.design.arms if a.dose is not None}
    if len(doses) == len(spec.design.arms) and len(set(doses.values())) > 1:
        data = frame.assign(dose=frame["arm"].map(doses))
        fit = smf.ols("value ~ dose", data).fit()
        out["dose_slope"] = float(fit.params["dose"])
        out["dose_slope_p_value"] = float(fit.pvalues["dose"])
    return out


def method_of(spec: TrialSpec) -> str:
    """The primary test: the analysis block's, or mixed (crossover) / welch (parallel)."""
    if spec.analysis.method is not None:
        return spec.analysis.method
    return "mixed" if spec.design.kind == "crossover" else "welch"


def analyse(
    spec: TrialSpec, observed: pd.DataFrame, endpoint: str | None = None, *, full: bool = True
) -> dict[str, Any]:
    """Analyse one trial (one replicate's observed endpoints) for one endpoint.

    ``full=False`` runs only the primary test (what the power loop needs).

    Returns
    -------
    dict
        ``method``, ``p_value`` and ``estimate`` (treatment minus control, endpoint units)
        of the primary test, ``significant``, and every test that applies to the design
        (``mixed``, ``paired``, or ``welch`` and ``between_arms``), each with its numbers.
    """
    name = endpoint or spec.analysis.primary
    frame = observed[observed["endpoint"] == name]
    control, treatment = spec.analysis.control, spec.treatment_arm
    out: dict[str, Any] = {"endpoint": name, "control": control, "treatment": treatment}
    method = method_of(spec)
    if spec.design.kind == "crossover":
        if full or method == "paired":
            out["paired"] = _paired(frame, control, treatment)
        if full or method == "mixed":
            out["mixed"] = _mixed(frame, control, treatment)
    else:
        out["welch"] = _welch(frame, control, treatment)
        if full:
            out["between_arms"] = _anova(frame, spec)
    if method not in out:  # paired or mixed on a parallel design: not applicable
        out[method] = {
            "p_value": math.nan,
            "estimate": math.nan,
            "error": f"{method} needs a crossover",
        }
    primary = out[method]
    out["method"] = method
    out["estimate"] = primary.get("estimate", math.nan)
    out["p_value"] = primary.get("p_value", math.nan)
    out["significant"] = bool(out["p_value"] < spec.analysis.alpha)
    return out


def _wilson(successes: int, n: int) -> tuple[float, float]:
    if n == 0:
        return math.nan, math.nan
    p = successes / n
    centre = (p + Z_95**2 / (2 * n)) / (1 + Z_95**2 / n)
    half = Z_95 * math.sqrt(p * (1 - p) / n + Z_95**2 / (4 * n**2)) / (1 + Z_95**2 / n)
    return centre - half, centre + half


def power_curve(spec: TrialSpec, observed: pd.DataFrame) -> pd.DataFrame:
    """Power at each sample size of ``spec.power`` from every replicate's observations.

    Returns
    -------
    pandas.DataFrame
        sample_size, replicates, significant, power, mc_se, ci_low, ci_high,
        mean_estimate, failed_fits.
    """
    assert spec.power is not None
    primary = observed[observed["endpoint"] == spec.analysis.primary]
    rows = []
    for n in spec.power.sample_sizes:
        sample = primary[primary["enrolment"] < n]
        p_values, estimates = [], []
        for _, replicate in sample.groupby("replicate", sort=True):
            result = analyse(spec, replicate, full=False)
            p_values.append(result["p_value"])
            estimates.append(result["estimate"])
        p = np.asarray(p_values, dtype=float)
        failed = int(np.isnan(p).sum())
        hits = int(np.sum(p < spec.analysis.alpha))
        r = p.size
        power = hits / r
        low, high = _wilson(hits, r)
        rows.append(
            {
                "sample_size": n,
                "replicates": r,
                "significant": hits,
                "power": power,
                "mc_se": math.sqrt(power * (1 - power) / r),
                "ci_low": low,
                "ci_high": high,
                "mean_estimate": float(np.nanmean(estimates)) if r > failed else math.nan,
                "failed_fits": failed,
            }
        )
    return pd.DataFrame(rows)


def sample_size_for(curve: pd.DataFrame, target: float) -> dict[str, Any]:
    """Smallest simulated size from which every larger simulated size reaches ``target``
    power (Monte-Carlo noise can make the curve dip), and a linear interpolation."""
    meets = (curve["power"] >= target).to_numpy()
    # Suffix of sizes that all meet the target.
    ok = np.flip(np.logical_and.accumulate(np.flip(meets)))
    reached = curve[ok]
    if reached.empty:
        return {"target": target, "smallest_simulated": None, "interpolated": None}
    first = int(reached["sample_size"].iloc[0])
    below = curve[(curve["sample_size"] < first)]
    interpolated: float = float(first)
    if not below.empty:
        n0, p0 = float(below["sample_size"].iloc[-1]), float(below["power"].iloc[-1])
        p1 = float(reached["power"].iloc[0])
        interpolated = n0 + (target - p0) * (first - n0) / (p1 - p0)
    return {"target": target, "smallest_simulated": first, "interpolated": interpolated}
