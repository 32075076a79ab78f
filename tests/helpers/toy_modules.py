"""Tiny modules for tests: a ligand at a constant concentration, and a broken module."""

from types import SimpleNamespace

from opioidsim.model.declare import ModelModule, Module, Route, Scalar, assumed

CONSTANT_LIGAND = ModelModule(
    declaration=Module(
        name="fentanyl",
        description="fentanyl held at a constant brain concentration (test double)",
        outputs={"brain_concentration": Scalar("nM", "constant brain concentration")},
        ligands={"fentanyl": "brain_concentration"},
    ),
    parameters={"any": {"level": assumed(2.0, "nM", reason="test")}},
    rates=lambda state, params, inputs: ({}, {"brain_concentration": params.level}),
)


def broken_rates(state, params, inputs):
    # Bug on purpose: a rate constant times a concentration gives nM/h, not nmol/h.
    return {"amount": -params.elimination_rate * params.level}, {}


BROKEN = ModelModule(
    declaration=Module(
        name="broken",
        description="d amount/dt in the wrong unit",
        states={"amount": Scalar("nmol", "an amount")},
    ),
    parameters={
        "any": {
            "elimination_rate": assumed(1.0, "1/h", reason="test"),
            "level": assumed(1.0, "nM", reason="test"),
        }
    },
    rates=broken_rates,
)

__all__ = ["BROKEN", "CONSTANT_LIGAND", "SimpleNamespace"]


def _one_compartment_rates(state, params, inputs):
    plasma_concentration = state.central_amount / params.central_volume
    return (
        {"central_amount": -params.clearance * plasma_concentration},
        {"plasma_concentration": plasma_concentration},
    )


ONE_COMPARTMENT = ModelModule(
    declaration=Module(
        name="drug",
        description="one-compartment IV drug (test double with an analytic solution)",
        states={"central_amount": Scalar("nmol", "amount", bounds=(0.0, 1e12))},
        outputs={"plasma_concentration": Scalar("nM", "concentration")},
        routes={"iv": Route("IV", {"central_amount": ()}, infusion=True)},
    ),
    parameters={
        "any": {
            "clearance": assumed(95.0, "L/h", reason="test"),
            "central_volume": assumed(276.0, "L", reason="test"),
        }
    },
    rates=_one_compartment_rates,
)
