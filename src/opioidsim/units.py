"""The one pint registry of opioidsim and the canonical model units.

Values keep the unit their source gives and are converted once, at assembly, to the canonical
units below (time h, concentration nM, amount nmol, volume L, mass kg). Mass <-> substance
goes through pint's ``chemistry`` context with the ligand's molar mass, never a typed factor.
The engine sees floats only.
"""

from __future__ import annotations

import contextlib

import pint

from opioidsim.user_cache import private_cache_dir


def make_registry() -> pint.UnitRegistry:
    """The unit registry, with pint's cache of parsed definitions (0.17 -> 0.04 s per
    process) in the private cache directory when there is one. A cache that cannot be read
    (truncated by a full disk or a killed process) is emptied and the registry built from
    pint's own definitions: a cache must never stop the package from loading."""
    try:
        folder = private_cache_dir("pint")
    except Exception:  # no usable cache directory: build without one
        folder = None
    if folder is not None:
        try:
            return pint.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=folder)
        except Exception:  # any failure of the cache falls back to no cache
            with contextlib.suppress(OSError):
                for entry in folder.iterdir():
                    if entry.is_file() and not entry.name.startswith("."):
                        entry.unlink(missing_ok=True)
    return pint.UnitRegistry(autoconvert_offset_to_baseunit=True)


ureg = make_registry()
# International units of biological activity (oxytocin) are their own dimension: converting
# IU to a mass needs the drug's declared mass per IU, never a global factor.
ureg.define("international_unit = [biological_activity] = IU")
# Gas tensions (partial pressures of O2 and CO2 in gas, blood and tissue) are their own
# dimension, in mmHg as respiratory physiology gives them: a mechanical pressure in the
# canonical base units would be kg/(dm h^2), ~1.7e8 per mmHg.
ureg.define("gas_millimeter_Hg = [gas_tension] = mmHg_gas")
ureg.define("gas_kilopascal = 7.500617 * gas_millimeter_Hg = kPa_gas")
Q_ = ureg.Quantity

#: Canonical unit for each base dimension. ``L`` is ``dm**3``, so nmol/dm**3 is nM.
CANONICAL_BASE = {
    "[time]": "hour",
    "[length]": "decimeter",
    "[substance]": "nanomole",
    "[mass]": "kilogram",
    "[biological_activity]": "international_unit",
    "[gas_tension]": "gas_millimeter_Hg",
}

TIME_UNIT = "h"
CONCENTRATION_UNIT = "nM"
AMOUNT_UNIT = "nmol"
VOLUME_UNIT = "L"


def canonical_unit(quantity: pint.Quantity) -> pint.Unit:
    """Return the canonical unit with the same dimensionality as ``quantity``."""
    unit = ureg.dimensionless
    for dimension, exponent in quantity.dimensionality.items():
        if dimension not in CANONICAL_BASE:
            raise pint.DimensionalityError(quantity.units, "a canonical opioidsim unit")
        unit = unit * ureg(CANONICAL_BASE[dimension]).units ** exponent
    return unit


def to_canonical(quantity: pint.Quantity) -> float:
    """Return the magnitude of ``quantity`` in its canonical unit."""
    return float(quantity.to(canonical_unit(quantity)).magnitude)


def parse_unit(text: str) -> pint.Unit:
    """Parse a unit string (``"nM"``, ``"1/h"``, ``"1"``); raise pint errors on failure."""
    if text in ("1", "", "dimensionless"):
        return ureg.dimensionless
    return ureg.Unit(text)


def same_dimension(a: pint.Unit | str, b: pint.Unit | str) -> bool:
    """True when two units measure the same kind of thing."""
    ua = parse_unit(a) if isinstance(a, str) else a
    ub = parse_unit(b) if isinstance(b, str) else b
    return ua.dimensionality == ub.dimensionality


#: How canonical units are shown to people (each equals its canonical unit exactly).
DISPLAY_UNITS = (
    "1",
    "h",
    "1/h",
    "nM",
    "nM/h",
    "nmol",
    "nmol/h",
    "L",
    "L/h",
    "kg",
    "g/mol",
    "1/nM/h",
    "1/nM",
    "nmol/kg",
    "L/kg",
    "L/h/kg",
    "IU",
    "mmHg_gas",
    "kg/IU",
    "nM*h",
    "1/h**2",
    "nmol/h**2",
)


def display_unit(unit: pint.Unit | str) -> str:
    """A readable name for a canonical unit (``nM/h`` rather than ``nmol / dm ** 3 / h``)."""
    parsed = parse_unit(unit) if isinstance(unit, str) else unit
    for candidate in DISPLAY_UNITS:
        shown = parse_unit(candidate)
        if shown.dimensionality == parsed.dimensionality:
            factor = Q_(1.0, parsed).to(shown).magnitude
            if abs(factor - 1.0) < 1e-12:
                return candidate
    return "1" if parsed == ureg.dimensionless else f"{parsed:~}"


# Quantities that cross process boundaries (pickling) come back into this registry.
pint.set_application_registry(ureg)
