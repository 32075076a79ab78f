"""The population specification: size, seed, covariates and between-subject variability.

A population is given beside a scenario (a YAML file or the same mapping)::

    size: 1000
    seed: 7
    covariates:
      female_fraction: 0.5                 # absent: every subject has the scenario's sex
      body_weight:                         # absent: every subject has the scenario's weight
        male: {distribution: lognormal, typical: 78 kg, cv: 0.15}
        female: {distribution: lognormal, typical: 65 kg, cv: 0.15, min: 40 kg}
      genotypes:                           # optional; biallelic, Hardy-Weinberg
        - name: OPRM1_A118G
          allele_frequency: 0.15           # of the variant (G) allele
          effects:                         # multipliers of the typical value per copies
            - {parameter: "mu_receptor.relative_efficacy[beta_endorphin]",
               heterozygous: 0.9, homozygous: 0.8}
    variability:
      - {parameter: morphine.clearance, distribution: lognormal, cv: 0.3}
      - {parameter: "mu_receptor.dissociation_constant[morphine]", sd_log: 0.2}
      - {parameter: morphine.central_volume, distribution: normal, cv: 0.1}
    correlation:                           # optional; order of ``variability``
      - [1.0, 0.0, 0.5]
      - [0.0, 1.0, 0.0]
      - [0.5, 0.0, 1.0]

Distributions, for a parameter whose scenario (typical) value is ``theta``:

- ``lognormal``: ``theta * exp(sigma * z)``, so ``theta`` is the median; ``sigma`` is
  ``sd_log`` or, from ``cv``, ``sqrt(log(1 + cv**2))`` (the exact CV of a log-normal).
- ``normal``: ``theta * (1 + cv * z)``; a draw that changes the sign of ``theta`` is refused.

Genotype effects multiply the typical value before variability is applied; each subject's
genotypes come from their own random stream, so adding a genotype changes no other draw.

``z`` is standard normal; with ``correlation`` the ``z`` of one subject are correlated
(Cholesky factor of the matrix). ``typical`` is the median of a log-normal body weight and the
mean of a normal one; ``min``/``max`` truncate it (redrawn until inside).

Errors are :class:`~opioidsim.errors.ConfigError`, one line naming the field:
``population.variability[1].cv: got 0; input should be greater than 0.``
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from os import PathLike
from typing import Any, Literal, Self

import numpy as np
import pint
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic import model_validator as _model_validator

from opioidsim.errors import ConfigError
from opioidsim.field_errors import FieldErrors
from opioidsim.safe_yaml import read_yaml_file
from opioidsim.units import ureg

_ERROR_TYPE = "opioidsim_population"
_ROOT = "population"
_QUANTITY = re.compile(
    r"\s*(?P<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*"
    r"(?P<unit>[A-Za-z]+)\s*"
)

#: Most subjects one population may have; beyond it the run belongs to several populations.
MAX_SIZE = 100_000_000


_ERRORS = FieldErrors(_ERROR_TYPE, _ROOT)
_invalid = _ERRORS.invalid
_show = _ERRORS.show


def population_error(exc: ValidationError) -> ConfigError:
    """Convert pydantic's error to a one-line :class:`ConfigError` (first problem only)."""
    return _ERRORS.config_error(exc)


def _kilograms(value: Any) -> float:
    """Read ``"70 kg"`` (or a pint mass) as kg; a bare number is refused (unit unknown)."""
    if isinstance(value, pint.Quantity) and value._REGISTRY is ureg:
        quantity = value
    elif isinstance(value, str) and (match := _QUANTITY.fullmatch(value)):
        try:
            quantity = ureg.Quantity(float(match["number"]), ureg.parse_units(match["unit"]))
        except Exception:  # pint raises several unrelated types on unknown units
            _invalid(f"got {_show(value)}; {match['unit']!r} is not a known unit (use kg or g).")
    else:
        _invalid(f"got {_show(value)}; give a body weight with a unit, e.g. '70 kg'.")
    if not quantity.check("[mass]"):
        _invalid(f"got {_show(value)}; a body weight must be a mass (kg, g).")
    kg = float(quantity.to("kg").magnitude)
    if not (np.isfinite(kg) and kg > 0):
        _invalid(f"got {_show(value)}; a body weight must be > 0 (e.g. '70 kg').")
    return kg


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Variability(_Frozen):
    """Between-subject variability of one model parameter (canonical name, as listed by
    ``opioidsim parameters``)."""

    parameter: str = Field(min_length=1)
    distribution: Literal["lognormal", "normal"] = "lognormal"
    cv: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    sd_log: float | None = Field(default=None, gt=0, allow_inf_nan=False)

    @_model_validator(mode="after")
    def _one_spread(self) -> Self:
        if (self.cv is None) == (self.sd_log is None):
            _invalid(
                f"got cv={_show(self.cv)}, sd_log={_show(self.sd_log)}; give exactly one "
                "(e.g. cv: 0.3).",
                "cv",
            )
        if self.sd_log is not None and self.distribution != "lognormal":
            _invalid(
                f"got {self.distribution!r} with sd_log; sd_log is for lognormal only "
                "(give cv for a normal).",
                "sd_log",
            )
        return self

    @property
    def sigma(self) -> float:
        """Standard deviation of ``z``'s multiplier: log scale (lognormal) or relative."""
        if self.distribution == "lognormal":
            if self.sd_log is not None:
                return self.sd_log
            assert self.cv is not None
            return float(np.sqrt(np.log1p(self.cv**2)))
        assert self.cv is not None
        return self.cv


class BodyWeight(_Frozen):
    """Body weight distribution of one sex, kg after validation."""

    distribution: Literal["lognormal", "normal"] = "lognormal"
    typical: float
    cv: float = Field(gt=0, allow_inf_nan=False)
    min: float | None = None
    max: float | None = None

    @field_validator("typical", "min", "max", mode="before")
    @classmethod
    def _mass(cls, value: Any) -> float | None:
        return None if value is None else _kilograms(value)

    @_model_validator(mode="after")
    def _bounds(self) -> Self:
        low = self.min if self.min is not None else 0.0
        high = self.max if self.max is not None else np.inf
        if not low < self.typical < high:
            _invalid(
                f"got typical {self.typical:g} kg outside min {low:g} kg to max {high:g} kg; "
                "the typical weight must lie between them.",
                "typical",
            )
        return self

    def transform(self, z: float) -> float:
        """Body weight (kg) for a standard normal draw ``z``."""
        if self.distribution == "lognormal":
            return self.typical * float(np.exp(np.sqrt(np.log1p(self.cv**2)) * z))
        return self.typical * (1.0 + self.cv * z)

    def accepts(self, kg: float) -> bool:
        low = self.min if self.min is not None else 0.0
        high = self.max if self.max is not None else np.inf
        return low <= kg <= high and kg > 0


class GenotypeEffect(_Frozen):
    """How one parameter changes with the number of variant alleles: a multiplier of its
    typical value for one copy (``heterozygous``) and two copies (``homozygous``)."""

    parameter: str = Field(min_length=1)
    heterozygous: float = Field(gt=0, allow_inf_nan=False)
    homozygous: float = Field(gt=0, allow_inf_nan=False)


class Genotype(_Frozen):
    """A biallelic variant (e.g. OPRM1 A118G, rs1799971): the variant allele's frequency and
    what each copy does to model parameters.

    Genotypes follow Hardy–Weinberg proportions: (1 - q)², 2q(1 - q), q² for 0, 1, 2 copies
    of the variant allele of frequency ``q``. The effects are given by the spec, not built
    into the model, because published effect sizes are few and uncertain (see
    ``examples/populations/`` for a sourced direction and an assumed magnitude).
    """

    name: str = Field(min_length=1, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    allele_frequency: float = Field(ge=0, le=1, allow_inf_nan=False)
    effects: tuple[GenotypeEffect, ...] = ()

    def probabilities(self) -> tuple[float, float, float]:
        """Hardy–Weinberg probabilities of 0, 1 and 2 variant alleles."""
        q = self.allele_frequency
        return ((1 - q) ** 2, 2 * q * (1 - q), q**2)


class Covariates(_Frozen):
    """Sex, body weight and genotypes of the subjects."""

    female_fraction: float | None = Field(default=None, ge=0, le=1, allow_inf_nan=False)
    body_weight: dict[Literal["male", "female"], BodyWeight] | None = None
    genotypes: tuple[Genotype, ...] = ()

    @_model_validator(mode="after")
    def _unique_genotypes(self) -> Self:
        seen: set[str] = set()
        for k, genotype in enumerate(self.genotypes):
            if genotype.name in seen:
                _invalid(
                    f"got {genotype.name!r} again; give each genotype once.",
                    f"genotypes[{k}].name",
                )
            seen.add(genotype.name)
        return self


class PopulationSpec(_Frozen):
    """A virtual population: its size, seed, covariates and parameter variability.

    Attributes
    ----------
    size : int
        Number of subjects (ids 0 to size - 1).
    seed : int
        Subject ``i`` draws from ``numpy.random.default_rng([seed, i, stream])``: the same
        subject whatever the chunking, worker count or machine.
    variability : tuple of Variability
    correlation : tuple of tuple of float, optional
        Correlation of the ``z`` of ``variability`` (same order); symmetric, unit diagonal,
        positive definite.
    covariates : Covariates, optional
    """

    size: int = Field(ge=1, le=MAX_SIZE, strict=True)
    seed: int = Field(ge=0, strict=True)
    variability: tuple[Variability, ...] = ()
    correlation: tuple[tuple[float, ...], ...] | None = None
    covariates: Covariates = Covariates()

    @_model_validator(mode="after")
    def _consistent(self) -> Self:
        seen: dict[str, int] = {}
        for k, entry in enumerate(self.variability):
            if entry.parameter in seen:
                _invalid(
                    f"got {entry.parameter!r} again (first in variability[{seen[entry.parameter]}]"
                    "); give each parameter once.",
                    f"variability[{k}].parameter",
                )
            seen[entry.parameter] = k
        if self.correlation is not None:
            _check_correlation(np.array(self.correlation, dtype=float), len(self.variability))
        weights = self.covariates.body_weight
        if weights is not None:
            fraction = self.covariates.female_fraction
            needed = ["male", "female"] if fraction is None else []
            if fraction is not None and fraction > 0:
                needed.append("female")
            if fraction is not None and fraction < 1:
                needed.append("male")
            for sex in needed:
                if sex not in weights:
                    _invalid(
                        f"got no {sex} distribution; give one for every sex the population "
                        "has (male and female, or set female_fraction to 0 or 1).",
                        "covariates.body_weight",
                    )
        return self

    def cholesky(self) -> np.ndarray:
        """Lower Cholesky factor of the correlation (identity when none is given)."""
        if self.correlation is None:
            return np.eye(len(self.variability))
        return np.linalg.cholesky(np.array(self.correlation, dtype=float))

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        """Validate a mapping; raise a one-line :class:`ConfigError`."""
        try:
            return super().model_validate(obj, **kwargs)
        except ValidationError as exc:
            raise population_error(exc) from None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (body weights in kg as text) that validates back to this spec."""
        data = self.model_dump(mode="json", exclude_none=True)
        for weight in (data.get("covariates", {}).get("body_weight") or {}).values():
            for key in ("typical", "min", "max"):
                if key in weight:
                    weight[key] = f"{weight[key]!r} kg"
        return data


def _check_correlation(matrix: np.ndarray, n: int) -> None:
    if matrix.shape != (n, n):
        _invalid(
            f"got a {'x'.join(map(str, matrix.shape))} matrix; it must be {n}x{n}, one row "
            "and column per variability entry, in their order.",
            "correlation",
        )
    if not np.all(np.isfinite(matrix)):
        _invalid("got a non-finite entry; entries must be numbers in [-1, 1].", "correlation")
    if not np.allclose(np.diag(matrix), 1.0):
        _invalid(
            "got a diagonal entry other than 1; a correlation matrix has 1 on its diagonal.",
            "correlation",
        )
    if not np.allclose(matrix, matrix.T):
        _invalid("got an asymmetric matrix; entry [i][j] must equal entry [j][i].", "correlation")
    if np.any(np.abs(matrix) > 1):
        _invalid("got an entry outside [-1, 1]; correlations lie in [-1, 1].", "correlation")
    try:
        np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        _invalid(
            "got a matrix that is not positive definite; the correlations contradict each "
            "other (lower the largest off-diagonal entries).",
            "correlation",
        )


def load_population_spec(source: str | PathLike[str] | Mapping[str, Any] | PopulationSpec):
    """Load a :class:`PopulationSpec` from a YAML file, a mapping, or return it as is.

    Raises
    ------
    ConfigError
        Missing or invalid file (naming it), or an invalid spec (naming the field).
    """
    if isinstance(source, PopulationSpec):
        return source
    if isinstance(source, Mapping):
        return PopulationSpec.model_validate(source)
    if not isinstance(source, str | PathLike):
        raise ConfigError(
            f"{_ROOT}: got {_show(source)}; give a path to a YAML file or a mapping."
        )
    where = str(source)
    data = read_yaml_file(source, "a population file", "give a population YAML file")
    if not isinstance(data, Mapping):
        raise ConfigError(
            f"{where}: got {type(data).__name__ if data is not None else 'an empty file'}; a "
            "population file is a mapping with at least size and seed."
        )
    return PopulationSpec.model_validate(data)
