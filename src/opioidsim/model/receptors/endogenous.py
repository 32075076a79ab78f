"""Endogenous opioid peptides in brain extracellular fluid: beta-endorphin and dynorphin A.

Each peptide is released at a basal rate scaled by a release drive (1 at rest) and degraded
by peptidases. The drive is the sum of the basal release and the extra release each source
adds (each input is 0 when its module is absent or at rest):

    beta_endorphin_drive = beta_endorphin_release_drive          (1 + social contact's extra)
                           + ethanol_beta_endorphin_release      (ethanol's extra)
                           + dopamine_beta_endorphin_release     (D1-driven accumbens extra)
    dynorphin_drive      = dynorphin_release_drive               (1 + withdrawal's extra)
                           + striatal_dynorphin_induction        (chronic psychostimulant extra)
    d beta_endorphin_concentration/dt = beta_endorphin_degradation_rate
        * (beta_endorphin_basal_concentration * beta_endorphin_drive
           - beta_endorphin_concentration)
    (dynorphin likewise)

so that at rest the concentration sits at its basal value, and a sustained drive of 2 doubles
it with the peptide's half-life. The concentrations feed both receptors as ligands;
``beta_endorphin_release_ratio`` (concentration over basal) scales the local peptide tone of
the VTA (``reward``), where release acts near its receptors rather than through the bulk
extracellular level.

Assumptions
- No basal brain extracellular concentration or brain half-life was found for either
  peptide (research gaps): both are assumptions, to be calibrated by later issues.
- Plasma beta-endorphin (pituitary, with ACTH) does not reach brain targets (Houghten 1980:
  little brain uptake); only central release counts here.
"""

from opioidsim.model.declare import Module, Scalar, assumed, derived
from opioidsim.model.sources import HOUGHTEN_1980

MODULE = Module(
    name="endogenous_opioids",
    description="beta-endorphin and dynorphin A in brain extracellular fluid",
    inputs={
        "beta_endorphin_release_drive": Scalar(
            "1", "beta-endorphin release, x basal", default=1.0
        ),
        "dynorphin_release_drive": Scalar("1", "dynorphin release, x basal", default=1.0),
        "ethanol_beta_endorphin_release": Scalar(
            "1", "extra beta-endorphin release evoked by ethanol, x basal", default=0.0
        ),
        "dopamine_beta_endorphin_release": Scalar(
            "1",
            "extra beta-endorphin release driven by accumbens dopamine (D1), x basal",
            default=0.0,
        ),
        "striatal_dynorphin_induction": Scalar(
            "1", "extra dynorphin release from induced prodynorphin, x basal", default=0.0
        ),
    },
    states={
        "beta_endorphin_concentration": Scalar(
            "nM",
            "extracellular beta-endorphin",
            initial="beta_endorphin_basal_concentration",
            bounds=(0.0, 1e6),
        ),
        "dynorphin_concentration": Scalar(
            "nM",
            "extracellular dynorphin A",
            initial="dynorphin_basal_concentration",
            bounds=(0.0, 1e6),
        ),
    },
    outputs={
        "beta_endorphin_brain_concentration": Scalar("nM", "beta-endorphin at the receptors"),
        "dynorphin_brain_concentration": Scalar("nM", "dynorphin A at the receptors"),
        "beta_endorphin_release_ratio": Scalar(
            "1", "beta-endorphin concentration over its basal value (1 at rest)"
        ),
    },
    ligands={
        "beta_endorphin": "beta_endorphin_brain_concentration",
        "dynorphin": "dynorphin_brain_concentration",
    },
)

PARAMETERS = {
    "beta_endorphin_basal_concentration": assumed(
        0.01,
        "nM",
        reason="no brain ECF value found; CSF 3-7 pM and plasma ~1.7 pM in humans "
        "bracket it; 10 pM taken",
    ),
    "beta_endorphin_degradation_rate": derived(
        0.0462,
        "1/min",
        [HOUGHTEN_1980],
        species="rat",
        how="ln2 / 15 min; brain degradation rapid (Houghten 1980), half-life assumed 10-20 min",
    ),
    "dynorphin_basal_concentration": assumed(
        0.01, "nM", reason="no brain ECF value found; taken equal to beta-endorphin"
    ),
    "dynorphin_degradation_rate": assumed(
        0.231, "1/min", reason="ln2 / 3 min: peptidase-limited, argued 1-5 min; no value found"
    ),
}


def rates(state, params, inputs):
    """Return (derivatives, outputs)."""
    beta_endorphin_drive = (
        inputs.beta_endorphin_release_drive
        + inputs.ethanol_beta_endorphin_release
        + inputs.dopamine_beta_endorphin_release
    )
    dynorphin_drive = inputs.dynorphin_release_drive + inputs.striatal_dynorphin_induction
    derivatives = {
        "beta_endorphin_concentration": params.beta_endorphin_degradation_rate
        * (
            params.beta_endorphin_basal_concentration * beta_endorphin_drive
            - state.beta_endorphin_concentration
        ),
        "dynorphin_concentration": params.dynorphin_degradation_rate
        * (params.dynorphin_basal_concentration * dynorphin_drive - state.dynorphin_concentration),
    }
    outputs = {
        "beta_endorphin_brain_concentration": state.beta_endorphin_concentration,
        "dynorphin_brain_concentration": state.dynorphin_concentration,
        "beta_endorphin_release_ratio": state.beta_endorphin_concentration
        / params.beta_endorphin_basal_concentration,
    }
    return derivatives, outputs
