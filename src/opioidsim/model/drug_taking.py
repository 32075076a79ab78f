"""Drug taking: when a trained animal responds for an intravenous infusion (issue 15:
maintained self-administration, extinction, and reinstatement by prime, cue and stress).

**The satiety threshold.** A rat that has learned to self-administer spaces its infusions
so as to hold the drug's effect above a level: each infusion is followed by a pause that
grows with the dose just received, and responding resumes when the effect has decayed to
that level (heroin and cocaine, Gerber & Wise 1989; the same hourly heroin intake across
unit doses of 0.05-0.2 mg/kg, Wise, Leone, Rivest & Leeb 1995). Tsibulsky & Norman 1999
wrote this as a satiety threshold on the body level of cocaine; Norman & Tsibulsky 2006
added a lower, priming threshold below which a trained animal stops responding (the
"compulsion zone"). Here the threshold is placed on what the drug does at the receptor: the
mu stimulus of the drugs bound (efficacy-weighted occupancy, ``mu_receptor.stimulus``) times
the receptors not desensitised (``neuroadaptation.mu_receptor_availability``):

    satiety_signal = mu_stimulus * mu_receptor_availability
    threshold      = satiety_threshold * (1 + allostatic_threshold_gain * withdrawal_drive)
    response_rate  = (max(maximum_response_rate * value * drive, resting_response_rate)
                      if satiety_signal < threshold else resting_response_rate) / fixed_ratio

(``value`` and ``drive``, 1 for a trained animal in its drug context, are below.)

**Extinction, and what brings seeking back.** Responding that no longer pays stops, but
the drug memory is not erased: extinction is new learning, specific to the situation it was
learned in, and events that make the situation resemble drug taking bring the old
responding back (Bouton 2004, Learn Mem 11:485, DOI 10.1101/lm.78804; Redish, Jensen,
Johnson & Kurth-Nelson 2007, Psychol Rev 114:784, DOI 10.1037/0033-295X.114.3.784). Each
subject carries two memories: the drug memory ``a`` (what responding brings in the drug
state; 1 trained) and the extinction memory ``x`` (the probability, learned where responding
went unrewarded, that it fails; 0 trained). One decision step after each response its
outcome (whether the drug arrived: the rise of the signal over that step, relative to the
priming threshold, a noticeable dose; 0 for a response that delivers nothing, as in
extinction sessions, or for an infusion an antagonist leaves without effect) updates them
Rescorla-Wagner, each in proportion to how far its state is the one active, the retrieval r
below (credit to the state the animal is in, as in latent-cause accounts of extinction,
Gershman, Blei & Niv 2010, Psychol Rev 117:197, DOI 10.1037/a0017808):

    outcome = clip((signal_after - signal_before) / (priming_fraction * satiety_threshold), 0, 1)
    a      += expectancy_learning_rate * r * (outcome - a)
    x      += expectancy_learning_rate * (1 - r) * ((1 - outcome) - x)

So unrewarded responses in extinction build ``x``, and unrewarded responses while a prime,
cue or stressor holds the drug state retrieved wear down ``a`` itself (reinstated responding
declines within the test), and an antagonist that leaves infusions without effect, in the
drug state, lowers ``a`` (Koob 1984's decrease after high doses).

Three events retrieve the drug memory, and so hide the extinction memory (``retrieval`` r):

    prime = (satiety_signal - resting_signal) / (priming_fraction * satiety_threshold)
              the drug itself, an interoceptive cue (de Wit & Stewart 1981; Norman &
              Tsibulsky 2006's lower, priming threshold). ``mu_receptor.stimulus`` is the
              drugs' own (endogenous peptides act elsewhere in the model), so an antagonist
              alone leaves it at rest: naltrexone alone cannot lower responding below the
              saline level, as Stewart & Wise 1992 saw (WD-NEGREINF reports it failing)
    cue   = cue_value * incubation(time since the last infusion)   while the drug-paired cue
              is on; ``cue_value`` moves toward each cued response's outcome
    stress = stress_retrieval_gain * stress_trace: the stressor drive
              (``hpa_axis.stressor_intensity``, typical episodes), followed at once and
              decaying with ``stress_trace_time`` after the stressor ends: footshock
              reinstates through extrahypothalamic CRF,
              not corticosterone (Shaham, Funk, Erb, Brown, Walker & Stewart 1997), and
              precipitated withdrawal, which drives the amygdala CRF and the locus
              coeruleus but is no external stressor, does not (Shaham & Stewart 1995)
    r     = clip(prime + cue + stress, 0, 1)
    value = a * (1 - x * (1 - r))                    (what responding is expected to bring)
    drive = clip(context_drive + prime + cue + stress, 0, 1)   (incentive to respond now)

    incubation(t) = incubation_initial + (1 - incubation_initial) * (1 - exp(-t / incubation_time))
              cue-induced seeking grows over the first weeks of abstinence (Grimm, Hope,
              Wise & Shaham 2001; heroin: Shalev 2001; Kuntz 2008)

and below the satiety threshold the subject responds at ``maximum_response_rate x value x
drive`` (never below the resting rate). A trained animal in its drug context responds at
once and loads; after extinction (x near 1) it responds rarely; a prime, a cue or a stressor
brings responding back for as long as the retrieval lasts, while each unrewarded response
extinguishes a little more.

So the interval after an infusion is the time the drug's signal takes to fall back to the
threshold: larger unit doses give longer pauses and the same hourly intake (the regularity
result), and a competitive antagonist, which takes receptors from the agonist, shortens the
pauses (low doses of naloxone or naltrexone raise heroin intake, Koob, Pettit, Ettenberg &
Bloom 1984) without any term for it. Tolerance (fewer available receptors) and the
allostatic rise of the reward set point in withdrawal (Koob & Le Moal 2001; brain-reward
thresholds rise across long-access sessions, Kenny 2006) both raise the drug needed to reach
the threshold: escalation is what long daily access does to these two states, not a term of
its own.

Each decision step (``decision_step``, 1 min) a subject not in a time-out completes the
ratio with probability ``1 - exp(-response_rate * decision_step)``, drawn from its own seeded
random stream (the same seed gives the same behaviour for any worker count or chunking).

Assumptions
- Animals start trained (drug memory and cue value 1) or naive (both 0, ``trained: false``):
  a naive animal responds at the resting rate until its first infusion, whose prime
  retrieves the drug state so that each infusion that acts raises the drug memory
  (acquisition; its speed is the learning rate's, and no acquisition data check it yet).
  The reward module's learned drug value (``reward.drug_value``) does not enter. The
  memories carry over between sessions. One context (the self-administration chamber): renewal in
  another context is not modelled. The stress trace is sampled at the run's segment ends
  (each decision step in a session, the output grid outside), so a stressor is seen fully
  when it falls in or just before a session.
- The sizes of the retrieval terms (priming fraction, stress gain and trace time, context
  drive, incubation) are assumptions (see the table); no data set calibrates them.
- The threshold's size sets the scale of intake and is an assumption set by a probe run (no
  heroin satiety threshold or hourly intake was found): 2 % of the maximal mu signal, an
  eighth of the rodent analgesic half-effect.
- Responding while below the threshold is a ratio a minute at FR1, and a ratio is one
  completion at ``rate / fixed_ratio``: at FR10 a ratio takes ten times as long. So intake
  falls with the ratio (8 rats, 3 h at 0.1 mg/kg: 8.9, 7.6 and 6.1 infusions at FR1, FR5,
  FR10), where Wise 1995 saw the same dopamine level held from FR1 to FR10: a known
  limitation until responses have a rate of their own. The progressive ratio (the ratio
  rising after each infusion, ``protocols/self_administration.py``) reads the same rate, so
  its breakpoints share the limitation and are not checked against data yet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from opioidsim.model.declare import assumed, values_with_overrides

#: Observables the decision reads (module.output names).
MU_STIMULUS = "mu_receptor.stimulus"
MU_AVAILABILITY = "neuroadaptation.mu_receptor_availability"
WITHDRAWAL_DRIVE = "neuroadaptation.withdrawal_drive"
STRESSOR_INTENSITY = "hpa_axis.stressor_intensity"
OBSERVABLES = (MU_STIMULUS, MU_AVAILABILITY, WITHDRAWAL_DRIVE, STRESSOR_INTENSITY)

PARAMETERS = {
    "satiety_threshold": assumed(
        0.02,
        "1",
        reason="no heroin satiety threshold is published (Tsibulsky & Norman 1999 fitted "
        "cocaine's, 1.7 mg/kg), and no hourly heroin intake was retrieved: set by probe runs "
        "so that a trained rat takes ~14 infusions of 0.06 mg/kg in a 1-h FR1 session, the "
        "order of published intakes (recalled, not seen). The rule written first, the rodent "
        "analgesic half-activation (1 / tau = 0.25), left the rat never sated (one infusion "
        "a minute at 0.06 mg/kg) and was dropped. It sets the scale of intake; the "
        "regularities the experiments check are ratios",
        species="rat",
    ),
    "allostatic_threshold_gain": assumed(
        1.0,
        "1",
        reason="brain-reward thresholds rise across long-access heroin sessions (Kenny, Chen, "
        "Kitamura, Markou & Koob 2006, J Neurosci 26:5894, DOI 10.1523/JNEUROSCI.0740-06.2006; "
        "direction): a full withdrawal drive doubles the signal needed for satiety, as it "
        "halves dopamine release in reward",
    ),
    "maximum_response_rate": assumed(
        1.0,
        "1/min",
        reason="a trained rat below its threshold completes about a ratio a minute (loading "
        "at the start of a session; the 20-s time-outs of the studies allow up to 3): fast "
        "enough that intake follows the threshold",
        species="rat",
    ),
    "resting_response_rate": assumed(
        0.005,
        "1/min",
        reason="occasional responses while sated (one in ~3 h): the pauses between "
        "infusions are regular (Gerber & Wise 1989; Pickens & Thompson 1968)",
        species="rat",
    ),
    "expectancy_learning_rate": assumed(
        0.2,
        "1",
        reason="Rescorla-Wagner rate per infusion, the ~0.2 per trial the reward module "
        "assumes for the learned drug value: responding for infusions that no longer act "
        "extinguishes over a handful of them",
    ),
    "decision_step": assumed(
        1.0,
        "min",
        reason="one decision a minute: shorter than the post-infusion pauses (several "
        "minutes) and at least a 20-s time-out",
    ),
    "context_drive": assumed(
        0.5,
        "1",
        reason="the drug context alone (the chamber, the lever) moves a trained, drug-free "
        "rat to respond at half its maximal rate: it starts a session within minutes "
        "(loading begins at once in the studies of the module's docstring); no "
        "measurement of this size was found",
        species="rat",
    ),
    "priming_fraction": assumed(
        0.12,
        "1",
        reason="the drug signal above rest that fully retrieves the drug memory, as a "
        "fraction of the satiety threshold, carried over from cocaine in rats (the transfer "
        "to heroin is the assumption): the priming threshold, ~0.2 mg/kg IV (186-212 ug/kg; "
        "Norman, Markou & Tsibulsky 1999, Brain Res 831:165, PMID 10411996), is about an "
        "eighth of the satiety threshold, 1.7 mg/kg (Tsibulsky & Norman 1999, Brain Res "
        "839:85, PMID 10482802); the two are the lower and upper limits of the compulsion "
        "zone (Norman & Tsibulsky 2006, Brain Res 1116:143, PMID 16942754). No heroin "
        "priming data set it",
        species="rat",
    ),
    "stress_retrieval_gain": assumed(
        1.0,
        "1",
        reason="a round assumption: one typical stress episode (stressor intensity 1) "
        "retrieves the drug memory fully. No measurement sets it (the footshock "
        "reinstatement studies WD-NEGREINF checks did not)",
        species="rat",
    ),
    "stress_trace_time": assumed(
        30.0,
        "min",
        reason="how long a stressor keeps retrieving after it ends: the order of the "
        "half-hour over which the CRF-driven ACTH rise of a stressor subsides; assumed, "
        "not fitted to reinstatement data",
        species="rat",
    ),
    "incubation_initial": assumed(
        0.3,
        "1",
        reason="the cue's pull on the first day of abstinence, as a fraction of the "
        "incubated pull: incubation curves rise several-fold from day 1 (cocaine: Grimm, "
        "Hope, Wise & Shaham 2001, Nature 412:141, DOI 10.1038/35084134; a threefold rise "
        "is a round reading, not a fit); no heroin incubation data set it",
        species="rat",
    ),
    "incubation_time": assumed(
        10.0,
        "d",
        reason="time constant of the rise of cue-induced seeking in abstinence: most of it "
        "by 2 weeks, near its plateau by 1-3 months (Grimm 2001, cocaine); the later decline "
        "(after ~3 months) is not modelled",
        species="rat",
    ),
}


@dataclass
class Readouts:
    """What the decision reads from the model at a decision step, one value per subject."""

    mu_stimulus: np.ndarray
    mu_availability: np.ndarray
    withdrawal_drive: np.ndarray
    stressor_intensity: np.ndarray

    @classmethod
    def from_columns(cls, columns: list[np.ndarray]) -> Readouts:
        """From the observables named in :data:`OBSERVABLES`, in that order."""
        return cls(*(np.asarray(column, dtype=float) for column in columns))

    @property
    def signal(self) -> np.ndarray:
        return satiety_signal(self.mu_stimulus, self.mu_availability)


@dataclass
class Memory:
    """What each subject has learned and carries between decision steps and sessions."""

    #: What responding brings in the drug state (1 trained).
    drug_value: np.ndarray
    #: Learned probability that responding fails here (0 trained, 1 extinguished).
    extinction: np.ndarray
    #: The drug-paired cue's value (1 trained).
    cue_value: np.ndarray
    #: The stressor drive, filtered (typical episodes).
    stress_trace: np.ndarray
    #: Time of the last infusion that delivered drug (h).
    last_infusion_h: np.ndarray

    @classmethod
    def trained(cls, subjects: int, time_h: float = 0.0) -> Memory:
        """Trained animals: no extinction, the cue at full value, no stress."""
        return cls(
            drug_value=np.ones(subjects),
            extinction=np.zeros(subjects),
            cue_value=np.ones(subjects),
            stress_trace=np.zeros(subjects),
            last_infusion_h=np.full(subjects, float(time_h)),
        )

    @classmethod
    def naive(cls, subjects: int, time_h: float = 0.0) -> Memory:
        """Drug-naive animals: nothing learned about the drug or its cue (acquisition)."""
        memory = cls.trained(subjects, time_h)
        memory.drug_value[:] = 0.0
        memory.cue_value[:] = 0.0
        return memory


def threshold(withdrawal_drive: np.ndarray, table: dict[str, float]) -> np.ndarray:
    """The effective mu signal below which a trained subject responds."""
    return table["satiety_threshold"] * (
        1 + table["allostatic_threshold_gain"] * np.maximum(withdrawal_drive, 0.0)
    )


def satiety_signal(mu_stimulus: np.ndarray, mu_availability: np.ndarray) -> np.ndarray:
    """The drug's mu signal at the receptors not desensitised."""
    return np.asarray(mu_stimulus) * np.asarray(mu_availability)


def incubation(abstinence_h: np.ndarray, table: dict[str, float]) -> np.ndarray:
    """The cue's pull after ``abstinence_h`` hours without drug (1 when incubated)."""
    days = np.maximum(np.asarray(abstinence_h, dtype=float), 0.0) / 24.0
    initial = table["incubation_initial"]
    return initial + (1 - initial) * (1 - np.exp(-days / table["incubation_time"]))


def retrieval_terms(
    readouts: Readouts,
    memory: Memory,
    resting_signal: np.ndarray,
    cue_on: bool,
    time_h: float,
    table: dict[str, float],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The prime, cue and stress terms (each in units of full retrieval)."""
    prime = (readouts.signal - resting_signal) / (
        table["priming_fraction"] * table["satiety_threshold"]
    )
    cue = (
        memory.cue_value * incubation(time_h - memory.last_infusion_h, table)
        if cue_on
        else np.zeros_like(prime)
    )
    stress = table["stress_retrieval_gain"] * memory.stress_trace
    return prime, cue, stress


def response_probability(
    readouts: Readouts,
    memory: Memory,
    resting_signal: np.ndarray,
    *,
    cue_on: bool,
    time_h: float,
    fixed_ratio: int | np.ndarray,
    table: dict[str, float],
) -> tuple[np.ndarray, np.ndarray]:
    """Probability per decision step that each subject completes the ratio (rates per
    minute, ``decision_step`` in minutes), and the retrieval of the drug state (0-1)."""
    prime, cue, stress = retrieval_terms(readouts, memory, resting_signal, cue_on, time_h, table)
    pull = prime + cue + stress
    retrieval = np.clip(pull, 0.0, 1.0)
    value = np.clip(memory.drug_value * (1.0 - memory.extinction * (1.0 - retrieval)), 0.0, 1.0)
    drive = np.clip(table["context_drive"] + pull, 0.0, 1.0)
    below = readouts.signal < threshold(readouts.withdrawal_drive, table)
    seeking = np.maximum(
        table["maximum_response_rate"] * value * drive, table["resting_response_rate"]
    )
    rate = np.where(below, seeking, table["resting_response_rate"])
    return 1.0 - np.exp(-rate / fixed_ratio * table["decision_step"]), retrieval


def outcome(
    readouts: Readouts, signal_before: np.ndarray, delivered: np.ndarray, table: dict[str, float]
) -> np.ndarray:
    """A response's outcome one decision step later: where drug was delivered, the rise of
    the signal since the response relative to the priming threshold (1 for a noticeable
    dose or more); 0 where nothing was delivered."""
    noticeable = table["priming_fraction"] * table["satiety_threshold"]
    rise = np.clip((readouts.signal - signal_before) / noticeable, 0.0, 1.0)
    return np.where(delivered, rise, 0.0)


def learn(
    memory: Memory,
    responded: np.ndarray,
    outcomes: np.ndarray,
    cued: np.ndarray,
    retrieval: np.ndarray,
    table: dict[str, float],
) -> Memory:
    """The memory after the outcomes of the responses just seen (Rescorla-Wagner): the drug
    memory moves toward the outcome in proportion to the retrieval at the response, the
    extinction memory toward the failure (1 - outcome) in proportion to the rest, the cue's
    value toward the outcome where the cue came with the response."""
    rate = table["expectancy_learning_rate"]
    drug_value = np.where(
        responded,
        memory.drug_value + rate * retrieval * (outcomes - memory.drug_value),
        memory.drug_value,
    )
    extinction = np.where(
        responded,
        memory.extinction + rate * (1.0 - retrieval) * ((1.0 - outcomes) - memory.extinction),
        memory.extinction,
    )
    cue_value = np.where(
        responded & cued, memory.cue_value + rate * (outcomes - memory.cue_value), memory.cue_value
    )
    return Memory(drug_value, extinction, cue_value, memory.stress_trace, memory.last_infusion_h)


def traced(
    memory: Memory, stressor_intensity: np.ndarray, elapsed_h: float, table: dict[str, float]
) -> Memory:
    """The stress trace after ``elapsed_h`` hours: it follows a stressor at once and decays
    with ``stress_trace_time`` after it ends (what a stressor leaves behind, not a delay)."""
    keep = np.exp(-elapsed_h * 60.0 / np.asarray(table["stress_trace_time"], dtype=float))
    trace = np.maximum(np.asarray(stressor_intensity, dtype=float), memory.stress_trace * keep)
    return Memory(
        memory.drug_value, memory.extinction, memory.cue_value, trace, memory.last_infusion_h
    )


def values(overrides: dict[str, float] | None = None) -> dict[str, float]:
    """The parameter values (their table units), with optional overrides by name."""
    return values_with_overrides(PARAMETERS, overrides, "behaviour")
