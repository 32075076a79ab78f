"""ventilation: rest is a steady state; the CO2 response is physiological; apnoea kills.

The equations are integrated here with scipy on ``rates()`` (floats in canonical units,
time in h): the module alone, with the opioid input held constant.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import fsolve

from opioidsim.engine.results import SimulationResult
from opioidsim.engine.status import SolveStatus
from opioidsim.model import ventilation
from opioidsim.model.assemble import assemble
from opioidsim.model.declare import module_from
from opioidsim.simulation.overdose import OverdoseEvent, detect_overdose

#: Derivatives at the stored rest, in state units per hour: the resting values carry 10
#: significant digits, and the fastest store turns over in ~1 s (3600 /h).
REST_ATOL = 1e-3
#: Steady-state ventilatory response to CO2 in healthy adults: 1.28-1.31 L/min/mmHg
#: (14 subjects, 3-7 % inspired CO2; PMC2945253 Fig. 3). Between-subject spread is wide
#: (CV ~50 %), so the model's slope must lie within half to twice that value.
CO2_SLOPE_RANGE = (0.65, 2.6)  # L/min/mmHg
MINUTE_H = 1 / 60


class _Namespace(dict):
    __getattr__ = dict.__getitem__


@pytest.fixture(scope="module")
def setup():
    model = assemble([module_from(ventilation)], {})
    names = [n.split(".", 1)[1] for n in model.state_names]
    params = {
        n.split(".", 1)[1]: v
        for n, v in zip(model.parameter_names, model.parameter_values, strict=True)
    }
    rest = model.initial_states(model.parameter_values)[0]
    return names, params, rest


def _rates(names, params, y, reduction=0.0):
    derivatives, outputs = ventilation.rates(
        _Namespace(zip(names, y, strict=True)),
        _Namespace(params),
        _Namespace(opioid_drive_reduction=reduction),
    )
    return np.array([float(derivatives[n]) for n in names]), {
        k: float(v) for k, v in outputs.items()
    }


def _steady_state(names, params, start):
    free = [i for i, n in enumerate(names) if n != "hypoxaemia_duration"]

    def residual(x):
        y = start.copy()
        y[free] = x
        return _rates(names, params, y)[0][free]

    x, _, converged, message = fsolve(residual, start[free], full_output=True, xtol=1e-12)
    assert converged == 1, message
    y = start.copy()
    y[free] = x
    return y


def test_rest_is_a_steady_state_without_drug(setup):
    names, params, rest = setup
    derivatives, outputs = _rates(names, params, rest)
    assert np.abs(derivatives).max() < REST_ATOL
    assert outputs["ventilation_fraction"] == pytest.approx(1.0, rel=1e-9)
    # Normal awake values: ~6.8 L/min, PaCO2 ~39 mmHg, PaO2 ~93 mmHg, SpO2 ~97 %.
    assert outputs["minute_ventilation"] / 60 == pytest.approx(6.76, abs=0.01)
    assert 35 < outputs["arterial_co2"] < 45
    assert 80 < outputs["arterial_o2"] < 100
    assert 0.95 < outputs["arterial_o2_saturation"] < 0.99


def test_stored_rest_is_the_steady_state_of_the_equations(setup):
    names, params, rest = setup
    solved = _steady_state(names, params, rest)
    np.testing.assert_allclose(solved, rest, rtol=1e-8, atol=1e-9)


def test_rest_is_stable(setup):
    names, params, rest = setup
    free = [i for i, n in enumerate(names) if n != "hypoxaemia_duration"]
    jacobian = np.zeros((len(free), len(free)))
    for k, i in enumerate(free):
        step = 1e-6 * max(abs(rest[i]), 1e-3)
        up, down = rest.copy(), rest.copy()
        up[i] += step
        down[i] -= step
        jacobian[:, k] = (
            _rates(names, params, up)[0][free] - _rates(names, params, down)[0][free]
        ) / (2 * step)
    assert np.linalg.eigvals(jacobian).real.max() < 0


def test_hypercapnic_response_slope_is_physiological(setup):
    names, params, rest = setup
    points = []
    for inspired in (0.0, 0.03 * 713, 0.05 * 713):  # 0, 3, 5 % CO2 (mmHg, BTPS)
        y = _steady_state(names, {**params, "inspired_co2": inspired}, rest)
        _, outputs = _rates(names, {**params, "inspired_co2": inspired}, y)
        points.append((outputs["arterial_co2"], outputs["minute_ventilation"] / 60))
    (co2_0, v_0), _, (co2_5, v_5) = points
    slope = (v_5 - v_0) / (co2_5 - co2_0)
    assert CO2_SLOPE_RANGE[0] < slope < CO2_SLOPE_RANGE[1]


def test_partial_drive_reduction_is_compensated_by_the_chemoreflex(setup):
    # Half the wakefulness drive lost: CO2 rises and the chemoreflex restores most of the
    # ventilation, as the FDA model does; no hypoxaemia.
    names, params, rest = setup
    solution = solve_ivp(
        lambda t, y: _rates(names, params, y, 0.5)[0],
        (0, 30 * MINUTE_H), rest, method="BDF", rtol=1e-8, atol=1e-10,
    )  # fmt: skip
    _, outputs = _rates(names, params, solution.y[:, -1], 0.5)
    assert 0.8 < outputs["ventilation_fraction"] < 1.0
    assert outputs["arterial_co2"] > _rates(names, params, rest)[1]["arterial_co2"] + 1
    assert outputs["arterial_o2_saturation"] > 0.9
    assert outputs["arrest"] == 0


def test_abolished_drives_give_apnoea_hypoxaemia_and_arrest_within_minutes(setup):
    names, params, rest = setup
    times = np.arange(0, 10 * MINUTE_H, 5 / 3600)
    solution = solve_ivp(
        lambda t, y: _rates(names, params, y, 1.0)[0],
        (0, times[-1]), rest, method="BDF", rtol=1e-8, atol=1e-10, t_eval=times,
    )  # fmt: skip
    assert solution.success
    out = [_rates(names, params, y, 1.0)[1] for y in solution.y.T]
    ventilation_fraction = np.array([o["ventilation_fraction"] for o in out])
    spo2 = np.array([o["arterial_o2_saturation"] for o in out])
    arrest = np.array([o["arrest"] for o in out])
    assert ventilation_fraction.max() < 0.05  # apnoea from the start
    assert spo2[-1] < 0.1
    first_below_70 = times[np.argmax(spo2 < 0.7)]
    assert 0.5 * MINUTE_H < first_below_70 < 3 * MINUTE_H
    # Arrest: PaO2 < 15 mmHg for 220 s, so within ~6 minutes of apnoea.
    first_arrest = times[np.argmax(arrest > 0)]
    assert arrest[-1] == 1
    assert 3 * MINUTE_H < first_arrest < 7 * MINUTE_H
    # The overdose detector on this record: 60 s of apnoea come before SpO2 < 70 % (~70 s).
    result = SimulationResult(
        time=times,
        names=["ventilation.ventilation_fraction", "ventilation.arterial_o2_saturation"],
        units=["1", "1"],
        values=np.array([[ventilation_fraction, spo2]]),
        status=[SolveStatus.SUCCESS],
        messages=[""],
        subject_ids=np.array([0]),
    )
    event = detect_overdose(result)
    assert event == OverdoseEvent(pytest.approx(MINUTE_H), "apnoea")
    assert event.time_h < first_below_70


def test_only_a_near_total_drive_reduction_brings_spo2_below_the_overdose_threshold(setup):
    # The closed loop's margin (issue 13, VENT-OD's ceilings): CO2 retention drives the
    # reduced chemoreflexes back up, so 92 % of the drive removed (a tolerant subject's
    # heroin ceiling) never takes SpO2 below 70 %, while 95 % held does within minutes.
    names, params, rest = setup
    times = np.arange(0, 60 * MINUTE_H, 10 / 3600)
    lowest = {}
    for reduction in (0.92, 0.95):
        solution = solve_ivp(
            lambda t, y, r=reduction: _rates(names, params, y, r)[0],
            (0, times[-1]), rest, method="BDF", rtol=1e-8, atol=1e-10, t_eval=times,
        )  # fmt: skip
        assert solution.success
        spo2 = [
            _rates(names, params, y, reduction)[1]["arterial_o2_saturation"] for y in solution.y.T
        ]
        lowest[reduction] = min(spo2)
    assert lowest[0.92] > 0.70
    assert lowest[0.95] < 0.70
