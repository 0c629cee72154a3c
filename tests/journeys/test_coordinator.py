"""The coordinator's week at a desk (1280 × 800): sign in with password and authenticator code, import a
messy move-in list, map a column the importer did not know, check the preview, confirm, watch it finish,
confirm the proposed ambassadors and print the week's folders: one PDF per ambassador, one folder each."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from pypdf import PdfReader

from apps.folders.models import BatchFile, PrintBatch
from apps.newcomers.models import ImportRun, Newcomer
from apps.visits.models import Visit
from tests.browser import screenshot
from tests.journeys.conftest import DESKTOP, HeldTask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


NEWCOMERS = ("Amina Hassan", "Emre Yilmaz", "Søren Ærø")


def move_in_list(today: datetime.date) -> bytes:
    """A list as a housing organisation's system exports it: Windows encoding, semicolons, a title and an
    empty line above the header, a CPR column, padded values, three date formats, a language column under
    a header no alias knows ("Modersmaal"), a phone number too short to be one and a date that does not exist."""

    def day(days_ago: int, fmt: str) -> str:
        return (today - datetime.timedelta(days=days_ago)).strftime(fmt)

    lines = [
        f"Udtræk fra lejesystemet {today:%d-%m-%Y};;;;;;;",
        ";;;;;;;",
        "Lejemålsnr.;Indflytningsdato;Fornavn;Efternavn;CPR-nr.;Mobil;E-mail;Modersmaal",
        f" 101-0001 ;{day(9, '%d-%m-%Y')};Amina;Hassan;010190-1234;20 12 34 56; AMINA@EXAMPLE.ORG ;arabisk",
        f"101-0002;{day(8, '%d.%m.%Y')};Emre;Yilmaz;020290-2345;+45 31 22 33 44;;tyrkisk",
        f"102-0001;{day(7, '%d/%m/%Y')};Søren;Ærø;030390-3456;12;;dansk",
        "102-0002;31-11-2026;Ulla;Ugyldig;040490-4567;;;dansk",
        ";;;;;;;",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def sign_in_with_two_factor(page, user, device: TOTPDevice) -> None:
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill("naboambassador-test")
    page.get_by_role("button", name="Sign in").last.click()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/"))
    # The code the authenticator app shows now, made from the device's key as the app makes it.
    code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
    page.get_by_label("Code").fill(f"{code:0{device.digits}d}")
    page.get_by_role("button", name="Sign in").last.click()


def journey_import(page, area, organisation, today, importer: HeldTask) -> None:
    """Upload → column mapping → preview → confirm → progress until done."""
    page.get_by_role("link", name="Import move-in lists").click()
    page.get_by_role("link", name="Import a file").click()
    page.get_by_label("Housing organisation").select_option(label=organisation.name)
    page.get_by_label("File").set_input_files(
        files=[{"name": "udtraek.csv", "mimeType": "text/csv", "buffer": move_in_list(today)}]
    )
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("udtraek.csv")
    expect(page.get_by_text("semicolon (;)")).to_be_visible()
    expect(page.get_by_text("line 3", exact=True)).to_be_visible()  # the header found below title and gap
    expect(page.get_by_text("Dropped: looks like CPR numbers")).to_be_visible()
    expect(page.get_by_label("Fornavn")).to_have_value("name")
    expect(page.get_by_label("Efternavn")).to_have_value("name")
    language = page.get_by_label("Modersmaal")
    expect(language).to_have_value("")  # not known: the coordinator says what it is
    preview = page.locator("table.import-preview tbody tr")
    expect(preview.first).not_to_contain_text("Arabic")
    screenshot(page, "journey-coordinator-mapping")

    language.select_option("language")
    page.get_by_role("button", name="Update preview").click()
    expect(preview).to_have_count(4)
    amina = preview.filter(has_text="Amina Hassan")
    expect(amina).to_contain_text("amina@example.org")
    expect(amina).to_contain_text("ar")
    expect(preview.filter(has_text="Søren Ærø")).to_have_class(re.compile("table-warning"))
    expect(preview.filter(has_text="31-11-2026")).to_have_class(re.compile("table-danger"))
    assert "010190" not in page.content()  # the CPR numbers never reach the page
    assert not Newcomer.objects.exists()  # nothing saved before the confirmation
    screenshot(page, "journey-coordinator-preview")

    page.get_by_role("button", name="Confirm and import").click()
    # Queued: the page says so and polls; the worker picks the import up, and the page shows the result.
    expect(page.get_by_role("status").first).to_have_text("Waiting for the import to start…")
    expect(page.locator("#import-progress")).to_have_attribute("hx-trigger", "every 1s")
    assert importer.release() == 1
    expect(page.get_by_role("status").first).to_contain_text("The file is imported, except 1 line with errors.")
    expect(page.locator("#import-progress")).not_to_have_attribute("hx-trigger", re.compile(".*"))
    expect(page.locator(".import-counts")).to_contain_text("Created")
    run = ImportRun.objects.get()
    assert sorted(run.problems.values_list("line", "code")) == [  # lines as in the file, title rows counted
        (3, "cpr_column"),
        (6, "phone_invalid"),
        (7, "date_no_such_day"),
    ]
    assert run.status == ImportRun.Status.DONE and (run.created, run.error_count) == (3, 1)
    ago = [today - datetime.timedelta(days=n) for n in (9, 8, 7)]  # three ways of writing a date, one result
    assert sorted(
        Newcomer.objects.values_list("tenancy__number", "name", "move_in_date", "phone", "email", "language")
    ) == [
        ("101-0001", "Amina Hassan", ago[0], "+4520123456", "amina@example.org", "ar"),
        ("101-0002", "Emre Yilmaz", ago[1], "+4531223344", "", "tr"),
        ("102-0001", "Søren Ærø", ago[2], "", "", "da"),  # "12" is no phone number: left out, with a warning
    ]


def journey_assign(page, area, ali, anne) -> None:
    """The Assign page proposes an ambassador for each new household; the coordinator confirms them all."""
    page.get_by_role("link", name="Welcome visits").click()
    page.get_by_role("link", name="Assign", exact=True).click()
    expect(page.get_by_text("3 newcomers are waiting for an ambassador.")).to_be_visible()
    page.get_by_role("button", name="Propose ambassadors").click()
    rows = page.locator("table.proposals tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="Amina Hassan")).to_contain_text("Speaks Arabic.")
    expect(rows.filter(has_text="Emre Yilmaz")).to_contain_text("Speaks Turkish.")
    expect(page.get_by_label("Ambassador for Amina Hassan")).to_have_value(str(ali.pk))
    expect(page.get_by_label("Ambassador for Emre Yilmaz")).to_have_value(str(anne.pk))
    assert not Visit.objects.exists()  # a proposal is not an assignment
    # One proposal changed before confirming: Søren goes to Anne, who has fewer visits this week.
    page.get_by_label("Ambassador for Søren Ærø").select_option(str(anne.pk))
    screenshot(page, "journey-coordinator-proposals")

    page.get_by_role("button", name="Confirm all").click()
    expect(page.get_by_role("alert")).to_have_text("3 visits are assigned.")
    holders = dict(Visit.objects.values_list("newcomer__name", "ambassador_id"))
    assert holders == {"Amina Hassan": ali.pk, "Emre Yilmaz": anne.pk, "Søren Ærø": anne.pk}


def journey_print_folders(page, printer: HeldTask) -> dict[str, list[str]]:
    """The week's folders: one PDF per ambassador, made in the background while the page shows the progress.
    Returns each ambassador's name → the newcomers in their PDF, one folder after the other, as read back
    from the PDFs downloaded (each folder's pages name its newcomer, and no other)."""
    page.get_by_role("link", name="Welcome folder").click()
    page.get_by_role("link", name="Print the week's folders").click()
    expect(page.locator("tbody tr")).to_have_count(3)  # the three visits due this week
    page.get_by_role("button", name="Make the PDFs").click()
    expect(page.get_by_role("status").first).to_have_text("Waiting for the printer job to start…")
    assert printer.release() == 1
    expect(page.get_by_text("3 folders are ready.")).to_be_visible(timeout=20_000)
    links = page.locator("a.batch-file")
    expect(links).to_have_count(2)
    screenshot(page, "journey-coordinator-batch")
    assert PrintBatch.objects.get().status == PrintBatch.Status.DONE

    read: dict[str, list[str]] = {}
    for i in range(links.count()):
        with page.expect_download() as download:
            links.nth(i).click()
        data = open(download.value.path(), "rb").read()
        assert data.startswith(b"%PDF-")
        pages = [pdf_page.extract_text() for pdf_page in PdfReader(io.BytesIO(data)).pages]
        file_pk = int(re.search(r"/files/(\d+)/", links.nth(i).get_attribute("href")).group(1))
        file = BatchFile.objects.select_related("ambassador__user").get(pk=file_pk)
        sections = list(file.deliveries.select_related("newcomer").order_by("first_page"))
        assert sum(section.page_count for section in sections) == len(pages)
        names = [section.newcomer.name for section in sections]
        for section in sections:
            text = "\n".join(pages[section.first_page - 1 : section.first_page - 1 + section.page_count])
            assert [name for name in NEWCOMERS if name in text] == [section.newcomer.name]
        read[file.ambassador.user.full_name] = names
    return read


def test_coordinator_imports_a_messy_list_assigns_the_visits_and_prints_the_weeks_folders(
    open_page,
    hold_task,
    settings,
    area,
    organisation,
    coordinator,
    ambassador_profile,
    other_ambassador_profile,
    folder,
):
    # Visits due a week after the list came: the week's folders then include the households imported today.
    settings.VISIT_DUE_DAYS = 7
    today = timezone.localdate()
    device = TOTPDevice.objects.create(user=coordinator, name="Telefon", confirmed=True)
    importer = hold_task("apps.newcomers.tasks.newcomer_import_execute")
    printer = hold_task("apps.folders.tasks.folder_batch_make")
    page = open_page(viewport=DESKTOP, language="en")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    sign_in_with_two_factor(page, coordinator, device)
    expect(page).to_have_url(re.compile(rf"/areas/{area.slug}/$"))

    journey_import(page, area, organisation, today, importer)
    page.get_by_role("link", name=area.name, exact=True).first.click()
    journey_assign(page, area, ambassador_profile, other_ambassador_profile)
    folders = journey_print_folders(page, printer)
    assert folders["Ali Ambassador"] == ["Amina Hassan"]
    assert sorted(folders["Anne Ambassador"]) == ["Emre Yilmaz", "Søren Ærø"]
