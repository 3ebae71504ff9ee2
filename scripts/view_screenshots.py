"""Screenshots of the explorer's list views and the API docs: the event explorer with a bad
filter shown beside its field, the event map, the actors list, the articles search, and /docs (offline).

    newsledger --db sample.db serve --port 8765 &
    python scripts/view_screenshots.py http://127.0.0.1:8765 docs/

Drives Debian's headless Chromium (/usr/bin/chromium) with Playwright.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def main() -> None:
    base, out = sys.argv[1].rstrip("/"), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{base}/events?since=2024-06-01&until=2024-01-01")
        page.wait_for_selector("#filter-problem")
        page.screenshot(path=str(out / "events-bad-filter.png"))
        page.goto(f"{base}/events?quad_class=4")
        page.wait_for_selector("tr.event-row")
        page.screenshot(path=str(out / "events.png"))
        page.wait_for_selector("#map .main-svg")
        page.locator("#map").screenshot(path=str(out / "map.png"))
        page.goto(f"{base}/actors")
        page.wait_for_selector("tr.actor-row")
        page.screenshot(path=str(out / "actors.png"))
        page.goto(f"{base}/articles?search=talks")
        page.wait_for_selector("tr.article-row")
        page.screenshot(path=str(out / "articles.png"))
        page.goto(f"{base}/docs")
        page.wait_for_selector(".opblock")
        page.screenshot(path=str(out / "api-docs.png"))
        browser.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
