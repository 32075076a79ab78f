"""Genotype covariates: Hardy–Weinberg frequencies, per-copy multipliers, own random stream."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from opioidsim.errors import ConfigError
from opioidsim.model.default import build_model
from opioidsim.population import (
    PopulationSpec,
    sample_covariates,
    sample_genotypes,
    sample_parameters,
)

#: Subjects for the frequency check; a correct sampler is within 5 standard errors with
#: probability > 1 - 1e-6.
N = 20_000
Z_TOLERANCE = 5.0
EFFICACY = "mu_receptor.relative_efficacy[morphine]"
GENOTYPE = {
    "name": "OPRM1_A118G",
    "allele_frequency": 0.3,
    "effects": [{"parameter": EFFICACY, "heterozygous": 0.8, "homozygous": 0.5}],
}


@pytest.fixture(scope="module")
def model():
    return build_model(["morphine"])


def _spec(size=N, **covariates):
    return PopulationSpec.model_validate(
        {"size": size, "seed": 3, "covariates": {"genotypes": [GENOTYPE], **covariates}}
    )


def test_genotype_frequencies_follow_hardy_weinberg():
    copies = sample_genotypes(_spec(), np.arange(N))["OPRM1_A118G"]
    q = 0.3
    for k, expected in enumerate([(1 - q) ** 2, 2 * q * (1 - q), q**2]):
        observed = np.mean(copies == k)
        standard_error = np.sqrt(expected * (1 - expected) / N)
        assert abs(observed - expected) < Z_TOLERANCE * standard_error


def test_each_copy_multiplies_the_typical_value(model):
    spec = _spec(size=200)
    ids = np.arange(200)
    covariates = sample_covariates(spec, ids, species="human", sex="male", body_weight_kg=70.0)
    parameters = sample_parameters(model, model.parameter_values, spec, ids, covariates)
    typical = model.parameter_values[model.parameter_index(EFFICACY)]
    copies = covariates.genotypes["OPRM1_A118G"]
    assert set(np.unique(copies)) == {0, 1, 2}
    expected = typical * np.array([1.0, 0.8, 0.5])[copies]
    assert_allclose(parameters[:, model.parameter_index(EFFICACY)], expected, rtol=1e-15)


def test_adding_a_genotype_changes_no_other_draw(model):
    with_genotype = _spec(size=50, female_fraction=0.5)
    without = PopulationSpec.model_validate(
        {"size": 50, "seed": 3, "covariates": {"female_fraction": 0.5}}
    )
    ids = np.arange(50)
    a = sample_covariates(with_genotype, ids, species="human", sex="male", body_weight_kg=70.0)
    b = sample_covariates(without, ids, species="human", sex="male", body_weight_kg=70.0)
    assert_array_equal(a.sex, b.sex)
    assert "OPRM1_A118G" in a.to_pandas().columns


def test_a_genotype_on_an_unknown_parameter_is_refused(model):
    bad = dict(
        GENOTYPE, effects=[{"parameter": "mu.efficacy", "heterozygous": 1, "homozygous": 1}]
    )
    spec = PopulationSpec.model_validate(
        {"size": 2, "seed": 0, "covariates": {"genotypes": [bad]}}
    )
    with pytest.raises(ConfigError) as error:
        sample_parameters(model, model.parameter_values, spec, [0, 1])
    assert str(error.value).startswith(
        "population.covariates.genotypes[0].effects[0].parameter: got 'mu.efficacy'; not a "
        "parameter of this model"
    )


@pytest.mark.parametrize(
    ("genotype", "message"),
    [
        (
            dict(GENOTYPE, allele_frequency=1.5),
            "population.covariates.genotypes[0].allele_frequency: got 1.5; input should be "
            "less than or equal to 1.",
        ),
        (
            dict(GENOTYPE, effects=[{"parameter": EFFICACY, "heterozygous": 0, "homozygous": 1}]),
            "population.covariates.genotypes[0].effects[0].heterozygous: got 0; input should "
            "be greater than 0.",
        ),
    ],
)
def test_bad_genotypes_get_one_line(genotype, message):
    with pytest.raises(ConfigError) as error:
        PopulationSpec.model_validate(
            {"size": 2, "seed": 0, "covariates": {"genotypes": [genotype]}}
        )
    assert str(error.value) == message


def test_a_genotype_given_twice_is_refused():
    with pytest.raises(ConfigError) as error:
        PopulationSpec.model_validate(
            {"size": 2, "seed": 0, "covariates": {"genotypes": [GENOTYPE, GENOTYPE]}}
        )
    assert str(error.value) == (
        "population.covariates.genotypes[1].name: got 'OPRM1_A118G' again; give each genotype "
        "once."
    )
