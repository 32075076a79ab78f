"""Dopamine-driven striatal peptides (issue 14, cocaine's opioid coupling): nothing moves at
rest or below baseline, the acute beta-endorphin release follows D1 activation, and the
induced dynorphin content rises with sustained dopamine and decays as the two-state linear
system's analytic solution says.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from opioidsim.model import striatal_peptides
from opioidsim.model.default import build_model, feedback
from opioidsim.units import Q_

#: Solver tolerance of the reference integration below (rtol 1e-10) with margin.
ANALYTIC_RTOL = 1e-6


def _params() -> SimpleNamespace:
    """The parameter table in canonical units (time in hours)."""
    values = {}
    for name, p in striatal_peptides.PARAMETERS.items():
        quantity = Q_(p.value, p.unit)
        values[name] = quantity.to("1/h").magnitude if p.unit.startswith("1/") else p.value
    return SimpleNamespace(**values)


def _rates(mrna: float, content: float, dopamine: float):
    state = SimpleNamespace(prodynorphin_mrna=mrna, dynorphin_content=content)
    inputs = SimpleNamespace(dopamine_percent_baseline=dopamine)
    return striatal_peptides.rates(state, _params(), inputs)


@pytest.mark.parametrize("dopamine", [100.0, 100.0015, 80.0, 0.0])
def test_at_or_below_baseline_dopamine_nothing_moves_and_no_peptide_is_released(dopamine):
    derivatives, outputs = _rates(1.0, 1.0, dopamine)
    assert derivatives == {"prodynorphin_mrna": 0.0, "dynorphin_content": 0.0}
    assert outputs["beta_endorphin_release"] == 0.0
    assert outputs["dynorphin_induction"] == 0.0


def test_beta_endorphin_release_follows_d1_activation_of_the_dopamine_excess():
    p = _params()
    half = 100 * (1 + p.d1_threshold_excess + p.d1_half_activation_excess)
    releases = [_rates(1.0, 1.0, da)[1]["beta_endorphin_release"] for da in (150, half, 800)]
    assert np.all(np.diff(releases) > 0)
    assert releases[1] == pytest.approx(0.5 * p.d1_beta_endorphin_release)
    # within the threshold above baseline: no release (the rest drift of dopamine is ~1e-5)
    just_below = 100 * (1 + 0.99 * p.d1_threshold_excess)
    assert _rates(1.0, 1.0, just_below)[1]["beta_endorphin_release"] == 0


def _integrate(dopamine, t_end_h: float, start=(1.0, 1.0)):
    def rhs(_t, y):
        derivatives, _ = _rates(y[0], y[1], dopamine)
        return [derivatives["prodynorphin_mrna"], derivatives["dynorphin_content"]]

    solution = solve_ivp(rhs, (0.0, t_end_h), list(start), rtol=1e-10, atol=1e-12)
    return solution.y[:, -1]


def test_sustained_dopamine_induces_mrna_then_peptide_toward_the_d1_target():
    p = _params()
    half = 100 * (1 + p.d1_threshold_excess + p.d1_half_activation_excess)
    target = 1 + p.mrna_induction * 0.5  # half activation
    mrna_day, content_day = _integrate(half, 24.0)
    assert mrna_day - 1 > 0.5 * (target - 1)  # mRNA (t1/2 12 h) mostly there within a day
    assert content_day - 1 < 0.2 * (target - 1)  # the peptide (t1/2 4 d) far behind
    mrna, content = _integrate(half, 60 * 24.0)
    assert mrna == pytest.approx(target, rel=ANALYTIC_RTOL)
    assert content == pytest.approx(target, rel=1e-3)


def test_after_dopamine_returns_to_baseline_the_content_decays_as_the_analytic_solution():
    # mRNA excess m0 e^(-a t); content excess c0 e^(-b t) + m0 b / (b - a) (e^(-a t) - e^(-b t))
    p = _params()
    a, b = p.mrna_turnover_rate, p.peptide_turnover_rate
    m0, c0 = 2.0, 0.5
    for t in (24.0, 4 * 24.0, 12 * 24.0):
        mrna, content = _integrate(100.0, t, start=(1 + m0, 1 + c0))
        expected = c0 * np.exp(-b * t) + m0 * b / (b - a) * (np.exp(-a * t) - np.exp(-b * t))
        assert mrna - 1 == pytest.approx(m0 * np.exp(-a * t), rel=ANALYTIC_RTOL, abs=1e-9)
        assert content - 1 == pytest.approx(expected, rel=ANALYTIC_RTOL)
    # the stated half-life: 4 days for the peptide
    assert np.log(2) / b == pytest.approx(4 * 24.0, rel=1e-3)


def test_the_extra_releases_are_wired_as_feedback_into_the_endogenous_peptides():
    wiring = feedback()
    assert wiring["endogenous_opioids.dopamine_beta_endorphin_release"] == (
        "striatal_peptides.beta_endorphin_release"
    )
    assert wiring["endogenous_opioids.striatal_dynorphin_induction"] == (
        "striatal_peptides.dynorphin_induction"
    )
    model = build_model(["cocaine"], "rat")
    assert "striatal_peptides.dynorphin_content" in model.state_names
