"""Results on disk: the tidy table reads back the same in pandas, polars and DuckDB.

The expected rows are built here from ``result.values`` (subjects x observables x times), not
from ``result_table`` or ``to_pandas``, so a mix-up of the axes in the writer shows.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from opioidsim.errors import ConfigError
from opioidsim.io.results import read_result_table, write_result
from opioidsim.simulation import simulate

TIDY_COLUMNS = ["subject", "time_h", "observable", "value", "unit"]
KEY = ["observable", "subject", "time_h"]

SCENARIO = {
    "name": "naltrexone 50 mg",
    "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
    "duration": "12 h",
    "output_interval": "30 min",
    "seed": 7,
    "doses": [{"drug": "naltrexone", "amount": "50 mg", "route": "oral", "time": "0 h"}],
}


@pytest.fixture(scope="module")
def result():
    return simulate(SCENARIO)


@pytest.fixture(scope="module")
def written(result, tmp_path_factory):
    out = tmp_path_factory.mktemp("results")
    parquet = write_result(result, out / "parquet", fmt="parquet")
    csv = write_result(result, out / "csv", fmt="csv")
    return {"parquet": parquet, "csv": csv}


def expected_rows(result) -> pd.DataFrame:
    rows = []
    for k, name in enumerate(result.names):
        for i, subject in enumerate(result.subject_ids):
            for j, t in enumerate(result.time):
                rows.append(
                    (name, int(subject), float(t), result.values[i, k, j], result.units[k])
                )
    frame = pd.DataFrame(rows, columns=["observable", "subject", "time_h", "value", "unit"])
    return frame.sort_values(KEY, ignore_index=True)


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({"observable": str, "unit": str, "subject": "int64"})
    return frame[["observable", "subject", "time_h", "value", "unit"]].sort_values(
        KEY, ignore_index=True
    )


def read_pandas(path):
    return pd.read_parquet(path)


def read_polars(path):
    pl = pytest.importorskip("polars")
    return pl.read_parquet(path).to_pandas()


def read_duckdb(path):
    duckdb = pytest.importorskip("duckdb")
    return duckdb.connect().execute(f"select * from read_parquet('{path}')").df()


@pytest.mark.parametrize("reader", [read_pandas, read_polars, read_duckdb])
def test_parquet_table_reads_back_with_one_row_per_subject_time_and_observable(
    result, written, reader
):
    frame = reader(written["parquet"]["table"])
    assert list(frame.columns) == TIDY_COLUMNS
    n_subjects, n_observables, n_times = result.values.shape
    assert len(frame) == n_subjects * n_times * n_observables
    got, want = canonical(frame), expected_rows(result)
    np.testing.assert_array_equal(got["value"].to_numpy(), want["value"].to_numpy())
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_csv_and_parquet_hold_the_same_values(written):
    from_parquet = canonical(read_result_table(written["parquet"]["table"]))
    from_csv = canonical(read_result_table(written["csv"]["table"]))
    assert written["csv"]["table"].name == "results.csv"
    pd.testing.assert_frame_equal(from_csv, from_parquet, check_exact=True)


def test_metadata_json_holds_scenario_model_version_parameters_and_seed(result, written):
    meta = json.loads(written["parquet"]["metadata"].read_text())
    assert meta["scenario"]["name"] == SCENARIO["name"]
    assert meta["scenario"]["doses"][0]["drug"] == "naltrexone"
    assert isinstance(meta["model_version"], str) and meta["model_version"]
    assert meta["parameters"] == result.metadata["parameters"]
    assert "naltrexone.clearance" in meta["parameters"]
    assert meta["seed"] == SCENARIO["seed"]
    assert meta["table"]["path"] == "results.parquet"
    assert meta["table"]["columns"] == TIDY_COLUMNS


def test_write_only_chosen_observables_keeps_just_those(result, tmp_path):
    chosen = ["naltrexone.plasma_concentration", "mu_receptor.drug_occupancy"]
    paths = write_result(result, tmp_path, observables=chosen)
    frame = pd.read_parquet(paths["table"])
    assert sorted(frame["observable"].astype(str).unique()) == sorted(chosen)
    assert len(frame) == len(chosen) * result.n_subjects * len(result.time)


def test_an_unknown_format_is_a_config_error_and_writes_nothing(result, tmp_path):
    with pytest.raises(ConfigError) as info:
        write_result(result, tmp_path / "out", fmt="xlsx")
    assert str(info.value) == "format: got 'xlsx'; valid: parquet, csv."
    assert not (tmp_path / "out").exists()


def test_an_interrupted_parquet_write_leaves_no_results_file(result, tmp_path, monkeypatch):
    class WritesHalfThenFails:
        def __init__(self, where, *args, **kwargs):
            self.where = where

        def write_table(self, table):
            with open(self.where, "wb") as handle:
                handle.write(b"PAR1 half a file")
            raise OSError("disk full")

        def close(self):
            pass

    monkeypatch.setattr(pq, "ParquetWriter", WritesHalfThenFails)
    with pytest.raises(OSError, match="disk full"):
        write_result(result, tmp_path)
    assert not (tmp_path / "results.parquet").exists()
    assert not (tmp_path / "metadata.json").exists()


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_a_table_written_a_few_observables_at_a_time_holds_every_row(
    result, tmp_path, monkeypatch, fmt
):
    import opioidsim.io.results as results

    # 25 observables' rows per write: several writes, the last one short.
    monkeypatch.setattr(results, "ROW_GROUP", 25 * result.n_subjects * len(result.time))
    paths = write_result(result, tmp_path, fmt=fmt)
    got = canonical(read_result_table(paths["table"]))
    pd.testing.assert_frame_equal(got, expected_rows(result), check_exact=True)
    if fmt == "parquet":
        assert pq.ParquetFile(paths["table"]).num_row_groups == -(-len(result.names) // 25)
