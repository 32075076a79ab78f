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
