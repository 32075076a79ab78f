"""Every way a scenario can be wrong gives one ConfigError line, exactly as written here.

The scenarios are validated against a fixed four-drug catalog (not the model's, which grows),
so the messages that list drugs, routes and species stay stable.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from opioidsim.errors import ConfigError
from opioidsim.protocols import Scenario, config_error_from

from helpers.catalogs import CATALOG

BASE: dict[str, Any] = {
    "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
    "duration": "7 d",
    "output_interval": "1 h",
    "doses": [{"drug": "naltrexone", "amount": "50 mg", "route": "oral", "time": "0 h"}],
}

REMOVE = object()  # a field to leave out


def _changed(mapping: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(mapping)
    for key, value in changes.items():
        key = "for" if key == "for_" else key
        if value is REMOVE:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def top(**changes: Any) -> dict[str, Any]:
    return _changed(BASE, changes)


def subject(**changes: Any) -> dict[str, Any]:
    return top(subject=_changed(BASE["subject"], changes))


def dose(**changes: Any) -> dict[str, Any]:
    return _changed(BASE["doses"][0], changes)


def morphine(**changes: Any) -> dict[str, Any]:
    return dose(**{"drug": "morphine", "route": "iv", "amount": "5 mg", **changes})


def infusion(**changes: Any) -> dict[str, Any]:
    return morphine(**{"amount": REMOVE, "rate": "2 mg/h", "duration": "4 h", **changes})


def doses(*entries: Any, **changes: Any) -> dict[str, Any]:
    return top(doses=list(entries), **changes)


RAT = {"species": "rat", "sex": "female", "body_weight": "0.3 kg"}

# (case id, scenario, the exact message)
BAD_SCENARIOS = [
    # structure
    (
        "scenario_not_a_mapping",
        [1, 2],
        "scenario: got [1, 2]; a scenario must be a mapping (e.g. {subject: {...}, "
        "duration: 7 d, output_interval: 1 h, doses: []}).",
    ),
    (
        "unknown_top_level_field",
        top(duraton="7 d"),
        "duraton: got an unknown field; a scenario has the fields doses, duration, events, "
        "name, output_interval, output_times, physiology, seed, subject. Did you mean 'duration'?",
    ),
    (
        "unknown_subject_field",
        subject(weight="70 kg"),
        "subject.weight: got an unknown field; the subject has the fields body_weight, sex, "
        "species. Did you mean 'body_weight'?",
    ),
    (
        "unknown_dose_field",
        doses(dose(amout="5 mg")),
        "doses[0].amout: got an unknown field; a dose has the fields amount, count, drug, "
        "duration, every, for, rate, route, time. Did you mean 'amount'?",
    ),
    (
        "key_that_is_not_text",
        {**BASE, 3: "x"},
        "[3]: got an unknown field; a scenario has the fields doses, duration, events, name, "
        "output_interval, output_times, physiology, seed, subject.",
    ),
    (
        "key_with_a_line_break",
        doses({**dose(), "a\nb": 1}),
        "doses[0]['a\\nb']: got an unknown field; a dose has the fields amount, count, drug, "
        "duration, every, for, rate, route, time.",
    ),
    (
        "missing_subject",
        top(subject=REMOVE),
        "subject: got nothing; the subject is required "
        "(e.g. {species: human, sex: male, body_weight: 70 kg}).",
    ),
    (
        "missing_duration",
        top(duration=REMOVE),
        "duration: got nothing; the run length is required (e.g. 7 d).",
    ),
    (
        "missing_sex",
        subject(sex=REMOVE),
        "subject.sex: got nothing; the subject's sex is required (e.g. male).",
    ),
    (
        "missing_route",
        doses(dose(route=REMOVE)),
        "doses[0].route: got nothing; the route is required (e.g. iv).",
    ),
    (
        "subject_not_a_mapping",
        top(subject="human"),
        "subject: got 'human'; the subject must be a mapping "
        "(e.g. {species: human, sex: male, body_weight: 70 kg}).",
    ),
    (
        "doses_not_a_list",
        top(doses="naltrexone 50 mg"),
        "doses: got 'naltrexone 50 mg'; doses must be a list of doses, or [] for a baseline run.",
    ),
    (
        "dose_not_a_mapping",
        doses("naltrexone 50 mg"),
        "doses[0]: got 'naltrexone 50 mg'; a dose must be a mapping "
        "(e.g. {drug: morphine, amount: 5 mg, route: iv, time: 0 h}).",
    ),
    # quantities
    (
        "bare_number_duration",
        top(duration=7),
        "duration: got 7; give a unit, e.g. '7 d' (a time).",
    ),
    (
        "bare_number_amount_as_text",
        doses(dose(amount="50")),
        "doses[0].amount: got '50'; give a unit, e.g. '50 mg' (an amount).",
    ),
    (
        "amount_in_hours",
        doses(dose(amount="2 h")),
        "doses[0].amount: got 2 h; a dose must be a mass (mg), substance amount (nmol), "
        "amount per body weight (mg/kg) or IU.",
    ),
    (
        "duration_in_mg",
        top(duration="50 mg"),
        "duration: got 50 mg; the run length must be a time (s, min, h, d, week).",
    ),
    (
        "rate_without_time",
        doses(infusion(rate="2 mg")),
        "doses[0].rate: got 2 mg; an infusion rate must be an amount per time "
        "(mg/h, nmol/h, mg/kg/h or IU/h).",
    ),
    (
        "unknown_unit",
        doses(dose(amount="50 mgg")),
        "doses[0].amount: got '50 mgg'; 'mgg' is not a known unit "
        "(use e.g. ng, ug, mg, g, nmol, umol, mmol, IU). Did you mean 'mg'?",
    ),
    (
        "unparsable_quantity",
        doses(dose(amount="fifty mg")),
        "doses[0].amount: got 'fifty mg'; cannot read a number and a unit in it; "
        "write e.g. '50 mg'.",
    ),
    (
        "arithmetic_in_a_quantity",
        doses(dose(amount="9**9**9 mg")),
        "doses[0].amount: got '9**9**9 mg'; cannot read a number and a unit in it; "
        "write e.g. '50 mg'.",
    ),
    (
        "infinite_quantity",
        doses(dose(amount="1e400 mg")),
        "doses[0].amount: got '1e400 mg'; give a finite number, e.g. '50 mg'.",
    ),
    (
        "null_dose_time",
        doses(dose(time=None)),
        "doses[0].time: got null; give a dose time as text with a unit, e.g. '0 h'.",
    ),
    # subject
    (
        "unknown_species",
        subject(species="dog"),
        "subject.species: got 'dog'; known species are human, mouse, rat.",
    ),
    (
        "sex_not_male_or_female",
        subject(sex="M"),
        "subject.sex: got 'M'; valid values are female, male.",
    ),
    (
        "negative_body_weight",
        subject(body_weight="-70 kg"),
        "subject.body_weight: got -70 kg; a body weight must be > 0 (e.g. 70 kg).",
    ),
    (
        "absurd_human_body_weight",
        subject(body_weight="700 kg"),
        "subject.body_weight: got 700 kg; a plausible human body weight is 2 kg to 300 kg.",
    ),
    (
        "body_weight_in_grams_for_a_human",
        subject(body_weight="70 g"),
        "subject.body_weight: got 70 g; a plausible human body weight is 2 kg to 300 kg.",
    ),
    (
        "human_body_weight_for_a_rat",
        top(subject={**RAT, "body_weight": "70 kg"}, doses=[morphine()]),
        "subject.body_weight: got 70 kg; a plausible rat body weight is 0.02 kg to 1.5 kg.",
    ),
    # drugs, routes, species
    (
        "unknown_drug",
        doses(dose(drug="morphin")),
        "doses[0].drug: got 'morphin'; known drugs are heroin, morphine, naltrexone, oxytocin. "
        "Did you mean 'morphine'?",
    ),
    (
        "drug_not_text",
        doses(dose(drug=5)),
        "doses[0].drug: got 5; give the drug as text (e.g. morphine).",
    ),
    (
        "unknown_route",
        doses(morphine(route="intravenous")),
        "doses[0].route: got 'intravenous'; the routes of morphine are iv, oral, sc.",
    ),
    (
        "route_the_drug_lacks",
        doses(dose(route="iv")),
        "doses[0].route: got 'iv'; naltrexone cannot be given iv; its routes are im_depot, oral.",
    ),
    (
        "species_without_pharmacokinetics",
        top(subject=RAT),
        "doses[0].drug: got 'naltrexone'; naltrexone has pharmacokinetics for human only, "
        "not for rat.",
    ),
    # amounts
    (
        "negative_dose",
        doses(dose(), morphine(amount="10 mg"), dose(amount="-5 mg")),
        "doses[2].amount: got -5 mg; a dose must be > 0 (e.g. 50 mg).",
    ),
    (
        "zero_dose",
        doses(dose(amount="0 mg")),
        "doses[0].amount: got 0 mg; a dose must be > 0 (e.g. 50 mg).",
    ),
    (
        "absurd_dose",
        doses(dose(amount="100 g")),
        "doses[0].amount: got 100 g; that is 1.42857 g/kg for a 70 kg subject, above the "
        "1 g/kg that no dose of any drug reaches. Check the unit.",
    ),
    (
        "absurd_dose_per_kg",
        doses(dose(amount="2 g/kg")),
        "doses[0].amount: got 2 g/kg; that is 2 g/kg for a 70 kg subject, above the 1 g/kg "
        "that no dose of any drug reaches. Check the unit.",
    ),
    (
        "absurd_infusion",
        doses(infusion(rate="100 g/h")),
        "doses[0].rate: got 100 g/h; over 4 h that is 5.71429 g/kg for a 70 kg subject, above "
        "the 1 g/kg that no dose of any drug reaches. Check the unit.",
    ),
    (
        "international_units_for_a_drug_without_them",
        doses(dose(amount="24 IU")),
        "doses[0].amount: got 24 IU; naltrexone is not dosed in IU; give a mass (e.g. 50 mg) "
        "or substance amount (e.g. 100 nmol).",
    ),
    (
        "international_units_rate_for_a_drug_without_them",
        doses(infusion(rate="2 IU/h")),
        "doses[0].rate: got 2 IU/h; morphine is not dosed in IU; give a mass (e.g. 2 mg/h) "
        "or substance amount (e.g. 100 nmol/h).",
    ),
    # times
    (
        "dose_before_the_run",
        doses(dose(time="-1 h")),
        "doses[0].time: got -1 h; a dose must start within the run: 0 h <= time < 7 d.",
    ),
    (
        "dose_after_the_run",
        doses(dose(time="8 d")),
        "doses[0].time: got 8 d; a dose must start within the run: 0 h <= time < 7 d.",
    ),
    (
        "dose_at_the_end_of_the_run",
        doses(dose(time="7 d")),
        "doses[0].time: got 7 d; a dose must start within the run: 0 h <= time < 7 d.",
    ),
    (
        "zero_duration",
        top(duration="0 d"),
        "duration: got 0 d; the run length must be > 0 (e.g. 7 d).",
    ),
    (
        "duration_over_five_years",
        top(duration="6 year"),
        "duration: got 6 year; the run length must be at most 5 years (43830 h).",
    ),
    (
        "zero_output_interval",
        top(output_interval="0 h"),
        "output_interval: got 0 h; the output interval must be > 0 (e.g. 1 h).",
    ),
    (
        "output_interval_longer_than_the_run",
        top(output_interval="8 d"),
        "output_interval: got 8 d; the output interval must be at most the run length (7 d).",
    ),
    (
        "output_interval_too_fine",
        top(output_interval="1 s", duration="5 year", doses=[]),
        "output_interval: got 1 s; over 5 year that gives 157788001 output times; at most "
        "1000000 are allowed (use a longer interval).",
    ),
    (
        "no_output_grid",
        top(output_interval=REMOVE),
        "output_interval: got nothing; give output_interval (e.g. 1 h) or output_times "
        "(e.g. [0 h, 1 h, 2 h]).",
    ),
    (
        "two_output_grids",
        top(output_times=["0 h", "1 h"]),
        "output_times: got both output_interval and output_times; give one of them.",
    ),
    (
        "unsorted_output_times",
        top(output_interval=REMOVE, output_times=["0 h", "2 h", "1 h"]),
        "output_times[2]: got 1 h; output times must increase strictly (the one before is 2 h).",
    ),
    (
        "output_time_outside_the_run",
        top(output_interval=REMOVE, output_times=["0 h", "8 d"]),
        "output_times[1]: got 8 d; output times must lie within the run: 0 h <= time <= 7 d.",
    ),
    (
        "empty_output_times",
        top(output_interval=REMOVE, output_times=[]),
        "output_times: got []; give at least one time (e.g. [0 h, 1 h, 2 h]), or use "
        "output_interval.",
    ),
    (
        "output_time_without_unit",
        top(output_interval=REMOVE, output_times=["0 h", 5]),
        "output_times[1]: got 5; give a unit, e.g. '1 h' (a time).",
    ),
    # repeats
    (
        "zero_interval_between_doses",
        doses(dose(every="0 h", count=3)),
        "doses[0].every: got 0 h; the interval between doses must be > 0 (e.g. 24 h).",
    ),
    (
        "interval_below_one_second",
        doses(dose(every="1e-300 h", count=100000)),
        "doses[0].every: got 1e-300 h; repeated doses must be at least 1 s apart "
        "(e.g. every: 6 h).",
    ),
    (
        "every_without_for_or_count",
        doses(dose(every="24 h")),
        "doses[0].every: got 24 h without 'for' or 'count'; say how long to repeat "
        "(e.g. for: 5 d) or how many doses (e.g. count: 5).",
    ),
    (
        "for_and_count",
        doses(dose(every="24 h", for_="5 d", count=5)),
        "doses[0].count: got 5 and for 5 d; give for or count, not both.",
    ),
    (
        "zero_count",
        doses(dose(every="24 h", count=0)),
        "doses[0].count: got 0; a dose count must be a whole number >= 1 (e.g. 5).",
    ),
    (
        "fractional_count",
        doses(dose(every="24 h", count=2.5)),
        "doses[0].count: got 2.5; a dose count must be a whole number >= 1 (e.g. 5).",
    ),
    (
        "for_without_every",
        doses(dose(for_="5 d")),
        "doses[0].for: got 5 d without 'every'; give the interval between doses too "
        "(e.g. every: 24 h).",
    ),
    (
        "count_without_every",
        doses(dose(count=3)),
        "doses[0].count: got 3 without 'every'; give the interval between doses too "
        "(e.g. every: 24 h).",
    ),
    (
        "zero_repeat_period",
        doses(dose(every="24 h", for_="0 d")),
        "doses[0].for: got 0 d; the repeat period must be > 0 (e.g. 5 d).",
    ),
    (
        "count_past_the_end_of_the_run",
        doses(dose(every="24 h", count=10)),
        "doses[0].count: got 10; the last dose would start at 216 h, outside the run "
        "(which ends at 168 h); at most 7 doses fit.",
    ),
    (
        "repeat_period_past_the_end_of_the_run",
        doses(dose(every="24 h", for_="10 d")),
        "doses[0].for: got 10 d; the last dose would start at 216 h, outside the run "
        "(which ends at 168 h); at most 7 doses fit.",
    ),
    (
        "too_many_doses",
        doses(dose(every="1 s", for_="5 d")),
        "doses[0].every: got 1 s; every 1 s for 5 d gives 432000 doses; at most 100000 per "
        "dose entry are allowed.",
    ),
    # infusions
    (
        "amount_and_rate",
        doses(morphine(rate="2 mg/h", duration="4 h")),
        "doses[0].rate: got 2 mg/h and amount 5 mg; give amount (a bolus, or an infusion's "
        "total with duration) or rate (with duration), not both.",
    ),
    (
        "neither_amount_nor_rate",
        doses(morphine(amount=REMOVE)),
        "doses[0]: got neither amount nor rate; give amount (e.g. 50 mg) for a bolus, or rate "
        "and duration (e.g. 2 mg/h for 4 h) for an infusion.",
    ),
    (
        "rate_without_duration",
        doses(infusion(duration=REMOVE)),
        "doses[0].duration: got nothing; an infusion rate needs a duration (e.g. 4 h).",
    ),
    (
        "zero_rate",
        doses(infusion(rate="0 mg/h")),
        "doses[0].rate: got 0 mg/h; an infusion rate must be > 0 (e.g. 2 mg/h).",
    ),
    (
        "infusion_on_a_route_without_infusion",
        doses(infusion(route="oral")),
        "doses[0].route: got 'oral'; morphine can be infused only by iv "
        "(a bolus has amount and no rate or duration).",
    ),
    (
        "infusion_of_a_drug_without_infusion_route",
        doses(dose(duration="4 h")),
        "doses[0].route: got 'oral'; naltrexone has no infusion route "
        "(a bolus has amount and no rate or duration).",
    ),
    (
        "zero_infusion_duration",
        doses(infusion(duration="0 h")),
        "doses[0].duration: got 0 h; an infusion duration must be > 0 (e.g. 4 h).",
    ),
    (
        "infusion_running_past_the_end",
        doses(infusion(duration="10 h", time="6.8 d")),
        "doses[0].duration: got 10 h; the infusion, from 163.2 h, would end at 173.2 h, after "
        "the run ends at 168 h.",
    ),
    (
        "repeated_infusion_running_past_the_end",
        doses(infusion(duration="10 h", time="20 h", every="24 h", count=7)),
        "doses[0].duration: got 10 h; the last infusion, from 164 h, would end at 174 h, after "
        "the run ends at 168 h.",
    ),
    (
        "overlapping_infusions",
        doses(
            morphine(),
            infusion(duration="6 h", time="20 h"),
            morphine(),
            infusion(rate="1 mg/h", time="1 d"),
        ),
        "doses[3]: got a morphine iv infusion over 24-28 h that overlaps doses[1] (20-26 h); "
        "infusions of one drug by one route must not overlap. Merge them into one dose or "
        "shift one.",
    ),
    (
        "repeated_infusion_overlapping_itself",
        doses(infusion(every="2 h", count=3)),
        "doses[0].every: got 2 h; each infusion lasts 4 h, so repeats would overlap; every must "
        "be >= duration.",
    ),
    # the rest
    (
        "negative_seed",
        top(seed=-1),
        "seed: got -1; a seed must be a whole number >= 0 (e.g. 1).",
    ),
    (
        "fractional_seed",
        top(seed=1.5),
        "seed: got 1.5; a seed must be a whole number >= 0 (e.g. 1).",
    ),
    (
        "boolean_seed",
        top(seed=True),
        "seed: got true; a seed must be a whole number >= 0 (e.g. 1).",
    ),
    (
        "event_unknown_kind",
        top(events=[{"kind": "stres", "time": "1 d", "duration": "30 min"}]),
        "events[0].kind: got 'stres'; known event kinds are footshock, pair_housing, "
        "restraint, social_contact, social_defeat, social_isolation, stress, tsst, waking. "
        "Did you mean 'stress'?",
    ),
    (
        "event_without_duration",
        top(events=[{"kind": "stress", "time": "1 d"}]),
        "events[0].duration: got nothing; an event duration is required (e.g. 30 min).",
    ),
    (
        "event_duration_not_a_time",
        top(events=[{"kind": "stress", "time": "1 d", "duration": "30 mg"}]),
        "events[0].duration: got 30 mg; an event duration must be a time (s, min, h, d, week).",
    ),
    (
        "event_negative_intensity",
        top(events=[{"kind": "stress", "time": "1 d", "duration": "30 min", "intensity": -1}]),
        "events[0].intensity: got -1; an event intensity must be a number >= 0 (e.g. 2).",
    ),
    (
        "event_after_the_run",
        top(events=[{"kind": "stress", "time": "8 d", "duration": "30 min"}]),
        "events[0].time: got 8 d; an event must start within the run: 0 h <= time < 7 d.",
    ),
    (
        "event_every_without_count",
        top(events=[{"kind": "stress", "time": "1 d", "duration": "30 min", "every": "1 d"}]),
        "events[0].every: got 1 d without count; repeated events need both (e.g. every: 72 "
        "h, count: 4).",
    ),
    (
        "event_repeats_overlap",
        top(
            events=[
                {"kind": "stress", "time": "1 d", "duration": "2 h", "every": "1 h", "count": 3}
            ]
        ),
        "events[0].every: got 1 h; each episode lasts 2 h, so repeats would overlap; every "
        "must be >= duration.",
    ),
    (
        "event_unknown_field",
        top(events=[{"kind": "stress", "time": "1 d", "duration": "30 min", "strength": 2}]),
        "events[0].strength: got an unknown field; an event has the fields count, duration, "
        "every, intensity, kind, time.",
    ),
    (
        "events_not_a_list",
        top(events="stress"),
        "events: got 'stress'; events must be a list of events, or [] for none.",
    ),
    (
        "name_not_text",
        top(name=5),
        "name: got 5; a name must be text (e.g. 'naltrexone then heroin').",
    ),
]


def test_the_base_scenario_is_valid():
    # Each bad case differs from it in one place, so this is what makes them fail.
    assert Scenario.model_validate(BASE, context={"catalog": CATALOG}).dose_records()


def test_case_ids_are_unique():
    ids = [case_id for case_id, _, _ in BAD_SCENARIOS]
    assert len(ids) == len(set(ids)) >= 25


@pytest.mark.parametrize(
    ("scenario", "message"),
    [pytest.param(scenario, message, id=case_id) for case_id, scenario, message in BAD_SCENARIOS],
)
def test_bad_scenario_gives_one_exact_line(scenario: Any, message: str):
    with pytest.raises(ConfigError) as caught:
        Scenario.model_validate(scenario, context={"catalog": CATALOG})
    assert str(caught.value) == message
    assert len(str(caught.value).splitlines()) == 1


def test_config_error_is_also_a_value_error():
    with pytest.raises(ValueError, match=r"^doses\[0\]\.amount: got 0 mg;"):
        Scenario.model_validate(doses(dose(amount="0 mg")), context={"catalog": CATALOG})


def test_direct_construction_errors_convert_with_their_field_path():
    # Scenario(...) raises pydantic's error; config_error_from makes it the same one line.
    data = top(duration="0 d")
    with pytest.raises(ValidationError) as caught:
        Scenario(**data)
    assert str(config_error_from(caught.value)) == (
        "duration: got 0 d; the run length must be > 0 (e.g. 7 d)."
    )


def test_only_the_first_of_several_errors_is_reported():
    data = doses(dose(amount="-1 mg"), dose(amount="-2 mg"))
    with pytest.raises(ConfigError, match=r"^doses\[0\]\.amount: got -1 mg;"):
        Scenario.model_validate(data, context={"catalog": CATALOG})
