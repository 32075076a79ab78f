"""``simulate``: the same scenario in every form gives the same run; overrides and baseline."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from opioidsim.engine.solve import SolverOptions
from opioidsim.errors import ConfigError
from opioidsim.io.config import load_scenario
from opioidsim.simulation import simulate

SUBJECT = {"species": "human", "sex": "male", "body_weight": "70 kg"}
SCENARIO = {
    "name": "naltrexone 50 mg",
    "subject": SUBJECT,
    "duration": "24 h",
    "output_interval": "30 min",
    "seed": 11,
    "doses": [{"drug": "naltrexone", "amount": "50 mg", "route": "oral", "time": "0 h"}],
}
BASELINE = {**SCENARIO, "name": "baseline", "duration": "2 d", "doses": []}
PLASMA = "naltrexone.plasma_concentration"
ENDOGENOUS_OCCUPANCIES = (
    "mu_receptor.occupancy[beta_endorphin]",
    "mu_receptor.occupancy[dynorphin]",
    "kappa_receptor.occupancy[dynorphin]",
)
# The receptors start empty and reach their endogenous steady state within the first hour
# (relaxation rate ~18/h: 1e-4 off at 30 min, 1e-8 at 1 h). The solver runs at rtol 1e-11,
# so a 1e-9 relative spread after that is two orders of magnitude above integration error.
TIGHT = SolverOptions(rtol=1e-11, atol=1e-16)
EQUILIBRATION_H = 1.0
BASELINE_RTOL = 1e-9


@pytest.fixture(scope="module")
def from_dict():
    return simulate(SCENARIO)


def test_a_dict_a_yaml_path_and_a_scenario_give_the_same_result(from_dict, tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(SCENARIO))
    from_path = simulate(path)
    from_str = simulate(str(path))
    from_scenario = simulate(load_scenario(SCENARIO))
    for other in (from_path, from_str, from_scenario):
        assert other.names == from_dict.names
        assert other.units == from_dict.units
        np.testing.assert_array_equal(other.time, from_dict.time)
        np.testing.assert_array_equal(other.values, from_dict.values)
        assert other.metadata["scenario"] == from_dict.metadata["scenario"]


def test_overriding_naltrexone_clearance_changes_its_plasma_concentration(from_dict):
    clearance = from_dict.metadata["parameters"]["naltrexone.clearance"]
    faster = simulate(SCENARIO, parameters={"naltrexone.clearance": 2 * clearance})
    assert faster.metadata["parameters"]["naltrexone.clearance"] == 2 * clearance
    # Faster clearance: less drug in plasma at every time after absorption has started.
    late = from_dict.time >= 2.0
    assert np.all(faster[PLASMA][late] < from_dict[PLASMA][late])


def test_an_unknown_parameter_override_is_a_config_error_naming_it():
    with pytest.raises(ConfigError) as info:
        simulate(SCENARIO, parameters={"naltrexone.no_such_rate": 1.0})
    assert str(info.value).startswith("parameters.naltrexone.no_such_rate: ")


def test_a_non_finite_parameter_override_is_a_config_error():
    with pytest.raises(ConfigError) as info:
        simulate(SCENARIO, parameters={"naltrexone.clearance": float("nan")})
    assert str(info.value).startswith("parameters.naltrexone.clearance: ")


def test_to_pandas_gives_the_tidy_columns_and_one_row_per_time_and_observable(from_dict):
    frame = from_dict.to_pandas()
    assert list(frame.columns) == ["subject", "time_h", "observable", "value", "unit"]
    assert len(frame) == len(from_dict.names) * len(from_dict.time) * from_dict.n_subjects


def test_metadata_holds_the_seed_and_the_model_version(from_dict):
    assert from_dict.metadata["seed"] == SCENARIO["seed"]
    assert from_dict.metadata["model_version"]
    assert set(from_dict.metadata["parameters"]) >= {"naltrexone.clearance"}


@pytest.fixture(scope="module")
def baseline():
    return simulate(BASELINE, options=TIGHT)


def test_a_scenario_without_doses_runs_with_no_drug_occupancy(baseline):
    assert baseline.succeeded.all()
    for receptor in ("mu_receptor", "kappa_receptor"):
        np.testing.assert_array_equal(baseline[f"{receptor}.drug_occupancy"], 0.0)


@pytest.mark.parametrize("name", ENDOGENOUS_OCCUPANCIES)
def test_baseline_endogenous_occupancy_stays_at_steady_state_after_the_first_hour(baseline, name):
    series = baseline[name][baseline.time > EQUILIBRATION_H]
    assert series[-1] > 0
    spread = (series.max() - series.min()) / series[-1]
    assert spread <= BASELINE_RTOL, f"{name} drifts by {spread:.2g} relative"
