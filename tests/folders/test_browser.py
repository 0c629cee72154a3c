"""The welcome folder in a real browser at desk size: the coordinator edits a Danish section, sees its
translations marked outdated, publishes, downloads a newcomer's personal PDF and prints the week's batch."""

import io

import pytest
from playwright.sync_api import expect, sync_playwright
from pypdf import PdfReader

from apps.folders.models import FolderVersion, PrintBatch
from tests.browser import launch_chromium, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = {"width": 1280, "height": 800}


@pytest.fixture
def page(live_server, client, coordinator):
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(viewport=DESK, accept_downloads=True)
        client.force_login(coordinator)
        context.add_cookies(
            [
                {"name": "django_language", "value": "en", "url": live_server.url},
                {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            ]
        )
        yield context.new_page()
        browser.close()


def test_coordinator_edits_sees_outdated_translations_publishes_and_downloads_a_folder(
    page, live_server, area, folder, week_visits, activities
):
    page.goto(f"{live_server.url}/areas/{area.slug}/folder/")
    expect(page.locator("#outdated-summary")).to_have_count(0)
    screenshot(page, "folder-editor-desktop")

    house_rules = page.get_by_role("row").filter(has_text="House rules")
    house_rules.locator('a[data-language="da"]').click()
    page.get_by_label("Text").fill("- Ro mellem kl. 22 og 7.\n- Cykler i cykelkælderen.\n- Husk at hilse på naboen.")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#outdated-summary")).to_be_visible()
    outdated = house_rules.locator('a[data-state="outdated"]')
    expect(outdated).to_have_count(3)
    expect(page.locator('a[data-state="outdated"]')).to_have_count(3)  # only this section's translations
    screenshot(page, "folder-editor-outdated")

    page.get_by_role("button", name="Publish the draft as a new version").click()
    # Outdated translations: the page says which, and nothing is published before the confirmation.
    expect(page.get_by_text("English, Arabic, Turkish")).to_be_visible()
    assert FolderVersion.objects.filter(folder=folder).count() == 1
    screenshot(page, "folder-publish-confirm")
    page.get_by_role("button", name="Publish anyway").click()
    expect(page.get_by_text("Version 2 is published.")).to_be_visible()
    assert FolderVersion.objects.filter(folder=folder).count() == 2

    page.get_by_role("link", name="Print the week's folders").click()
    sofie = page.get_by_role("row").filter(has_text="Sofie Jensen")
    with page.expect_download() as download:
        sofie.get_by_role("button", name="PDF").click()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages)
    assert "Sofie Jensen" in text and "Husk at hilse på naboen." in text
    assert "Amira Haddad" not in text

    page.get_by_role("button", name="Make the PDFs").click()
    expect(page.locator("a.batch-file")).to_have_count(2)
    screenshot(page, "folder-batch-done")


def test_batch_page_shows_the_progress_bar_and_the_arabic_preview_reads_right_to_left(
    page, live_server, area, folder, version, week_visits
):
    batch = PrintBatch.objects.create(
        area=area, version=version, due_until=week_visits[0].due_date, status="running", total=5, done=2
    )
    page.goto(f"{live_server.url}/areas/{area.slug}/folder/batches/{batch.pk}/")
    bar = page.locator(".progress-bar")
    expect(bar).to_have_attribute("data-progress", "40")
    assert page.evaluate("getComputedStyle(document.querySelector('.progress-bar')).width") != "0px"
    screenshot(page, "folder-batch-progress")
    PrintBatch.objects.filter(pk=batch.pk).update(status="done", done=5)
    expect(page.get_by_text("5 folders are ready.")).to_be_visible(timeout=5000)  # htmx polled the end

    page.goto(f"{live_server.url}/areas/{area.slug}/folder/preview/ar/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    expect(page.get_by_role("heading", name="فرز النفايات")).to_be_visible()
    screenshot(page, "folder-preview-arabic")
