"""Endogenous oxytocin: hypothalamic oxytocin neurones, their store, plasma and brain levels,
oxytocin-receptor (OTR) signalling, and the tonic restraint it puts on opioid adaptation.

**Oxytocin neurones (SON/PVN).** Mu signalling inhibits magnocellular oxytocin neurones
(morphine 1-5 mg/kg IV cut supraoptic firing by 94.1 %, Ludwig 1997; naloxone into the
nucleus reversed it), read through the operational model (``receptors/_operational.py``)
with this pathway's own coupling and the mu receptors left after desensitisation. Opioid
withdrawal excites them through the locus coeruleus noradrenergic drive
(``neuroadaptation.somatic_withdrawal_index``; alpha1 blockade cuts withdrawal secretion,
Brown 1998). Neurone activity, x resting:

    effective_stimulus = mu_stimulus * mu_receptor_availability
    mu_inhibition      = above_rest(pathway_response(effective_stimulus, firing_coupling, 1),
                                    pathway_response(resting_mu_stimulus, firing_coupling, 1))
    excitation         = 1 + withdrawal_excitation_gain * locus_coeruleus_drive
                           + stress_excitation_gain * stress_drive
                           + social_excitation_gain * social_contact
    neurone_activity   = (1 - maximum_firing_inhibition * mu_inhibition) * excitation

**Store (content) and synthesis.** The hypothalamic store (SON and median eminence,
``oxytocin_content``, x drug-free) is filled by synthesis (``oxytocin_expression``, Oxt mRNA,
x resting) and emptied by constitutive axonal transport towards the neurohypophysis;
secretion scales with it but does not deplete it (no secretion term: even the 62-fold
withdrawal secretion leaves the store as it is). Chronic mu signalling suppresses Oxt expression in
the SON (You 2000, secondary source), so under chronic opioid the store falls (tolerant
rats: median eminence and SON content fall):

    d oxytocin_expression/dt = expression_rate * (1 - expression_suppression * mu_inhibition
                                                   - oxytocin_expression)
    d oxytocin_content/dt    = content_turnover_rate * (oxytocin_expression
                                                        - oxytocin_content)
    secretion                = neurone_activity * oxytocin_content

**Plasma** (nM in the engine; quoted in pM) follows neurohypophysial secretion with the
species' plasma elimination rate:

    d plasma_oxytocin/dt = plasma_elimination_rate * (resting_plasma_oxytocin
                             * neurone_activity * oxytocin_content - plasma_oxytocin)

**Central (brain) oxytocin** (x resting) is dendritic/central release: morphine blocks
oxytocin release into blood but not dendritic release in the SON (Ludwig group), so it is not
mu-inhibited; it rises in withdrawal, with stress and with social contact, and is cleared
with the CSF half-time (Mens 1983). It does not draw on the hypothalamic store (a design
choice, see Assumptions):

    central_drive = 1 + central_withdrawal_gain * locus_coeruleus_drive
                      + central_stress_gain * stress_drive + central_social_gain * social_contact
    d central_oxytocin/dt = central_elimination_rate * (central_drive - central_oxytocin)

**OTR occupancy and signal.** Endogenous central oxytocin plus dosed oxytocin in the CSF
(``oxytocin.brain_concentration``) bind the OTR (KD ~1 nM, Hill 1). The signal scales with
the receptors there are (``otr_expression``, x resting) and the fraction bound:

    load          = (resting_central_oxytocin * central_oxytocin + exogenous_concentration)
                    / otr_dissociation_constant
    otr_occupancy = load / (1 + load)
    otr_bound     = otr_expression * otr_occupancy   (bound receptors, per resting receptor)
    otr_signal    = otr_bound / resting_otr_occupancy                   (x resting)

**Receptor expression under chronic stress.** Repeated social defeat and social isolation
lower OTR binding and Oxtr expression, in the accumbens among other regions (rodent studies
and a meta-analysis of isolation, directions only); receptors return with turnover. A
stressor under way removes receptors in proportion to its intensity:

    d otr_expression/dt = otr_recovery_rate * (1 - otr_expression)
                          - otr_stress_loss_rate * stress_drive * otr_expression

Chronic opioids are not given an OTR fall: the data point the other way (escalating
morphine raised OTR binding in the lateral septum and amygdala after 7 days of withdrawal,
Zanos 2014, DOI 10.1038/npp.2013.285; a review: chronic drugs "generally" up-regulate OTR
binding while lowering the peptide), so only the peptide falls under opioid here.

**Blunting of drug-evoked dopamine.** Central oxytocin blunts the accumbens dopamine rise
that drugs evoke: i.c.v. oxytocin completely blocked ethanol-evoked dopamine release (Peters
2017) and antagonised cocaine's increase of accumbens dopamine utilisation (Kovacs 1990),
through OTR in the accumbens (OTR-D2 complexes). ``reward`` multiplies its drug-evoked terms
by a factor linear in the receptors bound, so a saturating dose can remove the rise
entirely, as observed (the OTR-opposed form below cannot reach 0):

    evoked_dopamine_factor = 1 - maximum_dopamine_blunting
                                 * (otr_bound - resting_otr_occupancy)
                                 / (1 - resting_otr_occupancy)

It is 1 at rest and does not move basal dopamine. Acute opioid antinociception has no
oxytocin path (oxytocin "failed to modify the acute antinociceptive effect of heroin",
Kovacs 1985), as OXT-ADDICT requires.

**Restraint of opioid adaptation.** Oxytocin attenuates tolerance and precipitated-withdrawal
signs (Kovacs 1985, 1986) and anti-oxytocin serum speeds tolerance (Kovacs 1986): endogenous
oxytocin restrains adaptation tonically. ``neuroadaptation`` multiplies its build-up rates of
desensitisation and cAMP superactivation by

    adaptation_rate_factor = (1 + oxytocin_restraint) / (1 + oxytocin_restraint * otr_signal)

exactly 1 at rest, 1 + oxytocin_restraint with no OTR signal (full blockade), and down to
(1 + r) / (1 + r / resting_otr_occupancy) (~0.08) when exogenous oxytocin saturates the
receptors.

Assumptions
- Magnitudes of the chronic changes were not found: the evidence gives directions only (no %,
  no time course). ``expression_suppression`` > 0 is what makes the store fall under chronic
  opioid: the direction is built in; its size is an assumption.
- Central oxytocin does not follow the store. With central release drawn from the store,
  chronic morphine lowered brain oxytocin (as Kovacs 1985 saw in the hippocampus of tolerant
  mice), the adaptation factor rose to ~1.4 and every tolerance/dependence result moved (rat
  TOL 21-d ED50 fold 5.50 -> 6.86; the maximal withdrawal drive 0.418 -> 0.361, on which
  the CRF and HPA gains were set). The size of that loop rests on two assumptions
  (expression_suppression, content_turnover_rate) and no magnitude, so it is left out: the
  restraint answers deviations of OTR signalling from rest (exogenous oxytocin, an
  antagonist, withdrawal release) and chronic opioid leaves it near 1.
- The neurones do not become tolerant here beyond the global mu desensitisation
  (``mu_receptor_availability``): in dependent rats they keep much of the acute inhibition.
- One lumped oxytocin neurone population and one store for the neurohypophysis and the
  hypothalamus; the PVN (content unchanged in tolerant rats) is not separated. The
  withdrawal autoexcitation (central oxytocin exciting the neurones) is folded into the
  withdrawal gains.
- The restraint enters through OTR signal only; the size of the restraint is an assumption
  (no ED50 shifts were found).
- The sizes of the OTR's fall under stress and of its recovery are assumptions (no % or
  time course found); the blunting's maximum comes from one i.c.v. study with ethanol and is
  taken to hold for every drug-evoked rise (cocaine's by direction, Kovacs 1990).
- Plasma oxytocin does not act on the brain OTR here (plasma levels of 3-15 pM occupy < 2 %);
  dosed oxytocin reaches it only through the CSF (``oxytocin`` PK module).

**Buffering of the stress axis.** OTR signalling lowers the stressor's CRH drive (central
oxytocin dose-dependently lowers the corticosterone response to a stressor, Windle 1997;
intranasal oxytocin with social support gives the smallest TSST cortisol rise, Heinrichs
2003). ``hpa_axis`` multiplies the stressor part of its drive by

    hpa_buffering = (1 + b) / (1 + b * otr_signal),
    b = maximum_stress_buffering / ((1 - maximum_stress_buffering) / resting_otr_occupancy - 1)

exactly 1 at rest, 1 - maximum_stress_buffering when oxytocin saturates the receptors, and
1 + b (a slightly larger stress response) with the receptors blocked. The same buffered drive
is the stress-evoked CRF that ``stress_sensitisation`` reads, so oxytocin given before a
defeat, or a cage mate's oxytocin, protects against what the defeat leaves behind only as far
as it lowers that drive.

**Inputs.** ``stress_drive`` is ``hpa_axis.stressor_intensity`` (stressors under way, in
typical social defeats: a defeat 1, a TSST ~0.35); ``social_contact`` is
``social_connection.social_contact_level`` (a close person, or a cage mate for rodents).

Not modelled: oxytocin alone raising basal accumbens dopamine (Kohli 2019, 0.1 mg/kg s.c.;
Tanda's group saw no change with intra-shell oxytocin; OXT-ADDICT checks it and fails), and
the potentiation of methylphenidate-evoked dopamine in the shell (Tanda; no methylphenidate in
the model).
"""

from opioidsim.model.declare import Module, Scalar, assumed, calibrated, derived
from opioidsim.model.receptors._operational import above_rest, pathway_response
from opioidsim.model.sources import (
    ANDERSON_HOLFORD_2008,
    DE_GROOT_1995,
    EBNER_2000,
    GTOPDB_OXYTOCIN_RECEPTOR,
    MOL_PAIN_2011,
    OXYTOCIN_RAT_PK,
    PETERS_2017_OXYTOCIN_ETHANOL,
)

MODULE = Module(
    name="oxytocin_system",
    description="oxytocin neurones, store, plasma and brain oxytocin, OTR signal",
    inputs={
        "mu_stimulus": Scalar("1", "mu efficacy-weighted occupancy (operational model)"),
        "mu_receptor_availability": Scalar(
            "1", "fraction of mu receptors not desensitised or internalised", default=1.0
        ),
        "locus_coeruleus_drive": Scalar(
            "1", "noradrenergic (locus coeruleus) withdrawal drive", default=0.0
        ),
        "exogenous_concentration": Scalar(
            "nM", "dosed oxytocin in the CSF (oxytocin.brain_concentration)", default=0.0
        ),
        "social_contact": Scalar(
            "1", "closeness of the person present (1 a close other, 0 alone)", default=0.0
        ),
        "stress_drive": Scalar(
            "1", "stressors under way, in typical social defeats (hpa_axis)", default=0.0
        ),
    },
    states={
        "oxytocin_expression": Scalar(
            "1", "Oxt synthesis (mRNA), x resting", initial=1.0, bounds=(0.0, 10.0)
        ),
        "oxytocin_content": Scalar(
            "1",
            "neurohypophysial/hypothalamic oxytocin content, x drug-free",
            initial=1.0,
            bounds=(0.0, 10.0),
        ),
        "plasma_oxytocin": Scalar(
            "nM",
            "plasma oxytocin (endogenous)",
            initial="resting_plasma_oxytocin",
            bounds=(0.0, 1e6),
        ),
        "central_oxytocin": Scalar(
            "1", "brain extracellular oxytocin, x resting", initial=1.0, bounds=(0.0, 1e3)
        ),
        "otr_expression": Scalar(
            "1",
            "oxytocin receptors (OTR) in the brain, x resting",
            initial=1.0,
            bounds=(0.0, 10.0),
        ),
    },
    outputs={
        "neurone_activity": Scalar("1", "SON/PVN oxytocin neurone activity, x resting"),
        "plasma_concentration": Scalar("nM", "plasma oxytocin (endogenous; x 1000 for pM)"),
        "content": Scalar("1", "oxytocin content, x drug-free"),
        "central_level": Scalar("1", "brain (central) oxytocin, x resting"),
        "otr_occupancy": Scalar("1", "fraction of oxytocin receptors bound"),
        "otr_signal": Scalar("1", "oxytocin-receptor signal, x resting"),
        "otr_expression": Scalar("1", "oxytocin receptors in the brain, x resting"),
        "evoked_dopamine_factor": Scalar(
            "1",
            "factor on the drug-evoked accumbens dopamine rise from OTR signalling (1 at rest)",
        ),
        "adaptation_rate_factor": Scalar(
            "1", "multiplier of opioid adaptation build-up rates (1 at rest)"
        ),
        "hpa_buffering": Scalar(
            "1", "factor on the stressors' CRH drive from OTR signalling (1 at rest)"
        ),
    },
    species=("human", "rat", "mouse"),
)

_NO_MAGNITUDE = "; no magnitude found (directions only), to be calibrated"

# Table 1. Shared by every species.
_COMMON = {
    "resting_mu_stimulus": derived(
        3.0398e-6,
        "1",
        [MOL_PAIN_2011],
        how="efficacy-weighted mu occupancy of basal beta-endorphin and dynorphin (0.01 nM "
        "each) with the mu_receptor table (as mu_effects.resting_mu_stimulus)",
        note="must follow endogenous_opioids and mu_receptor; tests check it",
    ),
    "firing_coupling": assumed(
        441.0,
        "1",
        reason="no supraoptic IC50 found; a rule: morphine's tau in this pathway such that "
        "1 mg/kg IV (the lowest dose of Ludwig 1997's 1-5 mg/kg range) gives 90 % of the "
        "maximal firing inhibition (the locus coeruleus pathway's tau, 125, SEUTIN_1990, gave "
        "only 81 %). The data cannot fit it: the maximum is taken as the inhibition observed "
        "at those doses, so the data alone push the tau to infinity",
        species="rat",
        note="'calibrated against ludwig_1997_morphine_son_firing' before session 20: it was "
        "this rule, not a fit",
    ),
    "maximum_firing_inhibition": assumed(
        0.941,
        "1",
        reason="morphine 1-5 mg/kg IV cut supraoptic oxytocin neurone firing by 94.1 +- 4.1 % "
        "(Ludwig, Brown, Russell & Leng 1997, J Physiol, 'Local opioid inhibition and morphine "
        "dependence of supraoptic nucleus oxytocin neurones'; abstract seen, no identifier "
        "seen); taken as the pathway's maximum",
        confidence="medium",
        species="rat",
    ),
    "expression_suppression": assumed(
        1.0,
        "1",
        reason="chronic morphine lowers Oxt mRNA in the SON (You 2000, via a review) and "
        "oxytocin content in the median eminence and SON of tolerant rats ('Changes in "
        "hypothalamic oxytocin levels during morphine tolerance', no identifier): full "
        "suppression of synthesis at full mu inhibition" + _NO_MAGNITUDE,
    ),
    "expression_rate": assumed(
        0.693,
        "1/d",
        reason="Oxt mRNA follows its drive with a half-time of about a day (transcription "
        "and mRNA turnover); no time course found",
    ),
    "content_turnover_rate": assumed(
        0.693,
        "1/d",
        reason="half-time 1 d: peptide made in the SON/PVN leaves the hypothalamus by axonal "
        "transport within about a day (textbook order of magnitude); the content change of "
        "tolerant rats was seen after 7 days, no time course found",
    ),
    "withdrawal_excitation_gain": calibrated(
        6.721,
        "1",
        against="oxt_precipitated_withdrawal_plasma_rat",
        species="rat",
        confidence="low",
        note="plasma oxytocin 62-fold over the pre-naloxone level after naloxone 5 mg/kg IV "
        "in morphine-dependent rats, simulated as in OXT-ADDICT; fitted with "
        "central_withdrawal_gain as the PEtab problem opioidsim calibrate "
        "oxytocin-withdrawal-gains (profile 95% interval 4.87-8.63; 6.96 before session 20)",
    ),
    "central_withdrawal_gain": calibrated(
        0.8848,
        "1",
        against="oxt_precipitated_withdrawal_plasma_rat",
        species="rat",
        confidence="low",
        note="intranuclear (dendritic) oxytocin release +56.5 % in naloxone-precipitated "
        "withdrawal (same study), read as the central level's peak rise; PEtab problem "
        "oxytocin-withdrawal-gains (profile 95% interval 0.488-1.281; 0.73 before session "
        "20)",
    ),
    "stress_excitation_gain": assumed(
        1.0,
        "1",
        reason="immobilisation and forced swim give 'large increases' of plasma oxytocin in "
        "rats (Lang 1983, no numbers): doubled secretion at intensity 1" + _NO_MAGNITUDE,
    ),
    "central_stress_gain": derived(
        1.54,
        "1",
        [EBNER_2000],
        how="septal oxytocin release 254 +- 43 % of baseline during a 30-min social defeat "
        "(rat microdialysis): 2.54 - 1 at stress intensity 1",
        species="rat",
        confidence="medium",
    ),
    "social_excitation_gain": assumed(
        0.5,
        "1",
        reason="affectionate touch goes with higher salivary oxytocin (Schneider 2023, EMA, "
        "direction only): +50 % at a close contact" + _NO_MAGNITUDE,
    ),
    "central_social_gain": assumed(
        0.5, "1", reason="as social_excitation_gain, for central release" + _NO_MAGNITUDE
    ),
    "resting_central_oxytocin": assumed(
        0.03,
        "nM",
        reason="rat CSF oxytocin ~20-50 pg/mL (recalled, source not identified); human CSF "
        "4-11 pg/mL (Amico 1983, DOI 10.1210/jcem-57-5-947): ~30 pM, of the order of "
        "the extracellular level the OTR sees",
    ),
    "central_elimination_rate": assumed(
        0.0365,
        "1/min",
        reason="ln 2 / 19 min: CSF clearance half-time of oxytocin after i.c.v. injection in "
        "freely moving rats (Mens, Witter & van Wimersma Greidanus 1983, Brain Res 262:143; "
        "abstract seen, no identifier seen)",
        confidence="medium",
        species="rat",
    ),
    "otr_dissociation_constant": derived(
        1.0,
        "nM",
        [GTOPDB_OXYTOCIN_RECEPTOR],
        how="oxytocin pKd 8.2-9.5 at the OTR (Kd 0.3-6.3 nM; rat pKi 8.7); [3H]oxytocin Kd "
        "0.76 nM, Hill ~1 in human myometrial cells (Tahara 2000): 1 nM taken",
        confidence="medium",
    ),
    "maximum_stress_buffering": assumed(
        0.5,
        "1",
        reason="central oxytocin lowers the corticosterone response to noise stress "
        "dose-dependently (Windle, Shanks, Lightman & Ingram 1997, Endocrinology 138:2829; "
        "abstract seen, magnitude not retrieved) and lowers the ACTH/cortisol response to "
        "stress in people and monkeys (Heinrichs 2003; Parker 2005; directions only): at most "
        "half of the stressor's CRH drive" + _NO_MAGNITUDE,
    ),
    "otr_recovery_rate": assumed(
        0.099,
        "1/d",
        reason="half-time 7 d: receptors return with turnover; OTR fibre density in the "
        "accumbens core was returning to normal after 15 days of extinction from "
        "methamphetamine (Baracz 2016, J Neuroendocrinol, DOI 10.1111/jne.12337; direction "
        "only)" + _NO_MAGNITUDE,
    ),
    "otr_stress_loss_rate": assumed(
        0.123,
        "1/h",
        reason="repeated social defeat and isolation lower OTR binding and Oxtr expression "
        "(directions only, no % found): one typical 25-min defeat (stress drive 1) removes "
        "5 % of the receptors, -ln(0.95) / (25/60 h); four defeats 72 h apart leave ~0.84"
        + _NO_MAGNITUDE,
    ),
    "maximum_dopamine_blunting": derived(
        1.0,
        "1",
        [PETERS_2017_OXYTOCIN_ETHANOL],
        how="oxytocin 1 ug i.c.v. 'completely blocked' the ethanol-evoked accumbens dopamine "
        "release: the whole drug-evoked rise removed when every receptor is bound",
        species="rat",
        confidence="low",
    ),
    "oxytocin_restraint": assumed(
        0.5,
        "1",
        reason="anti-oxytocin serum i.c.v. speeds morphine tolerance and i.c.v. oxytocin "
        "attenuates it dose-dependently (Kovacs 1986, DOI 10.1016/0376-8716(86)90087-6; "
        "Kovacs 1985): resting oxytocin withholds a third of the adaptation build-up "
        "rate (1.5x with no OTR signal)" + _NO_MAGNITUDE,
    ),
}

PARAMETERS_BY_SPECIES = {
    "human": {
        **_COMMON,
        "resting_plasma_oxytocin": assumed(
            3.0,
            "pM",
            reason="basal plasma oxytocin 1.80 (men) and 1.71 (women) uU/mL by extracted RIA "
            "(Amico 1981, JCEM; no identifier seen): ~3 pg/mL ~ 3 pM",
            confidence="medium",
            species="human",
        ),
        "plasma_elimination_rate": derived(
            2.02,
            "1/h",
            [DE_GROOT_1995],
            how="CL / V = 67.1 L/h / 33.2 L (IV oxytocin; as the oxytocin PK module)",
            species="human",
        ),
    },
    "rat": {
        **_COMMON,
        "resting_plasma_oxytocin": assumed(
            9.5,
            "pM",
            reason="basal rat plasma oxytocin 9.6 +- 2.3 pg/mL (silica extraction RIA; 15.3 "
            "with immunoextraction), Vecsernyes et al. 1994, Endocr Regul (no identifier seen)",
            confidence="medium",
            species="rat",
        ),
        "plasma_elimination_rate": derived(
            0.0790,
            "1/min",
            [OXYTOCIN_RAT_PK],
            how="CL / Vc = 0.0624 L/min/kg / 0.79 L/kg (IV, <= 500 ng/kg)",
            species="rat",
        ),
    },
    "mouse": {
        **_COMMON,
        "resting_plasma_oxytocin": assumed(
            9.5, "pM", reason="no extracted-assay mouse value found; the rat's taken"
        ),
        "plasma_elimination_rate": derived(
            0.1405,
            "1/min",
            [OXYTOCIN_RAT_PK, ANDERSON_HOLFORD_2008],
            how="rat 0.0790 /min x (0.025 kg / 0.25 kg)**-0.25 (rates scale with W^-1/4)",
            species="mouse",
            confidence="low",
        ),
    },
}


def _opposed_by_otr(strength, otr_signal):
    """(1 + k) / (1 + k x otr_signal): 1 at rest, 1 + k with no OTR signal, falling as the
    signal rises (the form of both the adaptation restraint and the stress buffering)."""
    return (1 + strength) / (1 + strength * otr_signal)


def rates(state, params, inputs):
    """Return (derivatives, outputs); pure arithmetic on floats, arrays, units or symbols."""
    effective_stimulus = inputs.mu_stimulus * inputs.mu_receptor_availability
    mu_inhibition = above_rest(
        pathway_response(effective_stimulus, params.firing_coupling, 1),
        pathway_response(params.resting_mu_stimulus, params.firing_coupling, 1),
    )
    excitation = (
        1
        + params.withdrawal_excitation_gain * inputs.locus_coeruleus_drive
        + params.stress_excitation_gain * inputs.stress_drive
        + params.social_excitation_gain * inputs.social_contact
    )
    neurone_activity = (1 - params.maximum_firing_inhibition * mu_inhibition) * excitation
    central_drive = (
        1
        + params.central_withdrawal_gain * inputs.locus_coeruleus_drive
        + params.central_stress_gain * inputs.stress_drive
        + params.central_social_gain * inputs.social_contact
    )
    secretion = neurone_activity * state.oxytocin_content

    resting_load = params.resting_central_oxytocin / params.otr_dissociation_constant
    resting_occupancy = resting_load / (1 + resting_load)
    load = (
        params.resting_central_oxytocin * state.central_oxytocin + inputs.exogenous_concentration
    ) / params.otr_dissociation_constant
    otr_occupancy = load / (1 + load)
    otr_bound = state.otr_expression * otr_occupancy
    otr_signal = otr_bound / resting_occupancy
    buffering = params.maximum_stress_buffering / (
        (1 - params.maximum_stress_buffering) / resting_occupancy - 1
    )

    derivatives = {
        "oxytocin_expression": params.expression_rate
        * (1 - params.expression_suppression * mu_inhibition - state.oxytocin_expression),
        "oxytocin_content": params.content_turnover_rate
        * (state.oxytocin_expression - state.oxytocin_content),
        "plasma_oxytocin": params.plasma_elimination_rate
        * (params.resting_plasma_oxytocin * secretion - state.plasma_oxytocin),
        "central_oxytocin": params.central_elimination_rate
        * (central_drive - state.central_oxytocin),
        "otr_expression": params.otr_recovery_rate * (1 - state.otr_expression)
        - params.otr_stress_loss_rate * inputs.stress_drive * state.otr_expression,
    }
    outputs = {
        "neurone_activity": neurone_activity,
        "plasma_concentration": state.plasma_oxytocin,
        "content": state.oxytocin_content,
        "central_level": state.central_oxytocin,
        "otr_occupancy": otr_occupancy,
        "otr_signal": otr_signal,
        "otr_expression": state.otr_expression,
        "evoked_dopamine_factor": 1
        - params.maximum_dopamine_blunting
        * (otr_bound - resting_occupancy)
        / (1 - resting_occupancy),
        "adaptation_rate_factor": _opposed_by_otr(params.oxytocin_restraint, otr_signal),
        "hpa_buffering": _opposed_by_otr(buffering, otr_signal),
    }
    return derivatives, outputs
