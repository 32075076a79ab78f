"""Kappa-opioid receptor: kinetic, competitive binding and signalling (dynorphin's receptor).

Same mechanism as the mu receptor (see ``_binding.py`` and ``mu.py``): per-ligand
occupancy with association_rate = dissociation_rate / dissociation_constant, free receptor
shared by all ligands, operational-model signalling. Kappa signalling (dynorphin) suppresses
accumbens dopamine release and carries dysphoria; those effects belong to the reward and
neuroadaptation modules.

Ligands: dynorphin A (endogenous agonist), the antagonists naltrexone, 6beta-naltrexol and
naloxone (which block kappa at clinical doses: Trøstheim 2022), buprenorphine (kappa
antagonist / very low efficacy), morphine (weak agonist). Heroin, 6-MAM, fentanyl, oxycodone
and methadone are taken as mu-selective (kappa binding >= 100-fold weaker; no Ki found) and
do not bind here.

Assumptions
- As for mu: no ligand depletion, Hill exponent 1, fixed receptor number.
- Antagonist kappa affinities come from the mu affinity and the selectivity ratios of the
  Trøstheim 2022 planner models (naltrexone kappa ED50 = 2 x mu; naloxone 8 x mu).
"""

from opioidsim.model.declare import Module, PerLigand, Scalar, assumed, derived
from opioidsim.model.math import total
from opioidsim.model.receptors._binding import competitive_binding
from opioidsim.model.sources import HUANG_2001, MANN_2022, TROSTHEIM_2022

MODULE = Module(
    name="kappa_receptor",
    description="kappa-opioid receptor binding (all ligands, competitive) and signalling",
    inputs={
        "concentration": PerLigand("nM", "unbound brain concentration of each ligand"),
        "drug_mask": PerLigand("1", "1 for exogenous drugs, 0 for endogenous peptides"),
    },
    states={
        "occupancy": PerLigand(
            "1",
            "fraction of kappa receptors bound by the ligand",
            # a subject starts at rest: basal dynorphin at its Gaddum equilibrium
            initial={"dynorphin": "resting_occupancy_dynorphin"},
            bounds=(0.0, 1.0),
        ),
    },
    outputs={
        "free_fraction": Scalar("1", "fraction of kappa receptors with no ligand bound"),
        "total_occupancy": Scalar("1", "fraction of kappa receptors bound by any ligand"),
        "drug_occupancy": Scalar("1", "kappa receptors held by drugs: PET blockade"),
        "stimulus": Scalar("1", "efficacy-weighted occupancy (operational model)"),
        "signal": Scalar("1", "kappa signalling, fraction of the system maximum"),
    },
)

_FAST = "no kappa koff found; taken fast (t1/2 ~1 min) like the mu assumption"
_WEAK = "no kappa Ki found; argued >= 100-fold weaker than at mu (mu-selective agonist)"

PARAMETERS = {
    "resting_occupancy_dynorphin": assumed(
        0.03225806,
        "1",
        reason="a subject starts at rest: Gaddum's law (C/KD) / (1 + C/KD) of two assumed "
        "values, basal dynorphin 0.01 nM (endogenous_opioids) and this table's dynorphin KD "
        "0.3 nM; tests recompute it",
    ),
    "dissociation_rate": {
        "dynorphin": assumed(
            0.005,
            "1/s",
            reason="no koff for opioid peptides; slow wash-out "
            "of dynorphin A in tissue (Corbett 1982): middle of 1e-3..1e-2 /s",
        ),
        "morphine": assumed(0.7, "1/min", reason=_FAST),
        "buprenorphine": assumed(
            0.0172,
            "1/min",
            reason="slow like its mu dissociation (Yassen 2007); no kappa value found",
        ),
        "naltrexone": assumed(0.7, "1/min", reason=_FAST),
        "naltrexol": assumed(0.7, "1/min", reason=_FAST),
        "naloxone": assumed(
            0.03959, "1/s", reason="taken equal to its measured mu koff (Mann 2022)"
        ),
    },
    "dissociation_constant": {
        "dynorphin": assumed(
            0.3,
            "nM",
            reason="dynorphin A is the specific, high-affinity "
            "kappa ligand (Chavkin 1982); argued 0.1-0.5 nM, no number found",
        ),
        "morphine": assumed(200.0, "nM", reason=_WEAK + "; recalled range 100-300 nM"),
        "buprenorphine": assumed(
            0.5, "nM", reason="'nanomolar or subnanomolar' (Huang 2001, qualitative)"
        ),
        "naltrexone": derived(
            1.4082,
            "nM",
            [TROSTHEIM_2022],
            how="2 x its calibrated mu KD 0.7041 nM (plantrexone kappa:mu ED50 ratio 2)",
        ),
        "naltrexol": assumed(
            7.24, "nM", reason="secondary source (Wikipedia-derived), unverified"
        ),
        "naloxone": derived(
            4.7,
            "nM",
            [MANN_2022, TROSTHEIM_2022],
            how="mu KD 0.59 nM x kappa:mu ratio 8 (planoxone model)",
        ),
    },
    "physiological_affinity_shift": {
        "dynorphin": assumed(1.0, "1", reason="dynorphin's value is already argued for in vivo"),
        "morphine": assumed(20.0, "1", reason="agonist sodium shift as at mu (Pert 1973)"),
        **{
            ligand: assumed(1.0, "1", reason="antagonist: no sodium shift")
            for ligand in ("buprenorphine", "naltrexone", "naltrexol", "naloxone")
        },
    },
    "operational_efficacy": {
        "dynorphin": assumed(20.0, "1", reason="full endogenous kappa agonist"),
        "morphine": assumed(1.0, "1", reason="weak partial kappa agonist"),
        "buprenorphine": derived(
            0.0, "1", [HUANG_2001], how="kappa antagonist / very low efficacy: taken as 0"
        ),
        "naltrexone": assumed(0.0, "1", reason="neutral antagonist"),
        "naltrexol": assumed(0.0, "1", reason="neutral antagonist"),
        "naloxone": assumed(0.0, "1", reason="neutral antagonist"),
    },
}


def rates(state, params, inputs):
    """Return (derivatives, outputs)."""
    d_occupancy, outputs = competitive_binding(
        state.occupancy,
        inputs.concentration,
        inputs.drug_mask,
        params.dissociation_rate,
        # In vivo (sodium, GTP) agonists bind the receptor's low-affinity state.
        params.dissociation_constant * params.physiological_affinity_shift,
    )
    stimulus = total(params.operational_efficacy * state.occupancy)
    outputs["stimulus"] = stimulus
    outputs["signal"] = stimulus / (1 + stimulus)
    return {"occupancy": d_occupancy}, outputs
