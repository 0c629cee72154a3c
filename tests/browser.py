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
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright
from playwright.sync_api import Error as PlaywrightError

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

# The pages a test's fixtures opened (`page_register`), kept on the test item for the failure screenshots.
OPEN_PAGES = pytest.StashKey[list[Page]]()


def launch_chromium(playwright: Playwright) -> Browser:
    """The distribution's Chromium, headless; `playwright install` is never needed."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def screenshot(page: Page, name: str) -> Path:
    """Save the whole page as tests/screenshots/<name>.png and return the path."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def page_register(item: pytest.Item, page: Page) -> Page:
    """Remember `page` as one of the test's, so a failure saves a screenshot of it; returns the page."""
    item.stash.setdefault(OPEN_PAGES, []).append(page)
    return page


def pages_of_test(item: pytest.Item) -> list[Page]:
    """The open pages of a test: those its fixtures registered, and those of any browser, context or page
    among its fixture values (so the older browser tests, which register nothing, are covered too)."""
    found: list[Page] = list(item.stash.get(OPEN_PAGES, []))
    for value in getattr(item, "funcargs", {}).values():
        if isinstance(value, Browser):
            found += [page for context in value.contexts for page in context.pages]
        elif isinstance(value, BrowserContext):
            found += value.pages
        elif isinstance(value, Page):
            found += value.context.pages
    unique = list(dict.fromkeys(found))
    return [page for page in unique if not page.is_closed()]


def failure_screenshots(item: pytest.Item) -> list[Path]:
    """A full-page screenshot of each open page of a failed test: tests/screenshots/<test name>-<n>.png."""
    name = re.sub(r"[^\w.-]+", "_", item.name)
    saved = []
    for n, page in enumerate(pages_of_test(item), start=1):
        try:
            saved.append(screenshot(page, f"{name}-{n}"))
        except PlaywrightError:  # a page that crashed or closed meanwhile: the others are still worth having
            continue
    return saved
