"""The HTML validation report renders in headless Chromium (Playwright with the system's
Chromium: Debian's package, which ``.ci/run`` installs; Playwright's own browser download is
never used)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from opioidsim.experiments.framework import Check, ExperimentOutcome
from opioidsim.validation.report import write_report

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("OPIOIDSIM_CHROMIUM") or shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium (apt-get install chromium, or set OPIOIDSIM_CHROMIUM)"
)
ARTEFACTS = Path(os.environ.get("OPIOIDSIM_TEST_ARTEFACTS", "test-artefacts"))


def _outcome(tmp_path: Path, name: str, passed: bool) -> ExperimentOutcome:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1, 2], [0, 1, 0.5], label="simulated")
    ax.errorbar([1], [0.8], yerr=[0.1], fmt="s", label="observed")
    ax.legend()
    figure = tmp_path / f"{name.lower()}.png"
    fig.savefig(figure)
    plt.close(fig)
    check = Check(
        dataset="some_data", role="validation", condition="a dose", quantity="a readout",
        observed=0.8, simulated=1.0 if passed else 2.0, unit="", criterion="within x1.5",
        passed=passed,
    )  # fmt: skip
    return ExperimentOutcome(name, f"{name} title", name, [check], ["a note"], figure)


def test_the_html_report_renders_with_its_figures_and_failing_rows(tmp_path):
    outcomes = [_outcome(tmp_path, "GOOD", True), _outcome(tmp_path, "BAD", False)]
    write_report(tmp_path / "report", outcomes)
    page_path = tmp_path / "report" / "report.html"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_path.as_uri())
            assert page.title() == "opioidsim validation report"
            loaded = page.evaluate(
                "Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length"
            )
            assert loaded == 2
            assert page.locator("h2#GOOD").count() == 1 and page.locator("h2#BAD").count() == 1
            failing = page.locator("tr.fail")
            assert failing.count() == 1
            colour = failing.first.locator("td").first.evaluate(
                "cell => getComputedStyle(cell).backgroundColor"
            )
            assert colour == "rgb(253, 232, 232)"  # failing rows stand out
            assert all(url.startswith(("file:", "data:")) for url in requests)
            ARTEFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTEFACTS / "validation-report.png"), full_page=True)
        finally:
            browser.close()
    assert (ARTEFACTS / "validation-report.png").stat().st_size > 10_000
