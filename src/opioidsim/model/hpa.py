"""HPA axis: hypothalamic CRH drive, pituitary ACTH and adrenal glucocorticoid.

A minimal feedback model of the hypothalamic-pituitary-adrenal axis (the structure of
Gupta et al. 2007 and Keenan & Veldhuis' ACTH-cortisol dose-response), with the three inputs
opioid addiction acts through:

- **Opioid tone.** In humans mu signalling inhibits CRH/ACTH release: morphine 5 mg IV or
  0.1 mg/kg stops cortisol secretion (cortisol falls at its own elimination rate;
  Facchinetti 1985), and naloxone in healthy people, by removing the endogenous opioid
  tone, raises ACTH 1.8-fold and cortisol 2-fold (PMID 8074133). The HPA transducer is
  therefore about half-occupied by the endogenous tone. It reads the mu stimulus left after
  desensitisation, so a tolerant subject off drug has less opioid brake (raised cortisol in
  heroin withdrawal, Zhang 2008).
- **Noradrenergic input.** Brainstem noradrenergic neurons (the locus coeruleus output of
  ``neuroadaptation``, lowered by alpha2 agonists) drive PVN CRH neurons.
- **Extended-amygdala CRF** (``crf_release_drive``): a CRF1 antagonist lowers the ACTH rise
  of precipitated withdrawal in rats (Almela 2012).
- **Stress episodes** (event kind ``stress``, declared here): a scenario's
  ``events: [{kind: stress, time: ..., duration: ..., intensity: ...}]`` adds its intensity to
  the hypothalamic drive, in multiples of the basal CRH drive, for its duration
  (``stressor_drive``), beside the noradrenergic and CRF inputs that withdrawal uses. The
  opioid factor scales it, so a mu agonist blunts the stress response (morphine 10 mg
  abolished the stress-induced cortisol rise; buprenorphine 0.2-0.4 mg blunted the TSST
  cortisol response, Bershad 2015). The intensity is the user's: named paradigms (restraint,
  footshock, Trier Social Stress Test, social defeat) with intensities taken from data are
  the next step of issue 14.

Equations (``g`` is the glucocorticoid: cortisol in humans, corticosterone in rodents):

    effective_stimulus = mu_stimulus * mu_receptor_availability
    opioid_brake(s)    = maximum_opioid_inhibition * s / (s + opioid_half_stimulus)
    excess_brake       = opioid_brake(effective_stimulus) - opioid_brake(resting_mu_stimulus)
    d opioid_adaptation/dt = adaptation_induction_rate * (fraction * excess_brake - a)
                                 while fraction * excess_brake > a (building), else
                             adaptation_decay_rate * (positive_part(fraction * excess_brake) - a)
    opioid_factor      = (1 - opioid_brake(effective_stimulus) + opioid_adaptation)
                         / (1 - opioid_brake(resting_mu_stimulus))
    hypothalamic_drive = opioid_factor * (1 + noradrenergic_gain * locus_coeruleus_output
                                          + amygdala_crf_gain * (crf_release_drive - 1)
                                          + stressor_drive)
    feedback(g)        = 1 / (1 + g / feedback_half_concentration)
    adrenal(a)         = a / (a + acth_half_effect)
    d acth/dt = acth_elimination_rate * (basal_acth * hypothalamic_drive
                                         * feedback(g) / feedback(basal_glucocorticoid) - acth)
    d g/dt    = glucocorticoid_elimination_rate
                * (basal_glucocorticoid * adrenal(acth) / adrenal(basal_acth) - g)

At rest every factor is 1 and both hormones sit at their basal values. The maximum
glucocorticoid is ``basal * adrenal(inf) / adrenal(basal_acth)``: 1.9 x basal (730 nmol/L)
in humans, within the 600-900 nmol/L of a cosyntropin test.

**Tolerance of the brake.** Sustained opioid inhibition up-regulates cAMP signalling in PVN
CRH neurons as in the locus coeruleus (same induction and decay rates as
``neuroadaptation.camp_superactivation``): ``opioid_adaptation`` offsets a fraction of the
brake. Without it the brake, half-occupied by the endogenous tone, is saturated by any drug
level: cortisol fell to ~4% of basal on the heroin regimen (users: 63% of controls,
Facchinetti 1985). The fraction is calibrated on that number (calibration data); when the
drug goes, the adaptation outlasts the brake and cortisol rises above basal (validated
against Zhang 2008's raised cortisol in acute withdrawal).

Assumptions
- No circadian rhythm and no ultradian pulses: the basal values are morning means
  (Ortiz-Flores 2018), and the outputs are read as changes from them. One compartment for
  each hormone (Keenan 2004 fits biexponential disappearance); total cortisol.
- Hill 1 for the adrenal response and the feedback (Keenan's slope is in another
  parameterisation); fast rate-sensitive feedback is left out.
- Species: rat values where found (corticosterone half-life); the rat has no opioid brake
  here, because acute opioids stimulate rather than inhibit the rodent HPA axis and no
  magnitude was found; the mouse uses the rat table.
"""

from opioidsim.model.declare import (
    EventKind,
    Module,
    Scalar,
    assumed,
    calibrated,
    derived,
    measured,
)
from opioidsim.model.math import positive_part, where
from opioidsim.model.sources import (
    FACCHINETTI_1985,
    HEISHMAN_1990,
    KEENAN_2004,
    KEENAN_2010,
    MOL_PAIN_2011,
    NALOXONE_HPA_1994,
    ORTIZ_FLORES_2018,
    STEROIDS_1988,
)

MODULE = Module(
    name="hpa_axis",
    description="hypothalamic CRH drive, pituitary ACTH and adrenal glucocorticoid",
    inputs={
        "mu_stimulus": Scalar("1", "mu efficacy-weighted occupancy (operational model)"),
        "mu_receptor_availability": Scalar(
            "1", "fraction of mu receptors not desensitised or internalised", default=1.0
        ),
        "locus_coeruleus_output": Scalar(
            "1", "noradrenergic (locus coeruleus) withdrawal drive", default=0.0
        ),
        "crf_release_drive": Scalar("1", "extended-amygdala CRF release, x basal", default=1.0),
        "stressor_drive": Scalar(
            "1",
            "added hypothalamic CRH drive of stress episodes, multiples of the basal drive "
            "(switched by stress events)",
            default=0.0,
        ),
    },
    states={
        "opioid_adaptation": Scalar(
            "1", "PVN cAMP adaptation offsetting the opioid brake", bounds=(0.0, 1.0)
        ),
        "acth": Scalar("nM", "plasma ACTH", initial="basal_acth", bounds=(0.0, 1e6)),
        "glucocorticoid": Scalar(
            "nM",
            "plasma cortisol (human) or corticosterone (rodent), total",
            initial="basal_glucocorticoid",
            bounds=(0.0, 1e6),
        ),
    },
    outputs={
        "acth_concentration": Scalar("nM", "plasma ACTH (1 pmol/L = 4.5 pg/mL)"),
        "glucocorticoid_concentration": Scalar("nM", "plasma cortisol/corticosterone"),
        "acth_fold_basal": Scalar("1", "ACTH, x basal"),
        "glucocorticoid_fold_basal": Scalar("1", "cortisol/corticosterone, x basal"),
        "hypothalamic_drive": Scalar("1", "PVN CRH drive, x basal"),
    },
    species=("human", "rat", "mouse"),
    events={
        "stress": EventKind(
            "a stress episode (restraint, footshock, social stress...): extra hypothalamic "
            "CRH drive for its duration",
            input="stressor_drive",
            intensity="added hypothalamic CRH drive, multiples of the basal drive (>= 0)",
        ),
    },
)

_CALIBRATE = "; low confidence, to be calibrated"
#: Fitted by ``opioidsim calibrate hpa-opioid-adaptation``.
CALIBRATED_FRACTION = 0.2436

_COMMON = {
    "resting_mu_stimulus": derived(
        3.0398e-6,
        "1",
        [MOL_PAIN_2011],
        how="efficacy-weighted mu occupancy of basal beta-endorphin and dynorphin (0.01 nM "
        "each) with the mu_receptor table (as mu_effects.resting_mu_stimulus)",
    ),
    "noradrenergic_gain": assumed(
        1.794,
        "1",
        reason="noradrenergic afferents drive PVN CRH neurons; the maximal locus coeruleus "
        "withdrawal drive (0.418, naloxone-precipitated after the heroin regimen; "
        "neuroadaptation.MAXIMAL_WITHDRAWAL_DRIVE, recomputed by a test) taken to raise the "
        "hypothalamic drive by 75%: 0.75/0.418, as precipitated withdrawal raises ACTH "
        "several-fold in rats (Almela 2012, qualitative)" + _CALIBRATE,
    ),
    "amygdala_crf_gain": assumed(
        0.3,
        "1",
        reason="a CRF1 antagonist lowers, but does not abolish, the ACTH rise of precipitated "
        "withdrawal (Almela 2012): the amygdala CRF input is the smaller one" + _CALIBRATE,
    ),
    "adaptation_induction_rate": derived(
        0.02,
        "1/h",
        [HEISHMAN_1990],
        how="the cAMP up-regulation rate of neuroadaptation.camp_induction_rate (same "
        "mechanism in PVN CRH neurons; half-time ~35 h)",
        confidence="low",
    ),
    "adaptation_decay_rate": derived(
        0.0289,
        "1/h",
        [HEISHMAN_1990],
        how="ln 2 / 24 h, as neuroadaptation.camp_decay_rate",
        confidence="low",
    ),
    "glucocorticoid_feedback_fold": assumed(
        8.0,
        "1",
        reason="feedback_half_concentration = basal / 8, so that removing all glucocorticoid "
        "raises steady ACTH 9-fold, as metyrapone 2 g does overnight (ACTH 468 ng/L; Clin "
        "Endocrinol short metyrapone test, identifier not seen); Hill 1",
    ),
}

# Table 1. Human (cortisol).
_HUMAN = {
    "basal_acth": measured(
        4.0,
        "pmol/L",
        ORTIZ_FLORES_2018,
        species="human",
        confidence="medium",
        note="median morning ACTH (18 pg/mL)",
    ),
    "basal_glucocorticoid": measured(
        386.0,
        "nmol/L",
        ORTIZ_FLORES_2018,
        species="human",
        confidence="medium",
        note="mean morning cortisol of normal responders",
    ),
    "acth_elimination_rate": derived(
        2.079, "1/h", [KEENAN_2004], how="ln 2 / 20 min (ACTH half-life)", species="human"
    ),
    "glucocorticoid_elimination_rate": derived(
        0.8487,
        "1/h",
        [KEENAN_2004],
        how="ln 2 / 49 min (total cortisol half-life)",
        species="human",
    ),
    "acth_half_effect": derived(
        3.56,
        "pmol/L",
        [KEENAN_2010],
        how="EC50 of ACTH on cortisol secretion 16 ng/L (model without hysteresis; Keenan "
        "2004: 26) / 4.5 pg/mL per pmol/L",
        species="human",
    ),
    "maximum_opioid_inhibition": derived(
        1.0,
        "1",
        [FACCHINETTI_1985],
        how="morphine (5 mg IV; 0.1 mg/kg) stops cortisol secretion: cortisol falls at its "
        "elimination rate, so a full mu signal removes the hypothalamic drive",
        species="human",
        confidence="low",
    ),
    "opioid_adaptation_fraction": calibrated(
        CALIBRATED_FRACTION,
        "1",
        against="facchinetti_1985_cortisol_heroin_users",
        species="human",
        confidence="low",
        note="cortisol over the last day of the heroin regimen = 0.63 x basal",
    ),
    "opioid_half_stimulus": derived(
        3.7998e-6,
        "1",
        [NALOXONE_HPA_1994, MOL_PAIN_2011],
        how="naloxone 125 ug/kg removes the endogenous tone and raises ACTH 1.8-fold: the "
        "resting brake s/(s + K) is 1 - 1/1.8 = 0.444, so K = 1.25 x resting stimulus "
        "(3.0398e-6); feedback during the 30 min is neglected",
        species="human",
        confidence="low",
    ),
}

# Table 2. Rat (corticosterone); the mouse uses it too.
_RAT = {
    "basal_acth": assumed(
        6.67, "pmol/L", reason="rat basal ACTH ~30 pg/mL (20-50 recalled, no source seen)"
    ),
    "basal_glucocorticoid": assumed(
        57.7,
        "nmol/L",
        reason="morning-trough corticosterone ~2 ug/dL (Atkinson & Waddell 1997, recalled) "
        "/ 346.5 g/mol",
    ),
    "acth_elimination_rate": assumed(
        20.8,
        "1/h",
        reason="ACTH half-life 2 min (dog 1.8-2.1 min; no rat value seen): small species "
        "clear ACTH faster than humans (20 min)",
    ),
    "glucocorticoid_elimination_rate": measured(
        1.664,
        "1/h",
        STEROIDS_1988,
        species="rat",
        confidence="medium",
        note="ln 2 / 25 min (total corticosterone)",
    ),
    "acth_half_effect": assumed(
        60.0,
        "pmol/L",
        reason="9 x basal ACTH, so corticosterone can rise ~10-fold from its trough under "
        "stress (2 -> 20 ug/dL, recalled range)",
    ),
    "maximum_opioid_inhibition": assumed(
        0.0,
        "1",
        reason="acute opioids stimulate the rodent HPA axis (opposite sign to humans); no "
        "magnitude found, so no direct opioid effect in the rat",
    ),
    "opioid_half_stimulus": assumed(
        3.7998e-6, "1", reason="human value; unused while maximum_opioid_inhibition is 0"
    ),
    "opioid_adaptation_fraction": assumed(
        0.0, "1", reason="no opioid brake in the rat (maximum_opioid_inhibition 0)"
    ),
}

PARAMETERS_BY_SPECIES = {"any": _COMMON, "human": _HUMAN, "rat": _RAT, "mouse": _RAT}


def rates(state, params, inputs):
    """Return (derivatives, outputs); pure arithmetic on floats, arrays, units or symbols."""
    effective_stimulus = inputs.mu_stimulus * inputs.mu_receptor_availability
    brake = (
        params.maximum_opioid_inhibition
        * effective_stimulus
        / (effective_stimulus + params.opioid_half_stimulus)
    )
    resting_brake = (
        params.maximum_opioid_inhibition
        * params.resting_mu_stimulus
        / (params.resting_mu_stimulus + params.opioid_half_stimulus)
    )
    # The condition compares the unclipped target (adaptation >= 0), so it holds no Piecewise.
    target = params.opioid_adaptation_fraction * (brake - resting_brake)
    d_adaptation = where(
        target > state.opioid_adaptation,
        params.adaptation_induction_rate * (target - state.opioid_adaptation),
        params.adaptation_decay_rate * (positive_part(target) - state.opioid_adaptation),
    )
    hypothalamic_drive = (
        (1 - brake + state.opioid_adaptation)
        / (1 - resting_brake)
        * (
            1
            + params.noradrenergic_gain * inputs.locus_coeruleus_output
            + params.amygdala_crf_gain * (inputs.crf_release_drive - 1)
            + inputs.stressor_drive
        )
    )
    feedback_half = params.basal_glucocorticoid / params.glucocorticoid_feedback_fold
    feedback = (1 + params.basal_glucocorticoid / feedback_half) / (
        1 + state.glucocorticoid / feedback_half
    )
    adrenal = (
        state.acth
        / (state.acth + params.acth_half_effect)
        * (params.basal_acth + params.acth_half_effect)
        / params.basal_acth
    )
    d_acth = params.acth_elimination_rate * (
        params.basal_acth * hypothalamic_drive * feedback - state.acth
    )
    d_glucocorticoid = params.glucocorticoid_elimination_rate * (
        params.basal_glucocorticoid * adrenal - state.glucocorticoid
    )
    outputs = {
        "acth_concentration": state.acth,
        "glucocorticoid_concentration": state.glucocorticoid,
        "acth_fold_basal": state.acth / params.basal_acth,
        "glucocorticoid_fold_basal": state.glucocorticoid / params.basal_glucocorticoid,
        "hypothalamic_drive": hypothalamic_drive,
    }
    derivatives = {
        "opioid_adaptation": d_adaptation,
        "acth": d_acth,
        "glucocorticoid": d_glucocorticoid,
    }
    return derivatives, outputs
