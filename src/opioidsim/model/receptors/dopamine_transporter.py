"""Dopamine transporter (DAT): occupancy by cocaine, and the share of dopamine uptake blocked.

Cocaine binds the DAT and stops it clearing released dopamine; accumbens dopamine rises
because its clearance slows, not because more is released (the rise needs impulse flow,
Carboni 1989). Binding is fast against cocaine's kinetics (striatal [11C]cocaine peaks
within minutes and falls with plasma, Fowler 1989), so occupancy is at equilibrium with the
unbound brain concentration:

    load      = positive_part(C) / cocaine_dissociation_constant
    occupancy = load / (1 + load)

The ``reward`` module reads ``occupancy`` as the fraction of DAT-mediated uptake blocked.

Assumptions
- One ligand (cocaine); the endogenous substrate (dopamine) does not compete for the
  binding site at extracellular levels (nM against a Km of ~1 uM).
- Hill exponent 1; occupancy is read in the striatum as PET reads it, and applied to the
  accumbens.
- The in vivo dissociation constant is an unbound brain concentration; see its note for how
  it is obtained.
"""

from opioidsim.model.declare import Module, Scalar, calibrated
from opioidsim.model.math import positive_part

MODULE = Module(
    name="dopamine_transporter",
    description="dopamine-transporter occupancy by cocaine (uptake blockade)",
    inputs={
        "cocaine_concentration": Scalar("nM", "unbound brain cocaine", default=0.0),
    },
    states={},
    outputs={
        "occupancy": Scalar("1", "fraction of dopamine transporters occupied by cocaine"),
    },
)

PARAMETERS = {
    "cocaine_dissociation_constant": calibrated(
        14.49,
        "nM",
        against="volkow_1999_cocaine_dat_ed50",
        species="human",
        confidence="low",
        note="unbound brain cocaine at the biophase peak (7.3 min) of 0.13 mg/kg IV cocaine "
        "HCl in a 70 kg subject (cocaine module, human table): the dose occupying half the "
        "striatal DAT in 17 cocaine users ([11C]cocaine PET; ED50 of Volkow 1999, Life Sci "
        "65:PL7, identifier not seen, a re-analysis of Volkow 1997's subjects), through the "
        "cocaine module's human PK (Chow 1985, Edwards & Bowles 1988). In the model's "
        "currency (unbound plasma x 1): 14-44 x below the in vitro Ki "
        "(200-640 nM, Han & Gu 2006; 640 nM cited by Volkow 1999). Microdialysis finds brain "
        "extracellular cocaine near total plasma in rats, which suggests uptake into brain "
        "(unbound brain > unbound plasma) rather than a higher affinity in vivo. Every species "
        "uses this constant. PEtab problem: opioidsim calibrate cocaine-dat-affinity (profile "
        "95% interval 9.7-21.6 with an assumed sigma of 0.05; 14.51 before session 20)",
    ),
}


def rates(state, params, inputs):
    """Return (derivatives, outputs)."""
    # positive_part: the solver's round-off can leave a concentration at -1e-14
    load = positive_part(inputs.cocaine_concentration) / params.cocaine_dissociation_constant
    return {}, {"occupancy": load / (1 + load)}
