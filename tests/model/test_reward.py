"""Reward: accumbens dopamine at 100% without drug, a morphine surge and its return, the
withdrawal dip, and the slowly learned drug value."""

from __future__ import annotations

import numpy as np
import pytest

from opioidsim.simulation import simulate

SUBJECT = {"species": "human", "sex": "male", "body_weight": "70 kg"}
DOPAMINE = "reward.dopamine_percent_baseline"
VALUE = "reward.drug_value"
MORPHINE = {"drug": "morphine", "amount": "10 mg", "route": "iv", "time": "2 h"}
#: Dopamine is measured in rats: morphine 5 mg/kg s.c., the top of the REWARD-DA doses.
RAT = {"species": "rat", "sex": "male", "body_weight": "0.3 kg"}
RAT_MORPHINE = {"drug": "morphine", "amount": "5 mg/kg", "route": "sc", "time": "2 h"}
#: The receptors start empty (kappa tone absent for the first minutes) and hold their
#: endogenous equilibrium after 1 h; the dialysate (time constant 10 min) follows within 2 h.
EQUILIBRATION_H = 2.0
#: Baseline: the resting mu and kappa signals are written to 4 significant digits (<= 1e-4
#: relative each), which moves dopamine by < 2e-3 %; 1e-2 % leaves a margin of 5.
BASELINE_ATOL_PERCENT = 1e-2
#: The resting-tone parameters are written to 4 significant digits.
ROUNDING_RTOL = 1e-3
#: Di Chiara & Imperato 1988: mu agonists raise dopamine by at most ~+100%.
CEILING_PERCENT = 200.0
#: The empty-receptor start gives a few minutes of dopamine ~13% above baseline, from which
#: the value learns ~5e-4; a real drug surge teaches > 100 times more.
START_TRANSIENT_VALUE = 1e-3


def _run(doses, duration, interval="5 min", subject=SUBJECT):
    return simulate(
        {
            "name": "reward test",
            "subject": subject,
            "duration": duration,
            "output_interval": interval,
            "seed": 1,
            "doses": doses,
        }
    )


@pytest.fixture(scope="module")
def baseline():
    return _run([], "3 d")


@pytest.fixture(scope="module")
def one_dose():
    return _run([RAT_MORPHINE], "20 d", interval="10 min", subject=RAT)


def test_without_drug_dopamine_stays_at_100_percent_of_baseline(baseline):
    late = baseline.time >= EQUILIBRATION_H
    np.testing.assert_allclose(baseline[DOPAMINE][late], 100.0, atol=BASELINE_ATOL_PERCENT)
    assert np.max(baseline[VALUE]) < START_TRANSIENT_VALUE


@pytest.mark.parametrize(
    ("observable", "parameter"),
    [
        ("kappa_receptor.signal", "reward.resting_kappa_signal"),
        ("mu_receptor.stimulus", "reward.resting_mu_stimulus"),
    ],
)
def test_the_resting_tones_are_those_of_the_basal_peptides(baseline, observable, parameter):
    late = baseline.time >= EQUILIBRATION_H
    tone = baseline.metadata["parameters"][parameter]
    np.testing.assert_allclose(baseline[observable][late], tone, rtol=ROUNDING_RTOL)


def test_morphine_raises_dopamine_up_to_the_ceiling_and_it_returns(one_dose):
    dopamine, time = one_dose[DOPAMINE], one_dose.time
    peak = np.max(dopamine)
    assert 120.0 < peak <= CEILING_PERCENT
    assert 2.0 < time[np.argmax(dopamine)] < 8.0  # within hours of the 2 h dose
    # The surge follows brain morphine (rat t1/2 ~1-2 h) and ends within a day of the dose.
    assert np.interp(26.0, time, dopamine) < 105.0
    # ... and, once the single dose's adaptation has worn off, at baseline again.
    assert abs(np.interp(20 * 24.0, time, dopamine) - 100.0) < 2.0


def test_the_drug_value_is_learned_from_the_surge_and_forgotten_slowly(one_dose):
    value, time = one_dose[VALUE], one_dose.time
    learned = np.max(value)
    assert learned > 100 * START_TRANSIENT_VALUE
    assert learned < np.max(one_dose[DOPAMINE]) / 100.0 - 1.0  # below the surge: slow learning
    assert np.interp(10 * 24.0, time, value) > 0.5 * learned  # weeks to forget


def test_dopamine_falls_below_baseline_in_withdrawal_after_chronic_morphine():
    chronic = {**MORPHINE, "time": "0 h", "every": "6 h", "for": "14 d"}
    stopped = _run([chronic], "16 d", interval="30 min")
    # Crippens & Robinson 1994: decreased at 24 h of spontaneous withdrawal.
    assert np.interp(15 * 24.0, stopped.time, stopped[DOPAMINE]) < 95.0


def test_the_local_peptide_tone_balances_the_kappa_tone_under_full_blockade():
    """The VTA's local mu tone is the value at which removing both tones (a saturating
    nonselective antagonist) leaves the release drive at 1 (recomputed from the tables)."""
    from opioidsim.model.default import build_model

    model = build_model([])
    p = dict(zip(model.parameter_names, map(float, model.parameter_values), strict=True))
    coupling = p["reward.dopamine_coupling"]
    kappa_factor = 1 / (
        1 - p["reward.kappa_dopamine_inhibition"] * p["reward.resting_kappa_signal"]
    )
    rest = p["reward.resting_mu_stimulus"] + p["reward.local_peptide_stimulus"]

    def response(s):
        return coupling * s / (1 + coupling * s)

    blocked = response(p["reward.resting_mu_stimulus"])
    mu_term = 1 + (blocked - response(rest)) / (1 - response(rest))
    assert kappa_factor * mu_term == pytest.approx(1.0, abs=1e-4)


def test_an_antagonist_alone_leaves_basal_dopamine_nearly_unchanged():
    """Naltrexone alone removes the kappa tone (dopamine up) and the VTA's local mu tone
    (dopamine down): the net stays within 5 % of baseline in the rat (1 mg/kg s.c.) and in
    people (50 mg orally); without the local tone it was +13 % and +9 %."""
    rat = _run(
        [{"drug": "naltrexone", "amount": "1 mg/kg", "route": "sc", "time": "2 h"}],
        "8 h",
        subject=RAT,
    )
    human = _run(
        [{"drug": "naltrexone", "amount": "50 mg", "route": "oral", "time": "2 h"}], "10 h"
    )
    for result in (rat, human):
        late = result.time >= EQUILIBRATION_H
        assert np.all(np.abs(result[DOPAMINE][late] - 100.0) < 5.0)


def test_released_beta_endorphin_reaches_dopamine_through_the_local_tone():
    """Ethanol releases beta-endorphin; through the VTA's local tone it raises dopamine, and
    naltrexone first removes the rise (the mechanism NTX-ALC checks against data)."""
    ethanol = {"drug": "ethanol", "amount": "1 g/kg", "route": "ip", "time": "2 h"}
    alone = _run([ethanol], "5 h", subject=RAT)
    blocked = _run(
        [{"drug": "naltrexone", "amount": "1 mg/kg", "route": "sc", "time": "1.8 h"}, ethanol],
        "5 h",
        subject=RAT,
    )
    after = alone.time >= 2.0
    rise = np.max(alone[DOPAMINE][after]) - 100.0
    assert rise > 2.0
    reference = blocked[DOPAMINE][np.searchsorted(blocked.time, 2.0)]
    assert np.max(blocked[DOPAMINE][after]) - reference < 0.5 * rise
