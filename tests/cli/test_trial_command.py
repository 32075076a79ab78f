"""``opioidsim trial``: the example trial file runs and reports; bad input exits 2 in one line."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml
from typer.testing import CliRunner

from opioidsim.cli.app import EXIT_BAD_INPUT, app

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "trials" / "inagaki_2016_naltrexone_crossover.yaml"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def invoke(*args: str | Path):
    return CliRunner().invoke(app, ["trial", *(str(a) for a in args)])


def _small_example(tmp_path: Path) -> Path:
    """The example, with fewer subjects and sizes so that the test is quick."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["design"]["subjects"] = 4
    data["power"]["sample_sizes"] = [2, 4]
    path = tmp_path / "trial.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_trial_command_writes_endpoints_analysis_power_and_report(tmp_path):
    out = tmp_path / "out"
    result = invoke(_small_example(tmp_path), "-o", out, "--replicates", "2")
    assert result.exit_code == 0, result.output
    text = ANSI.sub("", result.output)
    assert "lab_connection_rating: naltrexone minus placebo = " in text
    endpoints = pd.read_csv(out / "endpoints.csv")
    assert set(endpoints["arm"]) == {"naltrexone", "placebo"}
    assert endpoints["subject"].nunique() == 4
    assert pd.read_csv(out / "power.csv")["replicates"].tolist() == [2, 2]
    assert (
        (out / "report.md")
        .read_text(encoding="utf-8")
        .startswith("# naltrexone vs placebo crossover")
    )
    assert (out / "endpoints.png").stat().st_size > 0 and (out / "power.png").stat().st_size > 0


def test_a_bad_trial_file_exits_2_with_one_line(tmp_path):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["design"]["washout"] = "ten days"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    result = invoke(path, "-o", tmp_path / "out")
    assert result.exit_code == EXIT_BAD_INPUT
    assert ANSI.sub("", result.output).strip() == (
        "ConfigError: trial.design.washout: got 'ten days'; give a time with a unit, e.g. '10 d'."
    )
