"""Shared equations of one-compartment drugs with first-order oral absorption.

    d gut_amount/dt     = - oral_absorption_rate * gut_amount
    d central_amount/dt = oral_absorption_rate * gut_amount - clearance * plasma_concentration
    d effect_site_concentration/dt = effect_site_rate * (plasma_concentration
                                                         - effect_site_concentration)
    plasma_concentration = central_amount / volume
    brain_concentration  = plasma_unbound_fraction * effect_site_concentration

Clearance is multiplied by ``clearance_scale`` and the volume by ``volume_scale``. IV doses
go into ``central_amount``; oral doses (times bioavailability) into ``gut_amount``.
"""


def rates(state, params, inputs):
    """Return (derivatives, outputs) of a one-compartment drug with oral absorption."""
    clearance = params.clearance * inputs.clearance_scale
    volume = params.volume * inputs.volume_scale
    plasma_concentration = state.central_amount / volume
    absorption = params.oral_absorption_rate * state.gut_amount
    derivatives = {
        "gut_amount": -absorption,
        "central_amount": absorption - clearance * plasma_concentration,
        "effect_site_concentration": params.effect_site_rate
        * (plasma_concentration - state.effect_site_concentration),
    }
    outputs = {
        "plasma_concentration": plasma_concentration,
        "brain_concentration": params.plasma_unbound_fraction * state.effect_site_concentration,
    }
    return derivatives, outputs
