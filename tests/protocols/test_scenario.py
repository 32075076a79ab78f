"""Valid scenarios: unit conversion to nmol, repeats, output grid, round trips."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pydantic
import pytest
from numpy.testing import assert_allclose

from opioidsim.errors import ConfigError
from opioidsim.model.catalog import DrugInfo, drug_catalog
from opioidsim.protocols import Dose, DoseRecord, Scenario, Subject, format_quantity
from opioidsim.units import Q_

from helpers.catalogs import (
    CATALOG,
    HEROIN_G_PER_MOL,
    MORPHINE_G_PER_MOL,
    NALTREXONE_HCL_G_PER_MOL,
    OXYTOCIN_G_PER_MOL,
    OXYTOCIN_UG_PER_IU,
    route,
)

#: A conversion is a handful of float multiplications: agreement to ~1e-15, checked at 1e-12.
CONVERSION_RTOL = 1e-12

NMOL_PER_MOL = 1e9


HUMAN = {"species": "human", "sex": "male", "body_weight": "70 kg"}


def scenario(*doses: dict[str, Any], **fields: Any) -> Scenario:
    data: dict[str, Any] = {
        "subject": HUMAN,
        "duration": "7 d",
        "output_interval": "1 h",
        "doses": list(doses),
    }
    data.update(fields)
    return Scenario.model_validate(data, context={"catalog": CATALOG})


def only_record(*doses: dict[str, Any], **fields: Any) -> DoseRecord:
    (record,) = scenario(*doses, **fields).dose_records()
    return record


def bolus(drug: str, amount: str, route: str, time: str = "0 h", **extra: Any) -> dict[str, Any]:
    return {"drug": drug, "amount": amount, "route": route, "time": time, **extra}


# --------------------------------------------------------------------------- conversion


def test_naltrexone_hcl_mass_becomes_nmol_through_its_molar_mass():
    record = only_record(bolus("naltrexone", "50 mg", "oral"))
    expected = 50e-3 / NALTREXONE_HCL_G_PER_MOL * NMOL_PER_MOL  # ~132,324 nmol
    assert record.amount_nmol == pytest.approx(expected, rel=CONVERSION_RTOL)
    assert not record.is_infusion


def test_per_kg_dose_is_multiplied_by_the_body_weight():
    record = only_record(bolus("heroin", "0.2 mg/kg", "iv"))
    expected = 0.2e-3 * 70 / HEROIN_G_PER_MOL * NMOL_PER_MOL  # 14 mg
    assert record.amount_nmol == pytest.approx(expected, rel=CONVERSION_RTOL)


def test_per_kg_dose_follows_the_subject_body_weight():
    light = only_record(
        bolus("heroin", "0.2 mg/kg", "iv"), subject={**HUMAN, "body_weight": "50 kg"}
    )
    heavy = only_record(
        bolus("heroin", "0.2 mg/kg", "iv"), subject={**HUMAN, "body_weight": "100 kg"}
    )
    assert heavy.total_nmol == pytest.approx(2 * light.total_nmol, rel=CONVERSION_RTOL)


def test_international_units_go_through_the_mass_per_unit():
    record = only_record(bolus("oxytocin", "24 IU", "intranasal"))
    expected = 24 * OXYTOCIN_UG_PER_IU * 1e-6 / OXYTOCIN_G_PER_MOL * NMOL_PER_MOL  # ~40 nmol
    assert record.amount_nmol == pytest.approx(expected, rel=CONVERSION_RTOL)


def test_substance_amounts_are_kept_as_nmol():
    assert only_record(bolus("morphine", "2.5 umol", "iv")).amount_nmol == pytest.approx(
        2500.0, rel=CONVERSION_RTOL
    )


@pytest.mark.parametrize("micrograms", ["100 ug", "100 µg", "100 μg", "100 mcg", "0.1 mg"])
def test_every_spelling_of_micrograms_gives_the_same_dose(micrograms: str):
    record = only_record(bolus("morphine", micrograms, "iv"))
    expected = 100e-6 / MORPHINE_G_PER_MOL * NMOL_PER_MOL
    assert record.amount_nmol == pytest.approx(expected, rel=CONVERSION_RTOL)


def test_infusion_rate_in_mg_per_h_becomes_nmol_per_h():
    record = only_record(
        {"drug": "morphine", "route": "iv", "rate": "2 mg/h", "duration": "4 h", "time": "1 d"}
    )
    assert record.is_infusion
    assert record.amount_nmol is None
    assert record.rate_nmol_per_h == pytest.approx(
        2e-3 / MORPHINE_G_PER_MOL * NMOL_PER_MOL, rel=CONVERSION_RTOL
    )
    assert (record.time_h, record.duration_h, record.end_h) == (24.0, 4.0, 28.0)


def test_infusion_rate_per_kg_per_minute_is_converted():
    record = only_record(
        {
            "drug": "morphine",
            "route": "iv",
            "rate": "1 ug/kg/min",
            "duration": "30 min",
            "time": "0 h",
        }
    )
    expected = 1e-6 * 70 * 60 / MORPHINE_G_PER_MOL * NMOL_PER_MOL
    assert record.rate_nmol_per_h == pytest.approx(expected, rel=CONVERSION_RTOL)
    assert record.duration_h == pytest.approx(0.5, rel=CONVERSION_RTOL)


def test_an_amount_given_over_a_duration_is_an_infusion_of_the_same_total():
    by_amount = only_record(
        {"drug": "morphine", "route": "iv", "amount": "8 mg", "duration": "4 h", "time": "0 h"}
    )
    by_rate = only_record(
        {"drug": "morphine", "route": "iv", "rate": "2 mg/h", "duration": "4 h", "time": "0 h"}
    )
    assert by_amount.is_infusion
    assert by_amount.rate_nmol_per_h == pytest.approx(by_rate.rate_nmol_per_h, CONVERSION_RTOL)
    assert by_amount.total_nmol == pytest.approx(
        8e-3 / MORPHINE_G_PER_MOL * NMOL_PER_MOL, rel=CONVERSION_RTOL
    )


def test_a_route_with_its_own_dose_form_uses_that_molar_mass():
    salt_g_per_mol = 758.83  # a salt form: the route's dose form, not the drug's base
    catalog = dict(CATALOG)
    morphine = CATALOG["morphine"]
    catalog["morphine"] = DrugInfo(
        "morphine",
        morphine.description,
        {**morphine.routes, "sc": route("sc", False, Q_(salt_g_per_mol, "g/mol"))},
        morphine.species,
        morphine.molar_mass,
        None,
    )
    data = {
        "subject": HUMAN,
        "duration": "1 d",
        "output_interval": "1 h",
        "doses": [bolus("morphine", "10 mg", "sc"), bolus("morphine", "10 mg", "iv")],
    }
    sc, iv = Scenario.model_validate(data, context={"catalog": catalog}).dose_records()
    assert sc.amount_nmol == pytest.approx(10e-3 / salt_g_per_mol * NMOL_PER_MOL, CONVERSION_RTOL)
    assert iv.amount_nmol == pytest.approx(
        10e-3 / MORPHINE_G_PER_MOL * NMOL_PER_MOL, CONVERSION_RTOL
    )


def test_a_dose_of_exactly_the_ceiling_is_allowed():
    assert only_record(bolus("morphine", "70 g", "oral")).total_nmol > 0  # 1 g/kg at 70 kg
    with pytest.raises(ConfigError, match="above the 1 g/kg"):
        scenario(bolus("morphine", "70.1 g", "oral"))


# --------------------------------------------------------------------------- repeats


def test_every_24_h_for_5_d_gives_5_doses():
    records = scenario(bolus("naltrexone", "50 mg", "oral", every="24 h", **{"for": "5 d"}))
    assert [record.time_h for record in records.dose_records()] == [0.0, 24.0, 48.0, 72.0, 96.0]


def test_count_gives_that_many_doses():
    records = scenario(bolus("naltrexone", "50 mg", "oral", "12 h", every="1 d", count=5))
    assert [record.time_h for record in records.dose_records()] == [12, 36, 60, 84, 108]


@pytest.mark.parametrize(
    ("every", "repeat_for", "count"),
    [
        ("8 h", "1 d", 3),
        ("7 h", "1 d", 4),
        ("24 h", "12 h", 1),
        ("1 d", "5 d", 5),
        ("30 min", "2 h", 4),
        ("0.1 h", "1 h", 10),
    ],
)
def test_for_counts_the_doses_that_start_before_its_end(every: str, repeat_for: str, count: int):
    records = scenario(bolus("morphine", "5 mg", "oral", every=every, **{"for": repeat_for}))
    assert len(records.dose_records()) == count


def test_repeats_keep_the_dose_and_source_index():
    records = scenario(
        bolus("morphine", "5 mg", "iv"),
        bolus("naltrexone", "50 mg", "oral", every="24 h", count=3),
    ).dose_records()
    naltrexone = [record for record in records if record.drug == "naltrexone"]
    assert {record.source_index for record in naltrexone} == {1}
    assert {record.amount_nmol for record in naltrexone} == {naltrexone[0].amount_nmol}


def test_coincident_doses_are_all_kept():
    records = scenario(
        bolus("morphine", "5 mg", "iv", "24 h"),
        bolus("morphine", "5 mg", "iv", "24 h"),
        bolus("morphine", "5 mg", "iv", "0 h", every="24 h", count=2),
    ).dose_records()
    at_24_h = [record for record in records if record.time_h == 24.0]
    assert [record.source_index for record in at_24_h] == [0, 1, 2]


def test_records_are_sorted_by_time_then_by_dose_index():
    records = scenario(
        bolus("heroin", "10 mg", "iv", "5 d"),
        bolus("naltrexone", "50 mg", "oral", "0 h", every="24 h", **{"for": "5 d"}),
        bolus("oxytocin", "24 IU", "intranasal", "2 h"),
    ).dose_records()
    keys = [(record.time_h, record.source_index) for record in records]
    assert keys == sorted(keys)
    assert [record.drug for record in records][:2] == ["naltrexone", "oxytocin"]


def test_a_dose_at_time_zero_is_allowed():
    assert only_record(bolus("morphine", "5 mg", "iv", "0 h")).time_h == 0.0


def test_repeated_infusions_may_follow_each_other_without_a_gap():
    records = scenario(
        {
            "drug": "morphine",
            "route": "iv",
            "rate": "1 mg/h",
            "duration": "8 h",
            "time": "0 h",
            "every": "8 h",
            "count": 3,
        },
        {"drug": "morphine", "route": "iv", "rate": "2 mg/h", "duration": "4 h", "time": "1 d"},
        duration="28 h",  # the last infusion ends exactly at the end of the run
    ).dose_records()
    assert [(record.time_h, record.end_h) for record in records] == [
        (0, 8),
        (8, 16),
        (16, 24),
        (24, 28),
    ]


def test_infusions_of_different_routes_or_drugs_may_overlap():
    records = scenario(
        {"drug": "morphine", "route": "iv", "rate": "1 mg/h", "duration": "8 h", "time": "0 h"},
        {"drug": "heroin", "route": "iv", "rate": "1 mg/h", "duration": "8 h", "time": "0 h"},
        {"drug": "oxytocin", "route": "iv", "rate": "1 IU/min", "duration": "8 h", "time": "0 h"},
    ).dose_records()
    assert len(records) == 3


def test_infusion_total_is_rate_times_duration():
    record = only_record(
        {"drug": "morphine", "route": "iv", "rate": "3 mg/h", "duration": "2 h", "time": "0 h"}
    )
    assert record.total_nmol == pytest.approx(6e-3 / MORPHINE_G_PER_MOL * NMOL_PER_MOL, 1e-12)


def test_dose_record_refuses_a_bolus_that_is_also_an_infusion():
    with pytest.raises(ConfigError, match="give amount_nmol"):
        DoseRecord(
            drug="morphine",
            route="iv",
            time_h=0.0,
            amount_nmol=1.0,
            rate_nmol_per_h=1.0,
            duration_h=1.0,
            source_index=0,
        )


# --------------------------------------------------------------------------- run and grid


def test_duration_and_body_weight_are_exposed_in_canonical_units():
    loaded = scenario(subject={**HUMAN, "body_weight": "154 lb"}, duration="1 week")
    assert loaded.duration_h == 168.0
    assert loaded.subject.body_weight_kg == pytest.approx(69.853, abs=1e-3)


def test_output_interval_grid_includes_zero_and_the_end():
    times = scenario(duration="1 d", output_interval="1 h").output_times_h()
    assert_allclose(times, np.arange(25.0))
    assert times.dtype == np.float64


def test_output_grid_ends_exactly_at_the_end_when_the_interval_does_not_divide_it():
    times = scenario(duration="1 d", output_interval="7 h").output_times_h()
    assert times.tolist() == [0.0, 7.0, 14.0, 21.0, 24.0]


def test_output_grid_of_an_interval_equal_to_the_run_is_its_two_ends():
    assert scenario(duration="1 d", output_interval="1 d").output_times_h().tolist() == [0, 24]


def test_output_times_are_used_with_zero_and_the_end_added():
    loaded = scenario(duration="1 d", output_interval=None, output_times=["30 min", "2 h", "1 d"])
    assert loaded.output_times_h().tolist() == [0.0, 0.5, 2.0, 24.0]


def test_output_grid_in_minutes_has_no_rounding_duplicates():
    times = scenario(duration="7 d", output_interval="10 min").output_times_h()
    assert len(times) == 7 * 24 * 6 + 1
    assert np.all(np.diff(times) > 0)
    assert times[-1] == 168.0


def test_a_baseline_run_has_no_doses():
    assert scenario().dose_records() == []
    data = {"subject": HUMAN, "duration": "1 d", "output_interval": "1 h"}
    assert Scenario.model_validate(data, context={"catalog": CATALOG}).doses == ()


# ------------------------------------------------------------- objects and round trips


FULL = {
    "name": "naltrexone then heroin",
    "subject": HUMAN,
    "duration": "7 d",
    "output_interval": "1 h",
    "seed": 1,
    "doses": [
        bolus("naltrexone", "50 mg", "oral", "0 h", every="24 h", **{"for": "5 d"}),
        bolus("heroin", "0.2 mg/kg", "iv", "5 d"),
        {"drug": "morphine", "route": "iv", "rate": "2 mg/h", "duration": "4 h", "time": "1 d"},
        bolus("oxytocin", "24 IU", "intranasal", "2 h"),
        bolus("morphine", "100 µg", "sc", "3.5 d", every="6 h", count=4),
        {
            "drug": "morphine",
            "route": "iv",
            "rate": "1.5 ug/kg/min",
            "duration": "90 min",
            "time": "2 d",
        },
    ],
}


def _full() -> Scenario:
    return Scenario.model_validate(copy.deepcopy(FULL), context={"catalog": CATALOG})


def test_to_dict_round_trips():
    loaded = _full()
    again = Scenario.model_validate(loaded.to_dict(), context={"catalog": CATALOG})
    assert again == loaded
    assert again.dose_records() == loaded.dose_records()


def test_to_dict_keeps_the_quantities_as_written():
    data = _full().to_dict()
    assert data["doses"][0] == FULL["doses"][0]
    assert data["doses"][1]["amount"] == "0.2 mg/kg"
    assert data["doses"][5]["rate"] == "1.5 µg/kg/min"
    assert "events" not in data


def test_to_yaml_round_trips(tmp_path):
    loaded = _full()
    path = tmp_path / "scenario.yaml"
    path.write_text(loaded.to_yaml(), encoding="utf-8")
    assert Scenario.from_yaml(path, catalog=CATALOG) == loaded


def test_to_yaml_writes_one_flow_mapping_per_dose():
    text = _full().to_yaml()
    assert (
        "- {drug: naltrexone, amount: 50 mg, route: oral, time: 0 h, every: 24 h, for: 5 d}"
        in (text)
    )


@pytest.mark.parametrize(
    "text", ["50 mg", "0.2 mg/kg", "2 µg/kg/min", "5 year", "1.5e-07 mol", "24 IU", "3 m^2"]
)
def test_format_quantity_writes_what_it_reads(text: str):
    assert format_quantity(Q_(text)) == text


def test_python_objects_and_quantities_are_accepted():
    loaded = Scenario.model_validate(
        {
            "subject": Subject(species="human", sex="female", body_weight=Q_(60, "kg")),
            "duration": Q_(2, "d"),
            "output_interval": "1 h",
            "doses": [
                Dose(
                    drug="naltrexone",
                    amount=Q_(50, "mg"),
                    route="oral",
                    time=Q_(0, "h"),
                    every=Q_(1, "d"),
                    for_=Q_(2, "d"),
                )
            ],
        },
        context={"catalog": CATALOG},
    )
    assert [record.time_h for record in loaded.dose_records()] == [0.0, 24.0]
    assert loaded.doses[0].for_ == Q_(2, "d")


def test_quantities_of_another_registry_are_refused():
    import pint

    other = pint.UnitRegistry()
    with pytest.raises(ConfigError, match=r"^duration: got 7 d from another unit registry"):
        scenario(duration=other.Quantity(7, "d"))


def test_a_scenario_is_frozen():
    loaded = scenario()
    with pytest.raises(pydantic.ValidationError):
        loaded.duration = Q_(1, "d")  # type: ignore[misc]


def test_validation_uses_the_model_catalog_by_default():
    # The model's catalog grows; pick any drug and route it has now.
    name, drug = next(iter(drug_catalog().items()))
    route = next(iter(drug.routes))
    data = {
        "subject": {"species": drug.species[0], "sex": "female", "body_weight": "0.25 kg"},
        "duration": "1 d",
        "output_interval": "1 h",
        "doses": [{"drug": name, "amount": "1 ug", "route": route, "time": "0 h"}],
    }
    if drug.species[0] == "human":
        data["subject"]["body_weight"] = "70 kg"
    elif drug.species[0] == "mouse":
        data["subject"]["body_weight"] = "0.025 kg"
    (record,) = Scenario.model_validate(data).dose_records()
    assert record.drug == name
