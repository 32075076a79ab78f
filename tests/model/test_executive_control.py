"""executive_control: impulsive choice rises in withdrawal, a little under the drug, and is 1
without either."""

from __future__ import annotations

import numpy as np
import pytest

from opioidsim.experiments._protocols import dose, run
from opioidsim.model.default import build_model
from opioidsim.model.executive_control import rates

FOLD = "executive_control.impulsivity_fold"


class _Namespace(dict):
    __getattr__ = dict.__getitem__


def _fold(analgesia: float, withdrawal: float) -> float:
    model = build_model(["morphine"])
    params = _Namespace(
        {
            name.split(".", 1)[1]: value
            for name, value in zip(model.parameter_names, model.parameter_values, strict=True)
            if name.startswith("executive_control.")
        }
    )
    inputs = _Namespace(analgesia=analgesia, withdrawal_drive=withdrawal)
    return float(rates(_Namespace(), params, inputs)[1]["impulsivity_fold"])


def test_the_fold_is_one_without_drug_or_withdrawal_and_grows_with_each():
    assert _fold(0.0, 0.0) == pytest.approx(1.0)
    assert 1.0 < _fold(0.5, 0.0) < _fold(1.0, 0.0) <= 2.0
    assert _fold(0.0, 0.05) > _fold(0.0, 0.01) > 1.0


@pytest.mark.parametrize(
    ("drug", "species"), [("morphine", "human"), ("morphine", "rat"), ("cocaine", "mouse")]
)
def test_every_species_has_the_readout(drug, species):
    assert FOLD in build_model([drug], species=species).observable_names


def test_a_drug_free_day_and_naltrexone_alone_leave_choice_unchanged():
    result = run([dose("naltrexone", "50 mg", "oral", 1.0)], 24.0, step_min=15)
    assert np.allclose(result[FOLD], 1.0, atol=1e-3)


def test_precipitated_withdrawal_raises_the_fold_and_the_agonist_alone_barely():
    morphine = [dose("morphine", "10 mg", "iv", 0.0, every="4 h", **{"for": "7 d"})]
    on_drug = run(morphine, 7 * 24.0, step_min=15)
    challenged = run([*morphine, dose("naloxone", "0.4 mg", "iv", 7 * 24.0 - 2.0)], 7 * 24.0)
    before = float(np.interp(7 * 24.0 - 2.05, on_drug.time, on_drug[FOLD]))
    after = float(np.max(challenged[FOLD][challenged.time > 7 * 24.0 - 2.0]))
    assert before < 2.0
    assert after > 2.0 * before
