"""The coordinator's and the interviewer's pages."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from apps.surveys.analysis import survey_questions
from apps.surveys.forms import QuestionForm
from apps.surveys.models import CallAttempt, Question, Response, Survey
from apps.surveys.services import answer_by_invitation, question_create
from tests.surveys.conftest import FULL_ANSWERS

pytestmark = pytest.mark.django_db


def test_coordinator_creates_a_survey_with_the_standard_questions(client, coordinator, area, today, english):
    client.force_login(coordinator)
    form = client.get(reverse("surveys:new", args=[area.slug]))
    standard = list(Question.objects.filter(area__isnull=True).values_list("pk", flat=True))
    assert form.context["form"]["questions"].initial == standard

    response = client.post(
        reverse("surveys:new", args=[area.slug]),
        {
            "title": "Forår 2026",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "opens_on": today.isoformat(),
            "closes_on": (today + datetime.timedelta(days=40)).isoformat(),
            "max_call_attempts": 10,
            "questions": standard,
        },
    )

    survey = Survey.objects.get(title="Forår 2026")
    assert response.status_code == 302
    assert survey.max_call_attempts == 10
    assert [sq.question.code for sq in survey.survey_questions.select_related("question")][:2] == [
        "ambassador_contact",
        "happy_living_here",
    ]


def test_a_follow_up_question_needs_the_question_it_depends_on(client, coordinator, area, survey, english):
    client.force_login(coordinator)
    data = {
        "title": "X",
        "period_start": survey.period_start,
        "period_end": survey.period_end,
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
        "max_call_attempts": 5,
        "questions": [Question.objects.get(code="looked_at_folder").pk],
    }

    response = client.post(reverse("surveys:new", args=[area.slug]), data)

    assert response.status_code == 400
    assert "looked_at_folder" in response.content.decode()
    assert Survey.objects.count() == 1


def test_coordinator_adds_an_own_question_in_four_languages(client, coordinator, area):
    client.force_login(coordinator)

    response = client.post(
        reverse("surveys:question_new", args=[area.slug]),
        {
            "code": "how_heard",
            "kind": "one_choice",
            "text_da": "Hvordan hørte du om madklubben?",
            "text_en": "How did you hear about the food club?",
            "text_ar": "كيف سمعت عن نادي الطعام؟",
            "text_tr": "Yemek kulübünü nereden duydunuz?",
            "choices": "Naboambassadør\nOpslag\nAndet",
        },
    )

    assert response.status_code == 302
    question = Question.objects.get(code="how_heard")
    assert question.area == area and question.texts["ar"].startswith("كيف")
    assert [c["code"] for c in question.choices] == ["naboambassadoer", "opslag", "andet"]


def test_own_questions_are_offered_only_in_their_area(client, other_coordinator, other_area, coordinator, area):
    question_create(area=area, by=coordinator, code="bike_room", kind="yes_no_dontknow", texts={"da": "Cykelkælder?"})
    client.force_login(other_coordinator)

    form = client.get(reverse("surveys:new", args=[other_area.slug])).context["form"]

    assert "bike_room" not in {q.code for q in form.fields["questions"].queryset}


def test_questions_cannot_change_after_answers(client, coordinator, survey, invitation_and_token, english):
    invitation, _token = invitation_and_token
    answer_by_invitation(invitation=invitation, code="ambassador_contact", value="yes", language="da")
    client.force_login(coordinator)
    data = {
        "title": survey.title,
        "period_start": survey.period_start,
        "period_end": survey.period_end,
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
        "max_call_attempts": 5,
        "questions": [Question.objects.get(code="happy_living_here").pk],
    }

    response = client.post(reverse("surveys:edit", args=[survey.area.slug, survey.pk]), data)

    assert response.status_code == 400
    assert "can no longer change" in response.content.decode()
    assert survey.survey_questions.count() == 9


def test_detail_page_sends_invitations_and_shows_the_qr_code(client, coordinator, survey, make_newcomer, english):
    make_newcomer()
    make_newcomer(do_not_contact=True)
    client.force_login(coordinator)
    page = client.get(reverse("surveys:detail", args=[survey.area.slug, survey.pk]))
    assert page.context["eligible"] == 1
    assert "<svg" in page.content.decode() and survey.qr_token in page.content.decode()

    client.post(reverse("surveys:invite", args=[survey.area.slug, survey.pk]))

    assert survey.invitations.count() == 1
    assert client.get(reverse("surveys:qr", args=[survey.area.slug, survey.pk]))["Content-Type"] == "image/svg+xml"


def test_funnel_page_shows_figures_and_a_chart(
    client, coordinator, survey, invitation_and_token, english, django_assert_max_num_queries
):
    invitation, _token = invitation_and_token
    for code, value in FULL_ANSWERS.items():
        answer_by_invitation(invitation=invitation, code=code, value=value, language="da")
    client.force_login(coordinator)

    with django_assert_max_num_queries(15):
        page = client.get(reverse("surveys:funnel", args=[survey.area.slug, survey.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-step="answered">1<' in html
    assert 'class="funnel-chart"' in html and "<rect" in html


def test_funnel_and_result_labels_stand_whole_on_a_line_of_their_own_above_their_bar(
    client, coordinator, survey, invitation_and_token
):
    """A label beside its bar had room for a few words and ran into the bar; in Danish most did."""
    invitation, _token = invitation_and_token
    for code, value in FULL_ANSWERS.items():
        answer_by_invitation(invitation=invitation, code=code, value=value, language="da")
    client.force_login(coordinator)

    funnel = client.get(reverse("surveys:funnel", args=[survey.area.slug, survey.pk])).content.decode()
    analysis = client.get(reverse("surveys:analysis", args=[survey.area.slug, survey.pk])).content.decode()

    label = re.search(
        r'<text x="0" y="(\d+)" class="chart-label">Med telefon eller e-mail</text>\s*'
        r'<rect x="0" y="(\d+)"',
        funnel,
    )
    assert label and int(label.group(2)) > int(label.group(1))
    rows = len(re.findall('class="chart-label"', funnel))
    assert f'viewBox="0 0 200 {rows * 17}"' in funnel
    label = re.search(
        r'<text x="0" y="(\d+)" class="chart-label">Alle \(n=1\)</text>\s*'
        r'<rect x="0(?:\.0)?" y="(\d+)"',
        analysis,
    )
    assert label and int(label.group(2)) > int(label.group(1))
    assert 'viewBox="0 0 200 57"' in analysis  # three groups, 19 units each
    assert "translate(70" not in analysis


def test_analysis_page_shows_stacked_bars_a_small_group_note_and_free_text(
    client, coordinator, survey, invitation_and_token, english
):
    own = question_create(area=survey.area, by=coordinator, code="wish", kind="short_text", texts={"da": "Ønsker?"})
    survey.survey_questions.create(question=own, position=20)
    invitation, _token = invitation_and_token
    for code, value in {**FULL_ANSWERS, "wish": "Flere bænke"}.items():
        answer_by_invitation(invitation=invitation, code=code, value=value, language="da")
    client.force_login(coordinator)

    html = client.get(reverse("surveys:analysis", args=[survey.area.slug, survey.pk])).content.decode()

    assert 'class="stacked-chart"' in html and 'class="chart-bar chart-yes"' in html
    assert "Fewer than 20 people" in html
    assert "Flere bænke" in html
    assert "12,5" not in html  # SVG numbers are never localised with a decimal comma


def test_analysis_csv_download(client, coordinator, survey):
    client.force_login(coordinator)

    response = client.get(reverse("surveys:analysis_csv", args=[survey.area.slug, survey.pk]))

    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("question,group,n,answer,percent,p_value,significant")


def test_import_page_reports_lines_and_imports_the_rest(client, coordinator, survey, english):
    client.force_login(coordinator)
    data = b"respondent_ref;happy_living_here\nX1;ja\nX2;kanske\n"

    page = client.post(
        reverse("surveys:import", args=[survey.area.slug, survey.pk]),
        {"file": SimpleUploadedFile("firm.csv", data, content_type="text/csv")},
    )

    assert page.status_code == 200
    assert page.context["result"].imported == 1
    assert "1 of 2 lines imported" in page.content.decode()
    assert Response.objects.get().respondent_ref == "X1"


def test_interviewer_records_a_call_and_enters_an_interview(client, interviewer, survey, invitation_and_token, english):
    invitation, _token = invitation_and_token
    client.force_login(interviewer)
    assert client.get(reverse("surveys:calls_home")).context["surveys"][0] == survey
    listing = client.get(reverse("surveys:call_list", args=[survey.pk]))
    assert list(listing.context["invitations"]) == [invitation]
    assert invitation.newcomer.tenancy.entrance.street not in listing.content.decode()  # no address: not needed

    client.post(reverse("surveys:call_record", args=[invitation.pk]), {"outcome": "no_answer"})
    form = client.get(reverse("surveys:interview", args=[invitation.pk]))
    answers = {f"q_{code}": value for code, value in FULL_ANSWERS.items()}
    saved = client.post(reverse("surveys:interview", args=[invitation.pk]), {"language": "da", **answers})

    assert form.status_code == 200
    assert saved.status_code == 302
    assert list(invitation.call_attempts.values_list("outcome", flat=True)) == [
        "no_answer",
        CallAttempt.Outcome.COMPLETED,
    ]
    assert Response.objects.get().source == Response.Source.INTERVIEW
    assert not client.get(reverse("surveys:call_list", args=[survey.pk])).context["invitations"]


def test_the_interview_asks_the_questions_in_the_newcomers_language_right_to_left(
    client, interviewer, survey, newcomer, make_invitation, english
):
    invitation, _token = make_invitation(survey, newcomer)  # Amina speaks Arabic
    questions = survey_questions(survey=survey)
    client.force_login(interviewer)

    page = client.get(reverse("surveys:interview", args=[invitation.pk])).content.decode()

    for question in questions:
        assert f'<span lang="ar" dir="rtl">{escape(question.text("ar"))}</span>' in page
        assert escape(question.text("da")) not in page
    assert '<span lang="ar" dir="rtl">نعم</span>' in page  # yes, read aloud in Arabic too
    assert "Read each question aloud" in page  # the interviewer's own instructions stay in the UI language


def test_the_interviewer_may_ask_in_another_language_and_the_answers_record_it(
    client, interviewer, survey, newcomer, make_invitation, english
):
    invitation, _token = make_invitation(survey, newcomer)
    question = survey_questions(survey=survey)[0]
    client.force_login(interviewer)

    page = client.get(reverse("surveys:interview", args=[invitation.pk]), {"language": "da"}).content.decode()
    answers = {f"q_{code}": value for code, value in FULL_ANSWERS.items()}
    saved = client.post(reverse("surveys:interview", args=[invitation.pk]), {"language": "da", **answers})

    assert f'<span lang="da" dir="ltr">{escape(question.text("da"))}</span>' in page
    assert 'dir="rtl"' not in page
    assert saved.status_code == 302
    assert Response.objects.get().language == "da"


def test_interview_with_an_unasked_answer_is_refused_on_the_page(
    client, interviewer, survey, invitation_and_token, english
):
    invitation, _token = invitation_and_token
    client.force_login(interviewer)
    answers = {f"q_{code}": value for code, value in {**FULL_ANSWERS, "received_folder": "no"}.items()}

    response = client.post(reverse("surveys:interview", args=[invitation.pk]), {"language": "da", **answers})

    assert response.status_code == 400
    assert not Response.objects.exists()


@pytest.mark.parametrize("url_name", ["surveys:call_list", "surveys:funnel", "surveys:analysis", "surveys:list"])
def test_pages_make_the_same_number_of_queries_for_more_data(
    client, coordinator, survey, make_newcomer, make_invitation, url_name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)
    args = {
        "surveys:call_list": [survey.pk],
        "surveys:list": [survey.area.slug],
    }.get(url_name, [survey.area.slug, survey.pk])

    client.get(reverse(url_name, args=args))  # the first request also refreshes the session

    def count_after_adding(n: int) -> int:
        for _ in range(n):
            invitation, _token = make_invitation(survey, make_newcomer())
            for code, value in list(FULL_ANSWERS.items())[:3]:
                answer_by_invitation(invitation=invitation, code=code, value=value, language="da")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name, args=args)).status_code == 200
        return len(queries)

    assert count_after_adding(2) == count_after_adding(8)


def test_the_interview_page_is_closed_for_someone_no_longer_on_the_call_list(
    client, interviewer, survey, invitation_and_token, english
):
    invitation, _token = invitation_and_token
    invitation.newcomer.do_not_contact = True
    invitation.newcomer.save()
    client.force_login(interviewer)

    response = client.get(reverse("surveys:interview", args=[invitation.pk]))

    assert response.status_code == 302 and response["Location"] == reverse("surveys:call_list", args=[survey.pk])
    assert invitation.newcomer.name not in client.get(response["Location"]).content.decode()


def test_each_question_text_is_typed_in_its_languages_direction():
    form = QuestionForm()

    assert 'lang="ar"' in str(form["text_ar"]) and 'dir="rtl"' in str(form["text_ar"])
    assert 'lang="da"' in str(form["text_da"]) and 'dir="ltr"' in str(form["text_da"])


def test_the_interviewer_sees_when_to_ask_with_the_earlier_question_escaped(
    client, interviewer, survey, newcomer, make_invitation, english
):
    invitation, _token = make_invitation(survey, newcomer)
    dependent = next(q for q in survey_questions(survey=survey) if q.depends_on)
    Question.objects.filter(code=dependent.depends_on).update(texts={"da": "Fik du <b>mappen</b>?", "ar": "<b>ملف</b>"})
    client.force_login(interviewer)

    page = client.get(reverse("surveys:interview", args=[invitation.pk])).content.decode()

    assert 'Ask only when the answer to “<span lang="ar" dir="rtl">&lt;b&gt;ملف&lt;/b&gt;</span>”' in page
    assert "<b>ملف</b>" not in page


def test_funnel_and_written_answers_name_questions_by_their_text_not_their_code(
    client, coordinator, survey, invitation_and_token, make_invitation, make_newcomer, english
):
    own = question_create(area=survey.area, by=coordinator, code="wish", kind="short_text", texts={"da": "Ønsker?"})
    survey.survey_questions.create(question=own, position=20)
    invitation, _token = invitation_and_token
    for code, value in {**FULL_ANSWERS, "wish": "Flere bænke"}.items():
        answer_by_invitation(invitation=invitation, code=code, value=value, language="da")
    dropped, _token = make_invitation(survey, make_newcomer())
    answer_by_invitation(invitation=dropped, code="ambassador_contact", value="yes", language="da")
    client.force_login(coordinator)

    funnel = client.get(reverse("surveys:funnel", args=[survey.area.slug, survey.pk])).content.decode()
    analysis = client.get(reverse("surveys:analysis", args=[survey.area.slug, survey.pk])).content.decode()

    contact = Question.objects.get(code="ambassador_contact")
    assert contact.text("en") in funnel
    assert "ambassador_contact" not in funnel
    assert "Ønsker?: Flere bænke" in analysis
    assert "<code>" not in analysis  # codes stay in the page's anchors, never in what it says


def test_detail_page_lists_questions_and_their_conditions_in_words_not_codes(client, coordinator, survey, english):
    client.force_login(coordinator)

    page = " ".join(client.get(reverse("surveys:detail", args=[survey.area.slug, survey.pk])).content.decode().split())

    received = [q.code for q in survey_questions(survey=survey)].index("received_folder") + 1
    assert "Have you looked at what is in the welcome folder?" in page
    assert f"(only if question {received} is answered “Yes”)" in page
    assert "<code>" not in page and "received_folder" not in page
