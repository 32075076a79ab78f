"""Property tests: whatever a scenario holds, loading it either succeeds or raises one line.

Random structures, random quantity text, mutated valid scenarios and YAML-ish text go into
``load_scenario``. The only exception allowed is ``ConfigError`` with a one-line message of
the shape ``<where>: got <value>; <what is valid>``. Scenarios that load must give dose
records with finite, non-negative amounts inside the run, an increasing output grid from 0
to the end, and the same scenario back from ``to_dict`` and ``to_yaml``.
"""

from __future__ import annotations

import copy
import math
import re
from typing import Any

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opioidsim.errors import ConfigError
from opioidsim.io.config import load_scenario
from opioidsim.protocols import Scenario
from opioidsim.protocols.doses import TIME_TOLERANCE_H

from helpers.catalogs import CATALOG

VALID: dict[str, Any] = {
    "name": "naltrexone then heroin",
    "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
    "duration": "7 d",
    "output_interval": "1 h",
    "seed": 1,
    "doses": [
        {
            "drug": "naltrexone",
            "amount": "50 mg",
            "route": "oral",
            "time": "0 h",
            "every": "24 h",
            "for": "5 d",
        },
        {"drug": "heroin", "amount": "0.2 mg/kg", "route": "iv", "time": "5 d"},
        {"drug": "morphine", "route": "iv", "rate": "2 mg/h", "duration": "4 h", "time": "1 d"},
        {"drug": "oxytocin", "amount": "24 IU", "route": "intranasal", "time": "2 h"},
        {
            "drug": "morphine",
            "amount": "5 mg",
            "route": "sc",
            "time": "2 d",
            "every": "6 h",
            "count": 3,
        },
    ],
}

# One line, "<where>: got <value>; <what is valid>" (STYLE.md section 7).
MESSAGE_SHAPE = re.compile(r"[^\n]+?: got [^\n]+?; [^\n]+")

FIELDS = [
    "name",
    "subject",
    "duration",
    "output_interval",
    "output_times",
    "seed",
    "doses",
    "events",
    "species",
    "sex",
    "body_weight",
    "drug",
    "route",
    "time",
    "amount",
    "rate",
    "every",
    "for",
    "for_",
    "count",
]
UNITS = [
    "mg",
    "ug",
    "µg",
    "g",
    "kg",
    "ng",
    "nmol",
    "umol",
    "mol",
    "IU",
    "h",
    "min",
    "s",
    "d",
    "week",
    "year",
    "mg/kg",
    "ug/kg",
    "mg/h",
    "mg/kg/h",
    "ug/kg/min",
    "IU/h",
    "nmol/h",
    "IU/kg",
    "",
    "mgg",
    "1/h",
    "h^-1",
    "m**9**9",
    "degC",
    "percent",
    "kg^99",
    "**",
    "/",
    "mg//kg",
    "g/mg",
    "in",
    "mg kg",
    "mg*h",
    "a",
    "_",
    "mol/kg",
    "lb",
    "h**2",
    # pint's unit parser fails on these with KeyError, ValueError or AssertionError
    "m**-0",
    "h^0",
    "nan",
    "mg*",
]
NAMES = [
    "morphine",
    "heroin",
    "naltrexone",
    "oxytocin",
    "iv",
    "oral",
    "sc",
    "smoked",
    "intranasal",
    "im_depot",
    "human",
    "rat",
    "mouse",
    "dog",
    "male",
    "female",
]

numbers = st.one_of(
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, -1, 0.5, 3, 24, 1e-320, 1e308]),
)
number_text = st.one_of(
    numbers.map(str), st.sampled_from(["1e400", "-0", ".5", "5.", "1e", "nan", "inf", "0x10"])
)
quantity_text = st.builds(
    lambda number, space, unit: f"{number}{space}{unit}",
    number_text,
    st.sampled_from(["", " ", "  ", "\t"]),
    st.sampled_from(UNITS),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    st.text(max_size=12),
    quantity_text,
    st.sampled_from(NAMES + FIELDS),
)
keys = st.one_of(st.sampled_from(FIELDS), st.text(max_size=8), st.integers(-3, 3), st.none())
junk = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=16,
)


def _assert_one_line_config_error(error: ConfigError) -> None:
    message = str(error)
    assert type(error) is ConfigError
    assert len(message.splitlines()) == 1, message
    assert "Traceback" not in message
    assert MESSAGE_SHAPE.fullmatch(message), message


def _assert_valid_scenario(loaded: Scenario) -> None:
    end_h = loaded.duration_h
    records = loaded.dose_records()
    times = [record.time_h for record in records]
    assert times == sorted(times)
    for record in records:
        assert 0.0 <= record.time_h < end_h
        assert math.isfinite(record.total_nmol) and record.total_nmol >= 0.0
        assert record.end_h <= end_h + TIME_TOLERANCE_H
    grid = loaded.output_times_h()
    assert grid[0] == 0.0 and grid[-1] == end_h
    assert np.all(np.diff(grid) > 0)
    again = Scenario.model_validate(loaded.to_dict(), context={"catalog": CATALOG})
    assert again == loaded
    assert again.dose_records() == records
    from_yaml = Scenario.model_validate(
        yaml.safe_load(loaded.to_yaml()), context={"catalog": CATALOG}
    )
    assert from_yaml == loaded


def _load(data: Any) -> None:
    try:
        loaded = load_scenario(data, catalog=CATALOG)
    except ConfigError as error:
        _assert_one_line_config_error(error)
    else:
        _assert_valid_scenario(loaded)


@st.composite
def mutated_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A valid scenario with one to four fields replaced, removed or added at any depth."""
    data = copy.deepcopy(VALID)
    values = st.one_of(junk, quantity_text, st.sampled_from(NAMES))
    for _ in range(draw(st.integers(1, 4))):
        node: Any = data
        while True:
            if isinstance(node, dict):
                places: list[Any] = list(node)
            elif isinstance(node, list):
                places = list(range(len(node)))
            else:
                break
            if not places:
                break
            place = draw(st.sampled_from(places))
            child = node[place]
            if isinstance(child, dict | list) and child and draw(st.booleans()):
                node = child
                continue
            action = draw(st.sampled_from(["replace", "remove", "add"]))
            if action == "replace":
                node[place] = draw(values)
            elif action == "remove":
                del node[place]
            elif isinstance(node, dict):
                node[draw(keys)] = draw(values)
            else:
                node.append(draw(values))
            break
    return data


@settings(max_examples=300, deadline=None)
@given(junk)
def test_random_structures_give_a_scenario_or_one_config_error_line(data: Any):
    _load(data)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), junk, max_size=8))
def test_random_top_level_fields_give_a_scenario_or_one_config_error_line(data: Any):
    _load(data)


@settings(max_examples=500, deadline=None)
@given(mutated_scenarios())
def test_mutated_scenarios_give_a_scenario_or_one_config_error_line(data: dict[str, Any]):
    _load(data)


@settings(max_examples=300, deadline=None)
@given(
    field=st.sampled_from(["amount", "rate", "time", "duration", "every", "for"]),
    text=st.one_of(quantity_text, st.text(max_size=20)),
)
def test_random_quantity_text_in_a_dose_gives_a_scenario_or_one_config_error_line(
    field: str, text: str
):
    data = copy.deepcopy(VALID)
    data["doses"][2][field] = text
    _load(data)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "  ", "    ", "\t", "- ", "  - "]),
            st.one_of(st.sampled_from(FIELDS), st.text(max_size=6)),
            st.sampled_from([": ", ":", " : ", ": ", ""]),
            st.one_of(
                quantity_text,
                st.text(max_size=15),
                st.sampled_from(
                    [
                        "{drug: morphine, amount: 5 mg, route: iv, time: 0 h}",
                        "[0 h, 1 h]",
                        "{species: human, sex: male, body_weight: 70 kg}",
                        "[",
                        "{",
                        "&a",
                        "*a",
                        "!!python/object:os.system",
                        "2024-13-01",
                        "|",
                        ">",
                        "'",
                        '"',
                        "~",
                        "[]",
                    ]
                ),
            ),
        ),
        max_size=12,
    )
)
def test_yaml_ish_files_give_a_scenario_or_one_config_error_line(tmp_path_factory, lines):
    path = tmp_path_factory.getbasetemp() / "random.yaml"
    path.write_text("\n".join(f"{a}{b}{c}{d}" for a, b, c, d in lines), encoding="utf-8")
    _load(path)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_random_bytes_in_a_file_give_a_scenario_or_one_config_error_line(tmp_path_factory, raw):
    path = tmp_path_factory.getbasetemp() / "random.bin.yaml"
    path.write_bytes(raw)
    _load(str(path))


@st.composite
def valid_bolus_protocols(draw: st.DrawFn) -> tuple[dict[str, Any], int]:
    """A valid human scenario of boluses and repeats, and the number of doses it gives."""
    duration_h = draw(st.integers(1, 24 * 60))
    doses: list[dict[str, Any]] = []
    expected = 0
    for _ in range(draw(st.integers(0, 6))):
        name = draw(st.sampled_from(sorted(CATALOG)))
        route = draw(st.sampled_from(sorted(CATALOG[name].routes)))
        unit = "IU" if CATALOG[name].mass_per_international_unit is not None else "mg"
        amount = draw(st.floats(1e-6, 1e3, allow_nan=False))
        time_h = draw(st.integers(0, duration_h - 1))
        dose = {"drug": name, "route": route, "time": f"{time_h} h", "amount": f"{amount} {unit}"}
        if draw(st.booleans()):
            every_h = draw(st.integers(1, 48))
            fits = len(range(time_h, duration_h, every_h))
            count = draw(st.integers(1, fits))
            dose |= {"every": f"{every_h} h", "count": count}
            expected += count
        else:
            expected += 1
        doses.append(dose)
    scenario = {
        "subject": {"species": "human", "sex": "female", "body_weight": "60 kg"},
        "duration": f"{duration_h} h",
        "output_interval": f"{draw(st.integers(1, duration_h))} h",
        "doses": doses,
    }
    return scenario, expected


@settings(max_examples=200, deadline=None)
@given(valid_bolus_protocols())
def test_valid_protocols_give_one_positive_record_per_administration(case):
    data, expected = case
    loaded = load_scenario(data, catalog=CATALOG)
    records = loaded.dose_records()
    assert len(records) == expected
    assert all(record.amount_nmol is not None and record.amount_nmol > 0 for record in records)
    _assert_valid_scenario(loaded)
