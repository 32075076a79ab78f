"""Conditioned place preference: what a context paired with a drug comes to be worth, and how
long the animal then stays in it (issue 15).

**The unconditioned stimulus.** While the animal is confined to a side, what the drug does
there is the value it learns. Two rewards and one punishment are read from the model:

    dopamine  = positive_part(reward.dopamine_percent_baseline / 100 - 1)
                  the accumbens dopamine surge (psychostimulant and opioid reward alike)
    hedonic   = e / (e + hedonic_half_signal),   e = positive_part(mu_stimulus *
                mu_receptor_availability - resting signal)
                  the mu signal's own reward, independent of dopamine: in drug-naive rats and
                  mice morphine place preference survives neuroleptics (Mackey & van der Kooy
                  1985, Pharmacol Biochem Behav 22:101, DOI 10.1016/0091-3057(85)90492-7) and
                  the loss of dopamine (Hnasko, Sotak & Palmiter 2005, Nature 438:854, DOI
                  10.1038/nature04172), through the tegmental pedunculopontine nucleus
                  (Bechara, Harrington, Nader & van der Kooy 1992, Behav Neurosci 106:798,
                  PMID 1359898)
    aversion  = neuroadaptation.withdrawal_drive
                  withdrawal is aversive: naloxone-precipitated withdrawal conditions a place
                  aversion (Schulteis 1994)
    us        = dopamine + hedonic - aversion
    outcome   = us / (1 + |us|)      (saturating, signed: 1/2 at a dopamine doubling)

**Learning.** Each confinement is one Pavlovian trial: the side's value moves toward the
mean outcome over the confinement by the trial rate (Rescorla-Wagner), and is forgotten
between trials at the reward module's forgetting rate:

    value_side += conditioning_rate * (mean outcome during the confinement - value_side)

**Choice at the test.** Drug-free, with both sides open, the animal spends on the paired side
the fraction

    p = 1 / (1 + exp(-choice_sensitivity * (value_paired - value_unpaired)))

of the time it spends on the two sides (0.5 before conditioning: an unbiased apparatus), and
the place-preference score is the time on the paired side at the test minus before
conditioning.

Assumptions: the hedonic half-signal and the choice sensitivity (see the table); the
aversion's weight 1 (withdrawal drive 1, a full withdrawal, weighs as a dopamine doubling);
no between-animal variation, so a score is a group mean and significance is a rule on its
size (the experiment's data sets say which).
"""

from __future__ import annotations

import math

import numpy as np

from opioidsim.model.declare import assumed, values_with_overrides

DOPAMINE = "reward.dopamine_percent_baseline"
MU_STIMULUS = "mu_receptor.stimulus"
MU_AVAILABILITY = "neuroadaptation.mu_receptor_availability"
WITHDRAWAL_DRIVE = "neuroadaptation.withdrawal_drive"
OBSERVABLES = (DOPAMINE, MU_STIMULUS, MU_AVAILABILITY, WITHDRAWAL_DRIVE)

PARAMETERS = {
    "hedonic_half_signal": assumed(
        0.25,
        "1",
        reason="the mu signal (efficacy-weighted occupancy at the available receptors) at "
        "half the dopamine-independent reward: the rodent analgesic half-activation "
        "(1 / tau = 0.25 of the mu-receptor module), i.e. the same pathway sensitivity as "
        "antinociception; no measurement of the hedonic pathway's own sensitivity was found",
        species="rat, mouse",
    ),
    "conditioning_rate": assumed(
        0.2,
        "1",
        reason="Rescorla-Wagner rate per conditioning trial, the ~0.2 per trial the reward "
        "and drug-taking modules assume: a preference grows over 2-4 pairings (Brabant, "
        "Quertemont & Tirelli: 1 pairing insufficient, 4 strongest; cocaine, B6 mice)",
    ),
    "choice_sensitivity": assumed(
        1.386,
        "1",
        reason="ln 4: a side whose value is fully learned at the saturating outcome (1) "
        "holds the animal 80 % of the time on the two sides, the order of the largest "
        "place preferences (morphine CPP magnitudes of 26-63 % over earlier studies, Blander "
        "et al. 1984, Psychopharmacology 84:124, DOI 10.1007/BF00432040); a round reading, "
        "not a fit",
    ),
    "forgetting_rate": assumed(
        0.0231,
        "1/d",
        reason="the reward module's value forgetting (half-life 30 d), carried over to the "
        "context's value",
    ),
}


def values(overrides: dict[str, float] | None = None) -> dict[str, float]:
    """The parameter values (their table units), with optional overrides by name."""
    return values_with_overrides(PARAMETERS, overrides, "place_conditioning")


def outcome(
    dopamine_percent: np.ndarray,
    mu_signal: np.ndarray,
    resting_signal: float,
    withdrawal_drive: np.ndarray,
    table: dict[str, float],
) -> np.ndarray:
    """The signed, saturating outcome at each sample (dimensionless, -1 to 1)."""
    dopamine = np.maximum(np.asarray(dopamine_percent, dtype=float) / 100.0 - 1.0, 0.0)
    excess = np.maximum(np.asarray(mu_signal, dtype=float) - resting_signal, 0.0)
    hedonic = excess / (excess + table["hedonic_half_signal"])
    us = dopamine + hedonic - np.maximum(np.asarray(withdrawal_drive, dtype=float), 0.0)
    return us / (1.0 + np.abs(us))


def after_trial(value: float, mean_outcome: float, table: dict[str, float]) -> float:
    """A side's value after one confinement with the given mean outcome."""
    return value + table["conditioning_rate"] * (mean_outcome - value)


def forgotten(value: float, elapsed_h: float, table: dict[str, float]) -> float:
    """A side's value after ``elapsed_h`` hours without a trial."""
    return value * math.exp(-table["forgetting_rate"] * elapsed_h / 24.0)


def paired_fraction(value_paired: float, value_unpaired: float, table: dict[str, float]) -> float:
    """Fraction of the time on the two sides spent on the paired side."""
    return 1.0 / (1.0 + math.exp(-table["choice_sensitivity"] * (value_paired - value_unpaired)))
