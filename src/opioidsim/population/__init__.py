"""Virtual populations: covariates, between-subject variability, reproducible sampling."""

from opioidsim.population.sampling import (
    SubjectCovariates,
    parameter_indices,
    sample_covariates,
    sample_parameters,
    standard_normals,
)
from opioidsim.population.spec import (
    BodyWeight,
    Covariates,
    PopulationSpec,
    Variability,
    load_population_spec,
)

__all__ = [
    "BodyWeight",
    "Covariates",
    "PopulationSpec",
    "SubjectCovariates",
    "Variability",
    "load_population_spec",
    "parameter_indices",
    "sample_covariates",
    "sample_parameters",
    "standard_normals",
]
