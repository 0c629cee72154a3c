"""The round's report as a PDF (issue 18): asked for on the web, made by the (eager) worker with its progress,
read back with pypdf: Danish, the funnel, one chart per question with its verdicts, small numbers hidden;
who may ask, follow and download; the job claimed once and swept when lost."""

import datetime
import io
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant
from apps.core.jobs import JOB_KINDS, jobs_lost
from apps.core.small_numbers import count_cell
from apps.surveys import round_pdf
from apps.surveys.models import RoundReport
from apps.surveys.round_pdf import round_report_content, round_report_render, round_report_request
from tests.surveys.test_pooled import _answer, _surveys

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_coordinator(make_user, area, other_area):
    """Coordinates both areas of the round: may view it."""
    user = make_user(full_name="Rita Roundcoordinator")
    for the_area in (area, other_area):
        membership_grant(user=user, area=the_area, role=Membership.Role.COORDINATOR)
    return user


@pytest.fixture
def two_area_round(area, other_area, make_round):
    survey_round = make_round([area, other_area])
    surveys = _surveys(survey_round)
    # North: 24 answers with contact, 12 without; south: 3 with contact (a small group), 20 without.
    _answer(surveys["north"], [("yes", "yes")] * 2 + [("yes", "no")], count=8)
    _answer(surveys["north"], [("no", "yes"), ("no", "no"), ("no", "dont_know")], count=4)
    _answer(surveys["south"], [("yes", "yes")] * 3)
    _answer(surveys["south"], [("no", "yes"), ("no", "no")], count=10)
    return survey_round


def _pdf_text(report: RoundReport) -> str:
    with report.pdf.open("rb") as file:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(file.read())).pages)


def test_a_requested_report_is_made_as_a_danish_pdf_with_the_results(
    django_capture_on_commit_callbacks, two_area_round, round_coordinator, area, other_area
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        report = round_report_request(round=two_area_round, by=round_coordinator)
    report.refresh_from_db()
    assert report.status == RoundReport.Status.DONE, report.error
    assert report.progress() == (report.steps_total, report.steps_total) and report.steps_total > 2

    text = _pdf_text(report)
    flat = " ".join(text.split())
    assert two_area_round.title in flat
    assert area.name in flat and other_area.name in flat
    assert "Tilflyttere, der flyttede ind" in flat or "Flyttede ind i perioden" in flat
    assert "Figur 1." in flat  # laid out like the evaluation's figures, in Danish
    assert "Cochran–Mantel–Haenszel" in flat
    assert "Fishers eksakte test" in flat
    assert "Begrænsninger" in flat
    assert "Contact with an ambassador" not in flat  # nothing left in English


def test_each_question_has_a_stacked_chart_and_its_conclusion(two_area_round):
    with translation.override("da"):
        content = round_report_content(round=two_area_round)
        html = round_pdf.render_to_string("surveys/round_report_pdf.html", content)
    happy = next(q for q in content["questions"] if q["code"] == "happy_living_here")
    assert html.count('<svg class="chart"') == len(content["questions"])
    assert happy["n"] == {"contact": "27", "no_contact": "32"}
    assert happy["fisher_p"] == "= 0,065" and happy["cmh_p"] == "= 0,035"  # Danish decimals
    # The contact question makes the groups and is no result; nobody answered the other questions.
    assert [q["code"] for q in content["questions"]] == ["happy_living_here"]
    assert happy["conclusion"] in html
    # Pooled, with contact: 19 yes and 8 no. But 4 of everyone answered "don't know" (hidden), so one more of
    # everyone's answers is hidden, and the contact group's "no" with it (everyone's 22 "no" = 8 with contact
    # + 14 without): no bar, or its "30 %" would give the 8 back.
    assert "70\u00a0%" not in str(happy["chart"]) and "Vises ikke: for få gav et af svarene" in str(happy["chart"])


def test_a_bar_whose_figures_are_all_shown_prints_its_percentages(area, other_area, make_round):
    survey_round = make_round([area, other_area])
    surveys = _surveys(survey_round)
    # With contact 14 yes, 6 no (70 %); without 10 yes, 10 no: every figure, per area and pooled, 5 or more.
    _answer(surveys["north"], [("yes", "yes")] * 7 + [("yes", "no")] * 3 + [("no", "yes"), ("no", "no")] * 5)
    _answer(surveys["south"], [("yes", "yes")] * 7 + [("yes", "no")] * 3 + [("no", "yes"), ("no", "no")] * 5)
    with translation.override("da"):
        content = round_report_content(round=survey_round)
    happy = next(q for q in content["questions"] if q["code"] == "happy_living_here")
    assert "70\u00a0%" in str(happy["chart"]) and "50\u00a0%" in str(happy["chart"])


def test_a_small_group_of_one_area_is_hidden_in_the_per_area_rows(two_area_round, other_area):
    with translation.override("da"):
        content = round_report_content(round=two_area_round)
    happy = next(q for q in content["questions"] if q["code"] == "happy_living_here")
    south = next(a["row"] for a in happy["areas"] if a["name"] == other_area.name)
    # South's 3 answers with contact: "< 5" and no share, never the exact count.
    assert south.n["contact"].text == "< 5"
    assert south.share["contact"].percent is None
    assert "< 5" in _areas_text(content)


def _areas_text(content: dict) -> str:
    return " ".join(str(a["row"].n[g]) for q in content["questions"] for a in q["areas"] for g in a["row"].n)


def test_a_pooled_group_under_five_has_no_bar(area, other_area, make_round):
    survey_round = make_round([area, other_area])
    _answer(_surveys(survey_round)["north"], [("yes", "yes"), ("no", "no")] * 2)
    with translation.override("da"):
        content = round_report_content(round=survey_round)
    chart = str(content["questions"][0]["chart"])
    assert "Færre end 5 svar" in chart
    assert content["few_respondents"] is True


def test_a_pooled_share_the_table_hides_has_no_bar(area, other_area, make_round):
    survey_round = make_round([area, other_area])
    # With contact: 6 yes and 1 no; the one "no" would be given away by "86 %" of 7.
    _answer(_surveys(survey_round)["north"], [("yes", "yes")] * 6 + [("yes", "no")] + [("no", "no")] * 6)
    with translation.override("da"):
        content = round_report_content(round=survey_round)
    chart = str(content["questions"][0]["chart"])
    assert "86\u00a0%" not in chart
    assert "Vises ikke: for få gav et af svarene" in chart


def test_the_task_makes_a_report_once_however_often_it_runs(two_area_round, round_coordinator):
    report = RoundReport.objects.create(round=two_area_round, requested_by=round_coordinator)
    round_report_render(report_id=report.pk)
    report.refresh_from_db()
    first_pdf, finished = report.pdf.name, report.finished_at
    with mock.patch.object(round_pdf, "round_report_pdf") as render:
        round_report_render(report_id=report.pk)
    render.assert_not_called()
    report.refresh_from_db()
    assert (report.pdf.name, report.finished_at) == (first_pdf, finished)


def test_a_failing_render_marks_the_report_failed_without_data(two_area_round):
    report = RoundReport.objects.create(round=two_area_round)
    with mock.patch.object(round_pdf, "round_report_pdf", side_effect=ValueError("Area north 3 answers")):
        round_report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == RoundReport.Status.FAILED
    assert "north" not in report.error and report.error


def test_asking_twice_finds_the_report_already_waiting(
    django_capture_on_commit_callbacks, two_area_round, round_coordinator
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = round_report_request(round=two_area_round, by=round_coordinator)
        second = round_report_request(round=two_area_round, by=round_coordinator)
    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert RoundReport.objects.count() == 1


def test_a_lost_report_is_swept_and_made(two_area_round):
    assert "surveys.RoundReport" in JOB_KINDS
    report = RoundReport.objects.create(
        round=two_area_round, status=RoundReport.Status.RUNNING, claimed_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert jobs_lost(model=RoundReport) == [report.pk]
    round_report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == RoundReport.Status.DONE


# --- The pages: who may ask, follow and download -------------------------------------------------------------


def test_the_round_coordinator_asks_follows_and_downloads(
    django_capture_on_commit_callbacks, client, two_area_round, round_coordinator
):
    client.force_login(round_coordinator)
    with django_capture_on_commit_callbacks(execute=True):  # the worker, eagerly
        response = client.post(reverse("surveys:round_report_new", args=[two_area_round.pk]))
    report = RoundReport.objects.get()
    status_url = reverse("surveys:round_report_status", args=[two_area_round.pk, report.pk])
    assert response.status_code == 302 and response.url == status_url
    assert report.requested_by == round_coordinator

    page = client.get(status_url)
    file_url = reverse("surveys:round_report_file", args=[two_area_round.pk, report.pk])
    assert page.status_code == 200 and file_url in page.content.decode()
    partial = client.get(status_url, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b'id="round-report-status"' in partial.content
    assert b"hx-trigger" not in partial.content  # done: the polling stops

    download = client.get(file_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_running_report_shows_its_progress_and_keeps_polling(client, two_area_round, round_coordinator):
    report = RoundReport.objects.create(
        round=two_area_round, status=RoundReport.Status.RUNNING, claimed_at=timezone.now(), steps_done=2, steps_total=4
    )
    client.force_login(round_coordinator)
    url = reverse("surveys:round_report_status", args=[two_area_round.pk, report.pk])
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'aria-valuenow="50"' in partial and "hx-trigger" in partial
    assert client.get(reverse("surveys:round_report_file", args=[two_area_round.pk, report.pk])).status_code == 404


def test_a_coordinator_of_one_area_only_may_not_ask_for_the_report(client, two_area_round, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("surveys:round_report_new", args=[two_area_round.pk]))
    assert response.status_code == 403
    assert not RoundReport.objects.exists()


def test_an_outsider_may_not_follow_or_download(client, two_area_round, round_coordinator, make_user):
    report = RoundReport.objects.create(round=two_area_round, requested_by=round_coordinator)
    round_report_render(report_id=report.pk)
    client.force_login(make_user())
    for name in ("round_report_status", "round_report_file"):
        assert client.get(reverse(f"surveys:{name}", args=[two_area_round.pk, report.pk])).status_code == 403


def test_another_rounds_report_is_not_found_through_this_round(
    client, two_area_round, round_coordinator, area, other_area, make_round
):
    other_round = make_round([area, other_area], title="Anden runde")
    report = RoundReport.objects.create(round=other_round, requested_by=round_coordinator)
    client.force_login(round_coordinator)
    for name in ("round_report_status", "round_report_file"):
        assert client.get(reverse(f"surveys:{name}", args=[two_area_round.pk, report.pk])).status_code == 404


def test_any_viewer_of_the_round_may_download_a_colleagues_report(
    client, two_area_round, round_coordinator, make_user, area, other_area
):
    report = RoundReport.objects.create(round=two_area_round, requested_by=round_coordinator)
    round_report_render(report_id=report.pk)
    colleague = make_user()
    for the_area in (area, other_area):
        membership_grant(user=colleague, area=the_area, role=Membership.Role.COORDINATOR)
    client.force_login(colleague)
    assert client.get(reverse("surveys:round_report_file", args=[two_area_round.pk, report.pk])).status_code == 200


def test_the_limits_give_the_response_rate_only_where_there_is_one(two_area_round):
    with translation.override("da"):
        content = round_report_content(round=two_area_round)  # every answer imported: nobody was invited
        html = round_pdf.render_to_string("surveys/round_report_pdf.html", content)
        assert "Svarprocenten var" not in html
        cells = {
            key: count_cell(n, mask=True) for key, n in zip(round_pdf.FUNNEL_KEYS, [40, 30, 30, 20, 12, 0], strict=True)
        }
        content["funnel_pooled"] = round_pdf._funnel_row("Alle områder", {**cells, "response_rate": 40})
        html = round_pdf.render_to_string("surveys/round_report_pdf.html", content)
    assert "Svarprocenten var 40\u00a0%." in html
