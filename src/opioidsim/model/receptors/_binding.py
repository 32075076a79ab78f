"""Competitive, kinetic binding shared by the receptor modules (mu, kappa).

d occupancy_i/dt = association_rate_i * concentration_i * free_fraction
                   - dissociation_rate_i * occupancy_i
association_rate_i = dissociation_rate_i / dissociation_constant_i
free_fraction    = 1 - sum_j occupancy_j
"""

from opioidsim.model.math import total


def competitive_binding(
    occupancy, concentration, drug_mask, dissociation_rate, dissociation_constant
):
    """Return (d_occupancy, outputs) for one receptor type.

    ``dissociation_constant`` is the in vivo value the ligand binds with (sodium, GTP and
    temperature included); the association rate follows from it and the dissociation rate.
    """
    total_occupancy = total(occupancy)
    free_fraction = 1 - total_occupancy
    association_rate = dissociation_rate / dissociation_constant
    d_occupancy = association_rate * concentration * free_fraction - dissociation_rate * occupancy
    outputs = {
        "free_fraction": free_fraction,
        "total_occupancy": total_occupancy,
        "drug_occupancy": total(drug_mask * occupancy),
    }
    return d_occupancy, outputs
