"""The import services: upload → confirm → task → history, the remembered mapping, and the errors CSV."""

import csv
import datetime
import functools
import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from apps.core.csv_safety import csv_safe
from apps.newcomers import selectors, services
from apps.newcomers.importing import ImportRefused
from apps.newcomers.models import ColumnMapping, ImportProblem, ImportRun, Newcomer
from apps.newcomers.services import (
    import_problems_csv,
    import_run_confirm,
    import_run_create,
    import_run_execute,
    import_run_mapping,
)
from apps.newcomers.tasks import newcomer_imports_delete_pending
from tests.newcomers import HEADER, csv_bytes, english, line

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
__all__ = ["english"]


@pytest.fixture
def upload(organisation, area, coordinator):
    def make(rows, **kwargs):
        return import_run_create(
            organisation=organisation, area=area, user=coordinator, filename="liste.csv", data=csv_bytes(rows), **kwargs
        )

    return make


def test_upload_is_checked_and_kept_with_what_was_detected(upload, coordinator, area):
    run = upload([[*HEADER, "CPR"], [*line(), "010190-1234"], [*line(number="101-0002"), "020290-1234"]])
    assert (run.status, run.uploaded_by, run.area, run.filename) == (
        ImportRun.Status.UPLOADED,
        coordinator,
        area,
        "liste.csv",
    )
    assert run.detected == {
        "kind": "csv",
        "encoding": "utf-8",
        "delimiter": ";",
        "header_line": 1,
        "sheet": "",
        "cpr_columns": [7],
    }
    assert run.headers == [*HEADER, "CPR"]
    assert run.mapping == {
        "0": "tenancy_number",
        "1": "move_in_date",
        "2": "name",
        "3": "phone",
        "4": "email",
        "5": "language",
        "6": "address",
    }
    assert run.dropped_columns == ["CPR"]
    assert (run.total_rows, len(run.file_sha256)) == (2, 64)
    assert selectors.import_run_source(run=run) == bytes(run.source)


def test_no_cpr_number_is_stored_on_upload_whatever_the_column(upload, client, coordinator, area, caplog):
    header = [*HEADER, "Noter"]
    run = upload(
        [
            header,
            [*line(name="311299-4321", phone="0101901234"), "har kat"],  # a CPR in name and phone
            [*line(number="101-0002", name="Abandoned Person 020290 2345"), "ringer selv"],  # inside a name
            [*line(number="101-0003", name="Bo"), "030390-3456"],  # in a note column
        ]
    )
    stored = bytes(run.source)
    for value in ("311299", "4321", "010190", "020290", "030390", "3456"):
        assert value.encode() not in stored
    assert all(kept in stored for kept in (b"Abandoned Person ", b"Bo", b"har kat", b"ringer selv"))
    caplog.set_level("DEBUG")
    client.force_login(coordinator)
    page = client.get(reverse("newcomers:detail", args=[area.slug, run.pk])).content.decode()
    for value in ("311299", "010190", "020290", "030390"):
        assert value not in page
        assert value not in caplog.text
    assert page.count("Changes:") == 0


def test_unconfirmed_uploads_are_deleted_after_the_pending_hours(upload, settings):
    settings.TENANT_IMPORT_PENDING_HOURS = 24
    old, recent, confirmed = (upload([HEADER, line()]) for _ in range(3))
    confirmed = import_run_confirm(
        run=confirmed, mapping=import_run_mapping(run=confirmed), create_estates=False, enqueue=False
    )
    day_ago = timezone.now() - datetime.timedelta(hours=25)
    ImportRun.objects.filter(pk__in=[old.pk, confirmed.pk]).update(created_at=day_ago)

    newcomer_imports_delete_pending.delay()

    assert set(ImportRun.objects.values_list("pk", flat=True)) == {recent.pk, confirmed.pk}
    assert services.import_runs_delete_pending() == 0  # safe to run again


def test_beat_runs_the_pending_upload_cleanup(settings):
    from naboambassador.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["newcomers-delete-pending-imports"]
    assert entry["task"] == newcomer_imports_delete_pending.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= 3600


def test_upload_for_an_organisation_without_estates_in_the_area_is_refused(area, other_area, coordinator):
    from apps.organisation.models import HousingOrganisation

    elsewhere = HousingOrganisation.objects.create(name="Andet Boligselskab", slug="andet")
    other_area.estates.update(organisation=elsewhere)
    with pytest.raises(ImportRefused) as refused:
        import_run_create(
            organisation=elsewhere, area=area, user=coordinator, filename="x.csv", data=csv_bytes([HEADER, line()])
        )
    assert refused.value.message == "The housing organisation has no estates in this area."
    assert not ImportRun.objects.exists()


def test_refused_upload_writes_nothing(organisation, area, coordinator):
    with pytest.raises(ImportRefused):
        import_run_create(organisation=organisation, area=area, user=coordinator, filename="x.csv", data=b"\x89PNG\r\n")
    assert not ImportRun.objects.exists()


def test_confirm_runs_the_import_and_keeps_only_the_history(upload, django_capture_on_commit_callbacks):
    run = upload([HEADER, line(), line(number="101-0002", phone="12"), line(date="")])
    with django_capture_on_commit_callbacks(execute=True):
        import_run_confirm(run=run, mapping=import_run_mapping(run=run), create_estates=False)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert run.source is None
    assert (run.total_rows, run.processed_rows, run.created, run.updated, run.unchanged) == (3, 3, 2, 0, 0)
    assert (run.error_count, run.warning_count) == (1, 1)
    assert run.claimed_at and run.finished_at
    assert list(run.problems.values_list("line", "level", "column")) == [
        (3, "warning", "Telefon"),
        (4, "error", "Indflytningsdato"),
    ]
    assert Newcomer.objects.count() == 2


def test_confirm_is_refused_without_tenancy_number_and_date(upload):
    run = upload([HEADER, line()])
    with pytest.raises(ImportRefused):
        import_run_confirm(run=run, mapping={2: "name"}, create_estates=False)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UPLOADED


def test_confirm_twice_is_refused(upload):
    run = upload([HEADER, line()])
    import_run_confirm(run=run, mapping=import_run_mapping(run=run), create_estates=False, enqueue=False)
    with pytest.raises(ImportRefused):
        import_run_confirm(run=run, mapping=import_run_mapping(run=run), create_estates=False, enqueue=False)


def test_execute_twice_imports_once(upload):
    run = upload([HEADER, line()])
    import_run_confirm(run=run, mapping=import_run_mapping(run=run), create_estates=False, enqueue=False)
    import_run_execute(run_id=run.pk)
    finished = ImportRun.objects.get(pk=run.pk).finished_at
    import_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.created, run.finished_at) == (1, finished)
    assert Newcomer.objects.count() == 1


@pytest.mark.parametrize("fast", [False, True], ids=["orm", "postgres"])
def test_imported_newcomers_are_stamped_by_the_apps_clock(upload, monkeypatch, fast):
    """Both writers take the time from timezone.now(), not the database server's now(): a simulated
    clock (tests/simulation) moves the import's timestamps too."""
    moment = timezone.now() - datetime.timedelta(days=3, hours=5)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    run = upload([HEADER, line(), line(number="101-0002", name="Omar Saleh", phone="22 33 44 66")])
    import_run_confirm(run=run, mapping=import_run_mapping(run=run), create_estates=False, enqueue=False)
    monkeypatch.setattr(services, "newcomers_import", functools.partial(services.newcomers_import, fast=fast))
    import_run_execute(run_id=run.pk)
    Newcomer.objects.update(name="Amina H.")  # an update through the import again, below
    run = upload([HEADER, line(), line(number="101-0002", name="Omar Saleh", phone="22 33 44 66")])
    import_run_confirm(run=run, mapping=import_run_mapping(run=run), create_estates=False, enqueue=False)
    import_run_execute(run_id=run.pk)

    assert set(Newcomer.objects.values_list("created_at", "updated_at")) == {(moment, moment)}


def test_unconfirmed_run_is_not_executed(upload):
    run = upload([HEADER, line()])
    import_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UPLOADED
    assert not Newcomer.objects.exists()


def test_failed_run_says_so_clears_the_file_and_saves_nothing(upload, monkeypatch):
    run = upload([HEADER, line()])
    import_run_confirm(run=run, mapping=import_run_mapping(run=run), create_estates=False, enqueue=False)

    def broken(**kwargs):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(services, "newcomers_import", broken)
    import_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.source, run.error) == (
        ImportRun.Status.FAILED,
        None,
        "The import failed and nothing was saved.",
    )
    assert not Newcomer.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "This list does not look like Fyns Bolig's: none of its estate numbers"),
        ("da", "Listen ligner ikke en liste fra Fyns Bolig"),
    ],
)
def test_a_refusal_in_the_worker_is_kept_as_a_code_and_read_in_the_readers_language(
    upload, monkeypatch, language, expected
):
    run = upload([HEADER, line()])
    import_run_confirm(run=run, mapping=import_run_mapping(run=run), create_estates=False, enqueue=False)

    def refused(**kwargs):
        raise ImportRefused("wrong_organisation", organisation="Fyns Bolig")

    monkeypatch.setattr(services, "newcomers_import", refused)
    with translation.override("da" if language == "en" else "en"):  # the worker spoke the other language
        import_run_execute(run_id=run.pk)
    run.refresh_from_db()

    assert (run.status, run.error_code, run.error_params) == (
        ImportRun.Status.FAILED,
        "wrong_organisation",
        {"organisation": "Fyns Bolig"},
    )
    with translation.override(language):
        assert run.error_text.startswith(expected)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "already imported on 03/11/2026 09:30 by a scheduled import"), ("da", "03.11.2026 09:30")],
)
def test_the_identical_file_refusal_names_when_in_the_readers_date_format(language, expected):
    when = timezone.make_aware(datetime.datetime(2026, 11, 3, 9, 30)).isoformat()
    refusal = ImportRefused("repeated", when=when, who="")

    with translation.override(language):
        assert expected in refusal.message


def test_dry_run_confirmed_writes_no_newcomers_and_remembers_no_mapping(upload, organisation):
    run = upload([HEADER, line()])
    import_run_confirm(run=run, mapping=import_run_mapping(run=run), create_estates=False, dry_run=True, enqueue=False)
    import_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.created, run.dry_run) == (ImportRun.Status.DONE, 1, True)
    assert not Newcomer.objects.exists()
    assert not ColumnMapping.objects.filter(organisation=organisation).exists()


def test_mapping_is_remembered_for_the_organisation_and_proposed_next_time(upload, organisation):
    header = ["Kundenr", "Flyttedag", "Navn", "Noter"]
    run = upload([header, ["101-0001", "01-11-2026", "Amina", "x"]])
    assert run.mapping == {"2": "name"}  # only "Navn" is a known header
    import_run_confirm(
        run=run, mapping={0: "tenancy_number", 1: "move_in_date", 2: "name"}, create_estates=False, enqueue=False
    )
    assert ColumnMapping.objects.get(organisation=organisation).headers == {
        "kundenr": "tenancy_number",
        "flyttedag": "move_in_date",
        "navn": "name",
        "noter": "",
    }
    second = upload([header, ["101-0001", "01-11-2026", "Amina", "x"]])
    assert second.mapping == {"0": "tenancy_number", "1": "move_in_date", "2": "name"}


def test_progress_is_visible_to_others_while_the_import_runs(upload, transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("progress is written over a second connection on PostgreSQL only")
    run = upload([HEADER, line()])
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING)  # as a worker claimed it
    progress, close = services._progress_writer(run_id=run.pk)
    try:
        progress(2500)
    finally:
        close()
    run.refresh_from_db()
    assert run.processed_rows == 2500


def test_task_runs_the_service(upload):
    from apps.newcomers.tasks import newcomer_import_execute

    run = upload([HEADER, line()])
    import_run_confirm(run=run, mapping=import_run_mapping(run=run), create_estates=False, enqueue=False)
    newcomer_import_execute.delay(run.pk)
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.DONE


# --- Errors CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+45", "'+45"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("Navn", "Navn"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_csv_safe_escapes_cells_that_would_start_a_formula(value, expected):
    assert csv_safe(value) == expected


def test_problems_csv_lists_every_problem_with_formula_cells_escaped(upload):
    run = upload([HEADER, line()])
    ImportProblem.objects.create(run=run, line=3, column='=HYPERLINK("x")', message="-bad", level="error")
    ImportProblem.objects.create(run=run, line=2, column="Telefon", message="Invalid", level="warning")
    text = import_problems_csv(run=run)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows == [
        ["Line", "Column", "Level", "Problem"],
        ["2", "Telefon", "Warning", "Invalid"],
        ["3", '\'=HYPERLINK("x")', "Error", "'-bad"],
    ]


def test_admin_shows_the_run_read_only_and_never_the_file(client, upload, make_user):
    run = upload([HEADER, line()])
    admin = make_user(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(f"/admin/newcomers/importrun/{run.pk}/change/")
    assert response.status_code == 200
    assert b"liste.csv" in response.content
    assert b"Amina" not in response.content  # the stored upload holds her name; the page does not
    assert client.get("/admin/newcomers/importrun/add/").status_code == 403
    for page in ("importrun", "importproblem", "columnmapping"):
        assert client.get(f"/admin/newcomers/{page}/").status_code == 200


def test_import_finds_the_header_the_upload_found_even_after_the_remembered_mapping_changed(upload, organisation):
    # Only the remembered mapping knows these headers, and a title row stands above them.
    ColumnMapping.objects.create(
        organisation=organisation, headers={"kundenr": "tenancy_number", "flyttedag": "move_in_date"}
    )
    run = upload([["Kundenr", "Flyttedag"], ["101-0001", "01-11-2026"]])
    ColumnMapping.objects.filter(organisation=organisation).update(headers={})

    import_run_confirm(run=run, mapping=import_run_mapping(run=run), create_estates=False, dry_run=True, enqueue=False)
    import_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.created) == (ImportRun.Status.DONE, 1)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "“12 B” is not a valid tenancy number; the line is not imported."),
        ("da", "“12 B” er ikke et gyldigt lejemålsnummer. Linjen bliver ikke importeret."),
    ],
)
def test_an_invalid_tenancy_number_is_named_in_the_readers_language(language, expected):
    problem = ImportProblem(line=4, code="tenancy_invalid", params={"value": "12 B"}, level="error")

    with translation.override(language):
        assert problem.text == expected
