"""``opioidsim sensitivity``: writes the table, the runs and a plot; bad input exits 2."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml
from typer.testing import CliRunner

from opioidsim.cli.app import EXIT_BAD_INPUT, app

SCENARIO = {
    "name": "morphine 10 mg IV",
    "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
    "duration": "6 h",
    "output_interval": "15 min",
    "doses": [{"drug": "morphine", "amount": "10 mg", "route": "iv", "time": "0 h"}],
}


def _scenario(tmp_path: Path) -> Path:
    path = tmp_path / "morphine.yaml"
    path.write_text(yaml.safe_dump(SCENARIO), encoding="utf-8")
    return path


def test_sensitivity_command_writes_table_runs_and_plot(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [
        "sensitivity", str(_scenario(tmp_path)), "-p", "morphine.clearance",
        "-p", "mu_receptor.dissociation_constant[morphine]",
        "-e", "morphine.plasma_concentration@2 h", "-e", "mu_receptor.stimulus:max",
        "--samples", "16", "-o", str(out),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "sensitivity.csv")
    assert len(table) == 4 and {"S1", "ST", "S1_conf", "ST_conf"} <= set(table.columns)
    assert len(pd.read_csv(out / "runs.csv")) == 16 * 4
    assert (out / "sensitivity.png").stat().st_size > 10_000


def test_bad_parameter_exits_2_with_one_line(tmp_path):
    result = CliRunner().invoke(app, [
        "sensitivity", str(_scenario(tmp_path)), "-p", "morphine.clerance",
        "-e", "morphine.plasma_concentration@2 h", "-o", str(tmp_path / "out"),
    ])  # fmt: skip
    assert result.exit_code == EXIT_BAD_INPUT
    assert "parameter: got 'morphine.clerance'" in result.output
    assert "Traceback" not in result.output
