"""Mu-opioid receptor: kinetic, competitive binding of every ligand present, and signalling.

For each ligand i, ``occupancy_i`` is the fraction of all mu receptors that ligand i holds:

    d occupancy_i/dt   = association_rate_i * concentration_i * free_fraction
                         - dissociation_rate_i * occupancy_i
    free_fraction      = 1 - sum_j occupancy_j
    association_rate_i = dissociation_rate_i / dissociation_constant_i

At steady state this is Gaddum's law: occupancy_i = (C_i/KD_i) / (1 + sum_j C_j/KD_j).

Signalling is read by each effect pathway through the operational model of agonism (Black
& Leff 1983; ``_operational.py``). This module gives the shared quantity every pathway reads,
the efficacy-weighted occupancy in morphine equivalents:

    stimulus = sum_i relative_efficacy_i * occupancy_i        (morphine = 1)

and each pathway multiplies it by its own coupling (morphine's tau there) and receptor
availability. A ligand's tau in a pathway is relative_efficacy x coupling: full agonists
reach most of the maximum at low occupancy where the coupling is large (receptor reserve:
methadone works at occupancies PET barely sees, Melichar 2005), a partial agonist
(buprenorphine) has a pathway-dependent ceiling, and an antagonist (efficacy 0) signals
nothing but takes receptors from the agonists.

``drug_occupancy`` sums the exogenous ligands: what [11C]carfentanil PET reads as blockade.

**One in vivo affinity per ligand, for every species and pathway.** In vivo, sodium, GTP and
body temperature put the receptor in a state of low agonist affinity, while antagonist
binding is unchanged (Pert, Pasternak & Snyder 1973). The dissociation constants here are
unbound in vivo values with that shift folded in. Morphine's comes from an
irreversible-antagonist (clocinnamox) receptor-reserve study analysed with the operational
model (Zernig 1995: in vivo KA 29 mg/kg, tau 4; fentanyl 7.3 mg/kg, tau 15), converted to an
unbound brain concentration with the model's own rat pharmacokinetics: 1663 nM, 1386 times
the membrane value. Fentanyl's KA converted the same way (427 nM) put its human respiratory
C50 at 7.7 ng/mL where opioid-naive people lose half their isohypercapnic ventilation at
0.42 ng/mL (Algera 2021), so fentanyl's affinity is fitted to that human C50 (39 nM, 112
times the membrane KD) with morphine's respiratory coupling and Zernig's efficacy ratio; the
same study's chronic users (C50 4.3 x higher) check tolerance in VENT-OD. Agonists without in
vivo data take their membrane Ki times morphine's ratio (``AGONIST_IN_VIVO_SHIFT``).
Heroin and 6-MAM, whose IV PK carries several assumptions, take one affinity factor fitted to
heroin's clinical potency (twice morphine's per mg, Kaiko 1981); with morphine's value 6-MAM
made IV heroin ~13 times morphine per mg, so heroin saturated every pathway at 3 mg.
Efficacies are relative to morphine (fentanyl 3.75 = 15/4, Zernig 1995). Buprenorphine's
affinity is fitted to human PET during maintenance (Greenwald 2003: 41/80/84 % of receptors
at 2/16/32 mg a day), not taken from PK-PD fits, whose "KD" differs by endpoint. Species
differ by PK and pathway coupling, never by these constants.

Naltrexone's blockade declines with a half-time of 72-108 h after 50 mg (Lee 1988: 91, 80,
46 and 30 % of the 1-h blockade at 48, 72, 120 and 168 h), far slower than plasma naltrexone
(t1/2 ~4 h) or 6beta-naltrexol (~12 h), and PET occupancy lags plasma (hysteresis, Rabiner
2011). The blockade stays near saturation for two days and then falls: receptors in fast
equilibrium with a brain biophase that empties slowly (``naltrexone.effect_site_rate``,
t1/2 ~43 h) reproduce that shape; a slow receptor koff (the model until session 9) cannot,
because occupancy then decays at one rate from its peak (it gave 58 % at 48 h). The
biophase rate and the KD are fitted together to Lee and Rabiner; binding itself is taken as
fast, so naltrexone competes surmountably with an agonist challenge.

Assumptions
- Binding does not deplete free ligand: the receptor pool is far smaller than the ligand.
- Receptor number is fixed here; its loss with tolerance belongs to neuroadaptation.
- Hill exponent 1 for binding; the FDA kinetic fits used 0.84-0.86 (fentanyl, naloxone) and
  0.57 (buprenorphine); their apparent KD = (koff/kon)^(1/n) is used with n = 1.
- The mouse in vivo KA is converted with rat PK (the model has no mouse morphine or fentanyl
  PK) at 30 min after the dose; both are assumptions of the derivation (low confidence).
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
from opioidsim.model.math import total
from opioidsim.model.receptors._binding import competitive_binding
from opioidsim.model.sources import (
    CHEN_1991,
    DAHAN_2005,
    MANN_2022,
    MOL_PAIN_2011,
    OLOFSEN_2010,
    YASSEN_2007,
    ZERNIG_1995,
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
            "1",
            "fraction of mu receptors bound by the ligand",
            # a subject starts at rest: the basal peptides at their Gaddum equilibrium (stored
            # values: a population that varies a peptide KD or basal level starts slightly off
            # rest and settles within the hour)
            initial={
                "beta_endorphin": "resting_occupancy_beta_endorphin",
                "dynorphin": "resting_occupancy_dynorphin",
            },
            bounds=(0.0, 1.0),
        ),
    },
    outputs={
        "free_fraction": Scalar("1", "fraction of mu receptors with no ligand bound"),
        "total_occupancy": Scalar("1", "fraction of mu receptors bound by any ligand"),
        "drug_occupancy": Scalar("1", "mu receptors held by drugs: PET blockade"),
        "stimulus": Scalar(
            "1", "efficacy-weighted occupancy, morphine-equivalent (operational model)"
        ),
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

#: Morphine's in vivo unbound dissociation constant over its membrane Ki (1663 / 1.2 nM):
#: the agonist low-affinity (sodium, GTP, 37 C) shift, applied to agonists without an in
#: vivo value of their own. Fentanyl's mouse KA through the rat PK gave a similar ratio (1221);
#: its human respiratory C50 gives 317 (see its dissociation constant).
AGONIST_IN_VIVO_SHIFT = 1385.8

_SHIFTED = (
    "membrane Ki {ki} nM x AGONIST_IN_VIVO_SHIFT 1385.8 (morphine's in vivo unbound KD, "
    "Zernig 1995 via rat PK, over its Ki, Chen 1991): no in vivo value found for this ligand"
)

_RESTING_OCCUPANCY = (
    "Gaddum's law at the basal peptide concentrations (endogenous_opioids: 0.01 nM each) with "
    "this table's KDs (beta-endorphin 3880 nM, dynorphin 21620 nM): (C/KD_i) / (1 + sum_j "
    "C/KD_j); tests recompute it"
)

# Table 1. Binding kinetics and efficacy, in the units of each source.
PARAMETERS = {
    "resting_occupancy_beta_endorphin": derived(
        2.577312e-6, "1", [MOL_PAIN_2011], how=_RESTING_OCCUPANCY
    ),
    "resting_occupancy_dynorphin": derived(
        4.625333e-7, "1", [MOL_PAIN_2011], how=_RESTING_OCCUPANCY
    ),
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
        "morphine": measured(
            0.138,
            "1/min",
            OLOFSEN_2010,
            species="human",
            confidence="medium",
            note="in vivo receptor dissociation rate from the PK-PD of morphine respiratory "
            "depression and its naloxone reversal (t1/2 5 min)",
        ),
        "heroin": assumed(0.7, "1/min", reason=_FAST_KINETICS),
        "monoacetylmorphine": assumed(0.7, "1/min", reason=_FAST_KINETICS),
        "oxycodone": assumed(0.7, "1/min", reason=_FAST_KINETICS),
        "methadone": assumed(0.7, "1/min", reason=_FAST_KINETICS),
        "naltrexone": assumed(
            0.7,
            "1/min",
            reason=_FAST_KINETICS + "; naltrexone's long blockade is held in the brain "
            "biophase (naltrexone.effect_site_rate, fitted to Lee 1988), not at the receptor. "
            "Was 0.007359 /h fitted to Lee's half-time, which could not also give Lee's "
            "levels: 58 % at 48 h where Lee saw ~86 %",
        ),
        "naltrexol": assumed(0.7, "1/min", reason=_FAST_KINETICS),
        "beta_endorphin": assumed(0.005, "1/s", reason=_PEPTIDE_KINETICS),
        "dynorphin": assumed(0.005, "1/s", reason=_PEPTIDE_KINETICS),
    },
    "dissociation_constant": {
        "morphine": derived(
            1663.0,
            "nM",
            [ZERNIG_1995, CHEN_1991],
            how="in vivo KA 29 mg/kg s.c. (mouse warm-water tail withdrawal after "
            "clocinnamox, operational model) as a concentration: the unbound brain morphine "
            "30 min after 29 mg/kg s.c. in the rat PK of the morphine module (the model has no "
            "mouse PK; 30 min is the cumulative-dosing cycle of that assay, an assumption)",
            species="mouse (PK: rat)",
            confidence="low",
            note="1386 x the membrane Ki (1.2 nM, Chen 1991): sodium, GTP and 37 C",
        ),
        "fentanyl": calibrated(
            39.04,
            "nM",
            against="algera_2021_fentanyl_respiratory_tolerance",
            species="human",
            note="unbound in vivo KD: half of the isohypercapnic ventilation removed at "
            "0.42 ng/mL (Algera 2021's effect-site C50 in opioid-naive volunteers), with "
            "morphine's respiratory coupling and fentanyl's efficacy 3.75; a PEtab problem "
            "(opioidsim calibrate fentanyl-mu-affinity [--petab DIR]) solved with pyPESTO: "
            "profile-likelihood 95 % interval 28.0-54.5 nM from the C50's SE; the 24-h hold "
            "(plasma steady state) runs with desensitisation off, as Algera's acute "
            "escalating-dose PK-PD model has no tolerance. 112 x the membrane KD. Was 21.95 "
            "(sessions 10-17: the same fit with the hold's own acute tolerance in it), 110.9 "
            "(session 8-9: "
            "Cartwright 1983's 50 % loss of the CO2-response slope at 1.5-3.0 ng/mL after "
            "anaesthesia, a different measure from ventilation at a fixed CO2, which this "
            "pathway defines), and before that 427.4 (Zernig 1995's mouse KA through the rat "
            "PK)",
        ),
        "buprenorphine": calibrated(
            0.1304,
            "nM",
            against="greenwald_2003_buprenorphine_pet",
            species="human",
            note="unbound in vivo KD from human PET during maintenance, a PEtab problem "
            "solved with pyPESTO and weighted by each dose's SEM (2/16/32 mg: occupancy "
            "0.30/0.78/0.88 vs 0.41 +/- 0.08, 0.80 +/- 0.02, 0.84 +/- 0.02; profile 95 % "
            "interval 0.106-0.157 nM; opioidsim calibrate buprenorphine-mu-affinity; 0.1329 "
            "before session 15 gave the sublingual tablet a mucosal step). Was "
            "0.0989 (session 10, unweighted least squares: 0.37/0.83/0.91, the 32 mg point 3.4 "
            "SEM high) and before that 0.0072 (Yassen's PK-PD KD x unbound fraction), which "
            "put 89 % of receptors under 2 mg",
        ),
        "naloxone": derived(
            0.59,
            "nM",
            [MANN_2022],
            how="(koff/kon)**(1/n), same fit; antagonists keep their membrane affinity in "
            "sodium (Pert, Pasternak & Snyder 1973)",
            species="in vitro",
            note="source fits n = 0.86; used with n = 1",
        ),
        "heroin": calibrated(
            167400.0,
            "nM",
            against="kaiko_1981_heroin_morphine_potency",
            species="human",
            note="10 x 6-MAM's value (assumed: the prodrug binds weaker), fitted with it "
            "(opioidsim calibrate heroin-mu-affinity; 111100 with efficacy 1 before session 20; "
            "114300 before session 15 moved morphine "
            "to two compartments). Was 16630 (a 12 nM membrane "
            "placeholder x AGONIST_IN_VIVO_SHIFT), which made heroin ~13 x morphine per mg",
        ),
        "monoacetylmorphine": calibrated(
            16740.0,
            "nM",
            against="kaiko_1981_heroin_morphine_potency",
            species="human",
            note="heroin 5 mg IV gives the peak mu stimulus of morphine 10 mg IV (potency "
            "ratio 2.0, Kaiko 1981; PEtab problem: opioidsim calibrate heroin-mu-affinity, "
            "profile 95% interval 13410-22360; 11110 with "
            "efficacy 1 before session 20, 11430 with the "
            "one-compartment human morphine before session 15). 10 x "
            "morphine's in vivo KD although the membrane affinities are alike: the factor "
            "absorbs the assumptions of the heroin PK (6-MAM clearance from the dog, plasma "
            "binding 0.6 assumed, one compartment, brain = unbound plasma) and morphine's "
            "slow, partial brain entry (6.7 x with efficacy 1). Was 1663 (morphine's value, "
            "assumed)",
        ),
        "oxycodone": assumed(
            25.9 * AGONIST_IN_VIVO_SHIFT,
            "nM",
            reason=_SHIFTED.format(ki=25.9) + "; Ki Volpe 2011, unverified",
        ),
        "methadone": assumed(
            3.4 * AGONIST_IN_VIVO_SHIFT,
            "nM",
            reason=_SHIFTED.format(ki=3.4) + "; Ki Volpe 2011, unverified",
        ),
        "naltrexone": calibrated(
            0.7041,
            "nM",
            against="rabiner_2011_naltrexone_pet",
            species="human",
            note="fitted with naltrexone's brain equilibration rate to Rabiner 2011 (blockade "
            "within 8 h of 2-50 mg) and Lee 1988 (blockade 48-168 h after 50 mg) as a PEtab "
            "problem solved with pyPESTO (opioidsim calibrate naltrexone-mu-binding; Lee "
            "weighted by its SEMs, Rabiner by its within-dose SD): profile 95 % interval "
            "0.499-0.964, unweighted RMS residual 0.070. Within the membrane Ki range "
            "of an antagonist (no sodium shift). 0.7229 (sessions 9-17, unweighted least "
            "squares), 0.5913 (RMS 0.062) before 6beta-naltrexol's "
            "clearance came from Bertolotti 1997 (more naltrexol blockade); 0.2703 with a "
            "fitted koff of 0.0074 /h before session 9",
        ),
        "naltrexol": assumed(
            2.1, "nM", reason="secondary source, unverified; antagonist: no shift"
        ),
        "beta_endorphin": derived(
            3880.0,
            "nM",
            [MOL_PAIN_2011, ZERNIG_1995, CHEN_1991],
            species="rat MOR-1 (CHO)",
            how="Ki = GTPgammaS EC50 58 nM / 21 (Table 4 ratio) = 2.8 nM, x "
            "AGONIST_IN_VIVO_SHIFT 1385.8 (a full agonist in sodium)",
        ),
        "dynorphin": derived(
            21620.0,
            "nM",
            [MOL_PAIN_2011, ZERNIG_1995, CHEN_1991],
            species="rat MOR-1 (CHO)",
            how="Ki = GTPgammaS EC50 344 nM / 22 (Table 4 ratio) = 15.6 nM, x "
            "AGONIST_IN_VIVO_SHIFT 1385.8",
        ),
    },
    "relative_efficacy": {
        "morphine": assumed(1.0, "1", reason="the reference: efficacies are relative to morphine"),
        "fentanyl": derived(
            3.75,
            "1",
            [ZERNIG_1995],
            how="operational tau 15 (fentanyl) / 4 (morphine), same mice and assay "
            "(clocinnamox receptor inactivation)",
            species="mouse",
            confidence="medium",
        ),
        "heroin": assumed(
            1.5,
            "1",
            reason="more efficacious than morphine, no tau found: heroin's G-protein activation "
            "is at least 6-MAM's (Selley et al. 2001, Biochem Pharmacol 62:447, via Milella "
            "2023, doi:10.1038/s41398-023-02406-5) and chronic naltrexone shifts heroin like "
            "methadone, without the fall in maximum of low-efficacy agonists (Withey 2023, "
            "doi:10.1124/jpet.122.001570); the rule for such ligands is methadone's 1.5",
            note="1.0 (morphine's) before session 20; the rule was written before any run",
        ),
        "monoacetylmorphine": assumed(
            1.5,
            "1",
            reason="more efficacious than morphine in rat thalamus and at the human MOR "
            "([35S]GTPgammaS, Selley et al. 2001, Biochem Pharmacol 62:447; abstract, no tau), "
            "via Milella 2023 (doi:10.1038/s41398-023-02406-5); the rule for such ligands is "
            "methadone's 1.5",
            note="1.0 (morphine's) before session 20",
        ),
        "oxycodone": assumed(
            1.0,
            "1",
            reason="lower in vivo efficacy than morphine (Pawar 2007, order only): morphine's "
            "taken for want of a number",
        ),
        "methadone": assumed(
            1.5,
            "1",
            reason="higher efficacy than morphine (GTPgammaS order, Negus 2018; no tau): the "
            "previous 30/20 ratio of full-agonist efficacies kept",
        ),
        "buprenorphine": derived(
            0.01827,
            "1",
            [DAHAN_2005],
            how="isohypercapnic ventilation levels off at ~50% of baseline from 3 ug/kg IV "
            "(Dahan 2005, human): at full occupancy tau_resp = efficacy x "
            "respiratory_coupling = 1, so efficacy = 1 / 54.73",
            species="human",
            confidence="medium",
            note="a weak partial agonist at the LC (Virk 2009): maximal LC signal 0.70 "
            "(morphine 0.99). Derived assuming full occupancy at the ceiling doses; with the "
            "PET-fitted KD (0.1304 nM; 0.0989 before session 11 gave 35 and 52 %, 25 and 33 %) "
            "4.3 and 8.6 ug/kg IV occupy only 28 and 45 % at peak and remove 21 and 30 % of "
            "the drive (ceiling ~50 % observed): the two data sets disagree under this PK. "
            "The methadone induction bracket (calibration data) gives a COWS rise of 4.2 at "
            "6 h (4.9 with the session-10 KD) and 0 at 72 h",
        ),
        "naltrexone": assumed(0.0, "1", reason="neutral antagonist"),
        "naltrexol": assumed(0.0, "1", reason="neutral antagonist"),
        "naloxone": assumed(0.0, "1", reason="neutral antagonist"),
        "beta_endorphin": assumed(
            1.0,
            "1",
            reason="full agonist (118% of DAMGO in GTPgammaS, Mol Pain 2011); morphine's value",
        ),
        "dynorphin": assumed(
            1.0,
            "1",
            reason="full agonist at MOR-1 (132% of DAMGO, Mol Pain 2011); morphine's value",
        ),
    },
}


def rates(state, params, inputs):
    """Return (derivatives, outputs); pure arithmetic on floats, arrays, units or symbols."""
    d_occupancy, outputs = competitive_binding(
        state.occupancy,
        inputs.concentration,
        inputs.drug_mask,
        params.dissociation_rate,
        params.dissociation_constant,
    )
    outputs["stimulus"] = total(params.relative_efficacy * state.occupancy)
    return {"occupancy": d_occupancy}, outputs
