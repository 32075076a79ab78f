"""Methadone (racemic): one-compartment disposition, first-order oral absorption, effect site.

After the Swiss methadone label (Fachinfo: Vd ~4 L/kg, tmax ~4 h, chronic t1/2 25 h, ~90%
protein bound) and the review "Clinical Pharmacokinetics of Methadone" (oral
bioavailability 0.79 +- 0.21, range 0.41-0.99). Neither has a DOI/PMID that was seen, so
these values are entered as assumptions citing them.

States (amounts in nmol, concentrations in nM):

    d gut_amount/dt     = - oral_absorption_rate * gut_amount
    d central_amount/dt = oral_absorption_rate * gut_amount - clearance * plasma_concentration
    d effect_site_concentration/dt = effect_site_rate * (plasma_concentration
                                                         - effect_site_concentration)

    clearance            = clearance_table * clearance_scale
    volume               = volume_table * volume_scale
    plasma_concentration = central_amount / volume
    brain_concentration  = plasma_unbound_fraction * effect_site_concentration

Routes: ``oral`` (oral_bioavailability of the dose into gut_amount) and ``iv`` (bolus or
infusion into central_amount; the disposition above is the label's systemic one). Doses are
**methadone hydrochloride** (oral solutions, tablets and injections are labelled as HCl;
0.895 base).

Species: human only. Rat: IV 1.5 mg/kg gives a 2-compartment profile with t1/2beta ~60 min
and CLss 83.3 mL/min/kg (Inturrisi, Umans & Ling 1979, conference abstract), but oral
bioavailability and the brain delay were not found; nothing for the mouse.

Assumptions
- One compartment: t1/2 = ln2 V/CL = 25 h (chronic dosing; single doses 19.5 h with acidic,
  42 h with alkaline urine). Methadone clearance varies several-fold (CYP3A4/2B6);
  variability belongs to the population layer.
- The effect-site delay was not found (Garrido & Troconiz 1999: uncharacterised); 10 min is
  argued from the 10-20 min onset of parenteral analgesia and high lipophilicity.
- Unbound brain = unbound plasma at equilibrium. The d-isomer's NMDA antagonism is not
  modelled.
"""

from opioidsim.model.declare import Module, Route, Scalar, assumed, derived
from opioidsim.model.sources import PUBCHEM_2023

_BOUNDS = (0, 1e12)

MODULE = Module(
    name="methadone",
    description="methadone pharmacokinetics and brain effect site",
    inputs={
        "clearance_scale": Scalar("1", "allometric clearance factor", default=1.0),
        "volume_scale": Scalar("1", "allometric volume factor", default=1.0),
    },
    states={
        "gut_amount": Scalar("nmol", "bioavailable oral dose not yet absorbed", bounds=_BOUNDS),
        "central_amount": Scalar("nmol", "methadone in the body", bounds=_BOUNDS),
        "effect_site_concentration": Scalar(
            "nM", "biophase concentration (plasma-equivalent, total)", bounds=_BOUNDS
        ),
    },
    outputs={
        "plasma_concentration": Scalar("nM", "total plasma concentration"),
        "brain_concentration": Scalar("nM", "unbound brain (biophase) concentration"),
    },
    ligands={"methadone": "brain_concentration"},
    routes={
        "oral": Route("oral solution or tablet", {"gut_amount": ("oral_bioavailability",)}),
        "iv": Route("intravenous bolus or infusion", {"central_amount": ()}, infusion=True),
    },
    molar_mass="molar_mass",
    species=("human",),
)

_SWISS = "Swiss methadone label (Fachinfo, oddb.org; no DOI/PMID)"

PARAMETERS_BY_SPECIES = {
    "human": {
        "molar_mass": derived(
            345.9,
            "g/mol",
            [PUBCHEM_2023],
            how="C21H27NO.HCl (methadone hydrochloride) with IUPAC standard atomic weights",
            note="doses are methadone HCl",
        ),
        "volume": assumed(
            280.0, "L", reason=f"Vd ~4.0 L/kg x 70 kg ({_SWISS})", confidence="medium"
        ),
        "clearance": assumed(
            7.76,
            "L/h",
            reason=f"CL = V ln2 / t1/2 = 280 L x 0.693 / 25 h, chronic t1/2 25 (13-47) h "
            f"({_SWISS})",
            confidence="medium",
        ),
        "oral_bioavailability": assumed(
            0.79,
            "1",
            reason="single-dose oral bioavailability 0.79 +- 0.21 (0.41-0.99), 'Clinical "
            "Pharmacokinetics of Methadone' (scilit abstract; no DOI/PMID seen); Swiss "
            "label ~0.80",
            confidence="medium",
        ),
        "oral_absorption_rate": assumed(
            0.897,
            "1/h",
            reason=f"ka solving tmax = ln(ka/k)/(ka-k) = 4 h ({_SWISS}) with k = ln2/25 h",
            confidence="medium",
        ),
        "effect_site_rate": assumed(
            0.0693,
            "1/min",
            reason="ln 2 / t1/2ke0 10 min: not found; parenteral analgesia starts in 10-20 min "
            f"({_SWISS}) and methadone is lipophilic",
        ),
        "plasma_unbound_fraction": assumed(
            0.10,
            "1",
            reason=f"~90% bound to plasma proteins, mainly AGP ({_SWISS})",
            confidence="medium",
        ),
    },
}


def rates(state, params, inputs):
    """Return (derivatives, outputs)."""
    clearance = params.clearance * inputs.clearance_scale
    volume = params.volume * inputs.volume_scale
    plasma_concentration = state.central_amount / volume
    absorption = params.oral_absorption_rate * state.gut_amount
    derivatives = {
        "gut_amount": -absorption,
        "central_amount": absorption - clearance * plasma_concentration,
        "effect_site_concentration": params.effect_site_rate
        * (plasma_concentration - state.effect_site_concentration),
    }
    outputs = {
        "plasma_concentration": plasma_concentration,
        "brain_concentration": params.plasma_unbound_fraction * state.effect_site_concentration,
    }
    return derivatives, outputs
