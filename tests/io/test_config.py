"""Scenario files: examples load, file problems give one ConfigError line naming the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from opioidsim.errors import ConfigError
from opioidsim.io.config import load_scenario
from opioidsim.model.catalog import DrugInfo, RouteInfo, drug_catalog
from opioidsim.protocols import Scenario
from opioidsim.units import Q_

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

#: A conversion is a handful of float multiplications: agreement to ~1e-15, checked at 1e-12.
CONVERSION_RTOL = 1e-12


def _route(name: str, infusion: bool = False) -> RouteInfo:
    return RouteInfo(name, f"{name} route", infusion)


# The drugs the examples use, fixed here: the model's catalog grows as drug modules land.
CATALOG = {
    "morphine": DrugInfo(
        "morphine",
        "morphine",
        {"iv": _route("iv", True), "sc": _route("sc"), "oral": _route("oral")},
        ("human",),
        Q_(285.34, "g/mol"),
        None,
    ),
    "heroin": DrugInfo(
        "heroin",
        "diacetylmorphine",
        {"iv": _route("iv", True), "smoked": _route("smoked")},
        ("human",),
        Q_(369.4, "g/mol"),
        None,
    ),
    "naltrexone": DrugInfo(
        "naltrexone",
        "naltrexone HCl",
        {"oral": _route("oral"), "im_depot": _route("im_depot")},
        ("human",),
        Q_(377.86, "g/mol"),
        None,
    ),
}

VALID: dict[str, Any] = {
    "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
    "duration": "1 d",
    "output_interval": "1 h",
    "doses": [{"drug": "morphine", "amount": "5 mg", "route": "iv", "time": "0 h"}],
}

VALID_YAML = """\
subject: {species: human, sex: male, body_weight: 70 kg}
duration: 1 d
output_interval: 1 h
doses:
  - {drug: morphine, amount: 5 mg, route: iv, time: 0 h}
"""

HINT = "give the path of a scenario YAML file (e.g. examples/morphine_iv.yaml)."
CHECK_LINE = "check the indentation, quoting and keys on that line."


def _write(tmp_path: Path, text: str | bytes, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- examples


def _g_per_mol(drug: str, route: str) -> float:
    """Molar mass of the dosed form in the model's catalog, g/mol."""
    info = drug_catalog()[drug]
    dose_form = info.routes[route].molar_mass or info.molar_mass
    return float(dose_form.to("g/mol").magnitude)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda path: path.name)
def test_every_example_loads_against_the_model_catalog(path: Path):
    loaded = load_scenario(path)
    assert loaded.dose_records()
    assert Scenario.model_validate(loaded.to_dict()) == loaded


def test_the_morphine_example_gives_a_bolus_then_an_infusion():
    loaded = load_scenario(EXAMPLES / "morphine_iv.yaml")
    g_per_mol = _g_per_mol("morphine", "iv")
    bolus, infusion = loaded.dose_records()
    assert bolus.amount_nmol == pytest.approx(10e-3 / g_per_mol * 1e9, rel=CONVERSION_RTOL)
    assert (infusion.time_h, infusion.duration_h) == (1.0, 4.0)
    assert infusion.total_nmol == pytest.approx(8e-3 / g_per_mol * 1e9, rel=CONVERSION_RTOL)


def test_the_naltrexone_example_gives_five_tablets_then_heroin():
    loaded = load_scenario(EXAMPLES / "naltrexone_then_heroin.yaml")
    records = loaded.dose_records()
    assert [(record.drug, record.time_h) for record in records] == [
        ("naltrexone", 0.0),
        ("naltrexone", 24.0),
        ("naltrexone", 48.0),
        ("naltrexone", 72.0),
        ("naltrexone", 96.0),
        ("heroin", 120.0),
    ]
    tablet = 50e-3 / _g_per_mol("naltrexone", "oral") * 1e9
    challenge = 0.2e-3 * 70 / _g_per_mol("heroin", "iv") * 1e9
    assert records[0].amount_nmol == pytest.approx(tablet, rel=CONVERSION_RTOL)
    assert records[-1].amount_nmol == pytest.approx(challenge, rel=CONVERSION_RTOL)


# --------------------------------------------------------------------------- sources


def test_a_file_given_as_text_or_path_loads_the_same(tmp_path: Path):
    path = _write(tmp_path, VALID_YAML)
    by_path = load_scenario(path, catalog=CATALOG)
    assert load_scenario(str(path), catalog=CATALOG) == by_path
    assert load_scenario(VALID, catalog=CATALOG) == by_path


def test_a_scenario_is_returned_as_it_is():
    loaded = load_scenario(VALID, catalog=CATALOG)
    assert load_scenario(loaded) is loaded


def test_a_scenario_is_validated_again_against_a_given_catalog():
    loaded = load_scenario(VALID, catalog=CATALOG)
    without_morphine = {name: drug for name, drug in CATALOG.items() if name != "morphine"}
    with pytest.raises(ConfigError, match=r"^doses\[0\]\.drug: got 'morphine'; known drugs"):
        load_scenario(loaded, catalog=without_morphine)


def test_something_else_is_refused():
    with pytest.raises(ConfigError) as caught:
        load_scenario(5)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "scenario: got 5; give a path to a YAML file, a mapping or a Scenario."
    )


def test_to_yaml_written_to_a_file_loads_back(tmp_path: Path):
    loaded = load_scenario(VALID, catalog=CATALOG)
    path = _write(tmp_path, loaded.to_yaml())
    assert load_scenario(path, catalog=CATALOG) == loaded


# --------------------------------------------------------------------------- bad files


def test_a_missing_file_is_named(tmp_path: Path):
    path = tmp_path / "missing.yaml"
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert str(caught.value) == f"{path}: got a path that does not exist; {HINT}"


def test_a_directory_is_refused(tmp_path: Path):
    with pytest.raises(ConfigError) as caught:
        load_scenario(tmp_path)
    assert str(caught.value) == f"{tmp_path}: got a directory; {HINT}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            VALID_YAML.replace("time: 0 h}", "time: 0 h"),
            "line 5: got invalid YAML (expected ',' or '}', but got '<stream end>'); "
            + CHECK_LINE,
            id="unclosed_flow_mapping",
        ),
        pytest.param(
            "duration: 7 d\n  output_interval: 1 h\n",
            "line 2: got invalid YAML (mapping values are not allowed here); " + CHECK_LINE,
            id="bad_indentation",
        ),
        pytest.param(
            VALID_YAML + "duration: 2 d\n",
            "line 6: got invalid YAML (key 'duration' given twice, first on line 2); "
            + CHECK_LINE,
            id="duplicated_key",
        ),
        pytest.param(
            "doses:\n  - {drug: morphine, drug: heroin}\n",
            "line 2: got invalid YAML (key 'drug' given twice, first on line 2); " + CHECK_LINE,
            id="duplicated_key_in_a_flow_mapping",
        ),
        pytest.param(
            "duration: !!python/object:os.system x\n",
            "line 1: got invalid YAML (could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object:os.system'); " + CHECK_LINE,
            id="python_tag",
        ),
    ],
)
def test_invalid_yaml_names_the_file_and_line(tmp_path: Path, text: str, message: str):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert str(caught.value) == f"{path}, {message}"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            "",
            "got an empty file; a scenario needs at least subject, duration and output_interval.",
            id="empty",
        ),
        pytest.param(
            "# only a comment\n",
            "got an empty file; a scenario needs at least subject, duration and output_interval.",
            id="only_a_comment",
        ),
        pytest.param(
            b"duration: \xff\xfe 7 d\n",
            "got a file that is not UTF-8 text; save it as UTF-8.",
            id="not_utf8",
        ),
        pytest.param(
            "duration: 2024-13-01\n",
            "got a value YAML cannot read (month must be in 1..12); quote it if it is text.",
            id="impossible_date",
        ),
    ],
)
def test_unreadable_files_are_named(tmp_path: Path, content: str | bytes, message: str):
    path = _write(tmp_path, content)
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert str(caught.value) == f"{path}: {message}"


def test_an_invalid_scenario_in_a_file_gives_the_same_line_as_the_mapping(tmp_path: Path):
    path = _write(tmp_path, VALID_YAML.replace("amount: 5 mg", "amount: -5 mg"))
    expected = "doses[0].amount: got -5 mg; a dose must be > 0 (e.g. 50 mg)."
    with pytest.raises(ConfigError) as from_file:
        load_scenario(path, catalog=CATALOG)
    bad = {**VALID, "doses": [{**VALID["doses"][0], "amount": "-5 mg"}]}
    with pytest.raises(ConfigError) as from_mapping:
        load_scenario(bad, catalog=CATALOG)
    assert str(from_file.value) == str(from_mapping.value) == expected


def test_a_bare_number_in_a_file_asks_for_a_unit(tmp_path: Path):
    path = _write(tmp_path, VALID_YAML.replace("duration: 1 d", "duration: 24"))
    with pytest.raises(ConfigError) as caught:
        load_scenario(path, catalog=CATALOG)
    assert str(caught.value) == "duration: got 24; give a unit, e.g. '7 d' (a time)."


def test_a_file_holding_a_list_is_refused(tmp_path: Path):
    path = _write(tmp_path, "- a\n- b\n")
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert str(caught.value) == (
        "scenario: got ['a', 'b']; a scenario must be a mapping (e.g. {subject: {...}, "
        "duration: 7 d, output_interval: 1 h, doses: []})."
    )
