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
#: Rows written at a time (one Parquet row group holds about this many).
ROW_GROUP = 1 << 20
PLAIN_SCHEMA = pa.schema(
    [
        ("subject", pa.int64()),
        ("time_h", pa.float64()),
        ("observable", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),
    ]
)


def _checked(result: SimulationResult, observables: list[str] | None) -> list[str]:
    names = list(observables or result.names)
    missing = [n for n in names if n not in result.names]
    if missing:
        raise ConfigError(
            f"observables: got {missing[0]!r}; not an observable of this run "
            "(see the names in the result)."
        )
    return names


def result_table(result: SimulationResult, observables: list[str] | None = None) -> pa.Table:
    """The tidy Arrow table of a result (optionally only some observables)."""
    names = _checked(result, observables)
    n_subjects, n_times = result.n_subjects, len(result.time)
    rows = n_subjects * n_times
    columns = [result.names.index(name) for name in names]
    # Names and units are written as dictionary codes (int32), never as one Python string
    # per row: a 10^4-person chunk would otherwise hold ~70 bytes per row in string objects.
    units = sorted({result.units[k] for k in columns})
    name_codes = np.repeat(np.arange(len(names), dtype=np.int32), rows)
    unit_codes = np.repeat(
        np.array([units.index(result.units[k]) for k in columns], dtype=np.int32), rows
    )
    return pa.table(
        {
            "subject": pa.array(
                np.tile(np.repeat(result.subject_ids.astype(np.int64), n_times), len(names))
            ),
            "time_h": pa.array(np.tile(result.time.astype(float), n_subjects * len(names))),
            "observable": pa.DictionaryArray.from_arrays(name_codes, pa.array(names, pa.string())),
            "value": pa.array(result.values[:, columns, :].transpose(1, 0, 2).ravel()),
            "unit": pa.DictionaryArray.from_arrays(unit_codes, pa.array(units, pa.string())),
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
    names = _checked(result, observables)
    path = out / f"{stem}.{fmt}"
    # A few observables at a time (row groups of about ROW_GROUP rows), so a large
    # population's table never sits in memory whole.
    per_group = max(1, ROW_GROUP // max(1, result.n_subjects * len(result.time)))
    groups = [names[i : i + per_group] for i in range(0, len(names), per_group)]

    def write(tmp: Path) -> None:
        writer: Any = None
        try:
            for group in groups:
                table = result_table(result, group)
                if fmt == "csv":
                    table = table.cast(PLAIN_SCHEMA)
                if writer is None:
                    writer = (
                        pq.ParquetWriter(tmp, table.schema)
                        if fmt == "parquet"
                        else pacsv.CSVWriter(tmp, table.schema)
                    )
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()

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
