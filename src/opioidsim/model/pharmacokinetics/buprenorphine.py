"""Buprenorphine: FDA three-compartment disposition plus a slow tissue compartment.

After the FDA naloxone-rescue model (Mann et al. 2022, ``parms_B.R``: Yassen-type IV
micro-constants, central volume 5.71 L), Yassen et al. 2007 (biophase t1/2 173 min) and
Mendelson et al. 1997 (sublingual bioavailability 0.29); sublingual tablets after McAleer et
al. 2003 (Cmax, tablet disintegration times).

States (amounts in nmol, concentrations in nM):

    d sublingual_amount/dt = - sublingual_dissolution_rate * sublingual_amount
    d mucosal_amount/dt    = sublingual_dissolution_rate * sublingual_amount
                             - sublingual_absorption_rate * mucosal_amount
    d central_amount/dt    = sublingual_absorption_rate * mucosal_amount
                             - (elimination_rate + central_to_shallow_rate
                                + central_to_deep_rate) * rate_scale * central_amount
                             + shallow_to_central_rate * rate_scale * shallow_amount
                             + deep_to_central_rate * rate_scale * deep_amount
                             - slow_tissue_uptake
    d shallow_amount/dt    = rate_scale * (central_to_shallow_rate * central_amount
                                           - shallow_to_central_rate * shallow_amount)
    d deep_amount/dt       = rate_scale * (central_to_deep_rate * central_amount
                                           - deep_to_central_rate * deep_amount)
    d slow_tissue_amount/dt = slow_tissue_uptake
    d effect_site_concentration/dt = effect_site_rate * (plasma_concentration
                                                         - effect_site_concentration)

    rate_scale           = clearance_scale / volume_scale
    plasma_concentration = central_amount / (central_volume * volume_scale)
    slow_tissue_uptake   = slow_tissue_clearance * clearance_scale
                           * (plasma_concentration
                              - slow_tissue_amount / (slow_tissue_volume * volume_scale))
    brain_concentration  = plasma_unbound_fraction * effect_site_concentration

From the FDA micro-constants: CL = 42.1 L/h, V2 = 11.8 L, V3 = 66.6 L (Vss 84 L),
disposition half-lives 1.9 min, 18 min and 2.6 h.

The slow tissue compartment (how it was derived). The FDA set, fitted to hours of IV data,
has a terminal t1/2 of 2.6 h, while buprenorphine's terminal t1/2 after sublingual or
transdermal dosing is 20-36 h or more; without a slower phase a maintenance run would
lose the drug within a day. The compartment has two derived values:
- slow_tissue_volume 502 L: the rat Vss per kg at its lowest reported value (8.37 L/kg,
  IV 0.1-30 mg/kg, Eur J Pharm Sci 2002) times 70 kg (volume proportional to weight) gives a
  human Vss of 586 L; the slow compartment holds what the FDA set's 84 L leaves out.
- slow_tissue_clearance 18.0 L/h: solved so that the slowest eigenvalue of the
  four-compartment system has t1/2 28 h, the middle of 20-36 h.
The result agrees with an independent human anchor: 2 mg IV gives 19.6 ug/L at 10 min
against 19.3 +- 1.0 (SE, n = 5) measured by Huestis et al. 2013 (4-12 mg: within one SD),
where the FDA set alone gives 27.6 ug/L; bolus-derived parameter sets are known to
over-predict infusion concentrations (PMID 17874319). The price: IV concentrations in the
first 6 h are 25-35% below the FDA set's, and its third phase shortens from 2.6 to 2.1 h.

Routes: ``iv`` (bolus or infusion into central_amount) and ``sublingual`` (sublingual
bioavailability of the dose into sublingual_amount, the tablet not yet dissolved). Doses are
buprenorphine **base** (tablets, films and Buprenex are labelled "as buprenorphine", present
as HCl).

Species: human only. Rat: triexponential IV disposition with dose-dependent CL (2.7-6.1
L/h/kg) and Vss (8.4-18.2 L/kg), but no compartmental parameters and no brain delay were
retrieved; nothing for the mouse.

Assumptions
- Sublingual absorption is two first-order steps in series, dose-linear (absorption in fact
  falls with dose: 38.1 - 19.7 log10(dose mg) % for tablets, PBPK preprint). First the tablet
  disintegrates (sublingual_dissolution_rate 4.62 /h: half the dose is out of the tablet at
  the median disintegration time, 9 min, the middle of the 6-12 min McAleer 2003 measured for
  every dose and formulation). The dissolved drug is then held in the oral mucosa, the depot
  Kuhlman 1996 describes ("sequestration of buprenorphine in the oral mucosa"), and reaches
  the blood slowly: sublingual_absorption_rate 0.1305 /h (t1/2 5.3 h), solved so that 8 mg
  tablets peak at 3.2 ng/mL (McAleer 2003: 16 mg 6.4 ng/mL, dose-proportional over 8-16
  mg). The peak comes at 2.14 h, inside the Swiss label's 2-4 h and McAleer's 0.5-3 h
  (disintegration times of 6 or 12 min give 2.04 or 2.26 h); with the mucosal step alone
  (0.130 /h, used before) it came at 1.9 h. The Swiss label's absorption t1/2 of 1.3 h (0.533 /h,
  used before) put 8 mg at 9.8 ng/mL at 0.5 h: with the FDA central volume (5.71 L) a fast
  input peaks high and early. The long terminal phase still comes from the slow tissue
  compartment, which also fits Huestis' IV data (above). Not reproduced: Bullingham 1982's
  (PMID 7082534) uptake "essentially complete by 5 h" after 0.4-0.8 mg (postoperative patients,
  radioimmunoassay; mean tmax ~200 min, 90-360): the model has absorbed 46% of the
  bioavailable dose by 5 h, since a faster mucosal step breaks McAleer's Cmax.
- Bioavailability 0.29 is for tablets/films; the SL solution gives ~0.51 (Kuhlman 1996).
- Unbound brain = unbound plasma at equilibrium; plasma binding ~96% (unverified). The
  receptor module's buprenorphine KD (0.18 nM, Yassen 2007) is expressed in total
  plasma-equivalent biophase concentration, not unbound.
- Norbuprenorphine is not modelled.
"""

from opioidsim.model.declare import Module, Route, Scalar, assumed, derived, measured
from opioidsim.model.pharmacokinetics._exchange import clearance_exchange
from opioidsim.model.sources import (
    ANDERSON_HOLFORD_2008,
    EUR_J_PHARM_SCI_2002,
    MANN_2022,
    MCALEER_2003,
    MENDELSON_1997,
    PUBCHEM_2023,
    YASSEN_2007,
)

_BOUNDS = (0, 1e12)

MODULE = Module(
    name="buprenorphine",
    description="buprenorphine pharmacokinetics (4 compartments) and brain effect site",
    inputs={
        "clearance_scale": Scalar("1", "allometric clearance factor", default=1.0),
        "volume_scale": Scalar("1", "allometric volume factor", default=1.0),
    },
    states={
        "sublingual_amount": Scalar(
            "nmol", "bioavailable sublingual dose still in the tablet", bounds=_BOUNDS
        ),
        "mucosal_amount": Scalar(
            "nmol", "dissolved sublingual dose held in the oral mucosa", bounds=_BOUNDS
        ),
        "central_amount": Scalar(
            "nmol", "buprenorphine in the central compartment", bounds=_BOUNDS
        ),
        "shallow_amount": Scalar("nmol", "fast peripheral compartment", bounds=_BOUNDS),
        "deep_amount": Scalar("nmol", "slow peripheral compartment (FDA set)", bounds=_BOUNDS),
        "slow_tissue_amount": Scalar(
            "nmol", "slowest tissue compartment (terminal phase)", bounds=_BOUNDS
        ),
        "effect_site_concentration": Scalar(
            "nM", "biophase concentration (plasma-equivalent, total)", bounds=_BOUNDS
        ),
    },
    outputs={
        "plasma_concentration": Scalar("nM", "total plasma concentration"),
        "brain_concentration": Scalar("nM", "unbound brain (biophase) concentration"),
    },
    ligands={"buprenorphine": "brain_concentration"},
    routes={
        "iv": Route("intravenous bolus or infusion", {"central_amount": ()}, infusion=True),
        "sublingual": Route(
            "sublingual tablet or film", {"sublingual_amount": ("sublingual_bioavailability",)}
        ),
    },
    molar_mass="molar_mass",
    species=("human",),
)

_FDA = "Clinical_Comparison_Buprenorphine/Data/parms_B.R"

PARAMETERS_BY_SPECIES = {
    "human": {
        "molar_mass": derived(
            467.6,
            "g/mol",
            [PUBCHEM_2023],
            how="C29H41NO4 (buprenorphine base) with IUPAC standard atomic weights",
            note="doses are buprenorphine base",
        ),
        "central_volume": measured(
            5.71,
            "L",
            MANN_2022,
            species="human",
            confidence="medium",
            locator=_FDA + " (inferred from the unit conversion in models/newODEs.txt)",
        ),
        "elimination_rate": measured(
            0.00205, "1/s", MANN_2022, species="human", confidence="medium", locator=_FDA + ": kel"
        ),
        "central_to_shallow_rate": measured(
            0.00206, "1/s", MANN_2022, species="human", confidence="medium", locator=_FDA + ": k12"
        ),
        "shallow_to_central_rate": measured(
            0.001, "1/s", MANN_2022, species="human", confidence="medium", locator=_FDA + ": k21"
        ),
        "central_to_deep_rate": measured(
            0.00169, "1/s", MANN_2022, species="human", confidence="medium", locator=_FDA + ": k13"
        ),
        "deep_to_central_rate": measured(
            0.000145,
            "1/s",
            MANN_2022,
            species="human",
            confidence="medium",
            locator=_FDA + ": k31",
        ),
        "slow_tissue_volume": derived(
            502.0,
            "L",
            [EUR_J_PHARM_SCI_2002, MANN_2022, ANDERSON_HOLFORD_2008],
            how="rat Vss 8.37 L/kg (lowest reported) x 70 kg = 586 L, minus the FDA set's "
            "Vss 84 L (V1 + V1 k12/k21 + V1 k13/k31)",
            species="human",
            confidence="low",
            note="check: 2 mg IV gives 19.6 ug/L at 10 min vs 19.3 +- 1.0 (Huestis 2013)",
        ),
        "slow_tissue_clearance": derived(
            18.0,
            "L/h",
            [MANN_2022, EUR_J_PHARM_SCI_2002],
            how="solved so that the slowest eigenvalue of the 4-compartment system gives "
            "t1/2 28 h, the middle of the 20-36 h terminal t1/2 after sublingual dosing "
            "(Mayo Clinic Laboratories drug book; no DOI/PMID)",
            species="human",
            confidence="low",
        ),
        "effect_site_rate": derived(
            0.004007,
            "1/min",
            [YASSEN_2007],
            how="ln 2 / biophase t1/2 173 min",
            species="human",
            confidence="high",
            note="FDA newODEs.txt uses 6.73e-5 /s (172 min); Yassen 2006 antinociception 155 min",
        ),
        "sublingual_bioavailability": measured(
            0.29,
            "1",
            MENDELSON_1997,
            species="human",
            confidence="high",
            locator="2 mg SL vs 1 mg IV (SD 0.10)",
        ),
        "sublingual_dissolution_rate": derived(
            4.621,
            "1/h",
            [MCALEER_2003],
            how="ln 2 / 9 min: half the dose is out of the tablet at the median tablet "
            "disintegration time, 9 min, the middle of the 6-12 min McAleer 2003 measured for "
            "Subutex 2-16 mg and Suboxone 8/2 mg tablets",
            species="human",
            confidence="low",
            note="first-order release is assumed; 6 or 12 min move the 8 mg tmax to 2.04 or "
            "2.26 h (Cmax refitted)",
        ),
        "sublingual_absorption_rate": derived(
            0.1305,
            "1/h",
            [MCALEER_2003, MANN_2022, MENDELSON_1997],
            how="mucosa-to-blood rate solved, after the dissolution step, so that 8 mg SL (F "
            "0.29) peaks at 3.2 ng/mL = 6.4 ng/mL x 8/16 (McAleer 2003: 16 mg mean Cmax 6.4 "
            "ng/mL, Cmax dose-proportional over 8-16 mg); gives Tmax 2.14 h (McAleer: 0.5-3 h; "
            "Swiss label 2-4 h)",
            species="human",
            confidence="low",
            note="0.130 without the dissolution step (Tmax 1.9 h); the Swiss label's SL "
            "absorption t1/2 1.3 h (0.533 /h) gave 9.8 ng/mL at 0.5 h",
        ),
        "plasma_unbound_fraction": assumed(
            0.04,
            "1",
            reason="buprenorphine ~96% protein bound (recalled label value, unverified)",
        ),
    },
}


def rates(state, params, inputs):
    """Return (derivatives, outputs)."""
    rate_scale = inputs.clearance_scale / inputs.volume_scale
    central_volume = params.central_volume * inputs.volume_scale
    plasma_concentration = state.central_amount / central_volume

    dissolution = params.sublingual_dissolution_rate * state.sublingual_amount
    sublingual_absorption = params.sublingual_absorption_rate * state.mucosal_amount
    elimination = params.elimination_rate * rate_scale * state.central_amount
    to_shallow = rate_scale * (
        params.central_to_shallow_rate * state.central_amount
        - params.shallow_to_central_rate * state.shallow_amount
    )
    to_deep = rate_scale * (
        params.central_to_deep_rate * state.central_amount
        - params.deep_to_central_rate * state.deep_amount
    )
    slow_tissue_uptake = clearance_exchange(
        params.slow_tissue_clearance * inputs.clearance_scale,
        plasma_concentration,
        state.slow_tissue_amount,
        params.slow_tissue_volume * inputs.volume_scale,
    )
    derivatives = {
        "sublingual_amount": -dissolution,
        "mucosal_amount": dissolution - sublingual_absorption,
        "central_amount": sublingual_absorption
        - elimination
        - to_shallow
        - to_deep
        - slow_tissue_uptake,
        "shallow_amount": to_shallow,
        "deep_amount": to_deep,
        "slow_tissue_amount": slow_tissue_uptake,
        "effect_site_concentration": params.effect_site_rate
        * (plasma_concentration - state.effect_site_concentration),
    }
    outputs = {
        "plasma_concentration": plasma_concentration,
        "brain_concentration": params.plasma_unbound_fraction * state.effect_site_concentration,
    }
    return derivatives, outputs
