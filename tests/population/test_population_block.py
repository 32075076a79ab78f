"""A population: block in the scenario file is the same as a separate population file."""

import pytest
import yaml
from pandas.testing import assert_frame_equal

from opioidsim.errors import ConfigError
from opioidsim.simulation.population import read_population, simulate_population

SCENARIO = {
    "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
    "duration": "2 h",
    "output_interval": "30 min",
    "doses": [{"drug": "morphine", "amount": "5 mg", "route": "iv", "time": "0 h"}],
}
SPEC = {"size": 3, "seed": 2, "variability": [{"parameter": "morphine.clearance", "cv": 0.3}]}
OBSERVABLES = ["morphine.plasma_concentration"]


def test_the_scenarios_population_block_gives_the_same_run_as_a_population_file(tmp_path):
    simulate_population(SCENARIO, SPEC, tmp_path / "file", observables=OBSERVABLES)
    simulate_population(
        {**SCENARIO, "population": SPEC}, None, tmp_path / "block", observables=OBSERVABLES
    )
    assert_frame_equal(read_population(tmp_path / "block"), read_population(tmp_path / "file"))


def test_a_bad_population_block_names_its_field(tmp_path):
    bad = {**SCENARIO, "population": {"size": 0, "seed": 2}}
    with pytest.raises(ConfigError) as error:
        simulate_population(bad, None, tmp_path)
    assert str(error.value) == (
        "scenario.population.size: got 0; input should be greater than or equal to 1."
    )


def test_a_population_block_that_is_not_a_mapping_is_refused(tmp_path):
    with pytest.raises(ConfigError) as error:
        simulate_population({**SCENARIO, "population": [1, 2]}, None, tmp_path)
    assert str(error.value) == (
        "scenario.population: got [1, 2]; a population must be a mapping (e.g. {size: 100, "
        "seed: 1}), as in a population file."
    )


def test_a_population_block_in_a_yaml_file_is_read(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump({**SCENARIO, "population": SPEC}))
    run = simulate_population(path, None, tmp_path / "out", observables=OBSERVABLES)
    assert run.n_subjects == 3


def test_no_population_anywhere_is_refused(tmp_path):
    with pytest.raises(ConfigError) as error:
        simulate_population(SCENARIO, None, tmp_path)
    assert str(error.value).startswith("population: got nothing; give a population file")
