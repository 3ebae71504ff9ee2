"""Screenshots of the web page for the docs: the story view and the article view.

    newsledger --db sample.db serve --port 8765 &
    python scripts/screenshots.py http://127.0.0.1:8765 docs/

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
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/stories")
        page.wait_for_selector("tr.story-row a")
        page.screenshot(path=str(out / "stories.png"))
        stories = page.locator("tr.story-row a")
        chosen = stories.filter(has_text="North Korea")
        (chosen.first if chosen.count() else stories.first).click()
        page.wait_for_selector("#timeline .main-svg")
        page.locator("tr.event-row td").first.click()
        page.screenshot(path=str(out / "story.png"), full_page=True)
        page.locator("#sentence a").click()
        page.wait_for_selector("#article-text mark")
        page.locator("tr.event-row").nth(1).locator("td").nth(3).click()
        page.screenshot(path=str(out / "article.png"), full_page=True)
        browser.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
