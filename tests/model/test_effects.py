"""mu_effects: calibrated transducers reproduce their data from the model's own tables."""

from __future__ import annotations

import numpy as np
import pytest

from opioidsim.io.datasets import load_dataset
from opioidsim.model.default import build_model
from opioidsim.model.effects import rates


def _params():
    model = build_model(["morphine"])
    return {n: v for n, v in zip(model.parameter_names, model.parameter_values, strict=True)}


def _morphine_stimulus(plasma_nM: float, p: dict) -> float:
    """Operational mu stimulus of morphine at equilibrium, endogenous peptides included."""
    brain = (
        plasma_nM * p["morphine.plasma_unbound_fraction"] * p["morphine.brain_unbound_partition"]
    )
    ratios = {"morphine": brain / p["mu_receptor.dissociation_constant[morphine]"]}
    for peptide in ("beta_endorphin", "dynorphin"):
        conc = p[f"endogenous_opioids.{peptide}_basal_concentration"]
        ratios[peptide] = conc / p[f"mu_receptor.dissociation_constant[{peptide}]"]
    total = 1 + sum(ratios.values())
    return sum(
        p[f"mu_receptor.relative_efficacy[{ligand}]"] * r / total for ligand, r in ratios.items()
    )


class _Namespace(dict):
    __getattr__ = dict.__getitem__


def _effects(stimulus: float, p: dict, availability: float = 1.0) -> dict:
    """Both pathways see the same receptor loss (slow loss reaches the respiratory one too)."""
    params = _Namespace(
        {k.split(".", 1)[1]: v for k, v in p.items() if k.startswith("mu_effects.")}
    )
    inputs = _Namespace(
        mu_stimulus=stimulus,
        mu_receptor_availability=availability,
        respiratory_receptor_availability=availability,
    )
    _, outputs = rates(_Namespace(), params, inputs)
    return outputs


def test_analgesia_is_half_maximal_at_dahan_2004_c50():
    p = _params()
    c50 = float(load_dataset("dahan_2004_morphine_analgesia_potency").rows()[0]["c50_nM"])
    assert _effects(_morphine_stimulus(c50, p), p)["analgesia"] == pytest.approx(0.5, abs=0.01)


def test_ventilation_is_depressed_25_percent_at_romberg_2003_c25():
    p = _params()
    c25 = float(load_dataset("romberg_2003_morphine_ventilation").rows()[0]["c25_nM"])
    depression = _effects(_morphine_stimulus(c25, p), p)["respiratory_depression"]
    assert depression == pytest.approx(0.25, abs=0.01)


def test_effects_are_zero_at_the_resting_stimulus_and_rise_with_stimulus():
    p = _params()
    rest = p["mu_effects.resting_mu_stimulus"]
    at_rest = _effects(rest, p)
    assert at_rest["analgesia"] == pytest.approx(0.0, abs=1e-12)
    assert at_rest["respiratory_depression"] == pytest.approx(0.0, abs=1e-12)
    stimuli = np.geomspace(0.01, 30, 12)
    analgesia = [_effects(s, p)["analgesia"] for s in stimuli]
    assert np.all(np.diff(analgesia) > 0)


def test_losing_half_the_receptors_doubles_the_stimulus_needed():
    p = _params()
    half = 1 / p["mu_effects.analgesia_coupling"]
    assert _effects(half, p, availability=0.5)["analgesia"] == pytest.approx(
        _effects(half / 2, p)["analgesia"]
    )


def test_the_resting_stimulus_is_that_of_the_basal_peptides():
    p = _params()
    assert _morphine_stimulus(0.0, p) == pytest.approx(p["mu_effects.resting_mu_stimulus"], 1e-3)


def test_a_full_agonist_can_abolish_the_respiratory_drives_and_tolerance_shifts_first():
    # Operational model: with morphine's respiratory tau (~55) full occupancy removes ~98% of
    # the drives; losing half the receptors shifts the curve right, the ceiling barely moves.
    p = _params()
    assert _effects(1.0, p)["respiratory_depression"] > 0.95
    assert _effects(1.0, p, availability=0.5)["respiratory_depression"] > 0.95
    low = 0.3 / p["mu_effects.respiratory_coupling"]
    assert _effects(2 * low, p, availability=0.5)["respiratory_depression"] == pytest.approx(
        _effects(low, p)["respiratory_depression"], rel=1e-6
    )
