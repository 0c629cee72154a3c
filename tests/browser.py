"""Helpers for the browser tests (marked `browser`): the system Chromium driven through Playwright.

Not a test module. Use from a fixture::

    @pytest.fixture
    def page(live_server):
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            yield browser.new_page()
            browser.close()
"""

import os
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = "/usr/bin/chromium"
# Quiet and offline: no sandbox (containers run as root), no GPU, and nothing phoning home
# (updates, sync, QUIC probes) so a test never waits on the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright's sync API runs an event loop in the test's thread, which makes Django refuse database
# calls from that thread (SynchronousOnlyOperation) although they are plain synchronous test set-up.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"  # git-ignored


def launch_chromium(playwright: Playwright) -> Browser:
    """The distribution's Chromium, headless; `playwright install` is never needed."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def screenshot(page: Page, name: str) -> Path:
    """Save the whole page as tests/screenshots/<name>.png and return the path."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
