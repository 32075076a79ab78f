"""Alpha2-adrenoceptors on locus coeruleus neurons: the target of clonidine and lofexidine.

Alpha2A autoreceptors open GIRK channels in locus coeruleus (LC) neurons and inhibit their
firing, whatever drives it: the cAMP-superactivated intrinsic drive of withdrawal and the
excitatory afferents alike (Aghajanian 1978: clonidine suppresses withdrawal LC
hyperactivity). Competitive occupancy by the agonists present, and a fractional inhibition
of LC output proportional to it (no receptor reserve assumed):

    occupancy   = sum_i (C_i / K_i) / (1 + sum_i (C_i / K_i))
    locus_coeruleus_inhibition = maximum_locus_coeruleus_inhibition * occupancy

``C_i`` are unbound brain concentrations (nM); ``neuroadaptation`` multiplies its somatic
(LC) withdrawal output by ``1 - locus_coeruleus_inhibition``.

Assumptions
- The endogenous noradrenaline tone on these receptors is folded into the LC output and not
  modelled; no alpha2 ligand besides the two drugs.
- Clonidine's constant is a functional one (plasma EC50 of its blood-pressure fall, central
  alpha2 action), not a binding Ki; lofexidine's is a rat-brain binding KD. Both agonists are
  taken as full agonists for LC inhibition.
"""

from opioidsim.model.declare import Module, Scalar, assumed, derived
from opioidsim.model.sources import FRISK_HOLMBERG_1984, WU_1999

MODULE = Module(
    name="alpha2_receptor",
    description="alpha2-adrenoceptor occupancy and locus coeruleus inhibition",
    inputs={
        "lofexidine_concentration": Scalar("nM", "unbound brain lofexidine", default=0.0),
        "clonidine_concentration": Scalar("nM", "unbound brain clonidine", default=0.0),
    },
    states={},
    outputs={
        "occupancy": Scalar("1", "alpha2 receptors occupied by agonists"),
        "locus_coeruleus_inhibition": Scalar("1", "fraction of LC output suppressed"),
    },
)

PARAMETERS = {
    "lofexidine_dissociation_constant": assumed(
        5.5,
        "nM",
        reason="3H-lofexidine KD at rat brain alpha2 sites (Timmermans et al., ~1981; "
        "abstract seen, no identifier seen); rat binding taken for human",
        species="rat",
    ),
    "clonidine_dissociation_constant": derived(
        1.98,
        "nM",
        [FRISK_HOLMBERG_1984],
        how="plasma EC50 of the blood-pressure fall 0.65 ng/mL / 230.1 g/mol = 2.83 nM total, "
        "x unbound fraction 0.7",
        species="human",
        confidence="low",
    ),
    "maximum_locus_coeruleus_inhibition": derived(
        0.85,
        "1",
        [WU_1999],
        how="LC firing -86% after clonidine 2 ug/kg IV (dog); plasma catecholamines at most "
        "-81% after clonidine 0.5 mg (Metz 1978, no identifier seen)",
        confidence="low",
    ),
}


def rates(state, params, inputs):
    """Return (derivatives, outputs); pure arithmetic on floats, arrays, units or symbols."""
    load = (
        inputs.lofexidine_concentration / params.lofexidine_dissociation_constant
        + inputs.clonidine_concentration / params.clonidine_dissociation_constant
    )
    occupancy = load / (1 + load)
    outputs = {
        "occupancy": occupancy,
        "locus_coeruleus_inhibition": params.maximum_locus_coeruleus_inhibition * occupancy,
    }
    return {}, outputs
