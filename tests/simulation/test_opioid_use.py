"""Closed-loop human opioid use: reproducible, the ward holds, the blockade acts, errors."""

from __future__ import annotations

import numpy as np
import pytest

from opioidsim.errors import ConfigError
from opioidsim.protocols.opioid_use import load
from opioidsim.simulation.opioid_use import simulate_opioid_use, simulate_opioid_use_population


def _raw(**block) -> dict:
    use = {
        "start": "10 d",
        "days": 14,
        "use": {"drug": "heroin", "amount": "25 mg", "route": "iv"},
    }
    use.update(block)
    return {
        "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
        "duration": "25 d",
        "output_interval": "1 d",
        "seed": 5,
        "doses": [{"drug": "heroin", "amount": "25 mg", "route": "iv", "time": "0 h",
                   "every": "8 h", "for": "8 d"}],
        "opioid_use": use,
    }  # fmt: skip


def test_the_same_people_for_any_chunking_and_worker_count():
    scenario, block = load(_raw(treatment={"medication": "placebo"}))
    one = simulate_opioid_use(scenario, block, subjects=6)
    split = simulate_opioid_use_population(scenario, block, subjects=6, chunk_size=4, workers=2)
    assert np.array_equal(one.used, split.used)
    assert np.array_equal(one.left_day, split.left_day)
    np.testing.assert_allclose(one.result.values, split.result.values, rtol=1e-9, equal_nan=True)
    alone = simulate_opioid_use(scenario, block, subjects=1, first_subject=3)
    assert np.array_equal(alone.used[0], one.used[3])
    assert np.array_equal(one.lapse_propensity, split.lapse_propensity)
    assert alone.lapse_propensity[0] == one.lapse_propensity[3]


def test_people_differ_in_lapse_propensity_and_alike_people_lapse_alike():
    scenario, block = load(_raw())
    run = simulate_opioid_use(scenario, block, subjects=12)
    assert len(set(np.round(run.lapse_propensity, 12))) == 12
    alike = simulate_opioid_use(
        scenario, block, subjects=12, behaviour={"lapse_propensity_shape": 1e9}
    )
    np.testing.assert_allclose(alike.lapse_propensity, 1.0, rtol=1e-3)


def test_a_non_positive_propensity_shape_is_one_line():
    scenario, block = load(_raw())
    with pytest.raises(
        ConfigError, match=r"^opioid_use.lapse_propensity_shape: got 0.0; must be > 0"
    ):
        simulate_opioid_use(scenario, block, behaviour={"lapse_propensity_shape": 0.0})


def test_nobody_uses_on_the_ward_and_people_use_at_home():
    scenario, block = load(_raw(ward="7 d"))
    run = simulate_opioid_use(scenario, block, subjects=20)
    on_ward = run.used[:, :7] & run.in_care[:, :7]
    assert not on_ward.any()
    assert run.used[:, 7:].any()
    assert not run.in_care[:, 7:].any()  # discharged without treatment


def test_depot_naltrexone_leaves_uses_less_liked_than_placebo():
    runs = {
        medication: simulate_opioid_use(
            *load(_raw(treatment={"medication": medication})), subjects=20
        )
        for medication in ("placebo", "xr_naltrexone")
    }
    placebo = np.nanmean(runs["placebo"].liking_rise)
    blocked = np.nanmean(runs["xr_naltrexone"].liking_rise)
    assert blocked < 0.5 * placebo
    assert runs["xr_naltrexone"].used.sum() < runs["placebo"].used.sum()
    assert (runs["xr_naltrexone"].induction_day == 0).all()
    assert runs["xr_naltrexone"].medicated[:, 0].all()


def test_supervised_tablets_are_taken_every_day_in_treatment():
    scenario, block = load(
        _raw(treatment={"medication": "oral_naltrexone", "adherence": "supervised"})
    )
    run = simulate_opioid_use(scenario, block, subjects=5)
    assert np.array_equal(run.medicated, run.in_care)


def test_on_the_ward_the_staff_give_the_tablet():
    scenario, block = load(_raw(ward="5 d", treatment={"medication": "buprenorphine"}))
    run = simulate_opioid_use(scenario, block, subjects=8)
    on_ward = run.in_care[:, :5]
    assert np.array_equal(run.medicated[:, :5], on_ward)
    assert (run.induction_day[run.in_care[:, 0]] == 0).all()


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            {"treatment": {"medication": "vivitrol"}},
            "opioid_use.treatment.medication: got 'vivitrol'",
        ),
        ({"days": 40}, "opioid_use.days: got 40"),
        ({"ward": "-1 d"}, "opioid_use.ward"),
        ({"use": {"drug": "heroin", "amount": "25 kg", "route": "iv"}}, "opioid_use.use.amount"),
        ({"use": {"drug": "heroin", "amount": "25 mg", "route": "oral"}}, "opioid_use.use.route"),
        ({"treatment": {"medication": "placebo", "dose": "1 mg"}}, "opioid_use.treatment.dose"),
        ({"treatment": {"medication": "xr_naltrexone", "start": "1.5 d"}}, "treatment.start"),
        ({"colour": 1}, "opioid_use.colour: got an unknown field"),
    ],
)
def test_a_bad_block_is_one_line_naming_the_field(block, message):
    with pytest.raises(ConfigError, match=message.replace(".", r"\.").replace("(", r"\(")) as info:
        load(_raw(**block))
    assert "\n" not in str(info.value)


def test_animals_are_refused_in_one_line():
    raw = _raw()
    raw["subject"] = {"species": "rat", "sex": "male", "body_weight": "0.3 kg"}
    raw["doses"] = []
    scenario, block = load(raw)
    with pytest.raises(ConfigError, match=r"subject\.species: got 'rat'"):
        simulate_opioid_use(scenario, block)


def test_each_use_day_reports_its_respiratory_depression():
    scenario, block = load(_raw())
    run = simulate_opioid_use(scenario, block, subjects=8)
    assert np.isnan(run.respiratory_depression[~run.used]).all()
    used = run.respiratory_depression[run.used]
    assert used.size and ((used > 0) & (used < 1)).all()
