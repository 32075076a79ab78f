"""``opioidsim serve``: the page in headless Chromium (Playwright with Debian's chromium).

A user changes a dose and sees the occupancy change, enters a bad dose and sees the CLI's
one-line message beside the doses, and downloads the scenario YAML, which loads back to the
same scenario. A screenshot is kept as a test artefact.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import pytest
import yaml

from opioidsim.io.config import load_scenario

sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("dash")

CHROMIUM = os.environ.get("OPIOIDSIM_CHROMIUM") or shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium (apt-get install chromium, or set OPIOIDSIM_CHROMIUM)"
)
ARTEFACTS = Path(os.environ.get("OPIOIDSIM_TEST_ARTEFACTS", "test-artefacts"))
GRAPH = "#layers .js-plotly-plot"
OCCUPANCY_PEAK = """() => {
  const graph = document.querySelector('#layers .js-plotly-plot');
  const trace = graph && graph._fullData
    && graph._fullData.find(d => d.meta === 'mu_receptor.drug_occupancy');
  return trace ? Math.max(...Array.from(trace.y).filter(v => v !== null && !Number.isNaN(v)))
               : null;
}"""


#: Mean over time of the occupancy band's 5th, 50th and 95th percentiles, or null.
BAND = """() => {
  const graph = document.querySelector('#layers .js-plotly-plot');
  if (!graph || !graph._fullData) return null;
  const mean = meta => {
    const trace = graph._fullData.find(d => d.meta === meta);
    if (!trace) return null;
    const y = Array.from(trace.y).filter(v => v !== null && !Number.isNaN(v));
    return y.reduce((a, b) => a + b, 0) / y.length;
  };
  const q = ['p05', 'median', 'p95'].map(k => mean('mu_receptor.drug_occupancy:' + k));
  return q.includes(null) ? null : q;
}"""


@pytest.fixture(scope="module")
def page_url():
    from werkzeug.serving import make_server

    from opioidsim.web.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = make_server("127.0.0.1", port, create_app().server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/"
    server.shutdown()


def _edit_cell(page, row: int, column: str, text: str) -> None:
    cell = page.locator(f'td[data-dash-column="{column}"]').nth(row)
    cell.click()  # selected: typing replaces the content
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_the_page_reacts_to_a_dose_reports_a_bad_one_and_round_trips_its_yaml(page_url, tmp_path):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000},
                                    accept_downloads=True)  # fmt: skip
            page.goto(page_url)
            page.wait_for_selector(f"{GRAPH} .scatterlayer .trace", timeout=120_000)
            before = page.evaluate(OCCUPANCY_PEAK)
            assert before > 80  # naltrexone 50 mg daily holds most receptors

            # A tenth of the naltrexone dose: less of the receptors held.
            _edit_cell(page, 0, "amount", "5 mg")
            page.wait_for_function(f"({OCCUPANCY_PEAK})() < {before - 5}", timeout=60_000)
            after = page.evaluate(OCCUPANCY_PEAK)
            assert after < before - 5

            # A dose the loader refuses: its one-line message beside the table.
            _edit_cell(page, 0, "amount", "fifty")
            error = page.locator("#scenario-error")
            error.wait_for(state="visible", timeout=60_000)
            page.wait_for_function(
                "document.querySelector('#scenario-error').innerText.length > 0",
                timeout=60_000,
            )
            message = error.inner_text()
            assert "doses[0].amount" in message and "fifty" in message
            assert len(message.strip().splitlines()) == 1
            assert page.evaluate(OCCUPANCY_PEAK) == pytest.approx(after)  # figure kept

            # A bad body weight: its message beside the body-weight field, not the table.
            weight = page.locator("#weight")
            weight.fill("seventy")
            weight.press("Enter")
            page.wait_for_function(
                "document.querySelector('#weight-error').innerText.length > 0", timeout=60_000
            )
            assert "subject.body_weight" in page.locator("#weight-error").inner_text()
            weight.fill("70 kg")
            weight.press("Enter")
            page.wait_for_function(
                "document.querySelector('#weight-error').innerText.length === 0",
                timeout=60_000,
            )

            # Put a valid dose back and download the scenario: it loads back unchanged.
            _edit_cell(page, 0, "amount", "25 mg")
            page.wait_for_function(
                "document.querySelector('#scenario-error').innerText.length === 0",
                timeout=60_000,
            )
            with page.expect_download() as download:
                page.click("#download-yaml-button")
            path = tmp_path / "scenario.yaml"
            download.value.save_as(path)
            loaded = load_scenario(path)
            assert loaded.doses[0].amount.magnitude == pytest.approx(25.0)
            assert load_scenario(yaml.safe_load(path.read_text(encoding="utf-8"))) == loaded

            # A population band: 20 subjects of an example population, 5th <= median <= 95th.
            subjects = page.locator("#subjects")
            subjects.fill("20")
            subjects.press("Enter")
            page.locator("#population").click()
            page.get_by_text("naltrexone_oprm1", exact=True).click()
            page.wait_for_function(f"({BAND})() !== null", timeout=120_000)
            low, median, high = page.evaluate(BAND)
            assert low <= median <= high and high - low > 1.0  # percent of receptors

            ARTEFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTEFACTS / "web-page.png"))
        finally:
            browser.close()
    assert (ARTEFACTS / "web-page.png").stat().st_size > 10_000


def test_an_experiment_runs_from_the_page_with_its_verdict_checks_and_figure(page_url):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(page_url)
            page.wait_for_selector(f"{GRAPH} .scatterlayer .trace", timeout=120_000)
            page.locator("#experiment").click()
            page.get_by_text("NTX-BLOCK:", exact=False).first.click()
            page.click("#run-experiment")
            page.wait_for_selector("#experiment-output img", timeout=180_000)
            verdict = page.locator("#experiment-verdict").inner_text()
            assert verdict.startswith(("PASS", "FAIL")) and "validation checks pass" in verdict
            assert page.locator("#experiment-output tr").count() > 4  # header + checks
            assert (
                page.evaluate("document.querySelector('#experiment-output img').naturalWidth")
                > 100
            )
        finally:
            browser.close()
