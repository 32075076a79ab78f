"""Draw virtual subjects: covariates and parameter vectors, one random stream per subject.

Subject ``i`` of a population with seed ``s`` draws its covariates from
``numpy.random.default_rng([s, i, 0])``, its parameter deviations from
``default_rng([s, i, 1])`` and its genotypes from ``default_rng([s, i, 2])``. Nothing depends
on which other subjects are drawn with it, so any chunking, worker count or machine gives the
same subjects.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from opioidsim.errors import ConfigError
from opioidsim.model.assemble import AssembledModel
from opioidsim.population.spec import PopulationSpec

COVARIATE_STREAM = 0
PARAMETER_STREAM = 1
GENOTYPE_STREAM = 2
#: Behaviour parameters (``drug_taking.*``) draw from their own stream, so that adding them
#: to a population leaves every model parameter's draw as it was.
BEHAVIOUR_STREAM = 3

#: Draws of a truncated body weight before giving up: a truncation that rejects nearly every
#: draw is a mistake in the spec (min above the bulk of the distribution), not bad luck.
MAX_WEIGHT_DRAWS = 1000

BODY_WEIGHT_PARAMETER = "subject.body_weight"
#: 1 for a female subject, 0 for a male (the covariate ``sex``).
FEMALE_PARAMETER = "subject.female"


@dataclass(frozen=True)
class SubjectCovariates:
    """Covariates of a set of subjects (one entry per subject, in ``subject_ids`` order)."""

    subject_ids: np.ndarray  # int64
    species: str
    sex: np.ndarray  # "male" / "female"
    body_weight_kg: np.ndarray
    #: Copies of the variant allele (0, 1, 2) per genotype name, int64 arrays.
    genotypes: dict[str, np.ndarray] = field(default_factory=dict)

    def to_pandas(self):
        """Table: subject, species, sex, body_weight_kg, then one column per genotype."""
        import pandas as pd

        frame = pd.DataFrame(
            {
                "subject": self.subject_ids.astype(np.int64),
                "species": self.species,
                "sex": self.sex,
                "body_weight_kg": self.body_weight_kg,
            }
        )
        for name, copies in self.genotypes.items():
            frame[name] = copies.astype(np.int64)
        return frame


def _ids(subject_ids: Sequence[int] | np.ndarray, spec: PopulationSpec) -> np.ndarray:
    ids = np.asarray(subject_ids, dtype=np.int64).reshape(-1)
    if ids.size and (ids.min() < 0 or ids.max() >= spec.size):
        raise ConfigError(
            f"subject_ids: got ids from {ids.min()} to {ids.max()}; a population of "
            f"{spec.size} has ids 0 to {spec.size - 1}."
        )
    return ids


def sample_covariates(
    spec: PopulationSpec,
    subject_ids: Sequence[int] | np.ndarray,
    *,
    species: str,
    sex: str,
    body_weight_kg: float,
) -> SubjectCovariates:
    """Sex, body weight and genotypes of the given subjects.

    Parameters
    ----------
    spec
        The population.
    subject_ids
        Which subjects (0 to ``spec.size - 1``).
    species, sex, body_weight_kg
        The scenario's subject: used where the spec gives no distribution.

    Returns
    -------
    SubjectCovariates
    """
    ids = _ids(subject_ids, spec)
    fraction = spec.covariates.female_fraction
    weights = spec.covariates.body_weight
    sexes = np.empty(ids.size, dtype=object)
    kg = np.empty(ids.size)
    for n, i in enumerate(ids):
        rng = np.random.default_rng([spec.seed, int(i), COVARIATE_STREAM])
        # Always draw the sex variate, so adding female_fraction later keeps the weights' draws.
        u = rng.random()
        sexes[n] = sex if fraction is None else ("female" if u < fraction else "male")
        if weights is None:
            kg[n] = body_weight_kg
            continue
        distribution = weights[sexes[n]]
        for _ in range(MAX_WEIGHT_DRAWS):
            value = distribution.transform(float(rng.standard_normal()))
            if distribution.accepts(value):
                kg[n] = value
                break
        else:
            raise ConfigError(
                f"population.covariates.body_weight.{sexes[n]}: no draw in "
                f"{MAX_WEIGHT_DRAWS} fell within min/max; widen min/max or move typical."
            )
    return SubjectCovariates(ids, species, sexes.astype(str), kg, sample_genotypes(spec, ids))


def sample_genotypes(
    spec: PopulationSpec, subject_ids: Sequence[int] | np.ndarray
) -> dict[str, np.ndarray]:
    """Copies of each genotype's variant allele (0, 1 or 2) for the given subjects.

    One uniform draw per genotype, in the spec's order, from the subject's genotype stream,
    compared with the Hardy–Weinberg cumulative probabilities.
    """
    ids = _ids(subject_ids, spec)
    genotypes = spec.covariates.genotypes
    copies = {g.name: np.zeros(ids.size, dtype=np.int64) for g in genotypes}
    if not genotypes:
        return copies
    cumulative = [np.cumsum(g.probabilities()) for g in genotypes]
    for n, i in enumerate(ids):
        u = np.random.default_rng([spec.seed, int(i), GENOTYPE_STREAM]).random(len(genotypes))
        for genotype, edges, draw in zip(genotypes, cumulative, u, strict=True):
            copies[genotype.name][n] = int(np.searchsorted(edges[:2], draw, side="right"))
    return copies


def standard_normals(spec: PopulationSpec, subject_ids: Sequence[int] | np.ndarray) -> np.ndarray:
    """Correlated standard normal deviations, shape (subjects, len(spec.variability))."""
    ids = _ids(subject_ids, spec)
    n = len(spec.variability)
    z = np.empty((ids.size, n))
    for row, i in enumerate(ids):
        z[row] = np.random.default_rng([spec.seed, int(i), PARAMETER_STREAM]).standard_normal(n)
    return z @ spec.cholesky().T


def _parameter_index(model: AssembledModel, name: str, where: str) -> int:
    if name not in model.parameter_names:
        close = difflib.get_close_matches(name, model.parameter_names, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ConfigError(
            f"{where}: got {name!r}; not a parameter of this model (see `opioidsim "
            f"parameters`).{hint}"
        )
    return model.parameter_names.index(name)


def parameter_indices(model: AssembledModel, spec: PopulationSpec) -> list[int]:
    """Index in the model's parameter vector of each ``variability`` entry."""
    return [
        _parameter_index(model, entry.parameter, f"population.variability[{k}].parameter")
        for k, entry in enumerate(spec.variability)
    ]


def genotype_effect_indices(model: AssembledModel, spec: PopulationSpec) -> list[list[int]]:
    """Index in the parameter vector of each genotype's effects (one list per genotype)."""
    return [
        [
            _parameter_index(
                model,
                effect.parameter,
                f"population.covariates.genotypes[{g}].effects[{e}].parameter",
            )
            for e, effect in enumerate(genotype.effects)
        ]
        for g, genotype in enumerate(spec.covariates.genotypes)
    ]


def sample_parameters(
    model: AssembledModel,
    base_vector: np.ndarray,
    spec: PopulationSpec,
    subject_ids: Sequence[int] | np.ndarray,
    covariates: SubjectCovariates | None = None,
) -> np.ndarray:
    """Parameter vectors of the given subjects.

    Parameters
    ----------
    model
        The assembled model (its parameter names).
    base_vector
        Typical values, canonical units, shape (parameters,): the scenario's subject.
    spec
        The population.
    subject_ids
        Which subjects (0 to ``spec.size - 1``).
    covariates
        When given, each subject's body weight (kg) replaces ``subject.body_weight``, its
        sex sets ``subject.female`` (1 female, 0 male), and
        its genotypes multiply the typical values they act on (before variability).

    Returns
    -------
    numpy.ndarray
        Shape (subjects, parameters), canonical units.

    Raises
    ------
    ConfigError
        An unknown parameter name, or a normal draw that changes a parameter's sign.
    """
    ids = _ids(subject_ids, spec)
    base = np.asarray(base_vector, dtype=float)
    if base.shape != (model.n_parameters,):
        raise ConfigError(
            f"base_vector: got shape {base.shape}; expected ({model.n_parameters},), one "
            "value per model parameter."
        )
    indices = parameter_indices(model, spec)
    effect_indices = genotype_effect_indices(model, spec)
    parameters = np.tile(base, (ids.size, 1))
    if covariates is not None and not np.array_equal(covariates.subject_ids, ids):
        raise ConfigError("covariates: drawn for other subjects than subject_ids.")
    if covariates is not None and BODY_WEIGHT_PARAMETER in model.parameter_names:
        parameters[:, model.parameter_names.index(BODY_WEIGHT_PARAMETER)] = (
            covariates.body_weight_kg
        )
    if covariates is not None and FEMALE_PARAMETER in model.parameter_names:
        parameters[:, model.parameter_names.index(FEMALE_PARAMETER)] = (
            covariates.sex == "female"
        ).astype(float)
    if covariates is not None:
        for genotype, columns in zip(spec.covariates.genotypes, effect_indices, strict=True):
            copies = covariates.genotypes[genotype.name]
            for effect, j in zip(genotype.effects, columns, strict=True):
                factor = np.array([1.0, effect.heterozygous, effect.homozygous])[copies]
                parameters[:, j] *= factor
    if not indices:
        return parameters
    z = standard_normals(spec, ids)
    for k, (entry, j) in enumerate(zip(spec.variability, indices, strict=True)):
        typical = parameters[:, j]
        if entry.distribution == "lognormal":
            parameters[:, j] = typical * np.exp(entry.sigma * z[:, k])
        else:
            values = typical * (1.0 + entry.sigma * z[:, k])
            flipped = np.flatnonzero(np.sign(values) != np.sign(typical))
            if flipped.size:
                raise ConfigError(
                    f"population.variability[{k}]: normal with cv {entry.cv:g} gave "
                    f"{entry.parameter} = {values[flipped[0]]:.4g} for subject "
                    f"{ids[flipped[0]]} (typical {typical[flipped[0]]:.4g}); use lognormal "
                    "or a smaller cv."
                )
            parameters[:, j] = values
    return parameters


def sample_behaviour(
    table: dict[str, float],
    spec: PopulationSpec,
    subject_ids: Sequence[int] | np.ndarray,
    prefix: str = "drug_taking.",
) -> dict[str, float | np.ndarray]:
    """A behaviour table with the ``variability`` entries named ``<prefix><name>`` drawn per
    subject (arrays of shape (subjects,)); the other values stay scalars. Each subject draws
    from ``default_rng([seed, id, BEHAVIOUR_STREAM])``, one normal per behaviour entry in
    the order given: the same subject whatever the chunking."""
    ids = _ids(subject_ids, spec)
    entries = [
        (k, entry)
        for k, entry in enumerate(spec.variability)
        if entry.parameter.startswith(prefix)
    ]
    out: dict[str, float | np.ndarray] = dict(table)
    if not entries:
        return out
    z = np.stack(
        [
            np.random.default_rng([spec.seed, int(i), BEHAVIOUR_STREAM]).standard_normal(
                len(entries)
            )
            for i in ids
        ]
    )
    for column, (k, entry) in enumerate(entries):
        name = entry.parameter[len(prefix) :]
        if name not in table:
            close = difflib.get_close_matches(name, list(table), n=1)
            hint = f" Did you mean {prefix + close[0]!r}?" if close else ""
            raise ConfigError(
                f"population.variability[{k}].parameter: got {entry.parameter!r}; not a "
                f"behaviour parameter (known: {', '.join(prefix + n for n in table)}).{hint}"
            )
        typical = float(table[name])
        if entry.distribution == "lognormal":
            out[name] = typical * np.exp(entry.sigma * z[:, column])
        else:
            values = typical * (1.0 + entry.sigma * z[:, column])
            if np.any(np.sign(values) != np.sign(typical)):
                raise ConfigError(
                    f"population.variability[{k}]: normal with cv {entry.cv:g} changed the "
                    f"sign of {entry.parameter} for some subjects; use lognormal or a smaller cv."
                )
            out[name] = values
    return out
