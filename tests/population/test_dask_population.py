"""Populations on a Dask cluster: the same Parquet output as one process, for 1 or 2 workers
and any chunk size, and the same resume guarantee."""

import json

import pytest
from pandas.testing import assert_frame_equal

from opioidsim.errors import ConfigError
from opioidsim.simulation import population as population_module
from opioidsim.simulation.population import (
    MANIFEST,
    SUBJECTS,
    DaskSettings,
    read_population,
    simulate_population,
)

SCENARIO = {
    "subject": {"species": "human", "sex": "female", "body_weight": "65 kg"},
    "duration": "4 h",
    "output_interval": "30 min",
    "doses": [{"drug": "morphine", "amount": "0.1 mg/kg", "route": "iv", "time": "0 h"}],
}
SPEC = {
    "size": 5,
    "seed": 9,
    "covariates": {
        "female_fraction": 0.5,
        "body_weight": {
            "male": {"typical": "80 kg", "cv": 0.2},
            "female": {"typical": "62 kg", "cv": 0.2},
        },
    },
    "variability": [{"parameter": "morphine.clearance", "cv": 0.3}],
}
OBSERVABLES = ["morphine.plasma_concentration", "mu_receptor.occupancy[morphine]"]


def _run(out, **kwargs):
    return simulate_population(SCENARIO, SPEC, out, observables=OBSERVABLES, **kwargs)


def _files(out):
    return {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("part.parquet"))}


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    _run(out, chunk_size=2)
    return out


@pytest.fixture(scope="module")
def two_workers():
    """A running 2-worker cluster, reached by address like ``--scheduler`` (started once:
    worker start-up and model compilation dominate these small runs)."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        yield DaskSettings(scheduler=cluster.scheduler_address)


def test_a_local_one_worker_cluster_gives_the_same_parquet_as_one_process(serial, tmp_path):
    run = _run(tmp_path, chunk_size=2, dask=DaskSettings(workers=1))
    assert run.chunks_simulated == 3
    assert _files(tmp_path) == _files(serial)


@pytest.mark.parametrize("chunk_size", [2, 3])
def test_two_dask_workers_give_the_same_parquet_as_one_process(
    serial, two_workers, tmp_path, chunk_size
):
    run = _run(tmp_path, chunk_size=chunk_size, dask=two_workers)
    assert run.chunks_simulated == -(-5 // chunk_size)
    assert_frame_equal(read_population(tmp_path), read_population(serial))
    assert_frame_equal(read_population(tmp_path, SUBJECTS), read_population(serial, SUBJECTS))
    if chunk_size == 2:  # same chunking: the very same files
        assert _files(tmp_path) == _files(serial)
    assert json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["complete"] is True


def test_an_interrupted_run_resumes_on_dask_without_redoing_finished_chunks(
    serial, two_workers, tmp_path, monkeypatch
):
    real = population_module._write_atomically
    calls = {"n": 0}

    def interrupt_after_one_chunk(table, path):
        if calls["n"] == 2:  # one chunk = its subject table, then its observables
            raise KeyboardInterrupt
        calls["n"] += 1
        real(table, path)

    monkeypatch.setattr(population_module, "_write_atomically", interrupt_after_one_chunk)
    with pytest.raises(KeyboardInterrupt):
        _run(tmp_path, chunk_size=2)
    monkeypatch.undo()
    finished = sorted(tmp_path.glob("chunk=*/part.parquet"))
    assert [p.parent.name for p in finished] == ["chunk=00000"]
    before = {p: p.stat().st_mtime_ns for p in finished}

    run = _run(tmp_path, chunk_size=2, resume=True, dask=two_workers)

    assert (run.chunks_skipped, run.chunks_simulated) == (1, 2)
    assert {p: p.stat().st_mtime_ns for p in finished} == before
    assert _files(tmp_path) == _files(serial)


def test_bad_dask_settings_get_one_line():
    with pytest.raises(ConfigError) as error:
        DaskSettings(workers=0)
    assert str(error.value) == "dask workers: got 0; must be a whole number >= 1."


def test_a_dask_worker_killed_mid_run_loses_nothing(serial, two_workers, tmp_path):
    """Fault injection: one worker process dies after the first chunk is in; its running
    chunk is rescheduled on the other (or the restarted) worker and the run completes with
    the one-process result."""
    import contextlib
    import os

    from distributed import Client

    killed = []

    def kill_a_worker(done, total):
        if killed or done == 0:
            return
        with Client(two_workers.scheduler, timeout="20s") as client:
            victim = sorted(client.scheduler_info()["workers"])[0]
            # the connection to the dying worker may drop mid-call
            with contextlib.suppress(Exception):
                client.run(os._exit, 1, workers=[victim], wait=False)
        killed.append(victim)

    run = _run(tmp_path, chunk_size=1, dask=two_workers, progress=kill_a_worker)
    assert killed, "the fault was never injected"
    assert run.chunks_simulated == 5
    assert_frame_equal(read_population(tmp_path), read_population(serial))
    assert_frame_equal(read_population(tmp_path, SUBJECTS), read_population(serial, SUBJECTS))
    assert json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["complete"] is True
    # a write cut by the kill can leave only a hidden temporary, which readers skip
    assert all(p.name.startswith(".") for p in tmp_path.rglob("*.tmp"))
