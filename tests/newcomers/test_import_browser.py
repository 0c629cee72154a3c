"""The import in a real browser: a coordinator uploads a move-in list, checks the preview, confirms, sees the result."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from apps.newcomers.models import ImportRun, Newcomer
from tests.browser import launch_chromium, screenshot
from tests.newcomers.test_import_views import MOVE_IN_LIST

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def page(live_server, client, coordinator):
    """A desktop browser signed in as the area's coordinator (the session cookie of a forced login)."""
    client.force_login(coordinator)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(viewport=DESKTOP, locale="en-GB")
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        yield context.new_page()
        browser.close()


def test_coordinator_uploads_checks_the_preview_confirms_and_sees_the_counts(live_server, page, area, organisation):
    page.goto(live_server.url + reverse("organisation:area_detail", args=[area.slug]))
    page.get_by_role("link", name="Import move-in lists").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Imports")
    screenshot(page, "import-history-empty")

    page.get_by_role("link", name="Import a file").click()
    page.get_by_label("Housing organisation").select_option(label=organisation.name)
    page.get_by_label("File").set_input_files(
        files=[{"name": "tilflyttere-november.csv", "mimeType": "text/csv", "buffer": MOVE_IN_LIST}]
    )
    screenshot(page, "import-upload")
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("tilflyttere-november.csv")
    expect(page.get_by_text("semicolon (;)")).to_be_visible()
    expect(page.get_by_label("Navn", exact=True)).to_have_value("name")
    expect(page.get_by_text("Dropped: looks like CPR numbers")).to_be_visible()
    preview = page.locator("table.import-preview")
    expect(preview.locator("tbody tr")).to_have_count(3)
    expect(preview.locator("tbody tr").nth(2)).to_contain_text("The move-in date is missing")
    screenshot(page, "import-preview")

    # Leave the names out: the preview is drawn again without them, and nothing is saved yet.
    page.get_by_label("Navn", exact=True).select_option("")
    page.get_by_role("button", name="Update preview").click()
    expect(preview.locator("tbody tr").first).not_to_contain_text("Søren")
    page.get_by_label("Navn", exact=True).select_option("name")
    assert not Newcomer.objects.exists()

    page.get_by_role("button", name="Confirm and import").click()

    # Celery runs eagerly in tests, so the import is done when the page comes back.
    expect(page.get_by_role("status")).to_contain_text("The file is imported, except 1 line with errors.")
    counts = page.locator(".import-counts")
    expect(counts).to_contain_text("Created")
    expect(page.get_by_role("link", name="Download the problems (CSV)")).to_be_visible()
    screenshot(page, "import-done")
    assert Newcomer.objects.filter(name="Søren Æblegård").exists()

    page.get_by_role("link", name="Back to imports").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr").first).to_contain_text("tilflyttere-november.csv")
    screenshot(page, "import-history")


def test_progress_bar_polls_until_the_import_is_done(live_server, page, area, organisation, coordinator):
    run = ImportRun.objects.create(
        organisation=organisation,
        area=area,
        uploaded_by=coordinator,
        filename="stor-liste.csv",
        status=ImportRun.Status.RUNNING,
        total_rows=20_000,
        processed_rows=5_000,
    )
    page.goto(live_server.url + reverse("newcomers:detail", args=[area.slug, run.pk]))

    bar = page.locator(".progress-bar")
    expect(page.get_by_text("5000 of 20000 rows (25 %)")).to_be_visible()
    track_width = page.locator(".progress").bounding_box()["width"]
    assert bar.bounding_box()["width"] == pytest.approx(track_width / 4, abs=2)  # the width set from data-progress
    screenshot(page, "import-progress")

    ImportRun.objects.filter(pk=run.pk).update(processed_rows=15_000)
    expect(page.get_by_text("15000 of 20000 rows (75 %)")).to_be_visible(timeout=5_000)

    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.DONE, processed_rows=20_000, created=19_990, unchanged=10
    )
    expect(page.get_by_role("status")).to_contain_text("The file is imported.", timeout=5_000)
    expect(page.locator("#import-progress")).not_to_have_attribute("hx-trigger", re.compile(".*"))
