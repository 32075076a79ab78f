"""Oxytocin: one-compartment plasma kinetics and a separate nose-to-brain path to the CSF.

Plasma after de Groot et al. 1995 (IV oxytocin: CL 67.1 L/h, V 33.2 L, t1/2 0.33 h). The
intranasal time courses after Striepens et al. 2013 (24 IU: plasma peaks at 15 min; CSF
rises significantly only at 75 min, with no plasma-CSF correlation) and Gossen et al. 2012
(26 IU: plasma back to baseline by ~90 min, <= 150 min in every subject).

States (amounts in nmol, concentrations in nM):

    d nasal_amount/dt          = - nasal_absorption_rate * nasal_amount
    d nose_to_brain_amount/dt  = - nose_to_brain_rate * nose_to_brain_amount
    d central_amount/dt        = nasal_absorption_rate * nasal_amount
                                 - clearance * plasma_concentration
    d csf_amount/dt            = nose_to_brain_rate * nose_to_brain_amount
                                 - csf_elimination_rate * rate_scale * csf_amount

    clearance            = clearance_table * clearance_scale
    volume               = volume_table * volume_scale
    rate_scale           = clearance_scale / volume_scale
    plasma_concentration = central_amount / volume
    brain_concentration  = csf_amount / (csf_volume * volume_scale)       (CSF)

Routes: ``iv`` (bolus or infusion into central_amount) and ``intranasal`` (a fraction
nasal_bioavailability of the dose into nasal_amount, towards the blood, and a fraction
nose_to_brain_fraction into nose_to_brain_amount, towards the CSF). Doses are oxytocin
peptide; doses in IU are converted with mass_per_international_unit (1 IU = 1.667 ug, so
24 IU = 40 ug = 39.7 nmol).

Oxytocin is not an opioid ligand: the module declares no ligands. Its plasma and CSF
concentrations are outputs for the modules that use them.

Species: human only. Rat IV t1/2 7.9 min (<= 500 ng/kg) to 21 min (higher doses, non-linear)
was found, but no clearance, volume or nasal data; nothing for the mouse.

Assumptions
- One plasma compartment: ln2 V/CL = 0.34 h (de Groot: 0.33 +- 0.23 h, a 2-compartment fit).
- The CSF is reached only through a direct nose-to-brain path (Striepens: no plasma-CSF
  correlation); plasma oxytocin does not enter the CSF, so IV dosing leaves it unchanged.
- Timing only: the nose-to-brain transfer t1/2 (40 min, within the 30-45 min suggested)
  and the CSF elimination rate (placing the CSF peak at 75 min) are set from Striepens'
  timing. How much reaches the CSF was not found: nose_to_brain_fraction (1e-4) and the CSF
  volume are order-of-magnitude assumptions, so CSF levels are not quantitative.
- Systemic nasal bioavailability was not found (1.5% assumed; sublingual is 0.007-0.07%,
  de Groot 1995); the nasal absorption rate places the plasma peak at 15 min.
- Basal (endogenous) oxytocin is not included: concentrations are the dosed drug only.
"""

from opioidsim.model.declare import Module, Route, Scalar, assumed, derived, measured
from opioidsim.model.sources import DE_GROOT_1995, PUBCHEM_2023, STRIEPENS_2013

_BOUNDS = (0, 1e12)

MODULE = Module(
    name="oxytocin",
    description="oxytocin plasma kinetics and nose-to-brain CSF path (not an opioid ligand)",
    inputs={
        "clearance_scale": Scalar("1", "allometric clearance factor", default=1.0),
        "volume_scale": Scalar("1", "allometric volume factor", default=1.0),
    },
    states={
        "nasal_amount": Scalar("nmol", "nasal dose on its way to the blood", bounds=_BOUNDS),
        "nose_to_brain_amount": Scalar(
            "nmol", "nasal dose on its way to the CSF (olfactory/trigeminal)", bounds=_BOUNDS
        ),
        "central_amount": Scalar("nmol", "oxytocin in plasma and its volume", bounds=_BOUNDS),
        "csf_amount": Scalar("nmol", "dosed oxytocin in the cerebrospinal fluid", bounds=_BOUNDS),
    },
    outputs={
        "plasma_concentration": Scalar("nM", "plasma concentration of dosed oxytocin"),
        "brain_concentration": Scalar("nM", "CSF concentration of dosed oxytocin"),
    },
    routes={
        "iv": Route("intravenous bolus or infusion", {"central_amount": ()}, infusion=True),
        "intranasal": Route(
            "nasal spray",
            {
                "nasal_amount": ("nasal_bioavailability",),
                "nose_to_brain_amount": ("nose_to_brain_fraction",),
            },
        ),
    },
    molar_mass="molar_mass",
    mass_per_international_unit="mass_per_international_unit",
    species=("human",),
)

PARAMETERS_BY_SPECIES = {
    "human": {
        "molar_mass": derived(
            1007.19,
            "g/mol",
            [PUBCHEM_2023],
            how="C43H66N12O12S2 with IUPAC standard atomic weights (USP 29 monograph: 1007.19)",
        ),
        "mass_per_international_unit": assumed(
            1.667,
            "ug/IU",
            reason="Ph. Eur. labelling convention 1 mg oxytocin = 600 IU (monograph text seen "
            "in a secondary copy, no DOI/PMID); de Groot 1995 used 1.71 ug/IU (2.5% more)",
            confidence="medium",
        ),
        "clearance": measured(
            67.1,
            "L/h",
            DE_GROOT_1995,
            species="human",
            confidence="high",
            locator="IV 1 IU (SD 13.4)",
        ),
        "volume": measured(
            33.2, "L", DE_GROOT_1995, species="human", confidence="high", locator="IV 1 IU"
        ),
        "nasal_bioavailability": assumed(
            0.015,
            "1",
            reason="systemic intranasal bioavailability not found; 1-2% argued from the small, "
            "transient plasma rise after 24 IU (Striepens 2013)",
        ),
        "nasal_absorption_rate": derived(
            0.116,
            "1/min",
            [STRIEPENS_2013, DE_GROOT_1995],
            how="ka solving tmax = ln(ka/k)/(ka-k) = 15 min (plasma peak after 24 IU IN) with "
            "k = CL/V = 2.02 /h",
            species="human",
            confidence="low",
        ),
        "nose_to_brain_fraction": assumed(
            1e-4,
            "1",
            reason="not found; order of magnitude only (a few pmol of a 40 ug dose reach the "
            "CSF); CSF levels are not quantitative",
        ),
        "nose_to_brain_rate": assumed(
            0.01733,
            "1/min",
            reason="ln 2 / 40 min: a separate nasal-to-CSF transfer with t1/2 30-45 min, "
            "suggested by the CSF rise appearing only at 75 min (Striepens 2013)",
        ),
        "csf_volume": assumed(0.15, "L", reason="adult CSF volume ~150 mL (textbook value)"),
        "csf_elimination_rate": derived(
            0.0100,
            "1/min",
            [STRIEPENS_2013],
            how="rate placing the CSF peak at 75 min given the transfer t1/2 40 min: solve "
            "ln(ka/ke)/(ka-ke) = 75 min with ka = ln2/40 min (CSF t1/2 69 min)",
            species="human",
            confidence="low",
        ),
    },
}


def rates(state, params, inputs):
    """Return (derivatives, outputs)."""
    clearance = params.clearance * inputs.clearance_scale
    volume = params.volume * inputs.volume_scale
    rate_scale = inputs.clearance_scale / inputs.volume_scale
    csf_volume = params.csf_volume * inputs.volume_scale

    plasma_concentration = state.central_amount / volume
    nasal_absorption = params.nasal_absorption_rate * state.nasal_amount
    nose_to_brain_transfer = params.nose_to_brain_rate * state.nose_to_brain_amount
    derivatives = {
        "nasal_amount": -nasal_absorption,
        "nose_to_brain_amount": -nose_to_brain_transfer,
        "central_amount": nasal_absorption - clearance * plasma_concentration,
        "csf_amount": nose_to_brain_transfer
        - params.csf_elimination_rate * rate_scale * state.csf_amount,
    }
    outputs = {
        "plasma_concentration": plasma_concentration,
        "brain_concentration": state.csf_amount / csf_volume,
    }
    return derivatives, outputs
