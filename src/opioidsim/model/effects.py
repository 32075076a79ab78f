"""Effects of mu signalling: analgesia (or rodent thermal antinociception) and the opioid
reduction of the respiratory drives.

Each effect is its own pathway of the operational model (Black & Leff 1983; see
``receptors/_operational.py``): it reads the shared efficacy-weighted occupancy (morphine =
1) left after desensitisation, through its own coupling (morphine's transducer ratio tau in
that pathway) and slope:

    effective_stimulus       = mu_stimulus * mu_receptor_availability
    respiratory_stimulus     = mu_stimulus * respiratory_receptor_availability
    analgesia                = above_rest(pathway_response(effective_stimulus,
                                              analgesia_coupling, analgesia_slope))
    respiratory_depression   = above_rest(pathway_response(respiratory_stimulus,
                                              respiratory_coupling, respiratory_slope))

The brainstem respiratory pathway reads its own receptor availability: it loses receptors to
internalisation like every pathway but not to fast desensitisation (``neuroadaptation``;
Ling 1989), so respiratory tolerance builds more slowly and less far than analgesic tolerance.

``above_rest`` subtracts the response to the basal endogenous stimulus, so both are 0
without drug. ``respiratory_depression`` is the fraction of the chemoreflex and wakefulness
drives the opioid removes: ventilation at a fixed end-tidal CO2 (as Romberg 2003 measured
it) falls by this fraction; the ventilation module closes the loop through the blood gases.

Couplings, from the data sets named (morphine at effect-site equilibrium; the unbound brain
concentration is plasma x 0.65 unbound x Kp,uu 0.56, in vivo KD of the mu_receptor table):
- human analgesia: half effect at 32 nM plasma (Dahan 2004) with slope 2.4, the Hill
  exponent Dahan measured on concentration (at the low occupancies of morphine the
  operational slope and the concentration Hill exponent coincide);
- respiration: 25% depression at 28 nM (Romberg 2003), slope 1 (Dahan 2004);
- rodent thermal antinociception (rat, mouse): the morphine tau of an irreversible-antagonist
  receptor-reserve study, so the rat analgesic ED50 is a prediction, not a fit.

With these couplings full agonists approach complete drive removal (apnoea is possible),
and buprenorphine's ceiling is set by its efficacy: 1 / (1 + 1 / (efficacy x coupling)).

Assumptions
- One coupling per pathway for the whole brain region that carries it; the respiratory
  coupling calibrated in humans serves the rat and mouse too (no rodent isohypercapnic C25).
"""

from opioidsim.model.declare import Module, Scalar, assumed, calibrated, derived, measured
from opioidsim.model.receptors._operational import above_rest, pathway_response
from opioidsim.model.sources import DAHAN_2004, MOL_PAIN_2011, ZERNIG_1995

MODULE = Module(
    name="mu_effects",
    description="analgesia-like effect and opioid reduction of the respiratory drives",
    inputs={
        "mu_stimulus": Scalar("1", "mu efficacy-weighted occupancy (operational model)"),
        "mu_receptor_availability": Scalar(
            "1", "fraction of mu receptors not desensitised or internalised", default=1.0
        ),
        "respiratory_receptor_availability": Scalar(
            "1", "fraction of brainstem respiratory mu receptors signalling", default=1.0
        ),
    },
    states={},
    outputs={
        "analgesia": Scalar("1", "analgesia-like effect, fraction of maximum"),
        "respiratory_depression": Scalar(
            "1", "fraction of the respiratory drives removed (ventilation lost at fixed CO2)"
        ),
    },
    species=("human", "rat", "mouse"),
)

RESTING_MU_STIMULUS = derived(
    3.0398e-6,
    "1",
    [MOL_PAIN_2011],
    how="efficacy-weighted mu occupancy of basal beta-endorphin and dynorphin (0.01 nM each) "
    "with the mu_receptor table (relative efficacy 1 each)",
    note="must follow endogenous_opioids and mu_receptor; tests check it",
)

# Table 1. Pathways shared by every species.
_COMMON = {
    "resting_mu_stimulus": RESTING_MU_STIMULUS,
    "respiratory_coupling": calibrated(
        54.73,
        "1",
        against="romberg_2003_morphine_ventilation",
        species="human",
        note="morphine tau in the respiratory pathway: 25% drive reduction at the C25 "
        "(28 nM plasma), slope 1; PEtab problem: opioidsim calibrate "
        "morphine-respiratory-coupling (profile 95% interval 33.7-80.6)",
    ),
    "respiratory_slope": measured(
        1.0,
        "1",
        DAHAN_2004,
        species="human",
        confidence="high",
        note="steepness of morphine respiratory depression vs concentration",
    ),
}

# Table 2. Human analgesia.
_HUMAN = {
    "analgesia_coupling": calibrated(
        143.7,
        "1",
        against="dahan_2004_morphine_analgesia_potency",
        species="human",
        note="morphine tau in the analgesic pathway: half effect at the C50 (32 nM plasma); "
        "PEtab problem: opioidsim calibrate morphine-analgesia-coupling (profile 95% "
        "interval 89.9-229.8)",
    ),
    "analgesia_slope": measured(
        2.4,
        "1",
        DAHAN_2004,
        species="human",
        confidence="high",
        note="steepness of morphine analgesia vs concentration",
    ),
}

# Table 3. Rodent thermal antinociception (hot plate, tail flick).
_RODENT = {
    "analgesia_coupling": measured(
        4.0,
        "1",
        ZERNIG_1995,
        species="mouse",
        confidence="medium",
        note="morphine operational tau, 55 C warm-water tail withdrawal after clocinnamox",
    ),
    "analgesia_slope": assumed(
        1.0, "1", reason="operational slope 1, as in the receptor-reserve analysis it comes from"
    ),
}

PARAMETERS_BY_SPECIES = {"any": _COMMON, "human": _HUMAN, "rat": _RODENT, "mouse": _RODENT}


def rates(state, params, inputs):
    """Return (derivatives, outputs); pure arithmetic on floats, arrays, units or symbols."""
    effective_stimulus = inputs.mu_stimulus * inputs.mu_receptor_availability
    rest = params.resting_mu_stimulus
    analgesia = above_rest(
        pathway_response(effective_stimulus, params.analgesia_coupling, params.analgesia_slope),
        pathway_response(rest, params.analgesia_coupling, params.analgesia_slope),
    )
    respiratory_stimulus = inputs.mu_stimulus * inputs.respiratory_receptor_availability
    respiratory_depression = above_rest(
        pathway_response(
            respiratory_stimulus, params.respiratory_coupling, params.respiratory_slope
        ),
        pathway_response(rest, params.respiratory_coupling, params.respiratory_slope),
    )
    return {}, {"analgesia": analgesia, "respiratory_depression": respiratory_depression}
