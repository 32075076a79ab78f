"""Every registered experiment runs, writes a figure and a table, and judges itself honestly.

Only checks against validation data decide whether an experiment passes; checks against
calibration data show fit quality. Whether each experiment *passes* is the validation
report's business, not this file's.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

from opioidsim.experiments import registry, run_experiment
from opioidsim.experiments.framework import Check, ExperimentOutcome, tally_by_dataset, totals
from opioidsim.io.datasets import ROLES, load_dataset

# Every test that needs the experiments' outcomes lives in this file, and ``./run tests``
# distributes by file (``--dist loadfile``): one worker runs the experiments once. Spread over
# two workers, each ran them all and compiled every model variant twice on a cold cache.
pytestmark = pytest.mark.validation

#: The experiments of the default suite; the slow ones (virtual trials, minutes each) run
#: under the ``slow`` mark (``./run tests -m slow``) and in ``opioidsim validate``.
NAMES = sorted(name for name, e in registry().items() if not e.slow)
ALL = [
    *NAMES,
    *(pytest.param(name, marks=pytest.mark.slow) for name, e in registry().items() if e.slow),
]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class _Outcomes(dict):
    """Each experiment run once, when a test first asks for it."""

    def __init__(self, out):
        super().__init__()
        self.out = out

    def __missing__(self, name: str) -> ExperimentOutcome:
        self[name] = run_experiment(name, self.out / name)
        return self[name]


@pytest.fixture(scope="session")
def outcomes(tmp_path_factory) -> dict[str, ExperimentOutcome]:
    """Each experiment run once (minutes on an empty code cache, seconds on a warm one)."""
    return _Outcomes(tmp_path_factory.mktemp("experiments"))


def test_the_registry_holds_the_three_named_experiments():
    assert {"NTX-OCC", "NTX-BLOCK", "DISPLACEMENT"} <= set(NAMES)


@pytest.mark.parametrize("name", ALL)
def test_experiment_writes_a_png_figure(outcomes, name):
    outcome = outcomes[name]
    assert outcome.name == name
    assert outcome.figure is not None
    assert outcome.figure.read_bytes()[:8] == PNG_MAGIC


@pytest.mark.parametrize("name", ALL)
def test_experiment_writes_a_csv_table_with_one_row_per_check(outcomes, name):
    outcome = outcomes[name]
    assert outcome.table_path is not None
    assert outcome.table_path.suffix == ".csv"
    table = pd.read_csv(outcome.table_path)
    assert len(outcome.checks) > 0
    assert len(table) == len(outcome.checks)
    assert list(table["passed"]) == [c.passed for c in outcome.checks]
    assert set(table["experiment"]) == {name}


@pytest.mark.parametrize("name", ALL)
def test_every_check_has_the_role_of_its_dataset(outcomes, name):
    declared = set(registry()[name].dataset_names)
    for check in outcomes[name].checks:
        assert check.role in ROLES, check
        assert check.dataset in declared, f"{check.dataset} not declared by {name}"
        assert check.role == load_dataset(check.dataset).role, check


@pytest.mark.parametrize("name", ALL)
def test_every_check_has_the_kind_of_its_dataset(outcomes, name):
    for check in outcomes[name].checks:
        assert check.kind == load_dataset(check.dataset).kind, check


@pytest.mark.parametrize("name", ALL)
def test_experiment_passes_exactly_when_all_validation_checks_pass(outcomes, name):
    outcome = outcomes[name]
    validation = [c for c in outcome.checks if c.role == "validation" and c.kind == "data"]
    assert outcome.passed == (bool(validation) and all(c.passed for c in validation))


def _check(role: str, passed: bool, kind: str = "data", dataset: str = "some_data") -> Check:
    return Check(
        dataset=dataset,
        kind=kind,
        role=role,
        condition="a condition",
        quantity="a quantity",
        observed=1.0,
        simulated=1.0,
        unit="",
        criterion="equal",
        passed=passed,
    )


def test_an_outcome_with_only_calibration_checks_is_not_passed():
    outcome = ExperimentOutcome(
        name="X", title="t", phenomenon="P", checks=[_check("calibration", True)] * 3
    )
    assert outcome.passed is False


def test_a_failed_calibration_check_does_not_fail_the_outcome():
    outcome = ExperimentOutcome(
        name="X",
        title="t",
        phenomenon="P",
        checks=[_check("calibration", False), _check("validation", True)],
    )
    assert outcome.passed is True


def test_a_failed_validation_check_fails_the_outcome():
    outcome = ExperimentOutcome(
        name="X",
        title="t",
        phenomenon="P",
        checks=[
            _check("calibration", True),
            _check("validation", True),
            _check("validation", False),
        ],
    )
    assert outcome.passed is False


def test_a_failed_model_comparison_does_not_fail_the_outcome_and_alone_does_not_pass_it():
    comparison = _check("validation", False, kind="model")
    both = ExperimentOutcome("X", "t", "P", checks=[comparison, _check("validation", True)])
    assert both.passed is True
    assert both.model_comparison_checks == [comparison]
    alone = ExperimentOutcome("X", "t", "P", checks=[_check("validation", True, kind="model")])
    assert alone.passed is False


def test_totals_count_data_sets_whose_role_changed_only_in_the_total_with_them():
    # tol_loss_rat: calibration with role_changed; tol_rodent_ed50_shift: validation data;
    # qsp_2020_...: validation of kind model (a model comparison, never counted).
    checks = [
        _check("calibration", False, dataset="tol_loss_rat"),
        _check("validation", True, dataset="tol_rodent_ed50_shift"),
        _check("validation", False, dataset="tol_rodent_ed50_shift"),
        _check(
            "validation", True, kind="model", dataset="qsp_2020_naloxone_fentanyl_displacement"
        ),
        _check("calibration", True, dataset="rabiner_2011_naltrexone_pet"),
    ]
    tallies = tally_by_dataset([ExperimentOutcome("X", "t", "P", checks=checks)])
    by_name = {t.dataset: t for t in tallies}
    assert (by_name["tol_rodent_ed50_shift"].checks, by_name["tol_rodent_ed50_shift"].passed) == (
        2,
        1,
    )
    assert by_name["tol_loss_rat"].role_changed
    total = totals(tallies)
    assert total.counted == (1, 2)
    assert total.with_role_changed == (1, 3)
    assert total.model_comparisons == (1, 1)


def test_withdrawal_onset_is_counted_from_the_trough_of_the_last_dose():
    import numpy as np

    from opioidsim.experiments._withdrawal import Course

    # Leftover withdrawal at t = 0 (previous interval), trough at 2 h, then the rise.
    time = np.array([0.0, 1.0, 2.0, 4.0, 6.0, 8.0, 10.0])
    value = np.array([0.3, 0.1, 0.0, 0.1, 0.5, 1.0, 0.8])
    course = Course(time, value)
    assert course.first_above(0.25) == 0.0
    assert course.onset(0.25) == 6.0
    assert Course(time, np.zeros_like(time)).onset(0.25) == float("inf")


def test_report_has_every_experiment_its_verdict_and_every_check(outcomes, tmp_path):
    from opioidsim.validation.report import write_report

    path, written = write_report(tmp_path, [outcomes[name] for name in NAMES])
    text = path.read_text(encoding="utf-8")
    for name in NAMES:
        assert f"## {name}:" in text
    for outcome in written:
        assert ("**PASS**" if outcome.passed else "**FAIL**") in text
        assert (tmp_path / outcome.figure.name).exists()
    checks = pd.read_csv(tmp_path / "checks.csv")
    assert len(checks) == sum(len(o.checks) for o in written)
    assert set(checks["role"]) <= {"calibration", "validation"}
    # The self-contained HTML: every experiment, its figure embedded, every check, failing
    # ones included, the summary and the provenance tables; nothing fetched from elsewhere.
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    for outcome in written:
        assert f"id='{outcome.name}'" in page
    assert page.count("data:image/png;base64,") == sum(1 for o in written if o.figure)
    assert page.count("<tr class=") == len(checks)
    assert "GMFE" in page and "Parameter provenance" in page
    assert not re.search(r"(src|href)=['\"]https?://", page)
    # Every phenomenon of the mission, with its seed claim, modelled or not; each
    # experiment's section states the claim it tests.
    from opioidsim.experiments.claims import PHENOMENA

    assert "Phenomena and seed claims" in page and "Phenomena and seed claims" in text
    for phenomenon in PHENOMENA.values():
        assert html.escape(phenomenon.claim, quote=True) in page and phenomenon.claim in text
    for outcome in written:
        if outcome.phenomenon in PHENOMENA:
            assert f"Seed claim (seed {', '.join(PHENOMENA[outcome.phenomenon].seeds)})" in text
    # The PDF: a summary page, a phenomena page and one page per experiment, each rendering
    # to a non-blank PNG.
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(str(tmp_path / "report.pdf"))
    try:
        assert len(document) == 2 + len(written)
        for index in range(len(document)):
            pixels = np.asarray(document[index].render(scale=0.5).to_pil().convert("L"))
            assert pixels.std() > 5, f"page {index + 1} is blank"
    finally:
        document.close()


def test_fold_error_and_gmfe_use_numeric_positive_checks_only():
    from dataclasses import replace

    from opioidsim.validation.html_report import fold_error, gmfe

    numeric = [
        replace(_check("validation", True), observed=2.0, simulated=4.0),
        replace(_check("validation", False), observed=3.0, simulated=1.0),
    ]
    label_only = replace(_check("validation", True), observed=None)
    assert fold_error(numeric[0]) == 2.0 and fold_error(numeric[1]) == 3.0
    assert fold_error(label_only) is None
    value, count = gmfe([*numeric, label_only])
    assert count == 2 and value == pytest.approx(6.0**0.5)


def test_every_experiment_tests_a_phenomenon_with_a_seed_claim():
    from opioidsim.experiments.claims import PHENOMENA

    for name, experiment in registry().items():
        assert experiment.phenomenon in PHENOMENA, name
