"""Lofexidine: one-compartment oral pharmacokinetics and brain effect site (human).

Lofexidine is an alpha2-adrenoceptor agonist licensed for opioid withdrawal (Lucemyra). It
acts in the ``alpha2_receptor`` module, not at opioid receptors. Equations: see
``_one_compartment`` (oral absorption, one compartment, effect site).

Parameters come from Al-Ghananeem et al. 2009 (single oral doses, healthy adults): tmax ~3 h,
elimination rate 0.063 /h (t1/2 11 h), Cmax 1.755 ng/mL after 1.2 mg. A one-compartment fit
with ka 1 /h reproduces tmax 2.95 h and, the 1.2 mg being the HCl salt (1.052 mg base),
gives V/F = 1.052 mg x 0.830 / 1.755 ng/mL = 497 L; with F 0.72 (label) V = 358 L (label
~300-480 L) and CL = 0.063 x 358 = 22.6 L/h.

Doses are **lofexidine hydrochloride** as labelled (Lucemyra 0.2 mg HCl = 0.18 mg base; the
Gorodetzky 2017 regimen 3.2 mg/d HCl). Al-Ghananeem's 1.2 mg is taken as HCl too (the salt
basis was not seen; up to 10% difference).

Assumptions
- The label's longer steady-state half-life (17-22 h) is not modelled: one disposition.
- Effect-site equilibration half-time 30 min (assumed; lipophilic, no delay data found);
  unbound brain = unbound plasma; 55% plasma protein binding (label, recalled).
- Human only.
"""

from opioidsim.model.declare import Route, assumed, derived
from opioidsim.model.pharmacokinetics import _one_compartment as one_compartment
from opioidsim.model.sources import AL_GHANANEEM_2009, PUBCHEM_2023

rates = one_compartment.rates  # the shared one-compartment equations

MODULE = one_compartment.module(
    "lofexidine",
    "lofexidine pharmacokinetics (oral) and brain effect site",
    {
        "oral": Route("tablet (lofexidine HCl)", {"gut_amount": ("oral_bioavailability",)}),
    },
)

PARAMETERS_BY_SPECIES = {
    "human": {
        "molar_mass": derived(
            295.6,
            "g/mol",
            [PUBCHEM_2023],
            how="C11H12Cl2N2O.HCl (lofexidine hydrochloride; base 259.1 g/mol)",
            note="doses are lofexidine HCl as labelled",
        ),
        "oral_bioavailability": assumed(
            0.72,
            "1",
            reason="Lucemyra label 72% (seen in a secondary drug guide quoting the label)",
            confidence="medium",
        ),
        "oral_absorption_rate": derived(
            1.0,
            "1/h",
            [AL_GHANANEEM_2009],
            how="one-compartment fit: ka 1 /h with k 0.063 /h gives tmax 2.95 h (observed ~3 h)",
            species="human",
        ),
        "clearance": derived(
            22.6,
            "L/h",
            [AL_GHANANEEM_2009],
            how="k 0.063 /h x V 358 L (V/F 497 L from Cmax 1.755 ng/mL after 1.2 mg HCl, x F "
            "0.72)",
            species="human",
        ),
        "volume": derived(
            358.0,
            "L",
            [AL_GHANANEEM_2009],
            how="V/F = 1.052 mg base (1.2 mg HCl) x 0.830 / 1.755 ng/mL = 497 L (one "
            "compartment, ka 1 /h), x F 0.72; label Vd ~300-480 L",
            species="human",
        ),
        "effect_site_rate": assumed(
            1.386, "1/h", reason="equilibration half-time 30 min; no delay data found"
        ),
        "plasma_unbound_fraction": assumed(
            0.45, "1", reason="~55% bound to plasma proteins (label, recalled, not seen)"
        ),
    },
}

__all__ = ["MODULE", "PARAMETERS_BY_SPECIES", "rates"]
