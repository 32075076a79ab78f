"""Methadone (racemic): one-compartment disposition, first-order oral absorption, effect site.

Disposition after the Swiss methadone label (Fachinfo: Vd ~4 L/kg, chronic t1/2 25 h; no
DOI/PMID, so entered as assumptions citing it). Oral bioavailability and tmax from healthy
volunteers given a stable-isotope IV reference (Dale, Sheffels & Kharasch 2004: F 0.86,
tmax 2.8 h); plasma binding by equilibrium dialysis (Romach 1981: 10.6 % free).

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
  variability belongs to the population layer. Gourlay et al. 1986 (PMID 3528988) measured
  t1/2 30.4 +- 16.3 h and CL 11.4 L/h in 9 cancer patients, but in blood, not plasma, so the
  label's plasma values are kept.
- The effect-site delay was not found (Garrido & Troconiz 1999: uncharacterised); 10 min is
  argued from the 10-20 min onset of parenteral analgesia and high lipophilicity.
- Unbound brain = unbound plasma at equilibrium. The d-isomer's NMDA antagonism is not
  modelled.
"""

from opioidsim.model.declare import Module, Route, Scalar, assumed, derived, measured
from opioidsim.model.sources import DALE_2004, PUBCHEM_2023, ROMACH_1981

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
        "oral_bioavailability": measured(
            0.86,
            "1",
            DALE_2004,
            species="human",
            confidence="medium",
            note="absolute oral bioavailability after 10 mg in 7 healthy subjects, 95 % CI "
            "0.75-0.97 (stable-isotope IV reference); concordant: 0.85 in 8 healthy volunteers "
            "(Dale 2002) and 0.79 +- 0.12 in 9 cancer patients (Gourlay 1986). Was 0.79 "
            "(assumed, a review abstract without DOI/PMID)",
        ),
        "oral_absorption_rate": derived(
            1.438,
            "1/h",
            [DALE_2004],
            how="ka solving tmax = ln(ka/k)/(ka - k) = 2.8 h (Dale 2004's mean oral tmax in "
            "healthy subjects, 95 % CI 1.6-4.0 h) with this table's k = CL/V = ln2/25 h",
            species="human",
            confidence="medium",
            note="was 0.897 /h from the Swiss label's 'about 4 h'",
        ),
        "effect_site_rate": assumed(
            0.0693,
            "1/min",
            reason="ln 2 / t1/2ke0 10 min: not found; parenteral analgesia starts in 10-20 min "
            f"({_SWISS}) and methadone is lipophilic",
        ),
        "plasma_unbound_fraction": measured(
            0.1062,
            "1",
            ROMACH_1981,
            species="human",
            confidence="high",
            note="free fraction of racemic methadone, equilibrium dialysis at 37 C, 29 healthy "
            "subjects, 10.62 +- 1.43 % (d 9.24, l 12.44 %); bound mainly to alpha1-acid "
            "glycoprotein, which rises in illness and in heroin withdrawal. Was 0.10 "
            "(assumed, label)",
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
