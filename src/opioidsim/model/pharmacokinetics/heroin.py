"""Heroin (diacetylmorphine) -> 6-monoacetylmorphine (6-MAM) -> morphine.

After Inturrisi et al. 1984 (IV heroin clearance and half-life) and Rook et al. 2006
(population PK of heroin, 6-MAM and morphine: 6-MAM half-life, inhaled bioavailability).
Morphine itself is the morphine module: this module hands it the morphine it forms.

States (amounts in nmol, concentrations in nM):

    d inhaled_amount/dt = - inhaled_absorption_rate * inhaled_amount
    d heroin_amount/dt  = inhaled_absorption_rate * inhaled_amount
                          - clearance * plasma_concentration
    d monoacetylmorphine_amount/dt = monoacetylmorphine_formation_fraction * clearance
                                     * plasma_concentration
                                     - monoacetylmorphine_clearance
                                       * monoacetylmorphine_plasma_concentration
    d effect_site_concentration/dt = effect_site_rate * (plasma_concentration
                                                         - effect_site_concentration)
    d monoacetylmorphine_effect_site_concentration/dt
        = monoacetylmorphine_effect_site_rate * (monoacetylmorphine_plasma_concentration
                                                 - monoacetylmorphine_effect_site_concentration)

    plasma_concentration                    = heroin_amount / volume
    monoacetylmorphine_plasma_concentration = monoacetylmorphine_amount
                                              / monoacetylmorphine_volume
    morphine_formation_rate = morphine_formation_fraction * monoacetylmorphine_clearance
                              * monoacetylmorphine_plasma_concentration     (to morphine)
    brain_concentration     = plasma_unbound_fraction * effect_site_concentration
    monoacetylmorphine_brain_concentration = monoacetylmorphine_plasma_unbound_fraction
                                             * monoacetylmorphine_effect_site_concentration

Clearances are multiplied by ``clearance_scale`` and volumes by ``volume_scale``.

Routes: ``iv`` (bolus or infusion into heroin_amount; self-administration) and ``smoked``
("chasing the dragon": inhaled_bioavailability of the dose into inhaled_amount). Doses are
heroin **base** (street heroin); pharmaceutical diamorphine HCl monohydrate (423.9 g/mol)
is 0.871 base by mass. Oral heroin is not offered: it reaches the blood only as morphine
(Inturrisi 1984), so dose morphine instead.

Species: human and rat. The rat table scales heroin and 6-MAM volumes and heroin clearance
from the human by allometry and fits 6-MAM's clearance and both effect sites to the times
of Gottas 2013/2014 (heroin undetectable in blood after 18 min; 6-MAM tmax 2.0 min in
blood, 4.3 min in striatal ECF). Known misfit: one 6-MAM compartment cannot also make
morphine overtake 6-MAM only after 30 min. Nothing for the mouse (heroin t1/2 ~2.5 min,
Way 1960, but no volumes).

Assumptions
- One compartment each. Heroin V = CL t1/2/ln2 with Inturrisi's t1/2 3.0 min (Rook's
  terminal 7.6 min would imply Vss ~24 L); Rook's compartment volumes were not retrieved.
- 6-MAM clearance is the dog value (Garrett & Gurkan 1980, 2.2 L/min); its volume follows
  from the human 6-MAM t1/2 21.8 min (Rook 2006).
- Heroin -> 6-MAM 95%, 6-MAM -> morphine 100% (argued: deacetylation by esterases); the
  other 5% of heroin's clearance is not followed.
- Effect-site delays (1.5 min heroin, 4 min 6-MAM) are argued from rat brain ECF lagging
  blood by 2-3 min (Gottas 2013) and the high lipophilicity; unbound brain = unbound plasma
  at equilibrium. Plasma binding of heroin and 6-MAM was not found (0.6 assumed).
"""

from opioidsim.model.declare import Module, Route, Scalar, assumed, derived, measured
from opioidsim.model.sources import (
    GOTTAS_2013,
    GOTTAS_2014,
    INTURRISI_1984,
    PUBCHEM_2023,
    ROOK_2006,
)

_AMOUNT_BOUNDS = (0, 1e12)

MODULE = Module(
    name="heroin",
    description="heroin and 6-monoacetylmorphine pharmacokinetics; forms morphine",
    inputs={
        "clearance_scale": Scalar("1", "allometric clearance factor", default=1.0),
        "volume_scale": Scalar("1", "allometric volume factor", default=1.0),
    },
    states={
        "inhaled_amount": Scalar(
            "nmol", "inhaled vapour not yet absorbed (bioavailable part)", bounds=_AMOUNT_BOUNDS
        ),
        "heroin_amount": Scalar("nmol", "heroin in the body", bounds=_AMOUNT_BOUNDS),
        "monoacetylmorphine_amount": Scalar("nmol", "6-MAM in the body", bounds=_AMOUNT_BOUNDS),
        "effect_site_concentration": Scalar(
            "nM", "heroin biophase concentration (plasma-equivalent)", bounds=_AMOUNT_BOUNDS
        ),
        "monoacetylmorphine_effect_site_concentration": Scalar(
            "nM", "6-MAM biophase concentration (plasma-equivalent)", bounds=_AMOUNT_BOUNDS
        ),
    },
    outputs={
        "plasma_concentration": Scalar("nM", "heroin total plasma concentration"),
        "brain_concentration": Scalar("nM", "heroin unbound brain (biophase) concentration"),
        "monoacetylmorphine_plasma_concentration": Scalar("nM", "6-MAM plasma concentration"),
        "monoacetylmorphine_brain_concentration": Scalar(
            "nM", "6-MAM unbound brain (biophase) concentration"
        ),
        "morphine_formation_rate": Scalar("nmol/h", "morphine formed from 6-MAM"),
    },
    ligands={
        "heroin": "brain_concentration",
        "monoacetylmorphine": "monoacetylmorphine_brain_concentration",
    },
    routes={
        "iv": Route(
            "intravenous bolus or infusion (self-administration)",
            {"heroin_amount": ()},
            infusion=True,
        ),
        "smoked": Route(
            "inhaled vapour ('chasing the dragon')",
            {"inhaled_amount": ("inhaled_bioavailability",)},
        ),
    },
    molar_mass="molar_mass",
    species=("human", "rat"),
)

_GARRETT = "Garrett & Gurkan 1980, J Pharm Sci 69:1116 (dog; no DOI/PMID seen)"

PARAMETERS_BY_SPECIES = {
    "human": {
        "molar_mass": derived(
            369.4,
            "g/mol",
            [PUBCHEM_2023],
            how="C21H23NO5 (diacetylmorphine base) with IUPAC standard atomic weights",
            note="doses are heroin base",
        ),
        "clearance": derived(
            2156.0,
            "mL/min",
            [INTURRISI_1984],
            how="30.8 mL/kg/min (SE 2.1) x 70 kg",
            species="human",
            confidence="high",
        ),
        "volume": derived(
            9.33,
            "L",
            [INTURRISI_1984],
            how="V = CL t1/2 / ln2 = 2.156 L/min x 3.0 min / 0.693 (t1/2 3.0 +- 1.3 min)",
            species="human",
        ),
        "monoacetylmorphine_formation_fraction": assumed(
            0.95,
            "1",
            reason="deacetylation at C3 by plasma and tissue esterases gives 6-MAM; direct "
            "heroin -> morphine is minor in humans (in dogs ~50:50, " + _GARRETT + ")",
        ),
        "monoacetylmorphine_clearance": assumed(
            2.2,
            "L/min",
            reason="human value not found; dog total clearance, " + _GARRETT,
        ),
        "monoacetylmorphine_volume": derived(
            69.2,
            "L",
            [ROOK_2006],
            how="V = CL t1/2 / ln2 = 2.2 L/min x 21.8 min / 0.693 (CL: dog value)",
            species="human",
            confidence="low",
        ),
        "morphine_formation_fraction": assumed(
            1.0,
            "1",
            reason="6-MAM is deacetylated to morphine; other 6-MAM routes not found in humans",
        ),
        "inhaled_bioavailability": measured(
            0.53,
            "1",
            ROOK_2006,
            species="human",
            confidence="high",
            locator="inhaled ('chasing the dragon'), 95% CI 0.437-0.623",
        ),
        "inhaled_absorption_rate": assumed(
            2.0,
            "1/min",
            reason="pulmonary absorption of vapour is near-instantaneous (43% of inhaled "
            "morphine absorbed almost instantly, Anesthesiology 2000;93:619); t1/2 0.35 min",
        ),
        "effect_site_rate": assumed(
            0.46,
            "1/min",
            reason="t1/2ke0 1.5 min (argued 1-2 min): rat brain ECF lags blood by 2-3 min "
            "(Gottas 2013) and heroin is more lipophilic than 6-MAM",
        ),
        "monoacetylmorphine_effect_site_rate": assumed(
            0.173,
            "1/min",
            reason="t1/2ke0 4 min (argued 3-5 min): rat 6-MAM tmax 2.0 min in blood vs 4.3 "
            "min in striatal ECF (Gottas 2013, PMC3791993)",
        ),
        "plasma_unbound_fraction": assumed(
            0.6, "1", reason="heroin plasma binding not found; morphine-like value"
        ),
        "monoacetylmorphine_plasma_unbound_fraction": assumed(
            0.6, "1", reason="6-MAM plasma binding not found; morphine-like value"
        ),
    },
}

# Rat (0.25 kg): heroin scaled from the human by allometry, checked against Gottas 2013's
# times; 6-MAM fitted to its blood tmax 2.0 min (heroin -> 6-MAM chain); effect sites from
# the blood-to-ECF lags. The other entries are the human values carried over.
PARAMETERS_BY_SPECIES["rat"] = {
    **PARAMETERS_BY_SPECIES["human"],
    "clearance": derived(
        31.6,
        "mL/min",
        [INTURRISI_1984, GOTTAS_2013],
        how="human 2156 mL/min x (0.25/70)**0.75 (Anderson & Holford 2008); t1/2 0.74 min "
        "with the volume below, consistent with heroin undetectable in rat blood after 18 min",
        species="rat",
        confidence="low",
    ),
    "volume": derived(
        0.0333,
        "L",
        [INTURRISI_1984],
        how="human 9.33 L x 0.25/70",
        species="rat",
        confidence="low",
    ),
    "monoacetylmorphine_clearance": derived(
        57.0,
        "mL/min",
        [GOTTAS_2013],
        how="t1/2 3 min with the volume below: a heroin (t1/2 0.74 min) -> 6-MAM chain then "
        "peaks at 2.0 min in blood as observed (fit of the peak time only)",
        species="rat",
        confidence="low",
    ),
    "monoacetylmorphine_volume": derived(
        0.247,
        "L",
        [ROOK_2006],
        how="human 69.2 L x 0.25/70",
        species="rat",
        confidence="low",
    ),
    "effect_site_rate": derived(
        1.386,
        "1/min",
        [GOTTAS_2014],
        how="t1/2ke0 0.5 min: heroin in striatal ECF already at 2 min after IV (1.2 uM)",
        species="rat",
        confidence="low",
    ),
    "monoacetylmorphine_effect_site_rate": derived(
        0.462,
        "1/min",
        [GOTTAS_2013],
        how="t1/2ke0 1.5 min: 6-MAM tmax 2.0 min in blood vs 4.3 min in striatal ECF",
        species="rat",
        confidence="low",
    ),
}


def rates(state, params, inputs):
    """Return (derivatives, outputs)."""
    clearance = params.clearance * inputs.clearance_scale
    volume = params.volume * inputs.volume_scale
    monoacetylmorphine_clearance = params.monoacetylmorphine_clearance * inputs.clearance_scale
    monoacetylmorphine_volume = params.monoacetylmorphine_volume * inputs.volume_scale

    plasma_concentration = state.heroin_amount / volume
    monoacetylmorphine_plasma_concentration = (
        state.monoacetylmorphine_amount / monoacetylmorphine_volume
    )
    inhaled_absorption = params.inhaled_absorption_rate * state.inhaled_amount
    heroin_elimination = clearance * plasma_concentration
    monoacetylmorphine_elimination = (
        monoacetylmorphine_clearance * monoacetylmorphine_plasma_concentration
    )
    derivatives = {
        "inhaled_amount": -inhaled_absorption,
        "heroin_amount": inhaled_absorption - heroin_elimination,
        "monoacetylmorphine_amount": params.monoacetylmorphine_formation_fraction
        * heroin_elimination
        - monoacetylmorphine_elimination,
        "effect_site_concentration": params.effect_site_rate
        * (plasma_concentration - state.effect_site_concentration),
        "monoacetylmorphine_effect_site_concentration": params.monoacetylmorphine_effect_site_rate
        * (
            monoacetylmorphine_plasma_concentration
            - state.monoacetylmorphine_effect_site_concentration
        ),
    }
    outputs = {
        "plasma_concentration": plasma_concentration,
        "brain_concentration": params.plasma_unbound_fraction * state.effect_site_concentration,
        "monoacetylmorphine_plasma_concentration": monoacetylmorphine_plasma_concentration,
        "monoacetylmorphine_brain_concentration": params.monoacetylmorphine_plasma_unbound_fraction
        * state.monoacetylmorphine_effect_site_concentration,
        "morphine_formation_rate": params.morphine_formation_fraction
        * monoacetylmorphine_elimination,
    }
    return derivatives, outputs
