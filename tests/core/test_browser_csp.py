"""Every page of the role × URL table, opened in Chromium under the real Content-Security-Policy:
nothing on any page is refused by the policy (a refused script or style would be a broken page)."""

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import launch_chromium
from tests.test_access import ROUTES, ctx, users, world  # noqa: F401 - the table's fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ("anonymous", "ambassador", "former_ambassador", "other_ambassador_area", "board", "interviewer", "coordinator")


def test_no_page_breaks_the_content_security_policy(live_server, client, users, ctx):  # noqa: F811
    violations: list[str] = []
    opened = 0
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for role in ROLES:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            if users[role] is not None:
                client.force_login(users[role])
                context.add_cookies(
                    [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
                )
            page = context.new_page()

            def on_console(message, role=role, page=page):
                if "Content Security Policy" in message.text:
                    violations.append(f"{role} {page.url}: {message.text}")

            page.on("console", on_console)
            for route in ROUTES:
                if route.method != "get" or role not in route.allowed or route.ok != 200:
                    continue
                url = live_server.url + route.url(ctx)
                if "text/html" not in context.request.get(url).headers.get("content-type", ""):
                    continue  # downloads (.ics, CSV, PDF) are not pages
                response = page.goto(url)
                assert response.status == 200, f"{role} {route}"
                page.wait_for_load_state("load")
                opened += 1
            context.close()
        browser.close()
    assert opened > 40
    assert not violations, "\n".join(violations)
