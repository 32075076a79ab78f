"""The subject: body weight and the allometric scale factors the drug modules use.

    clearance_scale = (body_weight / reference_body_weight) ** clearance_exponent
    volume_scale    = (body_weight / reference_body_weight) ** volume_exponent

Drug modules give clearances and volumes for the species' reference body weight and multiply
them by these factors, so one scenario field (``subject.body_weight``) scales every drug.
``female`` (0 male, 1 female) carries the scenario's ``subject.sex`` to the modules that
read it (ethanol's Widmark factor).

Assumptions
- Allometric exponents 3/4 (clearance) and 1 (volume) for every drug (Anderson & Holford
  2008); drug-specific exponents belong to the population layer when sources give them.
"""

from opioidsim.model.declare import Module, Scalar, assumed, measured
from opioidsim.model.sources import ANDERSON_HOLFORD_2008, ICRP_2002

MODULE = Module(
    name="subject",
    description="body weight and allometric scaling",
    outputs={
        "body_weight": Scalar("kg", "body weight"),
        "clearance_scale": Scalar("1", "clearance relative to the reference body weight"),
        "volume_scale": Scalar("1", "volume relative to the reference body weight"),
        "female": Scalar("1", "1 for a female subject, 0 for a male (the scenario's sex)"),
    },
)

_ALLOMETRY = {
    "clearance_exponent": measured(
        0.75, "1", ANDERSON_HOLFORD_2008, species="mammals", confidence="high"
    ),
    "volume_exponent": measured(
        1.0, "1", ANDERSON_HOLFORD_2008, species="mammals", confidence="high"
    ),
    "female": assumed(
        0.0,
        "1",
        reason="the reference subject is male; a scenario's subject.sex (and a population's "
        "female_fraction) sets 1 for a female subject",
    ),
}

PARAMETERS_BY_SPECIES = {
    "human": {
        "body_weight": measured(
            70.0,
            "kg",
            ICRP_2002,
            species="human",
            confidence="high",
            note="reference adult; a scenario sets the subject's own",
        ),
        "reference_body_weight": measured(
            70.0, "kg", ICRP_2002, species="human", confidence="high"
        ),
        **_ALLOMETRY,
    },
    "rat": {
        "body_weight": assumed(0.25, "kg", reason="typical adult rat in the cited studies"),
        "reference_body_weight": assumed(0.25, "kg", reason="rodent PK normalised to 250 g"),
        **_ALLOMETRY,
    },
    "mouse": {
        "body_weight": assumed(0.025, "kg", reason="typical adult mouse in the cited studies"),
        "reference_body_weight": assumed(0.025, "kg", reason="rodent PK normalised to 25 g"),
        **_ALLOMETRY,
    },
}


def rates(state, params, inputs):
    """No states; the scale factors as outputs."""
    relative_weight = params.body_weight / params.reference_body_weight
    outputs = {
        "body_weight": params.body_weight,
        "clearance_scale": relative_weight**params.clearance_exponent,
        "volume_scale": relative_weight**params.volume_exponent,
        "female": params.female,
    }
    return {}, outputs
