"""HPA axis: hypothalamic CRH drive, pituitary ACTH and adrenal glucocorticoid.

A minimal feedback model of the hypothalamic-pituitary-adrenal axis (the structure of
Gupta et al. 2007 and Keenan & Veldhuis' ACTH-cortisol dose-response), with the three inputs
opioid addiction acts through:

- **Opioid tone.** In humans mu signalling inhibits CRH/ACTH release: morphine 5 mg IV or
  0.1 mg/kg stops cortisol secretion (cortisol falls at its own elimination rate;
  Facchinetti 1985), which sets the brake's half stimulus. The endogenous tone then holds
  only ~1 % of the brake: a 24-h naloxone infusion leaves healthy men's cortisol unchanged,
  and naltrexone raises cortisol in women more than in men (Roche 2010), whose tonic
  restraint is small. (A naloxone study in patients at risk of adrenal insufficiency, ACTH
  1.8-fold, PMID 8074133, set a half-occupied brake until session 14; with it 0.2 mg
  buprenorphine drove basal cortisol to a fraction of basal.) The brake reads the mu
  stimulus left after desensitisation, so a tolerant subject off drug has less opioid
  brake (raised cortisol in heroin withdrawal, Zhang 2008).
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
  cortisol response, Bershad 2015). The intensity is the user's.
- **Named paradigms** (event kinds ``tsst``, ``restraint``, ``footshock``, ``social_defeat``,
  ``social_isolation``,
  declared here): each adds its own drive, a parameter with its provenance, times the
  event's intensity (1 = a typical episode; give the episode's real duration):

      stress_drive = stressor_drive + tsst_drive * tsst_episode
                     + restraint_drive * restraint_episode
                     + footshock_drive * footshock_episode
                     + social_defeat_drive * social_defeat_episode
                     + waking_drive * waking_episode
                     + social_isolation_drive * social_isolation_episode

  The TSST drive is derived from an independent equivalence: the TSST, the awakening
  response and 1 ug/kg CRH give cortisol responses of one size (Schmidt-Reinwald 1999), and
  that CRH dose raises ACTH 2.2-2.6-fold at 30 min, so a 15-min TSST drive is the one that
  raises the model's ACTH 2.4-fold. The awakening response (kind ``waking``) is, by the same
  equivalence, a TSST-sized drive at waking. The rodent drives are assumptions (see the
  table).

Equations (``g`` is the glucocorticoid: cortisol in humans, corticosterone in rodents):

    Circadian clock (SCN), a limit cycle of radius 1; time of day enters only through its
    state (c, s) = (cos, sin)(2 pi x clock time / 24 h); a run starts at 08:00
    (clock_cosine/sine_at_start), and r = 1 - c^2 - s^2:
    d c/dt = -clock_angular_frequency * s + clock_relaxation_rate * r * c
    d s/dt =  clock_angular_frequency * c + clock_relaxation_rate * r * s
    circadian = circadian_mean_drive + circadian_cosine_1 * c + circadian_sine_1 * s
                + circadian_cosine_2 * (c^2 - s^2) + circadian_sine_2 * 2 c s
      (a dual cosine / two-harmonic Fourier drive, Chakraborty 1999's form; human
      coefficients calibrated on Debono 2009's 24-h cortisol: peak 428 nmol/L at 08:36,
      nadir 55 at 00:19; rat: one cosine peaking at lights-off, nocturnal)

    effective_stimulus = mu_stimulus * mu_receptor_availability
    opioid_brake(s)    = maximum_opioid_inhibition * s / (s + opioid_half_stimulus)
    excess_brake       = opioid_brake(effective_stimulus) - opioid_brake(resting_mu_stimulus)
    d opioid_adaptation/dt = adaptation_induction_rate * (fraction * excess_brake - a)
                                 while fraction * excess_brake > a (building), else
                             adaptation_decay_rate * (positive_part(fraction * excess_brake) - a)
    opioid_factor      = (1 - opioid_brake(effective_stimulus) + opioid_adaptation)
                         / (1 - opioid_brake(resting_mu_stimulus))
    stress_crf_drive   = oxytocin_buffering * stress_drive
    hypothalamic_drive = opioid_factor
                         * (circadian + noradrenergic_gain * locus_coeruleus_output
                            + amygdala_crf_gain * (crf_release_drive - 1) + stress_crf_drive)
    stressor_intensity = stress_drive / social_defeat_drive   (in typical defeats)
    feedback(g)        = 1 / (1 + g / feedback_half_concentration)   (the whole loop)
    occupancy_R(g)     = g / (g + half_R),  half_R = basal_glucocorticoid * (1 - o_R) / o_R,
                         o_R = R_occupancy_at_basal, R = MR (mineralocorticoid), GR
    crh_feedback(g)    = (1 - mineralocorticoid_efficacy * occupancy_MR(g))
                         * (1 - occupancy_GR(g)) / (the same at basal_glucocorticoid)
    crh_release        = hypothalamic_drive * crh_feedback(g)
    pituitary_feedback(g) = feedback(g) / crh_feedback(g)    (the pituitary's share)
    adrenal(a)         = a^n / (a^n + acth_half_effect^n),   n = adrenal_hill
    d acth/dt = acth_elimination_rate * (basal_acth * corticotroph_mass * crh_release
                                         * pituitary_feedback(g) - acth)
              (= ... * hypothalamic_drive * feedback(g): the split leaves the hormones as
               the one-site loop had them; feedback, crh_feedback are 1 at basal g)
    d g/dt    = glucocorticoid_elimination_rate
                * (basal_glucocorticoid * adrenal_mass * adrenal(acth) / adrenal(basal_acth) - g)
    resting_acth, resting_glucocorticoid: the same two equations with circadian for the
        drive and masses 1 (the subject's drug-, stress- and oxytocin-free day)
    resting_crh_release = circadian * crh_feedback(resting_glucocorticoid)
    d corticotroph_mass/dt = corticotroph_turnover_rate * corticotroph_mass
                             * (crh_release / resting_crh_release - 1)
    d adrenal_mass/dt      = adrenal_turnover_rate * adrenal_mass * (acth / resting_acth - 1)
    acth_fold_basal = acth / resting_acth;  glucocorticoid_fold_basal = g / resting_g

Gland masses (Karin 2020): each hormone is a growth factor of the gland it drives (CRH of
the corticotrophs, ACTH of the adrenal cortex), with turnover times of weeks, so chronic
stress, or an opioid brake held for weeks, leaves the glands enlarged or shrunk, and the
axis dysregulated, for weeks after it ends. The growth reads the trophic hormone relative to
its resting value at the same time of day (Karin uses absolute levels against a set point;
for a sustained proportional change they agree), so a drug-free day leaves the masses
exactly at 1. Stress and withdrawal add to the drive, so the same stressor grows the
corticotrophs faster at night (low circadian drive) than in the morning: a consequence of
the relative reading, not a finding.

**MR/GR feedback on CRH: the glands' restoring force.** As in Karin 2020, glucocorticoid
inhibits CRH release through the high-affinity MR and the low-affinity GR, and the
corticotrophs grow with CRH after that feedback. Enlarged glands raise glucocorticoid, which
holds CRH (and, through the pituitary's share, ACTH) below its resting value, so both masses
shrink back: after 4 weeks of daily restraint the corticotroph increment falls to 1/e in
~30 d and the adrenal's in ~95 d from its peak a week later, with a ~5 % undershoot; the
linearised slow mode has a time constant of ~75 d in the rat and ~70 d in humans (Karin's
own gains and turnovers give ~60 d). (Until this change the corticotrophs read the drive
before feedback and had no restoring force: the masses kept whatever the stress left.)
Occupancies are Hill 1, fixed at basal by rat brain binding (Reul 1987: MR 77.8 %, GR
28.1 % at basal corticosterone); GR removes the whole CRH drive when saturated (Karin's GR
term), MR a fraction (mineralocorticoid_efficacy, assumed; Karin's MR term 1/g is the
saturated limit of a full-efficacy MR). The whole loop, feedback(g), is unchanged (fixed by
metyrapone's 9-fold ACTH rise); the pituitary keeps what the hypothalamus does not hold, so
the resting day, every hormone response with the masses at 1, and the derived constants
stay as they were; only the masses' dynamics change.

**Oxytocin buffering.** ``oxytocin_buffering`` (1 at rest, from ``oxytocin_system``)
multiplies the stressor's part of the CRH drive: central oxytocin lowers the corticosterone
response to a stressor (Windle 1997, i.c.v. oxytocin, dose-dependent) and is not reported to
move the basal level, so the circadian drive and withdrawal's noradrenergic and CRF inputs
are not buffered. The buffered stressor drive is also an output (``stress_crf_drive``): the
stress-evoked CRF that ``stress_sensitisation`` reads. ``stressor_intensity`` is the
unbuffered stressor drive in typical defeats, the unit ``oxytocin_system`` reads stress in.

The basal values are the steady state at hypothalamic drive 1 (the circadian drive runs
0.11-1.15 in humans, 1.15 at 08:00); a drug-free day repeats itself and every
``_fold_basal`` output stays at 1. The maximum
glucocorticoid is ``basal * adrenal(inf) / adrenal(basal_acth)``. In humans the adrenal's
ceiling is its measured maximal secretion, 21 nmol/L/min (ACTH efficacy of 36 controls,
PMC3410358; cosyntropin raises cortisol ~19 nmol/L/min, Dickstein 1997), 3.85 x the basal
secretion (the elimination rate x basal cortisol); with Keenan 2004's EC50 (26 ng/L) that
fixes the slope, n = 2.84: 1490 nmol/L at steady maximal drive. (Until session 14 the
adrenal was Hill 1 with EC50 16 ng/L, which put morning ACTH at 53 % of the maximum and
capped cortisol at 1.9 x basal, so no stress could raise it as a TSST does.)

**Tolerance of the brake.** Sustained opioid inhibition up-regulates cAMP signalling in PVN
CRH neurons as in the locus coeruleus (same induction and decay rates as
``neuroadaptation.camp_superactivation``): ``opioid_adaptation`` offsets a fraction of the
brake. Without it the brake, half-occupied by the endogenous tone, is saturated by any drug
level: cortisol fell to ~4% of basal on the heroin regimen (users: 63% of controls,
Facchinetti 1985). The fraction is calibrated on that number (calibration data); when the
drug goes, the adaptation outlasts the brake and cortisol rises above basal (validated
against Zhang 2008's raised cortisol in acute withdrawal).

Assumptions
- A circadian CRH drive but no ultradian pulses and no circadian adrenal gain (the rat's 7 x
  corticosterone rhythm needs one: here it is ~1.4 x); stress drives add to the circadian
  drive rather than scale it (rat stress increments are the same morning and evening).
  Debono's subjects woke in the morning, so the calibrated day already holds an awakening
  response; a ``waking`` event adds one on top. Stress episodes too short to move the
  glands (a TSST grows the corticotrophs by ~0.1 %). GR/MR feedback acts on CRH and the
  rest of the loop at the pituitary, both without delay (Karin has a brain compartment,
  ~17 min); GR self-induction (Gupta 2007) is not modelled.
  One compartment for
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
    DEBONO_2009,
    FACCHINETTI_1985,
    HEISHMAN_1990,
    KARIN_2020,
    KEENAN_2004,
    KIRSCHBAUM_1993,
    MOL_PAIN_2011,
    OCRH_TEST_1983,
    ORTIZ_FLORES_2018,
    REUL_1987,
    REUL_DE_KLOET_1985,
    REUL_DE_KLOET_1986,
    ROELFSEMA_2012,
    SCHMIDT_REINWALD_1999,
    STEROIDS_1988,
    TKACHEVA_1975,
)

#: Hypothalamic drive of a typical TSST (derived in tsst_drive); the awakening response is
#: of the same size (waking_drive).
TSST_DRIVE = 3.90
#: Assumed drive of an acute rodent stressor (restraint_drive; footshock and defeat alike).
ACUTE_STRESSOR_DRIVE = 11.07
#: Named stress paradigms (event kinds): input prefix -> what it is.
_PARADIGMS = {
    "tsst": "a Trier Social Stress Test",
    "restraint": "restraint stress",
    "footshock": "a footshock session",
    "social_defeat": "a social defeat",
    "waking": "waking (the awakening response)",
    "social_isolation": "social isolation (single housing, loneliness)",
}

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
        "oxytocin_buffering": Scalar(
            "1",
            "factor on the hypothalamic CRH drive from oxytocin (social buffering); 1 = none",
            default=1.0,
        ),
        "stressor_drive": Scalar(
            "1",
            "added hypothalamic CRH drive of stress episodes, multiples of the basal drive "
            "(switched by stress events)",
            default=0.0,
        ),
        **{
            f"{paradigm}_episode": Scalar(
                "1",
                f"{label} under way, x a typical episode (switched by {paradigm} events)",
                default=0.0,
            )
            for paradigm, label in _PARADIGMS.items()
        },
    },
    states={
        "clock_cosine": Scalar(
            "1",
            "circadian clock, cos(2 pi x clock time / 24 h) (limit cycle of radius 1)",
            initial="clock_cosine_at_start",
            bounds=(-2.0, 2.0),
        ),
        "clock_sine": Scalar(
            "1",
            "circadian clock, sin(2 pi x clock time / 24 h)",
            initial="clock_sine_at_start",
            bounds=(-2.0, 2.0),
        ),
        "corticotroph_mass": Scalar(
            "1", "functional corticotroph mass, x resting", initial=1.0, bounds=(0.0, 100.0)
        ),
        "adrenal_mass": Scalar(
            "1", "functional adrenal cortex mass, x resting", initial=1.0, bounds=(0.0, 100.0)
        ),
        "resting_acth": Scalar(
            "nM",
            "plasma ACTH of the same subject with no drug, stress or gland change (reference)",
            initial="acth_at_start",
            bounds=(0.0, 1e6),
        ),
        "resting_glucocorticoid": Scalar(
            "nM",
            "plasma glucocorticoid of the same subject with no drug, stress or gland change",
            initial="glucocorticoid_at_start",
            bounds=(0.0, 1e6),
        ),
        "opioid_adaptation": Scalar(
            "1", "PVN cAMP adaptation offsetting the opioid brake", bounds=(0.0, 1.0)
        ),
        "acth": Scalar("nM", "plasma ACTH", initial="acth_at_start", bounds=(0.0, 1e6)),
        "glucocorticoid": Scalar(
            "nM",
            "plasma cortisol (human) or corticosterone (rodent), total",
            initial="glucocorticoid_at_start",
            bounds=(0.0, 1e6),
        ),
    },
    outputs={
        "acth_concentration": Scalar("nM", "plasma ACTH (1 pmol/L = 4.5 pg/mL)"),
        "glucocorticoid_concentration": Scalar("nM", "plasma cortisol/corticosterone"),
        "acth_fold_basal": Scalar(
            "1", "ACTH, x its drug- and stress-free value at the same time of day"
        ),
        "glucocorticoid_fold_basal": Scalar(
            "1",
            "cortisol/corticosterone, x its drug- and stress-free value at the same time of day",
        ),
        "hypothalamic_drive": Scalar(
            "1",
            "PVN CRH drive before glucocorticoid feedback, x the drive that holds the basal "
            "values",
        ),
        "crh_release": Scalar(
            "1",
            "CRH release after MR/GR feedback (the corticotrophs' growth factor), x basal",
        ),
        "circadian_drive": Scalar(
            "1", "circadian part of the CRH drive, x the drive that holds the basal values"
        ),
        "stress_crf_drive": Scalar(
            "1",
            "stressors' CRH/CRF drive after oxytocin buffering, multiples of the basal drive",
        ),
        "stressor_intensity": Scalar(
            "1", "stressors' drive under way (unbuffered), in typical social defeats"
        ),
    },
    species=("human", "rat", "mouse"),
    events={
        "stress": EventKind(
            "a stress episode (restraint, footshock, social stress...): extra hypothalamic "
            "CRH drive for its duration",
            input="stressor_drive",
            intensity="added hypothalamic CRH drive, multiples of the basal drive (>= 0)",
        ),
        "tsst": EventKind(
            "a Trier Social Stress Test (public speech and arithmetic before a panel, about "
            "15 min with its preparation): hypothalamic drive tsst_drive for its duration",
            input="tsst_episode",
            intensity="multiples of a typical TSST (1)",
            species=("human",),
        ),
        "restraint": EventKind(
            "restraint (immobilisation) stress: hypothalamic drive restraint_drive for its "
            "duration (typically 15-30 min)",
            input="restraint_episode",
            intensity="multiples of a typical restraint episode (1)",
            species=("rat", "mouse"),
        ),
        "footshock": EventKind(
            "a footshock session: hypothalamic drive footshock_drive for its duration",
            input="footshock_episode",
            intensity="multiples of a typical session (1)",
            species=("rat", "mouse"),
        ),
        "waking": EventKind(
            "waking up: the cortisol awakening response as a TSST-sized hypothalamic drive "
            "(waking_drive) for its duration (15 min, as a TSST), on top of the circadian drive",
            input="waking_episode",
            intensity="multiples of a typical awakening response (1)",
            species=("human",),
        ),
        "social_defeat": EventKind(
            "a social defeat by a resident (resident-intruder: threat and attack, typically "
            "25 min, 4 episodes 72 h apart): hypothalamic drive social_defeat_drive",
            input="social_defeat_episode",
            intensity="multiples of a typical defeat (1)",
            species=("rat", "mouse"),
        ),
        "social_isolation": EventKind(
            "social isolation (single housing; in people, living alone without contact) for "
            "its duration, days to weeks: a chronic mild stressor, hypothalamic drive "
            "social_isolation_drive; contact events still count during it",
            input="social_isolation_episode",
            intensity="multiples of complete isolation (1)",
        ),
    },
)

_CALIBRATE = "; low confidence, to be calibrated"
#: Fitted by ``opioidsim calibrate hpa-opioid-adaptation``.
#: 0.4345 before session 15 (two-compartment morphine, circadian drive); 0.395 before the MR/GR
#: feedback on CRH (the gland masses now shrink less on the regimen); 0.3673 before heroin's
#: and 6-MAM's efficacy became 1.5 (session 20); 0.3665 before the striatal dynorphin
#: induction was re-fitted as a PEtab problem, 0.3668 before the circadian drive was
#: (session 20).
CALIBRATED_FRACTION = 0.3677

_COMMON = {
    "clock_angular_frequency": assumed(
        0.2617994,
        "1/h",
        reason="2 pi / 24 h: the clock is entrained to the solar day (its free-running "
        "period and its shift by light are not modelled)",
    ),
    "clock_relaxation_rate": assumed(
        1.0,
        "1/h",
        reason="pulls the clock back to radius 1 (a limit cycle, so no drift builds up over "
        "months of simulated time); any rate well above 1/day gives the same clock",
    ),
    "clock_cosine_at_start": assumed(
        -0.5,
        "1",
        reason="a run starts at 08:00 (cos(2 pi 8/24)), the morning of the basal values "
        "(Ortiz-Flores 2018); give clock_cosine/sine_at_start = cos/sin(2 pi h/24) to start "
        "at h o'clock",
    ),
    "clock_sine_at_start": assumed(
        0.8660254, "1", reason="sin(2 pi 8/24): a run starts at 08:00 (clock_cosine_at_start)"
    ),
    "corticotroph_turnover_rate": derived(
        0.001444,
        "1/h",
        [KARIN_2020],
        how="ln 2 / 20 d, the corticotroph turnover of Karin 2020's model as a third-party "
        "re-implementation of it gives it (peterdresslar/HPA_model_simulter, via "
        "shared/evidence/social_gut.md 1a; not checked against the paper's table)",
        confidence="low",
    ),
    "adrenal_turnover_rate": derived(
        0.0009627,
        "1/h",
        [KARIN_2020],
        how="ln 2 / 30 d, the adrenal cortex turnover of Karin 2020's model as the same "
        "third-party re-implementation gives it (as corticotroph_turnover_rate)",
        confidence="low",
    ),
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
    "tsst_drive": derived(
        TSST_DRIVE,
        "1",
        [SCHMIDT_REINWALD_1999, OCRH_TEST_1983, KIRSCHBAUM_1993],
        how="the TSST's cortisol response is of the size of 1 ug/kg CRH's (Schmidt-Reinwald "
        "1999), which raises ACTH 2.2-fold (Endocrinol Jpn 1983) to 2.6-fold (Young 1990, "
        "Mayo Clin Proc 65:943) at 30 min: the drive that raises the model's ACTH 2.4-fold in "
        "a 15-min episode (the TSST's preparation, speech and arithmetic, Kirschbaum 1993); "
        "human table (3.32 for 2.2-fold, 4.50 for 2.6-fold)",
        confidence="low",
    ),
    "waking_drive": derived(
        TSST_DRIVE,
        "1",
        [SCHMIDT_REINWALD_1999],
        how="the awakening response is of the size of the TSST's and of 1 ug/kg CRH's "
        "(Schmidt-Reinwald 1999): tsst_drive, over the TSST's 15 min (the ACTH rise after "
        "waking, Wilhelm 2007, is the model's input; the adrenal sensitisation by light at "
        "waking, Clow 2010, is not modelled)",
        confidence="low",
    ),
    "restraint_drive": assumed(
        ACUTE_STRESSOR_DRIVE,
        "1",
        reason="acute stressors raise rat ACTH ~6-fold within 15 min (forced running, "
        "abstract seen, identifier not recorded); the drive that gives 6-fold in a 15-min "
        "episode with the rat table",
    ),
    "footshock_drive": assumed(
        ACUTE_STRESSOR_DRIVE,
        "1",
        reason="footshock and immobilisation give the same immediate ACTH and corticosterone "
        "responses in rats (Brain Res 2002;926:181, PMID 11814422): as restraint_drive",
    ),
    "social_defeat_drive": assumed(
        ACUTE_STRESSOR_DRIVE,
        "1",
        reason="no ACTH magnitude found for a defeat (corticosterone 5-10 x recalled): as "
        "restraint_drive",
    ),
    "social_isolation_drive": assumed(
        0.3,
        "1",
        reason="isolation is a chronic mild stressor: single-housed rodents and lonely people "
        "have modestly raised or flattened glucocorticoid profiles (directions only; no "
        "magnitude found): 30 % of the basal CRH drive, a twentieth of an acute stressor's, "
        "enough to grow the glands over weeks, far below what sensitises dopamine",
    ),
    "glucocorticoid_feedback_fold": assumed(
        8.0,
        "1",
        reason="feedback_half_concentration = basal / 8, so that removing all glucocorticoid "
        "raises steady ACTH 9-fold, as metyrapone 2 g does overnight (ACTH 468 ng/L; Clin "
        "Endocrinol short metyrapone test, identifier not seen); Hill 1. The whole loop, "
        "hypothalamic (MR/GR on CRH) and pituitary together",
    ),
    "mineralocorticoid_occupancy_at_basal": derived(
        0.778,
        "1",
        [REUL_1987, REUL_DE_KLOET_1985],
        how="MR (type I) occupation in rat brain at basal corticosterone (43 nmol/L): 77.8 %; "
        "97 % at the 811 nmol/L peak of a novel environment (a Hill-1 site with the "
        "half-saturation fixed at basal gives 98.5 % there). The half-saturating "
        "glucocorticoid is basal x (1 - 0.778)/0.778 (MR binds corticosterone ~10 x more "
        "tightly than GR, KD ~0.5 vs 2.5-5 nM in vitro, Reul & de Kloet 1986). Human cortisol "
        "at its basal (morning) value is assumed to occupy MR as rat corticosterone does at "
        "its basal value",
        species="rat",
        confidence="medium",
    ),
    "glucocorticoid_receptor_occupancy_at_basal": derived(
        0.281,
        "1",
        [REUL_1987, REUL_DE_KLOET_1986],
        how="GR (type II) occupation in rat brain at basal corticosterone (43 nmol/L): 28.1 %; "
        "74.5 % at the 811 nmol/L stress peak (a Hill-1 site with the half-saturation fixed "
        "at basal gives 88 % there; Karin 2020 uses Hill 3). Half-saturating glucocorticoid = "
        "basal x (1 - 0.281)/0.281. Human: as for MR",
        species="rat",
        confidence="medium",
    ),
    "mineralocorticoid_efficacy": assumed(
        0.85,
        "1",
        reason="fraction of the CRH drive a fully occupied MR removes (GR removes all of it, "
        "as Karin 2020's GR term does). The whole loop is fixed by metyrapone "
        "(glucocorticoid_feedback_fold); how it splits between hypothalamus and pituitary was "
        "not found. With GR at full efficacy, MR efficacy above 0.895 would leave the "
        "pituitary's share rising with glucocorticoid somewhere (a test checks this): 0.85, "
        "so the hypothalamus holds most of the loop (log-gain 0.71 of 0.89 at basal) and "
        "removing all glucocorticoid raises the CRH drive 4.1-fold (Karin's MR term, 1/g, is "
        "the saturated limit of a full-efficacy MR)",
    ),
}

#: Human circadian CRH drive: 24-h mean and two harmonics (fitted, see circadian_mean_drive).
HUMAN_CIRCADIAN = {
    "circadian_mean_drive": 0.51319,
    "circadian_cosine_1": -0.27721,
    "circadian_sine_1": 0.36372,
    "circadian_cosine_2": -0.12454,
    "circadian_sine_2": -0.14052,
}
_DEBONO = "debono_2009_cortisol_24h_profile"


def _circadian_fit(name: str) -> object:
    return calibrated(
        HUMAN_CIRCADIAN[name],
        "1",
        against=_DEBONO,
        species="human",
        confidence="medium",
        note="two-harmonic (dual cosine) drive fitted to the drug-free day, the PEtab problem "
        "opioidsim calibrate circadian-crh-drive (least squares; exact: cortisol 428 nmol/L "
        "with zero slope at 08:32, 55 with zero slope at 00:18, 138 at 16:30; the hand fit of "
        "session 15 left slopes of 1.4 and -0.5 nmol/L/h at the peak and nadir) (Debono 2009; the "
        "afternoon value from an oCRF study, its clock time assumed from 'late afternoon'). "
        "The drive runs 0.107 (23:34) to 1.151 (07:57). ACTH, not fitted, comes out 2.5 "
        "pmol/L at 16:30; the same study's 2.4 is not independent of the fit",
    )


# Table 1. Human (cortisol).
_HUMAN = {
    **{name: _circadian_fit(name) for name in HUMAN_CIRCADIAN},
    "acth_at_start": derived(
        4.2561,
        "pmol/L",
        [DEBONO_2009],
        how="ACTH at 08:00 on the model's drug-free periodic day (recomputed by a test)",
        species="human",
    ),
    "glucocorticoid_at_start": derived(
        424.96,
        "nmol/L",
        [DEBONO_2009],
        how="cortisol at 08:00 on the model's drug-free periodic day (recomputed by a test)",
        species="human",
    ),
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
        5.778,
        "pmol/L",
        [KEENAN_2004],
        how="EC50 of endogenous ACTH on cortisol secretion 26 ng/L (the fit that gives the "
        "cortisol half-life used here) / 4.5 pg/mL per pmol/L",
        species="human",
    ),
    "adrenal_hill": derived(
        2.84,
        "1",
        [ROELFSEMA_2012, KEENAN_2004, ORTIZ_FLORES_2018],
        how="basal secretion = 0.8487 /h x 386 nmol/L = 327.6 nmol/L/h is 0.260 of the "
        "maximal 21 nmol/L/min (1260 nmol/L/h); at basal ACTH 4 pmol/L and EC50 5.778: "
        "n = ln(0.260/0.740) / ln(4/5.778) = 2.84. Keenan's own slope is in another "
        "parameterisation (not seen)",
        species="human",
        confidence="low",
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
        note="cortisol over the last day of the heroin regimen = 0.63 x basal; the PEtab "
        "problem hpa-opioid-adaptation solved by pyPESTO (95 % profile 0.279-0.456, sigma "
        "the SE of Facchinetti's ratio of means, 0.079); 0.3652 by least squares on a 30-min "
        "sample mean before session 18, 0.4345 in session 14 (before the circadian drive, "
        "gland masses and two-compartment morphine), 0.395 before the MR/GR feedback on CRH",
    ),
    "opioid_half_stimulus": derived(
        2.710e-4,
        "1",
        [FACCHINETTI_1985],
        how="morphine 0.1 mg/kg IV stops cortisol secretion within the hour in healthy "
        "volunteers: the brake s/(s + K) is taken as 0.9 at 30 min after 7 mg IV, where the "
        "model's mu stimulus is 2.439e-3, so K = 2.439e-3 x 0.1/0.9. The resting brake is "
        "then 1.1 % (1.172e-4 in session 14, with the one-compartment morphine that put "
        "1.055e-3 there; until session 14 K was 1.25 x the resting stimulus, from naloxone's "
        "1.8-fold ACTH rise in patients at risk of adrenal insufficiency, PMID 8074133: it "
        "made 0.2 mg buprenorphine crush basal cortisol, and healthy men show little tonic "
        "opioid restraint of cortisol)",
        species="human",
        confidence="low",
    ),
}

# Table 2. Rat (corticosterone); the mouse uses it too.
_RAT_RHYTHM = (
    "nocturnal: the drive peaks at lights-off (19:00, lights on 07:00-19:00) and its trough "
    "(07:00) holds the basal (morning trough) values; morning to evening ACTH 2 x "
    "(female rats, 'Diurnal changes in amplification of hormone rhythms in the "
    "adrenocortical system', abstract seen, identifier not seen): mean 1.5, amplitude 0.5"
)
_RAT = {
    "circadian_mean_drive": assumed(1.5, "1", reason=_RAT_RHYTHM),
    "circadian_cosine_1": assumed(0.12941, "1", reason="0.5 cos(2 pi 19/24): " + _RAT_RHYTHM),
    "circadian_sine_1": assumed(-0.48296, "1", reason="0.5 sin(2 pi 19/24): " + _RAT_RHYTHM),
    "circadian_cosine_2": assumed(0.0, "1", reason="one cosine; no rat profile shape seen"),
    "circadian_sine_2": assumed(0.0, "1", reason="one cosine; no rat profile shape seen"),
    "acth_at_start": assumed(
        6.7294,
        "pmol/L",
        reason="ACTH at 08:00 on the model's drug-free periodic day (recomputed by a test)",
    ),
    "glucocorticoid_at_start": assumed(
        57.858,
        "nmol/L",
        reason="corticosterone at 08:00 on the model's drug-free periodic day (recomputed by "
        "a test)",
    ),
    "basal_acth": assumed(
        6.67, "pmol/L", reason="rat basal ACTH ~30 pg/mL (20-50 recalled, no source seen)"
    ),
    "basal_glucocorticoid": assumed(
        57.7,
        "nmol/L",
        reason="morning-trough corticosterone ~2 ug/dL (Atkinson & Waddell 1997, recalled) "
        "/ 346.5 g/mol",
    ),
    "acth_elimination_rate": measured(
        3.713,
        "1/h",
        TKACHEVA_1975,
        species="rat",
        confidence="medium",
        note="ln 2 / 11.2 min (iodinated ACTH, intact rats; until session 14 a 2-min "
        "half-life was assumed from the dog)",
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
    "adrenal_hill": assumed(
        1.0, "1", reason="no rat ACTH-corticosterone slope found; Michaelis-Menten"
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


def _feedback(glucocorticoid, params):
    """The whole glucocorticoid feedback on ACTH secretion, 1 at the basal glucocorticoid level."""
    feedback_half = params.basal_glucocorticoid / params.glucocorticoid_feedback_fold
    basal_feedback = 1 + params.basal_glucocorticoid / feedback_half
    return basal_feedback / (1 + glucocorticoid / feedback_half)


def _occupancy(glucocorticoid, params, occupancy_at_basal):
    """Receptor occupancy (Hill 1), given the occupancy at the basal glucocorticoid level."""
    half = params.basal_glucocorticoid * (1 - occupancy_at_basal) / occupancy_at_basal
    return glucocorticoid / (glucocorticoid + half)


def _crh_feedback(glucocorticoid, params):
    """MR and GR feedback on the CRH drive, 1 at the basal glucocorticoid level."""

    def unnormalised(g):
        mr = _occupancy(g, params, params.mineralocorticoid_occupancy_at_basal)
        gr = _occupancy(g, params, params.glucocorticoid_receptor_occupancy_at_basal)
        return (1 - params.mineralocorticoid_efficacy * mr) * (1 - gr)

    return unnormalised(glucocorticoid) / unnormalised(params.basal_glucocorticoid)


def _adrenal_secretion(acth, params):
    """Adrenal glucocorticoid secretion (Hill in ACTH), 1 at the basal ACTH level."""
    basal_power = (params.basal_acth / params.acth_half_effect) ** params.adrenal_hill
    acth_power = (acth / params.acth_half_effect) ** params.adrenal_hill
    return acth_power / (1 + acth_power) * (1 + basal_power) / basal_power


def rates(state, params, inputs):
    """Return (derivatives, outputs); pure arithmetic on floats, arrays, units or symbols."""
    cosine, sine = state.clock_cosine, state.clock_sine
    radius_error = 1 - cosine * cosine - sine * sine
    d_clock_cosine = (
        -params.clock_angular_frequency * sine
        + params.clock_relaxation_rate * radius_error * cosine
    )
    d_clock_sine = (
        params.clock_angular_frequency * cosine
        + params.clock_relaxation_rate * radius_error * sine
    )
    circadian = (
        params.circadian_mean_drive
        + params.circadian_cosine_1 * cosine
        + params.circadian_sine_1 * sine
        + params.circadian_cosine_2 * (cosine * cosine - sine * sine)
        + params.circadian_sine_2 * 2 * cosine * sine
    )
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
    stress_drive = inputs.stressor_drive + sum(
        getattr(params, f"{paradigm}_drive") * getattr(inputs, f"{paradigm}_episode")
        for paradigm in _PARADIGMS
    )
    stress_crf_drive = inputs.oxytocin_buffering * stress_drive
    hypothalamic_drive = (
        (1 - brake + state.opioid_adaptation)
        / (1 - resting_brake)
        * (
            circadian
            + params.noradrenergic_gain * inputs.locus_coeruleus_output
            + params.amygdala_crf_gain * (inputs.crf_release_drive - 1)
            + stress_crf_drive
        )
    )
    # MR/GR feedback on CRH; the pituitary holds the rest of the whole loop, so ACTH secretion
    # reads hypothalamic_drive * feedback(g) as before the split.
    crh_release = hypothalamic_drive * _crh_feedback(state.glucocorticoid, params)
    # crh_release x pituitary share = hypothalamic_drive x feedback(g): ACTH reads the
    # product directly, so the hormones and their resting copy stay identical to rounding.
    feedback = _feedback(state.glucocorticoid, params)
    # The drug-free, stress-free copy of the axis runs through the same functions.
    resting_crh_release = circadian * _crh_feedback(state.resting_glucocorticoid, params)
    resting_feedback = _feedback(state.resting_glucocorticoid, params)
    adrenal = _adrenal_secretion(state.acth, params)
    resting_adrenal = _adrenal_secretion(state.resting_acth, params)
    d_acth = params.acth_elimination_rate * (
        params.basal_acth * state.corticotroph_mass * hypothalamic_drive * feedback - state.acth
    )
    d_glucocorticoid = params.glucocorticoid_elimination_rate * (
        params.basal_glucocorticoid * state.adrenal_mass * adrenal - state.glucocorticoid
    )
    d_resting_acth = params.acth_elimination_rate * (
        params.basal_acth * circadian * resting_feedback - state.resting_acth
    )
    d_resting_glucocorticoid = params.glucocorticoid_elimination_rate * (
        params.basal_glucocorticoid * resting_adrenal - state.resting_glucocorticoid
    )
    d_corticotroph_mass = (
        params.corticotroph_turnover_rate
        * state.corticotroph_mass
        * (crh_release / resting_crh_release - 1)
    )
    d_adrenal_mass = (
        params.adrenal_turnover_rate * state.adrenal_mass * (state.acth / state.resting_acth - 1)
    )
    outputs = {
        "acth_concentration": state.acth,
        "glucocorticoid_concentration": state.glucocorticoid,
        "acth_fold_basal": state.acth / state.resting_acth,
        "glucocorticoid_fold_basal": state.glucocorticoid / state.resting_glucocorticoid,
        "hypothalamic_drive": hypothalamic_drive,
        "crh_release": crh_release,
        "circadian_drive": circadian,
        "stress_crf_drive": stress_crf_drive,
        "stressor_intensity": stress_drive / params.social_defeat_drive,
    }
    derivatives = {
        "clock_cosine": d_clock_cosine,
        "clock_sine": d_clock_sine,
        "corticotroph_mass": d_corticotroph_mass,
        "adrenal_mass": d_adrenal_mass,
        "resting_acth": d_resting_acth,
        "resting_glucocorticoid": d_resting_glucocorticoid,
        "opioid_adaptation": d_adaptation,
        "acth": d_acth,
        "glucocorticoid": d_glucocorticoid,
    }
    return derivatives, outputs
