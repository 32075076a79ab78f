"""Ethanol: Widmark distribution, Michaelis-Menten elimination, evoked beta-endorphin release.

Ethanol distributes in body water (Widmark's factor r: the volume per kg of body weight
that relates the amount in the body to the blood concentration) and is eliminated by
saturable hepatic oxidation (alcohol dehydrogenase, Km ~0.05-0.1 g/L, so the decline is
nearly zero-order above ~0.2 g/L). Human elimination after Wilkinson et al. 1976 (one-
compartment fit of a 2-h constant-rate IV infusion, Vm 0.232 g/L/h, Km 0.0821 g/L, agreeing
with oral data in fasting subjects); Widmark factors by sex after the Forensic Sci Int 2005
study (male 0.68, female 0.59 L/kg).

States (amounts in nmol, concentrations in nM):

    d gut_amount/dt            = - oral_absorption_rate * gut_amount
    d injection_site_amount/dt = - injection_absorption_rate * injection_site_amount
    d central_amount/dt        = oral_absorption_rate * gut_amount
                                 + injection_absorption_rate * injection_site_amount
                                 - elimination
    widmark_factor    = male_widmark_factor
                        + female * (female_widmark_factor - male_widmark_factor)
    typical_volume    = widmark_factor * reference_body_weight
    volume            = typical_volume * volume_scale
    blood_concentration = central_amount / volume
    elimination       = maximal_elimination_rate / molar_mass * typical_volume
                        * clearance_scale * blood_concentration
                        / (michaelis_constant / molar_mass + blood_concentration)
    brain_concentration = blood_concentration
    beta_endorphin_release = maximal_beta_endorphin_release * brain_concentration
                             / (beta_endorphin_half_concentration + brain_concentration)

``maximal_elimination_rate`` and ``michaelis_constant`` keep their sources' mass units (g/L/h,
g/L) and meet the molar states through the molar mass (46.07 g/mol) in the equation. At the
reference body weight the post-absorptive decline is ``maximal_elimination_rate`` in either
sex; a heavier subject has a larger volume (x body weight) and a larger elimination capacity
(x body weight^3/4, the subject's allometry), so a slightly slower decline.

Routes: ``oral`` (drinking, into gut_amount x oral_bioavailability), ``intragastric``
(gavage in rodent studies, the same stomach), ``iv`` (bolus or infusion into
central_amount) and ``ip`` (rodent injection, into injection_site_amount). Doses are
ethanol itself, in grams or g/kg (``0.68 g/kg``, ``48 g``).

Ethanol is not an opioid ligand. Its opioid action is indirect: ``beta_endorphin_release`` is
the extra beta-endorphin release (x basal) it evokes, which ``model/default.py`` wires to
``endogenous_opioids.ethanol_beta_endorphin_release`` when ethanol is dosed; the released
peptide then competes at mu (``receptors/mu.py``) with any antagonist present, so naltrexone
blocks the consequence, not the release, and accumbens dopamine follows through ``reward``.

Species
- Human (70 kg reference): as above.
- Rat (250 g): zero-order elimination 42.2 mg/dL/h in 60-day-old rats after 2.5 g/kg
  intragastric (Kelly, Bonthius & West 1987) taken as the maximal rate; the human Km; body
  water as the human male Widmark factor.

Assumptions
- One compartment: the distribution phase of IV ethanol (Norberg 2000: VC 14.5 L, VT 21.2 L,
  equilibration over tens of minutes) is not modelled; blood = body-water concentration
  scaled by r. Whole blood is what forensic BAC and ``blood_concentration`` report; plasma
  is ~1.1-1.2 x higher (not modelled: ``plasma_concentration`` is the blood value, the name
  every drug module shares).
- Brain ethanol equals blood ethanol (a small, water-soluble molecule crossing the
  blood-brain barrier freely; rat accumbens dialysate peaks ~40 min after i.p. ethanol, as
  blood does). Arterial-venous differences during absorption are ignored.
- Elimination: Wilkinson's one-compartment pair is used because this module is one
  compartment (Norberg's Vmax 95 mg/min with Km 27 mg/L belong to a two-compartment fit;
  their Vmax/Vss, ~0.16 g/L/h, is the cross-check the NTX-ALC experiment reads). Renal and
  breath losses (~2-5 % of a dose) and the CYP2E1 (MEOS) pathway with its higher Km and
  induction by chronic drinking are not modelled.
- Absorption: fasting, first order (gastric emptying limits it); food, which halves the
  peak and delays it, is not modelled. No gastric first pass (bioavailability 1).
- Sex enters only through the Widmark factor (``female`` from the subject: 0 male, 1
  female); no sex difference in elimination per litre is modelled.
- Ethanol-evoked beta-endorphin: no concentration-response with magnitudes was found (the %
  of baseline are only in the figures of the rat studies). The release is a saturable
  function of brain ethanol, half-maximal above the brain levels of the highest dose studied
  in the accumbens (2.4 g/kg i.p.), so the rise stays graded over 0.8-2.4 g/kg; the VTA's
  inverted U (no rise at 2.4 g/kg) and the family-history dependence of the human pituitary
  response are not modelled.
"""

from opioidsim.model.declare import Module, Route, Scalar, assumed, derived, measured
from opioidsim.model.math import hill
from opioidsim.model.sources import (
    ICRP_2002,
    KELLY_1987,
    PUBCHEM_2023,
    WIDMARK_FACTORS_2005,
    WILKINSON_1976,
)

_BOUNDS = (0, 1e12)

MODULE = Module(
    name="ethanol",
    description="ethanol pharmacokinetics (oral, IV, rodent i.p./gavage) and evoked "
    "beta-endorphin release",
    inputs={
        "clearance_scale": Scalar("1", "allometric clearance factor", default=1.0),
        "volume_scale": Scalar("1", "allometric volume factor", default=1.0),
        "female": Scalar("1", "1 for a female subject, 0 for a male", default=0.0),
    },
    states={
        "gut_amount": Scalar("nmol", "swallowed dose not yet absorbed", bounds=_BOUNDS),
        "injection_site_amount": Scalar("nmol", "i.p. dose not yet absorbed", bounds=_BOUNDS),
        "central_amount": Scalar("nmol", "ethanol in body water", bounds=_BOUNDS),
    },
    outputs={
        "plasma_concentration": Scalar(
            "nM", "blood ethanol concentration (whole blood, as BAC; see the docstring)"
        ),
        "blood_concentration": Scalar("nM", "blood ethanol concentration (BAC)"),
        "brain_concentration": Scalar("nM", "brain (body-water) ethanol concentration"),
        "beta_endorphin_release": Scalar(
            "1", "extra beta-endorphin release evoked by ethanol, x basal"
        ),
    },
    routes={
        "oral": Route("drinking (fasting absorption)", {"gut_amount": ("oral_bioavailability",)}),
        "intragastric": Route(
            "gavage (rodent studies)", {"gut_amount": ("oral_bioavailability",)}
        ),
        "iv": Route("intravenous bolus or infusion", {"central_amount": ()}, infusion=True),
        "ip": Route("intraperitoneal injection (rodent studies)", {"injection_site_amount": ()}),
    },
    molar_mass="molar_mass",
    species=("human", "rat"),
    # Doses are grams: 0.5-5 g/kg in rodent studies; the rat oral LD50 is ~7-10 g/kg.
    dose_ceiling="10 g/kg",
)

_LN2 = 0.6931471805599453
_RELEASE_REASON = (
    "no ethanol concentration-response of beta-endorphin with magnitudes was found: "
    "accumbens beta-endorphin rises with dose up to 2.4 g/kg i.p. in rats (Marinelli, "
    "Quirion & Gianoulakis 2003, direction only; Olive 2001, magnitudes not retrieved)"
)

# Table 1. Human disposition and the evoked release, in the units of each source.
PARAMETERS_BY_SPECIES = {
    "human": {
        "molar_mass": derived(
            46.07, "g/mol", [PUBCHEM_2023], how="C2H6O with IUPAC standard atomic weights"
        ),
        "male_widmark_factor": measured(
            0.68,
            "L/kg",
            WIDMARK_FACTORS_2005,
            species="human",
            confidence="high",
            note="theoretical r0 in men (Hong Kong Chinese); forensic practice uses 0.68 too",
        ),
        "female_widmark_factor": measured(
            0.59,
            "L/kg",
            WIDMARK_FACTORS_2005,
            species="human",
            confidence="high",
            note="r0 in women (Hong Kong Chinese); the forensic value 0.55 for women was "
            "seen only in secondary sources",
        ),
        "reference_body_weight": measured(
            70.0, "kg", ICRP_2002, species="human", confidence="high"
        ),
        "maximal_elimination_rate": measured(
            0.232,
            "g/L/h",
            WILKINSON_1976,
            species="human",
            confidence="high",
            note="Vm of the one-compartment Michaelis-Menten fit (6 subjects, 2-h IV "
            "infusion; reported 0.232 mg/(mL h))",
        ),
        "michaelis_constant": measured(
            0.0821,
            "g/L",
            WILKINSON_1976,
            species="human",
            confidence="high",
            note="Km of the same fit (reported 0.0821 mg/mL)",
        ),
        "oral_bioavailability": assumed(
            1.0,
            "1",
            reason="95-98 % of a dose is metabolised; the gastric first pass is small when "
            "fasting and was not found as a number",
        ),
        "oral_absorption_rate": assumed(
            _LN2 / (10.0 / 60.0),
            "1/h",
            reason="absorption half-time 10 min: ethanol is absorbed in the small intestine "
            "as fast as the stomach empties, and a fasting stomach empties liquids with a "
            "half-time of 10-20 min; no absorption constant was found",
        ),
        "injection_absorption_rate": assumed(
            _LN2 / (10.0 / 60.0),
            "1/h",
            reason="the rodent value (i.p. is not a human route)",
        ),
        "maximal_beta_endorphin_release": assumed(
            2.0,
            "1",
            reason=_RELEASE_REASON + "; at most 3 x basal release taken, the size of the "
            "peptide rises reported after drugs of abuse in dialysate",
        ),
        "beta_endorphin_half_concentration": assumed(
            60.0,
            "mM",
            reason=_RELEASE_REASON + "; half-maximal at 60 mM (2.8 g/L), above the brain "
            "ethanol of 2.4 g/kg i.p., so the release stays graded over 0.8-2.4 g/kg",
        ),
    },
}

PARAMETERS_BY_SPECIES["rat"] = {
    **PARAMETERS_BY_SPECIES["human"],
    "male_widmark_factor": assumed(
        0.68,
        "L/kg",
        reason="the human male Widmark factor: ethanol distributes in body water, ~2/3 of "
        "the body weight in adult rats as in men; no rat value was found",
    ),
    "female_widmark_factor": assumed(
        0.68,
        "L/kg",
        reason="no sex difference in rat ethanol kinetics (Kelly, Bonthius & West 1987: no "
        "consistent sex differences in peak BAC or clearance)",
    ),
    "reference_body_weight": assumed(
        0.25, "kg", reason="rodent PK normalised to 250 g (the subject module's reference)"
    ),
    "maximal_elimination_rate": derived(
        0.422,
        "g/L/h",
        [KELLY_1987],
        how="the zero-order elimination rate of 60-day-old rats, 42.2 mg/dL/h (linear "
        "regression of BAC after 2.5 g/kg intragastric), taken as the maximal rate: at "
        "BAC >> Km the decline is Vm",
        species="rat",
        confidence="medium",
    ),
    "michaelis_constant": assumed(
        0.0821,
        "g/L",
        reason="the human Km (Wilkinson 1976, one-compartment fit): alcohol dehydrogenase's "
        "Km is 0.05-0.1 g/L across mammals; no rat in vivo value was found",
    ),
    "oral_absorption_rate": assumed(
        _LN2 / (20.0 / 60.0),
        "1/h",
        reason="absorption half-time 20 min for gavage: slower than i.p. (the rat's gastric "
        "emptying of a bolus), no rat absorption constant was found",
    ),
    "injection_absorption_rate": assumed(
        _LN2 / (10.0 / 60.0),
        "1/h",
        reason="absorption half-time 10 min: i.p. ethanol enters the portal and systemic "
        "blood within minutes; no absorption constant was found",
    ),
}


def rates(state, params, inputs):
    """Return (derivatives, outputs)."""
    widmark_factor = params.male_widmark_factor + inputs.female * (
        params.female_widmark_factor - params.male_widmark_factor
    )
    typical_volume = widmark_factor * params.reference_body_weight
    volume = typical_volume * inputs.volume_scale
    concentration = state.central_amount / volume
    maximal_rate = params.maximal_elimination_rate / params.molar_mass
    michaelis_constant = params.michaelis_constant / params.molar_mass
    elimination = (
        maximal_rate
        * typical_volume
        * inputs.clearance_scale
        * concentration
        / (michaelis_constant + concentration)
    )
    oral_in = params.oral_absorption_rate * state.gut_amount
    injection_in = params.injection_absorption_rate * state.injection_site_amount
    derivatives = {
        "gut_amount": -oral_in,
        "injection_site_amount": -injection_in,
        "central_amount": oral_in + injection_in - elimination,
    }
    outputs = {
        "plasma_concentration": concentration,
        "blood_concentration": concentration,
        "brain_concentration": concentration,
        "beta_endorphin_release": params.maximal_beta_endorphin_release
        * hill(concentration, params.beta_endorphin_half_concentration, 1),
    }
    return derivatives, outputs
