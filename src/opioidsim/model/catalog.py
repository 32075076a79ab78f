"""What can be dosed: drugs, their routes, the species with pharmacokinetics, molar masses;
and the non-drug event kinds (stress episodes...) with the species they exist in.

Built from the modules' declarations, so a scenario can be checked against the model before
anything is assembled. Protocol validation uses this and nothing else of the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import pint


@dataclass(frozen=True)
class RouteInfo:
    name: str
    description: str
    infusion: bool
    molar_mass: pint.Quantity | None = None  # of this route's dose form, if not the drug's


@dataclass(frozen=True)
class DrugInfo:
    name: str
    description: str
    routes: dict[str, RouteInfo]
    species: tuple[str, ...]
    molar_mass: pint.Quantity  # g/mol of the dosed form
    mass_per_international_unit: pint.Quantity | None  # for drugs dosed in IU
    dose_ceiling: pint.Quantity | None = None  # per kg, where not the protocols' 1 g/kg


def drug_catalog() -> dict[str, DrugInfo]:
    """Every dosable drug, keyed by name (``"morphine"``, ``"naltrexone"``...)."""
    from opioidsim.model.default import catalog_from_modules

    return catalog_from_modules()


@dataclass(frozen=True)
class EventInfo:
    name: str
    description: str
    intensity: str  # what an event's intensity means
    species: tuple[str, ...]


def event_catalog() -> dict[str, EventInfo]:
    """Every non-drug event kind of the default model, keyed by name (``"stress"``...)."""
    from opioidsim.model.default import event_catalog_from_modules

    return event_catalog_from_modules()
