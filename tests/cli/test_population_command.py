"""``population_command``: writes the chunks, resumes, refuses bad input in one line."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import typer
from typer.testing import CliRunner

from opioidsim.cli.app import EXIT_BAD_INPUT
from opioidsim.cli.population import population_command

REPO = Path(__file__).resolve().parents[2]
SCENARIO = REPO / "examples" / "morphine_iv.yaml"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

app = typer.Typer()
app.command("population")(population_command)


@app.command()
def _other() -> None:  # a second command, so that "population" is a subcommand as in app.py
    """Unused."""


def invoke(*args: str | Path):
    return CliRunner().invoke(app, ["population", *(str(a) for a in args)])


def test_population_command_writes_chunks_and_resumes(tmp_path):
    spec = tmp_path / "population.yaml"
    spec.write_text(
        "size: 3\nseed: 1\nvariability:\n  - {parameter: morphine.clearance, cv: 0.3}\n"
    )
    out = tmp_path / "out"
    args = [
        SCENARIO,
        spec,
        "-o",
        out,
        "--chunk-size",
        "2",
        "--observable",
        "morphine.plasma_concentration",
    ]
    result = invoke(*args)
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert "wrote 3 subjects in 2 chunks to" in result.stdout
    table = pd.read_parquet(out)
    assert sorted(table["subject"].unique()) == [0, 1, 2]

    again = invoke(*args)
    assert again.exit_code == EXIT_BAD_INPUT
    assert "already holds a population run" in ANSI.sub("", again.stderr)

    resumed = invoke(*args, "--resume")
    assert resumed.exit_code == 0, (resumed.stderr, resumed.exception)
    assert "(2 kept from before)" in resumed.stdout


def test_a_bad_population_file_is_one_line_on_stderr(tmp_path):
    spec = tmp_path / "population.yaml"
    spec.write_text("size: 3\nseed: 1\nvariability:\n  - {parameter: morphine.clearance, cv: 0}\n")
    result = invoke(SCENARIO, spec, "-o", tmp_path / "out")
    assert result.exit_code == EXIT_BAD_INPUT
    assert ANSI.sub("", result.stderr).strip() == (
        "ConfigError: population.variability[0].cv: got 0; input should be greater than 0."
    )
    assert not (tmp_path / "out").exists()
