"""hpa_axis: rest is a steady state; the derived constants reproduce the data they come from."""

from __future__ import annotations

import pytest

from opioidsim.model.default import build_model
from opioidsim.model.hpa import rates


class _Namespace(dict):
    __getattr__ = dict.__getitem__


def _params(species: str = "human") -> _Namespace:
    model = build_model(["morphine"], species=species)
    return _Namespace(
        {
            name.split(".", 1)[1]: value
            for name, value in zip(model.parameter_names, model.parameter_values, strict=True)
            if name.startswith("hpa_axis.")
        }
    )


def _rates(params, acth, glucocorticoid, stimulus, lc=0.0, crf=1.0, availability=1.0):
    state = _Namespace(acth=acth, glucocorticoid=glucocorticoid, opioid_adaptation=0.0)
    inputs = _Namespace(
        mu_stimulus=stimulus,
        mu_receptor_availability=availability,
        locus_coeruleus_output=lc,
        crf_release_drive=crf,
        stressor_drive=0.0,
    )
    return rates(state, params, inputs)


@pytest.mark.parametrize("species", ["human", "rat"])
def test_basal_hormones_are_a_steady_state_at_the_resting_opioid_tone(species):
    p = _params(species)
    derivatives, outputs = _rates(p, p.basal_acth, p.basal_glucocorticoid, p.resting_mu_stimulus)
    assert derivatives["acth"] == pytest.approx(0.0, abs=1e-9)
    assert derivatives["glucocorticoid"] == pytest.approx(0.0, abs=1e-9)
    assert outputs["hypothalamic_drive"] == pytest.approx(1.0)


def test_removing_the_endogenous_opioid_tone_raises_the_drive_1_8_fold():
    # PMID 8074133: naloxone 125 ug/kg raises ACTH 1.8-fold (the derivation neglects feedback).
    p = _params()
    _, outputs = _rates(p, p.basal_acth, p.basal_glucocorticoid, 0.0)
    assert outputs["hypothalamic_drive"] == pytest.approx(1.8, rel=1e-3)


def test_a_full_agonist_signal_stops_acth_secretion():
    # Facchinetti 1985 / morphine 5 mg: cortisol falls at its elimination rate.
    p = _params()
    _, outputs = _rates(p, p.basal_acth, p.basal_glucocorticoid, 20.0)
    assert outputs["hypothalamic_drive"] < 0.01


def test_without_glucocorticoid_feedback_acth_settles_nine_fold_higher():
    # metyrapone: ACTH ~9 x basal. At g = 0, the ACTH target is basal x drive x feedback ratio.
    p = _params()
    derivatives, _ = _rates(p, p.basal_acth, 0.0, p.resting_mu_stimulus)
    target = p.basal_acth + derivatives["acth"] / p.acth_elimination_rate
    assert target / p.basal_acth == pytest.approx(9.0, rel=1e-6)


def test_maximal_cortisol_is_in_the_cosyntropin_range():
    p = _params()
    maximum = p.basal_glucocorticoid * (p.basal_acth + p.acth_half_effect) / p.basal_acth
    assert 600.0 < maximum < 900.0  # nmol/L, peak of a 250 ug cosyntropin test


def test_withdrawal_inputs_raise_and_tolerance_releases_the_brake():
    p = _params()
    rest = p.resting_mu_stimulus
    _, withdrawal = _rates(p, p.basal_acth, p.basal_glucocorticoid, rest, lc=0.5, crf=2.0)
    _, tolerant = _rates(p, p.basal_acth, p.basal_glucocorticoid, rest, availability=0.5)
    assert withdrawal["hypothalamic_drive"] > 1.5
    assert 1.0 < tolerant["hypothalamic_drive"] < 1.8
