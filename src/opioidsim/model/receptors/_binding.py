"""Competitive, kinetic binding shared by the receptor modules (mu, kappa).

d occupancy_i/dt = association_rate_i * concentration_i * free_fraction
                   - dissociation_rate_i * occupancy_i
association_rate_i = dissociation_rate_i
                     / (dissociation_constant_i * physiological_affinity_shift_i)
free_fraction    = 1 - sum_j occupancy_j
stimulus         = sum_i operational_efficacy_i * occupancy_i
signal           = stimulus / (1 + stimulus)      (operational model, slope 1)
"""

from opioidsim.model.math import total


def competitive_binding(occupancy, concentration, drug_mask, params):
    """Return (d_occupancy, outputs) for one receptor type."""
    total_occupancy = total(occupancy)
    free_fraction = 1 - total_occupancy
    # In vivo (sodium, GTP) agonists bind the receptor's low-affinity state; the shift lowers
    # their association rate, keeping the measured dissociation rate.
    association_rate = params.dissociation_rate / (
        params.dissociation_constant * params.physiological_affinity_shift
    )
    d_occupancy = (
        association_rate * concentration * free_fraction - params.dissociation_rate * occupancy
    )
    stimulus = total(params.operational_efficacy * occupancy)
    outputs = {
        "free_fraction": free_fraction,
        "total_occupancy": total_occupancy,
        "drug_occupancy": total(drug_mask * occupancy),
        "stimulus": stimulus,
        "signal": stimulus / (1 + stimulus),
    }
    return d_occupancy, outputs
