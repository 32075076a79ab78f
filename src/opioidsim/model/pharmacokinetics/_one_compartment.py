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

from opioidsim.model.declare import Module, Route, Scalar

_BOUNDS = (0, 1e12)


def module(name: str, description: str, routes: dict[str, Route]) -> Module:
    """The declaration of a one-compartment drug: states, outputs and scale inputs."""
    return Module(
        name=name,
        description=description,
        inputs={
            "clearance_scale": Scalar("1", "allometric clearance factor", default=1.0),
            "volume_scale": Scalar("1", "allometric volume factor", default=1.0),
        },
        states={
            "gut_amount": Scalar(
                "nmol", "bioavailable oral dose not yet absorbed", bounds=_BOUNDS
            ),
            "central_amount": Scalar("nmol", f"{name} in the body", bounds=_BOUNDS),
            "effect_site_concentration": Scalar(
                "nM", "biophase concentration (plasma-equivalent, total)", bounds=_BOUNDS
            ),
        },
        outputs={
            "plasma_concentration": Scalar("nM", "total plasma concentration"),
            "brain_concentration": Scalar("nM", "unbound brain (biophase) concentration"),
        },
        routes=routes,
        molar_mass="molar_mass",
        species=("human",),
    )


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
