"""Morphine: one-compartment disposition, first-order absorption, brain effect site.

States (amounts in nmol, concentrations in nM):

    d gut_amount/dt           = - oral_absorption_rate * gut_amount
    d subcutaneous_amount/dt  = - subcutaneous_absorption_rate * subcutaneous_amount
    d central_amount/dt       = oral_absorption_rate * gut_amount
                                + subcutaneous_absorption_rate * subcutaneous_amount
                                + formation_rate - clearance * plasma_concentration
    d effect_site_concentration/dt = effect_site_rate * (plasma_concentration
                                                          - effect_site_concentration)
    plasma_concentration = central_amount / central_volume
    brain_concentration  = plasma_unbound_fraction * effect_site_concentration

Oral bioavailability is applied at the dose (the fraction of the dose placed in the gut).
``formation_rate`` is morphine formed from heroin/6-MAM (heroin module).

Assumptions
- One compartment: the IV data used (Stuart-Harris 2000) give one volume and clearance.
- The slow plasma-to-brain equilibration (P-gp efflux, low permeability) is the effect-site
  delay of Dahan 2004; unbound brain = unbound plasma at equilibrium.
- M6G (active glucuronide) is not modelled: after oral dosing it adds to the effect.
"""

from opioidsim.model.declare import Module, Route, Scalar, assumed, derived, measured
from opioidsim.model.sources import DAHAN_2004, HOSKIN_1989, PUBCHEM_2023, STUART_HARRIS_2000

MODULE = Module(
    name="morphine",
    description="morphine pharmacokinetics and brain effect site",
    inputs={
        "formation_rate": Scalar("nmol/h", "morphine formed from heroin/6-MAM", default=0.0),
        "clearance_scale": Scalar("1", "allometric clearance factor", default=1.0),
        "volume_scale": Scalar("1", "allometric volume factor", default=1.0),
    },
    states={
        "gut_amount": Scalar("nmol", "bioavailable oral dose not yet absorbed", bounds=(0, 1e12)),
        "subcutaneous_amount": Scalar("nmol", "s.c. dose not yet absorbed", bounds=(0, 1e12)),
        "central_amount": Scalar("nmol", "morphine in the central compartment", bounds=(0, 1e12)),
        "effect_site_concentration": Scalar("nM", "biophase concentration (plasma-equivalent)",
                                            bounds=(0, 1e12)),
    },
    outputs={
        "plasma_concentration": Scalar("nM", "total plasma concentration"),
        "brain_concentration": Scalar("nM", "unbound brain (biophase) concentration"),
    },
    ligands={"morphine": "brain_concentration"},
    routes={
        "iv": Route("intravenous bolus or infusion", {"central_amount": ()}, infusion=True),
        "sc": Route("subcutaneous injection", {"subcutaneous_amount": ()}),
        "oral": Route("oral solution or immediate-release tablet",
                      {"gut_amount": ("oral_bioavailability",)}),
    },
    molar_mass="molar_mass",
    species=("human",),
)

PARAMETERS_BY_SPECIES = {
    "human": {
        "molar_mass": measured(285.34, "g/mol", PUBCHEM_2023, species="n/a", confidence="high",
                               note="morphine base; doses are taken as base equivalents"),
        "clearance": measured(1584.0, "mL/min", STUART_HARRIS_2000, species="human",
                              confidence="high", locator="Table 1, IV"),
        "central_volume": measured(276.0, "L", STUART_HARRIS_2000, species="human",
                                   confidence="high", locator="Table 1, IV"),
        "oral_bioavailability": measured(0.239, "1", HOSKIN_1989, species="human",
                                         confidence="high", locator="oral solution"),
        "oral_absorption_rate": derived(
            3.0, "1/h", [HOSKIN_1989, STUART_HARRIS_2000],
            how="ka giving tmax = ln(ka/k)/(ka-k) = 45 min with k = CL/V", species="human"),
        "subcutaneous_absorption_rate": assumed(
            5.4, "1/h", reason="IM absorption t1/2 7.7 min (evidence table) taken for s.c."),
        "effect_site_rate": derived(0.1575, "1/h", [DAHAN_2004], how="ln2 / t1/2ke0 4.4 h",
                                    species="human"),
        "plasma_unbound_fraction": assumed(0.65, "1", reason="morphine ~35% protein bound"),
    },
}


def rates(state, params, inputs):
    """Return (derivatives, outputs)."""
    clearance = params.clearance * inputs.clearance_scale
    central_volume = params.central_volume * inputs.volume_scale
    plasma_concentration = state.central_amount / central_volume
    oral_absorption = params.oral_absorption_rate * state.gut_amount
    subcutaneous_absorption = params.subcutaneous_absorption_rate * state.subcutaneous_amount
    derivatives = {
        "gut_amount": -oral_absorption,
        "subcutaneous_amount": -subcutaneous_absorption,
        "central_amount": oral_absorption + subcutaneous_absorption + inputs.formation_rate
        - clearance * plasma_concentration,
        "effect_site_concentration": params.effect_site_rate
        * (plasma_concentration - state.effect_site_concentration),
    }
    outputs = {
        "plasma_concentration": plasma_concentration,
        "brain_concentration": params.plasma_unbound_fraction * state.effect_site_concentration,
    }
    return derivatives, outputs
