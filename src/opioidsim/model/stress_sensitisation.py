"""Stress-induced cross-sensitisation of the mesolimbic dopamine response.

Repeated social defeat leaves rodents more sensitive to drugs that raise accumbens dopamine,
for weeks: a cocaine dose that conditions no place preference in controls (1 mg/kg) does so
after four defeats, 3 weeks later (Montagud-Romero 2015; Rodriguez-Arias lab 2019), and
defeated mice release more accumbens dopamine to amphetamine (Han 2015) and self-administer
more cocaine (Cruz 2011; Han 2015). The induction needs stress-evoked CRF in the VTA (a VTA
CRF-R1 antagonist given at the defeats prevents the escalation, Boyson 2014; Holly 2016), and
oxytocin given before each defeat prevents it (Ferrer-Perez 2019).

One slow state, the sensitisation of the VTA dopamine neurones' drug-evoked release (0 naive,
1 the maximum), built by the stressor's CRF drive and decaying over weeks:

    crf_activation   = stress_crf_drive^n / (stress_crf_drive^n + induction_half_drive^n)
    d sensitisation/dt = induction_rate * crf_activation * (1 - sensitisation)
                         - decay_rate * sensitisation
    dopamine_response_gain = 1 + maximum_response_gain * sensitisation

``stress_crf_drive`` is ``hpa_axis.stress_crf_drive``: the stressors' CRH drive after oxytocin
buffering (``oxytocin_system.hpa_buffering``), taken as the measure of the stress-evoked CRF
that reaches the VTA (PVN and extended-amygdala CRF neurones are driven by the same
stressors). Oxytocin therefore protects exactly as far as it lowers that drive. ``reward``
multiplies the drug-evoked part of dopamine release (never the baseline, never a fall below
it) by the gain: sensitised animals have a normal baseline and a larger evoked rise.

Assumptions
- One state for what is several mechanisms (VTA BDNF, AMPA/NMDA changes, CRF-R1 up-regulation);
  its time constants are assumptions bracketed by the data: present 3 weeks after the last
  defeat, half-life taken as 30 d.
- A mild stressor held for weeks integrates too: two weeks of social isolation (0.3 x the
  basal drive, a twentieth of a defeat's) build about a third of four defeats' sensitisation
  (isolation enhances psychostimulant responses in rodents: direction only). The Hill
  steepness and the slow decay, both assumptions, decide how much.
- Withdrawal's CRF (``crf_release_drive``) does not enter: only stressors do, so chronic opioid
  dosing leaves every earlier result unchanged. Whether opioid withdrawal cross-sensitises
  the dopamine response is left open.
- Opioid reward passes through the same dopamine gain, yet defeat does not escalate heroin
  self-administration in rats (Cruz 2011): the model cannot show that dissociation until
  behaviour separates dopamine-dependent from dopamine-independent opioid reinforcement.
"""

from opioidsim.model.declare import Module, Scalar, assumed, derived
from opioidsim.model.sources import TIDEY_MICZEK_1997

MODULE = Module(
    name="stress_sensitisation",
    description="stress-induced sensitisation of the drug-evoked dopamine response",
    inputs={
        "stress_crf_drive": Scalar(
            "1",
            "stressors' CRF drive after oxytocin buffering, multiples of the basal CRH drive",
            default=0.0,
        ),
    },
    states={
        "sensitisation": Scalar(
            "1",
            "sensitisation of drug-evoked dopamine release (0 naive, 1 maximal)",
            bounds=(0.0, 1.0),
        ),
    },
    outputs={
        "dopamine_response_gain": Scalar(
            "1", "factor on the drug-evoked rise of accumbens dopamine (1 naive)"
        ),
        "level": Scalar("1", "sensitisation (0 naive, 1 maximal)"),
    },
    species=("human", "rat", "mouse"),
)

#: The drive of a typical rodent defeat (hpa.ACUTE_STRESSOR_DRIVE, social_defeat_drive).
DEFEAT_DRIVE = 11.07

PARAMETERS = {
    "induction_half_drive": assumed(
        DEFEAT_DRIVE,
        "1",
        reason="a typical defeat's CRH drive (hpa_axis.social_defeat_drive) half-activates "
        "the induction: mild (15 bites) and moderate (30 bites) defeats both escalate cocaine "
        "taking in mice (Han 2015), so a typical defeat is neither far below nor far above it",
    ),
    "induction_hill": assumed(
        2.0,
        "1",
        reason="CRF-R1 activation and the plasticity it starts need a strong stressor "
        "(handling does not sensitise); a steepness of 2, no value found",
    ),
    "induction_rate": assumed(
        1.4,
        "1/h",
        reason="one 25-min defeat at half activation builds a quarter of the maximum "
        "(1 - exp(-1.4 x 0.5 x 25/60) = 0.25), so the usual four defeats reach ~2/3 of it; "
        "no time course of the induction was found",
    ),
    "decay_rate": assumed(
        0.000963,
        "1/h",
        reason="ln 2 / 30 d: defeat-escalated cocaine taking and cross-sensitisation to "
        "amphetamine are seen 10 days and more after the last defeat (Cruz 2011, PMID "
        "21197616; Han 2015, PMID 25216798); no decay time was found. The place-preference "
        "data 3 weeks after the defeats (DEFEAT-REWARD) are validation, not used here",
    ),
    "maximum_response_gain": derived(
        1.9,
        "1",
        [TIDEY_MICZEK_1997],
        how="previously defeated rats raised accumbens dopamine to 145 % of baseline under "
        "the resident's threat, non-defeated rats to 120 %: an evoked rise 2.25 x larger "
        "after prior defeat. With four defeats holding ~2/3 of the maximum 3 weeks later, "
        "a maximal gain of 1.9 gives a 2.25-fold rise (1 + 1.9 x 0.66); the stimulus was "
        "the threat, not a drug, so the size carries over by assumption",
        species="rat",
        confidence="low",
    ),
}


def rates(state, params, inputs):
    """Return (derivatives, outputs); pure arithmetic on floats, arrays, units or symbols."""
    drive_n = inputs.stress_crf_drive**params.induction_hill
    activation = drive_n / (drive_n + params.induction_half_drive**params.induction_hill)
    d_sensitisation = (
        params.induction_rate * activation * (1 - state.sensitisation)
        - params.decay_rate * state.sensitisation
    )
    outputs = {
        "dopamine_response_gain": 1 + params.maximum_response_gain * state.sensitisation,
        "level": state.sensitisation,
    }
    return {"sensitisation": d_sensitisation}, outputs
