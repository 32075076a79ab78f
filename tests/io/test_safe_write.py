"""Outputs never write through a symlink planted in the output directory."""

import os

import pytest

from opioidsim.io.safe_write import replace_safely, write_text_safely
from opioidsim.simulation import simulate


@pytest.fixture
def victim(tmp_path):
    path = tmp_path / "victim.txt"
    path.write_text("precious")
    return path


def test_planted_links_for_every_output_of_a_run_leave_their_targets_alone(tmp_path, victim):
    from opioidsim.io.plots import plot_observables
    from opioidsim.io.results import write_result

    out = tmp_path / "out"
    out.mkdir()
    for name in ("results.parquet", "metadata.json", "summary.png"):
        (out / name).symlink_to(victim)
    result = simulate(
        {
            "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
            "duration": "2 h",
            "output_interval": "30 min",
            "doses": [{"drug": "morphine", "amount": "10 mg", "route": "iv", "time": "0 h"}],
        }
    )
    write_result(result, out)
    plot_observables(result, None, out / "summary.png")
    assert victim.read_text() == "precious"
    for name in ("results.parquet", "metadata.json", "summary.png"):
        assert not (out / name).is_symlink()


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = write_text_safely(tmp_path / "a.txt", "old")

    def broken(tmp):
        tmp.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        replace_safely(path, broken)
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["a.txt"]
