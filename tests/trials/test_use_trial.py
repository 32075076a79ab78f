"""Use trials from YAML (``trials/use_trial.py``): arms of the same people with their own
treatment, endpoints with 95 % intervals, one-line errors, and the same days for any
worker count or chunking."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from opioidsim.cli.app import EXIT_BAD_INPUT, app
from opioidsim.errors import ConfigError
from opioidsim.trials.use_trial import parse_use_trial, run_use_trial

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "trials" / "xr_naltrexone_vs_placebo_after_detox.yaml"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def small(**changes) -> dict:
    """The example with a short history, two weeks of decisions and a few people."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["doses"][0]["for"] = "5 d"
    data["opioid_use"]["start"] = "6 d"
    data["opioid_use"]["days"] = 14
    for arm in data["arms"]:
        arm["people"] = 5
    data.update(changes)
    return data


def test_the_example_is_a_valid_use_trial_with_two_arms():
    trial = parse_use_trial(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    assert [a.name for a in trial.arms] == ["xr_naltrexone", "placebo"]
    assert trial.control == "placebo"
    assert trial.arm("xr_naltrexone").block.medication_dose is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"arms": []},
            "trial.arms: got []; give a list of arms",
        ),
        (
            {"arms": [{"name": "a", "people": 0}]},
            "trial.arms[0].people: got 0; give a whole number of people from 1 to 100000.",
        ),
        (
            {"arms": [{"name": "a", "people": 3}, {"name": "a", "people": 3}]},
            "trial.arms[1].name: got 'a' twice; arm names must differ.",
        ),
        (
            {"arms": [{"name": "a", "people": 3, "treatment": {"medication": "aspirin"}}]},
            "trial.arms[0] (a): opioid_use.treatment.medication: got 'aspirin'",
        ),
        (
            {"control": "usual care"},
            "trial.control: got 'usual care'; give one of the arms: xr_naltrexone, placebo.",
        ),
        (
            {"population": [1, 2]},
            "trial.population: got [1, 2]; give {seed: 1,",
        ),
        (
            {"opioid_use": None},
            "trial.opioid_use: got None; must be a mapping",
        ),
        (
            {"duration": "30 d"},
            "trial.duration: got an unknown field; a use trial has the fields",
        ),
    ],
)
def test_bad_use_trials_are_one_line_errors_naming_the_field(change, message):
    with pytest.raises(ConfigError) as info:
        parse_use_trial(small(**change))
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_a_treatment_in_the_shared_block_is_refused():
    data = small()
    data["opioid_use"]["treatment"] = {"medication": "placebo"}
    with pytest.raises(ConfigError, match=r"^trial\.opioid_use\.treatment: a use trial gives"):
        parse_use_trial(data)


def test_a_bad_use_trial_file_exits_2_with_one_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(small(control="usual care")))
    result = CliRunner().invoke(app, ["trial", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == EXIT_BAD_INPUT
    assert ANSI.sub("", result.output).strip() == (
        "ConfigError: trial.control: got 'usual care'; give one of the arms: xr_naltrexone, "
        "placebo."
    )


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory):
    out = tmp_path_factory.mktemp("use-trial")
    return run_use_trial(parse_use_trial(small()), out), out


def test_a_use_trial_writes_endpoints_comparisons_days_report_and_figure(one_worker):
    _, out = one_worker
    endpoints = pd.read_csv(out / "endpoints.csv")
    assert set(endpoints["arm"]) == {"xr_naltrexone", "placebo"}
    inducted = endpoints[endpoints["endpoint"] == "inducted (%)"]
    assert (inducted["lower_95"] <= inducted["estimate"]).all()
    assert (inducted["estimate"] <= inducted["upper_95"]).all()
    comparisons = pd.read_csv(out / "comparisons.csv")
    assert set(comparisons["arm"]) == {"xr_naltrexone"}
    assert "risk ratio of relapse" in set(comparisons["comparison"])
    days = pd.read_csv(out / "days.csv")
    assert len(days) == 2 * 5 * 14
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# XR-naltrexone")
    assert (out / "trial.png").stat().st_size > 0


def test_the_arms_are_the_same_people(one_worker):
    run, _ = one_worker
    xr, placebo = run.runs["xr_naltrexone"], run.runs["placebo"]
    np.testing.assert_array_equal(xr.lapse_propensity, placebo.lapse_propensity)
    # Before the first injection acts both arms decide alike on day 1.
    np.testing.assert_array_equal(xr.used[:, 0], placebo.used[:, 0])


def test_two_workers_and_small_chunks_give_the_same_days(one_worker, tmp_path):
    run, _ = one_worker
    other = run_use_trial(parse_use_trial(small()), tmp_path / "two", workers=2, chunk_size=2)
    for name in ("xr_naltrexone", "placebo"):
        for field in ("used", "in_care", "medicated", "left_day", "induction_day"):
            np.testing.assert_array_equal(
                getattr(run.runs[name], field), getattr(other.runs[name], field)
            )
