"""The ``opioidsim`` command: what each subcommand writes, and how it refuses bad input.

Bad input is one line on stderr, ``<ErrorClass>: <message>``, exit code 2, never a
traceback. The scenario messages come from the protocols layer; the tests here assert that
the CLI passes them through unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from opioidsim.cli.app import EXIT_BAD_INPUT, app
from opioidsim.errors import ConfigError
from opioidsim.model.catalog import drug_catalog

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "naltrexone_then_heroin.yaml"
TIDY_COLUMNS = ["subject", "time_h", "observable", "value", "unit"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

BAD_SCENARIO_HEAD = """\
subject: {species: human, sex: male, body_weight: 70 kg}
duration: 1 d
output_interval: 1 h
doses:
"""


def invoke(*args: str | Path):
    """Run the CLI in-process; stdout and stderr are kept apart (click >= 8.2)."""
    return CliRunner().invoke(app, [str(a) for a in args])


def stderr_of(result) -> str:
    return ANSI.sub("", result.stderr)


def stdout_of(result) -> str:
    return ANSI.sub("", result.stdout)


def assert_one_line_error(result, expected: str) -> None:
    """Exit 2, exactly ``expected`` as the one line on stderr, and no traceback."""
    err = stderr_of(result)
    assert result.exit_code == EXIT_BAD_INPUT, (result.exit_code, err, result.exception)
    assert "Traceback" not in err
    assert err.splitlines() == [expected]


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = invoke("demo", "-o", out)
    assert result.exit_code == 0, (stderr_of(result), result.exception)
    return out


# --- run / demo -------------------------------------------------------------------------


def test_demo_writes_parquet_metadata_and_summary_png(demo_out):
    assert (demo_out / "results.parquet").stat().st_size > 0
    assert (demo_out / "metadata.json").stat().st_size > 0
    assert (demo_out / "summary.png").read_bytes()[:8] == PNG_MAGIC


def test_run_with_csv_format_writes_a_tidy_csv_pandas_reads(tmp_path):
    result = invoke("run", EXAMPLE, "-o", tmp_path, "--format", "csv", "--no-plot")
    assert result.exit_code == 0, (stderr_of(result), result.exception)
    assert not (tmp_path / "results.parquet").exists()
    frame = pd.read_csv(tmp_path / "results.csv")
    assert list(frame.columns) == TIDY_COLUMNS
    assert len(frame) > 0
    assert frame["value"].notna().all()
    assert "mu_receptor.drug_occupancy" in set(frame["observable"])


@pytest.mark.parametrize(
    ("dose", "expected"),
    [
        pytest.param(
            "{drug: unobtainium, amount: 50 mg, route: oral, time: 0 h}",
            # The list of known drugs is the catalog's, which grows with the model.
            "ConfigError: doses[0].drug: got 'unobtainium'; known drugs are "
            + ", ".join(sorted(drug_catalog()))
            + ".",
            id="unknown-drug",
        ),
        pytest.param(
            "{drug: naltrexone, amount: -5 mg, route: oral, time: 0 h}",
            "ConfigError: doses[0].amount: got -5 mg; a dose must be > 0 (e.g. 50 mg).",
            id="negative-dose",
        ),
        pytest.param(
            "{drug: naltrexone, amount: 50 mg, route: smoked, time: 0 h}",
            "ConfigError: doses[0].route: got 'smoked'; naltrexone cannot be given smoked; "
            "its routes are im_depot, oral, sc.",
            id="route-the-drug-lacks",
        ),
    ],
)
def test_run_on_a_bad_scenario_exits_2_with_one_line_naming_the_field(tmp_path, dose, expected):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(BAD_SCENARIO_HEAD + f"  - {dose}\n")
    result = invoke("run", scenario, "-o", tmp_path / "out")
    assert_one_line_error(result, expected)
    assert not (tmp_path / "out" / "results.parquet").exists()


def test_run_on_a_missing_scenario_file_exits_2_naming_the_path(tmp_path):
    missing = tmp_path / "missing.yaml"
    result = invoke("run", missing, "-o", tmp_path / "out")
    assert_one_line_error(
        result,
        f"ConfigError: {missing}: got a path that does not exist; give the path of a "
        "scenario YAML file (e.g. examples/morphine_iv.yaml).",
    )


# --- parameters / sources / export-sbml -------------------------------------------------


def test_parameters_csv_gives_every_row_a_unit_and_a_provenance(tmp_path):
    csv = tmp_path / "out.csv"
    result = invoke("parameters", "--drug", "naltrexone", "--csv", csv)
    assert result.exit_code == 0, (stderr_of(result), result.exception)
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    assert len(frame) > 0
    assert frame["name"].str.startswith("naltrexone.").any()
    for column in ("unit", "provenance"):
        empty = frame.loc[frame[column].str.strip() == "", "name"].tolist()
        assert not empty, f"parameters without a {column}: {empty}"


@pytest.mark.parametrize("species", ["rat", "mouse"])
def test_the_rodent_tables_list_the_drugs_that_have_rodent_pharmacokinetics(tmp_path, species):
    # Without --drug, every drug with PK in that species (buprenorphine has none in rodents).
    csv = tmp_path / "out.csv"
    result = invoke("parameters", "--species", species, "--csv", csv)
    assert result.exit_code == 0, (stderr_of(result), result.exception)
    names = pd.read_csv(csv, dtype=str, keep_default_na=False)["name"]
    assert names.str.startswith("hpa_axis.restraint_drive").any()
    assert not names.str.startswith("buprenorphine.").any()


def test_sources_lists_at_least_one_doi():
    result = invoke("sources")
    assert result.exit_code == 0, (stderr_of(result), result.exception)
    assert re.search(r"doi:10\.\d{4,}", stdout_of(result))


def test_export_sbml_writes_a_file_libsbml_reads_without_errors(tmp_path):
    libsbml = pytest.importorskip("libsbml")
    xml = tmp_path / "m.xml"
    result = invoke("export-sbml", EXAMPLE, "-o", xml)
    assert result.exit_code == 0, (stderr_of(result), result.exception)
    document = libsbml.readSBMLFromFile(str(xml))
    errors = [document.getError(i).getMessage() for i in range(document.getNumErrors())]
    assert errors == []
    assert document.getModel() is not None
    assert document.getModel().getNumEvents() > 0  # the doses


# --- plot -------------------------------------------------------------------------------


def test_plot_of_a_written_table_writes_a_png(demo_out, tmp_path):
    png = tmp_path / "p.png"
    result = invoke(
        "plot", demo_out / "results.parquet", "-y", "mu_receptor.drug_occupancy", "-o", png
    )
    assert result.exit_code == 0, (stderr_of(result), result.exception)
    assert png.read_bytes()[:8] == PNG_MAGIC


def test_plot_of_an_unknown_observable_exits_2_naming_it(demo_out, tmp_path):
    png = tmp_path / "p.png"
    result = invoke("plot", demo_out / "results.parquet", "-y", "no.such_thing", "-o", png)
    err = stderr_of(result)
    assert result.exit_code == EXIT_BAD_INPUT, (err, result.exception)
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "ConfigError: observable: got 'no.such_thing'; not in results.parquet. Available: "
    )
    assert not png.exists()


# --- experiments / --debug --------------------------------------------------------------


def test_experiments_list_names_the_three_experiments():
    result = invoke("experiments", "list")
    assert result.exit_code == 0, (stderr_of(result), result.exception)
    out = stdout_of(result)
    for name in ("NTX-OCC", "NTX-BLOCK", "DISPLACEMENT"):
        assert name in out


def test_experiments_run_of_an_unknown_name_exits_2_listing_the_known(tmp_path):
    result = invoke("experiments", "run", "NOPE", "-o", tmp_path)
    err = stderr_of(result)
    assert result.exit_code == EXIT_BAD_INPUT, (err, result.exception)
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (
        "ConfigError: experiment: got 'NOPE'; known: NTX-OCC, NTX-BLOCK, DISPLACEMENT, "
        "WD-SPONT, NTX-PRECIP, TOL, VENT-OD, "
        "REWARD-DA, WD-NEURAL, HPA, NTX-SOCIAL, OXT-ADDICT, COCAINE, DEFEAT-REWARD, "
        "OXT-BLOCK, NTX-ALC, WD-NEGREINF, CPP, NTX-RELAPSE, EXEC."
    )


def test_experiments_run_of_an_unknown_name_writes_only_the_error_line(tmp_path):
    result = invoke("experiments", "run", "NOPE", "-o", tmp_path)
    assert_one_line_error(
        result,
        "ConfigError: experiment: got 'NOPE'; known: NTX-OCC, NTX-BLOCK, DISPLACEMENT, "
        "WD-SPONT, NTX-PRECIP, TOL, VENT-OD, "
        "REWARD-DA, WD-NEURAL, HPA, NTX-SOCIAL, OXT-ADDICT, COCAINE, DEFEAT-REWARD, "
        "OXT-BLOCK, NTX-ALC, WD-NEGREINF, CPP, NTX-RELAPSE, EXEC.",
    )


def test_debug_option_is_accepted():
    result = invoke("--debug", "experiments", "list")
    assert result.exit_code == 0, (stderr_of(result), result.exception)
    assert "NTX-OCC" in stdout_of(result)


def test_debug_lets_the_error_through_instead_of_a_one_line_message(tmp_path):
    result = invoke("--debug", "experiments", "run", "NOPE", "-o", tmp_path)
    assert isinstance(result.exception, ConfigError)
    assert result.exit_code != 0


def test_debug_does_not_stick_to_the_next_invocation(tmp_path):
    invoke("--debug", "experiments", "list")
    result = invoke("experiments", "run", "NOPE", "-o", tmp_path)
    assert result.exit_code == EXIT_BAD_INPUT
    assert not isinstance(result.exception, ConfigError)


def test_parameter_listing_keeps_ligand_names_in_brackets():
    # Rich markup would swallow "[naltrexone]" unless the cell is escaped.
    from opioidsim.cli import app as cli_module

    wide = cli_module.out_console.width
    cli_module.out_console.width = 250  # one table row per line
    try:
        result = invoke("parameters", "--drug", "naltrexone")
    finally:
        cli_module.out_console.width = wide
    assert result.exit_code == 0
    assert "mu_receptor.dissociation_constant[naltrexone]" in result.stdout


@pytest.mark.parametrize(
    ("options", "line"),
    [
        (["--format", "xlsx"], "ConfigError: format: got 'xlsx'; valid: parquet, csv."),
        (
            ["--observable", "no.such_thing"],
            "ConfigError: observable: got 'no.such_thing'; not an observable of this "
            "scenario's model.",
        ),
    ],
    ids=["format", "observable"],
)
def test_bad_run_options_are_refused_before_anything_runs(tmp_path, options, line):
    out = tmp_path / "out"
    result = invoke("run", "examples/morphine_iv.yaml", "-o", out, *options)
    assert_one_line_error(result, line)
    assert not out.exists()


def test_serve_refuses_a_bad_port_in_one_line():
    from typer.testing import CliRunner

    from opioidsim.cli.app import EXIT_BAD_INPUT, app

    result = CliRunner().invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "port: got 70000; valid: 1-65535." in result.output


def test_calibrate_petab_writes_a_problem_the_linter_accepts(tmp_path):
    result = invoke("calibrate", "fentanyl-mu-affinity", "--petab", tmp_path / "petab")
    assert result.exit_code == 0, result.output
    assert "passes the PEtab linter" in result.output
    assert (tmp_path / "petab" / "fentanyl-mu-affinity.yaml").is_file()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["fentanyl-mu-affinity", "--starts", "0"], "--starts: got 0"),
        (["no-such-fit"], "calibration: got 'no-such-fit'"),
        (["no-such-fit", "--starts", "3"], "calibration: got 'no-such-fit'"),
        (["no-such-fit", "--petab", "x"], "calibration: got 'no-such-fit'; PEtab problems"),
    ],
)
def test_calibrate_refuses_bad_input_in_one_line(args, expected):
    result = invoke("calibrate", *args)
    assert result.exit_code == 2
    error = stderr_of(result)
    assert expected in error and len(error.strip().splitlines()) == 1, error


def test_export_sbml_omex_refuses_a_grid_sed_ml_cannot_hold(tmp_path):
    scenario = tmp_path / "odd.yaml"
    scenario.write_text(
        "subject: {species: human, sex: male, body_weight: 70 kg}\n"
        "duration: 25 h\noutput_interval: 2 h\n"
        "doses:\n  - {drug: morphine, amount: 10 mg, route: iv, time: 0 h}\n"
    )
    result = invoke("export-sbml", scenario, "--omex", "-o", tmp_path / "run.omex")
    assert result.exit_code == 2
    assert "--omex: the scenario's output grid is not uniform" in stderr_of(result)
    assert not (tmp_path / "run.omex").exists()


def _run_example_to_csv(tmp_path, example):
    """Run an example scenario through the CLI (CSV, no plot); return its results frame."""
    result = invoke("run", example, "-o", tmp_path, "--format", "csv", "--no-plot")
    assert result.exit_code == 0, (stderr_of(result), result.exception)
    return pd.read_csv(tmp_path / "results.csv")


@pytest.mark.parametrize(
    "example", ["smoked_binge.yaml", "mouse_low_and_high_dose.yaml"], ids=lambda name: name
)
def test_the_cocaine_examples_run_and_raise_dopamine(tmp_path, example):
    frame = _run_example_to_csv(tmp_path, REPO / "examples" / "cocaine" / example)
    dopamine = frame[frame["observable"] == "reward.dopamine_percent_baseline"]["value"]
    occupancy = frame[frame["observable"] == "dopamine_transporter.occupancy"]["value"]
    assert occupancy.max() > 0.5
    assert dopamine.max() > 150.0
    concentrations = frame[frame["observable"].str.contains("concentration|occupancy")]
    assert (concentrations["value"] >= 0).all()


def test_a_cocaine_route_that_does_not_exist_is_one_line_naming_the_valid_ones(tmp_path):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(
        BAD_SCENARIO_HEAD + "  - {drug: cocaine, amount: 40 mg, route: oral, time: 0 h}\n"
    )
    result = invoke("run", scenario, "-o", tmp_path / "out")
    err = stderr_of(result)
    assert result.exit_code == EXIT_BAD_INPUT
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "oral" in err and "smoked" in err and "intranasal" in err


@pytest.mark.parametrize(
    "example",
    ["drinking_session.yaml", "drinking_session_after_naltrexone.yaml"],
    ids=lambda name: name,
)
def test_the_ethanol_examples_run_and_release_beta_endorphin(tmp_path, example):
    frame = _run_example_to_csv(tmp_path, REPO / "examples" / "ethanol" / example)
    blood = frame[frame["observable"] == "ethanol.blood_concentration"]["value"]
    release = frame[frame["observable"] == "ethanol.beta_endorphin_release"]["value"]
    # 56 g in a 70 kg man: a peak of 0.5-1.1 g/L (10,900-23,900 uM) and evoked release.
    assert 1.09e7 < blood.max() < 2.39e7
    assert release.max() > 0.1
    occupancy = frame[frame["observable"] == "mu_receptor.drug_occupancy"]["value"]
    assert (occupancy.max() > 0.9) == ("naltrexone" in example)


@pytest.mark.parametrize(
    ("dose", "expected"),
    [
        (
            "{drug: ethanol, amount: -14 g, route: oral, time: 0 h}",
            "doses[0].amount: got -14 g",
        ),
        (
            "{drug: ethanol, amount: 14 g, route: smoked, time: 0 h}",
            "doses[0].route: got 'smoked'",
        ),
    ],
    ids=["negative-amount", "unknown-route"],
)
def test_a_bad_ethanol_dose_is_one_line_naming_the_field(tmp_path, dose, expected):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(BAD_SCENARIO_HEAD + f"  - {dose}\n")
    result = invoke("run", scenario, "-o", tmp_path / "out")
    err = stderr_of(result)
    assert result.exit_code == EXIT_BAD_INPUT
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert expected in err


def test_calibrate_says_how_a_least_squares_problem_was_solved():
    result = invoke("calibrate", "circadian-crh-drive", "--starts", "1")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "hpa_axis.circadian_mean_drive = 0.5132 1 (no profile; 1 starts ended at" in text
    assert "pyPESTO, trust-region least squares, linear scale" in text


def test_a_self_administration_scenario_runs_and_writes_its_infusions(tmp_path):
    scenario = tmp_path / "sa.yaml"
    scenario.write_text(
        "subject: {species: rat, sex: male, body_weight: 0.35 kg}\n"
        "duration: 2 d\noutput_interval: 1 h\nseed: 3\ndoses: []\n"
        "self_administration:\n  drug: heroin\n  dose: 0.1 mg/kg\n"
        "  sessions: {start: 9 h, duration: 1 h, every: 24 h, count: 2}\n",
        encoding="utf-8",
    )
    frame = _run_example_to_csv(tmp_path / "out", scenario)
    assert "mu_receptor.drug_occupancy" in set(frame["observable"])
    infusions = pd.read_csv(tmp_path / "out" / "infusions.csv")
    assert set(infusions["session"]) == {1, 2}
    assert (infusions["drug"] == "heroin").all()
    assert infusions["time_h"].between(9, 34).all()
    responses = pd.read_csv(tmp_path / "out" / "responses.csv")
    assert len(responses) == len(infusions)
    assert responses["delivered"].all()


def test_a_place_conditioning_scenario_prints_its_score_and_writes_its_trials(tmp_path):
    scenario = tmp_path / "cpp.yaml"
    scenario.write_text(
        "subject: {species: mouse, sex: male, body_weight: 0.03 kg}\n"
        "duration: 6 d\noutput_interval: 6 h\ndoses: []\n"
        "place_conditioning: {drug: cocaine, dose: 10 mg/kg, route: ip, pairings: 2}\n",
        encoding="utf-8",
    )
    result = invoke("run", scenario, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "score +" in " ".join(result.output.split())
    trials = pd.read_csv(tmp_path / "out" / "trials.csv")
    assert list(trials["side"]) == ["paired", "unpaired"] * 2


def test_a_bad_self_administration_block_gets_one_line(tmp_path):
    scenario = tmp_path / "sa.yaml"
    scenario.write_text(
        "subject: {species: rat, sex: male, body_weight: 0.35 kg}\n"
        "duration: 1 d\noutput_interval: 1 h\ndoses: []\n"
        "self_administration: {drug: heroin, dose: 0.1 mg/kg, fixed_ratio: -1,\n"
        "  sessions: {duration: 1 h}}\n",
        encoding="utf-8",
    )
    result = invoke("run", scenario, "-o", tmp_path / "out")
    assert_one_line_error(
        result,
        "ConfigError: self_administration.fixed_ratio: got -1; must be a whole number from 1 "
        "to 1000 (e.g. 1).",
    )
