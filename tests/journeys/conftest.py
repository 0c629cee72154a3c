"""End-to-end journeys in a real browser: each test walks one user's whole path, from sign-in to result.

One Chromium per module (`chromium`); each test opens its own contexts (`open_page`), so cookies never
leak from one journey to the next. Pages opened here are registered for the failure screenshots that
tests/conftest.py takes (tests/screenshots/<test name>-<n>.png).
"""

from importlib import import_module

import pytest
from django.db import transaction
from playwright.sync_api import Page, sync_playwright

from tests.browser import launch_chromium, page_register

# The fixtures of the apps' own tests, shared rather than copied: the published demo folder, the running
# survey with the standard questions, the visit history and meeting factories, ambassador profiles and newcomers with tenancies.
from tests.dashboards.conftest import make_visit  # noqa: F401
from tests.folders.conftest import folder  # noqa: F401
from tests.meetings.conftest import make_meeting  # noqa: F401
from tests.surveys.conftest import _standard_bank, make_survey, survey, today  # noqa: F401
from tests.visits.conftest import (  # noqa: F401
    ambassador_profile,
    make_newcomer,
    make_tenancy,
    other_ambassador_profile,
)

PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def open_page(request, chromium, live_server):
    """Opens a page in a fresh browser context (its own cookies) at the live server: `open_page(viewport=PHONE,
    language="ar")`. `language` is the choice made earlier with the language switch (the django_language
    cookie); without it the browser's own language decides."""
    contexts = []

    def open_(*, viewport: dict, language: str | None = None, locale: str = "da-DK") -> Page:
        context = chromium.new_context(
            viewport=viewport, locale=locale, base_url=live_server.url, accept_downloads=True
        )
        context.set_default_timeout(10_000)
        if language:
            context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        contexts.append(context)
        return page_register(request.node, context.new_page())

    yield open_
    for context in contexts:
        context.close()


class HeldTask:
    """A Celery task held back instead of run at once (tasks are eager in the tests): the page shows the job
    waiting and polls; the test then plays the worker with `release()`, and the page must show the result
    by itself, as it does when a real worker finishes."""

    def __init__(self, task):
        self.task = task
        self.calls: list[tuple[tuple, dict]] = []

    def delay(self, *args, **kwargs) -> None:
        self.calls.append((args, kwargs))

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(lambda: self.delay(*args, **kwargs))

    def release(self) -> int:
        """Run the held calls now, in the test's thread; returns how many there were."""
        calls, self.calls = self.calls, []
        for args, kwargs in calls:
            self.task.delay(*args, **kwargs)
        return len(calls)


@pytest.fixture
def hold_task(monkeypatch):
    """`hold_task("apps.newcomers.tasks.newcomer_import_execute")` replaces the task under that name with a
    `HeldTask` (the services import the task when they queue it, so they get the held one)."""

    def hold(path: str) -> HeldTask:
        module, name = path.rsplit(".", 1)
        held = HeldTask(getattr(import_module(module), name))
        monkeypatch.setattr(path, held)
        return held

    return hold


def fits_the_phone(page: Page) -> None:
    """No sideways scrolling at 360 px (the message names what sticks out)."""
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
        ".map(e => e.tagName + ' ' + (e.innerText || '').slice(0, 30))"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide
