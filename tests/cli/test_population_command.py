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


def _first_run_in_two_chunks(scenario, out, table: str) -> pd.DataFrame:
    """Run 3 subjects in chunks of 2; check the two chunk folders; return their table."""
    first = invoke(scenario, "-o", out, "--chunk-size", "2")
    assert first.exit_code == 0, first.output
    chunks = sorted(p.name for p in out.glob("chunk=*"))
    assert chunks == ["chunk=0000000", "chunk=0000002"]
    return pd.concat(pd.read_csv(out / c / table) for c in chunks)


def test_a_self_administration_population_writes_chunk_folders_and_resumes(tmp_path):
    scenario = tmp_path / "sa.yaml"
    scenario.write_text(
        "subject: {species: rat, sex: male, body_weight: 0.35 kg}\n"
        "duration: 1 d\noutput_interval: 6 h\nseed: 2\ndoses: []\n"
        "self_administration: {drug: heroin, dose: 0.1 mg/kg,\n"
        "  sessions: {start: 9 h, duration: 1 h}}\n"
        "population: {size: 3, seed: 4, variability: [\n"
        "  {parameter: drug_taking.satiety_threshold, cv: 0.3}]}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    infusions = _first_run_in_two_chunks(scenario, out, "infusions.csv")
    assert set(infusions["subject"]) == {0, 1, 2}
    again = invoke(scenario, "-o", out, "--chunk-size", "2")
    assert again.exit_code == EXIT_BAD_INPUT
    assert "--resume" in ANSI.sub("", again.output)
    before = (out / "chunk=0000000" / "infusions.csv").read_text()
    resumed = invoke(scenario, "-o", out, "--chunk-size", "2", "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert "2 kept from before" in " ".join(ANSI.sub("", resumed.output).split())
    assert (out / "chunk=0000000" / "infusions.csv").read_text() == before


def test_an_opioid_use_population_writes_days_per_chunk_and_resumes(tmp_path):
    scenario = tmp_path / "use.yaml"
    scenario.write_text(
        "subject: {species: human, sex: male, body_weight: 70 kg}\n"
        "duration: 20 d\noutput_interval: 1 d\nseed: 2\n"
        "doses: [{drug: heroin, amount: 25 mg, route: iv, time: 0 h, every: 8 h, for: 8 d}]\n"
        "opioid_use: {start: 10 d, days: 7, use: {drug: heroin, amount: 25 mg, route: iv},\n"
        "  treatment: {medication: xr_naltrexone}}\n"
        "population: {size: 3, seed: 4, variability: [\n"
        "  {parameter: opioid_use.lapse_rate, cv: 0.3},\n"
        "  {parameter: heroin.clearance, cv: 0.2}]}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    days = _first_run_in_two_chunks(scenario, out, "days.csv")
    assert set(days["subject"]) == {0, 1, 2} and len(days) == 3 * 7
    assert days.loc[days["day"] == 1, "medicated"].all()
    assert (days.groupby("subject")["lapse_propensity"].nunique() == 1).all()
    again = invoke(scenario, "-o", out, "--chunk-size", "2")
    assert again.exit_code == EXIT_BAD_INPUT
    assert "opioid-use population" in " ".join(ANSI.sub("", again.output).split())
    resumed = invoke(scenario, "-o", out, "--chunk-size", "2", "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert "2 kept from before" in " ".join(ANSI.sub("", resumed.output).split())
