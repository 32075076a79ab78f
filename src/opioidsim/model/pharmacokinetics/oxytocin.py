"""Oxytocin: one-compartment plasma kinetics, a nose-to-brain path and a small blood-to-CSF
leak.

Plasma after de Groot et al. 1995 (IV oxytocin: CL 67.1 L/h, V 33.2 L, t1/2 0.33 h). The
intranasal time courses after Striepens et al. 2013 (24 IU: plasma peaks at 15 min; CSF
rises significantly only at 75 min, with no plasma-CSF correlation) and Gossen et al. 2012
(26 IU: plasma back to baseline by ~90 min, <= 150 min in every subject).

States (amounts in nmol, concentrations in nM):

    d nasal_amount/dt          = - nasal_absorption_rate * nasal_amount
    d nose_to_brain_amount/dt  = - nose_to_brain_rate * nose_to_brain_amount
    d subcutaneous_amount/dt   = - subcutaneous_absorption_rate * subcutaneous_amount
    d peritoneal_amount/dt     = - intraperitoneal_absorption_rate * peritoneal_amount
    d central_amount/dt        = nasal_absorption_rate * nasal_amount
                                 + subcutaneous_absorption_rate * subcutaneous_amount
                                 + intraperitoneal_absorption_rate * peritoneal_amount
                                 - clearance * plasma_concentration
                                 - blood_to_csf
    d csf_amount/dt            = nose_to_brain_rate * nose_to_brain_amount + blood_to_csf
                                 - csf_elimination_rate * rate_scale * csf_amount

    blood_to_csf         = blood_to_csf_clearance * clearance_scale * plasma_concentration
    clearance            = clearance_table * clearance_scale
    volume               = volume_table * volume_scale
    rate_scale           = clearance_scale / volume_scale
    plasma_concentration = central_amount / volume
    brain_concentration  = csf_amount / (csf_volume * volume_scale)       (CSF)

Routes: ``iv`` (bolus or infusion into central_amount), ``intranasal`` (a fraction
nasal_bioavailability of the dose into nasal_amount, towards the blood, and a fraction
nose_to_brain_fraction into nose_to_brain_amount, towards the CSF), ``sc`` and ``ip``
(first-order absorption, complete) and ``icv`` (straight into the CSF, as a rodent i.c.v.
injection). Doses are oxytocin
peptide; doses in IU are converted with mass_per_international_unit (1 IU = 1.667 ug, so
24 IU = 40 ug = 39.7 nmol).

Oxytocin is not an opioid ligand: the module declares no ligands. Its plasma and CSF
concentrations are outputs for the modules that use them.

Species: human; rat from IV data (PMID 19183510: at <= 500 ng/kg CL 0.0624 L/min/kg, Vc
0.79 L/kg, t1/2 7.94 min; non-linear above: 21 min at 1-10 ug/kg, not modelled); mouse scaled
allometrically from the rat (assumed: no mouse oxytocin PK found). In rodents 0.002 % of an
s.c. or IV dose reaches the CSF, which clears it with t1/2 19 min (Mens 1983): a blood-to-CSF
clearance set to give that peak. In people plasma oxytocin is taken not to enter the CSF.

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
- Basal (endogenous) oxytocin is not included: concentrations are the dosed drug only
  (``oxytocin_system`` holds the endogenous levels).
- Rodent s.c. and i.p. absorption were not found (no tmax or bioavailability): assumed
  complete, with half-times of 10 min (s.c.) and 5 min (i.p.) for a nonapeptide; the rat's
  nasal parameters are the human ones (no rodent data).
- Rodent CL is the low-dose (linear) value: at the 1 mg/kg doses of behavioural studies the
  saturable clearance would keep plasma levels higher for longer than modelled.
"""

from opioidsim.model.declare import Module, Route, Scalar, assumed, derived, measured
from opioidsim.model.sources import (
    ANDERSON_HOLFORD_2008,
    DE_GROOT_1995,
    OXYTOCIN_RAT_PK,
    PUBCHEM_2023,
    STRIEPENS_2013,
)

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
        "subcutaneous_amount": Scalar("nmol", "s.c. dose not yet absorbed", bounds=_BOUNDS),
        "peritoneal_amount": Scalar("nmol", "i.p. dose not yet absorbed", bounds=_BOUNDS),
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
        "sc": Route("subcutaneous injection", {"subcutaneous_amount": ()}),
        "ip": Route("intraperitoneal injection", {"peritoneal_amount": ()}),
        "icv": Route("intracerebroventricular injection into the CSF", {"csf_amount": ()}),
    },
    molar_mass="molar_mass",
    mass_per_international_unit="mass_per_international_unit",
    species=("human", "rat", "mouse"),
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
        "blood_to_csf_clearance": assumed(
            0.0,
            "L/h",
            reason="plasma and CSF oxytocin do not correlate after intranasal dosing "
            "(Striepens 2013): plasma oxytocin is taken not to reach the CSF in people",
        ),
        "subcutaneous_absorption_rate": assumed(
            0.0231,
            "1/min",
            reason="no human s.c. oxytocin PK found: absorption half-time 30 min (i.m. "
            "peptides peak within ~30 min)",
        ),
        "intraperitoneal_absorption_rate": assumed(
            0.0462,
            "1/min",
            reason="not a human route; half-time 15 min so that the table is complete",
        ),
    },
}

_RAT_KG = 0.25
_RODENT_SC = (
    "no rodent s.c. oxytocin absorption found (no tmax or F): half-time 10 min, complete; "
    "CSF oxytocin is up within 10 min of 5 ug s.c. in rats (Mens 1983)"
)
_RODENT_IP = (
    "no rodent i.p. oxytocin absorption found: half-time 5 min (peritoneal absorption of "
    "small solutes is faster than s.c.), complete (first-pass loss not known)"
)
_MENS = (
    "Mens, Witter & van Wimersma Greidanus 1983, Brain Res 262:143 (abstract seen, no "
    "identifier seen)"
)
_HUMAN = PARAMETERS_BY_SPECIES["human"]
PARAMETERS_BY_SPECIES["rat"] = {
    "molar_mass": _HUMAN["molar_mass"],
    "mass_per_international_unit": _HUMAN["mass_per_international_unit"],
    "clearance": derived(
        0.0156,
        "L/min",
        [OXYTOCIN_RAT_PK],
        how=f"0.0624 L/min/kg (IV, <= 500 ng/kg) x {_RAT_KG} kg reference rat",
        species="rat",
        confidence="high",
    ),
    "volume": derived(
        0.1975,
        "L",
        [OXYTOCIN_RAT_PK],
        how=f"Vc 0.79 L/kg x {_RAT_KG} kg (one compartment: t1/2 = ln2 Vc/CL = 8.8 min "
        "against the reported 7.94 min)",
        species="rat",
        confidence="high",
    ),
    "nasal_bioavailability": _HUMAN["nasal_bioavailability"],
    "nasal_absorption_rate": _HUMAN["nasal_absorption_rate"],
    "nose_to_brain_fraction": _HUMAN["nose_to_brain_fraction"],
    "nose_to_brain_rate": _HUMAN["nose_to_brain_rate"],
    "csf_volume": assumed(
        0.25, "mL", reason="rat CSF volume ~250 uL (textbook order of magnitude)", species="rat"
    ),
    "csf_elimination_rate": assumed(
        0.0365,
        "1/min",
        reason=f"ln 2 / 19 min: CSF half-time of oxytocin after i.c.v. injection ({_MENS})",
        species="rat",
        confidence="medium",
    ),
    "blood_to_csf_clearance": derived(
        6.06e-7,
        "L/min",
        [OXYTOCIN_RAT_PK],
        how="peak CSF amount 0.002 % of a 5 ug s.c. or IV dose (" + _MENS + "): for an IV "
        "bolus the CSF peak is CLin/V x 6.52 min x dose with k = CL/V 0.0790 /min and the "
        "CSF rate ln2/19 min, so CLin = 2e-5 / 6.52 min x 0.1975 L",
        species="rat",
        confidence="low",
    ),
    "subcutaneous_absorption_rate": assumed(0.0693, "1/min", reason=_RODENT_SC, species="rat"),
    "intraperitoneal_absorption_rate": assumed(0.139, "1/min", reason=_RODENT_IP, species="rat"),
}
_RAT = PARAMETERS_BY_SPECIES["rat"]
_MOUSE_SCALE = "(0.025 kg / 0.25 kg)"
PARAMETERS_BY_SPECIES["mouse"] = {
    **_RAT,
    "clearance": derived(
        0.002774,
        "L/min",
        [OXYTOCIN_RAT_PK, ANDERSON_HOLFORD_2008],
        how=f"rat 0.0156 L/min x {_MOUSE_SCALE}**0.75 (allometry; no mouse PK found)",
        species="mouse",
        confidence="low",
    ),
    "volume": derived(
        0.01975,
        "L",
        [OXYTOCIN_RAT_PK, ANDERSON_HOLFORD_2008],
        how=f"rat 0.1975 L x {_MOUSE_SCALE} (volume proportional to weight)",
        species="mouse",
        confidence="low",
    ),
    "csf_volume": assumed(
        0.035,
        "mL",
        reason="mouse CSF volume ~35-40 uL (textbook order of magnitude)",
        species="mouse",
    ),
    "blood_to_csf_clearance": derived(
        1.077e-7,
        "L/min",
        [OXYTOCIN_RAT_PK, ANDERSON_HOLFORD_2008],
        how=f"rat 6.06e-7 L/min x {_MOUSE_SCALE}**0.75 (scaled as a clearance)",
        species="mouse",
        confidence="low",
    ),
    "csf_elimination_rate": derived(
        0.0649,
        "1/min",
        [ANDERSON_HOLFORD_2008],
        how=f"rat ln2/19 min x {_MOUSE_SCALE}**-0.25 (rates scale with W^-1/4; {_MENS})",
        species="mouse",
        confidence="low",
    ),
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
    subcutaneous_absorption = params.subcutaneous_absorption_rate * state.subcutaneous_amount
    peritoneal_absorption = params.intraperitoneal_absorption_rate * state.peritoneal_amount
    blood_to_csf = params.blood_to_csf_clearance * inputs.clearance_scale * plasma_concentration
    derivatives = {
        "nasal_amount": -nasal_absorption,
        "nose_to_brain_amount": -nose_to_brain_transfer,
        "subcutaneous_amount": -subcutaneous_absorption,
        "peritoneal_amount": -peritoneal_absorption,
        "central_amount": nasal_absorption
        + subcutaneous_absorption
        + peritoneal_absorption
        - clearance * plasma_concentration
        - blood_to_csf,
        "csf_amount": nose_to_brain_transfer
        + blood_to_csf
        - params.csf_elimination_rate * rate_scale * state.csf_amount,
    }
    outputs = {
        "plasma_concentration": plasma_concentration,
        "brain_concentration": state.csf_amount / csf_volume,
    }
    return derivatives, outputs
