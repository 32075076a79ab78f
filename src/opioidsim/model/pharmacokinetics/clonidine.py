"""Clonidine: one-compartment pharmacokinetics (oral, IV) and brain effect site (human).

Clonidine is an alpha2-adrenoceptor agonist used off-label for opioid withdrawal; it acts in
the ``alpha2_receptor`` module. Equations: see ``_one_compartment``.

Davies et al. 1977 (healthy volunteers): F 75.2%, distribution t1/2 10.8 min, elimination
t1/2 8.5 h, renal clearance 1.82 mL/min/kg with 40-50% of the dose excreted unchanged, so
total clearance ~1.82 / 0.45 = 4.04 mL/min/kg (17.0 L/h at 70 kg) and V = CL x t1/2 / ln 2
= 208 L (3.0 L/kg). The fast distribution phase is lumped (one compartment). Wing et al.
1977 (300 ug oral) measured Cmax 1.34 ng/mL; this model gives ~0.9 ng/mL (checked by the
tests, within 2-fold).

Doses are **clonidine hydrochloride** as labelled (Catapres 0.1 mg HCl = 0.087 mg base).

Assumptions
- Absorption rate 1.2 /h: tmax 2.4 h with the elimination above (label tmax 1-3 h).
- Effect-site equilibration half-time 40 min: the largest blood-pressure fall comes at 2-4 h,
  after tmax (label).
- 30% plasma protein binding (label 20-40%, recalled); unbound brain = unbound plasma.
- Human only.
"""

from opioidsim.model.declare import Route, assumed, derived, measured
from opioidsim.model.pharmacokinetics import _one_compartment as one_compartment
from opioidsim.model.sources import DAVIES_1977, PUBCHEM_2023

rates = one_compartment.rates  # the shared one-compartment equations

MODULE = one_compartment.module(
    "clonidine",
    "clonidine pharmacokinetics (oral, IV) and brain effect site",
    {
        "iv": Route("intravenous bolus or infusion", {"central_amount": ()}, infusion=True),
        "oral": Route("tablet (clonidine HCl)", {"gut_amount": ("oral_bioavailability",)}),
    },
)

PARAMETERS_BY_SPECIES = {
    "human": {
        "molar_mass": derived(
            266.55,
            "g/mol",
            [PUBCHEM_2023],
            how="C9H9Cl2N3.HCl (clonidine hydrochloride; base 230.1 g/mol)",
            note="doses are clonidine HCl as labelled",
        ),
        "oral_bioavailability": measured(
            0.752, "1", DAVIES_1977, species="human", confidence="high"
        ),
        "oral_absorption_rate": assumed(
            1.2, "1/h", reason="tmax 2.4 h with k 0.0815 /h; label tmax 1-3 h"
        ),
        "clearance": derived(
            17.0,
            "L/h",
            [DAVIES_1977],
            how="renal clearance 1.82 mL/min/kg / 0.45 (fraction excreted unchanged) = 4.04 "
            "mL/min/kg x 70 kg",
            species="human",
        ),
        "volume": derived(
            208.0,
            "L",
            [DAVIES_1977],
            how="CL x t1/2 / ln 2 = 17.0 L/h x 8.5 h / 0.693",
            species="human",
        ),
        "effect_site_rate": assumed(
            1.04,
            "1/h",
            reason="equilibration half-time 40 min: the largest blood-pressure fall comes at "
            "2-4 h, after tmax (label)",
        ),
        "plasma_unbound_fraction": assumed(
            0.7, "1", reason="20-40% bound to plasma proteins (label, recalled)"
        ),
    },
}

__all__ = ["MODULE", "PARAMETERS_BY_SPECIES", "rates"]
