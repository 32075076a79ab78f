"""Reward: VTA GABA disinhibition drives accumbens dopamine; a slowly learned drug value.

Mu agonists inhibit the GABA interneurons that hold VTA dopamine neurons in check, so
accumbens dopamine rises (disinhibition, Johnson & North 1992); kappa agonism (dynorphin)
lowers dopamine release at the terminals (Di Chiara & Imperato 1988, PNAS). During
withdrawal the up-regulated cAMP pathway in the GABA neurons raises GABA release (Bonci &
Williams 1997), and the allostatic shift lowers dopamine tone. The release drive, x basal:

    local_peptide   = local_peptide_stimulus * beta_endorphin_release_ratio
                      * (1 - drug_mu_occupancy)
    vta_stimulus    = mu_stimulus + local_peptide
    mu_drive        = above_rest(pathway_response(vta_stimulus, dopamine_coupling, 1),
                                 pathway_response(resting_mu_stimulus
                                                  + local_peptide_stimulus, ...))
                      (operational model, the VTA GABA pathway's own coupling; see
                       receptors/_operational.py)
    kappa_factor    = (1 - kappa_dopamine_inhibition * kappa_signal)
                      / (1 - kappa_dopamine_inhibition * resting_kappa_signal)
    release_drive   = dopamine_tone * kappa_factor
                      * (1 + maximum_dopamine_increase * mu_drive)
                      / (1 + withdrawal_dopamine_suppression * withdrawal_drive)
    uptake_factor   = 1 + dopamine_response_gain * oxytocin_evoked_factor
                          * (1 / (1 - transporter_uptake_share * dopamine_uptake_blockade) - 1)
    d accumbens_dopamine/dt = dopamine_response_rate
                              * (baseline_dopamine * release_drive * uptake_factor
                                 - accumbens_dopamine)
    (the gain, dopamine_response_gain x oxytocin_evoked_factor, also multiplies mu_drive in
     release_drive: 1 + maximum_dopamine_increase * gain * mu_drive)
    dopamine_percent_baseline = accumbens_dopamine

**The VTA's local opioid peptide tone.** Opioid peptides released onto the VTA GABA neurons
act near their receptors, at concentrations the bulk extracellular level (``endogenous_
opioids``, 10 pM, 2.6e-6 of mu receptors occupied) does not show. Spanagel, Herz &
Shippenberg 1992 found two tonically active systems: a mu antagonist in the VTA lowers basal
accumbens dopamine and a kappa antagonist in the accumbens raises it. ``local_peptide_
stimulus`` is that mu tone (efficacy-weighted occupancy, morphine = 1). Released peptide
scales it (``beta_endorphin_release_ratio``: ethanol, D1-driven and social release), and
drugs bound at mu take receptors from it (``1 - drug_mu_occupancy``; exact while the local
occupancy is small). So an antagonist alone removes the mu tone and the kappa tone at once,
and an evoked beta-endorphin release reaches dopamine.

``dopamine_response_gain`` (1 naive; ``stress_sensitisation``) multiplies the two
evoked terms, the mu-driven change and the rise from transporter blockade: after repeated
defeat the drug-evoked rise is larger, the baseline and withdrawal's fall below it unchanged.
``oxytocin_evoked_factor`` (1 at rest; ``oxytocin_system``) multiplies them too: central
oxytocin blunts the drug-evoked rise.
The mu-driven term includes the local tone's changes, so the gain also scales a
peptide-evoked rise (ethanol, social contact) and an antagonist's small fall.

Extracellular dopamine is release over clearance; the dopamine transporter (DAT) does a share
``transporter_uptake_share`` of the clearance (diffusion and other uptake the rest), so
blocking a fraction of the transporters (cocaine: ``dopamine_transporter.occupancy``) raises
the level by ``uptake_factor`` at the same release. Psychostimulant reward meets the opioid
system here: the same dopamine drives the learned value below.

``accumbens_dopamine`` is dialysate dopamine in % of the pre-drug baseline, as microdialysis
reads it: extracellular dopamine itself is cleared in seconds (dopamine transporter), so the
state's time constant is the sampling and probe response (10-20 min samples).

The learned drug value (incentive salience) follows a Rescorla-Wagner rule on the dopamine
surge: while dopamine is above baseline, the value moves toward the surge at a slow learning
rate; it is forgotten over weeks otherwise:

    dopamine_surge = accumbens_dopamine / baseline_dopamine - 1
    d drug_value/dt = value_learning_rate * positive_part(dopamine_surge - drug_value)
                      - value_forgetting_rate * drug_value

Assumptions
- Accumbens dopamine reads the receptor's mu stimulus, not the desensitised one: the dopamine
  rise shows no tolerance over a week of daily morphine (Pothos 1991). The VTA GABA pathway
  has its own coupling (``dopamine_coupling``, morphine's tau there): little receptor
  reserve, so the response stays graded over the rat dose range and an antagonist that
  takes most receptors removes it.
- ``maximum_dopamine_increase`` (+100%, Di Chiara & Imperato 1988) is the ceiling of the mu
  term: it sets the scale rather than being predicted, so the REWARD-DA ceiling criterion
  checks the dose-response shape, not the ceiling. Heroin self-administration holds 150-300%
  (Wise 1995), above this ceiling: a known tension for the experiments to report.
- In humans, subjective drug effects do not rest on striatal dopamine alone (no raclopride
  displacement by heroin: Daglish 2008, Watson 2014); behaviour must not read liking from
  this output only.
- Transporter blockade acts on clearance only, with the transporter's share of clearance
  calibrated on dialysate dopamine after a high cocaine dose (Keller 1992): it stands in for
  the D2-autoreceptor brake on firing and release (cocaine inhibits most VTA dopamine neurons
  in vivo, Mejias-Aponte 2015; its size was not found), which the model does not have.
- The resting mu stimulus and kappa signal are those of the basal endogenous peptides; they
  keep the baseline at 100% and must follow the receptor and peptide tables (tests check it).
- The size of the local mu tone is not measured (Spanagel 1992 gives directions): it is set
  so that a saturating nonselective antagonist (both tones removed) leaves basal dopamine
  where it is, the balance of the two opposing systems. The local tone counts in this
  pathway only; other pathways read the bulk level.
- One release ratio, the bulk beta-endorphin level over basal, scales the local tone,
  whatever drives it: arcuate (POMC) release onto the VTA and the D1-driven accumbens
  release of ``striatal_peptides`` are lumped. The D1 -> beta-endorphin -> dopamine loop
  this closes has a gain of ~0.035 and is off below its 5 % threshold.

Left to other modules
- Tolerance, dependence and allostasis (``neuroadaptation`` provides ``withdrawal_drive`` and
  ``dopamine_tone``); cue learning and choice (behaviour, a later issue).
"""

from opioidsim.model.declare import Module, Scalar, assumed, calibrated, derived, measured
from opioidsim.model.math import positive_part
from opioidsim.model.receptors._operational import above_rest, pathway_response
from opioidsim.model.sources import (
    DI_CHIARA_IMPERATO_1988,
    DI_CHIARA_IMPERATO_1988_KAPPA,
    MOL_PAIN_2011,
    POTHOS_1991,
    ZERNIG_1995,
)

MODULE = Module(
    name="reward",
    description="accumbens dopamine (VTA GABA disinhibition, kappa) and learned drug value",
    inputs={
        "mu_stimulus": Scalar("1", "mu efficacy-weighted occupancy (operational model)"),
        "kappa_signal": Scalar("1", "kappa signalling, fraction of the system maximum"),
        "withdrawal_drive": Scalar(
            "1", "cAMP superactivation above current mu inhibition", default=0.0
        ),
        "dopamine_tone": Scalar("1", "dopamine release capacity, x basal", default=1.0),
        "dopamine_uptake_blockade": Scalar(
            "1", "fraction of dopamine transporters blocked (cocaine)", default=0.0
        ),
        "dopamine_response_gain": Scalar(
            "1", "factor on the drug-evoked dopamine rise (stress sensitisation)", default=1.0
        ),
        "oxytocin_evoked_factor": Scalar(
            "1", "factor on the drug-evoked dopamine rise (oxytocin receptors)", default=1.0
        ),
        "drug_mu_occupancy": Scalar(
            "1", "fraction of mu receptors held by drugs (agonists and antagonists)", default=0.0
        ),
        "beta_endorphin_release_ratio": Scalar(
            "1", "opioid peptide release over basal (scales the local tone)", default=1.0
        ),
    },
    states={
        "accumbens_dopamine": Scalar(
            "1",
            "dialysate dopamine, % of pre-drug baseline",
            initial="baseline_dopamine",
            bounds=(0.0, 1e4),
        ),
        "drug_value": Scalar(
            "1", "learned drug value (incentive salience), in dopamine surges", bounds=(0, 10)
        ),
    },
    outputs={
        "dopamine_percent_baseline": Scalar("1", "accumbens dopamine, % of baseline"),
        "dopamine_release_drive": Scalar("1", "dopamine release, x basal (instantaneous)"),
    },
)

_CALIBRATE = "; low confidence, to be calibrated in the issue-4 experiments"

# Table 1. Dopamine response and learning.
PARAMETERS = {
    "baseline_dopamine": assumed(
        100.0, "1", reason="microdialysis convention: the pre-drug baseline is 100%"
    ),
    "maximum_dopamine_increase": measured(
        1.0,
        "1",
        DI_CHIARA_IMPERATO_1988,
        species="rat",
        confidence="high",
        note="mu agonists raise accumbens dopamine by at most ~+100% (x1 above baseline); "
        "used as the ceiling, so it does not validate it",
    ),
    "dopamine_response_rate": assumed(
        6.0,
        "1/h",
        reason="time constant 10 min: extracellular dopamine clears in seconds, so the "
        "dialysate follows the 10-20 min sampling and probe response (Di Chiara & Imperato "
        "1988 used 20 min samples)",
    ),
    "kappa_dopamine_inhibition": assumed(
        0.3,
        "1",
        reason="kappa agonists lower accumbens dopamine (Di Chiara & Imperato 1988, PNAS; "
        "direction only): at most 30% at full kappa signal" + _CALIBRATE,
    ),
    "withdrawal_dopamine_suppression": derived(
        1.0,
        "1",
        [POTHOS_1991],
        how="naloxone in morphine-dependent rats lowers dopamine below baseline (direction "
        "only); gain 1: a full withdrawal drive halves release",
        confidence="low",
    ),
    "resting_mu_stimulus": derived(
        3.0398e-6,
        "1",
        [MOL_PAIN_2011],
        how="efficacy-weighted mu occupancy of basal beta-endorphin and dynorphin (0.01 nM "
        "each) with the mu_receptor table (as mu_effects.resting_mu_stimulus)",
    ),
    "local_peptide_stimulus": assumed(
        0.029412,
        "1",
        reason="local mu tone of the VTA (Spanagel 1992: tonically active; the magnitudes "
        "were not retrieved): the value at which a nonselective antagonist at full occupancy, "
        "which removes this tone and the kappa tone (kappa factor 1 / (1 - 0.3 x 0.3921569) "
        "= 1.1333), leaves basal dopamine unchanged. The mu term must fall to 1 / 1.1333 with "
        "only the bulk resting stimulus (3.04e-6) left, so the resting VTA response "
        "4s / (1 + 4s) = 0.105274, s = 0.0294152, and the local part s - 3.04e-6 "
        "(tests/model/test_reward.py recomputes it). Chained to the assumed kappa inhibition "
        "(0.3): at 0.15 the balance would need half this tone",
    ),
    "dopamine_coupling": derived(
        4.0,
        "1",
        [ZERNIG_1995],
        how="morphine's tau in the VTA GABA -> dopamine pathway taken as that of the rodent "
        "thermal antinociception it was measured for (tau 4): a pathway with little reserve, "
        "as opioid hyperlocomotion (dopamine-dependent) needs high efficacy (Negus 2022, "
        "qualitative) and heroin releases no raclopride-detectable dopamine in people "
        "(Daglish 2008)",
        species="mouse",
        confidence="low",
    ),
    "resting_kappa_signal": derived(
        0.3921569,
        "1",
        [DI_CHIARA_IMPERATO_1988_KAPPA],
        how="operational kappa signal of basal dynorphin 0.01 nM, KD 0.3 nM, efficacy 20 "
        "(kappa_receptor table): s = 20 x 0.01 / 0.31 = 0.64516, s / (1 + s) = 0.3921569 "
        "(0.3922 until session 16 held resting dopamine 1.5e-5 above 100 %)",
    ),
    "transporter_uptake_share": calibrated(
        0.838,
        "1",
        against="keller_1992_rat_cocaine_dopamine",
        species="rat",
        note="the transporter's share of dialysate dopamine clearance: cocaine 20 mg/kg i.p. "
        "(99 % of transporters occupied at the peak in this model) raises striatal dialysate "
        "dopamine 6-fold, so 1 / (1 - share x 0.993) = 6 after the probe's lag. Voltammetry "
        "in DAT-knockout mice (Giros 1996: dopamine persists >= 100 times longer) puts the "
        "share at >= 0.99, which would give ~50-fold here: the lower effective share absorbs "
        "what the model lacks (D2-autoreceptor inhibition of firing and release, diffusion "
        "to the probe, a rat cocaine kinetics scaled from the mouse). PEtab problem: "
        "opioidsim calibrate cocaine-transporter-share (profile 95% interval 0.753-0.883; "
        "0.8453 set by hand before session 20, 6.26-fold)",
    ),
    "value_learning_rate": assumed(
        0.1,
        "1/h",
        reason="slow learning: one dopamine surge of ~2 h moves the value ~20% toward it "
        "(Rescorla-Wagner alpha ~0.2 per trial)" + _CALIBRATE,
    ),
    "value_forgetting_rate": assumed(
        0.0231,
        "1/d",
        reason="half-life 30 d: cue-driven seeking persists for weeks of extinction (Gracy "
        "2000, 2.5-11 weeks; Zhou 2004)" + _CALIBRATE,
    ),
}


def rates(state, params, inputs):
    """Return (derivatives, outputs); pure arithmetic on floats, arrays, units or symbols."""
    # The VTA's local peptide tone: scaled by release, displaced by drugs bound at mu.
    local_peptide = (
        params.local_peptide_stimulus
        * inputs.beta_endorphin_release_ratio
        * (1 - inputs.drug_mu_occupancy)
    )
    mu_drive = above_rest(
        pathway_response(inputs.mu_stimulus + local_peptide, params.dopamine_coupling, 1),
        pathway_response(
            params.resting_mu_stimulus + params.local_peptide_stimulus,
            params.dopamine_coupling,
            1,
        ),
    )
    kappa_factor = (1 - params.kappa_dopamine_inhibition * inputs.kappa_signal) / (
        1 - params.kappa_dopamine_inhibition * params.resting_kappa_signal
    )
    evoked_gain = inputs.dopamine_response_gain * inputs.oxytocin_evoked_factor
    release_drive = (
        inputs.dopamine_tone
        * kappa_factor
        * (1 + params.maximum_dopamine_increase * evoked_gain * mu_drive)
        / (1 + params.withdrawal_dopamine_suppression * inputs.withdrawal_drive)
    )
    uptake_factor = 1 + evoked_gain * (
        1 / (1 - params.transporter_uptake_share * inputs.dopamine_uptake_blockade) - 1
    )
    d_dopamine = params.dopamine_response_rate * (
        params.baseline_dopamine * release_drive * uptake_factor - state.accumbens_dopamine
    )
    # Not clipped at 0: below baseline the surge is below the value (>= 0), so positive_part
    # gives no learning, as with a clipped surge; and the SBML condition holds no Piecewise.
    surge = state.accumbens_dopamine / params.baseline_dopamine - 1
    d_value = (
        params.value_learning_rate * positive_part(surge - state.drug_value)
        - params.value_forgetting_rate * state.drug_value
    )
    outputs = {
        "dopamine_percent_baseline": state.accumbens_dopamine,
        "dopamine_release_drive": release_drive,
    }
    return {"accumbens_dopamine": d_dopamine, "drug_value": d_value}, outputs
