"""Exact linear PK (issue 18 item 4): the closed linear part solved in closed form.

The option ``SolverOptions(linear_closed_form=True)`` must give what integrating every state
gives: on a model that is all linear PK (analytic solution), on the full opioid model with
boluses, an oral dose and an infusion (the forcing term), and for a subject whose
decomposition is refused (it is then integrated in full).
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from opioidsim.engine import linear_part
from opioidsim.engine.compile import compile_model
from opioidsim.engine.events import BOLUS, RATE, EventTable
from opioidsim.engine.linear_part import decompose
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.model.assemble import assemble
from opioidsim.model.default import build_model

from helpers.toy_modules import ONE_COMPARTMENT

BATCHED = ["rodas4", "rodas5p"]


def closed(backend="rodas5p", **kwargs) -> SolverOptions:
    return SolverOptions(backend=backend, linear_closed_form=True, **kwargs)


def plain(backend="rodas5p", **kwargs) -> SolverOptions:
    return SolverOptions(backend=backend, linear_closed_form=False, **kwargs)


def _difference(a: np.ndarray, b: np.ndarray) -> float:
    scale = np.maximum(np.abs(b).max(axis=2, keepdims=True), 1e-12)
    return float(np.max(np.abs(a - b) / scale))


@pytest.fixture(scope="module")
def heroin_morphine():
    model = build_model(["heroin", "morphine"])
    return model, compile_model(model)


def test_the_closed_linear_part_is_the_pk_and_nothing_downstream(heroin_morphine):
    model, compiled = heroin_morphine
    names = [model.state_names[i] for i in compiled.linear_states]
    assert names, "no closed linear part found"
    assert all(n.startswith(("heroin.", "morphine.")) for n in names)
    assert "heroin.heroin_amount" in names and "morphine.effect_site_concentration" in names
    # Binding reads the effect sites but is nonlinear (competition): it stays integrated.
    assert not any("occupancy" in n for n in names)


@pytest.mark.parametrize("backend", BATCHED)
def test_an_all_linear_model_follows_the_analytic_solution(backend):
    model = assemble([ONE_COMPARTMENT], {})
    compiled = compile_model(model)
    central = model.state_index("drug.central_amount")
    assert compiled.linear_states == (central,)
    rate = 950.0  # nmol/h, from 1 h to 5 h, on top of two boluses
    events = EventTable.from_rows(
        [
            (0, 0.0, BOLUS, central, 1000.0),
            (0, 1.0, RATE, 0, rate),
            (0, 3.3, BOLUS, central, 500.0),
            (0, 5.0, RATE, 0, -rate),
        ]
    )
    t = np.linspace(0, 12, 97)
    v = model.parameter("drug.central_volume")
    cl = model.parameter("drug.clearance")
    k = cl / v
    expected = np.where(t >= 0, 1000 / v * np.exp(-k * t), 0.0)
    expected += np.where(t >= 3.3, 500 / v * np.exp(-k * (t - 3.3)), 0.0)
    on = np.clip(t, 1.0, 5.0) - 1.0  # infusion time so far
    expected += rate / cl * (1 - np.exp(-k * on)) * np.exp(-k * np.maximum(t - 5.0, 0.0))
    result = solve(compiled, model.parameter_values[None], events, t, closed(backend))
    assert_allclose(result["drug.plasma_concentration"], expected, rtol=1e-12)
    # No integrated state: one step per segment between events.
    assert result.statistics["accepted_steps"] < 30


def test_full_model_converges_to_the_fully_integrated_reference(heroin_morphine):
    # Boluses, an oral dose and an infusion (the forcing term) into the PK of a model with
    # binding, adaptation and reward downstream. Integrating every state at rtol 1e-9 and
    # 1e-11 is 3.7e-6 and 2.3e-8 of a series' maximum from the rtol 1e-12 reference
    # (dynorphin induction sets it; it has a threshold, so the error moves irregularly with
    # the tolerance); the closed form measured 7.7e-7 and 2.1e-7 (2.2e-9 at 3e-12). The
    # bounds: 1e-5 and 1e-6. Without the non-autonomous f_t term the 1e-11 run fails for
    # lack of steps.
    model, compiled = heroin_morphine
    heroin = model.state_index("heroin.heroin_amount")
    gut = model.state_index("morphine.gut_amount")
    infusion = next(t.infusion_channel for t in compiled.model.routes[("morphine", "iv")])
    p = np.tile(model.parameter_values, (2, 1))
    p[1, model.parameter_index("heroin.clearance")] *= 0.7
    rows = [(s, 24.0 * d, BOLUS, heroin, 50_000.0) for s in range(2) for d in range(3)]
    rows += [(s, 30.0, BOLUS, gut, 100_000.0) for s in range(2)]
    rows += [(s, 50.0, RATE, infusion, 3_000.0) for s in range(2)]
    rows += [(s, 56.0, RATE, infusion, -3_000.0) for s in range(2)]
    events = EventTable.from_rows(rows)
    t = np.linspace(0, 72, 289)
    reference = solve(compiled, p, events, t, plain(rtol=1e-12, atol=1e-15)).values
    loose = solve(compiled, p, events, t, closed(rtol=1e-9, atol=1e-12))
    tight = solve(compiled, p, events, t, closed(rtol=1e-11, atol=1e-14))
    assert _difference(loose.values, reference) < 1e-5
    assert _difference(tight.values, reference) < 1e-6
    plain_loose = solve(compiled, p, events, t, plain(rtol=1e-9, atol=1e-12))
    # The closed form takes the PK out of the step-size control.
    assert loose.statistics["accepted_steps"] < plain_loose.statistics["accepted_steps"]


def test_a_refused_decomposition_integrates_that_subject_in_full(heroin_morphine, monkeypatch):
    model, compiled = heroin_morphine
    heroin = model.state_index("heroin.heroin_amount")
    events = EventTable.from_rows([(0, 0.0, BOLUS, heroin, 50_000.0)])
    t = np.linspace(0, 12, 25)
    p = model.parameter_values[None]
    expected = solve(compiled, p, events, t, plain())
    monkeypatch.setattr(linear_part, "ROUND_OFF_SHARE_OF_RTOL", 0.0)  # refuse every subject
    refused = solve(compiled, p, events, t, closed())
    assert np.array_equal(refused.values, expected.values)


def test_decompose_refuses_a_defective_or_complex_system_and_rebuilds_a_good_one():
    defective = np.array([[-1.0, 0.0], [1.0, -1.0]])  # a chain with equal rates
    rotation = np.array([[0.0, -1.0], [1.0, 0.0]])  # complex eigenvalues
    good = np.array([[-2.0, 0.0], [2.0, -0.5]])
    result = decompose(np.stack([defective, rotation, good]), rtol=1e-6)
    assert result.usable.tolist() == [False, False, True]
    rebuilt = result.vectors[2] @ np.diag(result.eigenvalues[2]) @ result.inverse[2]
    assert_allclose(rebuilt, good, atol=1e-14)
