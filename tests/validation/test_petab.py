"""Calibrations as PEtab problems: the linter accepts them and pyPESTO re-fits them."""

from __future__ import annotations

import pandas as pd
import pytest

from opioidsim.errors import ConfigError
from opioidsim.model.default import build_model
from opioidsim.validation.petab_problems import (
    BUPRENORPHINE_AFFINITY,
    FENTANYL_AFFINITY,
    lint,
    problem,
    solve_petab,
    write_petab,
)

#: The stored value is printed to 4 significant digits.
STORED_RTOL = 5e-4


def _stored(parameter: str) -> float:
    model = build_model(["fentanyl", "buprenorphine"])
    return float(model.parameter_values[model.parameter_names.index(parameter)])


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return write_petab("fentanyl-mu-affinity", tmp_path_factory.mktemp("petab"))


@pytest.mark.parametrize(
    ("name", "parameter"),
    [
        ("fentanyl-mu-affinity", FENTANYL_AFFINITY),
        ("buprenorphine-mu-affinity", BUPRENORPHINE_AFFINITY),
    ],
)
def test_the_written_problem_passes_the_petab_linter(name, parameter, tmp_path):
    path = write_petab(name, tmp_path)
    assert lint(path)
    parameters = pd.read_csv(tmp_path / "parameters.tsv", sep="\t")
    assert list(parameters["parameterName"]) == [parameter]
    assert parameters["nominalValue"][0] == pytest.approx(_stored(parameter))


def test_the_linter_rejects_an_observable_the_model_does_not_have(written, tmp_path):
    # The check can fail: the same problem with a misspelt model output is refused.
    for name in ("model.xml", "conditions.tsv", "measurements.tsv", "parameters.tsv"):
        (tmp_path / name).write_bytes((written.parent / name).read_bytes())
    (tmp_path / written.name).write_bytes(written.read_bytes())
    observables = (written.parent / "observables.tsv").read_text()
    (tmp_path / "observables.tsv").write_text(
        observables.replace("mu_effects__respiratory_depression", "mu_effects__no_such_output")
    )
    assert not lint(tmp_path / written.name)


@pytest.mark.parametrize(
    ("name", "parameter"),
    [
        ("fentanyl-mu-affinity", FENTANYL_AFFINITY),
        ("buprenorphine-mu-affinity", BUPRENORPHINE_AFFINITY),
    ],
)
def test_pypesto_recovers_the_calibrated_affinity_from_random_starts(name, parameter):
    fit = solve_petab(name, n_starts=2, seed=7)
    stored = _stored(parameter)
    for start in fit.starts:  # every start, drawn uniformly within the bounds, ends here
        assert start[parameter] == pytest.approx(stored, rel=STORED_RTOL)
    lower, upper = fit.interval_95[parameter]
    assert lower < stored < upper
    assert upper / lower < 3  # the data's spread bounds the affinity


def test_a_calibration_without_a_petab_problem_is_named_in_one_line():
    with pytest.raises(ConfigError, match="not a PEtab problem yet; PEtab problems: bupren"):
        problem("heroin-mu-affinity")
