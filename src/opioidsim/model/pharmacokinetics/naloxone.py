"""Naloxone: two-compartment disposition, transit-chain IM and nasal absorption, effect site.

After the FDA naloxone-rescue model (Mann et al. 2022): disposition and nasal absorption
from its Narcan 4 mg repeated-dosing fit (``naloxoneIN4mgRepeatedDosingPKBLQ.R``), IM
absorption from its IM rescue set (``parmsFentanyl.R``), and the biophase t1/2 6.5 min
(Yassen et al. 2007; the FDA model's k2).

States (amounts in nmol, concentrations in nM):

    d intramuscular_depot_amount/dt      = - intramuscular_transit_rate
                                             * intramuscular_depot_amount
    d intramuscular_transit_amount/dt    = intramuscular_transit_rate
                                           * (intramuscular_depot_amount
                                              - intramuscular_transit_amount)
    d intramuscular_absorbing_amount/dt  = intramuscular_transit_rate
                                           * intramuscular_transit_amount
                                           - intramuscular_absorption_rate
                                             * intramuscular_absorbing_amount
    (nasal_depot_amount, nasal_transit_amount, nasal_absorbing_amount: the same chain with
     nasal_transit_rate and nasal_absorption_rate)
    d central_amount/dt    = intramuscular_absorption_rate * intramuscular_absorbing_amount
                             + nasal_absorption_rate * nasal_absorbing_amount
                             - clearance * plasma_concentration
                             - intercompartmental_clearance
                               * (plasma_concentration - peripheral_concentration)
    d peripheral_amount/dt = intercompartmental_clearance
                             * (plasma_concentration - peripheral_concentration)
    d effect_site_concentration/dt = effect_site_rate * (plasma_concentration
                                                         - effect_site_concentration)

    plasma_concentration     = central_amount / central_volume
    peripheral_concentration = peripheral_amount / peripheral_volume
    brain_concentration      = plasma_unbound_fraction * effect_site_concentration

Clearances are multiplied by ``clearance_scale`` and volumes by ``volume_scale``.
IV disposition half-lives: 4.4 min and 73 min (label serum t1/2 64 +- 12 min, 30-81).

Routes: ``iv`` (bolus or infusion into central_amount), ``im`` (intramuscular
bioavailability of the dose into the IM chain), ``intranasal`` (Narcan 4 mg spray: nasal
bioavailability into the nasal chain). All doses are **naloxone hydrochloride** (injections
and Narcan are labelled as HCl; 0.900 base). The FDA fit's bioavailability was estimated
with doses as labelled; whether it converted them to base was not seen, so exposure may
differ from its fit by up to the 10% salt fraction.

Species: human and rat. Rat (0.25 kg): one compartment from the serum t1/2 ~40 min after
s.c. dosing (JPET 1975) and 258 ng/mL 5 min after 1 mg/kg IV (J Pharm Sci 1973), s.c.
absorption ka 6 /h, brain equilibration half-time 15 min (Suzuki 2010); IM and nasal
absorption are the human values carried over (not found for the rat). Nothing for the
mouse. Route ``sc`` (subcutaneous; the rodent route) enters a first-order s.c. depot.

Assumptions
- One disposition for all routes. The FDA model fitted each route with its own disposition
  (IV 3-compartment CL 230 L/h; IM sets CL 113 and 321 L/h; IN set CL 140 L/h). The IN set
  is used because it was fitted to the product simulated most (Narcan 4 mg) and its IV
  half-life agrees with the label; the IM absorption chain of ``parmsFentanyl.R`` (fitted
  with CL 113 L/h) is moved onto it: IM tmax 10 min (Dowling 2008: 12 min). IN and IM
  bioavailabilities (0.256, 0.570; ratio 0.45) agree with the label's ~47% relative
  bioavailability of 4 mg IN vs IM.
- Dowling et al. 2008's 3-compartment popPK (CL 91 L/h, V1 2.87 L) is not used: with its
  IM ka (0.65 /h) its own disposition peaks at 7 min, and its nasal data are an older,
  dilute formulation (bioavailability 0.04).
- The FDA IN fit's drop in bioavailability from the third dose (0.2005) and for rapid
  double dosing (0.165) is not modelled: one value per route.
- IN tmax and the apparent half-life after IN are the FDA fit's and not the label's: the
  model peaks at 14 min (label median 20 min, range 15-60 min for 2 mg) and declines with
  the IV disposition half-life (~1.2 h) where the label reports 2.08 h after 4 mg IN. The
  longer IN half-life points to absorption-limited (flip-flop) decline: after 1.6 mg IN
  (F 0.52) serum levels stayed above those after 1.0 mg IV from 15-20 min to 6 h
  (Eur J Clin Pharmacol 2017;73:555, PMID 28144724). A parallel slow nasal pathway with
  rate ln 2 / 2.08 h reaches the label's half-life only with >= ~13 % of the bioavailable
  dose on it, which either lowers the FDA-fitted early exposure by that fraction or raises
  IN/IM exposure above the label's 47 % + 10 %; it moves tmax by < 1 min; and no source
  found fixes that fraction. The one popPK with two nasal pathways for Narcan 4 mg
  (Laffont et al. 2024, Front Psychiatry 15:1399803: 18.3 % zero-order over 0.689 h,
  the rest first-order ka 0.998 /h after a 4.3 min lag) peaks at 35-41 min but has an IN
  terminal half-life of 0.7 h, and on this disposition halves the FDA fit's Cmax. Not
  modelled; both label checks stay open.
- Unbound brain = unbound plasma at equilibrium (label: brain/plasma 1.5 at tmax, likely
  animal data).
"""

from opioidsim.model.declare import Module, Route, Scalar, assumed, derived, measured
from opioidsim.model.pharmacokinetics._exchange import clearance_exchange
from opioidsim.model.sources import (
    MANN_2022,
    NALOXONE_IV_1973,
    NALOXONE_RIA_1975,
    PUBCHEM_2023,
    SUZUKI_2010,
)

_BOUNDS = (0, 1e12)

MODULE = Module(
    name="naloxone",
    description="naloxone pharmacokinetics (IV, IM, intranasal) and brain effect site",
    inputs={
        "clearance_scale": Scalar("1", "allometric clearance factor", default=1.0),
        "volume_scale": Scalar("1", "allometric volume factor", default=1.0),
    },
    states={
        "intramuscular_depot_amount": Scalar(
            "nmol", "IM dose at the injection site", bounds=_BOUNDS
        ),
        "intramuscular_transit_amount": Scalar("nmol", "IM dose in transit", bounds=_BOUNDS),
        "intramuscular_absorbing_amount": Scalar("nmol", "IM dose being absorbed", bounds=_BOUNDS),
        "nasal_depot_amount": Scalar("nmol", "nasal dose on the mucosa", bounds=_BOUNDS),
        "nasal_transit_amount": Scalar("nmol", "nasal dose in transit", bounds=_BOUNDS),
        "nasal_absorbing_amount": Scalar("nmol", "nasal dose being absorbed", bounds=_BOUNDS),
        "subcutaneous_amount": Scalar("nmol", "s.c. dose not yet absorbed", bounds=_BOUNDS),
        "central_amount": Scalar("nmol", "naloxone in the central compartment", bounds=_BOUNDS),
        "peripheral_amount": Scalar(
            "nmol", "naloxone in the peripheral compartment", bounds=_BOUNDS
        ),
        "effect_site_concentration": Scalar(
            "nM", "biophase concentration (plasma-equivalent, total)", bounds=_BOUNDS
        ),
    },
    outputs={
        "plasma_concentration": Scalar("nM", "total plasma concentration"),
        "brain_concentration": Scalar("nM", "unbound brain (biophase) concentration"),
    },
    ligands={"naloxone": "brain_concentration"},
    routes={
        "iv": Route("intravenous bolus or infusion", {"central_amount": ()}, infusion=True),
        "im": Route(
            "intramuscular injection (autoinjector or syringe)",
            {"intramuscular_depot_amount": ("intramuscular_bioavailability",)},
        ),
        "intranasal": Route(
            "nasal spray (Narcan 4 mg)", {"nasal_depot_amount": ("nasal_bioavailability",)}
        ),
        "sc": Route("subcutaneous injection (rodent studies)", {"subcutaneous_amount": ()}),
    },
    molar_mass="molar_mass",
    species=("human", "rat"),
)

_IN = "naloxoneIN4mgRepeatedDosingPKBLQ.R"
_IM = "parmsFentanyl.R (IM naloxone rescue set)"

PARAMETERS_BY_SPECIES = {
    "human": {
        "molar_mass": derived(
            363.8,
            "g/mol",
            [PUBCHEM_2023],
            how="C19H21NO4.HCl (naloxone hydrochloride, anhydrous) with IUPAC standard "
            "atomic weights",
            note="doses are naloxone HCl (base 327.4 g/mol)",
        ),
        "clearance": measured(
            38.8, "mL/s", MANN_2022, species="human", confidence="high", locator=_IN + ": CL"
        ),
        "central_volume": measured(
            114.3, "L", MANN_2022, species="human", confidence="high", locator=_IN + ": V1"
        ),
        "intercompartmental_clearance": measured(
            141.1, "mL/s", MANN_2022, species="human", confidence="high", locator=_IN + ": Q"
        ),
        "peripheral_volume": measured(
            113.8, "L", MANN_2022, species="human", confidence="high", locator=_IN + ": V2"
        ),
        "nasal_bioavailability": measured(
            0.2563,
            "1",
            MANN_2022,
            species="human",
            confidence="high",
            locator=_IN + ": F (first two doses)",
        ),
        "nasal_transit_rate": measured(
            0.0105, "1/s", MANN_2022, species="human", confidence="high", locator=_IN + ": ktr"
        ),
        "nasal_absorption_rate": measured(
            0.002657, "1/s", MANN_2022, species="human", confidence="high", locator=_IN + ": kin"
        ),
        "intramuscular_bioavailability": measured(
            0.5704,
            "1",
            MANN_2022,
            species="human",
            confidence="medium",
            locator=_IM + ": F",
            note="Figure 7 set (delaypars.R) has 0.6349 with slower absorption",
        ),
        "intramuscular_transit_rate": measured(
            0.00833, "1/s", MANN_2022, species="human", confidence="medium", locator=_IM + ": ktr"
        ),
        "intramuscular_absorption_rate": measured(
            0.008198, "1/s", MANN_2022, species="human", confidence="medium", locator=_IM + ": kin"
        ),
        "effect_site_rate": measured(
            0.001774,
            "1/s",
            MANN_2022,
            species="human",
            confidence="high",
            locator="k2 in every parameter file (t1/2 6.5 min)",
            note="equals Yassen 2007's biophase t1/2 6.5 min",
        ),
        "plasma_unbound_fraction": assumed(
            0.6,
            "1",
            reason="32-45% protein bound (Swiss naloxone label; no DOI/PMID)",
            confidence="medium",
        ),
        "subcutaneous_absorption_rate": assumed(
            6.0,
            "1/h",
            reason="the rat value (serum peak within 0.5 h, brain within 15 min); no human "
            "s.c. absorption fit was used",
        ),
    },
}

# Rat (0.25 kg): one compartment (no multi-compartment fit found), from the serum t1/2 after
# s.c. dosing (NALOXONE_RIA_1975) and one IV level (NALOXONE_IV_1973); brain equilibration
# from the brain efflux half-life (Suzuki 2010). Other entries: human values carried over.
PARAMETERS_BY_SPECIES["rat"] = {
    **PARAMETERS_BY_SPECIES["human"],
    "central_volume": derived(
        0.97,
        "L",
        [NALOXONE_IV_1973],
        how="3.9 L/kg (1 mg/kg IV gives 258 ng/mL at 5 min) x 0.25 kg; rough, one time point",
        species="rat",
        confidence="low",
    ),
    "clearance": derived(
        1.0,
        "L/h",
        [NALOXONE_RIA_1975, NALOXONE_IV_1973],
        how="ln 2 / 40 min (serum t1/2 after 5 mg/kg s.c.) x 0.97 L",
        species="rat",
        confidence="low",
    ),
    "intercompartmental_clearance": assumed(
        0.0, "L/h", reason="one-compartment rat model: no peripheral exchange"
    ),
    "peripheral_volume": assumed(
        0.1, "L", reason="unused (no exchange); nonzero to keep its concentration defined"
    ),
    "subcutaneous_absorption_rate": derived(
        6.0,
        "1/h",
        [NALOXONE_RIA_1975],
        how="serum peak before 0.5 h and brain peak within 15 min after s.c. dosing",
        species="rat",
        confidence="low",
    ),
    "effect_site_rate": derived(
        2.77,
        "1/h",
        [SUZUKI_2010],
        how="ln 2 / 15 min: brain efflux half-life 15.1 min",
        species="rat",
        confidence="medium",
    ),
}


def rates(state, params, inputs):
    """Return (derivatives, outputs)."""
    clearance = params.clearance * inputs.clearance_scale
    intercompartmental_clearance = params.intercompartmental_clearance * inputs.clearance_scale
    central_volume = params.central_volume * inputs.volume_scale
    plasma_concentration = state.central_amount / central_volume

    intramuscular_out = params.intramuscular_transit_rate * state.intramuscular_depot_amount
    intramuscular_on = params.intramuscular_transit_rate * state.intramuscular_transit_amount
    intramuscular_in = params.intramuscular_absorption_rate * state.intramuscular_absorbing_amount
    nasal_out = params.nasal_transit_rate * state.nasal_depot_amount
    nasal_on = params.nasal_transit_rate * state.nasal_transit_amount
    nasal_in = params.nasal_absorption_rate * state.nasal_absorbing_amount
    subcutaneous_in = params.subcutaneous_absorption_rate * state.subcutaneous_amount
    distribution = clearance_exchange(
        intercompartmental_clearance,
        plasma_concentration,
        state.peripheral_amount,
        params.peripheral_volume * inputs.volume_scale,
    )
    derivatives = {
        "intramuscular_depot_amount": -intramuscular_out,
        "intramuscular_transit_amount": intramuscular_out - intramuscular_on,
        "intramuscular_absorbing_amount": intramuscular_on - intramuscular_in,
        "nasal_depot_amount": -nasal_out,
        "nasal_transit_amount": nasal_out - nasal_on,
        "nasal_absorbing_amount": nasal_on - nasal_in,
        "subcutaneous_amount": -subcutaneous_in,
        "central_amount": intramuscular_in
        + nasal_in
        + subcutaneous_in
        - clearance * plasma_concentration
        - distribution,
        "peripheral_amount": distribution,
        "effect_site_concentration": params.effect_site_rate
        * (plasma_concentration - state.effect_site_concentration),
    }
    outputs = {
        "plasma_concentration": plasma_concentration,
        "brain_concentration": params.plasma_unbound_fraction * state.effect_site_concentration,
    }
    return derivatives, outputs
