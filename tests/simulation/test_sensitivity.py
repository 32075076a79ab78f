"""Global sensitivity (SALib): indices find the parameter that matters; bad input is one line."""

from __future__ import annotations

import numpy as np
import pytest

from opioidsim.errors import ConfigError
from opioidsim.io.config import load_scenario
from opioidsim.simulation.sensitivity import parse_endpoint, run_sensitivity

SCENARIO = {
    "name": "morphine 10 mg IV",
    "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
    "duration": "12 h",
    "output_interval": "15 min",
    "doses": [{"drug": "morphine", "amount": "10 mg", "route": "iv", "time": "0 h"}],
}
#: Plasma morphine 4 h after an IV bolus depends on its clearance (one compartment) and not
#: at all on how fast ACTH is cleared: the indices must say so.
RELEVANT, IRRELEVANT = "morphine.clearance", "hpa_axis.acth_elimination_rate"
ENDPOINT = "morphine.plasma_concentration@4 h"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(SCENARIO)


def test_sobol_total_index_finds_clearance_and_ignores_an_unrelated_parameter(scenario):
    result = run_sensitivity(scenario, [RELEVANT, IRRELEVANT], [ENDPOINT], "sobol", 64, seed=3)
    assert result.runs == 64 * (2 + 2)
    table = result.indices.set_index("parameter")
    assert table.loc[RELEVANT, "ST"] > 0.9
    assert abs(table.loc[IRRELEVANT, "ST"]) < 0.05
    # The default range of a parameter comes from its confidence (x/÷ 1.25, 1.5 or 2).
    low, high = table.loc[RELEVANT, ["low", "high"]]
    assert high / low == pytest.approx({"high": 1.25, "medium": 1.5, "low": 2.0}[
        table.loc[RELEVANT, "range"]] ** 2)  # fmt: skip
    # Every run's endpoint is what a single simulation at its parameters gives.
    from opioidsim.simulation import simulate

    k = 5
    one = simulate(SCENARIO, parameters={RELEVANT: result.samples[k, 0],
                                         IRRELEVANT: result.samples[k, 1]})  # fmt: skip
    at_4_h = np.interp(4.0, one.time, one["morphine.plasma_concentration"])
    assert result.values[k, 0] == pytest.approx(at_4_h, rel=1e-6)


def test_morris_screening_ranks_the_same_way(scenario):
    result = run_sensitivity(
        scenario, [IRRELEVANT, f"{RELEVANT}=60:120"], [ENDPOINT], "morris", 8, seed=1
    )
    table = result.indices.set_index("parameter")
    assert table.loc[RELEVANT, "mu_star"] > 0
    assert table.loc[IRRELEVANT, "mu_star"] < 1e-6 * table.loc[RELEVANT, "mu_star"]
    assert table.loc[RELEVANT, "range"] == "given"
    assert result.samples[:, 1].min() >= 60 and result.samples[:, 1].max() <= 120


@pytest.mark.parametrize(
    "parameters, endpoints, method, samples, message",
    [
        (["morphine.clerance"], [ENDPOINT], "sobol", 64, r"parameter: got 'morphine.clerance'"),
        ([f"{RELEVANT}=5"], [ENDPOINT], "sobol", 64, r"write LOW:HIGH"),
        ([f"{RELEVANT}=9:3"], [ENDPOINT], "sobol", 64, r"need finite LOW < HIGH"),
        ([RELEVANT], ["morphine.plasma_concentration:median"], "sobol", 64, r"valid: max, min"),
        ([RELEVANT], ["morphine.plasma_concentration@99 h"], "sobol", 64, r"0-12 h"),
        ([RELEVANT], ["morphine.plasma_concentration@soon"], "sobol", 64, r"with its unit"),
        ([RELEVANT], ["dopamine@1 h"], "sobol", 64, r"does not have"),
        ([RELEVANT], [ENDPOINT], "sobol", 60, r"power of 2"),
        ([RELEVANT], [ENDPOINT], "fast", 64, r"valid: sobol, morris"),
        ([], [ENDPOINT], "sobol", 64, r"got none"),
        ([RELEVANT, RELEVANT], [ENDPOINT], "sobol", 64, r"named once"),
    ],
)
def test_bad_input_is_one_config_error_line(scenario, parameters, endpoints, method, samples,
                                            message):  # fmt: skip
    with pytest.raises(ConfigError, match=message) as raised:
        run_sensitivity(scenario, parameters, endpoints, method, samples)
    assert len(str(raised.value).splitlines()) == 1


def test_endpoint_forms():
    names = ["a.b"]
    assert parse_endpoint("a.b@2 d", names, 100.0).time_h == 48.0
    window = parse_endpoint("a.b:max>1.5 h", names, 100.0)
    assert (window.statistic, window.time_h) == ("max", 1.5)
    assert parse_endpoint("a.b:mean", names, 100.0).time_h == 0.0
