"""Effects of mu signalling: an analgesia-like and a respiratory-depression-like effect.

Both effects transduce the mu stimulus left after desensitisation (operational model, Black &
Leff 1983): tolerance (fewer signalling receptors) scales every agonist's stimulus by the
available fraction, so the same dose gives less effect and the dose-response shifts right.
Each effect system has its own half-effect stimulus and steepness, i.e. its own receptor
reserve, calibrated on morphine in human volunteers:

    effective_stimulus     = mu_stimulus * mu_receptor_availability
    analgesia              = rest_corrected(hill(effective_stimulus,
                                                 analgesia_half_stimulus, analgesia_hill))
    respiratory_depression = rest_corrected(hill(effective_stimulus,
                                                 respiratory_half_stimulus, respiratory_hill))
    ventilation            = 1 - respiratory_depression

where ``rest_corrected(E) = (E - E_rest) / (1 - E_rest)`` with ``E_rest`` the effect of the
basal endogenous mu stimulus, so both effects are 0 without drug. ``respiratory_depression``
is the fraction of resting ventilation lost (at a fixed CO2, as Romberg 2003 measured it).

Calibration (human, morphine at effect-site equilibrium; see the data sets named):
- analgesia: half effect at 32 nM, Hill 2.4 (Dahan 2004). At 32 nM plasma the model's mu
  stimulus is 20 x 11.65 / (11.65 + 24) = 6.535 (unbound brain = 0.65 x 0.56 x 32 nM, in vivo
  KD 1.2 nM x 20).
- respiration: 25% depression at 28 nM (Romberg 2003), Hill 1 (Dahan 2004): the stimulus at
  28 nM is 5.962, so the half-effect stimulus is 3 x 5.962 = 17.9.

Known tension (reported by the TOL experiment, not hidden): with the receptor table's
efficacies (morphine 20, fentanyl 30 assumed; buprenorphine 6.3 calibrated on induction
timing) a respiratory system this insensitive gives full agonists a ceiling (morphine 53%,
fentanyl 63% depression) and buprenorphine 26%, whereas fentanyl causes apnea at 2.9 ug/kg
and buprenorphine plateaus near 50% (Dahan 2005). The receptor efficacies, not this module,
are the likely culprit: morphine's respiratory C25 needs ~30% occupancy, which a large
reserve rules out.

Assumptions
- One brain-wide mu signal (regional reserves differ in reality; the transducer constants
  stand for them). The Hill exponents measured on concentration are used on the stimulus,
  which is close for morphine where occupancy is well below saturation at the C50.
"""

from opioidsim.model.declare import Module, Scalar, calibrated, derived, measured
from opioidsim.model.math import hill
from opioidsim.model.sources import DAHAN_2004, MOL_PAIN_2011

MODULE = Module(
    name="mu_effects",
    description="analgesia-like and respiratory-depression-like effects of mu signalling",
    inputs={
        "mu_stimulus": Scalar("1", "mu efficacy-weighted occupancy (operational model)"),
        "mu_receptor_availability": Scalar(
            "1", "fraction of mu receptors not desensitised or internalised", default=1.0
        ),
    },
    states={},
    outputs={
        "analgesia": Scalar("1", "analgesia-like effect, fraction of maximum"),
        "respiratory_depression": Scalar("1", "fraction of resting ventilation lost"),
        "ventilation": Scalar("1", "ventilation, fraction of resting"),
    },
)

# Table 1. Transducers of the two effect systems (human).
PARAMETERS = {
    "resting_mu_stimulus": derived(
        0.004212,
        "1",
        [MOL_PAIN_2011],
        how="operational mu stimulus of basal beta-endorphin and dynorphin (0.01 nM each) "
        "with the mu_receptor table (as reward.resting_mu_stimulus)",
    ),
    "analgesia_half_stimulus": calibrated(
        6.535,
        "1",
        against="dahan_2004_morphine_analgesia_potency",
        species="human",
        note="mu stimulus of morphine at its analgesic C50 (32 nM) at equilibrium",
    ),
    "analgesia_hill": measured(
        2.4,
        "1",
        DAHAN_2004,
        species="human",
        confidence="high",
        note="steepness of morphine analgesia vs concentration",
    ),
    "respiratory_half_stimulus": calibrated(
        17.88,
        "1",
        against="romberg_2003_morphine_ventilation",
        species="human",
        note="3 x the mu stimulus of morphine at its ventilatory C25 (28 nM), Hill 1",
    ),
    "respiratory_hill": measured(
        1.0,
        "1",
        DAHAN_2004,
        species="human",
        confidence="high",
        note="steepness of morphine respiratory depression vs concentration",
    ),
}


def _rest_corrected(effect, rest):
    return (effect - rest) / (1 - rest)


def rates(state, params, inputs):
    """Return (derivatives, outputs); pure arithmetic on floats, arrays, units or symbols."""
    effective_stimulus = inputs.mu_stimulus * inputs.mu_receptor_availability
    analgesia = _rest_corrected(
        hill(effective_stimulus, params.analgesia_half_stimulus, params.analgesia_hill),
        hill(params.resting_mu_stimulus, params.analgesia_half_stimulus, params.analgesia_hill),
    )
    respiratory_depression = _rest_corrected(
        hill(effective_stimulus, params.respiratory_half_stimulus, params.respiratory_hill),
        hill(
            params.resting_mu_stimulus,
            params.respiratory_half_stimulus,
            params.respiratory_hill,
        ),
    )
    outputs = {
        "analgesia": analgesia,
        "respiratory_depression": respiratory_depression,
        "ventilation": 1 - respiratory_depression,
    }
    return {}, outputs
