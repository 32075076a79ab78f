"""Executive control: impulsive choice as a consequence of opioid exposure and withdrawal.

People who use heroin discount delayed money about twice as steeply as controls (Kirby,
Petry & Bickel 1999), and more steeply while mildly opioid-deprived than while satiated, in
the same person (Giordano 2002). In rats the impulsivity follows the drug, not the person:
high- and low-impulsive rats alike became more impulsive while taking heroin and returned
toward baseline in abstinence (Schippers 2012); morphine-dependent rats discounted faster
22.5 h after their nightly dose and no differently from naive rats after 14 abstinent days
(Harvey-Lewis 2012). So impulsivity is read here as a state of the opioid system, largely
reversible, not as a trait (EXEC, ``../shared/evidence/alc_exec.md`` §3).

Two terms. The dependent brain between doses is in withdrawal (the locus coeruleus cAMP
mismatch, ``neuroadaptation.withdrawal_drive``), and deprivation is what steepens
discounting; the drug itself adds a small acute effect through the same mu pathway as
antinociception (``mu_effects.analgesia``; acute morphine raises impulsive choice in rats and
an antagonist blocks it):

    impulsivity_fold = 1 + acute_gain * analgesia + withdrawal_gain * withdrawal_drive

``impulsivity_fold`` is the delay-discounting rate k (hyperbolic, V = A / (1 + k D)) over the
same subject's drug-free value; in rodents it is also read as the fold of premature
responses in the five-choice serial reaction time task (one control deficit for impulsive
choice and impulsive action, an assumption).

With no drug and no withdrawal it is 1: naltrexone alone changes nothing beyond the tiny
endogenous tone (an antagonist alone does not change impulsivity in rats: no endogenous
opioid tone on choice). Stressors enter only through the opioid system: acute psychosocial
stress did not change intertemporal choice in 142 men (Haushofer 2013).

Assumptions
- The acute term reads the antinociceptive pathway (its coupling and tolerance): the
  receptor reserve of the prefrontal-striatal circuits is not known.
- ``acute_gain`` is not measured: no acute dose-effect size was found (see the table).
- One fold for choice and action; in people impulsive action (stop-signal, go/no-go) shows no
  deficit in opioid users (meta-analysis, Smith 2014), so the rodent premature-response
  reading is the weaker one.
- Not built: the rapid, transient corticosteroid effect (hydrocortisone raised discounting at
  15 min, not at 195 min), the kappa/dynorphin route of stress-induced premature responding
  (yohimbine, blocked by nor-BNI), a slower component that outlasts withdrawal (former users
  abstinent over a year still discounted more than controls in one study, Psederska 2023),
  and the gut (issue 16).
"""

from opioidsim.model.declare import Module, Scalar, assumed, calibrated
from opioidsim.model.math import log

MODULE = Module(
    name="executive_control",
    description="impulsive choice (delay discounting) raised by opioid withdrawal and acute mu "
    "signalling",
    inputs={
        "analgesia": Scalar("1", "mu analgesia-like effect, fraction of maximum", default=0.0),
        "withdrawal_drive": Scalar(
            "1", "locus coeruleus cAMP mismatch (neuroadaptation)", default=0.0
        ),
    },
    states={},
    outputs={
        "impulsivity_fold": Scalar(
            "1",
            "delay-discounting rate k over the drug-free value (rodents: also premature "
            "responses over baseline)",
        ),
        "log_impulsivity_fold": Scalar(
            "1",
            "ln k minus the drug-free ln k: the scale discounting is analysed on (ln k is "
            "about normal across people)",
        ),
    },
    species=("human", "rat", "mouse"),
)

PARAMETERS = {
    "acute_gain": assumed(
        0.5,
        "1",
        reason="fold added by a maximal acute mu effect: no acute dose-effect size was found "
        "(the rodent reports give directions only), so a maximal antinociceptive dose is taken "
        "to raise k by half, between no effect and a doubling",
    ),
    "withdrawal_gain": calibrated(
        37.45,
        "1",
        against="kirby_1999_heroin_discounting",
        note="k fold per unit withdrawal drive: heroin users' k twice controls' (Kirby, Petry & "
        "Bickel 1999), read as the mean of ln k over a day of regular use (25 mg IV every "
        "8 h, day 60; tested at an unknown time of day), the PEtab problem "
        "impulsivity-withdrawal-gain (opioidsim calibrate impulsivity-withdrawal-gain)",
    ),
}


def rates(state, params, inputs):
    """Return (derivatives, outputs); pure arithmetic on floats, arrays, units or symbols."""
    fold = (
        1
        + params.acute_gain * inputs.analgesia
        + params.withdrawal_gain * (inputs.withdrawal_drive)
    )
    return {}, {"impulsivity_fold": fold, "log_impulsivity_fold": log(fold)}
