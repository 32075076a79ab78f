"""Social contact, the beta-endorphin it releases, felt social connection and positive mood.

The brain opioid theory of social attachment (Panksepp 1978): being with close others
releases endogenous opioids (in people, social laughter lowers [11C]carfentanil binding,
Manninen 2017), and mu signalling carries part of the warmth a close other evokes; an
agonist substitutes for company (morphine abolishes separation distress), an antagonist
takes part of the warmth away (naltrexone lowers felt connection, Inagaki 2016, 2019).

A social contact event sets ``social_contact`` to its closeness (1 a close other, ~0.26 a
stranger, 0 alone) for its duration; for rodents a ``pair_housing`` event adds a cage mate
(``cage_mate``, 1 a familiar partner) for days to weeks. ``company`` (their sum, output
``social_contact_level``) is what the equations below call ``social_contact``; it also drives
oxytocin release (``oxytocin_system``). During contact beta-endorphin release rises (the
drive goes to ``endogenous_opioids``, a feedback connection: it enters only that module's
derivative):

    beta_endorphin_release_drive = 1 + contact_beta_endorphin_release * social_contact

Felt connection to the person present is the closeness, of which a share is carried by mu
signalling. That share is gated by the mu signal of the social circuit relative to the one
a close contact gives a drug-free person at steady state (ratio 1):

    effective_stimulus  = mu_stimulus * mu_receptor_availability
    close_contact_stimulus = resting_mu_stimulus
                             + contact_beta_endorphin_release * resting_beta_endorphin_stimulus
    opioid_ratio        = effective_stimulus / close_contact_stimulus
    opioid_gate         = opioid_connection_ceiling * opioid_ratio
                          / (opioid_connection_ceiling - 1 + opioid_ratio)
    connection_target   = social_contact * ((1 - opioid_connection_share)
                                            + opioid_connection_share * opioid_gate)
    d felt_connection/dt = connection_rate * (connection_target - felt_connection)

``felt_connection`` is in units of what a drug-free person feels with a close other (1); it
is 0 when alone. On Inagaki's 1-7 rating of the lab task, rating = 1 + 3.671 x
felt_connection (close others 4.671, Inagaki 2019). The gate is 1 at the drug-free close
contact, falls toward 0 when an antagonist takes the receptors from beta-endorphin
(competitive binding: naltrexone's effect on connection is not a coefficient but what its
occupancy leaves of the endogenous signal), and rises to ``opioid_connection_ceiling`` with
an agonist. Because the gate multiplies the closeness, blockade takes warmth from close
others and hardly any from strangers (Inagaki 2020).

Positive mood is a separate readout, x its drug-free resting level, driven by accumbens
dopamine and by glucocorticoid (stress):

    mood_target = 1 + mood_dopamine_weight * (dopamine_percent_baseline / baseline_dopamine - 1)
                    - mood_glucocorticoid_weight * (glucocorticoid_fold_basal - 1)
    d positive_mood/dt = mood_rate * (mood_target - positive_mood)

Whether naltrexone moves mood is therefore whatever it does to dopamine and cortisol.

Assumptions
- The opioid share of felt connection is calibrated on one data set (Inagaki 2019: a single
  50 mg dose lowered connection to close others' messages by 0.28 rating points, d = 0.32,
  one-sided p = .080); its 95 % interval spans 0 to about twice the value. The rest of
  connection is non-opioid (appraisal, oxytocin, which the model does not yet split).
- The social circuit reads the mu stimulus linearly at endogenous levels (beta-endorphin
  occupies ~3e-6 of receptors in this model, far below any pathway's half effect), so the
  ratio, not a coupling, is what matters; how far an agonist can raise connection is an
  assumption (``opioid_connection_ceiling``).
- Mood weights and the time constants of the ratings are assumptions.
- Oxytocin release by contact and its share of connection belong to an oxytocin module (not
  yet written); loneliness (isolation) and its distress are not modelled.
"""

from opioidsim.model.declare import EventKind, Module, Scalar, assumed, calibrated, derived
from opioidsim.model.math import positive_part
from opioidsim.model.sources import INAGAKI_2019, MOL_PAIN_2011

MODULE = Module(
    name="social_connection",
    description="social contact, contact-released beta-endorphin, felt connection and mood",
    inputs={
        "social_contact": Scalar(
            "1",
            "closeness of the person present (1 a close other, 0 alone; switched by "
            "social_contact events)",
            default=0.0,
        ),
        "mu_stimulus": Scalar("1", "mu efficacy-weighted occupancy (operational model)"),
        "mu_receptor_availability": Scalar(
            "1", "fraction of mu receptors not desensitised or internalised", default=1.0
        ),
        "cage_mate": Scalar(
            "1",
            "closeness of a cage mate housed with the animal (1 a familiar partner; switched "
            "by pair_housing events)",
            default=0.0,
        ),
        "dopamine_percent_baseline": Scalar(
            "1", "accumbens dopamine, % of baseline", default=100.0
        ),
        "glucocorticoid_fold_basal": Scalar("1", "cortisol/corticosterone, x basal", default=1.0),
    },
    states={
        "felt_connection": Scalar(
            "1",
            "felt social connection, x that of a drug-free person with a close other",
            bounds=(0.0, 10.0),
        ),
        "positive_mood": Scalar(
            "1", "positive mood, x its drug-free resting level", initial="resting_mood"
        ),
    },
    outputs={
        "beta_endorphin_release_drive": Scalar(
            "1", "beta-endorphin release, x basal (raised during social contact)"
        ),
        "social_contact_level": Scalar(
            "1", "company present: social contact plus a cage mate (closeness units)"
        ),
        "opioid_gate": Scalar(
            "1", "mu signalling of the social circuit, x that of a drug-free close contact"
        ),
        "connection": Scalar(
            "1", "felt social connection, x that of a drug-free person with a close other"
        ),
        "connection_rating": Scalar("1", "felt connection on Inagaki's 1-7 rating (1 not at all)"),
        "mood": Scalar("1", "positive mood, x its drug-free resting level"),
    },
    species=("human", "rat", "mouse"),
    events={
        "social_contact": EventKind(
            "time with another person (conversation, messages from them, touch): "
            "beta-endorphin release and felt connection for its duration",
            input="social_contact",
            intensity="closeness of the person (1 a close other, about 0.26 a stranger; "
            "Inagaki 2019 ratings)",
        ),
        "pair_housing": EventKind(
            "housing with a familiar partner (a female or a familiar male) rather than in the "
            "standard group: company for its duration (days to weeks), as social contact",
            input="cage_mate",
            intensity="closeness of the cage mate (1 a familiar partner)",
            species=("rat", "mouse"),
        ),
    },
)

_RESTING = (
    "efficacy-weighted mu occupancy of basal beta-endorphin (and dynorphin) at 0.01 nM each "
    "with the mu_receptor table (as mu_effects.resting_mu_stimulus); tests recompute it"
)

PARAMETERS = {
    "resting_mu_stimulus": derived(3.0398e-6, "1", [MOL_PAIN_2011], how=_RESTING),
    "resting_beta_endorphin_stimulus": derived(
        2.577312e-6, "1", [MOL_PAIN_2011], how=_RESTING + "; beta-endorphin's part only"
    ),
    "contact_beta_endorphin_release": assumed(
        1.0,
        "1",
        reason="a close contact doubles beta-endorphin release: social laughter lowers "
        "[11C]carfentanil binding (Manninen 2017, direction; the size was not retrieved). "
        "At this model's endogenous occupancies the naltrexone effect does not depend on it; "
        "it sets how fast connection builds (beta-endorphin t1/2 15 min)",
    ),
    "opioid_connection_share": calibrated(
        0.1048,
        "1",
        against="inagaki_2019_naltrexone_connection",
        species="human",
        confidence="low",
        note="share of a close other's warmth carried by mu signalling: naltrexone 50 mg "
        "lowers connection to close others' messages 1 h later by 0.28 of 3.67 rating "
        "points above 'not at all' (95% CI -0.10 to 0.66, so the share is 0 to 0.25); "
        "PEtab problem: opioidsim calibrate connection-opioid-share (profile 95% interval "
        "0 to 0.246; 0.1049 from the closed-form fit before session 20)",
    ),
    "opioid_connection_ceiling": assumed(
        2.0,
        "1",
        reason="an agonist can at most double the opioid part of felt connection: opioids "
        "substitute for social comfort (Panksepp 1978, morphine abolishes separation "
        "distress: direction only); no magnitude in people",
    ),
    "connection_rate": assumed(
        6.0,
        "1/h",
        reason="time constant 10 min between the social signal and the feeling reported",
    ),
    "close_other_rating": derived(
        3.671,
        "1",
        [INAGAKI_2019],
        how="connection to close others' messages 4.671 on the 1-7 scale, minus its floor 1 "
        "('not at all'): the rating span of felt_connection 1",
    ),
    "resting_mood": assumed(1.0, "1", reason="mood is expressed x its drug-free resting level"),
    "baseline_dopamine": assumed(
        100.0, "1", reason="microdialysis convention: the pre-drug baseline is 100%"
    ),
    "mood_dopamine_weight": assumed(
        0.5,
        "1",
        reason="a doubling of accumbens dopamine raises positive mood by half; no human "
        "dose-response of positive affect to dopamine was found",
    ),
    "mood_glucocorticoid_weight": assumed(
        0.25,
        "1",
        reason="a doubling of cortisol lowers positive mood by a quarter (stress lowers "
        "positive affect; direction only)",
    ),
    "mood_rate": assumed(1.0, "1/h", reason="mood follows its drivers within about an hour"),
}


def rates(state, params, inputs):
    """Return (derivatives, outputs); pure arithmetic on floats, arrays, units or symbols."""
    effective_stimulus = inputs.mu_stimulus * inputs.mu_receptor_availability
    close_contact_stimulus = (
        params.resting_mu_stimulus
        + params.contact_beta_endorphin_release * params.resting_beta_endorphin_stimulus
    )
    opioid_ratio = effective_stimulus / close_contact_stimulus
    ceiling = params.opioid_connection_ceiling
    opioid_gate = ceiling * opioid_ratio / (ceiling - 1 + opioid_ratio)
    share = params.opioid_connection_share
    company = inputs.social_contact + inputs.cage_mate
    connection_target = company * ((1 - share) + share * opioid_gate)
    dopamine_fold = inputs.dopamine_percent_baseline / params.baseline_dopamine
    mood_target = (
        params.resting_mood
        + params.mood_dopamine_weight * (dopamine_fold - 1)
        - params.mood_glucocorticoid_weight * (inputs.glucocorticoid_fold_basal - 1)
    )
    derivatives = {
        "felt_connection": params.connection_rate * (connection_target - state.felt_connection),
        "positive_mood": params.mood_rate * (mood_target - state.positive_mood),
    }
    outputs = {
        "beta_endorphin_release_drive": 1 + params.contact_beta_endorphin_release * company,
        "social_contact_level": company,
        "opioid_gate": opioid_gate,
        # positive_part: the solver's round-off (within atol) must not print as a negative
        "connection": positive_part(state.felt_connection),
        "connection_rating": 1 + params.close_other_rating * positive_part(state.felt_connection),
        "mood": state.positive_mood,
    }
    return derivatives, outputs
