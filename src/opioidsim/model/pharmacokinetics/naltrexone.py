"""Naltrexone and 6beta-naltrexol: oral tablets and the 380 mg extended-release depot.

Disposition after Dunbar et al. 2007 (popPK of naltrexone and 6beta-naltrexol, 453
subjects) and Meyer et al. 1984 (t1/2 ~4 h; 6beta-naltrexol t1/2 12-13 h); the depot after
the Vivitrol label and Dunbar et al. 2006 (apparent t1/2 5-7 d, measurable >= 31 d).

States (amounts in nmol, concentrations in nM):

    d gut_amount/dt        = - oral_absorption_rate * gut_amount
    d first_pass_amount/dt = - oral_absorption_rate * first_pass_amount
    d depot_burst_amount/dt     = - depot_burst_rate * depot_burst_amount
    d depot_hydrating_amount/dt = - depot_hydration_rate * depot_hydrating_amount
    d depot_releasing_amount/dt = depot_hydration_rate * depot_hydrating_amount
                                  - depot_release_rate * depot_releasing_amount
    d depot_eroding_1/dt = - depot_erosion_stage_rate * depot_eroding_1
    d depot_eroding_k/dt = depot_erosion_stage_rate * (depot_eroding_(k-1) - depot_eroding_k)
                           (k = 2, 3)
    d central_amount/dt  = oral_absorption_rate * gut_amount
                           + depot_burst_rate * depot_burst_amount
                           + depot_release_rate * depot_releasing_amount
                           + depot_erosion_stage_rate * depot_eroding_3
                           - clearance * plasma_concentration
    d naltrexol_amount/dt = naltrexol_formation_fraction
                            * (clearance * plasma_concentration
                               + oral_absorption_rate * first_pass_amount)
                            - naltrexol_clearance * naltrexol_plasma_concentration
                            - naltrexol_distribution
    d naltrexol_peripheral_amount/dt = naltrexol_distribution
    d effect_site_concentration/dt = effect_site_rate * (plasma_concentration
                                                         - effect_site_concentration)
    d naltrexol_effect_site_concentration/dt
        = naltrexol_effect_site_rate * (naltrexol_plasma_concentration
                                        - naltrexol_effect_site_concentration)

    plasma_concentration           = central_amount / volume
    naltrexol_plasma_concentration = naltrexol_amount / naltrexol_central_volume
    naltrexol_distribution         = naltrexol_intercompartmental_clearance
                                     * (naltrexol_plasma_concentration
                                        - naltrexol_peripheral_amount
                                          / naltrexol_peripheral_volume)
    brain_concentration            = plasma_unbound_fraction * effect_site_concentration
    naltrexol_brain_concentration  = naltrexol_plasma_unbound_fraction
                                     * naltrexol_brain_unbound_partition
                                     * naltrexol_effect_site_concentration

Clearances are multiplied by ``clearance_scale`` and volumes by ``volume_scale``.

Routes
- ``oral``: tablets, dosed as **naltrexone hydrochloride** (50 mg HCl = 45.2 mg base; the
  route's molar mass is ``hydrochloride_molar_mass``). oral_bioavailability of the dose goes
  to gut_amount; the rest (first_pass_amount) is metabolised on its first pass, to
  6beta-naltrexol in the fraction naltrexol_formation_fraction (the rest is conjugated).
- ``im_depot``: extended-release microspheres (380 mg), dosed as naltrexone **base**. PLGA
  microspheres release in three phases (burst, hydration lag, erosion): a fraction
  depot_burst_fraction (surface drug) is absorbed first-order ("burst"); of the rest, the
  fraction 1 - depot_eroding_fraction (the outer, early-hydrating microsphere drug) passes two
  first-order steps (hydration, then release), and depot_eroding_fraction is released as the
  polymer erodes, an Erlang delay of 3 first-order stages (mean 3 / depot_erosion_stage_rate).
  The parallel paths are linear, so exposure is dose-proportional (Dunbar 2006: 190 vs 380 mg).

What the depot reproduces (Vivitrol label shape, Dunbar 2006), and what it predicts:
- depot_burst_rate 1.0 /h: the transient first peak at ~2 h (model 2.2 h);
- depot_burst_fraction 0.03: the first peak's height ~10 ng/mL, which rests on a recalled,
  unverified Cmax of 10-12 ng/mL;
- depot_hydration_rate 1.0 /d, depot_release_rate, depot_eroding_fraction and
  depot_erosion_stage_rate are fitted together (scipy Nelder-Mead, 3 erosion stages fixed) to
  the label's shape: second peak at 2.5 d (label 2-3 d) and no later level above it, level at
  day 14 close to the second peak ("beginning approximately 14 days after dosing,
  concentrations slowly decline"; target 0.85, the most the shape allows), and an apparent
  t1/2 of 6 d between days 14 and 35 (Dunbar 2006: 5-7 d). Result: second peak 2.4 d
  (5.2 ng/mL), a plateau up to 0.985 of it to day ~10, day 14 at 0.84, t1/2 6.0 d;
- predicted, not fitted: ~1.07 ng/mL on day 28 (1-2 ng/mL is treated as therapeutic at the end
  of the interval, Castillo 2024, a validation data set kept out of the fit) and measurable
  beyond day 31;
- depot_bioavailability 1 (no first pass after IM).
The 28-day AUC is 2533 ng.h/mL (93% of 380 mg / CL), ~1.0 x that of 28 daily 50 mg tablets
at the F 0.28 now used (label 3-4 x; see below). Until session 11 the depot had one
first-order erosion step, which declined right after the second peak (day 14 at ~37 % of it,
day 28 at 0.77 ng/mL).

Oral bioavailability: the conflict. Meyer 1984 gives 0.05; the Vivitrol label's 3-4 x
28-day AUC ratio needs 0.07-0.09 (with depot bioavailability 1 and 93% released by day
28); the Swiss label's oral Cmax of 13.3 ng/mL at 1 h after 50 mg needs 0.28 with this
clearance and t1/2 (the US label's range is 5-40%). The oral route drives the fitted mu
binding (Rabiner 2011 PET and Lee 1988 blockade both follow oral doses), and an
under-predicted oral exposure is absorbed into the fitted affinity, so the oral data win:
0.28 (it was 0.08, which gave Cmax 3.8 ng/mL). No disposition fixes both: with Tmax 1 h and
t1/2 4 h, Cmax/AUC is at most ~1/2.7 h for first-order absorption, so Cmax 13.3 ng/mL needs an
AUC >= 36 ng.h/mL, twice what F 0.08 and CL 140 L/h give; a peripheral compartment only
moves the optimum back to one compartment (fitted with Cmax, Tmax and the 4-24 h t1/2).
F 0.28 is supported by Bertolotti 1997's controls (naltrexone AUC0-24 200 +/- 97 ng.h/mL
after 100 mg; the model gives 89 after 50 mg, 100 +/- 49 expected). Known misfit that
follows: the depot/oral 28-day AUC ratio is ~1.0 (label 3-4).

What the label's 3-4 x compares. The label says "total naltrexone exposure is 3- to 4-fold
higher" after one 380 mg injection than after 50 mg daily over 28 days: naltrexone against
naltrexone ("total" is the whole interval, not naltrexone plus 6beta-naltrexol), and the oral
curve is Dunbar 2006's own multiple-dose group (healthy volunteers, n = 14, 50 mg daily for
5 days, extrapolated beyond day 5). No depot change can close the gap: the depot is already
at bioavailability 1 and its clearance is Dunbar 2007's depot popPK estimate, so with the
model's depot AUC the 3-4 x needs an oral AUC of 23-30 ng.h/mL per 50 mg tablet (F 0.07-0.09
at 140 L/h). That is Meyer 1984's oral exposure (F 0.05 at 94 L/h: ~24 ng.h/mL): the label's
ratio implies that Dunbar's volunteers had about Meyer's oral exposure, ~3.5 x below
Bertolotti's controls and the Swiss label's Cmax. Dunbar 2006's oral AUC itself was not seen
(abstract only). The conflict is between oral studies, not between depot and oral; F stays
0.28 until the oral AUC of Dunbar's group is read.

6beta-naltrexol has two compartments, solved so that 50 mg oral gives Bertolotti 1997's
AUC0-24 (1234 ng.h/mL, halved from 100 mg), the label's Cmax ~108 ng/mL at ~1 h and t1/2
12.5 h: clearance 23.3 L/h. Dunbar 2007's depot popPK (CL/fm 65 L/h) and Meyer 1984's
urine recovery (68 L/h) give about twice that, which halves the oral 6beta-naltrexol
exposure (the model used 52 L/h until session 10: AUC ratio 7.7 against 10-30); the oral
study measured both analytes in the same subjects and is used. The model's
6beta-naltrexol/naltrexone ratio at 2 h is 8.8 (Bertolotti 10.9 +/- 4.8) and over all time
17 (10-30).

Species: human and rat. Rat (0.25 kg): one compartment from Akala 2008 (IV, V 2.75 L/kg,
t1/2 ~1 h), 20% plasma binding (Ludden 1976), s.c. absorption ka 5 /h (peak within 0.5 h,
Misra 1976), little 6beta-naltrexol (2%), brain equilibration half-time 15 min (as rat
naloxone); oral, depot and 6beta-naltrexol disposition are the human values carried over
(not found for the rat). Nothing for the mouse.

Route ``sc`` (subcutaneous, and intraperitoneal as rodent studies give it), dosed as the
hydrochloride: the rodent pretreatment route.

Assumptions
- One compartment each (V = CL t1/2/ln2); Dunbar 2007's V of 38,300 L belongs to the
  absorption-limited depot fit and is not used; Licko 1981's 3-exponential IV fit is an
  alternative not used here (its 3H assay gives a terminal t1/2 of ~11 h, not 4 h).
- 6beta-naltrexol: of the two-compartment family meeting Cmax 108 ng/mL and terminal t1/2
  12.5 h, the peripheral volume is set at 100 L (assumed; 140 L or 300 L fit as well and
  change the 4-48 h shape, which no source seen gives).
- Oral absorption rate 3.0 /h reproduces tmax ~1 h in this structure (Licko's 0.69 /h,
  fitted with a smaller 3-compartment volume, would put tmax at 2.7 h here).
- 80% of naltrexone's clearance, systemic and first-pass, forms 6beta-naltrexol (argued:
  the primary metabolite, Wall 1981; conjugation is the other main path).
- Effect sites: Rabiner 2011 found an indirect (hysteretic) plasma-occupancy relation for
  both naltrexone and 6beta-naltrexol; no ke0 was found. Naltrexone's biophase is fitted
  (t1/2 ~43 h, with the mu KD, to Lee 1988's blockade at 48-168 h and Rabiner's dose-blockade
  within 8 h): it stands for retention of naltrexone in brain tissue, which Lee's blockade
  half-time (72-108 h) requires and plasma (t1/2 4 h) cannot give. In the first hours after a
  tablet the blockade is therefore mostly 6beta-naltrexol's (t1/2ke0 45 min, argued from
  blockade testing being advised 1-2 h after an oral dose). 6beta-naltrexol crosses
  the blood-brain barrier poorly (peripherally selective, ~10-fold in animals): unbound
  brain partition 0.1.
"""

from opioidsim.model.declare import (
    Module,
    Route,
    Scalar,
    assumed,
    calibrated,
    derived,
    measured,
)
from opioidsim.model.pharmacokinetics._exchange import clearance_exchange
from opioidsim.model.sources import (
    AKALA_2008,
    BERTOLOTTI_1997,
    DUNBAR_2006,
    DUNBAR_2007,
    LUDDEN_1976,
    MEYER_1984,
    MISRA_1976,
    PUBCHEM_2023,
    SWISS_NALTREXONE_LABEL,
    VIVITROL_LABEL,
)

_BOUNDS = (0, 1e12)

MODULE = Module(
    name="naltrexone",
    description="naltrexone and 6beta-naltrexol pharmacokinetics (oral, IM depot), effect sites",
    inputs={
        "clearance_scale": Scalar("1", "allometric clearance factor", default=1.0),
        "volume_scale": Scalar("1", "allometric volume factor", default=1.0),
    },
    states={
        "gut_amount": Scalar("nmol", "bioavailable oral dose not yet absorbed", bounds=_BOUNDS),
        "first_pass_amount": Scalar(
            "nmol", "oral dose to be metabolised on its first pass", bounds=_BOUNDS
        ),
        "subcutaneous_amount": Scalar("nmol", "s.c. dose not yet absorbed", bounds=_BOUNDS),
        "depot_burst_amount": Scalar("nmol", "depot surface drug (burst)", bounds=_BOUNDS),
        "depot_hydrating_amount": Scalar(
            "nmol", "depot microspheres not yet releasing", bounds=_BOUNDS
        ),
        "depot_releasing_amount": Scalar(
            "nmol", "depot early-hydrating microspheres, releasing", bounds=_BOUNDS
        ),
        **{
            f"depot_eroding_{stage}": Scalar(
                "nmol", f"depot microspheres in erosion stage {stage} of 3", bounds=_BOUNDS
            )
            for stage in (1, 2, 3)
        },
        "central_amount": Scalar("nmol", "naltrexone in the body", bounds=_BOUNDS),
        "naltrexol_amount": Scalar(
            "nmol", "6beta-naltrexol in its central compartment", bounds=_BOUNDS
        ),
        "naltrexol_peripheral_amount": Scalar(
            "nmol", "6beta-naltrexol in its peripheral compartment", bounds=_BOUNDS
        ),
        "effect_site_concentration": Scalar(
            "nM", "naltrexone biophase concentration (plasma-equivalent)", bounds=_BOUNDS
        ),
        "naltrexol_effect_site_concentration": Scalar(
            "nM", "6beta-naltrexol biophase concentration (plasma-equivalent)", bounds=_BOUNDS
        ),
    },
    outputs={
        "plasma_concentration": Scalar("nM", "naltrexone total plasma concentration"),
        "brain_concentration": Scalar("nM", "naltrexone unbound brain (biophase) concentration"),
        "naltrexol_plasma_concentration": Scalar("nM", "6beta-naltrexol plasma concentration"),
        "naltrexol_brain_concentration": Scalar(
            "nM", "6beta-naltrexol unbound brain (biophase) concentration"
        ),
    },
    ligands={"naltrexone": "brain_concentration", "naltrexol": "naltrexol_brain_concentration"},
    routes={
        "oral": Route(
            "oral tablet (naltrexone hydrochloride)",
            {
                "gut_amount": ("oral_bioavailability",),
                "first_pass_amount": ("1-oral_bioavailability",),
            },
            molar_mass="hydrochloride_molar_mass",
        ),
        "sc": Route(
            "subcutaneous (or intraperitoneal) injection, as in rodent studies (HCl)",
            {"subcutaneous_amount": ()},
            molar_mass="hydrochloride_molar_mass",
        ),
        "im_depot": Route(
            "extended-release microspheres, 380 mg IM every 4 weeks (naltrexone base)",
            {
                "depot_burst_amount": ("depot_bioavailability", "depot_burst_fraction"),
                "depot_hydrating_amount": (
                    "depot_bioavailability",
                    "1-depot_burst_fraction",
                    "1-depot_eroding_fraction",
                ),
                "depot_eroding_1": (
                    "depot_bioavailability",
                    "1-depot_burst_fraction",
                    "depot_eroding_fraction",
                ),
            },
        ),
    },
    molar_mass="molar_mass",
    species=("human", "rat"),
)

_LABEL = "Vivitrol label / HCP site (no DOI/PMID)"
_DEPOT_FIT = (
    "fitted with the other depot shape values (scipy Nelder-Mead, 3 erosion stages) to the "
    f"label's shape ({_LABEL}): second peak 2.5 d (2-3 d), level at day 14 close to the second "
    "peak (decline 'beginning approximately 14 days after dosing'), apparent t1/2 6 d between "
    "days 14 and 35 (Dunbar 2006: 5-7 d), no later level above the second peak; model 2.4 d, "
    "0.84, 6.0 d"
)
_SWISS = "Swiss naltrexone label (no DOI/PMID)"
_ORAL_CMAX = (
    "13.3 ng/mL at 1 h after 50 mg HCl (Cmax), naltrexone t1/2 4 h, 6beta-naltrexol ~108 ng/mL "
    "at ~1 h, t1/2 12.5 h (12-13 h, Meyer 1984; 13 h, Swiss label)"
)
_EFFECT_SITE = (
    "t1/2ke0 45 min (argued 30-60 min): Rabiner 2011 reports an indirect plasma-occupancy "
    "relation (hysteresis) for 6beta-naltrexol but no ke0; blockade testing is advised 1-2 h "
    "after an oral dose (Trostheim 2022 planner) while plasma peaks at ~1 h. Naltrexone's own "
    "biophase is fitted (slow, Lee 1988); 6beta-naltrexol, more polar, is not given that "
    "retention"
)

PARAMETERS_BY_SPECIES = {
    "human": {
        "molar_mass": derived(
            341.41,
            "g/mol",
            [PUBCHEM_2023],
            how="C20H23NO4 (naltrexone base, anhydrous) with IUPAC standard atomic weights; "
            "Vivitrol label gives 341.41",
            note="im_depot doses are naltrexone base",
        ),
        "hydrochloride_molar_mass": derived(
            377.9,
            "g/mol",
            [PUBCHEM_2023],
            how="C20H23NO4.HCl with IUPAC standard atomic weights",
            note="oral tablets are labelled as naltrexone hydrochloride",
        ),
        "clearance": measured(
            140.0,
            "L/h",
            DUNBAR_2007,
            species="human",
            confidence="high",
            note="+0.548 L/h/kg weight, 23% higher in dependent patients; alternatives 94 "
            "L/h (Meyer 1984, assumes F 0.05), 211 L/h (Licko 1981, IV)",
        ),
        "volume": derived(
            808.0,
            "L",
            [DUNBAR_2007, MEYER_1984],
            how="V = CL t1/2 / ln2 = 140 L/h x 4 h / 0.693 (oral t1/2 ~4 h, Meyer 1984)",
            species="human",
        ),
        "oral_bioavailability": derived(
            0.28,
            "1",
            [SWISS_NALTREXONE_LABEL, DUNBAR_2007, MEYER_1984],
            how="F giving the label Cmax 13.3 ng/mL at 1 h after 50 mg HCl (45.2 mg base) "
            "with CL 140 L/h, V 808 L, ka 3.0 /h: Cmax 3.755 ng/mL x 0.28/0.08 = 13.1",
            species="human",
            note="conflicts with Meyer 1984 (0.05) and with the Vivitrol 28-day AUC ratio 3-4 x "
            "(VIVITROL_LABEL: oral comparator Dunbar 2006's healthy volunteers, n = 14), which "
            "needs 0.07-0.09; US label range 5-40%",
        ),
        "oral_absorption_rate": derived(
            3.0,
            "1/h",
            [MEYER_1984],
            how=f"ka solving tmax = ln(ka/k)/(ka-k) = 1 h ({_SWISS}: Cmax at ~1 h) with "
            "k = ln2/4 h",
            species="human",
        ),
        "naltrexol_formation_fraction": assumed(
            0.8,
            "1",
            reason="6beta-naltrexol (dihydrodiol dehydrogenase) is the primary metabolite; "
            "conjugated naltrexone is the other main path (Wall 1981)",
        ),
        "naltrexol_clearance": derived(
            23.29,
            "L/h",
            [BERTOLOTTI_1997, SWISS_NALTREXONE_LABEL, MEYER_1984],
            how="solved with naltrexol_central_volume and naltrexol_intercompartmental_clearance "
            "(peripheral volume 100 L) so that 50 mg oral gives Bertolotti 1997's "
            "6beta-naltrexol AUC0-24 (2467 ng.h/mL after 100 mg, halved: dose-linear, Meyer "
            "1984), Cmax ~108 ng/mL (Swiss label) and t1/2 12.5 h",
            species="human",
            note="was 52.0 (0.8 x Dunbar 2007's apparent CL/fm 65.1 L/h from the depot popPK; "
            "68 L/h from Meyer 1984's urine recovery), which gave half Bertolotti's "
            "6beta-naltrexol AUC and a naltrexol/naltrexone ratio of 7.7 (10-30 in secondary "
            "sources, 12.3 over 0-24 h in Bertolotti)",
        ),
        "naltrexol_central_volume": derived(
            217.4,
            "L",
            [BERTOLOTTI_1997, SWISS_NALTREXONE_LABEL, MEYER_1984],
            how="solved with naltrexol_clearance (see there)",
            species="human",
            confidence="low",
        ),
        "naltrexol_intercompartmental_clearance": derived(
            10.93,
            "L/h",
            [BERTOLOTTI_1997, SWISS_NALTREXONE_LABEL, MEYER_1984],
            how="solved with naltrexol_clearance (see there)",
            species="human",
            confidence="low",
        ),
        "naltrexol_peripheral_volume": assumed(
            100.0,
            "L",
            reason="picks one member of the family of two-compartment fits to the label's "
            "Cmax ~108 ng/mL and t1/2 12.5 h; no source gives the 4-48 h shape",
        ),
        "depot_bioavailability": assumed(
            1.0, "1", reason=f"no first pass after IM; 'well absorbed' ({_LABEL})"
        ),
        "depot_burst_fraction": derived(
            0.03,
            "1",
            [DUNBAR_2006, VIVITROL_LABEL],
            how="height of the transient ~2 h peak, ~10 ng/mL, using the recalled, "
            f"unverified Vivitrol Cmax 10-12 ng/mL ({_LABEL})",
            species="human",
            confidence="low",
        ),
        "depot_burst_rate": derived(
            1.0,
            "1/h",
            [DUNBAR_2006, VIVITROL_LABEL],
            how=f"places the transient first peak at ~2 h ({_LABEL}); model 2.2 h",
            species="human",
        ),
        "depot_hydration_rate": derived(
            1.0,
            "1/d",
            [DUNBAR_2006, VIVITROL_LABEL],
            how="the early path's hydration step; kept from the one-path depot (second peak "
            f"at 2-3 d, {_LABEL}) and held fixed in the depot shape fit",
            species="human",
        ),
        **{
            name: derived(
                value,
                unit,
                [DUNBAR_2006, VIVITROL_LABEL],
                how=_DEPOT_FIT,
                species="human",
                confidence="low",
                note=note,
            )
            for name, value, unit, note in (
                ("depot_release_rate", 0.4423, "1/d", "release of the early path, 1 / 2.26 d"),
                ("depot_eroding_fraction", 0.8232, "1", "share of microsphere drug that erodes"),
                (
                    "depot_erosion_stage_rate",
                    0.2010,
                    "1/d",
                    "3 stages: mean erosion delay 14.9 d",
                ),
            )
        },
        "effect_site_rate": calibrated(
            0.01613,
            "1/h",
            against="lee_1988_naltrexone_blockade_duration",
            species="human",
            note="brain (biophase) equilibration, t1/2 43 h (37 h before 6beta-naltrexol's "
            "clearance came from Bertolotti 1997): holds the blockade for days "
            "after plasma naltrexone is gone (Lee 1988); fitted with the mu KD to Lee 1988 and "
            "Rabiner 2011 as a PEtab problem solved with pyPESTO (opioidsim calibrate "
            "naltrexone-mu-binding): profile 95 % interval 0.00873-0.0236; 0.01606 by "
            "unweighted least squares in sessions 9-17. An effective value "
            "(retention in brain tissue), not a measured transfer rate. Was t1/2 45 min "
            "(assumed) with a slow receptor koff",
        ),
        "naltrexol_effect_site_rate": assumed(0.0154, "1/min", reason="ln 2 / " + _EFFECT_SITE),
        "plasma_unbound_fraction": assumed(
            0.79, "1", reason=f"21% protein bound ({_SWISS})", confidence="medium"
        ),
        "naltrexol_plasma_unbound_fraction": assumed(
            0.8, "1", reason="not found; taken like naltrexone"
        ),
        "naltrexol_brain_unbound_partition": assumed(
            0.1,
            "1",
            reason="6beta-naltrexol is peripherally selective, ~10-fold peripheral:central "
            "potency separation in animals (secondary source)",
        ),
        "subcutaneous_absorption_rate": assumed(
            5.0,
            "1/h",
            reason="rat value (plasma peak within 0.5 h after s.c., Misra 1976); no human s.c. "
            "naltrexone data",
        ),
    },
}

# Rat: Akala et al. 2008 (Wistar, IV): volume 2.5-3 L/kg and t1/2 ~1 h (abstract; its own
# statement that clearance approaches hepatic blood flow conflicts with those two numbers:
# the t1/2 is kept). Rats form very little 6beta-naltrexol (Malspeis 1975, PMID 810832).
# The remaining entries are the human values carried over (species says so).
PARAMETERS_BY_SPECIES["rat"] = {
    **PARAMETERS_BY_SPECIES["human"],
    "volume": derived(
        0.69,
        "L",
        [AKALA_2008],
        how="2.75 L/kg (2.5-3) x 0.25 kg",
        species="rat",
        confidence="low",
    ),
    "clearance": derived(
        0.478,
        "L/h",
        [AKALA_2008],
        how="ln 2 / 1 h x 0.69 L (t1/2 ~1 h)",
        species="rat",
        confidence="low",
    ),
    "subcutaneous_absorption_rate": derived(
        5.0,
        "1/h",
        [MISRA_1976],
        how="plasma and brain peak within 0.5 h of 10 mg/kg s.c.: ka >= 5 /h",
        species="rat",
        confidence="low",
    ),
    "naltrexol_formation_fraction": assumed(
        0.02,
        "1",
        reason="rats form very little 6beta-naltrexol (Malspeis 1975, PMID 810832; Misra "
        "1976); 2% taken",
    ),
    "plasma_unbound_fraction": measured(
        0.8,
        "1",
        LUDDEN_1976,
        species="rat",
        confidence="medium",
        note="20% bound to plasma proteins",
    ),
    "effect_site_rate": assumed(
        2.77,
        "1/h",
        reason="brain equilibration half-time 15 min, as naloxone's brain efflux in the rat "
        "(Suzuki 2010: 15.1 min); no naltrexone value found",
    ),
}


def rates(state, params, inputs):
    """Return (derivatives, outputs)."""
    clearance = params.clearance * inputs.clearance_scale
    volume = params.volume * inputs.volume_scale
    naltrexol_clearance = params.naltrexol_clearance * inputs.clearance_scale
    naltrexol_volume = params.naltrexol_central_volume * inputs.volume_scale

    plasma_concentration = state.central_amount / volume
    naltrexol_plasma_concentration = state.naltrexol_amount / naltrexol_volume

    oral_absorption = params.oral_absorption_rate * state.gut_amount
    subcutaneous_absorption = params.subcutaneous_absorption_rate * state.subcutaneous_amount
    first_pass_metabolism = params.oral_absorption_rate * state.first_pass_amount
    burst_release = params.depot_burst_rate * state.depot_burst_amount
    hydration = params.depot_hydration_rate * state.depot_hydrating_amount
    early_release = params.depot_release_rate * state.depot_releasing_amount
    erosion_1 = params.depot_erosion_stage_rate * state.depot_eroding_1
    erosion_2 = params.depot_erosion_stage_rate * state.depot_eroding_2
    erosion_release = params.depot_erosion_stage_rate * state.depot_eroding_3
    elimination = clearance * plasma_concentration
    naltrexol_distribution = clearance_exchange(
        params.naltrexol_intercompartmental_clearance * inputs.clearance_scale,
        naltrexol_plasma_concentration,
        state.naltrexol_peripheral_amount,
        params.naltrexol_peripheral_volume * inputs.volume_scale,
    )

    derivatives = {
        "gut_amount": -oral_absorption,
        "first_pass_amount": -first_pass_metabolism,
        "subcutaneous_amount": -subcutaneous_absorption,
        "depot_burst_amount": -burst_release,
        "depot_hydrating_amount": -hydration,
        "depot_releasing_amount": hydration - early_release,
        "depot_eroding_1": -erosion_1,
        "depot_eroding_2": erosion_1 - erosion_2,
        "depot_eroding_3": erosion_2 - erosion_release,
        "central_amount": oral_absorption
        + subcutaneous_absorption
        + burst_release
        + early_release
        + erosion_release
        - elimination,
        "naltrexol_amount": params.naltrexol_formation_fraction
        * (elimination + first_pass_metabolism)
        - naltrexol_clearance * naltrexol_plasma_concentration
        - naltrexol_distribution,
        "naltrexol_peripheral_amount": naltrexol_distribution,
        "effect_site_concentration": params.effect_site_rate
        * (plasma_concentration - state.effect_site_concentration),
        "naltrexol_effect_site_concentration": params.naltrexol_effect_site_rate
        * (naltrexol_plasma_concentration - state.naltrexol_effect_site_concentration),
    }
    outputs = {
        "plasma_concentration": plasma_concentration,
        "brain_concentration": params.plasma_unbound_fraction * state.effect_site_concentration,
        "naltrexol_plasma_concentration": naltrexol_plasma_concentration,
        "naltrexol_brain_concentration": params.naltrexol_plasma_unbound_fraction
        * params.naltrexol_brain_unbound_partition
        * state.naltrexol_effect_site_concentration,
    }
    return derivatives, outputs
