"""The coordinator's import pages: upload, mapping and preview, confirm, progress, history, problems CSV."""

import csv
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from apps.newcomers.models import ImportProblem, ImportRun, Newcomer
from apps.organisation.models import HousingOrganisation, Tenancy

pytestmark = pytest.mark.django_db

# What a housing organisation's system exports: Windows-1252, semicolons, a title row and a blank
# row above the header, Danish headers, a CPR column, one bad phone number and one line without a date.
MOVE_IN_LIST = (
    "Tilflytterliste november 2026;;;;;;\r\n"
    ";;;;;;\r\n"
    "Lejemålsnr.;Indflytningsdato;Navn;CPR-nr.;Telefon;E-mail;Sprog\r\n"
    "101-0001;01-11-2026;Søren Æblegård;010190-1234;20 12 34 56;soren@example.org;da\r\n"
    "101-0002;15.11.2026;Åse Øster;020290-2345;12;ase@example.org;en\r\n"
    "102-0001;;Mangler Dato;030390-3456;;;\r\n"
).encode("cp1252")
HEADER_LINE = 3


@pytest.fixture(autouse=True)
def _english(settings):
    """The pages are checked by their English wording (the msgids), whatever the Danish catalogue says."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def move_in_file(data: bytes = MOVE_IN_LIST, name: str = "tilflyttere.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def upload(client, area, organisation, file=None):
    return client.post(
        reverse("newcomers:upload", args=[area.slug]),
        {"organisation": organisation.pk, "file": file or move_in_file()},
    )


# Tenancy number, move-in date, name, (CPR dropped), phone, e-mail, language.
MAPPING = {
    "column_0": "tenancy_number",
    "column_1": "move_in_date",
    "column_2": "name",
    "column_4": "phone",
    "column_5": "email",
    "column_6": "language",
}


@pytest.fixture
def run(client, coordinator, area, organisation) -> ImportRun:
    """A file uploaded by the area's coordinator, waiting for confirmation (the client stays signed in)."""
    client.force_login(coordinator)
    upload(client, area, organisation)
    return ImportRun.objects.get()


def detail_url(run: ImportRun, name: str = "newcomers:detail", area=None) -> str:
    return reverse(name, args=[(area or run.area).slug, run.pk])


# --- The whole way through ---------------------------------------------------------------------------


def test_coordinator_uploads_previews_confirms_and_sees_the_counts(
    client, coordinator, area, organisation, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    response = upload(client, area, organisation)

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(run)
    assert run.status == ImportRun.Status.UPLOADED and run.uploaded_by == coordinator and run.area == area
    assert not Newcomer.objects.exists()

    page = client.get(detail_url(run))
    assert page.status_code == 200
    text = page.content.decode()
    assert "semicolon (;)" in text and "Windows-1252" in text
    assert f"line {HEADER_LINE}" in text
    assert "Dropped: looks like CPR numbers" in text
    assert 'name="column_3"' not in text  # the CPR column has no choice at all
    assert "010190-1234" not in text  # and its values are never shown
    preview = page.context["preview"]
    assert (preview.outcome.rows, preview.outcome.created, preview.outcome.error_count) == (3, 2, 1)
    assert [row["line"] for row in preview.rows] == [4, 5, 6]
    line_6 = preview.rows[2]
    assert not line_6["ok"]
    assert [(p.column, p.level) for p in line_6["problems"]] == [("Indflytningsdato", "error")]
    assert "The move-in date is missing" in text
    assert not Newcomer.objects.exists()  # the trial run left nothing behind

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(run, "newcomers:confirm"), MAPPING)
    assert response.status_code == 302
    assert response["Location"] == detail_url(run)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert (run.total_rows, run.created, run.updated, run.unchanged) == (3, 2, 0, 0)
    assert run.error_count == 1
    assert run.warning_count == 2  # the phone number on line 5 and the CPR column
    assert run.source is None  # the file is gone once processed
    assert sorted(Newcomer.objects.values_list("tenancy__number", "phone")) == [
        ("101-0001", "+4520123456"),
        ("101-0002", ""),
    ]

    page = client.get(detail_url(run))
    assert page.status_code == 200
    assert b"hx-trigger" not in page.content  # finished: nothing polls
    assert b"The file is imported, except 1 line with errors." in page.content
    assert detail_url(run, "newcomers:problems_csv").encode() in page.content
    assert [(p.line, p.level) for p in page.context["problems"]] == [(3, "warning"), (5, "warning"), (6, "error")]


def test_importing_the_same_file_again_creates_nothing(
    client, run, area, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(run, "newcomers:confirm"), MAPPING)
    # The same file: imported again only when the coordinator says so (see the test at the end).
    client.post(
        reverse("newcomers:upload", args=[area.slug]),
        {"organisation": organisation.pk, "file": move_in_file(), "import_again": "on"},
    )
    second = ImportRun.objects.latest("pk")
    # The organisation's mapping is remembered: the second file is proposed the same.
    assert second.mapping == {key.removeprefix("column_"): field for key, field in MAPPING.items()}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(second, "newcomers:confirm"), MAPPING)
    second.refresh_from_db()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert Newcomer.objects.count() == 2


def test_confirming_twice_imports_once(client, run, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(run, "newcomers:confirm"), MAPPING)
        response = client.post(detail_url(run, "newcomers:confirm"), MAPPING)
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and run.created == 2
    assert Newcomer.objects.count() == 2


# --- Upload ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "tilflyttere.csv", "not a CSV file or an Excel workbook"),
        (b"", "tom.csv", "The submitted file is empty."),
        (b"\r\n \r\n", "blank.csv", "The file is empty."),
        ("Lejemålsnr.;Indflytningsdato\r\n".encode("cp1252"), "kun-overskrift.csv", "no rows with newcomers"),
        (b"PK\x03\x04 not really a workbook", "liste.xlsx", "damaged"),
    ],
    ids=["binary", "empty", "blank", "header-only", "broken-xlsx"],
)
def test_a_refused_file_shows_why_and_nothing_is_stored(client, coordinator, area, organisation, data, name, message):
    client.force_login(coordinator)
    response = upload(client, area, organisation, move_in_file(data, name))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, coordinator, area, organisation, settings):
    settings.TENANT_IMPORT_MAX_BYTES = 100
    client.force_login(coordinator)
    response = upload(client, area, organisation)

    assert response.status_code == 400
    assert "The file is larger than 100" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_upload_offers_the_organisations_with_an_estate_in_the_area(client, coordinator, area, organisation):
    elsewhere = HousingOrganisation.objects.create(name="Andet Boligselskab", slug="andet")
    client.force_login(coordinator)
    response = client.get(reverse("newcomers:upload", args=[area.slug]))

    assert list(response.context["form"].fields["organisation"].queryset) == [organisation]
    refused = upload(client, area, elsewhere)
    assert refused.status_code == 400
    assert not ImportRun.objects.exists()


def test_empty_area_offers_no_organisation_and_says_what_to_do(client, make_user, organisation, area):
    # `area` holds the organisation's estates 101 and 102 (and their newcomers-to-be): not the empty area's.
    from apps.accounts.services import membership_grant
    from apps.organisation.models import Area

    empty = Area.objects.create(name="New area", slug="new")
    coordinator = make_user()
    membership_grant(user=coordinator, area=empty, role="coordinator")
    client.force_login(coordinator)
    page = client.get(reverse("newcomers:upload", args=[empty.slug]))

    assert page.status_code == 200
    text = page.content.decode()
    assert "This area has no estates yet" in text
    assert 'name="organisation"' not in text and organisation.name not in text

    forged = upload(client, empty, organisation)
    assert forged.status_code == 400
    assert not ImportRun.objects.exists()


def test_forged_organisation_of_another_area_is_a_form_error(client, coordinator, area, other_area):
    elsewhere = HousingOrganisation.objects.create(name="Andet Boligselskab", slug="andet")
    other_area.estates.update(organisation=elsewhere)
    client.force_login(coordinator)

    response = upload(client, area, elsewhere)
    assert response.status_code == 400
    assert response.context["form"].errors["organisation"] == [
        "Choose a housing organisation that has estates in this area."
    ]
    assert not ImportRun.objects.exists()


def test_preview_of_another_areas_tenancy_reveals_no_one_and_confirming_changes_nothing(
    client, coordinator, area, organisation, other_area, django_capture_on_commit_callbacks
):
    lives_there = Newcomer.objects.create(
        tenancy=Tenancy.objects.get(number="201-0001"),
        move_in_date=datetime.date(2026, 12, 6),
        name="Bo Beboer",
        phone="+4561111111",
    )
    hijack = "Lejenr;Indflytningsdato;Navn;Telefon;Adresse\r\n"
    hijack += "201-0001;06-12-2026;HIJACKED;+4529999999;\r\n"
    hijack += "201-0009;06-12-2026;Planted;+4529999998;Testvej 201 1, 3. tv\r\n"
    client.force_login(coordinator)
    upload(client, area, organisation, move_in_file(hijack.encode()))
    run = ImportRun.objects.get()

    page = client.get(detail_url(run))
    outcome = page.context["preview"].outcome
    assert (outcome.created, outcome.updated, outcome.unchanged, outcome.changes) == (0, 0, 0, [])
    assert [row["changes"] for row in page.context["preview"].rows] == [[], []]
    assert "Changes:" not in page.content.decode()

    mapping = {"column_0": "tenancy_number", "column_1": "move_in_date", "column_2": "name", "column_3": "phone"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(run, "newcomers:confirm"), {**mapping, "column_4": "address"})
    run.refresh_from_db()
    assert (run.status, run.created, run.updated, run.error_count) == (ImportRun.Status.DONE, 0, 0, 2)
    lives_there.refresh_from_db()
    assert (lives_there.name, lives_there.phone) == ("Bo Beboer", "+4561111111")
    assert list(Newcomer.objects.all()) == [lives_there]


def test_upload_form_labels_its_inputs_and_accepts_csv_and_xlsx(client, coordinator, area):
    client.force_login(coordinator)
    text = client.get(reverse("newcomers:upload", args=[area.slug])).content.decode()
    assert re.search(r'<label\s+for="id_organisation"', text)
    assert re.search(r'<label\s+for="id_file"', text)
    assert 'accept=".csv,.xlsx"' in text
    assert 'enctype="multipart/form-data"' in text


# --- Mapping and preview --------------------------------------------------------------------------


def test_changing_the_mapping_re_renders_the_preview_without_saving_it(client, run):
    without_name = {**MAPPING, "column_2": ""}
    response = client.post(detail_url(run), without_name)

    assert response.status_code == 200
    assert [row["values"]["name"] for row in response.context["preview"].rows[:2]] == ["", ""]
    assert response.context["form"]["column_2"].value() == ""
    run.refresh_from_db()
    assert run.mapping["2"] == "name" and run.status == ImportRun.Status.UPLOADED


def test_the_proposed_mapping_is_preselected(client, run):
    form = client.get(detail_url(run)).context["form"]
    assert {name: form[name].value() for name in MAPPING} == MAPPING
    assert "column_3" not in form.fields


def test_a_mapping_without_the_move_in_date_cannot_be_confirmed(client, run, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(run, "newcomers:confirm"), {**MAPPING, "column_1": ""})

    assert response.status_code == 400
    assert "Choose the column that holds the move-in date." in response.content.decode()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UPLOADED
    assert not Newcomer.objects.exists()


def test_missing_estates_are_created_only_when_the_coordinator_says_so(client, run, area):
    data = (
        "Lejemålsnr.;Indflytningsdato;Afdeling;Afdelingsnavn;Adresse\r\n"
        "909-0001;01-11-2026;909;Nybyg;Nyvej 1, 2. tv, 5220 Odense SØ\r\n"
    ).encode("cp1252")
    upload(client, area, run.organisation, move_in_file(data, "nybyg.csv"))
    new_run = ImportRun.objects.latest("pk")
    mapping = {
        "column_0": "tenancy_number",
        "column_1": "move_in_date",
        "column_2": "estate_number",
        "column_3": "estate_name",
        "column_4": "address",
    }

    refused = client.post(detail_url(new_run), mapping).context["preview"]
    created = client.post(detail_url(new_run), {**mapping, "create_estates": "on"}).context["preview"].outcome

    # Naming none of the organisation's estates here, the list is refused as a whole unless they are new.
    assert refused.outcome is None
    assert "does not look like" in refused.refused
    assert (created.created, created.error_count) == (1, 0)
    assert not area.estates.filter(number="909").exists()  # previews write nothing


def test_a_long_file_is_previewed_by_its_first_lines_without_a_trial_run(client, run, monkeypatch):
    monkeypatch.setattr("apps.newcomers.selectors.PREVIEW_DRY_RUN_MAX_ROWS", 2)
    response = client.get(detail_url(run))

    preview = response.context["preview"]
    assert preview.outcome is None
    assert [(row["line"], row["ok"]) for row in preview.rows] == [(4, True), (5, True), (6, False)]
    assert "too many for a trial run here" in response.content.decode()


# --- Progress -------------------------------------------------------------------------------------


def test_progress_partial_polls_while_running_and_stops_when_done(client, run):
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, total_rows=2000, processed_rows=500)
    running = client.get(detail_url(run, "newcomers:progress"), headers={"HX-Request": "true"})
    text = running.content.decode()
    assert running.status_code == 200
    assert 'hx-trigger="every 1s"' in text
    assert f'hx-get="{detail_url(run, "newcomers:progress")}"' in text
    assert 'data-progress="25"' in text and 'aria-valuenow="25"' in text
    assert "500 of 2000 rows" in text
    assert "<html" not in text  # a partial, not a page

    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.DONE, processed_rows=2000, created=1990, updated=4, unchanged=3, error_count=3
    )
    done = client.get(detail_url(run, "newcomers:progress"), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done
    assert "1990" in done and "The file is imported, except 3 lines with errors." in done
    assert detail_url(run, "newcomers:problems_csv") in done


def test_the_run_page_of_a_running_import_shows_the_polling_progress_bar(client, run):
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.QUEUED)
    text = client.get(detail_url(run)).content.decode()
    assert 'hx-trigger="every 1s"' in text
    assert 'class="progress' in text
    assert "Confirm and import" not in text


def test_a_failed_run_says_so_and_stops_polling(client, run):
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.FAILED, error="The import failed and nothing was saved."
    )
    text = client.get(detail_url(run, "newcomers:progress")).content.decode()
    assert "hx-trigger" not in text
    assert "nothing from the file was imported" in text


# --- Problems CSV ---------------------------------------------------------------------------------


def test_problems_csv_is_an_attachment_whose_cells_cannot_start_a_formula(client, run):
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.DONE, source=None)
    ImportProblem.objects.create(
        run=run, line=7, column='=HYPERLINK("http://x")', message="+45 is fine", level="warning"
    )
    ImportProblem.objects.create(run=run, line=4, column="@Telefon", message="-1 day", level="error")

    response = client.get(detail_url(run, "newcomers:problems_csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="import-{run.pk}-problems.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Line", "Column", "Level", "Problem"]
    assert rows[1:] == [
        ["4", "'@Telefon", "Error", "'-1 day"],
        ["7", '\'=HYPERLINK("http://x")', "Warning", "'+45 is fine"],
    ]


# --- History --------------------------------------------------------------------------------------


def _runs(organisation, area, user, count: int) -> None:
    ImportRun.objects.bulk_create(
        ImportRun(
            organisation=organisation,
            area=area,
            uploaded_by=user if i % 2 else None,
            filename=f"liste-{i}.csv",
            status=ImportRun.Status.DONE,
            total_rows=10,
            created=i,
        )
        for i in range(count)
    )


@pytest.mark.parametrize("runs", [1, 30])
def test_history_lists_the_areas_runs_in_a_constant_number_of_queries(
    client, coordinator, area, other_area, organisation, django_assert_num_queries, runs
):
    _runs(organisation, area, coordinator, runs)
    _runs(organisation, other_area, None, 2)
    client.force_login(coordinator)
    url = reverse("newcomers:history", args=[area.slug])

    # session, user, area, memberships (+ their estates), count for the paginator, the runs with their
    # organisation and person, and the session saved again (the first page after sign-in refreshes it: 3 with its savepoint)
    # (+1: the session's confirmed two-factor device) (+1: the outbox banner's count, then cached a minute)
    with django_assert_num_queries(12):
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["page"]) == runs
    text = response.content.decode()
    assert "liste-0.csv" in text and "command line" in text
    assert reverse("newcomers:upload", args=[area.slug]) in text


def test_history_shows_the_newest_run_first_and_no_other_areas_runs(
    client, coordinator, area, other_area, organisation
):
    ImportRun.objects.create(organisation=organisation, area=area, uploaded_by=coordinator, filename="old.csv")
    ImportRun.objects.create(organisation=organisation, area=area, uploaded_by=coordinator, filename="new.csv")
    ImportRun.objects.create(organisation=organisation, area=other_area, filename="south.csv")
    client.force_login(coordinator)

    page = client.get(reverse("newcomers:history", args=[area.slug])).context["page"]
    assert [run.filename for run in page] == ["new.csv", "old.csv"]


def test_history_pages_through_many_runs(client, coordinator, area, organisation):
    _runs(organisation, area, coordinator, 51)
    client.force_login(coordinator)
    url = reverse("newcomers:history", args=[area.slug])

    first, second = client.get(url), client.get(url, {"page": 2})
    assert len(first.context["page"]) == 50 and 'href="?page=2"' in first.content.decode()
    assert len(second.context["page"]) == 1 and "Page 2 of 2" in second.content.decode()


def test_imports_are_on_the_area_page_whose_menu_item_stays_lit(client, coordinator, area):
    client.force_login(coordinator)
    history = reverse("newcomers:history", args=[area.slug])
    area_page = reverse("organisation:area_detail", args=[area.slug])
    assert history in client.get(area_page).content.decode()
    [active] = [item for item in client.get(history).context["nav_items"] if item.active]
    assert active.url == area_page


# --- Another area's coordinator -------------------------------------------------------------------

RUN_PAGES = ["newcomers:detail", "newcomers:progress", "newcomers:problems_csv"]


@pytest.mark.parametrize("name", RUN_PAGES)
def test_another_areas_coordinator_cannot_open_a_run_in_either_area(client, run, other_coordinator, other_area, name):
    client.force_login(other_coordinator)
    through_own_area = client.get(detail_url(run, name, area=other_area))
    through_run_area = client.get(detail_url(run, name))

    assert through_own_area.status_code == 404
    assert through_run_area.status_code == 403
    for response in (through_own_area, through_run_area):
        assert run.filename.encode() not in response.content


def test_another_areas_coordinator_cannot_confirm_or_preview_a_run(client, run, other_coordinator, other_area):
    client.force_login(other_coordinator)
    for url in (detail_url(run, "newcomers:confirm", area=other_area), detail_url(run, "newcomers:confirm")):
        assert client.post(url, MAPPING).status_code in (403, 404)
    for url in (detail_url(run, area=other_area), detail_url(run)):
        assert client.post(url, MAPPING).status_code in (403, 404)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.UPLOADED
    assert not Newcomer.objects.exists()


def test_another_areas_coordinator_cannot_upload_into_this_area(client, other_coordinator, area, organisation):
    client.force_login(other_coordinator)
    assert upload(client, area, organisation).status_code == 403
    assert not ImportRun.objects.exists()


def test_the_upload_form_chooses_the_one_organisation_of_the_area(client, coordinator, area):
    client.force_login(coordinator)
    response = client.get(reverse("newcomers:upload", args=[area.slug]))
    field = response.context["form"]["organisation"]
    assert field.value() == area.estates.first().organisation_id
    assert "---------" not in response.content.decode()


def test_a_file_already_imported_is_refused_until_the_coordinator_confirms(
    client, coordinator, area, organisation, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    upload(client, area, organisation)
    first = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(first, "newcomers:confirm"), MAPPING)
    first.refresh_from_db()
    assert first.status == ImportRun.Status.DONE

    again = upload(client, area, organisation)

    assert again.status_code == 400
    text = again.content.decode()
    assert "This file was already imported on" in text and coordinator.full_name in text
    assert 'name="import_again"' in text
    assert ImportRun.objects.count() == 1  # nothing kept, nothing imported

    confirmed = client.post(
        reverse("newcomers:upload", args=[area.slug]),
        {"organisation": organisation.pk, "file": move_in_file(), "import_again": "on"},
    )
    assert confirmed.status_code == 302
    assert ImportRun.objects.count() == 2


def test_preview_shows_a_corrected_move_in_date_as_an_update_and_changes_nothing(
    client, coordinator, area, organisation
):
    known = Newcomer.objects.create(
        tenancy=Tenancy.objects.get(number="101-0001"), move_in_date=datetime.date(2026, 11, 1), name="Amina"
    )
    corrected = "Lejenr;Indflytningsdato;Navn\r\n101-0001;03-11-2026;Amina\r\n"
    client.force_login(coordinator)
    upload(client, area, organisation, move_in_file(corrected.encode()))

    page = client.get(detail_url(ImportRun.objects.get()))

    outcome = page.context["preview"].outcome
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 0)
    assert [row["changes"] for row in page.context["preview"].rows] == [["Move-in date"]]
    text = page.content.decode()
    assert "Changes: Move-in date" in text
    assert "Move-in date corrected from 01/11/2026 to 03/11/2026." in text  # day first, in the page's language
    known.refresh_from_db()
    assert known.move_in_date == datetime.date(2026, 11, 1)
    assert Newcomer.objects.count() == 1


def test_the_preview_shows_a_failed_lines_values_and_says_why_its_date_does_not_exist(
    client, coordinator, area, organisation
):
    data = (
        "Lejemålsnr.;Indflytningsdato;Navn;CPR-nr.;Telefon;E-mail;Sprog\r\n"
        "101-0001;01-11-2026;Søren Æblegård;;;;da\r\n"
        "101-0002;31-11-2026;Åse Øster;;;;da\r\n"
    ).encode("cp1252")
    client.force_login(coordinator)
    upload(client, area, organisation, move_in_file(data))
    run = ImportRun.objects.get()

    response = client.post(detail_url(run), MAPPING)

    failed = response.context["preview"].rows[1]
    assert not failed["ok"]
    # Every mapped cell as the file has it, so the coordinator recognises the line (the CPR column is dropped).
    assert failed["values"] == {
        "tenancy_number": "101-0002",
        "move_in_date": "31-11-2026",
        "name": "Åse Øster",
        "language": "da",
    }
    page = " ".join(response.content.decode().split())
    assert "<td>101-0002</td>" in page and "<td>Åse Øster</td>" in page
    assert "31-11-2026 is not a date: November has 30 days. The line is not imported." in page
    client.cookies["django_language"] = "da"
    danish = " ".join(client.post(detail_url(run), MAPPING).content.decode().split())
    assert "<td>Åse Øster</td>" in danish
    assert "31-11-2026 er ikke en dato: november har 30 dage. Linjen bliver ikke importeret." in danish
    assert not Newcomer.objects.exists()


def test_a_failed_lines_cells_in_the_preview_never_show_a_cpr_number(client, coordinator, area, organisation):
    data = (
        "Lejemålsnr.;Indflytningsdato;Navn\r\n"
        "101-0001;01-11-2026;Søren Æblegård\r\n"
        "101-0002;31-11-2026;Åse 010190-1234 Øster\r\n"
    ).encode("cp1252")
    client.force_login(coordinator)
    upload(client, area, organisation, move_in_file(data))
    run = ImportRun.objects.get()

    response = client.post(
        detail_url(run), {"column_0": "tenancy_number", "column_1": "move_in_date", "column_2": "name"}
    )

    failed = response.context["preview"].rows[1]
    assert not failed["ok"] and "Åse" in failed["values"]["name"]
    assert "010190" not in response.content.decode()


def test_a_finished_imports_problems_follow_the_readers_language_not_the_workers(
    client, coordinator, area, organisation, django_capture_on_commit_callbacks
):
    data = "Lejemålsnr.;Indflytningsdato\r\n101-0001;01-11-2026\r\n101-0002;31-11-2026\r\n".encode("cp1252")
    client.force_login(coordinator)
    upload(client, area, organisation, move_in_file(data))
    run = ImportRun.objects.get()
    client.cookies["django_language"] = "da"  # the eager worker runs in the confirming request: in Danish
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(run, "newcomers:confirm"), {"column_0": "tenancy_number", "column_1": "move_in_date"})
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert run.problems.get().message.startswith("31-11-2026 er ikke en dato")  # as the worker wrote it

    pages = {}
    for language in ("en", "da"):
        client.cookies["django_language"] = language
        pages[language] = " ".join(client.get(detail_url(run)).content.decode().split())
        csv_text = client.get(detail_url(run, "newcomers:problems_csv")).content.decode("utf-8-sig")

    assert "31-11-2026 is not a date: November has 30 days. The line is not imported." in pages["en"]
    assert "31-11-2026 er ikke en dato: november har 30 dage. Linjen bliver ikke importeret." in pages["da"]
    assert "31-11-2026 er ikke en dato: november har 30 dage." in csv_text  # the last one read in Danish
