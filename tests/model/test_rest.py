"""A subject starts at rest: the basal peptides already occupy their receptors at t = 0."""

from __future__ import annotations

import numpy as np
import pytest

from opioidsim.model.default import build_model
from opioidsim.simulation import simulate

#: Stored resting values are rounded to 7 significant digits.
STORED_RTOL = 1e-6
#: Without drug no state may move from its t = 0 value by more than this (relative, or
#: absolute for states at 0) within the first day; the rounded resting constants leave drift
#: at the 1e-5 level (dopamine 100.0015 %), a start out of equilibrium moved the kappa
#: occupancy from 0 to 0.032 and the dopamine release drive by 13 %.
AT_REST_TOL = 1e-4


def _params():
    model = build_model(["morphine"])
    return dict(zip(model.parameter_names, model.parameter_values, strict=True))


def _gaddum(p: dict, receptor: str, peptides: tuple[str, ...]) -> dict[str, float]:
    ratios = {
        peptide: p[f"endogenous_opioids.{peptide}_basal_concentration"]
        / p[f"{receptor}.dissociation_constant[{peptide}]"]
        for peptide in peptides
    }
    total = 1 + sum(ratios.values())
    return {peptide: r / total for peptide, r in ratios.items()}


@pytest.mark.parametrize(
    ("receptor", "peptides"),
    [("mu_receptor", ("beta_endorphin", "dynorphin")), ("kappa_receptor", ("dynorphin",))],
)
def test_stored_resting_occupancies_are_the_gaddum_equilibrium_of_the_basal_peptides(
    receptor, peptides
):
    p = _params()
    for peptide, occupancy in _gaddum(p, receptor, peptides).items():
        stored = p[f"{receptor}.resting_occupancy_{peptide}"]
        assert stored == pytest.approx(occupancy, rel=STORED_RTOL)


def test_without_drug_every_state_starts_and_stays_at_rest():
    scenario = {
        "name": "rest",
        "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
        "duration": "24 h",
        "output_interval": "30 min",
        "doses": [],
    }
    result = simulate(scenario)
    for name in result.names:
        values = result[name]
        scale = max(abs(values[0]), 1.0)
        assert np.max(np.abs(values - values[0])) <= AT_REST_TOL * scale, name


def test_an_initial_value_for_a_ligand_the_module_lacks_is_refused():
    import dataclasses

    from opioidsim.errors import ModelError
    from opioidsim.model import default
    from opioidsim.model.assemble import assemble

    drugs = ("morphine",)
    modules = [default.load_module(p) for p in default.CORE_MODULES]
    modules += [default.load_module(default.DRUG_MODULES[d][0]) for d in drugs]
    modules += [default.load_module(p) for p in default.RECEPTOR_MODULES]
    modules += [default.load_module(p) for p in default.ADAPTATION_MODULES]
    modules += [default.load_module(p) for p in default.SPECIES_EFFECT_MODULES]
    broken = []
    for module in modules:
        if module.declaration.name == "mu_receptor":
            states = dict(module.declaration.states)
            states["occupancy"] = dataclasses.replace(
                states["occupancy"],
                initial={"betaendorphin": 1e-6},  # misspelt
            )
            declaration = dataclasses.replace(module.declaration, states=states)
            module = dataclasses.replace(module, declaration=declaration)
        broken.append(module)
    with pytest.raises(ModelError, match="betaendorphin, which are not ligands of this module"):
        assemble(
            broken,
            default.connections(drugs, ()),
            endogenous_ligands=default.ENDOGENOUS_LIGANDS,
            feedback=default.feedback(),
        )
