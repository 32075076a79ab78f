"""Opioid use in people after detoxification: lapse, relapse, medication taken, and leaving
treatment (issue 15, human use; NTX-RELAPSE).

Each day a person who has stopped using decides whether to use, and, while in treatment,
whether to take the day's medication and whether to stay. What a use does is read from the
model, not assumed: the dose taken enters the same engine run, and its effect is the drug
liking it brings (``subjective_effects.drug_liking``, the mu pathway calibrated on human
liking ratings), after whatever the medication and the person's tolerance leave of it.

**Why a lapse becomes a relapse, and why naltrexone stops it.** Use that pays keeps being
chosen: a dose that is liked primes the next day's craving and keeps the learned drug value
high, so a lapse is followed by more use (the priming account of relapse, de Wit & Stewart
1981; de Wit 1996, Exp Clin Psychopharmacol 4:5, DOI 10.1037/1064-1297.4.1.5), and daily use
rebuilds dependence, whose withdrawal then drives use of its own (negative reinforcement;
Koob & Le Moal 2001). Under a blocking dose of naltrexone the same dose is hardly liked: the
lapse primes little, and the drug value falls toward what the dose brought (extinction of
drug taking under blockade, the rationale of antagonist treatment: Wikler 1973; O'Brien
1996). Nothing below says "naltrexone"; the blockade is the receptor layer's.

Each subject carries a drug value ``a`` (what use is expected to bring; 1 for a person with
opioid use disorder) and a priming trace ``p`` (the liking of recent use, fading). With the
withdrawal drive ``w`` (``neuroadaptation.withdrawal_drive``) and the stressor drive ``s``
(``hpa_axis.stressor_intensity``, the largest over the past day) at the morning decision:

    craving      c = a * (1 + priming_gain * p + withdrawal_gain * w + stress_gain * s)
    P(use today)   = 1 - exp(-lapse_rate * m * c * 1 d)        (outside a closed ward)
    outcome      o = clip(peak liking after the day's first dose / liking_reference, 0, 1)
    after a use:   a += learning_rate * (o - a);   p = o
    each day:      p *= exp(-1 d / priming_time)

**People differ in how readily craving becomes use.** ``m``, the person's lapse propensity,
is drawn once per person from a gamma distribution with mean 1 and shape
``lapse_propensity_shape`` (the gamma frailty of survival analysis; Vaupel, Manton &
Stallard 1979, Demography 16:439). It stands for what the model does not represent and
that differs between people, not between days: access to the drug, a partner or home that
uses, the resolve brought out of treatment, self-control (the predictors of earlier
relapse in Smyth 2010: amount used, injecting, a partner who uses; ORs 1.7-2.2). Without
it every person is the same person, and a lapse becomes a relapse in everyone who lapses:
the cohorts followed after detoxification say otherwise. A quarter never used in six months
(Gossop et al. 1987), half were not using at six months while a constant share had become
daily users again, and in the months after a brief detoxification people used on 11-14
days of 30, with 21-30 % using on none and 25-36 % almost daily (Chutuape et al. 2001):
most of the spread is between people. The propensity gives the constant daily share and
the stable monthly pattern, not Gossop's abstinence growing over the months (a change
within people; Chutuape saw no such growth, and the model follows Chutuape).

**Leaving treatment.** People leave treatment for reasons of their own and when drug
seeking takes over: the daily hazard of leaving has a part that craving does not explain
and a part proportional to craving,

    P(leave today) = 1 - exp(-(dropout_rate + dropout_craving_rate * c) * 1 d)

so a liked lapse (craving up by ``priming_gain * o``) raises it, and a blocked one hardly.
(Nunes et al. 2020 saw this in a trial: on placebo a positive urine multiplied the next
week's dropout about 6-fold, under depot naltrexone much less; that trial is a validation
data set here and its size is not used.)
The same hazard applies on a detoxification ward, where withdrawal makes up most of the
craving; that is how a long opioid-free wait before the first naltrexone injection loses
people (the induction hurdle of X:BOT) without a term of its own.

**Taking the medication.** A daily tablet (oral naltrexone, sublingual buprenorphine) is
taken in the morning. A person who means to use that day skips it (strategic
non-adherence: patients stop naltrexone in order to use, Kleber 2007; the reason oral
naltrexone fails without supervision, Minozzi 2011); otherwise it is missed with the
probability ``1 - tablet_adherence``. Under supervision (``adherence: supervised``, e.g.
family- or clinic-observed dosing) the tablet is taken every day in treatment, and on a
closed ward the staff give it (an induction on a detoxification unit is observed; until
session 25 a person on the ward who meant to use skipped it, which left 21 % of X:BOT's
buprenorphine arm never inducted against 6 % observed, a validation data set: the change
was made after seeing that). Depot
injections are given on schedule while the person is in treatment.

Assumptions
- One decision a day (morning: use intention and tablet; the use itself in the evening);
  a use day is the block's dose pattern (e.g. 3 x 25 mg IV heroin 6 h apart). How much is
  used is not chosen.
- ``liking_reference`` 0.5 (a dose liked at half the maximal rating fully confirms the drug
  value): the "average effect" the liking pathway is calibrated to.
- The priming time, withdrawal and stress gains and the tablet adherence are assumptions;
  ``lapse_rate``, ``priming_gain`` and ``lapse_propensity_shape`` (untreated use after
  detoxification: Smyth 2010, Gossop 1987/1989, Chutuape 2001), ``dropout_rate`` and
  ``dropout_craving_rate`` (retention) are calibrated (see the table and
  ``experiments/phenomena/ntx_relapse.py``).
- Leaving treatment does not depend on the lapse propensity: tried in session 25 (the same
  trait scaling both), it overstated the dropout ratio after a positive urine (20 on
  placebo, 6.7 on depot naltrexone; Nunes 2020: 6.25 and 1.67) and was reverted.
- People differ through their random streams, their lapse propensity, and any
  ``opioid_use.<name>`` a population varies. The propensity is fixed for the person's
  whole course (no drift in resolve over months).
- Someone who leaves treatment keeps the same decision rule, with no medication: outside
  treatment the drug is always at hand (``access``), on a closed ward it is not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from opioidsim.model.declare import assumed, calibrated, values_with_overrides

#: Observables the decisions read (module.output names).
DRUG_LIKING = "subjective_effects.drug_liking"
WITHDRAWAL_DRIVE = "neuroadaptation.withdrawal_drive"
STRESSOR_INTENSITY = "hpa_axis.stressor_intensity"
OBSERVABLES = (DRUG_LIKING, WITHDRAWAL_DRIVE, STRESSOR_INTENSITY)

_UNTREATED = "smyth_2010_relapse_after_inpatient_detox"
_DROPOUT = "comer_2006_depot_naltrexone_retention"
_COHORTS = "gossop_1987_use_after_inpatient_withdrawal"

PARAMETERS = {
    "lapse_rate": calibrated(
        1.0,
        "1/d",
        against=_UNTREATED,
        note="daily hazard of use at craving 1 and mean lapse propensity (a person with opioid "
        "use disorder, drug at "
        "hand, no prime, no withdrawal): 66 % had used by day 7 after leaving an inpatient "
        "detoxification unit without medication (Smyth, Barry, Keenan & Ducray 2010, Ir Med "
        "J 103:176, PMID 20669601); fitted with priming_gain to the 7-day lapse and daily-use "
        "relapse fractions; since session 25 with lapse_propensity_shape and priming_gain "
        "also to gossop_1987_use_after_inpatient_withdrawal and "
        "chutuape_2001_use_after_brief_detox (0.14 before people differed in propensity)",
        species="human",
    ),
    "priming_gain": calibrated(
        5.0,
        "1",
        against=_UNTREATED,
        note="craving added by a fully liked use the day before: 59 % had returned to daily "
        "use by day 7, nearly all of those who lapsed (Smyth 2010, PMID 20669601); fitted "
        "with lapse_rate and lapse_propensity_shape (25 before session 25: with everyone "
        "alike, only a strong prime made lapses into daily use; with people who differ, "
        "intermittent use 1-6 months after detoxification (Chutuape 2001) needs a weaker one)",
        species="human",
    ),
    "lapse_propensity_shape": calibrated(
        0.28,
        "1",
        against=_COHORTS,
        note="shape of the gamma distribution (mean 1) of people's lapse propensity: fitted "
        "with lapse_rate and priming_gain to the share who never used in 6 months after "
        "inpatient withdrawal (12 of 50) and the share not using at 6 months (26 of 50; "
        "Gossop, Green, Phillips & Bradley 1987, BMJ 294:1377) and to the heroin-use days, "
        "abstinent and near-daily shares 1-6 months after a 3-day detoxification (Chutuape, "
        "Jasinski, Fingerhood & Stitzer 2001, Am J Drug Alcohol Abuse 27:19, PMID 11373035)",
        species="human",
    ),
    "priming_time": assumed(
        2.0,
        "d",
        reason="a use primes the next days' craving and fades within a few days of "
        "abstinence: the days-long window of reinstatement by a drug prime in people "
        "(de Wit 1996, DOI 10.1037/1064-1297.4.1.5; direction only); no time constant found",
        species="human",
    ),
    "withdrawal_gain": assumed(
        3.0,
        "1",
        reason="negative reinforcement: the withdrawal drive of a person dependent on daily "
        "heroin (about 0.2 in the model) raises craving by ~60 %; self-rated precipitants of "
        "lapse include craving and low mood in about 60 % (Ducray, Darker & Smyth 2014), "
        "not a size",
        species="human",
    ),
    "stress_gain": assumed(
        1.0,
        "1",
        reason="a typical stress episode (stressor intensity 1) doubles that day's craving, "
        "as a footshock retrieves the drug memory in the rat model (drug_taking); no human "
        "size found",
        species="human",
    ),
    "learning_rate": assumed(
        0.2,
        "1",
        reason="Rescorla-Wagner rate per use day, the per-trial rate of the rat's drug "
        "memory (drug_taking.expectancy_learning_rate): a handful of blocked uses brings the "
        "drug value down (Comer 2006 saw few lapses persist under depot naltrexone; "
        "direction)",
        species="human",
    ),
    "liking_reference": assumed(
        0.5,
        "1",
        reason="liking (fraction of the maximal rating) that fully confirms the drug value: "
        "half the maximal rating, the 'average effect' the liking pathway is calibrated to "
        "(subjective_effects.liking_coupling)",
        species="human",
    ),
    "dropout_rate": calibrated(
        0.002,
        "1/d",
        against=_DROPOUT,
        note="daily hazard of leaving treatment that craving does not explain: with "
        "dropout_craving_rate, fitted to 2-month retention of 68 % with depot naltrexone "
        "384 mg and 39 % with placebo injections after detoxification (Comer, Sullivan, Yu et "
        "al. 2006, Arch Gen Psychiatry 63:210, PMID 16461865); 0.005 before session 25 "
        "re-fitted it after people came to differ in lapse propensity",
        species="human",
    ),
    "dropout_craving_rate": calibrated(
        0.006,
        "1/d",
        against=_DROPOUT,
        note="daily hazard of leaving treatment per unit of craving (fitted with "
        "dropout_rate to the same two retention fractions, PMID 16461865); 0.0007 before "
        "session 25, when daily users' craving was ~26 (priming_gain 25), now ~6",
        species="human",
    ),
    "tablet_adherence": assumed(
        0.9,
        "1",
        reason="probability of taking a daily tablet on a day without intent to use: no "
        "per-dose adherence measure of oral naltrexone in opioid use disorder was found "
        "(docs/research/relapse-literature.md, 'not obtained'); a round value typical of "
        "daily oral medication",
        species="human",
    ),
}


@dataclass
class Memory:
    """What each person carries from day to day."""

    #: What use is expected to bring (1: opioid use disorder).
    drug_value: np.ndarray
    #: The liking of recent use, fading (0: no recent use).
    priming: np.ndarray

    @classmethod
    def dependent(cls, subjects: int) -> Memory:
        """People with opioid use disorder just after detoxification."""
        return cls(np.ones(subjects), np.zeros(subjects))


def craving(
    memory: Memory,
    withdrawal_drive: np.ndarray,
    stressor_intensity: np.ndarray,
    table: dict[str, float],
) -> np.ndarray:
    """Today's craving (1: a person with opioid use disorder at rest)."""
    return memory.drug_value * (
        1.0
        + table["priming_gain"] * memory.priming
        + table["withdrawal_gain"] * np.maximum(withdrawal_drive, 0.0)
        + table["stress_gain"] * np.maximum(stressor_intensity, 0.0)
    )


def daily_chance(rate: float | np.ndarray, craving_today: np.ndarray) -> np.ndarray:
    """Probability over one day of an event with hazard ``rate x craving`` (per day)."""
    return 1.0 - np.exp(-np.asarray(rate) * craving_today)


def lapse_propensity(shape: float, stream: np.random.Generator) -> float:
    """One person's lapse propensity: a gamma draw with mean 1 and the given shape."""
    return float(stream.gamma(shape, 1.0 / shape))


def leaving_chance(craving_today: np.ndarray, table: dict[str, float]) -> np.ndarray:
    """Probability of leaving care (treatment, or the ward) today."""
    hazard = table["dropout_rate"] + table["dropout_craving_rate"] * np.maximum(craving_today, 0.0)
    return 1.0 - np.exp(-np.asarray(hazard))


def outcome(peak_liking: np.ndarray, table: dict[str, float]) -> np.ndarray:
    """What a use day brought, 0-1: its peak liking relative to the reference."""
    return np.clip(np.asarray(peak_liking) / table["liking_reference"], 0.0, 1.0)


def learn(
    memory: Memory, used: np.ndarray, outcomes: np.ndarray, table: dict[str, float]
) -> Memory:
    """After a day: the drug value moves toward each use's outcome, the priming trace is the
    outcome where there was use and fades elsewhere."""
    fade = np.exp(-1.0 / np.asarray(table["priming_time"], dtype=float))
    value = np.where(
        used,
        memory.drug_value + table["learning_rate"] * (outcomes - memory.drug_value),
        memory.drug_value,
    )
    priming = np.where(used, outcomes, memory.priming * fade)
    return Memory(value, priming)


def values(overrides: dict[str, float] | None = None) -> dict[str, float]:
    """The parameter values (their table units), with optional overrides by name."""
    return values_with_overrides(PARAMETERS, overrides, "opioid use")
