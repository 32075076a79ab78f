"""Virtual populations: covariates, between-subject variability, reproducible sampling."""

from opioidsim.population.sampling import (
    SubjectCovariates,
    genotype_effect_indices,
    parameter_indices,
    sample_covariates,
    sample_genotypes,
    sample_parameters,
    standard_normals,
)
from opioidsim.population.spec import (
    BodyWeight,
    Covariates,
    Genotype,
    GenotypeEffect,
    PopulationSpec,
    Variability,
    load_population_spec,
)

__all__ = [
    "BodyWeight",
    "Covariates",
    "Genotype",
    "GenotypeEffect",
    "PopulationSpec",
    "SubjectCovariates",
    "Variability",
    "genotype_effect_indices",
    "load_population_spec",
    "parameter_indices",
    "sample_covariates",
    "sample_genotypes",
    "sample_parameters",
    "standard_normals",
]
