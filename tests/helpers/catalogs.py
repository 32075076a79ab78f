"""A fixed drug catalog for protocol tests: the model's own catalog grows as drugs land."""

from typing import Any

from opioidsim.model.catalog import DrugInfo, RouteInfo
from opioidsim.units import Q_

# Molar masses of the test catalog, g/mol, and the mass per IU of oxytocin, ug/IU.
MORPHINE_G_PER_MOL = 285.34
HEROIN_G_PER_MOL = 369.4
NALTREXONE_HCL_G_PER_MOL = 377.86
OXYTOCIN_G_PER_MOL = 1007.19
OXYTOCIN_UG_PER_IU = 1.68


def route(name: str, infusion: bool = False, molar_mass: Any = None) -> RouteInfo:
    return RouteInfo(name, f"{name} route", infusion, molar_mass)


CATALOG = {
    "morphine": DrugInfo(
        "morphine",
        "morphine",
        {"iv": route("iv", True), "sc": route("sc"), "oral": route("oral")},
        ("human", "rat", "mouse"),
        Q_(MORPHINE_G_PER_MOL, "g/mol"),
        None,
    ),
    "heroin": DrugInfo(
        "heroin",
        "diacetylmorphine",
        {"iv": route("iv", True), "smoked": route("smoked")},
        ("human", "rat"),
        Q_(HEROIN_G_PER_MOL, "g/mol"),
        None,
    ),
    "naltrexone": DrugInfo(
        "naltrexone",
        "naltrexone HCl",
        {"oral": route("oral"), "im_depot": route("im_depot")},
        ("human",),
        Q_(NALTREXONE_HCL_G_PER_MOL, "g/mol"),
        None,
    ),
    "oxytocin": DrugInfo(
        "oxytocin",
        "oxytocin",
        {"iv": route("iv", True), "intranasal": route("intranasal")},
        ("human",),
        Q_(OXYTOCIN_G_PER_MOL, "g/mol"),
        Q_(OXYTOCIN_UG_PER_IU, "ug/IU"),
    ),
}
