"""Ventilation that can fail: O2/CO2 stores, delayed chemoreflexes and a wakefulness drive.

A port of the closed-loop respiratory physiology of the FDA naloxone-rescue model (Mann et
al. 2022; code ``Figure_7/models/modelWithSimpleVentilatoryCollapse_IM/delaymymod.c``),
itself the Magosso/Ursino chemoreflex model (Ursino, Magosso & Avanzolini 2001). The opioid
enters through one input, ``opioid_drive_reduction`` (r, 0 without drug, 1 = drives
abolished): the mu layer's respiratory pathway, the fraction of ventilation lost at fixed
CO2. Both drives lose that fraction:

    wakefulness_loss   = r                 (FDA: Kf/Wmax = CAR^P3)
    chemoreflex_factor = 1 - r             (FDA: AV = 1 - CAR^P1)

The FDA model raises its receptor occupancy CAR to fitted powers because occupancy is not
effect; here the respiratory pathway (operational model, Romberg 2003's morphine C25 and
slope) already turns occupancy into the fraction of drive removed, so a second transducer
would count the receptor reserve twice. At fixed CO2 ventilation then falls by exactly r, as
the pathway is defined; at free CO2 the chemoreflex recovers part of it.

Gas stores (blood contents c in L gas per L; tensions p in mmHg). Spencer's coupled
dissociation curves give blood contents from tensions, ``o2_content(p_o2, p_co2)`` =
``capacity_o2 * x/(1 + x)`` with ``x = (p_o2 (1 + beta1 p_co2) / (K1 (1 + alpha1 p_co2)))
** (1/a1)`` (CO2 alike with K2, a2, alpha2, beta2); their closed-form inverse gives the
arterial tensions from the arterial contents. Tissues store CO2 as bicarbonate (constant)
plus dissolved gas and O2 as dissolved gas only, so their states are tensions:

    venous blood     = Spencer(tissue tensions);  end-capillary = Spencer(alveolar tensions)
    mixed venous     = (Qb * brain venous + Qt * tissue venous) / (Qb + Qt)
    arterial content = (1 - shunt) * end-capillary + shunt * mixed venous
    Qb = brain_flow * (1 + cerebral_co2_response + cerebral_o2_response)
    Qt = tissue_flow * (1 + tissue_hypoxic_flow_gain * cerebral_o2_response)
    d alveolar_x/dt = (alveolar_ventilation * (inspired_x - alveolar_x)
                       + gas_conversion * (Qb + Qt) * (1 - shunt)
                         * (mixed_venous_x - end_capillary_x)) / alveolar_volume
    d brain_x/dt    = (Qb * (arterial_x - brain_venous_x) +/- brain metabolism_x)
                      / (brain_volume * x_solubility)     (tissue alike with Qt, tissue_volume)

Metabolism falls with sedation as in the FDA code: production and consumption are scaled by
``(1 - r) ** metabolic_exponent``, floored at ``co2_production_floor`` and
``o2_consumption_floor``, and fall linearly below ``hypoxic_metabolism_tension`` of tissue O2
(so stores cannot go negative in apnoea).

Cerebral blood flow (first order, time constants cerebral_co2_time / cerebral_o2_time):

    co2_target = (cbf_co2_offset + cbf_co2_amplitude / (1 + exp(-(arterial_co2
                  - cbf_co2_centre) / cbf_co2_slope))) * brain_mass / brain_flow
    o2_target  = minimum(cbf_o2_gain * (exp(-arterial_o2 / cbf_o2_scale)
                         - exp(-reference_arterial_o2 / cbf_o2_scale)), maximum_o2_flow_response)

Chemoreflexes. Blood carries the arterial tensions to the carotid body in K_Dp / (Qb + Qt)
(7 s at rest) and brain CO2 to the central chemoreceptors in K_Dc / (Qb + Qt) (11 s).
The engine integrates ODEs only, so each delay is a chain of 3 first-order compartments of
rate ``(Qb + Qt) / stage_delay`` (a third of the delay volume each): the gamma-distributed
transit keeps the mean delay; at the frequency of chemoreflex oscillations (periods of
~40-60 s, ~0.13 rad/s) 3 stages lose 3% (peripheral, 7 s) and 7% (central, 11 s) of the
delay's phase, where 1 stage loses 19% and 34%; each stage costs a state per signal.

    firing = carotid_gain * log(maximum(p_co2_delayed, carotid_co2_threshold)
                                / carotid_co2_threshold)
             * (firing_max + firing_min * E) / (1 + E),
             E = exp((p_o2_delayed - carotid_o2_centre) / carotid_o2_slope)
    d peripheral_drive/dt = (chemoreflex_factor * peripheral_gain * (firing - firing_setpoint)
                             - peripheral_drive) / peripheral_time
    d central_drive/dt    = (chemoreflex_factor * central_gain
                             * (brain_co2_delayed - brain_co2_setpoint) - central_drive)
                            / central_time
    d hypoxic_modulation/dt = (1 + hypoxic_gain * (clamp(brain_o2, hypoxic_tension_min,
                               hypoxic_tension_max) - hypoxic_reference) / hypoxic_reference
                               - hypoxic_modulation) / hypoxic_time
    chemoreflex_drive  = positive_part(hypoxic_modulation * peripheral_drive + central_drive)
                         (without the modulation where peripheral_drive <= 0)
    minute_ventilation = wakefulness_drive * (1 - wakefulness_loss) + chemoreflex_drive >= 0
    alveolar_ventilation = alveolar_fraction * minute_ventilation

Arrest. The FDA model starts circulatory collapse when PaO2 has stayed below 15 mmHg for
220 s. Here ``hypoxaemia_duration`` counts time with arterial O2 below
``arrest_o2_tension`` (and resets at ``hypoxaemia_reset_rate`` above it); ``arrest_risk`` is
its fraction of ``arrest_delay`` and ``arrest`` is 1 once it is reached. The circulation
itself does not collapse here (post-arrest physiology is out of scope).

Assumptions
- Parameters are the FDA code's values for a naive subject (the metabolic exponent from the
  ``patientType == "naive"`` branch of ``Figure_7/simulateToGetOD_IM.R``). Tolerance acts
  only through the mu layer's input (neuroadaptation): the FDA chronic-user exponents are
  not used, nor its occupancy exponents (see above).
- Resting values of every state are the steady state of these equations without drug,
  computed once and stored as derived parameters (a test recomputes them).
- The FDA's shutdown of delays and ventilation at near-zero blood flow is left out with the
  collapse it belongs to.
- SpO2 is the arterial O2 content over the capacity (Spencer's curve, shunt included); the
  FDA code's separate saturation formula (93 % at rest) is not used.
"""

from opioidsim.model.declare import Module, Scalar, assumed, derived, measured
from opioidsim.model.math import exp, log, maximum, positive_part, where
from opioidsim.model.sources import MANN_2022

_CODE = "Figure_7/models/modelWithSimpleVentilatoryCollapse_IM/delaypars.R"
_C = "Figure_7/models/modelWithSimpleVentilatoryCollapse_IM/delaymymod.c"
_NAIVE = "Figure_7/simulateToGetOD_IM.R (patientType naive)"


def _mann(value, unit, locator=_CODE, note=None):
    return measured(
        value, unit, MANN_2022, species="human", confidence="high", locator=locator, note=note
    )


def _rest(value, unit, what):
    return derived(
        value,
        unit,
        [MANN_2022],
        how=f"{what} at the resting steady state of this module's equations without drug "
        "(scipy.optimize.fsolve; tests/model/test_ventilation.py recomputes it)",
        species="human",
    )


MODULE = Module(
    name="ventilation",
    description="closed-loop ventilation: O2/CO2 stores, delayed chemoreflexes, wakefulness",
    inputs={
        "opioid_drive_reduction": Scalar(
            "1",
            "respiratory mu pathway's reduction of the chemoreflex and wakefulness drives "
            "(0 without drug, 1 = abolished)",
            default=0.0,
        ),
    },
    states={
        "alveolar_co2": Scalar(
            "mmHg_gas", "alveolar CO2 tension", initial="resting_alveolar_co2", bounds=(0.0, 760.0)
        ),
        "alveolar_o2": Scalar(
            "mmHg_gas", "alveolar O2 tension", initial="resting_alveolar_o2", bounds=(0.0, 760.0)
        ),
        "brain_co2": Scalar(
            "mmHg_gas",
            "brain tissue CO2 tension (= venous)",
            initial="resting_brain_co2",
            bounds=(0.0, 760.0),
        ),
        "brain_o2": Scalar(
            "mmHg_gas",
            "brain tissue O2 tension (= venous)",
            initial="resting_brain_o2",
            bounds=(0.0, 760.0),
        ),
        "tissue_co2": Scalar(
            "mmHg_gas",
            "body tissue CO2 tension (= venous)",
            initial="resting_tissue_co2",
            bounds=(0.0, 760.0),
        ),
        "tissue_o2": Scalar(
            "mmHg_gas",
            "body tissue O2 tension (= venous)",
            initial="resting_tissue_o2",
            bounds=(0.0, 760.0),
        ),
        "cerebral_co2_response": Scalar(
            "1",
            "fractional change of brain blood flow by CO2",
            initial="resting_cerebral_co2_response",
            bounds=(-1.0, 10.0),
        ),
        "cerebral_o2_response": Scalar(
            "1",
            "fractional change of blood flow by hypoxia",
            initial="resting_cerebral_o2_response",
            bounds=(-1.0, 10.0),
        ),
        "peripheral_co2_transit_1": Scalar(
            "mmHg_gas",
            "arterial CO2 on its way to the carotid body, stage 1 of 3",
            initial="resting_arterial_co2",
            bounds=(0.0, 760.0),
        ),
        "peripheral_co2_transit_2": Scalar(
            "mmHg_gas", "stage 2 of 3", initial="resting_arterial_co2", bounds=(0.0, 760.0)
        ),
        "peripheral_co2_transit_3": Scalar(
            "mmHg_gas",
            "stage 3 of 3 (carotid body)",
            initial="resting_arterial_co2",
            bounds=(0.0, 760.0),
        ),
        "peripheral_o2_transit_1": Scalar(
            "mmHg_gas",
            "arterial O2 on its way to the carotid body, stage 1 of 3",
            initial="resting_arterial_o2",
            bounds=(0.0, 760.0),
        ),
        "peripheral_o2_transit_2": Scalar(
            "mmHg_gas", "stage 2 of 3", initial="resting_arterial_o2", bounds=(0.0, 760.0)
        ),
        "peripheral_o2_transit_3": Scalar(
            "mmHg_gas",
            "stage 3 of 3 (carotid body)",
            initial="resting_arterial_o2",
            bounds=(0.0, 760.0),
        ),
        "central_co2_transit_1": Scalar(
            "mmHg_gas",
            "brain CO2 tension as the central chemoreceptors see it, stage 1 of 3",
            initial="resting_brain_co2",
            bounds=(0.0, 760.0),
        ),
        "central_co2_transit_2": Scalar(
            "mmHg_gas", "stage 2 of 3", initial="resting_brain_co2", bounds=(0.0, 760.0)
        ),
        "central_co2_transit_3": Scalar(
            "mmHg_gas",
            "stage 3 of 3 (central chemoreceptors)",
            initial="resting_brain_co2",
            bounds=(0.0, 760.0),
        ),
        "peripheral_drive": Scalar(
            "L/h",
            "peripheral chemoreflex ventilatory drive",
            initial="resting_peripheral_drive",
            bounds=(-1e4, 1e4),
        ),
        "central_drive": Scalar(
            "L/h",
            "central chemoreflex ventilatory drive",
            initial="resting_central_drive",
            bounds=(-1e4, 1e4),
        ),
        "hypoxic_modulation": Scalar(
            "1",
            "central hypoxic modulation of the peripheral drive",
            initial="resting_hypoxic_modulation",
            bounds=(-10.0, 10.0),
        ),
        "hypoxaemia_duration": Scalar(
            "h", "time with arterial O2 below the arrest tension", initial=0.0, bounds=(0.0, 1e6)
        ),
    },
    outputs={
        "minute_ventilation": Scalar("L/h", "total minute ventilation (6.62 L/min at rest)"),
        "ventilation_fraction": Scalar("1", "minute ventilation, fraction of resting"),
        "arterial_co2": Scalar("mmHg_gas", "arterial CO2 tension, PaCO2"),
        "arterial_o2": Scalar("mmHg_gas", "arterial O2 tension, PaO2"),
        "arterial_o2_saturation": Scalar("1", "arterial haemoglobin O2 saturation (SpO2)"),
        "wakefulness_drive": Scalar("L/h", "wakefulness part of minute ventilation"),
        "chemoreflex_drive": Scalar("L/h", "chemoreflex part of minute ventilation"),
        "cerebral_blood_flow": Scalar("L/h", "brain blood flow"),
        "arrest_risk": Scalar("1", "time below the arrest O2 tension / arrest delay, <= 1"),
        "arrest": Scalar("1", "1 once hypoxaemia has lasted the arrest delay, else 0"),
    },
)

# Table 1. Gas exchange, stores and blood (FDA code, naive adult; sources of the code values:
# Magosso/Ursino model, Spencer 1979 dissociation curves).
PARAMETERS = {
    "alveolar_volume": _mann(3.28, "L", note="V_A"),
    "inspired_co2": _mann(0.0, "mmHg_gas", note="P_I_co2"),
    "inspired_o2": _mann(
        149.0,
        "mmHg_gas",
        locator="Figure_7/models/modelWithSimpleVentilatoryCollapse_IM/delaystates.R",
        note="P_I_o2 (a constant state in the code)",
    ),
    "gas_conversion": _mann(863.0, "mmHg_gas", note="lumbda: L/L content to tension, BTPS"),
    "shunt_fraction": _mann(0.024, "1", note="s1"),
    "co2_solubility": _mann(6.67e-4, "1/mmHg_gas", note="alpha_co2, L/L per mmHg"),
    "o2_solubility": _mann(3.17e-5, "1/mmHg_gas", note="alpha_o2, L/L per mmHg"),
    "o2_half_tension": _mann(14.99, "mmHg_gas", note="K1 (Spencer)"),
    "co2_half_tension": _mann(194.4, "mmHg_gas", note="K2 (Spencer)"),
    "o2_curve_exponent": _mann(0.3836, "1", note="a1 (Spencer)"),
    "co2_curve_exponent": _mann(1.819, "1", note="a2 (Spencer)"),
    "o2_bohr_alpha": _mann(0.03198, "1/mmHg_gas", note="alpha1 (Spencer)"),
    "o2_bohr_beta": _mann(0.008275, "1/mmHg_gas", note="beta1 (Spencer)"),
    "co2_haldane_alpha": _mann(0.05591, "1/mmHg_gas", note="alpha2 (Spencer)"),
    "co2_haldane_beta": _mann(0.03255, "1/mmHg_gas", note="beta2 (Spencer)"),
    "gas_molar_volume": _mann(0.02272, "L/mmol", note="Z"),
    "o2_binding_capacity": _mann(9.0, "mmol/L", note="C1Spencer"),
    "co2_binding_capacity": _mann(86.11, "mmol/L", note="C2Spencer"),
    "brain_flow": _mann(0.75, "L/min", note="Qb0 = 0.75/60 L/s"),
    "tissue_flow": _mann(4.25, "L/min", note="Qt0 = 4.25/60 L/s"),
    "tissue_hypoxic_flow_gain": _mann(0.32, "1", note="rou"),
    "brain_volume": _mann(1.32, "L", note="V_B"),
    "tissue_volume": _mann(38.68, "L", note="V_T"),
    "brain_co2_production": _mann(0.04, "L/min", note="M_B_co2 = 0.04/60 L/s"),
    "brain_o2_consumption": _mann(0.05, "L/min", note="-M_B_o2_0 = 0.05/60 L/s"),
    "tissue_co2_production": _mann(0.16, "L/min", note="M_T_co2 = 0.16/60 L/s"),
    "tissue_o2_consumption": _mann(0.2, "L/min", note="-M_T_o2_0 = 0.2/60 L/s"),
    "metabolic_exponent": _mann(
        0.06319, "1", locator=_NAIVE, note="P2, hand-adjusted in the code"
    ),
    "co2_production_floor": _mann(0.87, "1", note="fL"),
    "o2_consumption_floor": _mann(0.93, "1", note="fN"),
    "hypoxic_metabolism_tension": _mann(
        6.0, "mmHg_gas", locator=_C, note="metabolism scaled by P_O2/6 below 6 mmHg"
    ),
    # Cerebral blood flow.
    "cbf_co2_offset": _mann(-0.30, "mL/min/g", note="Aco2 = -30 mL/100 g/min"),
    "cbf_co2_amplitude": _mann(0.60, "mL/min/g", note="Bco2 = 60 mL/100 g/min"),
    "cbf_co2_centre": _mann(40.0, "mmHg_gas", note="Cco2"),
    "cbf_co2_slope": _mann(4.5, "mmHg_gas", note="Dco2"),
    "brain_mass": _mann(1500.0, "g", locator=_C, note="the 1500 in psai_co2"),
    "cerebral_co2_time": _mann(20.0, "s", note="tau_co2"),
    "cbf_o2_gain": _mann(17.0, "1", note="c1o2"),
    "cbf_o2_scale": _mann(11.0, "mmHg_gas", note="c2o2"),
    "reference_arterial_o2": _mann(95.0, "mmHg_gas", note="P_a_o2_0"),
    "maximum_o2_flow_response": _mann(2.0, "1", locator=_C, note="cap of psai_o2"),
    "cerebral_o2_time": _mann(10.0, "s", note="tau_o2"),
}

# Table 2. Chemoreflexes, wakefulness drive and the opioid effect (naive subject).
PARAMETERS |= {
    "peripheral_stage_delay": derived(
        0.196,
        "L",
        [MANN_2022],
        how="K_Dp = 0.588 L (delay = K_Dp / total blood flow, 7 s at rest; delaypars.R) "
        "split over the 3 compartments of the chain",
        species="human",
    ),
    "central_stage_delay": derived(
        0.30797,
        "L",
        [MANN_2022],
        how="K_Dc = 0.9239 L (delay = K_Dc / total blood flow, 11 s at rest; delaypars.R) "
        "split over the 3 compartments of the chain",
        species="human",
    ),
    "carotid_gain": _mann(1.738, "1", note="K_fpc"),
    "carotid_co2_threshold": _mann(18.0, "mmHg_gas", note="Bp"),
    "firing_max": _mann(12.3, "1/s", note="f_pc_max, spikes/s"),
    "firing_min": _mann(0.8352, "1/s", note="f_pc_min, spikes/s"),
    "firing_setpoint": _mann(3.67, "1/s", note="f_pc_0, spikes/s"),
    "carotid_o2_centre": _mann(45.0, "mmHg_gas", note="P_a_o2_c"),
    "carotid_o2_slope": _mann(29.27, "mmHg_gas", note="K_pc"),
    "peripheral_time": _mann(7.0, "s", note="tau_Dp"),
    "central_time": _mann(60.0, "s", note="tau_Dc"),
    "peripheral_gain": _mann(2.5, "L/min*s", note="G_Dp, L/min per spike/s"),
    "central_gain": _mann(2.0, "L/min/mmHg_gas", note="G_Dc"),
    "brain_co2_setpoint": _mann(45.27, "mmHg_gas", note="P_B_co2_0"),
    "hypoxic_tension_min": _mann(29.8, "mmHg_gas", note="theta_Hmin"),
    "hypoxic_tension_max": _mann(37.0, "mmHg_gas", note="theta_Hmax"),
    "hypoxic_gain": _mann(10.0, "1", note="Gh"),
    "hypoxic_reference": _mann(32.0, "mmHg_gas", note="P_B_o2_0"),
    "hypoxic_time": _mann(300.0, "s", note="tau_h"),
    "wakefulness_drive": _mann(6.62, "L/min", note="W = Wmax"),
    "alveolar_fraction": _mann(0.66, "1", note="Bmax: alveolar / total ventilation"),
    "drive_reduction_floor": assumed(
        1e-12,
        "1",
        reason="numerical: below it the opioid input counts as 0, so that (1 - r)^P2 and "
        "its slope stay finite in the compiled Jacobian; changes the drives by < 1e-10",
    ),
    # Arrest.
    "arrest_o2_tension": measured(
        15.0,
        "mmHg_gas",
        MANN_2022,
        species="human",
        confidence="high",
        locator="pharmacodynamicFigures/input/simulationParameters.R (tsh_value_o2)",
    ),
    "arrest_delay": measured(
        220.0,
        "s",
        MANN_2022,
        species="human",
        confidence="high",
        locator="pharmacodynamicFigures/input/simulationParameters.R "
        "(delayInCardiovascularCollpase)",
    ),
    "hypoxaemia_reset_rate": assumed(
        0.1,
        "1/s",
        reason="the FDA code has no reset (it checks PaO2 again at the arrest time); a 10 s "
        "reset makes a brief dip that recovers not count towards arrest",
    ),
}

# Table 3. Resting steady state (initial values), recomputed by a test.
PARAMETERS |= {
    "resting_alveolar_co2": _rest(38.66069443, "mmHg_gas", "alveolar CO2 tension"),
    "resting_alveolar_o2": _rest(100.674132, "mmHg_gas", "alveolar O2 tension"),
    "resting_brain_o2": _rest(31.60900988, "mmHg_gas", "brain O2 tension"),
    "resting_tissue_co2": _rest(42.22055945, "mmHg_gas", "tissue CO2 tension"),
    "resting_tissue_o2": _rest(38.7623541, "mmHg_gas", "tissue O2 tension"),
    "resting_cerebral_co2_response": _rest(
        -0.09344462927, "1", "CO2 response of brain blood flow"
    ),
    "resting_cerebral_o2_response": _rest(0.0006698703201, "1", "O2 response of blood flow"),
    "resting_arterial_co2": _rest(38.5868301, "mmHg_gas", "arterial CO2 tension"),
    "resting_arterial_o2": _rest(92.79501863, "mmHg_gas", "arterial O2 tension"),
    "resting_brain_co2": _rest(45.44202515, "mmHg_gas", "brain CO2 tension"),
    "resting_peripheral_drive": _rest(-0.1996826237, "L/min", "peripheral chemoreflex drive"),
    "resting_central_drive": _rest(0.3440502946, "L/min", "central chemoreflex drive"),
    "resting_hypoxic_modulation": _rest(0.8778155872, "1", "hypoxic modulation"),
    "resting_minute_ventilation": _rest(6.764367671, "L/min", "minute ventilation"),
}


def _o2_content(p_o2, p_co2, params):
    """Spencer: O2 content (L/L) of blood at these tensions."""
    ratio = (
        p_o2
        * (1 + params.o2_bohr_beta * p_co2)
        / (params.o2_half_tension * (1 + params.o2_bohr_alpha * p_co2))
    )
    powered = ratio ** (1 / params.o2_curve_exponent)
    return params.gas_molar_volume * params.o2_binding_capacity * powered / (1 + powered)


def _co2_content(p_co2, p_o2, params):
    """Spencer: CO2 content (L/L) of blood at these tensions."""
    ratio = (
        p_co2
        * (1 + params.co2_haldane_beta * p_o2)
        / (params.co2_half_tension * (1 + params.co2_haldane_alpha * p_o2))
    )
    powered = ratio ** (1 / params.co2_curve_exponent)
    return params.gas_molar_volume * params.co2_binding_capacity * powered / (1 + powered)


def _tensions(c_o2, c_co2, params):
    """Spencer inverted in closed form (FDA code): arterial (p_o2, p_co2) from contents."""
    o2_capacity = params.gas_molar_volume * params.o2_binding_capacity
    co2_capacity = params.gas_molar_volume * params.co2_binding_capacity
    a1, b1 = params.o2_bohr_alpha, params.o2_bohr_beta
    a2, b2 = params.co2_haldane_alpha, params.co2_haldane_beta
    d1 = params.o2_half_tension * (c_o2 / (o2_capacity - c_o2)) ** params.o2_curve_exponent
    d2 = params.co2_half_tension * (c_co2 / (co2_capacity - c_co2)) ** params.co2_curve_exponent
    s1 = -(d1 + a1 * d1 * d2) / (b2 + a2 * b1 * d2)
    s2 = -(d2 + a2 * d2 * d1) / (b1 + a1 * b2 * d1)
    r1 = -(1 + b1 * d2 - b2 * d1 - a1 * a2 * d1 * d2) / (2 * (b2 + a2 * b1 * d2))
    r2 = -(1 + b2 * d1 - b1 * d2 - a2 * a1 * d2 * d1) / (2 * (b1 + a1 * b2 * d1))
    p_o2 = r1 + (r1**2 - s1) ** (1 / 2)
    p_co2 = r2 + (r2**2 - s2) ** (1 / 2)
    return p_o2, p_co2


def rates(state, params, inputs):
    """Return (derivatives, outputs); pure arithmetic on floats, arrays, units or symbols."""
    # The opioid. Conditions compare r itself (conditions holding other conditions make sympy
    # slow). The compiled code computes shared subexpressions of both branches, so every
    # power's base stays in [floor, 1): r^p and its slope p r^(p-1) stay finite at r = 0.
    r = inputs.opioid_drive_reduction
    floor = params.drive_reduction_floor
    bounded = where(r > floor, where(r < 1 - floor, r, 1 - floor), floor)
    # The mu layer's respiratory pathway already maps receptor stimulus to the fraction of
    # drive removed at fixed CO2, so both drives lose that fraction (the FDA exponents map
    # occupancy to drive loss, which the pathway does).
    chemoreflex_factor = where(r > floor, 1 - bounded, 1)
    awake = chemoreflex_factor
    # Metabolism (1 - r)^P2 reaches each floor f at r = 1 - f^(1/P2), and stays.
    co2_limit = 1 - params.co2_production_floor ** (1 / params.metabolic_exponent)
    o2_limit = 1 - params.o2_consumption_floor ** (1 / params.metabolic_exponent)
    co2_reduction = where(r < co2_limit, bounded, co2_limit)
    o2_reduction = where(r < o2_limit, bounded, o2_limit)
    co2_scale = where(r > floor, (1 - co2_reduction) ** params.metabolic_exponent, 1)
    o2_scale = where(r > floor, (1 - o2_reduction) ** params.metabolic_exponent, 1)

    # Blood leaving the tissues (venous) and the lungs (end-capillary), and arterial blood.
    brain_venous_co2 = _co2_content(state.brain_co2, state.brain_o2, params)
    brain_venous_o2 = _o2_content(state.brain_o2, state.brain_co2, params)
    tissue_venous_co2 = _co2_content(state.tissue_co2, state.tissue_o2, params)
    tissue_venous_o2 = _o2_content(state.tissue_o2, state.tissue_co2, params)
    end_capillary_co2 = _co2_content(state.alveolar_co2, state.alveolar_o2, params)
    end_capillary_o2 = _o2_content(state.alveolar_o2, state.alveolar_co2, params)

    brain_flow = params.brain_flow * (1 + state.cerebral_co2_response + state.cerebral_o2_response)
    tissue_flow = params.tissue_flow * (
        1 + params.tissue_hypoxic_flow_gain * state.cerebral_o2_response
    )
    total_flow = brain_flow + tissue_flow
    mixed_venous_co2 = (brain_flow * brain_venous_co2 + tissue_flow * tissue_venous_co2) / (
        total_flow
    )
    mixed_venous_o2 = (brain_flow * brain_venous_o2 + tissue_flow * tissue_venous_o2) / (
        total_flow
    )
    shunt = params.shunt_fraction
    arterial_co2_content = (1 - shunt) * end_capillary_co2 + shunt * mixed_venous_co2
    arterial_o2_content = (1 - shunt) * end_capillary_o2 + shunt * mixed_venous_o2
    arterial_o2, arterial_co2 = _tensions(arterial_o2_content, arterial_co2_content, params)

    # Ventilation: the chemoreflex part is floored at zero, the wakefulness part is >= 0.
    chemoreflex_drive = where(
        state.peripheral_drive > 0,
        positive_part(state.hypoxic_modulation * state.peripheral_drive + state.central_drive),
        positive_part(state.peripheral_drive + state.central_drive),
    )
    wakefulness_drive = params.wakefulness_drive * awake
    minute_ventilation = wakefulness_drive + chemoreflex_drive
    alveolar_ventilation = params.alveolar_fraction * minute_ventilation

    exchange = params.gas_conversion * total_flow * (1 - shunt)
    d_alveolar_co2 = (
        alveolar_ventilation * (params.inspired_co2 - state.alveolar_co2)
        + exchange * (mixed_venous_co2 - end_capillary_co2)
    ) / params.alveolar_volume
    d_alveolar_o2 = (
        alveolar_ventilation * (params.inspired_o2 - state.alveolar_o2)
        + exchange * (mixed_venous_o2 - end_capillary_o2)
    ) / params.alveolar_volume

    # Tissue stores: content = bicarbonate + solubility * tension for CO2 (the constant
    # bicarbonate drops out), solubility * tension for O2. Metabolism falls linearly below
    # the hypoxic limit of tissue O2.
    limit = params.hypoxic_metabolism_tension
    # (tension / max(tension, limit): no bare 1 beside a tension, for SBML's unit check.)
    brain_scale = state.brain_o2 / maximum(state.brain_o2, limit)
    tissue_scale = state.tissue_o2 / maximum(state.tissue_o2, limit)
    d_brain_co2 = (
        brain_flow * (arterial_co2_content - brain_venous_co2)
        + params.brain_co2_production * co2_scale * brain_scale
    ) / (params.brain_volume * params.co2_solubility)
    d_brain_o2 = (
        brain_flow * (arterial_o2_content - brain_venous_o2)
        - params.brain_o2_consumption * o2_scale * brain_scale
    ) / (params.brain_volume * params.o2_solubility)
    d_tissue_co2 = (
        tissue_flow * (arterial_co2_content - tissue_venous_co2)
        + params.tissue_co2_production * co2_scale * tissue_scale
    ) / (params.tissue_volume * params.co2_solubility)
    d_tissue_o2 = (
        tissue_flow * (arterial_o2_content - tissue_venous_o2)
        - params.tissue_o2_consumption * o2_scale * tissue_scale
    ) / (params.tissue_volume * params.o2_solubility)

    # Cerebral blood flow. The hypoxic response reaches its cap where
    # exp(-PaO2/c2) = cap/c1 + exp(-PaO2_ref/c2).
    co2_target = (
        (
            params.cbf_co2_offset
            + params.cbf_co2_amplitude
            / (1 + exp(-(arterial_co2 - params.cbf_co2_centre) / params.cbf_co2_slope))
        )
        * params.brain_mass
        / params.brain_flow
    )
    reference_term = exp(-params.reference_arterial_o2 / params.cbf_o2_scale)
    cap_tension = -params.cbf_o2_scale * log(
        params.maximum_o2_flow_response / params.cbf_o2_gain + reference_term
    )
    o2_target = where(
        arterial_o2 > cap_tension,
        params.cbf_o2_gain * (exp(-arterial_o2 / params.cbf_o2_scale) - reference_term),
        params.maximum_o2_flow_response,
    )
    d_cerebral_co2 = (co2_target - state.cerebral_co2_response) / params.cerebral_co2_time
    d_cerebral_o2 = (o2_target - state.cerebral_o2_response) / params.cerebral_o2_time

    # Transport delays: chains of 3 compartments.
    peripheral_rate = total_flow / params.peripheral_stage_delay
    central_rate = total_flow / params.central_stage_delay
    d_pc1 = peripheral_rate * (arterial_co2 - state.peripheral_co2_transit_1)
    d_pc2 = peripheral_rate * (state.peripheral_co2_transit_1 - state.peripheral_co2_transit_2)
    d_pc3 = peripheral_rate * (state.peripheral_co2_transit_2 - state.peripheral_co2_transit_3)
    d_po1 = peripheral_rate * (arterial_o2 - state.peripheral_o2_transit_1)
    d_po2 = peripheral_rate * (state.peripheral_o2_transit_1 - state.peripheral_o2_transit_2)
    d_po3 = peripheral_rate * (state.peripheral_o2_transit_2 - state.peripheral_o2_transit_3)
    d_cc1 = central_rate * (state.brain_co2 - state.central_co2_transit_1)
    d_cc2 = central_rate * (state.central_co2_transit_1 - state.central_co2_transit_2)
    d_cc3 = central_rate * (state.central_co2_transit_2 - state.central_co2_transit_3)

    # Chemoreflexes.
    o2_term = exp(
        (state.peripheral_o2_transit_3 - params.carotid_o2_centre) / params.carotid_o2_slope
    )
    co2_seen = maximum(state.peripheral_co2_transit_3, params.carotid_co2_threshold)
    firing = (
        params.carotid_gain
        * log(co2_seen / params.carotid_co2_threshold)
        * (params.firing_max + params.firing_min * o2_term)
        / (1 + o2_term)
    )
    d_peripheral = (
        chemoreflex_factor * params.peripheral_gain * (firing - params.firing_setpoint)
        - state.peripheral_drive
    ) / params.peripheral_time
    d_central = (
        chemoreflex_factor
        * params.central_gain
        * (state.central_co2_transit_3 - params.brain_co2_setpoint)
        - state.central_drive
    ) / params.central_time
    clamped = where(
        state.brain_o2 < params.hypoxic_tension_min,
        params.hypoxic_tension_min,
        where(
            state.brain_o2 > params.hypoxic_tension_max, params.hypoxic_tension_max, state.brain_o2
        ),
    )
    hypoxic_target = 1 + params.hypoxic_gain * (clamped - params.hypoxic_reference) / (
        params.hypoxic_reference
    )
    d_hypoxic = (hypoxic_target - state.hypoxic_modulation) / params.hypoxic_time

    # Arrest: time spent below the arrest tension.
    d_hypoxaemia = where(
        arterial_o2 < params.arrest_o2_tension,
        1,
        -params.hypoxaemia_reset_rate * state.hypoxaemia_duration,
    )
    arrest_risk = where(
        state.hypoxaemia_duration < params.arrest_delay,
        state.hypoxaemia_duration / params.arrest_delay,
        1,
    )

    derivatives = {
        "alveolar_co2": d_alveolar_co2,
        "alveolar_o2": d_alveolar_o2,
        "brain_co2": d_brain_co2,
        "brain_o2": d_brain_o2,
        "tissue_co2": d_tissue_co2,
        "tissue_o2": d_tissue_o2,
        "cerebral_co2_response": d_cerebral_co2,
        "cerebral_o2_response": d_cerebral_o2,
        "peripheral_co2_transit_1": d_pc1,
        "peripheral_co2_transit_2": d_pc2,
        "peripheral_co2_transit_3": d_pc3,
        "peripheral_o2_transit_1": d_po1,
        "peripheral_o2_transit_2": d_po2,
        "peripheral_o2_transit_3": d_po3,
        "central_co2_transit_1": d_cc1,
        "central_co2_transit_2": d_cc2,
        "central_co2_transit_3": d_cc3,
        "peripheral_drive": d_peripheral,
        "central_drive": d_central,
        "hypoxic_modulation": d_hypoxic,
        "hypoxaemia_duration": d_hypoxaemia,
    }
    outputs = {
        "minute_ventilation": minute_ventilation,
        "ventilation_fraction": minute_ventilation / params.resting_minute_ventilation,
        "arterial_co2": arterial_co2,
        "arterial_o2": arterial_o2,
        "arterial_o2_saturation": arterial_o2_content
        / (params.gas_molar_volume * params.o2_binding_capacity),
        "wakefulness_drive": wakefulness_drive,
        "chemoreflex_drive": chemoreflex_drive,
        "cerebral_blood_flow": brain_flow,
        "arrest_risk": arrest_risk,
        "arrest": where(state.hypoxaemia_duration < params.arrest_delay, 0, 1),
    }
    return derivatives, outputs
