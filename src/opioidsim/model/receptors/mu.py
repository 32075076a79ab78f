"""Mu-opioid receptor: kinetic, competitive binding of every ligand present, and signalling.

For each ligand i, ``occupancy_i`` is the fraction of all mu receptors that ligand i holds:

    d occupancy_i/dt   = association_rate_i * concentration_i * free_fraction
                         - dissociation_rate_i * occupancy_i
    free_fraction      = 1 - sum_j occupancy_j
    association_rate_i = dissociation_rate_i / dissociation_constant_i

At steady state this is Gaddum's law: occupancy_i = (C_i/KD_i) / (1 + sum_j C_j/KD_j).

Signalling follows the operational model of agonism (Black & Leff 1983) with slope 1:

    stimulus   = sum_i operational_efficacy_i * occupancy_i
    mu_signal  = stimulus / (1 + stimulus)          (fraction of the system maximum)

so a full agonist (large efficacy) reaches most of the maximum at low occupancy (receptor
reserve: methadone works at occupancies PET barely sees, Melichar 2005), a partial agonist
(buprenorphine) has a ceiling of efficacy/(1 + efficacy), and an antagonist (efficacy 0)
signals nothing but takes receptors from the agonists.

``drug_occupancy`` sums the exogenous ligands: what [11C]carfentanil PET reads as blockade
(the tracer sees every receptor a drug holds; the small basal endogenous tone is in its
baseline).

In vivo, sodium ions and GTP put the receptor in a state of low agonist affinity, while
antagonist binding is unchanged or enhanced (Pert, Pasternak & Snyder 1973). Binding assays in
membranes without them overstate agonist affinity; ``physiological_affinity_shift`` (>= 1)
multiplies each agonist's membrane dissociation constant. It is why methadone maintenance
occupies few receptors on PET (Melichar 2005) while full agonists still signal strongly.

Naltrexone's blockade declines with a half-time of 72-108 h after 50 mg (Lee 1988), far
slower than plasma naltrexone (t1/2 ~4 h) or 6beta-naltrexol (~12 h), and PET occupancy lags
plasma (hysteresis, Rabiner 2011). Two mechanisms could do this: a slow terminal plasma
phase (Lee's suggestion; its amplitude was not found) or retention at the receptor/brain.
The model takes the second: naltrexone's dissociation rate and affinity are fitted together
(koff to Lee 1988, KD to Rabiner 2011). The fitted association rate (koff/KD ~ 6e4 /M/s) is
far below diffusion-limited binding, so both are effective in vivo values, not in vitro
constants.

Assumptions
- Binding does not deplete free ligand: the receptor pool is far smaller than the ligand.
- Receptor number is fixed here; its loss with tolerance belongs to neuroadaptation.
- Hill exponent 1; the FDA kinetic fits used 0.84-0.86 (fentanyl, naloxone) and 0.57
  (buprenorphine); their apparent KD = (koff/kon)^(1/n) is used with n = 1.
- Concentrations are unbound brain (biophase) concentrations from the PK modules.
"""

from opioidsim.model.declare import (
    Module,
    PerLigand,
    Scalar,
    assumed,
    calibrated,
    derived,
    measured,
)
from opioidsim.model.receptors._binding import competitive_binding
from opioidsim.model.sources import (
    CHEN_1991,
    MANN_2022,
    MOL_PAIN_2011,
    PERT_SNYDER_1973,
    YASSEN_2007,
)

MODULE = Module(
    name="mu_receptor",
    description="mu-opioid receptor binding (all ligands, competitive) and signalling",
    inputs={
        "concentration": PerLigand("nM", "unbound brain concentration of each ligand"),
        "drug_mask": PerLigand("1", "1 for exogenous drugs, 0 for endogenous peptides"),
    },
    states={
        "occupancy": PerLigand(
            "1", "fraction of mu receptors bound by the ligand", initial=0.0, bounds=(0.0, 1.0)
        ),
    },
    outputs={
        "free_fraction": Scalar("1", "fraction of mu receptors with no ligand bound"),
        "total_occupancy": Scalar("1", "fraction of mu receptors bound by any ligand"),
        "drug_occupancy": Scalar("1", "mu receptors held by drugs: PET blockade"),
        "stimulus": Scalar("1", "efficacy-weighted occupancy (operational model)"),
        "signal": Scalar("1", "mu signalling, fraction of the system maximum"),
    },
)

_FAST_KINETICS = (
    "no kinetic (koff) measurement found; dissociation taken as fast (t1/2 ~1 min, the "
    "order of the measured fentanyl and naloxone values) so that binding follows the "
    "biophase concentration, whose delay is measured"
)

_PEPTIDE_KINETICS = (
    "no koff found for opioid peptides; slow wash-out of dynorphin A(1-13)/(1-17) in tissue "
    "(Corbett 1982) argues for 1e-3 to 1e-2 /s; the middle of that range"
)

_SODIUM_SHIFT = (
    "full agonists lose affinity in sodium/GTP (Pert, Pasternak & Snyder 1973: agonists 10-1000x "
    "less potent than antagonists at raising in vivo binding); methadone maintenance gives "
    "minimal PET occupancy (Melichar 2005); 20x taken, low confidence"
)

# Table 1. Binding kinetics and efficacy, in the units of each source.
PARAMETERS = {
    "dissociation_rate": {
        "fentanyl": measured(
            0.004331,
            "1/s",
            MANN_2022,
            species="in vitro (MOR membranes)",
            confidence="high",
            locator="Ligand_Data/Fentanyl_A_parameters/Fentanyl_A_pars.txt",
        ),
        "buprenorphine": measured(
            0.0172,
            "1/min",
            YASSEN_2007,
            species="human",
            confidence="high",
            note="in vivo PK-PD estimate",
        ),
        "naloxone": measured(
            0.03959,
            "1/s",
            MANN_2022,
            species="in vitro (MOR membranes)",
            confidence="high",
            locator="Ligand_Data/NALOXONE/NALOXONE_pars.txt",
        ),
        "morphine": assumed(0.7, "1/min", reason=_FAST_KINETICS),
        "heroin": assumed(0.7, "1/min", reason=_FAST_KINETICS),
        "monoacetylmorphine": assumed(0.7, "1/min", reason=_FAST_KINETICS),
        "oxycodone": assumed(0.7, "1/min", reason=_FAST_KINETICS),
        "methadone": assumed(0.7, "1/min", reason=_FAST_KINETICS),
        "naltrexone": calibrated(
            0.007107,
            "1/h",
            against="lee_1988_naltrexone_blockade_duration",
            species="human",
            note="effective retention: blockade outlasts "
            "plasma naltrexone (Lee 1988) and lags it (Rabiner 2011)",
        ),
        "naltrexol": assumed(0.7, "1/min", reason=_FAST_KINETICS),
        "beta_endorphin": assumed(0.005, "1/s", reason=_PEPTIDE_KINETICS),
        "dynorphin": assumed(0.005, "1/s", reason=_PEPTIDE_KINETICS),
    },
    "dissociation_constant": {
        "fentanyl": derived(
            0.35,
            "nM",
            [MANN_2022],
            how="(koff/kon)**(1/n), same fit",
            species="in vitro",
            note="source fits n = 0.84; used with n = 1",
        ),
        "buprenorphine": derived(
            0.0072,
            "nM",
            [YASSEN_2007, MANN_2022],
            species="human",
            how="Yassen's in vivo KD 0.18 nM is on total plasma-equivalent "
            "concentration; x unbound fraction 0.04 gives the unbound KD "
            "used here (the FDA in vitro fit gives 0.0065 nM)",
        ),
        "naloxone": derived(
            0.59,
            "nM",
            [MANN_2022],
            how="(koff/kon)**(1/n), same fit",
            species="in vitro",
            note="source fits n = 0.86; used with n = 1",
        ),
        "morphine": measured(1.2, "nM", CHEN_1991, species="rat brain", confidence="high"),
        "heroin": assumed(12.0, "nM", reason="prodrug; weaker than morphine at MOR (placeholder)"),
        "monoacetylmorphine": assumed(1.2, "nM", reason="6-MAM binds MOR like morphine"),
        "oxycodone": assumed(25.9, "nM", reason="Volpe 2011 value, unverified"),
        "methadone": assumed(3.4, "nM", reason="Volpe 2011 value, unverified"),
        "naltrexone": calibrated(
            0.0328,
            "nM",
            against="rabiner_2011_naltrexone_pet",
            species="human",
            note="effective in vivo value, fitted with the "
            "dissociation rate (opioidsim calibrate naltrexone-mu-binding)",
        ),
        "naltrexol": assumed(2.1, "nM", reason="secondary source, unverified"),
        "beta_endorphin": derived(
            2.8,
            "nM",
            [MOL_PAIN_2011],
            species="rat MOR-1 (CHO)",
            how="Ki = GTPgammaS EC50 58 nM / 21 (Table 4 ratio)",
        ),
        "dynorphin": derived(
            15.6,
            "nM",
            [MOL_PAIN_2011],
            species="rat MOR-1 (CHO)",
            how="Ki = GTPgammaS EC50 344 nM / 22 (Table 4 ratio)",
        ),
    },
    "physiological_affinity_shift": {
        **{
            ligand: assumed(20.0, "1", reason=_SODIUM_SHIFT)
            for ligand in (
                "fentanyl",
                "morphine",
                "heroin",
                "monoacetylmorphine",
                "oxycodone",
                "methadone",
                "beta_endorphin",
                "dynorphin",
            )
        },
        "buprenorphine": assumed(
            1.0,
            "1",
            reason="its dissociation constant is already an in vivo estimate (Yassen 2007)",
        ),
        **{
            ligand: derived(
                1.0,
                "1",
                [PERT_SNYDER_1973],
                how="sodium does not lower antagonist binding (it raises it): no shift",
            )
            for ligand in ("naltrexone", "naltrexol", "naloxone")
        },
    },
    "operational_efficacy": {
        "fentanyl": assumed(30.0, "1", reason="full agonist with receptor reserve"),
        "morphine": assumed(20.0, "1", reason="full agonist with receptor reserve"),
        "heroin": assumed(20.0, "1", reason="full agonist"),
        "monoacetylmorphine": assumed(20.0, "1", reason="full agonist"),
        "oxycodone": assumed(20.0, "1", reason="full agonist"),
        "methadone": assumed(30.0, "1", reason="full agonist, large receptor reserve"),
        "buprenorphine": calibrated(
            6.342,
            "1",
            against="buprenorphine_induction_methadone_bracket",
            species="human",
            note="opioidsim calibrate buprenorphine-efficacy: geometric middle of the "
            "efficacies (2.86-14.1) that spare a methadone-dependent subject at 72 h and "
            "precipitate at 6 h. A weak partial agonist at the LC (Virk 2009): maximal LC "
            "signal 0.47 vs morphine's 0.74. No numeric tau is published (evidence gap); "
            "the respiratory ceiling read through effects' transducer would be 26% vs ~50% "
            "observed (Dahan 2005), a tension of that transducer (see effects)",
        ),
        "naltrexone": assumed(0.0, "1", reason="neutral antagonist"),
        "naltrexol": assumed(0.0, "1", reason="neutral antagonist"),
        "naloxone": assumed(0.0, "1", reason="neutral antagonist"),
        "beta_endorphin": assumed(
            20.0,
            "1",
            reason="full agonist (118% of DAMGO in GTPgammaS, "
            "Mol Pain 2011); given the full-agonist value used here",
        ),
        "dynorphin": assumed(
            20.0,
            "1",
            reason="full agonist at MOR-1 (132% of DAMGO, Mol Pain "
            "2011); given the full-agonist value used here",
        ),
    },
}


def rates(state, params, inputs):
    """Return (derivatives, outputs); pure arithmetic on floats, arrays, units or symbols."""
    d_occupancy, outputs = competitive_binding(
        state.occupancy, inputs.concentration, inputs.drug_mask, params
    )
    return {"occupancy": d_occupancy}, outputs
