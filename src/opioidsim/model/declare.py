"""The vocabulary of model modules: states, inputs, outputs, parameters and their provenance.

A model module (STYLE.md section 2) declares a :class:`Module` (inputs, states, outputs, each
with a unit and a one-line description), a ``PARAMETERS`` table built from the four
provenance constructors below, and a pure ``rates(state, params, inputs)`` function.

Provenance follows OSP's "value origin":

==============  ==============================================================
``measured``    read in a source (DOI/PMID, species and confidence required)
``derived``     computed by us from sourced numbers (``how`` and every source)
``calibrated``  fitted to a named data set whose role is ``calibration``
``assumed``     a modelling assumption, with the reason
==============  ==============================================================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

Provenance = Literal["measured", "derived", "calibrated", "assumed"]
Confidence = Literal["high", "medium", "low"]
CONFIDENCE_LEVELS: tuple[str, ...] = ("high", "medium", "low")


@dataclass(frozen=True)
class Source:
    """One published source: a citation and at least one of DOI, PMID or URL."""

    key: str
    citation: str
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None

    @property
    def identifier(self) -> str:
        """The best persistent identifier: DOI, else PMID, else URL."""
        if self.doi:
            return f"doi:{self.doi}"
        if self.pmid:
            return f"PMID:{self.pmid}"
        return self.url or ""


@dataclass(frozen=True)
class Parameter:
    """A value with its unit (as the source gives it) and where it comes from."""

    value: float
    unit: str
    provenance: Provenance
    sources: tuple[Source, ...] = ()
    species: str | None = None
    confidence: Confidence = "low"
    locator: str | None = None
    how: str | None = None
    against: str | None = None
    reason: str | None = None
    note: str | None = None
    bounds: tuple[float, float] | None = None

    def describe_origin(self) -> str:
        """A one-line human account of where the value comes from."""
        if self.provenance == "measured":
            where = f", {self.locator}" if self.locator else ""
            return f"measured in {self.sources[0].key}{where} ({self.species})"
        if self.provenance == "derived":
            keys = ", ".join(s.key for s in self.sources)
            return f"derived from {keys}: {self.how}"
        if self.provenance == "calibrated":
            return f"calibrated against {self.against}"
        return f"assumed: {self.reason}"


def measured(
    value: float,
    unit: str,
    source: Source,
    *,
    species: str,
    confidence: Confidence,
    locator: str | None = None,
    note: str | None = None,
    bounds: tuple[float, float] | None = None,
) -> Parameter:
    """A value read in ``source`` (which must carry a DOI or PMID)."""
    return Parameter(
        float(value),
        unit,
        "measured",
        (source,),
        species,
        confidence,
        locator,
        note=note,
        bounds=bounds,
    )


def derived(
    value: float,
    unit: str,
    sources: list[Source] | tuple[Source, ...],
    *,
    how: str,
    species: str | None = None,
    confidence: Confidence = "medium",
    note: str | None = None,
    bounds: tuple[float, float] | None = None,
) -> Parameter:
    """A value we computed from sourced numbers; ``how`` says how."""
    return Parameter(
        float(value),
        unit,
        "derived",
        tuple(sources),
        species,
        confidence,
        how=how,
        note=note,
        bounds=bounds,
    )


def calibrated(
    value: float,
    unit: str,
    *,
    against: str,
    species: str | None = None,
    confidence: Confidence = "medium",
    note: str | None = None,
    bounds: tuple[float, float] | None = None,
) -> Parameter:
    """A value fitted to the data set named ``against`` (its role must be calibration)."""
    return Parameter(
        float(value),
        unit,
        "calibrated",
        (),
        species,
        confidence,
        against=against,
        note=note,
        bounds=bounds,
    )


def assumed(
    value: float,
    unit: str,
    *,
    reason: str,
    confidence: Confidence = "low",
    species: str | None = None,
    note: str | None = None,
    bounds: tuple[float, float] | None = None,
) -> Parameter:
    """A modelling assumption; ``reason`` says why this value."""
    return Parameter(
        float(value),
        unit,
        "assumed",
        (),
        species,
        confidence,
        reason=reason,
        note=note,
        bounds=bounds,
    )


@dataclass(frozen=True)
class Scalar:
    """A scalar state, input or output: one value per subject."""

    unit: str
    description: str
    initial: float | str = 0.0  # a number, or the name of a parameter of the module
    bounds: tuple[float, float] | None = None
    default: float | None = None  # for inputs: value when nothing is wired to it


@dataclass(frozen=True)
class PerLigand:
    """A state, input or output with one value per ligand the module knows."""

    unit: str
    description: str
    # one number for every ligand, or {ligand: number or name of a scalar parameter}
    # (ligands not named start at 0)
    initial: float | Mapping[str, float | str] = 0.0
    bounds: tuple[float, float] | None = None
    default: float | None = None


Output = Scalar
Declaration = Scalar | PerLigand


@dataclass(frozen=True)
class Route:
    """How a dose by one route enters a drug module.

    ``targets`` maps a state (an amount) to the names of the parameters whose product is
    the fraction of the dose that lands there; a name written ``"1-name"`` means one minus
    that parameter (the complement, e.g. the slow-release part of an extended-release
    tablet). ``infusion`` says whether the route may be given as a zero-order infusion.
    ``molar_mass`` names the parameter with the molar mass of this route's dose form when it
    differs from the module's (oral naltrexone is dosed as the HCl salt, the depot as base).
    """

    description: str
    targets: Mapping[str, tuple[str, ...]]
    infusion: bool = False
    molar_mass: str | None = None  # parameter name when this route's dose form differs


@dataclass(frozen=True)
class EventKind:
    """A non-drug event (a stress episode, later social contact or an antibiotic course) and
    the module input it drives, declared beside the module that reacts to it, as a drug's
    routes are declared beside its pharmacokinetics.

    An event of this kind sets ``input`` (a scalar input of the declaring module with default
    0, not connected to any output) to the event's ``intensity`` from its start for its
    duration, then back to 0; overlapping events add. ``intensity`` says what the number
    means (for documentation and error messages); ``species`` lists where the kind exists.
    """

    description: str
    input: str
    intensity: str
    species: tuple[str, ...] = ("human", "rat", "mouse")


@dataclass(frozen=True)
class Ligand:
    """A molecule that binds receptors, as the receptor modules see it."""

    name: str
    description: str
    endogenous: bool = False


@dataclass(frozen=True)
class Module:
    """The declaration of one model module.

    ``ligands`` maps each ligand this module produces to the output holding its unbound brain
    concentration (pharmacokinetic and endogenous-peptide modules). ``routes`` lists dosing
    routes (drug modules). ``molar_mass`` names the parameter giving the molar mass of the dosed
    form; ``mass_per_international_unit`` the one for drugs dosed in IU. ``events`` lists the
    non-drug event kinds that drive one of this module's inputs (:class:`EventKind`).
    ``dose_ceiling`` (a quantity per kg, e.g. ``"10 g/kg"``) replaces the protocols' 1 g/kg
    unit-error guard for a drug dosed in grams (ethanol).
    """

    name: str
    description: str
    inputs: Mapping[str, Declaration] = field(default_factory=dict)
    states: Mapping[str, Declaration] = field(default_factory=dict)
    outputs: Mapping[str, Declaration] = field(default_factory=dict)
    ligands: Mapping[str, str] = field(default_factory=dict)
    routes: Mapping[str, Route] = field(default_factory=dict)
    molar_mass: str | None = None
    mass_per_international_unit: str | None = None
    species: tuple[str, ...] = ("human",)
    events: Mapping[str, EventKind] = field(default_factory=dict)
    dose_ceiling: str | None = None


@dataclass(frozen=True)
class ModelModule:
    """A module ready to assemble: its declaration, parameter tables and rate function.

    ``parameters`` maps species to that species' table (``"any"`` applies to every species).
    """

    declaration: Module
    parameters: Mapping[str, Mapping[str, Parameter | Mapping[str, Parameter]]]
    rates: Callable
    doc: str = ""

    @property
    def name(self) -> str:
        return self.declaration.name


def module_from(python_module: object) -> ModelModule:
    """Build a :class:`ModelModule` from a Python module following the STYLE.md layout.

    The Python module has ``MODULE``, ``PARAMETERS`` (one table, or ``PARAMETERS_BY_SPECIES``
    mapping species to tables) and ``rates``.
    """
    declaration = python_module.MODULE  # type: ignore[attr-defined]
    by_species = getattr(python_module, "PARAMETERS_BY_SPECIES", None)
    if by_species is None:
        by_species = {"any": python_module.PARAMETERS}  # type: ignore[attr-defined]
    return ModelModule(
        declaration=declaration,
        parameters=by_species,
        rates=python_module.rates,  # type: ignore[attr-defined]
        doc=python_module.__doc__ or "",
    )


def values_with_overrides(
    parameters: Mapping[str, Parameter], overrides: Mapping[str, float] | None, where: str
) -> dict[str, float]:
    """A behaviour table: each parameter's value (its table unit), with overrides by name.

    A name that is not a parameter, or a value that is not a finite number, is refused in
    one line naming ``<where>.<name>`` (``where`` is how users address the table, e.g.
    ``behaviour``)."""
    import math

    from opioidsim.errors import ConfigError

    table = {name: record.value for name, record in parameters.items()}
    for name, value in (overrides or {}).items():
        if name not in table:
            raise ConfigError(f"{where}.{name}: not a parameter here; known: {', '.join(table)}.")
        if not math.isfinite(value):
            raise ConfigError(f"{where}.{name}: got {value}; must be a finite number.")
        table[name] = float(value)
    return table
