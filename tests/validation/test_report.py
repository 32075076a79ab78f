"""The validation report lists every experiment with its verdict and checks."""

import pandas as pd
import pytest

from opioidsim.experiments import registry
from opioidsim.validation.report import write_report

# Beside the experiment tests (same xdist group): their compiled variants are then warm.
pytestmark = [pytest.mark.validation, pytest.mark.xdist_group("experiments")]


def test_report_has_every_experiment_its_verdict_and_every_check(tmp_path):
    path, outcomes = write_report(tmp_path)
    text = path.read_text()
    for name in registry():
        assert f"## {name}:" in text
    for outcome in outcomes:
        assert ("**PASS**" if outcome.passed else "**FAIL**") in text
        assert (tmp_path / outcome.figure.name).exists()
    checks = pd.read_csv(tmp_path / "checks.csv")
    assert len(checks) == sum(len(o.checks) for o in outcomes)
    assert set(checks["role"]) <= {"calibration", "validation"}
