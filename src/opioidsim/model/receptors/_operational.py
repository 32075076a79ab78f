"""Operational model of agonism (Black & Leff 1983) with a slope, per effect pathway.

For one agonist A the operational model gives

    E / Em = tau^n [A]^n / (([A] + KA)^n + tau^n [A]^n) = (tau rho)^n / (1 + (tau rho)^n)

with rho = [A] / ([A] + KA) the occupancy. tau = epsilon [R] / KE is the product of the
ligand's intrinsic efficacy epsilon and the pathway's coupling [R] / KE (receptor density
over the transducer's half-effect). With several ligands competing, the pathway reads the
efficacy-weighted occupancy ``stimulus = sum_i epsilon_i rho_i`` (efficacy relative to
morphine), so for morphine alone tau is the pathway's ``coupling``:

    response = (coupling * availability * stimulus)^slope
               / (1 + (coupling * availability * stimulus)^slope)

``availability`` (receptors neither desensitised nor internalised) scales [R] and so every
ligand's tau: for a full agonist (coupling x efficacy >> 1) losing receptors first shifts
the dose-response to the right and lowers its ceiling only once the reserve is gone.
"""

from opioidsim.model.math import hill


def pathway_response(stimulus, coupling, slope):
    """Fraction of the pathway's maximal response at an efficacy-weighted occupancy: a Hill
    function of the stimulus with half effect 1 / coupling."""
    return hill(coupling * stimulus, 1, slope)


def above_rest(response, resting_response):
    """Response above the endogenous tone, scaled so that the maximum stays 1."""
    return (response - resting_response) / (1 - resting_response)
