"""Social contact, contact-released beta-endorphin, felt connection and positive mood
(issue 14): the module's constants follow the receptor tables, naltrexone lowers connection
only through what its occupancy leaves of the endogenous signal, and the calibration is
reproduced by the stored value.
"""

from __future__ import annotations

import numpy as np
import pytest

from opioidsim.errors import ConfigError
from opioidsim.experiments._protocols import dose, event, run
from opioidsim.model.catalog import event_catalog
from opioidsim.model.default import build_model
from opioidsim.model.receptors import mu
from opioidsim.model.social_connection import PARAMETERS
from opioidsim.protocols import Scenario

CONNECTION = "social_connection.connection"
GATE = "social_connection.opioid_gate"
ENDORPHIN = "endogenous_opioids.beta_endorphin_brain_concentration"


def _contact(doses=(), closeness=1.0, start=1.0, hours=1.0, duration=None):
    """One contact; the run ends with the contact unless ``duration`` says otherwise."""
    return run(
        list(doses),
        duration or start + hours,
        step_min=1,
        events=[event("social_contact", start, hours, closeness)],
    )


def test_resting_constants_follow_the_mu_table():
    beta = mu.PARAMETERS["resting_occupancy_beta_endorphin"].value
    dynorphin = mu.PARAMETERS["resting_occupancy_dynorphin"].value
    assert PARAMETERS["resting_beta_endorphin_stimulus"].value == pytest.approx(beta, rel=1e-6)
    assert PARAMETERS["resting_mu_stimulus"].value == pytest.approx(beta + dynorphin, rel=1e-4)


def test_the_social_contact_kind_is_declared_beside_the_module_that_reacts():
    kind = event_catalog()["social_contact"]
    assert "closeness" in kind.intensity
    model = build_model(["morphine"])
    channel = model.event_channels["social_contact"]
    assert model.input_names[channel] == "event[social_connection.social_contact]"


def test_alone_nothing_moves_and_contact_doubles_beta_endorphin_release():
    result = _contact(duration=3.0)
    t = np.asarray(result.time)
    before = t < 1.0
    assert np.all(result[CONNECTION][before] == 0.0)
    assert np.allclose(result[ENDORPHIN][before], 0.01, rtol=1e-9)
    # After 1 h of contact, beta-endorphin (t1/2 15 min) is near twice basal and the
    # drug-free connection near 1 (what a close other gives at steady state).
    end = np.searchsorted(t, 2.0)
    assert result[ENDORPHIN][end] == pytest.approx(0.02, rel=0.07)
    assert result[CONNECTION][end] == pytest.approx(1.0, abs=0.02)
    assert result[GATE][end] == pytest.approx(1.0, abs=0.07)
    # ... and both relax once the contact ends.
    assert result[CONNECTION][-1] < 0.01


def test_naltrexone_lowers_connection_by_the_opioid_share_it_blocks_not_more():
    share = PARAMETERS["opioid_connection_share"].value
    blocked = _contact([dose("naltrexone", "50 mg", "oral", 0.0)], start=2.0)
    free = _contact(start=2.0)
    occupancy = float(blocked["mu_receptor.drug_occupancy"][-1])
    ratio = blocked[CONNECTION][-1] / free[CONNECTION][-1]  # at the end of the contact
    assert occupancy > 0.85
    # The drop is the blocked part of the opioid share: between share x occupancy x 0.8 and
    # the share itself (the gate cannot go below 0).
    assert 1 - share <= ratio <= 1 - 0.8 * share * occupancy


def test_blockade_takes_less_from_a_stranger_and_morphine_adds_within_its_ceiling():
    share = PARAMETERS["opioid_connection_share"].value
    ceiling = PARAMETERS["opioid_connection_ceiling"].value
    ntx = [dose("naltrexone", "50 mg", "oral", 0.0)]
    close_drop = _contact(start=2.0)[CONNECTION][-1] - _contact(ntx, start=2.0)[CONNECTION][-1]
    far = dict(closeness=0.263, start=2.0)
    stranger_drop = _contact(**far)[CONNECTION][-1] - _contact(ntx, **far)[CONNECTION][-1]
    assert 0 < stranger_drop < 0.3 * close_drop
    with_morphine = _contact([dose("morphine", "10 mg", "iv", 1.5)], start=2.0)[CONNECTION][-1]
    assert 1.0 < with_morphine <= 1 + share * (ceiling - 1) + 1e-9


@pytest.mark.slow
def test_the_stored_opioid_share_reproduces_its_calibration():
    from opioidsim.validation.calibrate import run_calibration

    _, fitted = run_calibration("connection-opioid-share")
    value, residual = fitted["social_connection.opioid_connection_share"]
    assert abs(residual) < 1e-4
    assert PARAMETERS["opioid_connection_share"].value == pytest.approx(value, rel=0.01)


def test_the_calibration_target_is_reproduced_at_the_stored_share():
    from opioidsim.validation.calibrate import (
        close_other_connection,
        inagaki_2019_connection_effect,
    )

    ratio = close_other_connection(50.0) / close_other_connection(0.0)
    assert ratio == pytest.approx(1 - inagaki_2019_connection_effect(), abs=2e-3)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"intensity": -0.5}, "intensity"),
        ({"kind": "social_contacts"}, "social_contact"),
        ({"duration": "0 h"}, "duration"),
    ],
)
def test_bad_social_contact_events_get_one_line_errors(entry, message):
    data = {
        "subject": {"species": "human", "sex": "female", "body_weight": "60 kg"},
        "duration": "4 h",
        "output_interval": "10 min",
        "events": [{"kind": "social_contact", "time": "1 h", "duration": "1 h", **entry}],
    }
    with pytest.raises(ConfigError) as error:
        Scenario.model_validate(data)
    text = str(error.value)
    assert "\n" not in text and message in text
