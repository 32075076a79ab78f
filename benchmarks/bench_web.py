"""Benchmark: from a changed dose on the page to the redrawn figure (issue 17).

Serves the page on 127.0.0.1, opens it in headless Chromium (Playwright driving the system
Chromium), and edits the first dose's amount ``--rounds`` times (alternating 50 and 25 mg of
naltrexone in the default 7-day scenario). For each edit it reports the wall time from the
key press to the figure holding the new data in the browser, and the server's part
(validate, simulate, build the figure). The first edit is reported apart (it compiles and
loads the model in the server process).

Usage: ./run python benchmarks/bench_web.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import socket
import statistics
import sys
import threading
import time


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=10)
    args = ap.parse_args(argv)
    chromium = os.environ.get("OPIOIDSIM_CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        print("no Chromium: apt-get install chromium, or set OPIOIDSIM_CHROMIUM")
        return 2
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from opioidsim.web.app import LAST_UPDATE_S, create_app

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = make_server("127.0.0.1", port, create_app().server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stamp = "() => document.querySelector('#layers .js-plotly-plot')?._fullData?.length ?? 0"
    revision = """() => { const g = document.querySelector('#layers .js-plotly-plot');
        const t = g && g._fullData
          && g._fullData.find(d => d.meta === 'naltrexone.plasma_concentration');
        return t ? Math.max(...Array.from(t.y).filter(v => v !== null && !Number.isNaN(v)))
                 : 0; }"""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        began = time.perf_counter()
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_function(f"({stamp})() > 0", timeout=180_000)
        print(f"first page with figure: {time.perf_counter() - began:.2f} s")
        walls, servers = [], []
        amount = "50 mg"  # the default scenario's naltrexone dose

        def other() -> str:
            nonlocal amount
            amount = "25 mg" if amount == "50 mg" else "50 mg"
            return amount

        for k in range(args.rounds + 1):
            before = page.evaluate(revision)
            page.locator('td[data-dash-column="amount"]').nth(0).click()
            page.keyboard.type(other())
            began = time.perf_counter()
            page.keyboard.press("Enter")
            page.wait_for_function(f"({revision})() !== {before}", timeout=180_000)
            wall = time.perf_counter() - began
            server_s = LAST_UPDATE_S.get("update", float("nan"))
            if k == 0:
                print(
                    f"first edit: {1000 * wall:.0f} ms in the browser, "
                    f"server {1000 * server_s:.0f} ms"
                )
                continue
            walls.append(wall)
            servers.append(server_s)
        # The population band: 100 subjects (the page's default) of an example population.
        band_walls, browser_walls = [], []
        timing = "() => document.querySelector('#timing')?.innerText ?? ''"
        for k in range(4):
            previous = page.evaluate(timing)
            began = time.perf_counter()
            if k == 0:
                page.locator("#population").click()
                page.get_by_text("naltrexone_oprm1", exact=True).click()
            else:
                page.locator('td[data-dash-column="amount"]').nth(0).click()
                page.keyboard.type(other())
                page.keyboard.press("Enter")
            page.wait_for_function(
                f"({timing})() !== {previous!r} && ({timing})().length > 0", timeout=180_000
            )
            browser_walls.append(time.perf_counter() - began)
            band_walls.append(LAST_UPDATE_S.get("band", float("nan")))
        browser.close()
    server.shutdown()
    print(
        "100-subject band (naltrexone_oprm1), choosing it then 3 dose edits: "
        + ", ".join(
            f"{1000 * w:.0f} ms (server {1000 * b:.0f})"
            for w, b in zip(browser_walls, band_walls, strict=True)
        )
    )
    print(
        f"7-day scenario, {args.rounds} edits: changed input -> redrawn figure median "
        f"{1000 * statistics.median(walls):.0f} ms (range {1000 * min(walls):.0f}-"
        f"{1000 * max(walls):.0f}); server part (validate, simulate, figure) median "
        f"{1000 * statistics.median(servers):.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
