"""Striatal opioid peptides driven by dopamine: acute beta-endorphin, induced prodynorphin.

Where psychostimulant reward meets the opioid system. Dopamine at D1 receptors of the
accumbens releases beta-endorphin within minutes (cocaine, amphetamine; blocked by a D1
antagonist or a dopamine lesion, mimicked by local dopamine), and repeated large dopamine
rises induce prodynorphin in striatonigral (D1) neurons over days: the mRNA within one binge
day, the peptide after about four days, back to normal about 12 days after the last dose. The
extra dynorphin acts at kappa receptors, which lower dopamine release (``reward``): the
"anti-reward" of repeated cocaine.

Both pathways read D1 activation, a saturating function of dopamine above baseline (D1
receptors have a low affinity for dopamine, so they follow the large phasic rises a
psychostimulant gives more than the tonic level):

    dopamine_excess = positive_part(dopamine_percent_baseline / baseline_dopamine - 1
                                    - d1_threshold_excess)
    d1_activation   = hill(dopamine_excess, d1_half_activation_excess, 1)

Acute beta-endorphin release (extra, x basal; to ``endogenous_opioids``, where the peptide's
own half-life gives the lag behind dopamine):

    beta_endorphin_release = d1_beta_endorphin_release * d1_activation

Prodynorphin mRNA and dynorphin peptide content (x basal, 1 at rest) and the extra dynorphin
release (x basal; release in proportion to the peptide content):

    d prodynorphin_mrna/dt = mrna_turnover_rate
                             * (1 + mrna_induction * d1_activation - prodynorphin_mrna)
    d dynorphin_content/dt = peptide_turnover_rate * (prodynorphin_mrna - dynorphin_content)
    dynorphin_induction    = dynorphin_content - 1

At rest (dopamine at baseline) the excess is 0, so both extra releases are exactly 0 and the
states stay at 1; dopamine below baseline, or within the threshold above it, induces nothing
(positive part).

Assumptions
- One D1 activation drives both pathways, with a half effect at dopamine ~4 x baseline
  (``d1_half_activation_excess`` 3): an opioid's dopamine rise (at most +100 % here) engages
  D1 a third as much as a 6-fold cocaine rise. Rises under 5 % of baseline
  (``d1_threshold_excess``, within the sample-to-sample spread of a dialysis baseline) do not
  count; the threshold also keeps rest exact against the ~1e-5 drift that the rounded resting
  constants leave in dopamine. The sizes of the acute release, the half effect and the
  threshold are assumptions: no magnitude of cocaine-evoked beta-endorphin was found.
- Peptide content follows mRNA with one turnover rate (synthesis in proportion to mRNA,
  first-order loss); the rate is set from the rat time course (up after 4 days, still up 4
  days after the last dose, normal by 12 days), the induction from the size of the rise after
  binge dosing (40-100 %). The mRNA half-life (12 h) is assumed.
- The model has one dynorphin pool (``endogenous_opioids``), read by the kappa receptors
  that lower accumbens dopamine; the induction is mainly dorsal striatal (little or none in
  the accumbens), so its effect on accumbens dopamine may be overstated.
- Opioid-evoked dopamine induces prodynorphin through the same path; whether chronic
  opioids do so in the striatum is not settled in the literature (not checked here).
- Kappa receptor number is fixed: receptor down-regulation or internalisation by the extra
  dynorphin (one reading of lower kappa PET binding after a binge) is not modelled.

Left to other modules
- The dynorphin and beta-endorphin concentrations (``endogenous_opioids``), their receptors
  (``mu_receptor``, ``kappa_receptor``) and dopamine itself (``reward``).
"""

from opioidsim.model.declare import Module, Scalar, assumed, calibrated
from opioidsim.model.math import hill, positive_part

MODULE = Module(
    name="striatal_peptides",
    description="dopamine (D1) driven accumbens beta-endorphin and striatal prodynorphin",
    inputs={
        "dopamine_percent_baseline": Scalar(
            "1", "accumbens dopamine, % of baseline", default=100.0
        ),
    },
    states={
        "prodynorphin_mrna": Scalar(
            "1", "striatal prodynorphin mRNA, x basal", initial=1.0, bounds=(0.0, 100.0)
        ),
        "dynorphin_content": Scalar(
            "1", "striatal dynorphin peptide content, x basal", initial=1.0, bounds=(0.0, 100.0)
        ),
    },
    outputs={
        "d1_activation": Scalar("1", "D1 receptor activation by dopamine above baseline"),
        "beta_endorphin_release": Scalar(
            "1", "extra accumbens beta-endorphin release driven by dopamine (D1), x basal"
        ),
        "dynorphin_induction": Scalar(
            "1", "extra dynorphin release from induced prodynorphin, x basal"
        ),
    },
    species=("human", "rat", "mouse"),
)

# Table 1. D1 activation, release and induction.
PARAMETERS = {
    "baseline_dopamine": assumed(
        100.0, "1", reason="microdialysis convention: the pre-drug baseline is 100%"
    ),
    "d1_threshold_excess": assumed(
        0.05,
        "1",
        reason="dopamine within 5 % of baseline (the sample-to-sample spread of a dialysis "
        "baseline) is not a D1 signal; also keeps rest exact against the ~1e-5 dopamine drift "
        "left by the rounded resting constants of reward",
    ),
    "d1_half_activation_excess": assumed(
        3.0,
        "1",
        reason="D1 receptors have a low affinity for dopamine and follow large phasic rises: "
        "half activation at dopamine 4 x baseline, between an opioid's rise (<= 2 x) and "
        "cocaine's (5-8 x); no in vivo value found",
    ),
    "d1_beta_endorphin_release": assumed(
        1.0,
        "1",
        reason="full D1 activation doubles accumbens beta-endorphin release (cocaine's 6-fold "
        "dopamine: +67 %); the direction is documented (cocaine, amphetamine raise accumbens "
        "endorphins via D1), no magnitude was found; kept modest",
    ),
    "mrna_turnover_rate": assumed(
        0.05776,
        "1/h",
        reason="ln2 / 12 h: neuropeptide mRNAs turn over in hours to a day; no prodynorphin "
        "mRNA half-life found",
    ),
    "peptide_turnover_rate": assumed(
        0.1733,
        "1/d",
        reason="half-life 4 d, a rule: striatal dynorphin A(1-8) after 20 mg/kg/d x 4 d was "
        "still up 4 d after the last dose and normal by 12 d (rat_cocaine_striatal_dynorphin), "
        "so the half-life lies between ~3 d (a rise still seen at 4 d) and ~5 d (gone by "
        "12 d); the middle is taken",
        species="rat",
        note="'calibrated against rat_cocaine_striatal_dynorphin' before session 20: it was "
        "this rule on a bracket, not a fit",
    ),
    "mrna_induction": calibrated(
        5.894,
        "1",
        against="rat_cocaine_striatal_dynorphin",
        species="rat",
        confidence="low",
        note="rise of mRNA at full D1 activation: a 14-day binge (15 mg/kg i.p. x 3 hourly "
        "each day) raises striatal dynorphin peptide by 40-100 % (secondary summary of the "
        "rodent peptide studies; see the data set): +70 %, the middle of the range, as the "
        "PEtab problem opioidsim calibrate dynorphin-induction (profile 95% interval "
        "3.35-8.46; 6 set by hand before session 20)",
    ),
}


def rates(state, params, inputs):
    """Return (derivatives, outputs); pure arithmetic on floats, arrays, units or symbols."""
    dopamine_excess = positive_part(
        inputs.dopamine_percent_baseline / params.baseline_dopamine
        - 1
        - params.d1_threshold_excess
    )
    d1_activation = hill(dopamine_excess, params.d1_half_activation_excess, 1)
    d_mrna = params.mrna_turnover_rate * (
        1 + params.mrna_induction * d1_activation - state.prodynorphin_mrna
    )
    d_content = params.peptide_turnover_rate * (state.prodynorphin_mrna - state.dynorphin_content)
    outputs = {
        "d1_activation": d1_activation,
        "beta_endorphin_release": params.d1_beta_endorphin_release * d1_activation,
        "dynorphin_induction": state.dynorphin_content - 1,
    }
    return {"prodynorphin_mrna": d_mrna, "dynorphin_content": d_content}, outputs
