"""``write_report``/``run_all``: experiments in order, in parallel processes if asked, with
progress as each finishes."""

from __future__ import annotations

import pytest

from opioidsim.errors import ConfigError
from opioidsim.experiments.framework import Check, ExperimentOutcome
from opioidsim.validation import report as report_module

NAMES = ("A", "B", "C")


def fake_registry():
    return dict.fromkeys(NAMES)


def fake_run(name, out):
    check = Check("d", "validation", "c", "q", 1.0, 1.0, "", "equal", True)
    return ExperimentOutcome(name, f"{name} title", name, [check])


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_experiment_runs_in_order_with_progress(tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(report_module, "registry", fake_registry)
    monkeypatch.setattr(report_module, "run_experiment", fake_run)
    calls = []
    outcomes = report_module.run_all(
        tmp_path, jobs, lambda done, total: calls.append((done, total))
    )
    assert [o.name for o in outcomes] == list(NAMES)
    assert calls[-1] == (3, 3) and len(calls) == 3


def test_jobs_below_one_is_one_line(tmp_path):
    with pytest.raises(ConfigError, match=r"jobs: got 0; must be >= 1\."):
        report_module.run_all(tmp_path, 0)
