"""Regenerate docs/map.png and docs/network.png: the web app over a ledger of the bundled examples, in
Debian's chromium (headless, through Playwright), as the browser tests drive it.

Usage: PYTHONPATH=src .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    from playwright.sync_api import sync_playwright

    from newsledger.serve.api import create_app
    from web_fixtures import LiveServer, build_ledger, example_records

    with tempfile.TemporaryDirectory() as tmp:
        ledger = build_ledger(Path(tmp) / "ledger.db", example_records())
        with LiveServer(create_app(ledger=ledger, token=None)) as live, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(live.url + "/map")
            page.wait_for_function("document.querySelector('svg#map').dataset.drawn !== undefined")
            page.screenshot(path=str(ROOT / "docs" / "map.png"))
            page.goto(live.url + "/network")
            page.wait_for_function("document.querySelector('svg#network').dataset.nodes !== undefined")
            heavy = page.eval_on_selector_all("svg#network g.edge-group", """gs => {
                const g = gs.reduce((a, b) => (+b.querySelector('path.edge').getAttribute('stroke-width') >
                                               +a.querySelector('path.edge').getAttribute('stroke-width') ? b : a));
                const p = g.querySelector('path.edge');
                const pt = p.getPointAtLength(p.getTotalLength() / 2).matrixTransform(p.getScreenCTM());
                return [pt.x, pt.y]; }""")
            page.mouse.click(*heavy)
            page.screenshot(path=str(ROOT / "docs" / "network.png"))
            browser.close()
        ledger.close()
    print("wrote docs/map.png and docs/network.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
