"""hpa_axis: rest is a steady state; the derived constants reproduce the data they come from."""

from __future__ import annotations

import math

import numpy as np
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
        tsst_episode=0.0,
        restraint_episode=0.0,
        footshock_episode=0.0,
        social_defeat_episode=0.0,
        waking_episode=0.0,
    )
    return rates(state, params, inputs)


@pytest.mark.parametrize("species", ["human", "rat"])
def test_basal_hormones_are_a_steady_state_at_the_resting_opioid_tone(species):
    p = _params(species)
    derivatives, outputs = _rates(p, p.basal_acth, p.basal_glucocorticoid, p.resting_mu_stimulus)
    assert derivatives["acth"] == pytest.approx(0.0, abs=1e-9)
    assert derivatives["glucocorticoid"] == pytest.approx(0.0, abs=1e-9)
    assert outputs["hypothalamic_drive"] == pytest.approx(1.0)


def test_morphine_7_mg_iv_holds_90_percent_of_the_brake_at_30_min():
    # The derivation of opioid_half_stimulus (Facchinetti 1985: 0.1 mg/kg stops secretion),
    # through the model's own morphine PK and binding, recomputed.
    from opioidsim.simulation import simulate

    result = simulate(
        {
            "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
            "duration": "1 h",
            "output_times": ["0 h", "0.5 h"],
            "doses": [{"drug": "morphine", "amount": "7 mg", "route": "iv", "time": "0 h"}],
        }
    )
    p = _params()
    at_30_min = int(np.searchsorted(np.asarray(result.time), 0.5))
    stimulus = float(result["mu_receptor.stimulus"][at_30_min])
    brake = stimulus / (stimulus + p.opioid_half_stimulus)
    assert brake == pytest.approx(0.9, abs=0.01)


def test_the_endogenous_tone_holds_little_of_the_brake():
    # Healthy men: a 24-h naloxone infusion leaves cortisol unchanged; removing the tone
    # raises the drive by ~2.6 %.
    p = _params()
    _, outputs = _rates(p, p.basal_acth, p.basal_glucocorticoid, 0.0)
    assert 1.0 < outputs["hypothalamic_drive"] < 1.05


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


def test_a_saturating_acth_dose_raises_cortisol_as_cosyntropin_does():
    # Dickstein 1997 (Eur J Endocrinol 137:172): 1-250 ug ACTH(1-24) after dexamethasone,
    # cortisol 607 +- 182 nmol/L at 30 min (not a parameter source). From ~0 at maximal
    # secretion the model reaches maximum x (1 - exp(-k x 0.5 h)).
    p = _params()
    basal_power = (p.basal_acth / p.acth_half_effect) ** p.adrenal_hill
    maximum = p.basal_glucocorticoid * (1 + basal_power) / basal_power
    at_30_min = maximum * (1 - math.exp(-p.glucocorticoid_elimination_rate * 0.5))
    assert 607.0 - 182.0 < at_30_min < 607.0 + 182.0
    # and the maximal secretion is the measured ACTH efficacy, 21 +- 2.3 nmol/L/min
    assert maximum * p.glucocorticoid_elimination_rate / 60.0 == pytest.approx(21.0, abs=2.3)


def test_withdrawal_inputs_raise_and_tolerance_releases_the_brake():
    p = _params()
    rest = p.resting_mu_stimulus
    _, withdrawal = _rates(p, p.basal_acth, p.basal_glucocorticoid, rest, lc=0.5, crf=2.0)
    _, tolerant = _rates(p, p.basal_acth, p.basal_glucocorticoid, rest, availability=0.5)
    assert withdrawal["hypothalamic_drive"] > 1.5
    assert 1.0 < tolerant["hypothalamic_drive"] < 1.8
