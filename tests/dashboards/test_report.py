"""The annual report: asked for on a page, made by a Celery task (eager here), a real WeasyPrint PDF read
back with pypdf, a CSV, in Danish whoever asked; made once however often the task runs."""

import csv
import datetime
import io
import re
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from apps.dashboards import services
from apps.dashboards.models import AnnualReport
from apps.dashboards.services import annual_report_render, annual_report_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year():
    return timezone.localdate().year - 1


@pytest.fixture
def year_history(make_visit, estate, estate_102, last_year):
    for i in range(8):
        make_visit(estate=estate, moved_in=datetime.date(last_year, 3, 1 + i), outcome="contact", days=6)
    for i in range(2):
        make_visit(estate=estate_102, moved_in=datetime.date(last_year, 5, 1 + i), outcome="declined")


def _pdf_text(report: AnnualReport) -> str:
    with report.pdf.open("rb") as file:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(file.read())).pages)


def _csv_rows(report: AnnualReport) -> list[list[str]]:
    with report.csv.open("rb") as file:
        data = file.read()
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_a_requested_report_is_made_as_pdf_and_csv_in_danish(
    django_capture_on_commit_callbacks, area, coordinator, estate_102, year_history, last_year
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        report = annual_report_request(area=area, year=last_year, by=coordinator)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DONE, report.error
    assert report.finished_at is not None

    text = _pdf_text(report)
    assert "Naboambassadør" in text
    assert area.name in text
    assert str(last_year) in text
    assert "marts" in text  # month names from Django's Danish catalogue: the report is in Danish
    assert "March" not in text
    # 2 newcomers in estate 102: hidden in its row of the estate table (the explanation always says "< 5")
    name = r"\s+".join(re.escape(part) for part in f"{estate_102.number} {estate_102.name}".split())
    assert re.search(rf"{name}\s+< 5 ", text)  # its newcomers cell, the first after its name

    rows = _csv_rows(report)
    assert rows[1][2:] == ["10", "0"]  # the first key figure: newcomers that year, and the year before
    # The same cell in the CSV: estate 102's newcomers, hidden as on its board page.
    by_figure = {row[1]: row[2] for row in rows[1:]}
    assert by_figure[f"{estate_102.number} {estate_102.name}: Tilflyttere, der flyttede ind"] == "< 5"
    assert len({len(row) for row in rows}) == 1


def test_the_pdf_has_the_charts(area, year_history, last_year):
    with translation.override("da"):
        content = services.annual_report_content(area=area, year=last_year)
        html = services.render_to_string("dashboards/report_pdf.html", content)
        pdf = services.annual_report_pdf(content=content)
    assert html.count('<svg class="chart"') >= 3
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    # The charts are drawn as vector paths with their value labels as text.
    assert "marts" in reader.pages[0].extract_text() + reader.pages[1].extract_text()


def test_csv_cells_never_start_a_formula(area, last_year, make_visit, estate):
    from apps.visits.models import Activity

    evil = Activity.objects.create(area=area, name='=HYPERLINK("http://x")')
    for i in range(6):
        make_visit(estate=estate, moved_in=datetime.date(last_year, 2, 1 + i), interests=[evil])
    with translation.override("da"):
        data = services.annual_report_csv(content=services.annual_report_content(area=area, year=last_year))
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row


def test_the_task_makes_a_report_once_however_often_it_runs(area, coordinator, last_year):
    report = AnnualReport.objects.create(area=area, year=last_year, requested_by=coordinator)
    annual_report_render(report_id=report.pk)
    report.refresh_from_db()
    first_pdf, finished = report.pdf.name, report.finished_at
    with mock.patch.object(services, "annual_report_pdf") as render:
        annual_report_render(report_id=report.pk)
    render.assert_not_called()
    report.refresh_from_db()
    assert (report.pdf.name, report.finished_at) == (first_pdf, finished)


def test_a_report_being_made_by_another_worker_is_left_alone(area, last_year):
    report = AnnualReport.objects.create(
        area=area, year=last_year, status=AnnualReport.Status.RUNNING, claimed_at=timezone.now()
    )
    with mock.patch.object(services, "annual_report_pdf") as render:
        annual_report_render(report_id=report.pk)
    render.assert_not_called()


def test_a_lost_report_is_claimed_again_after_a_while(area, last_year):
    report = AnnualReport.objects.create(
        area=area,
        year=last_year,
        status=AnnualReport.Status.RUNNING,
        claimed_at=timezone.now() - datetime.timedelta(hours=2),
    )
    annual_report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DONE


def test_asking_twice_finds_the_report_already_waiting(
    django_capture_on_commit_callbacks, area, coordinator, last_year
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = annual_report_request(area=area, year=last_year, by=coordinator)
        second = annual_report_request(area=area, year=last_year, by=coordinator)
    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert AnnualReport.objects.count() == 1


def test_a_failure_is_recorded_without_details(area, last_year):
    report = AnnualReport.objects.create(area=area, year=last_year)
    with mock.patch.object(services, "annual_report_pdf", side_effect=RuntimeError("Amina Newcomer +4561111111")):
        annual_report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.FAILED
    assert report.error and "Amina" not in report.error
    assert not report.pdf


# --- Pages -------------------------------------------------------------------------------------------


def test_coordinator_asks_for_a_report_and_follows_it_to_the_download(
    client, django_capture_on_commit_callbacks, area, coordinator, year_history, last_year
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboards:report_list", args=[area.slug]), {"year": last_year})
    report = AnnualReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:report_detail", args=[area.slug, report.pk])

    status = client.get(reverse("dashboards:report_status", args=[area.slug, report.pk])).content.decode()
    assert "hx-trigger" not in status  # finished: the polling stops
    assert reverse("dashboards:report_pdf", args=[area.slug, report.pk]) in status

    pdf = client.get(reverse("dashboards:report_pdf", args=[area.slug, report.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert f"naboambassador-{area.slug}-{last_year}.pdf" in pdf["Content-Disposition"]
    csv_response = client.get(reverse("dashboards:report_csv", args=[area.slug, report.pk]))
    assert csv_response["Content-Type"].startswith("text/csv")


def test_the_status_page_polls_while_the_report_is_being_made(client, area, coordinator, last_year):
    report = AnnualReport.objects.create(area=area, year=last_year, status=AnnualReport.Status.RUNNING)
    client.force_login(coordinator)
    page = client.get(reverse("dashboards:report_detail", args=[area.slug, report.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert client.get(reverse("dashboards:report_pdf", args=[area.slug, report.pk])).status_code == 404


def test_another_areas_report_is_not_found(client, area, other_area, coordinator, last_year):
    report = AnnualReport.objects.create(area=other_area, year=last_year)
    client.force_login(coordinator)
    assert client.get(reverse("dashboards:report_detail", args=[area.slug, report.pk])).status_code == 404


def test_the_report_has_the_survey_section_from_the_survey_headlines(area, year_history, last_year):
    from tests.dashboards.test_survey_section import HEADLINES

    with mock.patch.object(services, "survey_headlines_for", return_value=HEADLINES) as headlines:
        with translation.override("da"):
            content = services.annual_report_content(area=area, year=last_year)
            pdf = services.annual_report_pdf(content=content)
            data = services.annual_report_csv(content=content).decode("utf-8-sig")
    assert headlines.call_args.kwargs["for_board"] is True  # an export: groups under 5 hidden
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Do you feel welcome in your area?" in text and "74" in text
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    survey = [row for row in rows if row[1].startswith("Have you taken part")]
    assert [row[2] for row in survey] == ["31\u00a0%", "< 5"]
