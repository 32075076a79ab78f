"""Invalid population specs: one line naming the field, what was given, what is valid."""

from pathlib import Path

import numpy as np
import pytest

from opioidsim.errors import ConfigError
from opioidsim.io.config import load_scenario
from opioidsim.model.default import build_model
from opioidsim.population import (
    PopulationSpec,
    load_population_spec,
    sample_covariates,
    sample_parameters,
)
from opioidsim.simulation import model_for, subject_parameters

GOOD = {"size": 10, "seed": 1}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"variability": [{"parameter": "morphine.clearance", "cv": 0}]},
            "population.variability[0].cv: got 0; input should be greater than 0.",
        ),
        (
            {"variability": [{"parameter": "morphine.clearance", "cv": -0.2}]},
            "population.variability[0].cv: got -0.2; input should be greater than 0.",
        ),
        (
            {"variability": [{"parameter": "morphine.clearance"}]},
            "population.variability[0].cv: got cv=null, sd_log=null; give exactly one "
            "(e.g. cv: 0.3).",
        ),
        (
            {"variability": [{"parameter": "a", "distribution": "normal", "sd_log": 0.2}]},
            "population.variability[0].sd_log: got 'normal' with sd_log; sd_log is for "
            "lognormal only (give cv for a normal).",
        ),
        (
            {"variability": [{"parameter": "a", "distribution": "uniform", "cv": 0.2}]},
            "population.variability[0].distribution: got 'uniform'; input should be "
            "'lognormal' or 'normal'.",
        ),
        (
            {"variability": [{"parameter": "a", "cv": 0.2}, {"parameter": "a", "cv": 0.1}]},
            "population.variability[1].parameter: got 'a' again (first in variability[0]); "
            "give each parameter once.",
        ),
        (
            {
                "variability": [{"parameter": "a", "cv": 0.2}, {"parameter": "b", "cv": 0.2}],
                "correlation": [[1, 0.9], [0.9, 1]],
            },
            None,  # valid
        ),
        (
            {
                "variability": [
                    {"parameter": "a", "cv": 0.2},
                    {"parameter": "b", "cv": 0.2},
                    {"parameter": "c", "cv": 0.2},
                ],
                "correlation": [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]],
            },
            "population.correlation: got a matrix that is not positive definite; the "
            "correlations contradict each other (lower the largest off-diagonal entries).",
        ),
        (
            {"variability": [{"parameter": "a", "cv": 0.2}], "correlation": [[1, 0], [0, 1]]},
            "population.correlation: got a 2x2 matrix; it must be 1x1, one row and column per "
            "variability entry, in their order.",
        ),
        (
            {
                "variability": [{"parameter": "a", "cv": 0.2}, {"parameter": "b", "cv": 0.2}],
                "correlation": [[1, 0.5], [0.4, 1]],
            },
            "population.correlation: got an asymmetric matrix; entry [i][j] must equal entry "
            "[j][i].",
        ),
        ({"size": 0}, "population.size: got 0; input should be greater than or equal to 1."),
        ({"seed": -1}, "population.seed: got -1; input should be greater than or equal to 0."),
        (
            {"covariates": {"female_fraction": 1.5}},
            "population.covariates.female_fraction: got 1.5; input should be less than or "
            "equal to 1.",
        ),
        (
            {"covariates": {"body_weight": {"male": {"typical": 70, "cv": 0.1}}}},
            "population.covariates.body_weight.male.typical: got 70; give a body weight with "
            "a unit, e.g. '70 kg'.",
        ),
        (
            {"covariates": {"body_weight": {"male": {"typical": "70 h", "cv": 0.1}}}},
            "population.covariates.body_weight.male.typical: got '70 h'; a body weight must "
            "be a mass (kg, g).",
        ),
        (
            {
                "covariates": {
                    "body_weight": {"male": {"typical": "70 kg", "cv": 0.1, "min": "80 kg"}}
                }
            },
            "population.covariates.body_weight.male.typical: got typical 70 kg outside min "
            "80 kg to max inf kg; the typical weight must lie between them.",
        ),
        (
            {
                "covariates": {
                    "female_fraction": 0.5,
                    "body_weight": {"male": {"typical": "70 kg", "cv": 0.1}},
                }
            },
            "population.covariates.body_weight: got no female distribution; give one for "
            "every sex the population has (male and female, or set female_fraction to 0 or 1).",
        ),
        ({"sizes": 3}, "population.sizes: got 3; extra inputs are not permitted."),
    ],
)
def test_bad_spec_names_the_field(extra, message):
    data = {**GOOD, **extra}
    if message is None:
        PopulationSpec.model_validate(data)
        return
    with pytest.raises(ConfigError) as info:
        PopulationSpec.model_validate(data)
    assert str(info.value) == message


def test_unknown_parameter_is_refused_with_a_suggestion():
    model = build_model(["morphine"])
    spec = PopulationSpec.model_validate(
        {**GOOD, "variability": [{"parameter": "morphine.clearence", "cv": 0.3}]}
    )
    with pytest.raises(ConfigError) as info:
        sample_parameters(model, model.parameter_values, spec, range(3))
    assert str(info.value) == (
        "population.variability[0].parameter: got 'morphine.clearence'; not a parameter of "
        "this model (see `opioidsim parameters`). Did you mean 'morphine.clearance'?"
    )


def test_a_normal_draw_that_flips_the_sign_is_refused():
    model = build_model(["morphine"])
    spec = PopulationSpec.model_validate(
        {
            "size": 1000,
            "seed": 1,
            "variability": [
                {"parameter": "morphine.clearance", "distribution": "normal", "cv": 1.0}
            ],
        }
    )
    with pytest.raises(ConfigError, match=r"^population\.variability\[0\]: normal with cv 1 "):
        sample_parameters(model, model.parameter_values, spec, np.arange(1000))


def test_spec_files_are_read_and_their_errors_name_the_file(tmp_path):
    good = tmp_path / "population.yaml"
    good.write_text("size: 4\nseed: 2\nvariability:\n  - {parameter: a, cv: 0.2}\n")
    spec = load_population_spec(good)
    assert spec.size == 4 and spec.variability[0].cv == 0.2
    assert load_population_spec(spec.to_dict()) == spec
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as info:
        load_population_spec(missing)
    assert str(info.value) == (
        f"{missing}: got a path that does not exist; give a population YAML file."
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("size: [1\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml, line \d+: got invalid YAML"):
        load_population_spec(bad)
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n")
    with pytest.raises(ConfigError) as info:
        load_population_spec(listed)
    assert str(info.value) == (
        f"{listed}: got list; a population file is a mapping with at least size and seed."
    )


def test_body_weights_round_trip_through_to_dict():
    spec = PopulationSpec.model_validate(
        {
            **GOOD,
            "covariates": {
                "female_fraction": 0,
                "body_weight": {"male": {"typical": "70500 g", "cv": 0.1, "max": "120 kg"}},
            },
        }
    )
    assert spec.covariates.body_weight["male"].typical == 70.5
    assert PopulationSpec.model_validate(spec.to_dict()) == spec


def test_the_example_population_samples_for_its_scenario():
    examples = Path(__file__).resolve().parents[2] / "examples"
    scenario = load_scenario(examples / "morphine_iv.yaml")
    spec = load_population_spec(examples / "populations" / "morphine.yaml")
    model = model_for(scenario)
    ids = np.arange(spec.size)
    cov = sample_covariates(spec, ids, species="human", sex="female", body_weight_kg=65.0)
    sampled = sample_parameters(model, subject_parameters(model, scenario), spec, ids, cov)
    assert sampled.shape == (spec.size, model.n_parameters)
    assert np.all(np.isfinite(sampled)) and np.all(cov.body_weight_kg >= 40.0)
