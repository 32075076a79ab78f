"""Stress episodes: an event kind declared by the HPA module, in the scenario language, the
event table, populations and the SBML export (issue 14, first slice).

The kinetic checks read the acceptance criteria of ``shared/evidence/social_gut.md`` section
1b (rodent corticosterone after an acute stressor peaks 15-30 min after onset and is back
to baseline by ~90 min; a simulated TSST peaks 20-40 min after onset). Nothing was fitted
to them: the stress input only adds to the hypothalamic drive, and the timing is the HPA
module's own kinetics.
"""

from __future__ import annotations

import numpy as np
import pytest

from opioidsim.engine.compile import compile_model
from opioidsim.engine.events import RATE
from opioidsim.errors import ConfigError
from opioidsim.model.catalog import event_catalog
from opioidsim.model.default import build_model
from opioidsim.protocols import Scenario
from opioidsim.protocols.events import EventRecord
from opioidsim.simulation.population import read_population, simulate_population
from opioidsim.simulation.run import build_events, simulate

RAT = {"species": "rat", "sex": "male", "body_weight": "0.3 kg"}
HUMAN = {"species": "human", "sex": "female", "body_weight": "70 kg"}
ONSET_H = 1.0


def _scenario(subject, duration, intensity, doses=(), **extra):
    return {
        "subject": subject,
        "duration": "4 h",
        "output_interval": "1 min",
        "doses": list(doses),
        "events": [
            {"kind": "stress", "time": f"{ONSET_H} h", "duration": duration,
             "intensity": intensity, **extra}
        ],
    }  # fmt: skip


def _peak_after_onset_min(result, name):
    t = np.asarray(result.time)
    values = result[name]
    after = t >= ONSET_H
    k = np.argmax(np.where(after, values, -np.inf))
    return (t[k] - ONSET_H) * 60.0, values


def test_the_hpa_module_declares_the_stress_kind_for_every_species():
    kind = event_catalog()["stress"]
    assert set(kind.species) == {"human", "rat", "mouse"}
    model = build_model(["morphine"])
    channel = model.event_channels["stress"]
    assert model.input_names[channel] == "event[hpa_axis.stressor_drive]"


def test_repeats_expand_to_episodes_and_stop_at_the_end_of_the_run():
    scenario = Scenario.model_validate(
        {**_scenario(RAT, "25 min", 3, every="72 h", count=4), "duration": "8 d"}
    )
    records = scenario.event_records()
    assert [r.time_h for r in records] == [1.0, 73.0, 145.0]  # the 4th (217 h) is after 8 d
    assert {(r.kind, r.duration_h, r.intensity) for r in records} == {("stress", 25 / 60, 3.0)}
    again = Scenario.model_validate(Scenario.model_validate(scenario.to_dict()).to_dict())
    assert again.event_records() == records


def test_an_episode_adds_its_intensity_to_the_hypothalamic_drive_for_its_duration():
    # Without oxytocin's buffering the episode adds exactly its intensity ...
    unbuffered = {"oxytocin_system.maximum_stress_buffering": 0.0}
    result = simulate(_scenario(HUMAN, "30 min", 2), parameters=unbuffered)
    t = np.asarray(result.time)
    # on top of the circadian drive (multiples of the drive that holds the basal values)
    drive = result["hpa_axis.hypothalamic_drive"] - result["hpa_axis.circadian_drive"]
    during = (t > ONSET_H + 1e-6) & (t < ONSET_H + 0.5 - 1e-6)
    np.testing.assert_allclose(drive[during], 2.0, atol=1e-3)
    np.testing.assert_allclose(drive[t < ONSET_H - 1e-6], 0.0, atol=1e-3)
    np.testing.assert_allclose(drive[t > ONSET_H + 0.5 + 1e-6], 0.0, atol=1e-3)
    # ... and with it a little less: the stress releases central oxytocin, which buffers it.
    buffered = simulate(_scenario(HUMAN, "30 min", 2))
    drive = buffered["hpa_axis.hypothalamic_drive"] - buffered["hpa_axis.circadian_drive"]
    assert 1.95 < drive[during].min() < drive[during].max() < 2.0


@pytest.mark.xfail(
    strict=True,
    reason="with the rat's measured ACTH half-life (11.2 min, Tkacheva 1975; a 2-min dog value "
    "was assumed until session 14, peak 22 min) corticosterone peaks 33 min after the onset "
    "of a 20-min episode, just after the 15-30 min observed: one-compartment hormones",
)
def test_rat_corticosterone_peaks_15_to_30_min_after_onset_and_is_back_by_90_min():
    result = simulate(_scenario(RAT, "20 min", 5))
    peak_min, cort = _peak_after_onset_min(result, "hpa_axis.glucocorticoid_fold_basal")
    assert 15.0 <= peak_min <= 30.0
    assert cort.max() > 1.5  # a response, not noise
    t = np.asarray(result.time)
    at_90 = cort[np.searchsorted(t, ONSET_H + 1.5)]
    assert at_90 - 1.0 < 0.1 * (cort.max() - 1.0)


def test_human_cortisol_peaks_20_to_40_min_after_the_onset_of_a_tsst_like_episode():
    # Passes since session 15 only because the episode starts at 09:00, on the falling
    # circadian drive (runs start at 08:00); the HPA experiment's TSST at 14:00 still peaks
    # at 44 min (one-compartment ACTH and cortisol). Until session 15 this was a strict xfail.
    result = simulate(_scenario(HUMAN, "15 min", 2))
    peak_min, _ = _peak_after_onset_min(result, "hpa_axis.glucocorticoid_concentration")
    assert 20.0 <= peak_min <= 40.0


def test_morphine_before_the_episode_abolishes_the_acth_response():
    # Evidence: morphine 10 mg abolished the stress-induced cortisol rise (social_gut.md 1c).
    alone = simulate(_scenario(HUMAN, "15 min", 2))
    morphine = simulate(
        _scenario(
            HUMAN, "15 min", 2, doses=[{"drug": "morphine", "amount": "10 mg", "route": "iv",
                                        "time": "0.5 h"}]
        )
    )  # fmt: skip

    def rise(result):
        t = np.asarray(result.time)
        acth = result["hpa_axis.acth_concentration"]
        before = acth[np.searchsorted(t, ONSET_H)]
        return acth[t >= ONSET_H].max() - before

    assert rise(alone) > 0.5 * 0.004  # ACTH rises by more than half its basal 4 pmol/L
    assert rise(morphine) < 0.1 * rise(alone)


def test_build_events_switches_the_channel_on_and_off():
    model = build_model(["morphine"])
    compiled = compile_model(model)
    episode = EventRecord(kind="stress", time_h=2.0, duration_h=0.5, intensity=4.0, source_index=0)
    rows = build_events(compiled, [], model.parameter_values, episodes=[episode])
    channel = model.event_channels["stress"]
    assert rows == [(0, 2.0, RATE, channel, 4.0), (0, 2.5, RATE, channel, -4.0)]


def test_an_event_kind_the_model_lacks_is_one_line():
    model = build_model(["morphine"])
    episode = EventRecord(kind="antibiotics", time_h=1.0, duration_h=1.0, intensity=1.0,
                          source_index=2)  # fmt: skip
    with pytest.raises(ConfigError) as error:
        build_events(compile_model(model), [], model.parameter_values, episodes=[episode])
    assert str(error.value) == (
        "events[2].kind: got 'antibiotics'; this model has the event kinds footshock, "
        "pair_housing, restraint, social_contact, social_defeat, social_isolation, stress, "
        "tsst, waking."
    )


def test_a_population_receives_the_events(tmp_path):
    scenario = {**_scenario(RAT, "20 min", 5), "output_interval": "10 min"}
    spec = {"size": 2, "seed": 1}
    observables = ["hpa_axis.acth_fold_basal"]
    simulate_population(scenario, spec, tmp_path / "pop", observables=observables)
    table = read_population(tmp_path / "pop")
    peaks = table[table.observable == observables[0]].groupby("subject")["value"].max()
    assert len(peaks) == 2
    assert peaks.min() > 2.0


@pytest.mark.parametrize(
    ("kind", "species"),
    [("tsst", {"human"}), ("restraint", {"rat", "mouse"}), ("footshock", {"rat", "mouse"}),
     ("social_defeat", {"rat", "mouse"}), ("waking", {"human"})],
)  # fmt: skip
def test_named_paradigms_are_event_kinds_of_the_hpa_module(kind, species):
    assert set(event_catalog()[kind].species) == species
    model = build_model(["morphine"])
    channel = model.event_channels[kind]
    assert model.input_names[channel] == f"event[hpa_axis.{kind}_episode]"


def test_a_typical_tsst_raises_acth_as_1_ug_per_kg_crh_does():
    # The derivation of tsst_drive: the TSST ~ CRH 1 ug/kg (Schmidt-Reinwald 1999), which
    # raises ACTH 2.2-2.6-fold at 30 min (Endocrinol Jpn 1983; Young 1990).
    result = simulate(_scenario(HUMAN, "15 min", 1) | {"events": [
        {"kind": "tsst", "time": f"{ONSET_H} h", "duration": "15 min"}]})  # fmt: skip
    acth = result["hpa_axis.acth_fold_basal"]
    assert 2.2 <= acth.max() <= 2.6
    assert result["hpa_axis.glucocorticoid_fold_basal"].max() > 1.3


def test_a_tsst_for_a_rat_is_one_line():
    scenario = _scenario(RAT, "15 min", 1) | {"events": [
        {"kind": "tsst", "time": f"{ONSET_H} h", "duration": "15 min"}]}  # fmt: skip
    with pytest.raises(ConfigError, match=r"^events\[0\]\.kind: got 'tsst'; tsst exists for "
                       r"human only, not for rat\.$"):  # fmt: skip
        simulate(scenario)


def test_two_weeks_of_isolation_grow_the_glands_a_little_and_sensitise_less_than_defeats():
    from opioidsim.simulation import simulate

    result = simulate({
        "subject": {"species": "mouse", "sex": "male", "body_weight": "30 g"},
        "duration": "60 d", "output_interval": "1 d", "doses": [],
        "events": [{"kind": "social_isolation", "time": "1 h", "duration": "14 d"}],
    })  # fmt: skip
    t = np.asarray(result.time) / 24.0
    corticotrophs = np.asarray(result["hpa_axis.corticotroph_mass"])
    at_14 = corticotrophs[np.searchsorted(t, 14)]
    assert 1.01 < at_14 < 1.5
    # and they recover once the isolation ends: the MR/GR feedback on CRH (Karin 2020) holds
    # CRH below its resting value while the enlarged glands raise glucocorticoid, so the
    # corticotroph increment falls to 1/e of its end-of-isolation value in ~35 d (25-45).
    below = np.flatnonzero(corticotrophs - 1 <= (at_14 - 1) / np.e)
    assert 25.0 <= t[below[below > np.searchsorted(t, 14)][0]] - 14 <= 45.0
    # A mild stressor held for weeks integrates: isolation sensitises the dopamine response
    # (isolation enhances psychostimulant responses in rodents: direction only), less than
    # four defeats do (~0.63 just after the 4th).
    assert 0.05 < np.max(result["stress_sensitisation.level"]) < 0.5
