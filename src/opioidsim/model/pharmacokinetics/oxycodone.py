"""Oxycodone: one-compartment disposition, immediate- and extended-release oral absorption.

After Leow et al. 1992 (IV oxycodone: clearance, volume), Pöyhiä et al. 1992 (oral
bioavailability in healthy volunteers) and the US label (IR tmax; extended-release tablets
release ~38% fast and ~62% slowly).

States (amounts in nmol, concentrations in nM):

    d gut_amount/dt          = - oral_absorption_rate * gut_amount                 (IR)
    d fast_release_amount/dt = - fast_release_absorption_rate * fast_release_amount  (ER)
    d slow_release_amount/dt = - slow_release_absorption_rate * slow_release_amount  (ER)
    d central_amount/dt      = oral_absorption_rate * gut_amount
                               + fast_release_absorption_rate * fast_release_amount
                               + slow_release_absorption_rate * slow_release_amount
                               - clearance * plasma_concentration
    d effect_site_concentration/dt = effect_site_rate * (plasma_concentration
                                                         - effect_site_concentration)

    clearance            = clearance_table * clearance_scale
    volume               = volume_table * volume_scale
    plasma_concentration = central_amount / volume
    brain_concentration  = plasma_unbound_fraction * brain_unbound_partition
                           * effect_site_concentration

Routes: ``oral_ir`` (oral_bioavailability of the dose into gut_amount) and ``oral_er``
(oral_bioavailability x fast_release_fraction into fast_release_amount, and
oral_bioavailability x (1 - fast_release_fraction) into slow_release_amount). Doses are
**oxycodone hydrochloride** (US tablets are labelled in mg of the HCl salt; 0.896 base).

Species: human only. Rat CL and V were not retrieved (Bostrom's thesis states only that
P-gp inhibition leaves them unchanged); nothing for the mouse.

Assumptions
- One compartment (terminal t1/2 = ln2 V/CL = 3.0 h; label 3.55 +- 1.0 h after 15 mg IR).
  A 3-compartment popPK exists (PMC5237696) but its values were not retrieved.
- Bioavailability 0.60, measured in healthy volunteers (Pöyhiä 1992, oral relative to
  i.m.); the label gives 0.60-0.87, the upper end from Leow's cancer patients. The label's
  15 mg IR table (healthy volunteers: AUC 128.2 +- 35.1 ng.h/mL, Cmax 22.6 +- 7.6 ng/mL)
  is an exposure anchor: AUC = F D / CL whatever the number of compartments, and with
  Leow's CL it implies F = 0.46. F 0.60 gives AUC 166 ng.h/mL and Cmax 27.6 ng/mL (+30 %
  and +22 %, within 1.1 SD); the earlier F 0.75 gave 208 and 34.5 ng/mL. The rest of the
  gap is the cross-study difference between Leow's patients' clearance and the label's
  volunteers (Pöyhiä 1992: Cmax 34-38 ng/mL, AUC 208-245 ng.h/mL after 0.28 mg/kg oral,
  i.e. about 27 ng/mL and 170 ng.h/mL per 15 mg at 70 kg, close to this model).
- The ER fast and slow parts have the same bioavailability as IR.
- Brain: oxycodone is actively taken up (rat Kp,uu 3.0, Bostrom 2006). The effect-site delay
  was not found: 20 min is argued, between fentanyl (4 min) and morphine (3-4 h).
"""

from opioidsim.model.declare import Module, Route, Scalar, assumed, derived, measured
from opioidsim.model.sources import LEOW_1992, POYHIA_1992, PUBCHEM_2023

_BOUNDS = (0, 1e12)

MODULE = Module(
    name="oxycodone",
    description="oxycodone pharmacokinetics (IR and ER oral) and brain effect site",
    inputs={
        "clearance_scale": Scalar("1", "allometric clearance factor", default=1.0),
        "volume_scale": Scalar("1", "allometric volume factor", default=1.0),
    },
    states={
        "gut_amount": Scalar("nmol", "bioavailable IR dose not yet absorbed", bounds=_BOUNDS),
        "fast_release_amount": Scalar(
            "nmol",
            "bioavailable fast-release part of an ER tablet not yet absorbed",
            bounds=_BOUNDS,
        ),
        "slow_release_amount": Scalar(
            "nmol",
            "bioavailable slow-release part of an ER tablet not yet absorbed",
            bounds=_BOUNDS,
        ),
        "central_amount": Scalar("nmol", "oxycodone in the body", bounds=_BOUNDS),
        "effect_site_concentration": Scalar(
            "nM", "biophase concentration (plasma-equivalent, total)", bounds=_BOUNDS
        ),
    },
    outputs={
        "plasma_concentration": Scalar("nM", "total plasma concentration"),
        "brain_concentration": Scalar("nM", "unbound brain (biophase) concentration"),
    },
    ligands={"oxycodone": "brain_concentration"},
    routes={
        "oral_ir": Route(
            "immediate-release tablet or solution", {"gut_amount": ("oral_bioavailability",)}
        ),
        "oral_er": Route(
            "extended-release tablet (biphasic release)",
            {
                "fast_release_amount": ("oral_bioavailability", "fast_release_fraction"),
                "slow_release_amount": ("oral_bioavailability", "1-fast_release_fraction"),
            },
        ),
    },
    molar_mass="molar_mass",
    species=("human",),
)

_LABEL = "US oxycodone label (via droracle digest; no DOI/PMID)"

PARAMETERS_BY_SPECIES = {
    "human": {
        "molar_mass": derived(
            351.8,
            "g/mol",
            [PUBCHEM_2023],
            how="C18H21NO4.HCl (oxycodone hydrochloride) with IUPAC standard atomic weights",
            note="doses are oxycodone HCl, as US tablets are labelled",
        ),
        "clearance": measured(
            48.6,
            "L/h",
            LEOW_1992,
            species="human",
            confidence="high",
            locator="IV, cancer patients (SD 26.5)",
        ),
        "volume": measured(
            211.9,
            "L",
            LEOW_1992,
            species="human",
            confidence="high",
            locator="IV (SD 186.6); label Vss 2.6 L/kg = 182 L",
        ),
        "oral_bioavailability": measured(
            0.60,
            "1",
            POYHIA_1992,
            species="human",
            confidence="medium",
            locator="abstract: oral (0.28 mg/kg) relative to i.m. (0.14 mg/kg), 9 healthy "
            "volunteers; the lower end of the label range 0.60-0.87",
            note="was 0.75 (middle of the label range; Leow 1992, cancer patients: 0.87)",
        ),
        "oral_absorption_rate": derived(
            1.63,
            "1/h",
            [LEOW_1992],
            how="ka solving tmax = ln(ka/k)/(ka-k) = 1.4 h (label, 15 mg IR, SD 0.7 h) with "
            "k = CL/V = 0.229 /h",
            species="human",
        ),
        "fast_release_fraction": assumed(
            0.38,
            "1",
            reason=f"ER tablet releases 38% fast and 62% slowly ({_LABEL})",
            confidence="medium",
        ),
        "fast_release_absorption_rate": assumed(
            1.124,
            "1/h",
            reason=f"ln 2 / fast-phase absorption t1/2 37 min ({_LABEL})",
            confidence="medium",
        ),
        "slow_release_absorption_rate": assumed(
            0.1118,
            "1/h",
            reason=f"ln 2 / slow-phase absorption t1/2 6.2 h ({_LABEL})",
            confidence="medium",
        ),
        "effect_site_rate": assumed(
            0.0347,
            "1/min",
            reason="ln 2 / t1/2ke0 20 min (argued 15-30 min): human ke0 not found; oxycodone "
            "is actively taken up into brain (Kp,uu 3) but less lipophilic than fentanyl "
            "(t1/2ke0 4 min); morphine is 3-4 h",
        ),
        "plasma_unbound_fraction": assumed(
            0.55, "1", reason=f"45% protein bound ({_LABEL})", confidence="medium"
        ),
        "brain_unbound_partition": assumed(
            3.0,
            "1",
            reason="rat brain Kp,uu 3.0, active influx (Bostrom et al. 2006 Drug Metab Dispos; "
            "abstract seen, no DOI/PMID seen); striatum 4.44 in a later rat study",
            confidence="medium",
            species="rat",
        ),
    },
}


def rates(state, params, inputs):
    """Return (derivatives, outputs)."""
    clearance = params.clearance * inputs.clearance_scale
    volume = params.volume * inputs.volume_scale
    plasma_concentration = state.central_amount / volume
    immediate_absorption = params.oral_absorption_rate * state.gut_amount
    fast_absorption = params.fast_release_absorption_rate * state.fast_release_amount
    slow_absorption = params.slow_release_absorption_rate * state.slow_release_amount
    derivatives = {
        "gut_amount": -immediate_absorption,
        "fast_release_amount": -fast_absorption,
        "slow_release_amount": -slow_absorption,
        "central_amount": immediate_absorption
        + fast_absorption
        + slow_absorption
        - clearance * plasma_concentration,
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
