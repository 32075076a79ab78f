"""Subjective effects of mu signalling in people: drug liking.

Drug liking (the "do you like the drug?" scale of abuse-liability studies) is its own mu
pathway of the operational model (Black & Leff 1983; ``receptors/_operational.py``): it
reads the shared efficacy-weighted occupancy (morphine = 1) left after desensitisation,
through its own coupling (morphine's tau there) and slope, as analgesia and respiration do
in ``effects.py``:

    effective_stimulus = mu_stimulus * mu_receptor_availability
    drug_liking        = above_rest(pathway_response(effective_stimulus,
                                                     liking_coupling, liking_slope))

It does not read accumbens dopamine: in opioid-maintained people IV heroin 50 mg gives
strong subjective effects without measurable [11C]raclopride displacement (Daglish 2008,
Watson 2014; ``reward.py``), so liking is read from the mu signal, not from the dopamine
transient. Because the pathway reads receptor availability, tolerance lowers liking.

Its calibrated coupling (142) is close to analgesia's (144) and larger than respiration's
(55): the model's liking pathway has the larger receptor reserve, so a given loss of
receptors takes proportionally less liking than respiratory depression away. That runs
against the clinical view that tolerance to euphoria outruns tolerance to respiratory
depression (White & Irvine 1999); it follows from the two calibration points (liking at
12 mg s.c., respiration's C25 of 28 nM) and is reported, not tuned away.

Coupling: half-maximal liking at the peak after morphine 12 mg s.c. in non-dependent
people with a history of opioid use, the dose that produced the average subject-rated
"liking" across 35 studies (meta-analysis, Drug Alcohol Depend 1994;
``opioidsim calibrate morphine-liking``).

Assumptions
- Liking is the fraction of the maximal rating (0-1) of a mean subject; the meta-analysis's
  "average effect" dose is read as the dose giving half the maximal rating at the peak.
- Slope 1 (the operational slope of the receptor-reserve analysis behind the mu scale): no
  concentration-liking steepness was found.
- Only mu signalling: kappa dysphoria and withdrawal relief are not part of this readout.
"""

from opioidsim.model.declare import Module, Scalar, assumed, calibrated
from opioidsim.model.effects import RESTING_MU_STIMULUS
from opioidsim.model.receptors._operational import above_rest, pathway_response

MODULE = Module(
    name="subjective_effects",
    description="drug liking read from mu signalling (human)",
    inputs={
        "mu_stimulus": Scalar("1", "mu efficacy-weighted occupancy (operational model)"),
        "mu_receptor_availability": Scalar(
            "1", "fraction of mu receptors not desensitised or internalised", default=1.0
        ),
    },
    states={},
    outputs={
        "drug_liking": Scalar("1", "subjective drug liking, fraction of the maximal rating"),
    },
    species=("human",),
)

# Table 1. The liking pathway (human).
_HUMAN = {
    "resting_mu_stimulus": RESTING_MU_STIMULUS,
    "liking_coupling": calibrated(
        133.9,
        "1",
        against="morphine_liking_meta_1994",
        species="human",
        note="morphine tau in the liking pathway: half of the maximal liking at the peak "
        "after 12 mg s.c. (opioidsim calibrate morphine-liking; 142.1 before session 15 gave "
        "human morphine two compartments)",
    ),
    "liking_slope": assumed(
        1.0,
        "1",
        reason="operational slope 1, as in the receptor-reserve analysis behind the mu scale; "
        "no concentration-liking steepness found",
    ),
}

PARAMETERS_BY_SPECIES = {"human": _HUMAN}


def rates(state, params, inputs):
    """Return (derivatives, outputs); pure arithmetic on floats, arrays, units or symbols."""
    effective_stimulus = inputs.mu_stimulus * inputs.mu_receptor_availability
    liking = above_rest(
        pathway_response(effective_stimulus, params.liking_coupling, params.liking_slope),
        pathway_response(params.resting_mu_stimulus, params.liking_coupling, params.liking_slope),
    )
    return {}, {"drug_liking": liking}
