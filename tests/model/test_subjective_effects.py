"""subjective_effects: drug liking is a human mu pathway that saturates, tolerates and blocks."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from opioidsim.experiments._protocols import dose, run
from opioidsim.model.default import build_model
from opioidsim.model.subjective_effects import rates

LIKING = "subjective_effects.drug_liking"


class _Namespace(dict):
    __getattr__ = dict.__getitem__


def _liking(stimulus: float, availability: float = 1.0) -> float:
    model = build_model(["morphine"])
    params = _Namespace(
        {
            name.split(".", 1)[1]: value
            for name, value in zip(model.parameter_names, model.parameter_values, strict=True)
            if name.startswith("subjective_effects.")
        }
    )
    inputs = _Namespace(mu_stimulus=stimulus, mu_receptor_availability=availability)
    return float(rates(_Namespace(), params, inputs)[1]["drug_liking"])


def test_liking_is_zero_at_rest_and_rises_towards_one():
    rest = build_model(["morphine"]).parameter("subjective_effects.resting_mu_stimulus")
    assert _liking(rest) == pytest.approx(0.0, abs=1e-12)
    values = [_liking(s) for s in (1e-4, 1e-3, 1e-2, 1e-1, 1.0)]
    assert all(b > a for a, b in itertools.pairwise(values))
    assert 0.99 < values[-1] < 1.0


def test_receptor_loss_lowers_liking_at_the_same_stimulus():
    assert _liking(0.01, availability=0.3) < _liking(0.01, availability=1.0)


def test_liking_is_a_human_readout_only():
    assert LIKING in build_model(["morphine"]).observable_names
    assert LIKING not in build_model(["morphine"], species="rat").observable_names


def test_morphine_liking_rises_with_dose_and_naltrexone_lowers_it():
    peaks = [
        float(np.max(run([dose("morphine", f"{mg} mg", "sc", 0.0)], 6.0, step_min=5)[LIKING]))
        for mg in (3.0, 12.0, 30.0)
    ]
    assert peaks[0] < peaks[1] < peaks[2]
    blocked = run(
        [dose("naltrexone", "50 mg", "oral", 0.0), dose("morphine", "12 mg", "sc", 2.0)],
        8.0,
        step_min=5,
    )
    assert float(np.max(blocked[LIKING])) < 0.5 * peaks[1]
