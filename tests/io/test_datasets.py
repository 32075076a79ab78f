"""The shipped data sets: each loads, declares its role and holds data."""

from __future__ import annotations

import pytest

from opioidsim.errors import DataError
from opioidsim.io.datasets import DATA_ROOT, dataset_names, load_dataset

# Folders under validation/data, found without dataset_names(), so a data set whose
# meta.yaml went missing is still tested (and fails).
FOLDERS = sorted(p.name for p in DATA_ROOT.iterdir() if p.is_dir() and not p.name.startswith("_"))


def test_there_are_data_sets_and_every_folder_is_one():
    assert FOLDERS
    assert dataset_names() == FOLDERS


@pytest.mark.parametrize("name", FOLDERS)
def test_data_set_loads_with_a_calibration_or_validation_role(name):
    dataset = load_dataset(name)
    assert dataset.name == name
    assert dataset.role in ("calibration", "validation")
    assert dataset.identifier.strip()
    assert dataset.source.strip()


@pytest.mark.parametrize("name", FOLDERS)
def test_data_set_has_a_non_empty_data_csv(name):
    frame = load_dataset(name).frame()
    assert len(frame) > 0
    assert len(frame.columns) > 0


def test_an_unknown_data_set_is_a_data_error_listing_the_known_ones():
    with pytest.raises(DataError) as info:
        load_dataset("nope")
    message = str(info.value)
    assert message.startswith("dataset: got 'nope'; no such data set. Known: ")
    for name in FOLDERS:
        assert name in message


def _write(root, name: str, meta: str) -> None:
    folder = root / name
    folder.mkdir()
    (folder / "meta.yaml").write_text(meta)
    (folder / "data.csv").write_text("x\n1\n")


_META = (
    "title: t\nrole: validation\nsource: s\nidentifier: PMID:1\nspecies: rat\n"
    "confidence: high\ncolumns: {x: a column}\n"
)


@pytest.mark.parametrize(
    ("name", "extra", "message"),
    [
        ("no_cites", "", "no_cites/meta.yaml: missing cites."),
        ("empty_cites", "cites: []\n", "empty_cites/meta.yaml: cites []; expected a non-empty"),
        ("bad_kind", 'cites: ["A 1990"]\nkind: guess\n', "bad_kind/meta.yaml: kind 'guess'"),
    ],
)
def test_a_data_set_without_cites_or_with_an_unknown_kind_is_refused(
    tmp_path, monkeypatch, name, extra, message
):
    import opioidsim.io.datasets as datasets

    monkeypatch.setattr(datasets, "DATA_ROOT", tmp_path)
    _write(tmp_path, name, _META + extra)
    with pytest.raises(DataError) as info:
        load_dataset(name)
    assert str(info.value).startswith(message)


@pytest.mark.parametrize("name", FOLDERS)
def test_every_data_set_names_the_studies_it_holds(name):
    dataset = load_dataset(name)
    assert dataset.cites and all(c.strip() for c in dataset.cites)
    assert dataset.kind in ("data", "model")
    if dataset.role_changed:
        assert dataset.role == "calibration"
