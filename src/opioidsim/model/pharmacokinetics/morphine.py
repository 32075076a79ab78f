"""Morphine: two-compartment disposition, first-order absorption, slow brain effect site.

After Stuart-Harris et al. 2000 (IV and s.c. morphine in the same volunteers, Table 1:
clearance, s.c. absorption), Wang et al. 2013 (two-compartment population fit: central and
peripheral volumes, intercompartmental clearance), Hoskin et al. 1989 (oral bioavailability
and tmax) and Dahan et al. 2004 (plasma-to-effect-site delay).

States (amounts in nmol, concentrations in nM):

    d gut_amount/dt          = - oral_absorption_rate * gut_amount
    d subcutaneous_amount/dt = - subcutaneous_absorption_rate * subcutaneous_amount
    d central_amount/dt      = oral_absorption_rate * gut_amount
                               + subcutaneous_absorption_rate * subcutaneous_amount
                               + formation_rate - clearance * plasma_concentration
                               - distribution
    d peripheral_amount/dt   = distribution
    d effect_site_concentration/dt = effect_site_rate * (plasma_concentration
                                                         - effect_site_concentration)

    clearance                    = clearance_table * clearance_scale
    intercompartmental_clearance = intercompartmental_clearance_table * clearance_scale
    central_volume               = central_volume_table * volume_scale
    peripheral_volume            = peripheral_volume_table * volume_scale
    plasma_concentration         = central_amount / central_volume
    distribution                 = intercompartmental_clearance
                                   * (plasma_concentration
                                      - peripheral_amount / peripheral_volume)
    brain_concentration          = plasma_unbound_fraction * brain_unbound_partition
                                   * effect_site_concentration

With CL 95.0 L/h, Q 114 L/h, V1 81.2 L and V2 128 L (Vss 209 L) the IV disposition is
bi-exponential with half-lives 13 min (distribution) and 2.1 h (terminal; Stuart-Harris
2.2 +- 1.0 h). Ten mg morphine sulphate pentahydrate IV gives 263 nM at 5 min (Stuart-Harris:
Cmax 283 +- 74 nM at the 5-min sample); a s.c. bolus peaks at 0.21 h (observed median 0.25 h,
range 0.17-0.25 h) at 197 nM (observed 262 +- 49 nM).

Routes: ``iv`` (bolus or infusion into central_amount), ``sc`` (into subcutaneous_amount,
bioavailability 1: Stuart-Harris measured 1.14 +- 0.17), ``oral`` (oral_bioavailability of
the dose into gut_amount). Doses are morphine **base** equivalents (molar mass of the base):
10 mg morphine sulfate pentahydrate is 7.52 mg base, 10 mg morphine HCl trihydrate 7.59 mg.
``formation_rate`` is morphine formed from heroin/6-MAM (heroin module).

Species
- human: the sources above.
- rat: one-compartment (intercompartmental_clearance = 0) from the rat serum half-life
  (40 min after 5 mg/kg s.c., JPET 1975 RIA study) with the human apparent volume per kg
  (Stuart-Harris Vd 276 L; allometric volume exponent 1); the effect-site delay is the rat's
  own, t1/2ke0 25 min for antinociception (Ekblom 1993; it was the human one scaled by
  (W_rat/W_human)**(1/4), 1.08 h, until session 23). Not found for the rat and
  carried over from human (assumed, low): oral bioavailability and absorption rate, s.c.
  absorption rate, plasma protein binding. The low-level 5 h terminal phase reported after
  s.c. dosing (JPET 1979;208:228) is not modelled.
- mouse: no morphine PK found; no table.

Assumptions
- Two compartments, mixing two sources: clearance from Stuart-Harris (the study that gives
  the s.c. absorption), volumes and Q from Wang 2013's non-adolescent strata (adults; its adult CL,
  1620 mL/min, agrees with Stuart-Harris's 1584). A one-compartment model with
  Stuart-Harris's apparent Vd (276 L) gave 93 nM at 5 min and a s.c. tmax of 0.39 h: the
  early distribution phase matters for any parenteral dose. The three-compartment set found
  (Lotsch et al. 2002, Clin Pharmacol Ther 72:151, PMID 12189362, as coded in stanpumpR)
  has a 9 h slowest half-life (log-linear 2-24 h: 5.4 h), outside Stuart-Harris's spread.
- The oral absorption rate is solved for Hoskin's tmax in this disposition; oral doses
  reach the plasma too slowly for the distribution phase to show.
- Brain: the slow plasma-to-brain equilibration (low permeability, P-gp efflux) is the
  effect-site delay; at equilibrium unbound brain = Kp,uu * unbound plasma (Kp,uu 0.56, rat,
  Bostrom 2006). Dahan's t1/2ke0 was estimated against measured plasma concentrations,
  whose early distribution phase the two compartments now reproduce.
- M6G (active glucuronide) is not modelled: after oral dosing it adds to the effect.
- Enterohepatic recycling (secondary oral peaks) is ignored.
"""

from opioidsim.model.declare import Module, Route, Scalar, assumed, derived, measured
from opioidsim.model.pharmacokinetics._exchange import clearance_exchange
from opioidsim.model.sources import (
    ANDERSON_HOLFORD_2008,
    DAHAN_2004,
    EKBLOM_1993,
    HOSKIN_1989,
    NALOXONE_RIA_1975,
    PUBCHEM_2023,
    STUART_HARRIS_2000,
    WANG_2013,
)

MODULE = Module(
    name="morphine",
    description="morphine pharmacokinetics and brain effect site",
    inputs={
        "formation_rate": Scalar("nmol/h", "morphine formed from heroin/6-MAM", default=0.0),
        "clearance_scale": Scalar("1", "allometric clearance factor", default=1.0),
        "volume_scale": Scalar("1", "allometric volume factor", default=1.0),
    },
    states={
        "gut_amount": Scalar("nmol", "bioavailable oral dose not yet absorbed", bounds=(0, 1e12)),
        "subcutaneous_amount": Scalar("nmol", "s.c. dose not yet absorbed", bounds=(0, 1e12)),
        "central_amount": Scalar("nmol", "morphine in the central compartment", bounds=(0, 1e12)),
        "peripheral_amount": Scalar(
            "nmol", "morphine in the peripheral compartment", bounds=(0, 1e12)
        ),
        "effect_site_concentration": Scalar(
            "nM", "biophase concentration (plasma-equivalent, total)", bounds=(0, 1e12)
        ),
    },
    outputs={
        "plasma_concentration": Scalar("nM", "total plasma concentration"),
        "brain_concentration": Scalar("nM", "unbound brain (biophase) concentration"),
    },
    ligands={"morphine": "brain_concentration"},
    routes={
        "iv": Route("intravenous bolus or infusion", {"central_amount": ()}, infusion=True),
        "sc": Route("subcutaneous injection", {"subcutaneous_amount": ()}),
        "oral": Route(
            "oral solution or immediate-release tablet", {"gut_amount": ("oral_bioavailability",)}
        ),
    },
    molar_mass="molar_mass",
    species=("human", "rat"),
)

_BOSTROM = (
    "Bostrom et al. 2006 / Bostrom thesis 2007 (Uppsala): rat brain Kp,uu of morphine 0.56 "
    "(microdialysis; abstract seen, no DOI/PMID seen); active efflux"
)

_HUMAN = {
    "molar_mass": derived(
        285.34,
        "g/mol",
        [PUBCHEM_2023],
        how="C17H19NO3 (morphine base) with IUPAC standard atomic weights",
        note="doses are morphine base equivalents",
    ),
    "clearance": measured(
        1584.0,
        "mL/min",
        STUART_HARRIS_2000,
        species="human",
        confidence="high",
        locator="Table 1, i.v. 10 mg/70 kg (SD 408)",
    ),
    "central_volume": measured(
        81.2,
        "L",
        WANG_2013,
        species="human",
        confidence="medium",
        locator="Model I final estimates, TH7: V1 for 70 kg (non-adolescent strata; IIV "
        "omega2 0.253)",
        note="Stuart-Harris's one-compartment apparent Vd was 276 +- 72 L",
    ),
    "intercompartmental_clearance": measured(
        1.90,
        "L/min",
        WANG_2013,
        species="human",
        confidence="medium",
        locator="Model I final estimates, TH6: Q for 70 kg (non-adolescent strata)",
    ),
    "peripheral_volume": measured(
        128.0,
        "L",
        WANG_2013,
        species="human",
        confidence="medium",
        locator="Model I final estimates, TH8: V2 for 70 kg",
    ),
    "oral_bioavailability": derived(
        0.23,
        "1",
        [HOSKIN_1989],
        how="mean of 0.239 (Hoskin 1989, oral solution) and 0.216 (Westerling 1993, Ther "
        "Drug Monit 15:364, 95% CI 0.154-0.277; no DOI/PMID seen)",
        species="human",
        confidence="high",
    ),
    "oral_absorption_rate": derived(
        0.989,
        "1/h",
        [HOSKIN_1989, STUART_HARRIS_2000, WANG_2013],
        how="ka at which the plasma peak of the two-compartment disposition (CL 1584 mL/min, "
        "Stuart-Harris; V1 81.2 L, Q 1.90 L/min, V2 128 L, Wang 2013) comes at tmax 0.75 h "
        "(Hoskin, oral solution); solved numerically. Was 3.40 /h in the one-compartment "
        "model (k = CL/V = 0.344 /h)",
        species="human",
    ),
    "subcutaneous_absorption_rate": derived(
        8.66,
        "1/h",
        [STUART_HARRIS_2000],
        how="ln 2 / absorption (appearance) t1/2 0.08 h of the s.c. bolus (Table 1); "
        "tmax 0.17-0.25 h",
        species="human",
        confidence="high",
    ),
    "effect_site_rate": derived(
        0.1575,
        "1/h",
        [DAHAN_2004],
        how="ln 2 / t1/2ke0 4.4 h (analgesia and respiration)",
        species="human",
        confidence="high",
    ),
    "plasma_unbound_fraction": assumed(
        0.65, "1", reason="morphine ~35% protein bound (recalled label value, unverified)"
    ),
    "brain_unbound_partition": assumed(
        0.56, "1", reason=_BOSTROM, confidence="medium", species="rat"
    ),
}

_RAT_WEIGHT_RATIO = "(0.25 kg / 70 kg)"

_RAT = {
    "molar_mass": _HUMAN["molar_mass"],
    "central_volume": derived(
        0.986,
        "L",
        [STUART_HARRIS_2000, ANDERSON_HOLFORD_2008],
        how=f"human apparent Vd 276 L (Stuart-Harris Table 1, one compartment) x "
        f"{_RAT_WEIGHT_RATIO} (volume proportional to body weight)",
        species="rat",
        confidence="low",
    ),
    "intercompartmental_clearance": assumed(
        0.0,
        "L/h",
        reason="one-compartment rat model (serum t1/2 and tmax only): no peripheral exchange",
    ),
    "peripheral_volume": assumed(
        0.1, "L", reason="unused (no exchange); nonzero to keep its concentration defined"
    ),
    "clearance": derived(
        1.025,
        "L/h",
        [NALOXONE_RIA_1975, STUART_HARRIS_2000],
        how="CL = V ln2 / t1/2 with V 0.986 L and the rat serum t1/2 40 min after 5 mg/kg "
        "s.c. (= 68 mL/min/kg)",
        species="rat",
        confidence="low",
    ),
    "oral_bioavailability": assumed(
        0.23, "1", reason="rat oral bioavailability not found; human value carried over"
    ),
    "oral_absorption_rate": assumed(
        3.40, "1/h", reason="rat oral absorption not found; human value carried over"
    ),
    "subcutaneous_absorption_rate": assumed(
        8.66,
        "1/h",
        reason="rat s.c. absorption rate not found; human value carried over (gives serum "
        "tmax 0.28 h, consistent with tmax < 0.5 h reported in the rat)",
    ),
    "effect_site_rate": derived(
        1.664,
        "1/h",
        [EKBLOM_1993],
        how="ln 2 / t1/2ke0 25 min: the blood-to-effect-compartment equilibration half-life "
        "of morphine antinociception in rats (25 +- 8 min after a 35 umol/kg IV bolus). Until "
        "session 23 the human t1/2ke0 (4.4 h) scaled allometrically, 1.08 h",
        species="rat",
        confidence="medium",
    ),
    "plasma_unbound_fraction": assumed(
        0.65, "1", reason="rat binding not found; human value (itself unverified) carried over"
    ),
    "brain_unbound_partition": _HUMAN["brain_unbound_partition"],
}

PARAMETERS_BY_SPECIES = {"human": _HUMAN, "rat": _RAT}


def rates(state, params, inputs):
    """Return (derivatives, outputs)."""
    clearance = params.clearance * inputs.clearance_scale
    central_volume = params.central_volume * inputs.volume_scale
    plasma_concentration = state.central_amount / central_volume
    distribution = clearance_exchange(
        params.intercompartmental_clearance * inputs.clearance_scale,
        plasma_concentration,
        state.peripheral_amount,
        params.peripheral_volume * inputs.volume_scale,
    )
    oral_absorption = params.oral_absorption_rate * state.gut_amount
    subcutaneous_absorption = params.subcutaneous_absorption_rate * state.subcutaneous_amount
    derivatives = {
        "gut_amount": -oral_absorption,
        "subcutaneous_amount": -subcutaneous_absorption,
        "central_amount": oral_absorption
        + subcutaneous_absorption
        + inputs.formation_rate
        - clearance * plasma_concentration
        - distribution,
        "peripheral_amount": distribution,
        "effect_site_concentration": params.effect_site_rate
        * (plasma_concentration - state.effect_site_concentration),
    }
    outputs = {
        "plasma_concentration": plasma_concentration,
        "brain_concentration": params.plasma_unbound_fraction
        * params.brain_unbound_partition
        * state.effect_site_concentration,
    }
    return derivatives, outputs
