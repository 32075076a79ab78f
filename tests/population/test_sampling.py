"""Sampling virtual subjects: reproducible per subject, with the requested spread."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from opioidsim.model.default import build_model
from opioidsim.population import (
    PopulationSpec,
    sample_covariates,
    sample_parameters,
    standard_normals,
)

#: Subjects drawn for the statistical checks; every tolerance below is a multiple of the
#: standard error at this size.
N = 20_000
#: A correct sampler falls outside 5 standard errors with probability < 1e-6 per check.
Z_TOLERANCE = 5.0

CLEARANCE = "morphine.clearance"
VOLUME = "morphine.central_volume"


@pytest.fixture(scope="module")
def model():
    return build_model(["morphine"])


def _spec(**extra):
    data = {"size": N, "seed": 11}
    data.update(extra)
    return PopulationSpec.model_validate(data)


def test_a_subject_is_the_same_whatever_subjects_are_drawn_with_it(model):
    spec = _spec(
        variability=[{"parameter": CLEARANCE, "cv": 0.3}, {"parameter": VOLUME, "cv": 0.2}],
        correlation=[[1, 0.4], [0.4, 1]],
        covariates={
            "female_fraction": 0.5,
            "body_weight": {
                "male": {"typical": "78 kg", "cv": 0.2, "min": "60 kg"},
                "female": {"typical": "65 kg", "cv": 0.2},
            },
        },
    )
    base = model.parameter_values

    def draw(ids):
        cov = sample_covariates(spec, ids, species="human", sex="male", body_weight_kg=70.0)
        return sample_parameters(model, base, spec, ids, cov), cov

    whole, cov = draw(np.arange(100))
    first, _ = draw(np.arange(37))
    second, _ = draw(np.arange(37, 100))
    assert_array_equal(np.vstack([first, second]), whole)
    backwards, cov_back = draw(np.arange(99, -1, -1))
    assert_array_equal(backwards[::-1], whole)
    assert_array_equal(cov_back.sex[::-1], cov.sex)
    # and the subjects differ from one another
    assert np.unique(whole[:, model.parameter_names.index(CLEARANCE)]).size == 100


def test_another_seed_gives_other_subjects(model):
    a = standard_normals(_spec(variability=[{"parameter": CLEARANCE, "cv": 0.3}]), range(10))
    b = standard_normals(
        PopulationSpec.model_validate(
            {"size": N, "seed": 12, "variability": [{"parameter": CLEARANCE, "cv": 0.3}]}
        ),
        range(10),
    )
    assert not np.any(a == b)


def test_lognormal_cv_is_the_requested_one(model):
    cv = 0.3
    spec = _spec(variability=[{"parameter": CLEARANCE, "cv": cv}])
    j = model.parameter_names.index(CLEARANCE)
    typical = model.parameter_values[j]
    values = sample_parameters(model, model.parameter_values, spec, np.arange(N))[:, j]
    log_sd = np.std(np.log(values / typical), ddof=1)
    sigma = np.sqrt(np.log1p(cv**2))
    # SE of a normal sample's SD is sigma / sqrt(2 (n - 1)); the CV follows from the log SD
    # (cv = sqrt(exp(s^2) - 1)), so its SE is the log SD's times d cv / d s.
    se_log_sd = sigma / np.sqrt(2 * (N - 1))
    assert abs(log_sd - sigma) < Z_TOLERANCE * se_log_sd
    sampled_cv = np.sqrt(np.expm1(log_sd**2))
    se_cv = se_log_sd * sigma * np.exp(sigma**2) / cv
    assert abs(sampled_cv - cv) < Z_TOLERANCE * se_cv
    # the typical value is the median: SE of a normal sample's median is 1.2533 sigma/sqrt(n)
    se_median = 1.2533 * sigma / np.sqrt(N)
    assert abs(np.median(np.log(values / typical))) < Z_TOLERANCE * se_median


def test_sd_log_sets_the_log_scale_spread(model):
    spec = _spec(variability=[{"parameter": CLEARANCE, "sd_log": 0.5}])
    j = model.parameter_names.index(CLEARANCE)
    values = sample_parameters(model, model.parameter_values, spec, np.arange(N))[:, j]
    se = 0.5 / np.sqrt(2 * (N - 1))
    assert abs(np.std(np.log(values), ddof=1) - 0.5) < Z_TOLERANCE * se


def test_normal_cv_is_the_requested_one_and_other_parameters_stay_typical(model):
    cv = 0.1
    spec = _spec(variability=[{"parameter": VOLUME, "distribution": "normal", "cv": cv}])
    j = model.parameter_names.index(VOLUME)
    typical = model.parameter_values[j]
    sampled = sample_parameters(model, model.parameter_values, spec, np.arange(N))
    relative = sampled[:, j] / typical - 1
    se = cv / np.sqrt(2 * (N - 1))  # SE of the sample SD of cv * z
    assert abs(np.std(relative, ddof=1) - cv) < Z_TOLERANCE * se
    assert abs(np.mean(relative)) < Z_TOLERANCE * cv / np.sqrt(N)
    others = np.delete(sampled, j, axis=1)
    assert_array_equal(others, np.tile(np.delete(model.parameter_values, j), (N, 1)))


def test_correlation_between_parameters_is_the_requested_one(model):
    rho = 0.6
    spec = _spec(
        variability=[{"parameter": CLEARANCE, "cv": 0.3}, {"parameter": VOLUME, "cv": 0.2}],
        correlation=[[1, rho], [rho, 1]],
    )
    i, j = (model.parameter_names.index(n) for n in (CLEARANCE, VOLUME))
    sampled = sample_parameters(model, model.parameter_values, spec, np.arange(N))
    r = np.corrcoef(np.log(sampled[:, i]), np.log(sampled[:, j]))[0, 1]
    assert abs(r - rho) < Z_TOLERANCE * (1 - rho**2) / np.sqrt(N)  # SE of Pearson's r


def test_covariates_follow_sex_fraction_and_truncated_weights(model):
    spec = _spec(
        covariates={
            "female_fraction": 0.3,
            "body_weight": {
                "male": {"distribution": "normal", "typical": "80 kg", "cv": 0.2, "max": "90 kg"},
                "female": {"typical": "60000 g", "cv": 0.1, "min": "50 kg"},
            },
        }
    )
    cov = sample_covariates(spec, np.arange(N), species="human", sex="male", body_weight_kg=70)
    female = cov.sex == "female"
    assert abs(female.mean() - 0.3) < Z_TOLERANCE * np.sqrt(0.3 * 0.7 / N)
    assert cov.body_weight_kg[~female].max() <= 90.0
    assert cov.body_weight_kg[female].min() >= 50.0
    # median of the female log-normal is typical (60 kg), truncation at 50 kg is 1.9 SD away
    assert abs(np.median(cov.body_weight_kg[female]) - 60.0) < 1.0
    parameters = sample_parameters(model, model.parameter_values, spec, cov.subject_ids, cov)
    weight = parameters[:, model.parameter_names.index("subject.body_weight")]
    assert_array_equal(weight, cov.body_weight_kg)
    table = cov.to_pandas()
    assert list(table.columns) == ["subject", "species", "sex", "body_weight_kg"]


def test_without_covariates_every_subject_is_the_scenario_subject():
    spec = PopulationSpec.model_validate({"size": 5, "seed": 0})
    cov = sample_covariates(spec, range(5), species="rat", sex="female", body_weight_kg=0.3)
    assert list(cov.sex) == ["female"] * 5
    assert_array_equal(cov.body_weight_kg, np.full(5, 0.3))
