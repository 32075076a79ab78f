"""Populations in chunks: the same subjects and values whatever the chunking, workers or
interruptions; per-subject doses and parameters; clear errors."""

import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from pandas.testing import assert_frame_equal

from opioidsim.errors import ConfigError
from opioidsim.simulation import population as population_module
from opioidsim.simulation import simulate
from opioidsim.simulation.population import (
    MANIFEST,
    SUBJECTS,
    chunk_path,
    read_population,
    simulate_population,
)

#: A subject re-run alone differs from its population run only by rounding of its per-kg dose
#: (~1e-16), but CVODE may then choose other steps: they agree to the solver's tolerances.
SOLVER_RTOL = 1e-5
SOLVER_ATOL = 1e-8

SCENARIO = {
    "subject": {"species": "human", "sex": "female", "body_weight": "65 kg"},
    "duration": "6 h",
    "output_interval": "30 min",
    "doses": [
        {"drug": "morphine", "amount": "5 mg", "route": "iv", "time": "0 h"},
        {"drug": "morphine", "amount": "0.1 mg/kg", "route": "oral", "time": "1 h"},
    ],
}
SPEC = {
    "size": 7,
    "seed": 5,
    "covariates": {
        "female_fraction": 0.5,
        "body_weight": {
            "male": {"typical": "80 kg", "cv": 0.2},
            "female": {"typical": "62 kg", "cv": 0.2},
        },
    },
    "variability": [
        {"parameter": "morphine.clearance", "cv": 0.3},
        {"parameter": "morphine.oral_bioavailability", "cv": 0.2},
    ],
}
OBSERVABLES = ["morphine.plasma_concentration", "mu_receptor.occupancy[morphine]"]


def _run(out, **kwargs):
    kwargs.setdefault("observables", OBSERVABLES)
    return simulate_population(SCENARIO, SPEC, out, **kwargs)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("reference")
    run = _run(out, chunk_size=3)
    return out, run


def test_observables_exist_in_the_model(reference):
    table = read_population(reference[0])
    assert sorted(table["observable"].unique()) == sorted(OBSERVABLES)
    assert sorted(table["subject"].unique()) == list(range(7))


@pytest.mark.parametrize(("chunk_size", "workers"), [(7, 1), (2, 1), (3, 2), (1, 2)])
def test_same_seed_gives_identical_output_for_any_chunking_and_workers(
    reference, tmp_path, chunk_size, workers
):
    _run(tmp_path, chunk_size=chunk_size, workers=workers)
    assert_frame_equal(read_population(tmp_path), read_population(reference[0]))
    assert_frame_equal(
        read_population(tmp_path, SUBJECTS), read_population(reference[0], SUBJECTS)
    )
    assert len(list(tmp_path.glob("chunk=*/part.parquet"))) == -(-7 // chunk_size)


def test_the_folder_reads_as_one_data_set(reference):
    out, run = reference
    table = pd.read_parquet(out)
    assert len(table) == 7 * 13 * len(OBSERVABLES)
    assert set(table["chunk"].astype(int)) == {0, 1, 2}
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["complete"] is True
    assert manifest["n_chunks"] == run.n_chunks == 3
    assert manifest["observables"] == OBSERVABLES


def test_an_interrupted_run_resumes_without_redoing_finished_chunks(
    reference, tmp_path, monkeypatch
):
    real = population_module._write_atomically
    calls = {"n": 0}

    def interrupt_after_two_chunks(table, path):
        # Each chunk writes its subject table, then its observables.
        if calls["n"] == 4:
            raise KeyboardInterrupt
        calls["n"] += 1
        real(table, path)

    monkeypatch.setattr(population_module, "_write_atomically", interrupt_after_two_chunks)
    with pytest.raises(KeyboardInterrupt):
        _run(tmp_path, chunk_size=2)
    monkeypatch.undo()
    finished = sorted(tmp_path.glob("chunk=*/part.parquet"))
    assert [p.parent.name for p in finished] == ["chunk=00000", "chunk=00001"]
    assert json.loads((tmp_path / MANIFEST).read_text())["complete"] is False
    assert not list(tmp_path.rglob(".*.tmp"))
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in finished}

    run = _run(tmp_path, chunk_size=2, resume=True)

    assert (run.chunks_skipped, run.chunks_simulated) == (2, 2)
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in finished} == before
    assert_frame_equal(read_population(tmp_path), read_population(reference[0]))
    assert json.loads((tmp_path / MANIFEST).read_text())["complete"] is True


def test_each_subject_gets_its_own_weight_dose_and_parameters(reference):
    out = reference[0]
    subjects = read_population(out, SUBJECTS)
    table = read_population(out)
    assert subjects["sex"].nunique() == 2
    assert subjects["body_weight_kg"].nunique() == 7
    for _, row in subjects.iloc[[0, 4]].iterrows():
        alone = dict(SCENARIO)
        alone["subject"] = {
            "species": "human",
            "sex": row["sex"],
            "body_weight": f"{row['body_weight_kg']!r} kg",
        }
        result = simulate(
            alone,
            parameters={
                "morphine.clearance": row["morphine.clearance"],
                "morphine.oral_bioavailability": row["morphine.oral_bioavailability"],
            },
        )
        for name in OBSERVABLES:
            mine = table[(table["subject"] == row["subject"]) & (table["observable"] == name)]
            assert_allclose(
                mine["value"].to_numpy(), result[name], rtol=SOLVER_RTOL, atol=SOLVER_ATOL
            )


def test_an_existing_run_is_not_overwritten(reference, tmp_path):
    with pytest.raises(ConfigError) as info:
        _run(reference[0], chunk_size=3)
    assert str(info.value) == (
        f"output: {reference[0]} already holds a population run (_manifest.json); pass "
        "--resume (resume=True) to finish it, or choose another folder."
    )


def test_resume_refuses_a_different_run(reference):
    with pytest.raises(ConfigError) as info:
        _run(reference[0], chunk_size=2, resume=True)
    assert str(info.value) == (
        f"output: {reference[0]} holds a run with another chunk_size; resume needs the same "
        "scenario, population, chunk size and observables (or choose another folder)."
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"chunk_size": 0}, "chunk_size: got 0; must be a whole number >= 1."),
        ({"workers": 0}, "workers: got 0; must be a whole number >= 1."),
        (
            {"observables": ["morphine.plasma"]},
            "observables[0]: got 'morphine.plasma'; not an observable of this model",
        ),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_written(tmp_path, kwargs, message):
    out = tmp_path / "out"
    with pytest.raises(ConfigError) as info:
        _run(out, **kwargs)
    assert str(info.value).startswith(message)
    assert not out.exists()


def test_implausible_body_weights_are_refused(tmp_path):
    spec = dict(SPEC)
    spec["covariates"] = {
        "body_weight": {
            "male": {"typical": "290 kg", "cv": 0.5},
            "female": {"typical": "290 kg", "cv": 0.5},
        }
    }
    with pytest.raises(ConfigError, match=r"outside the plausible human range 2 to 300 kg"):
        simulate_population(SCENARIO, spec, tmp_path, observables=OBSERVABLES)


def test_chunk_paths_are_zero_padded(tmp_path):
    assert chunk_path(tmp_path, 12) == tmp_path / "chunk=00012" / "part.parquet"
    assert chunk_path(tmp_path, 3, SUBJECTS) == tmp_path / "_subjects" / "chunk=00003" / (
        "part.parquet"
    )


def test_every_value_written_is_finite(reference):
    values = read_population(reference[0])
    assert np.all(np.isfinite(values["value"]))


def test_the_band_is_the_quantiles_of_the_population_run(reference):
    # The page's band draws the same subjects as the Parquet run: its percentiles equal
    # those of the written values (to the solver's tolerances; the runs batch differently).
    from opioidsim.io.config import load_scenario
    from opioidsim.population import load_population_spec
    from opioidsim.simulation.population import population_band

    times, band = population_band(
        load_scenario(SCENARIO), load_population_spec(SPEC), OBSERVABLES,
        quantiles=(0.05, 0.5, 0.95),
    )  # fmt: skip
    table = read_population(reference[0])
    for name in OBSERVABLES:
        wide = table[table["observable"] == name].pivot(
            index="subject", columns="time_h", values="value"
        )
        expected = np.nanquantile(wide.to_numpy(), (0.05, 0.5, 0.95), axis=0)
        assert_allclose(band[name], expected, rtol=SOLVER_RTOL, atol=SOLVER_ATOL)
        assert np.all(band[name][0] <= band[name][1]) and np.all(band[name][1] <= band[name][2])
    assert_allclose(times, np.sort(table["time_h"].unique()))
