"""Cocaine: one-compartment disposition, intranasal, smoked and rodent routes, effect site.

Human disposition after Chow et al. 1985 (IV bolus in 5 users: CL 2.10 L/min, Vss 1.96 L/kg,
t1/2 48 min; the heart-rate effect peaks 7.3 min after the bolus through a biophase), and
absorption after Jeffcoat et al. 1989 (radiolabelled cocaine by three routes: absorption
half-times 1.1 min smoked and 11.7 min intranasal, intranasal bioavailability 80 %). Plasma
binding after Edwards & Bowles 1988 (free fraction 0.083 in healthy volunteers' serum).

States (amounts in nmol, concentrations in nM):

    d nasal_amount/dt       = - nasal_absorption_rate * nasal_amount
    d lung_amount/dt        = - smoked_absorption_rate * lung_amount
    d injection_site_amount/dt = - injection_absorption_rate * injection_site_amount
    d central_amount/dt     = nasal_absorption_rate * nasal_amount
                              + smoked_absorption_rate * lung_amount
                              + injection_absorption_rate * injection_site_amount
                              - clearance * plasma_concentration
    d effect_site_concentration/dt = effect_site_rate * (plasma_concentration
                                                         - effect_site_concentration)

    clearance            = clearance_table * clearance_scale
    volume               = volume_table * volume_scale
    plasma_concentration = central_amount / volume
    brain_concentration  = plasma_unbound_fraction * effect_site_concentration

Routes: ``iv`` (bolus or infusion into central_amount), ``intranasal`` (insufflated powder:
nasal_bioavailability of the dose into nasal_amount), ``smoked`` (cocaine base, "crack":
smoked_bioavailability into lung_amount), and for rodents ``ip`` and ``sc`` (into
injection_site_amount). Doses are **cocaine hydrochloride** except ``smoked`` (the base).

Cocaine is not an opioid ligand: it blocks the dopamine transporter
(``receptors/dopamine_transporter.py`` reads ``brain_concentration``).

Species
- Human (70 kg): as above.
- Mouse (25 g): plasma and brain t1/2 16 min and brain peak within 5 min after 10 or 25 mg/kg
  i.p. (Benuck, Lajtha & Reith 1987); the volume per kg is the human one (not found for the
  mouse), so clearance = V ln2 / 16 min.
- Rat (250 g): no rat IV clearance or volume was found; the mouse values are scaled
  allometrically (clearance x (0.25/0.025)^0.75, volume x 10), which gives t1/2 28 min.

Assumptions
- One compartment: Chow's Vss with its clearance gives t1/2 45 min (Chow 48 min; Javaid 1983
  41 +- 8 min; Jeffcoat 1989 78 min, pooled 69 min). Jeffcoat's 11-min distribution phase is
  not modelled.
- The effect site stands for brain cocaine: its rate places the peak of an IV bolus at
  7.3 min, the peak of Chow's biophase (heart rate); the high peaks at ~3 min (Volkow 2000),
  striatal [11C]cocaine within minutes. Unbound brain = unbound plasma (no active transport
  assumed; the mouse brain:plasma ratio of ~7 is taken as tissue binding). Rat microdialysis
  suggests brain extracellular cocaine near total plasma, i.e. uptake into brain: the
  transporter's in vivo constant (``receptors/dopamine_transporter.py``) absorbs that gap.
- Smoked bioavailability was not found as a number (Jeffcoat: reduced by pyrolysis): 0.5.
- Much of an insufflated dose may be swallowed and absorbed slowly (Fattinger 2000: 19 %
  absorbed through the nasal mucosa); Jeffcoat's single first-order route is used.
- Rodent i.p./s.c. absorption: fast (brain peak within 5 min in the mouse); bioavailability
  1 (hepatic first pass after i.p. not found).
"""

from opioidsim.model.declare import Module, Route, Scalar, assumed, derived, measured
from opioidsim.model.sources import (
    BENUCK_1987,
    CHOW_1985,
    EDWARDS_BOWLES_1988,
    JEFFCOAT_1989,
    PUBCHEM_2023,
)

_BOUNDS = (0, 1e12)

MODULE = Module(
    name="cocaine",
    description="cocaine pharmacokinetics (IV, intranasal, smoked, rodent i.p./s.c.) and brain",
    inputs={
        "clearance_scale": Scalar("1", "allometric clearance factor", default=1.0),
        "volume_scale": Scalar("1", "allometric volume factor", default=1.0),
    },
    states={
        "nasal_amount": Scalar("nmol", "insufflated dose not yet absorbed", bounds=_BOUNDS),
        "lung_amount": Scalar("nmol", "smoked dose not yet absorbed", bounds=_BOUNDS),
        "injection_site_amount": Scalar(
            "nmol", "i.p. or s.c. dose not yet absorbed", bounds=_BOUNDS
        ),
        "central_amount": Scalar("nmol", "cocaine in the body", bounds=_BOUNDS),
        "effect_site_concentration": Scalar(
            "nM", "biophase concentration (plasma-equivalent, total)", bounds=_BOUNDS
        ),
    },
    outputs={
        "plasma_concentration": Scalar("nM", "total plasma concentration"),
        "brain_concentration": Scalar("nM", "unbound brain (biophase) concentration"),
    },
    routes={
        "iv": Route(
            "intravenous bolus or infusion (hydrochloride)",
            {"central_amount": ()},
            infusion=True,
            molar_mass="hydrochloride_molar_mass",
        ),
        "intranasal": Route(
            "insufflated powder (hydrochloride)",
            {"nasal_amount": ("nasal_bioavailability",)},
            molar_mass="hydrochloride_molar_mass",
        ),
        "smoked": Route(
            "smoked cocaine base (crack)", {"lung_amount": ("smoked_bioavailability",)}
        ),
        "ip": Route(
            "intraperitoneal injection (rodent studies; hydrochloride)",
            {"injection_site_amount": ()},
            molar_mass="hydrochloride_molar_mass",
        ),
        "sc": Route(
            "subcutaneous injection (rodent studies; hydrochloride)",
            {"injection_site_amount": ()},
            molar_mass="hydrochloride_molar_mass",
        ),
    },
    molar_mass="molar_mass",
    species=("human", "mouse", "rat"),
)

_HUMAN_VOLUME_PER_KG = 1.96  # L/kg, Chow 1985 (Vss)
_MOUSE_HALF_LIFE_H = 16.0 / 60.0  # Benuck 1987
_LN2 = 0.6931471805599453

PARAMETERS_BY_SPECIES = {
    "human": {
        "molar_mass": derived(
            303.35,
            "g/mol",
            [PUBCHEM_2023],
            how="C17H21NO4 (cocaine base) with IUPAC standard atomic weights",
            note="smoked doses are the base",
        ),
        "hydrochloride_molar_mass": derived(
            339.8,
            "g/mol",
            [PUBCHEM_2023],
            how="C17H21NO4.HCl (cocaine hydrochloride) with IUPAC standard atomic weights",
            note="IV, intranasal and rodent doses are the hydrochloride",
        ),
        "volume": derived(
            _HUMAN_VOLUME_PER_KG * 70.0,
            "L",
            [CHOW_1985],
            how="Vss 1.96 L/kg x 70 kg",
            species="human",
            confidence="medium",
        ),
        "clearance": measured(
            2.10,
            "L/min",
            CHOW_1985,
            species="human",
            confidence="medium",
            note="5 users (~67 kg), IV bolus; with the volume, t1/2 45 min (Chow 48 min)",
        ),
        "nasal_bioavailability": measured(
            0.80, "1", JEFFCOAT_1989, species="human", confidence="medium"
        ),
        "nasal_absorption_rate": derived(
            _LN2 / (11.7 / 60.0),
            "1/h",
            [JEFFCOAT_1989],
            how="ln 2 / absorption half-time 11.7 min (nasal insufflation)",
            species="human",
            confidence="medium",
        ),
        "smoked_bioavailability": assumed(
            0.5,
            "1",
            reason="not found as a number; Jeffcoat 1989: reduced by degradation on heating",
        ),
        "smoked_absorption_rate": derived(
            _LN2 / (1.1 / 60.0),
            "1/h",
            [JEFFCOAT_1989],
            how="ln 2 / absorption half-time 1.1 min (smoked)",
            species="human",
            confidence="medium",
        ),
        "injection_absorption_rate": assumed(
            30.0,
            "1/h",
            reason="the rodent value (i.p./s.c. are not human routes)",
        ),
        "effect_site_rate": derived(
            29.41,
            "1/h",
            [CHOW_1985],
            how="ke0 placing the biophase peak of an IV bolus at 7.3 min (Chow's heart-rate "
            "biophase) with this table's k = CL/V = 0.918 /h: ln(ke0/k)/(ke0-k) = 7.3 min",
            species="human",
            confidence="low",
        ),
        "plasma_unbound_fraction": measured(
            0.083,
            "1",
            EDWARDS_BOWLES_1988,
            species="human",
            confidence="medium",
            note="0.083 +- 0.018 in 12 healthy volunteers (ultrafiltration); 0.16 at 3 nM in "
            "Parker 1995, rising at toxic levels; Jeffcoat 1989 calls binding low",
        ),
    },
}

_MOUSE_VOLUME_L = _HUMAN_VOLUME_PER_KG * 0.025
PARAMETERS_BY_SPECIES["mouse"] = {
    **PARAMETERS_BY_SPECIES["human"],
    "volume": assumed(
        _MOUSE_VOLUME_L,
        "L",
        reason="the human Vss per kg (1.96 L/kg, Chow 1985) x 0.025 kg: no mouse volume found",
    ),
    "clearance": derived(
        _MOUSE_VOLUME_L * _LN2 / _MOUSE_HALF_LIFE_H,
        "L/h",
        [BENUCK_1987],
        how="V ln2 / t1/2 with the plasma and brain t1/2 16 min after 10 or 25 mg/kg i.p. "
        "and the assumed volume",
        species="mouse",
        confidence="low",
    ),
    "injection_absorption_rate": derived(
        30.0,
        "1/h",
        [BENUCK_1987],
        how="brain cocaine peaks within 5 min of an i.p. dose: absorption half-time ~1.4 min",
        species="mouse",
        confidence="low",
    ),
    "effect_site_rate": assumed(
        _LN2 / (1.0 / 60.0),
        "1/h",
        reason="brain in equilibrium with plasma within minutes in the mouse (brain peak "
        "within 5 min of i.p., Benuck 1987); half-time 1 min taken",
    ),
}

_ALLOMETRY_TO_RAT = (0.25 / 0.025) ** 0.75
PARAMETERS_BY_SPECIES["rat"] = {
    **PARAMETERS_BY_SPECIES["mouse"],
    "volume": assumed(
        _MOUSE_VOLUME_L * 10.0,
        "L",
        reason="the human Vss per kg (1.96 L/kg) x 0.25 kg: no rat volume found",
    ),
    "clearance": derived(
        _MOUSE_VOLUME_L * _LN2 / _MOUSE_HALF_LIFE_H * _ALLOMETRY_TO_RAT,
        "L/h",
        [BENUCK_1987],
        how="the mouse clearance x (0.25 kg / 0.025 kg)^0.75 (allometry; no rat IV "
        "clearance found): t1/2 28 min",
        species="rat",
        confidence="low",
    ),
}


def rates(state, params, inputs):
    """Return (derivatives, outputs)."""
    clearance = params.clearance * inputs.clearance_scale
    volume = params.volume * inputs.volume_scale
    plasma_concentration = state.central_amount / volume
    nasal_in = params.nasal_absorption_rate * state.nasal_amount
    smoked_in = params.smoked_absorption_rate * state.lung_amount
    injection_in = params.injection_absorption_rate * state.injection_site_amount
    derivatives = {
        "nasal_amount": -nasal_in,
        "lung_amount": -smoked_in,
        "injection_site_amount": -injection_in,
        "central_amount": nasal_in + smoked_in + injection_in - clearance * plasma_concentration,
        "effect_site_concentration": params.effect_site_rate
        * (plasma_concentration - state.effect_site_concentration),
    }
    outputs = {
        "plasma_concentration": plasma_concentration,
        "brain_concentration": params.plasma_unbound_fraction * state.effect_site_concentration,
    }
    return derivatives, outputs
