"""Fentanyl: three-compartment disposition (micro-constants), nasal absorption, effect site.

After the FDA naloxone-rescue model (Mann et al. 2022; repository files ``delaypars.R``,
``parmsFentanyl.R``): IV fentanyl in three compartments with a fast effect site. Intranasal
bioavailability and absorption from the 2021 IV/IN crossover (Pain Res Manag 2021).

States (amounts in nmol, concentrations in nM):

    d nasal_amount/dt   = - nasal_absorption_rate * nasal_amount
    d central_amount/dt = nasal_absorption_rate * nasal_amount
                          - (elimination_rate + central_to_shallow_rate
                             + central_to_deep_rate) * rate_scale * central_amount
                          + shallow_to_central_rate * rate_scale * shallow_amount
                          + deep_to_central_rate * rate_scale * deep_amount
                          - adipose_uptake
    d shallow_amount/dt = rate_scale * (central_to_shallow_rate * central_amount
                                        - shallow_to_central_rate * shallow_amount)
    d deep_amount/dt    = rate_scale * (central_to_deep_rate * central_amount
                                        - deep_to_central_rate * deep_amount)
    d adipose_amount/dt = adipose_uptake
    d effect_site_concentration/dt = effect_site_rate * (plasma_concentration
                                                         - effect_site_concentration)

    rate_scale           = clearance_scale / volume_scale
    plasma_concentration = central_amount / (central_volume * volume_scale)
    adipose_uptake       = adipose_clearance * clearance_scale
                           * (plasma_concentration
                              - adipose_amount / (adipose_volume * volume_scale))
    brain_concentration  = plasma_unbound_fraction * effect_site_concentration

The micro-constants are the source's (k10, k12, k21, k13, k31). With clearances scaled by
clearance_scale and volumes by volume_scale, every k = CL/V or Q/V scales by their ratio:
CL = k10 V1 = 75.6 L/h, Q2 = 121 L/h, Q3 = 136 L/h, V2 = 14.6 L, V3 = 164 L (Vss 189 L);
disposition half-lives 1.2 min, 8.3 min and 150 min.

The adipose compartment (chronic use). The FDA set was fitted to hours of single-dose data.
People who use fentanyl daily keep it in urine for 7.3 +- 4.9 days after the last use,
against 2-4 days for other short-acting opioids and for occasional fentanyl use (Huhn 2020):
the lipophilic drug is stored and slowly released. Two derived values carry this:
- adipose_volume 161 L: the literature Vss (300-400 L/70 kg, Mather & Gourlay 1991; middle
  350 L) minus the FDA set's 189 L;
- adipose_clearance 9.89 L/h: solved so that the slowest eigenvalue of the four-compartment
  system has t1/2 13 h: a detection window longer by 7.3 / 3 (Huhn's mean over the middle of
  2-4 days) at the same assay cut-off means a terminal t1/2 longer by that factor than the
  single-dose 5.4 h (middle of 219-425 min). Low confidence: urine detection is a crude
  proxy of plasma kinetics.
After one dose little drug reaches it (peak plasma falls by < 2 %); over weeks of use it
fills to the mean plasma level and returns ~13 % of it (Q/CL) for a day or two.

Routes: ``iv`` (bolus or infusion into central_amount) and ``intranasal`` (nasal
bioavailability of the dose into nasal_amount). Doses are fentanyl **base**: IV and IN
products are labelled as base ("50 ug/mL fentanyl, as citrate").

Species
- human: as above.
- rat: Wistar, IV 10 ug/kg (J Pharm Health Care Sci 2024, Table 3: CL 3.21 L/h/kg, Vdss
  6.49 L/kg, terminal ke 0.279 /h), as two compartments (central_to_deep_rate = 0). The
  three reported numbers fix CL, Vss and the terminal eigenvalue; the fourth, V1, was not
  reported and is taken as the FDA human set's fraction of Vss (10.5 / 189 L = 0.0554):
  V1 0.360 L/kg, V2 = Vss - V1 = 6.13 L/kg, and Q = 3.80 L/h/kg solves

      ke**2 - (k10 + k12 + k21) * ke + k10 * k21 = 0,  k10 = CL/V1, k12 = Q/V1, k21 = Q/V2

  so the slower disposition half-life is 2.48 h (ke 0.279 /h) and the faster one 2.1 min.
  AUC (dose / CL), Vss and the terminal slope hold whatever V1 is; only the first ~15 min
  depend on it. Not found in the rat and carried over from human (assumed): intranasal
  bioavailability and absorption, plasma binding; the effect-site delay is the human one
  scaled allometrically.
- mouse: no fentanyl PK found; no table.

Assumptions
- The FDA set's terminal t1/2 (2.5 h) is shorter than literature values (219-425 min);
  simulations longer than a day underestimate late concentrations.
- Intranasal: one first-order depot. Its rate reproduces the median tmax (12 min) but the
  predicted Cmax after 47 ug is ~210 pg/mL against an observed median 370 pg/mL. The
  mismatch lies in the early disposition, not in the nasal absorption: for the same
  study's IV arm (50 ug over 2 min, venous samples) the FDA set predicts ~3.0 ng/mL at 2
  min and 0.86 ng/mL at 5 min against an observed median Cmax of 938 pg/mL (geometric
  mean 886; Table 3). The FDA set (V1 10.5 L, distribution half-lives 1.2 and 8.3 min)
  behaves like arterial data; venous IV+IN data need a larger effective V1 with slower
  early distribution (Foster et al. 2008, Ann Pharmacother 42:1380, PMID 18728103: a
  two-compartment venous model, CL ~1.5
  L/min, IN F 0.89, lag ~5 min, absorption t1/2 ~6.5 min; its volumes were not seen).
  Swapping the disposition would move every fentanyl simulation and is not done here.
- Unbound brain = unbound plasma at equilibrium (lipophilic, no transporter limitation).
"""

from opioidsim.model.declare import Module, Route, Scalar, assumed, derived, measured
from opioidsim.model.pharmacokinetics._exchange import clearance_exchange
from opioidsim.model.sources import (
    ANDERSON_HOLFORD_2008,
    HUHN_2020,
    J_PHARM_HEALTH_CARE_SCI_2024,
    MANN_2022,
    MATHER_GOURLAY_1991,
    PAIN_RES_MANAG_2021,
    PUBCHEM_2023,
)

_BOUNDS = (0, 1e12)

MODULE = Module(
    name="fentanyl",
    description="fentanyl pharmacokinetics (3 compartments) and brain effect site",
    inputs={
        "clearance_scale": Scalar("1", "allometric clearance factor", default=1.0),
        "volume_scale": Scalar("1", "allometric volume factor", default=1.0),
    },
    states={
        "nasal_amount": Scalar("nmol", "bioavailable nasal dose not yet absorbed", bounds=_BOUNDS),
        "central_amount": Scalar("nmol", "fentanyl in the central compartment", bounds=_BOUNDS),
        "shallow_amount": Scalar(
            "nmol", "fentanyl in the fast peripheral compartment", bounds=_BOUNDS
        ),
        "deep_amount": Scalar(
            "nmol", "fentanyl in the slow peripheral compartment", bounds=_BOUNDS
        ),
        "adipose_amount": Scalar(
            "nmol", "fentanyl stored in adipose tissue (chronic use)", bounds=_BOUNDS
        ),
        "effect_site_concentration": Scalar(
            "nM", "biophase concentration (plasma-equivalent, total)", bounds=_BOUNDS
        ),
    },
    outputs={
        "plasma_concentration": Scalar("nM", "total plasma concentration"),
        "brain_concentration": Scalar("nM", "unbound brain (biophase) concentration"),
    },
    ligands={"fentanyl": "brain_concentration"},
    routes={
        "iv": Route("intravenous bolus or infusion", {"central_amount": ()}, infusion=True),
        "intranasal": Route("nasal spray", {"nasal_amount": ("nasal_bioavailability",)}),
    },
    molar_mass="molar_mass",
    species=("human", "rat"),
)

_FDA = "delaypars.R / fentanylPK.R (Figure 7 model)"

_HUMAN = {
    "molar_mass": derived(
        336.5,
        "g/mol",
        [PUBCHEM_2023],
        how="C22H28N2O (fentanyl base) with IUPAC standard atomic weights",
        note="doses are fentanyl base (citrate 528.6 g/mol is 0.637 base)",
    ),
    "central_volume": measured(
        10.5, "L", MANN_2022, species="human", confidence="high", locator=_FDA + ": VP"
    ),
    "elimination_rate": measured(
        0.002, "1/s", MANN_2022, species="human", confidence="high", locator=_FDA + ": kout (k10)"
    ),
    "central_to_shallow_rate": measured(
        0.0032, "1/s", MANN_2022, species="human", confidence="high", locator=_FDA + ": k12"
    ),
    "shallow_to_central_rate": measured(
        0.0023, "1/s", MANN_2022, species="human", confidence="high", locator=_FDA + ": k21"
    ),
    "central_to_deep_rate": measured(
        0.0036, "1/s", MANN_2022, species="human", confidence="high", locator=_FDA + ": k13"
    ),
    "deep_to_central_rate": measured(
        0.00023, "1/s", MANN_2022, species="human", confidence="high", locator=_FDA + ": k31"
    ),
    "adipose_volume": derived(
        161.0,
        "L",
        [MATHER_GOURLAY_1991, MANN_2022],
        how="literature Vss 350 L/70 kg (middle of 300-400) minus the FDA set's Vss 189 L",
        species="human",
        confidence="low",
    ),
    "adipose_clearance": derived(
        9.89,
        "L/h",
        [HUHN_2020, MANN_2022],
        how="solved so the slowest eigenvalue (with the FDA micro-constants) has t1/2 13 h: "
        "single-dose terminal t1/2 5.4 h (219-425 min) x 7.3 d / 3 d (urine detection after "
        "daily vs occasional use, Huhn 2020)",
        species="human",
        confidence="low",
    ),
    "effect_site_rate": measured(
        0.003,
        "1/s",
        MANN_2022,
        species="human",
        confidence="high",
        locator="parmsFentanyl.R: k1 (t1/2ke0 3.85 min)",
        note="2020 clinical-comparison files use 0.00068 /s (17 min); brain (jugular) "
        "equilibrium peaks ~6 min after 100 ug IV (Anesthesiology 2000;92:1559)",
    ),
    "nasal_bioavailability": derived(
        0.815,
        "1",
        [PAIN_RES_MANAG_2021],
        how="dose-normalised geometric-mean AUC0-tlast, IN 47 ug vs IV 50 ug: (515/47)/(672/50)",
        species="human",
    ),
    "nasal_absorption_rate": derived(
        0.03,
        "1/min",
        [PAIN_RES_MANAG_2021, MANN_2022],
        how="rate giving the median IN tmax 12 min (Table 2; range 6-30 min) with this "
        "module's disposition, found by simulation (0.03 -> 12.7 min)",
        species="human",
        confidence="low",
    ),
    "plasma_unbound_fraction": assumed(
        0.16, "1", reason="fentanyl 80-85% protein bound (recalled label value, unverified)"
    ),
}

_RAT_SOURCE = "Table 3, Wistar, IV 10 ug/kg"
_RAT_TWO_COMPARTMENTS = (
    "two compartments from the Wistar study's CL 3.21 L/h/kg, Vdss 6.49 L/kg and terminal "
    "ke 0.279 /h (" + _RAT_SOURCE + "), with V1 = Vdss x 0.0554 (the FDA human set's "
    "V1/Vss, 10.5 / 189 L; the rat V1 was not reported), V2 = Vdss - V1 and Q solved so "
    "that the slower eigenvalue equals ke: V1 0.360 L/kg, V2 6.13 L/kg, Q 3.80 L/h/kg"
)
_NO_DEEP = "the rat study supports two compartments only: no slow peripheral compartment"

_RAT = {
    "molar_mass": _HUMAN["molar_mass"],
    "central_volume": derived(
        0.08992,
        "L",
        [J_PHARM_HEALTH_CARE_SCI_2024, MANN_2022],
        how="V1 0.3597 L/kg x 0.25 kg; " + _RAT_TWO_COMPARTMENTS,
        species="rat",
        confidence="low",
        note="only concentrations in the first ~15 min (distribution t1/2 2.1 min) depend on "
        "the assumed V1/Vss; AUC, Vdss and the terminal slope do not",
    ),
    "elimination_rate": derived(
        8.924,
        "1/h",
        [J_PHARM_HEALTH_CARE_SCI_2024, MANN_2022],
        how="k10 = CL / V1 = 3.21 / 0.3597; " + _RAT_TWO_COMPARTMENTS,
        species="rat",
        confidence="medium",
    ),
    "central_to_shallow_rate": derived(
        10.57,
        "1/h",
        [J_PHARM_HEALTH_CARE_SCI_2024, MANN_2022],
        how="k12 = Q / V1 = 3.801 / 0.3597; " + _RAT_TWO_COMPARTMENTS,
        species="rat",
        confidence="low",
    ),
    "shallow_to_central_rate": derived(
        0.6200,
        "1/h",
        [J_PHARM_HEALTH_CARE_SCI_2024, MANN_2022],
        how="k21 = Q / V2 = 3.801 / 6.130; " + _RAT_TWO_COMPARTMENTS,
        species="rat",
        confidence="medium",
    ),
    "central_to_deep_rate": assumed(0.0, "1/h", reason=_NO_DEEP, species="rat"),
    "adipose_volume": assumed(
        1.0, "L", reason="unused: the compartment stays empty (no flow into it)", species="rat"
    ),
    "adipose_clearance": assumed(
        0.0, "L/h", reason="rat chronic-use fentanyl kinetics not found: no storage", species="rat"
    ),
    "deep_to_central_rate": assumed(
        1.0, "1/h", reason="unused: the compartment stays empty (no flow into it)", species="rat"
    ),
    "effect_site_rate": derived(
        0.0123,
        "1/s",
        [MANN_2022, ANDERSON_HOLFORD_2008],
        how="ln 2 / (3.85 min x (0.25 kg / 70 kg)**0.25 = 0.94 min): human t1/2ke0 scaled "
        "allometrically (times scale with W^1/4)",
        species="rat",
        confidence="low",
    ),
    "nasal_bioavailability": assumed(
        0.815, "1", reason="rat intranasal fentanyl not found; human value carried over"
    ),
    "nasal_absorption_rate": assumed(
        0.03, "1/min", reason="rat intranasal fentanyl not found; human value carried over"
    ),
    "plasma_unbound_fraction": assumed(
        0.16, "1", reason="rat binding not found; human value (unverified) carried over"
    ),
}

PARAMETERS_BY_SPECIES = {"human": _HUMAN, "rat": _RAT}


def rates(state, params, inputs):
    """Return (derivatives, outputs)."""
    rate_scale = inputs.clearance_scale / inputs.volume_scale
    central_volume = params.central_volume * inputs.volume_scale
    plasma_concentration = state.central_amount / central_volume

    nasal_absorption = params.nasal_absorption_rate * state.nasal_amount
    elimination = params.elimination_rate * rate_scale * state.central_amount
    to_shallow = rate_scale * (
        params.central_to_shallow_rate * state.central_amount
        - params.shallow_to_central_rate * state.shallow_amount
    )
    to_deep = rate_scale * (
        params.central_to_deep_rate * state.central_amount
        - params.deep_to_central_rate * state.deep_amount
    )
    adipose_uptake = clearance_exchange(
        params.adipose_clearance * inputs.clearance_scale,
        plasma_concentration,
        state.adipose_amount,
        params.adipose_volume * inputs.volume_scale,
    )
    derivatives = {
        "nasal_amount": -nasal_absorption,
        "central_amount": nasal_absorption - elimination - to_shallow - to_deep - adipose_uptake,
        "adipose_amount": adipose_uptake,
        "shallow_amount": to_shallow,
        "deep_amount": to_deep,
        "effect_site_concentration": params.effect_site_rate
        * (plasma_concentration - state.effect_site_concentration),
    }
    outputs = {
        "plasma_concentration": plasma_concentration,
        "brain_concentration": params.plasma_unbound_fraction * state.effect_site_concentration,
    }
    return derivatives, outputs
