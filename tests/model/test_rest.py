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


#: Quantities that follow the time of day (hpa_axis's circadian CRH drive, since session 15):
#: without drug they repeat each day instead of standing still. Everything read from them by
#: other modules (glucocorticoid_fold_basal: x the resting value at the same time of day)
#: stays at rest.
CIRCADIAN = {
    "hpa_axis.clock_cosine",
    "hpa_axis.clock_sine",
    "hpa_axis.acth",
    "hpa_axis.glucocorticoid",
    "hpa_axis.resting_acth",
    "hpa_axis.resting_glucocorticoid",
    "hpa_axis.acth_concentration",
    "hpa_axis.glucocorticoid_concentration",
    "hpa_axis.hypothalamic_drive",
    "hpa_axis.crh_release",
    "hpa_axis.circadian_drive",
}


def test_without_drug_every_state_starts_and_stays_at_rest():
    # Rest, with a day: the circadian quantities repeat each day (day 2 = day 1) and start on
    # that day; every other state and output stays at its t = 0 value.
    scenario = {
        "name": "rest",
        "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
        "duration": "48 h",
        "output_interval": "30 min",
        "doses": [],
    }
    result = simulate(scenario)
    assert set(result.names) >= CIRCADIAN
    for name in result.names:
        values = result[name]
        scale = max(abs(values[0]), 1.0)
        if name in CIRCADIAN:
            day_1, day_2 = values[:49], values[48:97]
            scale = max(np.max(np.abs(values)), 1e-12)
            assert np.max(np.abs(day_2 - day_1)) <= AT_REST_TOL * scale, name
        else:
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
