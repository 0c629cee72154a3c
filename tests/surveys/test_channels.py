"""Invitations and reminders through the outbox, the interviewer's call list and interviews, opt-out
everywhere, and the privacy job that settles groups and cuts the link to the newcomer."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.models import Message
from apps.surveys import tasks
from apps.surveys.models import CallAttempt, Invitation, Response, ResponseLink
from apps.surveys.selectors import call_list, survey_folder_link, survey_funnel
from apps.surveys.services import (
    answer_by_invitation,
    call_attempt_record,
    interview_submit,
    survey_invite,
    survey_reminders_send,
)
from apps.visits.models import Visit
from tests.surveys.conftest import FULL_ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_newcomer, other_area):
    """Who gets an invitation and who does not."""
    return {
        "sms": make_newcomer(phone="+4561000001", email="", language="ar"),
        "email": make_newcomer(phone="", email="e@example.org"),
        "opted_out": make_newcomer(phone="+4561000002", do_not_contact=True),
        "no_contact_data": make_newcomer(phone="", email=""),
        "before_period": make_newcomer(phone="+4561000003", days_ago=400),
        "other_area": make_newcomer(phone="+4561000004", in_area=other_area),
    }


def test_invite_sends_personal_links_by_sms_or_email_and_honours_opt_out(
    survey, people, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count = survey_invite(survey=survey)

    assert count == 2
    invited = {i.newcomer_id: i.channel for i in Invitation.objects.all()}
    assert invited == {people["sms"].pk: "sms", people["email"].pk: "email"}
    assert len(sms_outbox) == 1 and "/s/" in sms_outbox[0]["body"]
    assert "مرحبًا" in sms_outbox[0]["body"]  # in the newcomer's language
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["e@example.org"]
    assert all(i.sent_at for i in Invitation.objects.all())


def test_inviting_again_invites_only_new_newcomers(survey, people, make_newcomer):
    survey_invite(survey=survey)
    make_newcomer(phone="+4561000009")

    assert survey_invite(survey=survey) == 1
    assert Message.objects.filter(idempotency_key__startswith="survey-invite:").count() == 3


def test_invitations_need_a_running_survey(make_survey, today, people):
    planned = make_survey(opens_on=today + datetime.timedelta(days=3), closes_on=today + datetime.timedelta(days=30))

    with pytest.raises(ValidationError):
        survey_invite(survey=planned)


def test_invite_by_another_areas_coordinator_is_refused(survey, other_coordinator, people):
    with pytest.raises(PermissionDenied):
        survey_invite(survey=survey, by=other_coordinator)
    assert not Invitation.objects.exists()


def test_at_most_two_reminders_each_after_the_interval(
    survey, people, settings, sms_outbox, django_capture_on_commit_callbacks
):
    settings.SURVEY_REMINDER_DAYS = 5
    start = timezone.now()
    survey_invite(survey=survey, now=start)
    sms_outbox.clear()

    assert survey_reminders_send(now=start + datetime.timedelta(days=2)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert survey_reminders_send(now=start + datetime.timedelta(days=5, minutes=1)) == 2
    assert survey_reminders_send(now=start + datetime.timedelta(days=5, minutes=2)) == 0  # run twice: nothing new
    assert survey_reminders_send(now=start + datetime.timedelta(days=10, minutes=2)) == 2
    assert survey_reminders_send(now=start + datetime.timedelta(days=20)) == 0  # never a third

    assert sorted(Invitation.objects.values_list("reminders_sent", flat=True)) == [2, 2]
    assert (
        len(sms_outbox) == 1
    )  # the first reminder to the newcomer with a phone; the others went by e-mail or are counted only
    assert Message.objects.filter(idempotency_key__startswith="survey-remind:").count() == 4


def test_no_reminder_after_answering_opting_out_or_a_final_call(survey, make_newcomer, interviewer, settings):
    settings.SURVEY_REMINDER_DAYS = 1
    start = timezone.now()
    answered, opted, refused = (make_newcomer() for _ in range(3))
    survey_invite(survey=survey, now=start)
    invitation = {i.newcomer_id: i for i in Invitation.objects.all()}
    for code, value in FULL_ANSWERS.items():
        answer_by_invitation(invitation=invitation[answered.pk], code=code, value=value, language="da")
    opted.do_not_contact = True
    opted.save()
    call_attempt_record(invitation=invitation[refused.pk], by=interviewer, outcome="refused")

    assert survey_reminders_send(now=start + datetime.timedelta(days=2)) == 0


def test_the_beat_task_sends_reminders(survey, people, settings):
    settings.SURVEY_REMINDER_DAYS = 0
    survey_invite(survey=survey, now=timezone.now() - datetime.timedelta(minutes=1))

    assert tasks.surveys_send_reminders.delay().get() == 2


def test_call_list_holds_only_those_still_to_call(survey, make_newcomer, make_invitation, interviewer):
    to_call = make_invitation(survey, make_newcomer())[0]
    opted = make_invitation(survey, make_newcomer(do_not_contact=True))[0]
    no_phone = make_invitation(survey, make_newcomer(phone="", email="x@example.org"))[0]
    wrong = make_invitation(survey, make_newcomer())[0]
    call_attempt_record(invitation=wrong, by=interviewer, outcome="wrong_number")
    tried_out = make_invitation(survey, make_newcomer())[0]
    survey.max_call_attempts = 2
    survey.save()
    for _ in range(2):
        call_attempt_record(invitation=tried_out, by=interviewer, outcome="no_answer")

    listed = list(call_list(survey=survey))

    assert listed == [to_call]
    assert {opted, no_phone}.isdisjoint(listed)
    with pytest.raises(ValidationError):
        call_attempt_record(invitation=tried_out, by=interviewer, outcome="no_answer")
    with pytest.raises(ValidationError):
        call_attempt_record(invitation=opted, by=interviewer, outcome="no_answer")


def test_an_interview_stores_a_completed_response_and_closes_the_call(survey, newcomer, make_invitation, interviewer):
    invitation, _token = make_invitation(survey, newcomer)
    answers = {**FULL_ANSWERS, "looked_at_folder": "no", "folder_useful": ""}

    response = interview_submit(invitation=invitation, by=interviewer, answers=answers, language="ar")

    assert response.source == Response.Source.INTERVIEW and response.completed_at and response.language == "ar"
    assert "folder_useful" not in set(response.answers.values_list("question__code", flat=True))
    invitation.refresh_from_db()
    assert invitation.answered_at is not None
    assert invitation.call_attempts.get().outcome == CallAttempt.Outcome.COMPLETED
    assert not call_list(survey=survey).exists()


def test_an_interview_with_an_answer_to_a_question_not_asked_is_refused(survey, newcomer, make_invitation, interviewer):
    invitation, _token = make_invitation(survey, newcomer)
    answers = {**FULL_ANSWERS, "received_folder": "no"}  # looked_at_folder answered although not asked

    with pytest.raises(ValidationError):
        interview_submit(invitation=invitation, by=interviewer, answers=answers, language="da")
    assert not Response.objects.exists()


def test_an_interviewer_of_another_area_may_not_enter_answers(survey, newcomer, make_invitation, make_user, other_area):
    from apps.accounts.services import membership_grant

    stranger = make_user()
    membership_grant(user=stranger, area=other_area, role="interviewer")
    invitation, _token = make_invitation(survey, newcomer)

    with pytest.raises(PermissionDenied):
        interview_submit(invitation=invitation, by=stranger, answers=FULL_ANSWERS, language="da")


def test_settling_fixes_the_group_from_the_visit_and_cuts_the_link(survey, newcomer, make_invitation, settings):
    settings.SURVEY_GROUP_SETTLE_DAYS = 14
    invitation, _token = make_invitation(survey, newcomer)
    answered_at = timezone.now() - datetime.timedelta(days=15)
    for code, value in {**FULL_ANSWERS, "ambassador_contact": "no"}.items():
        answer_by_invitation(invitation=invitation, code=code, value=value, language="da")
    Response.objects.update(completed_at=answered_at)
    Visit.objects.create(
        area=survey.area,
        estate=newcomer.tenancy.estate,
        move_in_date=newcomer.move_in_date,
        newcomer=newcomer,
        due_date=newcomer.move_in_date,
        status="closed",
        closed_at=answered_at,
        close_reason="contact",
        contact_made=True,
    )
    recent = make_invitation(survey, make_newcomer_for(newcomer))[0]
    for code, value in FULL_ANSWERS.items():
        answer_by_invitation(invitation=recent, code=code, value=value, language="da")

    assert tasks.surveys_settle_groups.delay().get() == 1

    settled = Response.objects.get(completed_at__lte=timezone.now() - datetime.timedelta(days=14))
    assert settled.group == Response.Group.CONTACT and settled.group_settled_at is not None
    assert not ResponseLink.objects.filter(response=settled).exists()
    assert ResponseLink.objects.filter(invitation=recent).exists()  # not settled yet
    # The funnel still counts the answer: it is on the invitation, not the response.
    assert dict(survey_funnel(survey=survey).steps)["answered"] == 2


def make_newcomer_for(newcomer):
    """A second newcomer in the same estate (a plain helper: the fixture factory is not at hand here)."""
    from apps.newcomers.models import Newcomer

    return Newcomer.objects.create(
        tenancy=newcomer.tenancy, move_in_date=newcomer.move_in_date - datetime.timedelta(days=1), phone="+4561999999"
    )


def test_funnel_counts_each_step_and_the_reasons(survey, make_newcomer, make_invitation, interviewer, make_survey):
    make_newcomer(phone="", email="")  # in period, no contact data
    make_newcomer(do_not_contact=True)  # opted out
    answered = make_invitation(survey, make_newcomer())[0]
    for code, value in FULL_ANSWERS.items():
        answer_by_invitation(invitation=answered, code=code, value=value, language="da")
    dropped = make_invitation(survey, make_newcomer())[0]
    answer_by_invitation(invitation=dropped, code="ambassador_contact", value="yes", language="da")
    refused = make_invitation(survey, make_newcomer())[0]
    call_attempt_record(invitation=refused, by=interviewer, outcome="refused")
    make_invitation(survey, make_newcomer())  # not reached yet

    funnel = survey_funnel(survey=survey)

    assert funnel.steps == [
        ("in_period", 6),
        ("with_contact", 5),
        ("invited", 4),
        ("reached", 2),
        ("answered", 1),
    ]
    assert funnel.reasons["refused"] == 1
    assert funnel.reasons["opted_out"] == 1
    assert funnel.reasons["dropped_out"] == 1
    assert funnel.reasons["not_reached_yet"] == 1
    assert [(q.code, n) for q, n in funnel.dropped_at] == [("ambassador_contact", 1)]
    assert funnel.response_rate == 20


def test_folder_link_is_the_running_surveys_qr_entry(survey, area, other_area, today, settings):
    settings.SITE_URL = "https://nabo.example.org"

    assert survey_folder_link(area=area, on_date=today) == f"https://nabo.example.org/s/qr/{survey.qr_token}/"
    assert survey_folder_link(area=area, on_date=today + datetime.timedelta(days=60)) is None
    assert survey_folder_link(area=other_area, on_date=today) is None
