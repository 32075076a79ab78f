"""Results on disk: a tidy Parquet (or CSV) table and a metadata file beside it.

Table columns: ``subject`` (int), ``time_h`` (float, h), ``observable`` (string),
``value`` (float, in ``unit``), ``unit`` (string). pandas, polars and DuckDB read it as is::

    duckdb.sql("select * from 'out/results.parquet' where observable = 'mu_receptor.stimulus'")

``metadata.json`` holds the scenario, model version, parameter set, seed and solver statistics.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from opioidsim.engine.results import SimulationResult
from opioidsim.errors import ConfigError
from opioidsim.io.safe_write import make_output_folder, replace_safely, write_text_safely

FORMATS = ("parquet", "csv")


def result_table(result: SimulationResult, observables: list[str] | None = None) -> pa.Table:
    """The tidy Arrow table of a result (optionally only some observables)."""
    names = observables or result.names
    missing = [n for n in names if n not in result.names]
    if missing:
        raise ConfigError(
            f"observables: got {missing[0]!r}; not an observable of this run "
            "(see the names in the result)."
        )
    n_subjects, n_times = result.n_subjects, len(result.time)
    subject_col, time_col, obs_col, value_col, unit_col = [], [], [], [], []
    for name in names:
        k = result.names.index(name)
        subject_col.append(np.repeat(result.subject_ids, n_times))
        time_col.append(np.tile(result.time, n_subjects))
        obs_col.append(np.full(n_subjects * n_times, name, dtype=object))
        value_col.append(result.values[:, k, :].ravel())
        unit_col.append(np.full(n_subjects * n_times, result.units[k], dtype=object))
    return pa.table(
        {
            "subject": pa.array(np.concatenate(subject_col).astype(np.int64)),
            "time_h": pa.array(np.concatenate(time_col)),
            "observable": pa.array(np.concatenate(obs_col)).dictionary_encode(),
            "value": pa.array(np.concatenate(value_col)),
            "unit": pa.array(np.concatenate(unit_col)).dictionary_encode(),
        }
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)


def write_result(
    result: SimulationResult,
    out_dir: str | Path,
    fmt: str = "parquet",
    observables: list[str] | None = None,
    stem: str = "results",
) -> dict[str, Path]:
    """Write the tidy table and ``metadata.json`` into ``out_dir``; return their paths."""
    if fmt not in FORMATS:
        raise ConfigError(f"format: got {fmt!r}; valid: {', '.join(FORMATS)}.")
    out = Path(out_dir)
    make_output_folder(out)
    table = result_table(result, observables)
    path = out / f"{stem}.{fmt}"

    def write(tmp: Path) -> None:
        if fmt == "parquet":
            pq.write_table(table, tmp)
            return
        plain = table.cast(
            pa.schema(
                [
                    ("subject", pa.int64()),
                    ("time_h", pa.float64()),
                    ("observable", pa.string()),
                    ("value", pa.float64()),
                    ("unit", pa.string()),
                ]
            )
        )
        pacsv.write_csv(plain, tmp)

    # A finished file or none: an interrupted write leaves no half file.
    replace_safely(path, write)
    meta = dict(result.metadata)
    meta["status"] = [
        {"subject": int(i), "status": s.name, "message": m}
        for i, s, m in zip(result.subject_ids, result.status, result.messages, strict=True)
    ]
    meta["table"] = {
        "path": path.name,
        "columns": ["subject", "time_h", "observable", "value", "unit"],
        "time_unit": "h",
    }
    meta_path = out / "metadata.json"
    write_text_safely(meta_path, json.dumps(_jsonable(meta), indent=2))
    return {"table": path, "metadata": meta_path}


def read_result_table(path: str | Path):
    """Read a written table back as pandas (Parquet or CSV by suffix)."""
    import pandas as pd

    path = Path(path)
    if path.suffix == ".csv":
        return pd.read_csv(path)
    return pd.read_parquet(path)
