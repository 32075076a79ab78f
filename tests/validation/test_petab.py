"""Calibrations as PEtab problems: the linter accepts them and pyPESTO re-fits them."""

from __future__ import annotations

import pandas as pd
import pytest

from opioidsim.errors import ConfigError
from opioidsim.model.default import build_model
from opioidsim.validation.petab_problems import (
    FENTANYL_AFFINITY,
    lint,
    problem,
    solve_petab,
    write_petab,
)

#: The stored value is printed to 4 significant digits.
STORED_RTOL = 5e-4


def _stored(parameter: str) -> float:
    model = build_model(["fentanyl"])
    return float(model.parameter_values[model.parameter_names.index(parameter)])


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return write_petab("fentanyl-mu-affinity", tmp_path_factory.mktemp("petab"))


def test_the_written_problem_passes_the_petab_linter(written):
    assert lint(written)
    parameters = pd.read_csv(written.parent / "parameters.tsv", sep="\t")
    assert list(parameters["parameterName"]) == [FENTANYL_AFFINITY]
    assert parameters["nominalValue"][0] == pytest.approx(_stored(FENTANYL_AFFINITY))


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


def test_pypesto_recovers_the_calibrated_affinity_from_random_starts():
    fit = solve_petab("fentanyl-mu-affinity", n_starts=3, seed=7)
    stored = _stored(FENTANYL_AFFINITY)
    for start in fit.starts:  # every start, drawn over 1-10 000 nM, ends at the optimum
        assert start[FENTANYL_AFFINITY] == pytest.approx(stored, rel=STORED_RTOL)
    lower, upper = fit.interval_95[FENTANYL_AFFINITY]
    assert lower < stored < upper
    assert upper / lower < 3  # the C50's SE (17 %) bounds the affinity


def test_a_calibration_without_a_petab_problem_is_named_in_one_line():
    with pytest.raises(ConfigError, match="not a PEtab problem yet; PEtab problems: fentanyl"):
        problem("heroin-mu-affinity")
