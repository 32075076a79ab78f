"""Drug taking: when a trained animal responds for an intravenous infusion (issue 15, first
slice: maintained self-administration).

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
    infusion_rate  = (max(maximum_response_rate * expectancy, resting_response_rate)
                      if satiety_signal < threshold else resting_response_rate) / fixed_ratio

**Extinction.** Responding that no longer pays stops: an antagonist that takes the
receptors leaves each infusion without effect, and a trained rat then stops responding for a
while (Norman & Tsibulsky 2006's lower, priming threshold is this idea on the drug level).
The subject keeps an expectancy (1 trained) that each infusion's outcome moves, Rescorla-
Wagner, one decision step after the infusion:

    outcome     = min(1, satiety_signal / threshold)
    expectancy += expectancy_learning_rate * (outcome - expectancy)

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
ratio with probability ``1 - exp(-infusion_rate * decision_step)``, drawn from its own seeded
random stream (the same seed gives the same behaviour for any worker count or chunking).

Assumptions
- Trained animals: acquisition (learning that the lever delivers drug) and the learned drug
  value (``reward.drug_value``) do not enter yet; the expectancy carries over between
  sessions; reinstatement and cues are later slices of the issue.
- The threshold's size sets the scale of intake and is an assumption set by a probe run (no
  heroin satiety threshold or hourly intake was found): 2 % of the maximal mu signal, an
  eighth of the rodent analgesic half-effect.
- Responding while below the threshold is fast (a ratio a minute), so the intake follows the
  threshold, not the response rate, as the data show for FR1 to FR10 (Wise 1995: the
  dopamine level held was the same).
"""

from __future__ import annotations

import math

import numpy as np

from opioidsim.errors import ConfigError
from opioidsim.model.declare import assumed

#: Observables the decision reads (module.output names).
MU_STIMULUS = "mu_receptor.stimulus"
MU_AVAILABILITY = "neuroadaptation.mu_receptor_availability"
WITHDRAWAL_DRIVE = "neuroadaptation.withdrawal_drive"
OBSERVABLES = (MU_STIMULUS, MU_AVAILABILITY, WITHDRAWAL_DRIVE)

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
}


def threshold(withdrawal_drive: np.ndarray, table: dict[str, float]) -> np.ndarray:
    """The effective mu signal below which a trained subject responds."""
    return table["satiety_threshold"] * (
        1 + table["allostatic_threshold_gain"] * np.maximum(withdrawal_drive, 0.0)
    )


def satiety_signal(mu_stimulus: np.ndarray, mu_availability: np.ndarray) -> np.ndarray:
    """The drug's mu signal at the receptors not desensitised."""
    return np.asarray(mu_stimulus) * np.asarray(mu_availability)


def infusion_probability(
    mu_stimulus: np.ndarray,
    mu_availability: np.ndarray,
    withdrawal_drive: np.ndarray,
    expectancy: np.ndarray,
    fixed_ratio: int,
    table: dict[str, float],
) -> np.ndarray:
    """Probability per decision step that each subject completes the ratio (rates per
    minute, ``decision_step`` in minutes)."""
    below = satiety_signal(mu_stimulus, mu_availability) < threshold(
        np.asarray(withdrawal_drive), table
    )
    seeking = np.maximum(
        table["maximum_response_rate"] * np.asarray(expectancy), table["resting_response_rate"]
    )
    rate = np.where(below, seeking, table["resting_response_rate"])
    return 1.0 - np.exp(-rate / fixed_ratio * table["decision_step"])


def updated_expectancy(
    expectancy: np.ndarray,
    mu_stimulus: np.ndarray,
    mu_availability: np.ndarray,
    withdrawal_drive: np.ndarray,
    table: dict[str, float],
) -> np.ndarray:
    """The expectancy after an infusion, moved toward its outcome: the signal reached one
    decision step later relative to the threshold (1 at or above it)."""
    outcome = np.minimum(
        1.0,
        satiety_signal(mu_stimulus, mu_availability)
        / threshold(np.asarray(withdrawal_drive), table),
    )
    return expectancy + table["expectancy_learning_rate"] * (outcome - expectancy)


def values(overrides: dict[str, float] | None = None) -> dict[str, float]:
    """The parameter values (their table units), with optional overrides by name."""
    table = {name: record.value for name, record in PARAMETERS.items()}
    for name, value in (overrides or {}).items():
        if name not in table:
            raise ConfigError(
                f"behaviour.{name}: not a parameter of drug taking; known: {', '.join(table)}."
            )
        if not math.isfinite(value):
            raise ConfigError(f"behaviour.{name}: got {value}; must be a finite number.")
        table[name] = float(value)
    return table
