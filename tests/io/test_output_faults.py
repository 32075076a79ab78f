"""Fault injection on outputs: a full disk or a read-only folder gives one line (exit 74),
leaves nothing half-written, and keeps a population's finished chunks for ``--resume``.

Tests run as root in CI, where permission bits do not stop writes, so the faults are injected
where the operating system would raise them (``ENOSPC`` while writing, ``EROFS`` on create).
"""

from __future__ import annotations

import errno
import re
import tempfile

import pytest
from pandas.testing import assert_frame_equal
from typer.testing import CliRunner

from opioidsim.cli.app import EXIT_OUTPUT, app
from opioidsim.errors import OutputError
from opioidsim.io import safe_write
from opioidsim.simulation import population as population_module
from opioidsim.simulation.population import read_population, simulate_population

ANSI = re.compile(r"\x1b\[[0-9;]*m")
SCENARIO = {
    "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
    "duration": "2 h",
    "output_interval": "30 min",
    "doses": [{"drug": "morphine", "amount": "10 mg", "route": "iv", "time": "0 h"}],
}
SPEC = {"size": 4, "seed": 3, "variability": [{"parameter": "morphine.clearance", "cv": 0.3}]}
OBSERVABLES = ["morphine.plasma_concentration"]


def _read_only(*args, **kwargs):
    raise OSError(errno.EROFS, "Read-only file system")


def test_a_read_only_output_folder_gives_one_line_and_exit_74(tmp_path, monkeypatch):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "subject: {species: human, sex: male, body_weight: 70 kg}\nduration: 2 h\n"
        "output_interval: 30 min\ndoses:\n"
        "  - {drug: morphine, amount: 10 mg, route: iv, time: 0 h}\n"
    )
    monkeypatch.setattr(tempfile, "mkstemp", _read_only)
    result = CliRunner().invoke(app, ["run", str(scenario), "-o", str(tmp_path / "out")])
    err = ANSI.sub("", result.stderr)
    assert result.exit_code == EXIT_OUTPUT, (result.exit_code, err, result.exception)
    assert "Traceback" not in err
    # one message line (a transient progress bar may leave a blank line off a terminal)
    assert len([line for line in err.splitlines() if line.strip()]) == 1
    assert "cannot write" in err and "Read-only file system" in err


def test_a_full_disk_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old")

    def fill_the_disk(path):
        path.write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError, match=r"^output: cannot write .*No space left on device"):
        safe_write.replace_safely(target, fill_the_disk)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def test_a_full_disk_mid_population_keeps_finished_chunks_and_resume_completes(
    tmp_path, monkeypatch
):
    serial = tmp_path / "serial"
    simulate_population(SCENARIO, SPEC, serial, chunk_size=2, observables=OBSERVABLES)
    out = tmp_path / "out"
    real = population_module._write_atomically
    writes = {"n": 0}

    def disk_fills_after_one_chunk(table, path):
        if writes["n"] == 2:  # one chunk = its subject table, then its observables
            real(table, path.with_name("never"))  # what the full disk stops half-way
            raise OutputError(f"output: cannot write {path} (No space left on device)")
        writes["n"] += 1
        real(table, path)

    monkeypatch.setattr(population_module, "_write_atomically", disk_fills_after_one_chunk)
    with pytest.raises(OutputError, match="No space left on device"):
        simulate_population(SCENARIO, SPEC, out, chunk_size=2, observables=OBSERVABLES)
    monkeypatch.undo()
    finished = sorted(out.glob("chunk=*/part.parquet"))
    assert [p.parent.name for p in finished] == ["chunk=00000"]
    before = {p: p.stat().st_mtime_ns for p in finished}
    run = simulate_population(
        SCENARIO, SPEC, out, chunk_size=2, observables=OBSERVABLES, resume=True
    )
    assert (run.chunks_skipped, run.chunks_simulated) == (1, 1)
    assert {p: p.stat().st_mtime_ns for p in finished} == before
    assert_frame_equal(read_population(out), read_population(serial))


def test_an_output_folder_that_cannot_be_created_gives_one_line(tmp_path, monkeypatch):
    from pathlib import Path

    monkeypatch.setattr(Path, "mkdir", _read_only)
    with pytest.raises(OutputError, match=r"^output: cannot create the folder .*Read-only"):
        safe_write.make_output_folder(tmp_path / "new")
