"""Writes for the newcomer survey: surveys and questions, invitations and reminders, answering (by link,
QR code or phone interview), call attempts, settling the contact group and cutting the identity link.

Every write runs in a transaction; messages go through the outbox with idempotency keys. Answering locks
the invitation row (personal link) or the response row (QR), so a double tap or two phones on the same link
store one response; the unique link per invitation is the database's guarantee behind that.
"""

import datetime
import importlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.models import Message
from apps.core.policy import Perm, can
from apps.core.services import message_queue
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, HousingOrganisation
from apps.surveys.analysis import response_groups
from apps.surveys.content import survey_language, texts_for
from apps.surveys.models import (
    STANDARD_CODES,
    SURVEY_LANGUAGES,
    Answer,
    CallAttempt,
    Invitation,
    Question,
    Response,
    ResponseLink,
    Survey,
    SurveyQuestion,
    SurveyRound,
)
from apps.surveys.selectors import invitation_channel, newcomers_to_invite, organisation_areas
from apps.surveys.tokens import invitation_url, token_for_nonce

MAX_REMINDERS = 2
SHORT_TEXT_MAX = 500


class LinkRefused(Exception):
    """A personal link or anonymous response that cannot be answered: unknown, used, expired or closed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "invalid", "used", "expired", "closed"


def _ensure_manager(by: User, area: Area) -> None:
    if not can(by, Perm.AREA_MANAGE, area):
        raise PermissionDenied


# --- Surveys and questions --------------------------------------------------------------------------------


def standard_bank_ensure() -> int:
    """Install the standard questions when they are missing (a flushed test database, a demo built on an
    emptied one); the data migration is the one source of their codes and texts. Returns how many exist."""
    if Question.objects.filter(area__isnull=True).count() < len(STANDARD_CODES):
        bank = importlib.import_module("apps.surveys.migrations.0002_standard_questions")
        bank.install(django_apps, None)
    return Question.objects.filter(area__isnull=True).count()


def _set_questions(survey: Survey, questions: Iterable[Question]) -> None:
    questions = list(questions)
    if any(q.area_id not in (None, survey.area_id) for q in questions):
        raise ValidationError(_("A survey can only use standard questions and its own area's questions."))
    survey.survey_questions.all().delete()
    SurveyQuestion.objects.bulk_create(
        [SurveyQuestion(survey=survey, question=q, position=i) for i, q in enumerate(questions)]
    )


@transaction.atomic
def survey_create(
    *,
    area: Area,
    by: User | None,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    opens_on: datetime.date,
    closes_on: datetime.date,
    questions: Iterable[Question] | None = None,
    max_call_attempts: int | None = None,
    round: SurveyRound | None = None,
) -> Survey:
    """A survey of the newcomers who moved in during the period; by default with the standard questions."""
    if by is not None:
        _ensure_manager(by, area)
    survey = Survey(
        area=area,
        round=round,
        title=title,
        period_start=period_start,
        period_end=period_end,
        opens_on=opens_on,
        closes_on=closes_on,
        max_call_attempts=max_call_attempts or settings.SURVEY_MAX_CALL_ATTEMPTS,
        created_by=by,
    )
    survey.full_clean()
    survey.save()
    if questions is None:
        questions = Question.objects.filter(area__isnull=True).order_by("pk")
    _set_questions(survey, questions)
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, by: User, questions: Iterable[Question] | None = None, **fields) -> Survey:
    """Change title, periods or call attempts; the questions only while nobody has answered."""
    _ensure_manager(by, survey.area)
    allowed = {"title", "period_start", "period_end", "opens_on", "closes_on", "max_call_attempts"}
    if set(fields) - allowed:
        raise TypeError(f"Not a survey field: {', '.join(sorted(set(fields) - allowed))}")
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.full_clean()
    survey.save(update_fields=list(fields) or None)
    if questions is not None:
        questions = list(questions)
        current = [sq.question_id for sq in survey.survey_questions.order_by("position", "pk")]
        if [q.pk for q in questions] != current:
            if survey.responses.exists():
                raise ValidationError(_("People have answered already, so the questions can no longer change."))
            _set_questions(survey, questions)
    return survey


@transaction.atomic
def question_create(
    *, area: Area, by: User, code: str, kind: str, texts: dict[str, str], choices: list[dict] | None = None
) -> Question:
    """A coordinator's own question for their area's surveys (yes/no/don't know, scale, one choice, short text)."""
    _ensure_manager(by, area)
    texts = {lang: (texts.get(lang) or "").strip() for lang in SURVEY_LANGUAGES if (texts.get(lang) or "").strip()}
    if "da" not in texts:
        raise ValidationError(_("Write the question in Danish at least."))
    choices = choices or []
    if kind == Question.Kind.ONE_CHOICE and len(choices) < 2:
        raise ValidationError(_("A one-choice question needs at least two choices."))
    if kind != Question.Kind.ONE_CHOICE:
        choices = []
    if Question.objects.filter(code=code).exists():
        raise ValidationError(_("Another question already has this code."))
    question = Question(area=area, code=code, kind=kind, texts=texts, choices=choices)
    question.full_clean()
    question.save()
    return question


# --- Invitations and reminders ---------------------------------------------------------------------------


def invitation_new(*, survey: Survey, newcomer: Newcomer, channel: str, now: datetime.datetime) -> Invitation:
    """An unsaved invitation with its token hash (the token itself is never stored)."""
    nonce = secrets.token_hex(16)
    return Invitation(
        survey=survey,
        newcomer=newcomer,
        channel=channel,
        nonce=nonce,
        token_hash=Invitation.hash_token(token_for_nonce(nonce)),
        expires_at=link_expiry(survey=survey, now=now),
    )


def link_expiry(*, survey: Survey, now: datetime.datetime) -> datetime.datetime:
    """SURVEY_LINK_DAYS from now, and never after the end of the survey's last day."""
    end_of_survey = timezone.make_aware(
        datetime.datetime.combine(survey.closes_on + datetime.timedelta(days=1), datetime.time.min)
    )
    return min(now + datetime.timedelta(days=settings.SURVEY_LINK_DAYS), end_of_survey)


def _invitation_message(invitation: Invitation, *, kind: str, key: str) -> Message | None:
    newcomer, survey = invitation.newcomer, invitation.survey
    words = texts_for(newcomer.language)
    values = {"area": survey.area.name, "url": invitation_url(invitation=invitation)}
    body = (words["invite_sms"] if kind == "invite" else words["remind_sms"]).format(**values)
    return message_queue(
        channel=invitation.channel,
        subject=words["invite_subject"].format(**values),
        body=body,
        idempotency_key=key,
        to_newcomer=newcomer,
        sensitive=True,  # the body holds the personal link
        area=survey.area,
    )


@transaction.atomic
def survey_invite(*, survey: Survey, by: User | None = None, now: datetime.datetime | None = None) -> int:
    """Invite every eligible newcomer not yet invited: a personal link by SMS (or e-mail without a phone).

    Opted-out newcomers and those without a phone or e-mail get nothing. Inviting again invites only the new
    ones; each message has an idempotency key. Returns the number of new invitations.
    """
    if by is not None:
        _ensure_manager(by, survey.area)
    now = now or timezone.now()
    survey = Survey.objects.select_for_update().select_related("area").get(pk=survey.pk)
    if not survey.is_running(timezone.localdate(now)):
        raise ValidationError(_("Invitations can only be sent while the survey is open for answers."))
    invitations = [
        invitation_new(survey=survey, newcomer=newcomer, channel=invitation_channel(newcomer), now=now)
        for newcomer in newcomers_to_invite(survey=survey)
    ]
    Invitation.objects.bulk_create(invitations, ignore_conflicts=True)
    created = Invitation.objects.filter(survey=survey, sent_at__isnull=True).select_related("newcomer", "survey__area")
    count = 0
    for invitation in created:
        if _invitation_message(invitation, kind="invite", key=f"survey-invite:{invitation.pk}") is not None:
            Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(sent_at=now)
            count += 1
    return count


def _has_final_call(invitation_ids) -> set[int]:
    return set(
        CallAttempt.objects.filter(invitation_id__in=invitation_ids, outcome__in=CallAttempt.FINAL).values_list(
            "invitation_id", flat=True
        )
    )


def survey_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind unanswered invitations, at most twice each, SURVEY_REMINDER_DAYS apart, while the link works.

    Each reminder is claimed with a conditional UPDATE on `reminders_sent` and keyed in the outbox, so two
    runs at once send each reminder once. Opted-out newcomers and those an interviewer closed are skipped.
    """
    now = now or timezone.now()
    due_before = now - datetime.timedelta(days=settings.SURVEY_REMINDER_DAYS)
    today = timezone.localdate(now)
    candidates = list(
        Invitation.objects.filter(
            answered_at__isnull=True,
            sent_at__isnull=False,
            reminders_sent__lt=MAX_REMINDERS,
            expires_at__gt=now,
            newcomer__do_not_contact=False,
            survey__opens_on__lte=today,
            survey__closes_on__gte=today,
        )
        .exclude(channel=Invitation.Channel.PHONE)
        .filter(Q(last_reminded_at__lte=due_before) | Q(last_reminded_at__isnull=True, sent_at__lte=due_before))
        .select_related("newcomer", "survey__area")
    )
    closed = _has_final_call([i.pk for i in candidates])
    sent = 0
    for invitation in candidates:
        if invitation.pk in closed:
            continue
        number = invitation.reminders_sent + 1
        with transaction.atomic():
            claimed = Invitation.objects.filter(
                pk=invitation.pk, reminders_sent=invitation.reminders_sent, answered_at__isnull=True
            ).update(reminders_sent=number, last_reminded_at=now)
            if not claimed:
                continue
            if _invitation_message(invitation, kind="remind", key=f"survey-remind:{invitation.pk}:{number}"):
                sent += 1
    return sent


# --- Answering --------------------------------------------------------------------------------------------


def answer_clean(*, question: Question, value: str) -> str:
    """The stored form of an answer, or ValidationError. Empty means skipped."""
    value = (value or "").strip()
    if value == "":
        return ""
    if question.kind == Question.Kind.SHORT_TEXT:
        if len(value) > SHORT_TEXT_MAX:
            raise ValidationError(_("The answer is too long."))
        return value
    if value not in question.answer_codes():
        raise ValidationError(_("This is not one of the answers to this question."))
    return value


def is_asked(question: Question, answers: dict[str, str]) -> bool:
    """A question with a condition is asked only when the earlier answer meets it."""
    return not question.depends_on or answers.get(question.depends_on) == question.depends_value


def next_question(questions: list[Question], answers: dict[str, str]) -> Question | None:
    """The first question still to answer (a skipped question counts as answered), or None at the end."""
    for question in questions:
        if question.code not in answers and is_asked(question, answers):
            return question
    return None


def may_be_asked(questions: list[Question], answers: dict[str, str]) -> list[Question]:
    """The questions asked, or still to be asked depending on answers not given yet: the progress total
    starts at every question and shrinks when an answer rules some out ("Question 3 of 9" → "of 7")."""
    possible: dict[str, bool] = {}
    for question in questions:
        parent = question.depends_on
        if not parent:
            possible[question.code] = True
        elif parent in answers:
            possible[question.code] = answers[parent] == question.depends_value
        else:
            possible[question.code] = possible.get(parent, False)
    return [q for q in questions if possible[q.code]]


def response_answers(response: Response) -> dict[str, str]:
    return dict(response.answers.values_list("question__code", "value"))


@dataclass
class AnswerStep:
    response: Response
    next_question: Question | None
    completed: bool


def invitation_check(*, token_invitation: Invitation | None, now: datetime.datetime | None = None) -> Invitation:
    """Check a personal link may still be used; raises LinkRefused. Changes nothing: a GET of the link (an
    SMS app's preview) must not count as the newcomer opening it."""
    now = now or timezone.now()
    if token_invitation is None:
        raise LinkRefused("invalid")
    if token_invitation.answered_at is not None:
        raise LinkRefused("used")
    if not token_invitation.survey.is_running(timezone.localdate(now)):
        raise LinkRefused("closed")
    if token_invitation.expires_at <= now:
        raise LinkRefused("expired")
    return token_invitation


def invitation_open(*, token_invitation: Invitation | None, now: datetime.datetime | None = None) -> Invitation:
    """Check a personal link may still be used (raises LinkRefused) and record the first opening: called for
    a POST from the link's page, the newcomer's own action."""
    now = now or timezone.now()
    invitation = invitation_check(token_invitation=token_invitation, now=now)
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now)
    return invitation


def _linked_response(invitation: Invitation, *, source: str, language: str, now) -> Response:
    """The invitation's response, started now if there is none (call with the invitation row locked)."""
    link = ResponseLink.objects.select_related("response").filter(invitation=invitation).first()
    if link is not None:
        return link.response
    response = Response.objects.create(survey_id=invitation.survey_id, source=source, language=language, started_at=now)
    try:
        with transaction.atomic():
            ResponseLink.objects.create(response=response, newcomer_id=invitation.newcomer_id, invitation=invitation)
    except IntegrityError:
        # Only reachable without the row lock; the constraint still keeps one response per invitation.
        response.delete()
        return ResponseLink.objects.select_related("response").get(invitation=invitation).response
    return response


def _record(*, response: Response, questions: list[Question], code: str, value: str, language: str, now) -> AnswerStep:
    answers = response_answers(response)
    question = next((q for q in questions if q.code == code), None)
    if question is None:
        raise ValidationError(_("This question is not part of the survey."))
    if not is_asked(question, answers):
        raise ValidationError(_("This question was not asked."))
    value = answer_clean(question=question, value=value)
    Answer.objects.update_or_create(response=response, question=question, defaults={"value": value})
    answers[code] = value
    response.language = language
    response.last_question = code
    response.save(update_fields=["language", "last_question"])
    following = next_question(questions, answers)
    if following is None:
        response_complete(response=response, questions=questions, now=now)
    return AnswerStep(response=response, next_question=following, completed=following is None)


@transaction.atomic
def answer_by_invitation(
    *, invitation: Invitation, code: str, value: str, language: str, now: datetime.datetime | None = None
) -> AnswerStep:
    """Store one screen's answer given through a personal link; completes the response after the last one.

    The invitation row is locked: two submissions at once are serialised, and the second one after the
    last question finds the link used (LinkRefused) and stores nothing.
    """
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
    if invitation.answered_at is not None:
        raise LinkRefused("used")
    if invitation.expires_at <= now:
        raise LinkRefused("expired")
    if not invitation.survey.is_running(timezone.localdate(now)):
        raise LinkRefused("closed")
    language = survey_language(language)
    response = _linked_response(invitation, source=Response.Source.PERSONAL_LINK, language=language, now=now)
    questions = survey_questions_list(invitation.survey)
    return _record(response=response, questions=questions, code=code, value=value, language=language, now=now)


def invitation_response(*, invitation: Invitation) -> Response | None:
    link = ResponseLink.objects.select_related("response").filter(invitation=invitation).first()
    return link.response if link else None


def survey_questions_list(survey: Survey) -> list[Question]:
    return [sq.question for sq in survey.survey_questions.select_related("question").order_by("position", "pk")]


@transaction.atomic
def qr_response_start(*, survey: Survey, language: str, now: datetime.datetime | None = None) -> Response:
    """Someone scanned the folder's QR code: an anonymous response, tied to no one."""
    now = now or timezone.now()
    if not survey.is_running(timezone.localdate(now)):
        raise LinkRefused("closed")
    return Response.objects.create(
        survey=survey, source=Response.Source.QR, language=survey_language(language), started_at=now
    )


@transaction.atomic
def answer_anonymous(
    *, response: Response, code: str, value: str, language: str, now: datetime.datetime | None = None
) -> AnswerStep:
    now = now or timezone.now()
    response = Response.objects.select_for_update().select_related("survey").get(pk=response.pk)
    if response.completed_at is not None:
        raise LinkRefused("used")
    if not response.survey.is_running(timezone.localdate(now)):
        raise LinkRefused("closed")
    questions = survey_questions_list(response.survey)
    return _record(
        response=response, questions=questions, code=code, value=value, language=survey_language(language), now=now
    )


def response_complete(*, response: Response, questions: list[Question], now: datetime.datetime) -> None:
    """Mark the response complete: drop answers to questions that ended up not asked (an earlier answer was
    changed), note the estate and the date, close the invitation with a conditional UPDATE, and settle the
    group at once when no newcomer is linked (it then comes from the respondent's own answer)."""
    answers = response_answers(response)
    not_asked = [q.pk for q in questions if q.code in answers and not is_asked(q, answers)]
    if not_asked:
        response.answers.filter(question_id__in=not_asked).delete()
    link = ResponseLink.objects.select_related("newcomer__tenancy").filter(response=response).first()
    response.completed_at = now
    response.answered_on = response.answered_on or timezone.localdate(now)
    fields = ["completed_at", "answered_on"]
    if link is not None:
        response.estate_id = link.newcomer.tenancy.estate_id
        fields.append("estate")
        if link.invitation_id:
            Invitation.objects.filter(pk=link.invitation_id, answered_at__isnull=True).update(answered_at=now)
    response.save(update_fields=fields)
    if link is None:
        response_settle(response=response, now=now)


def response_settle(*, response: Response, now: datetime.datetime | None = None) -> str:
    """Fix the response's contact group and delete its link to the newcomer. Safe to run twice."""
    now = now or timezone.now()
    group = response_groups(Response.objects.filter(pk=response.pk))[response.pk]
    Response.objects.filter(pk=response.pk, group="").update(group=group, group_settled_at=now)
    ResponseLink.objects.filter(response_id=response.pk).delete()
    return group


def responses_settle_groups(*, now: datetime.datetime | None = None) -> int:
    """The nightly privacy job: completed responses older than SURVEY_GROUP_SETTLE_DAYS get their group
    fixed and their link to the newcomer cut; unfinished responses lose the link once their survey has been
    closed that long. Returns how many responses were settled."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.SURVEY_GROUP_SETTLE_DAYS)
    settled = 0
    due = Response.objects.filter(group="", completed_at__isnull=False, completed_at__lte=cutoff)
    for response in due.only("pk").iterator():
        with transaction.atomic():
            response_settle(response=response, now=now)
        settled += 1
    closed_before = timezone.localdate(cutoff)
    ResponseLink.objects.filter(
        response__completed_at__isnull=True, response__survey__closes_on__lt=closed_before
    ).delete()
    return settled


# --- Phone interviews -------------------------------------------------------------------------------------


def invitation_check_callable(invitation: Invitation) -> None:
    """Refuse (ValidationError) an invitation the interviewer may not call or interview (any more)."""
    if invitation.answered_at is not None:
        raise ValidationError(_("This newcomer has already answered."))
    if invitation.newcomer.do_not_contact:
        raise ValidationError(_("This newcomer has asked not to be contacted."))
    if not invitation.newcomer.phone:
        raise ValidationError(_("This newcomer has no phone number."))
    if invitation.call_attempts.filter(outcome__in=CallAttempt.FINAL).exists():
        raise ValidationError(_("This newcomer is already finished on the call list."))
    if invitation.call_attempts.count() >= invitation.survey.max_call_attempts:
        raise ValidationError(_("All call attempts for this newcomer are used."))
    if not invitation.survey.is_running():
        raise ValidationError(_("The survey is not open for answers."))


def _ensure_interviewer(by: User, survey: Survey) -> None:
    if not can(by, Perm.SURVEY_INTERVIEW, survey):
        raise PermissionDenied


@transaction.atomic
def call_attempt_record(*, invitation: Invitation, by: User, outcome: str) -> CallAttempt:
    """Record a call that did not end in an interview (no answer, wrong number, refused, …)."""
    invitation = Invitation.objects.select_for_update().select_related("survey", "newcomer").get(pk=invitation.pk)
    _ensure_interviewer(by, invitation.survey)
    if outcome not in CallAttempt.Outcome.values or outcome == CallAttempt.Outcome.COMPLETED:
        raise ValidationError(_("Choose what happened on the call."))
    invitation_check_callable(invitation)
    return CallAttempt.objects.create(invitation=invitation, interviewer=by, outcome=outcome)


@transaction.atomic
def interview_submit(
    *, invitation: Invitation, by: User, answers: dict[str, str], language: str, now: datetime.datetime | None = None
) -> Response:
    """The interviewer enters the answers given on the phone: one completed response and a completed call.

    Answers to questions not in the survey, not asked (condition unmet) or out of range are refused as a
    whole. A response the newcomer began through the link is taken over and replaced.
    """
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().select_related("survey", "newcomer").get(pk=invitation.pk)
    _ensure_interviewer(by, invitation.survey)
    invitation_check_callable(invitation)
    questions = survey_questions_list(invitation.survey)
    by_code = {q.code: q for q in questions}
    unknown = set(answers) - set(by_code)
    if unknown:
        raise ValidationError(_("Not questions of this survey: %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    cleaned = {code: answer_clean(question=by_code[code], value=value) for code, value in answers.items()}
    cleaned = {code: value for code, value in cleaned.items() if value}
    for code in cleaned:
        if not is_asked(by_code[code], cleaned):
            raise ValidationError(_("“%(code)s” is not asked after the earlier answer.") % {"code": code})
    response = _linked_response(
        invitation, source=Response.Source.INTERVIEW, language=survey_language(language), now=now
    )
    response.answers.all().delete()
    Answer.objects.bulk_create([Answer(response=response, question=by_code[c], value=v) for c, v in cleaned.items()])
    response.source = Response.Source.INTERVIEW
    response.language = survey_language(language)
    response.save(update_fields=["source", "language"])
    response_complete(response=response, questions=questions, now=now)
    CallAttempt.objects.create(
        invitation=invitation, interviewer=by, outcome=CallAttempt.Outcome.COMPLETED, called_at=now
    )
    return response


# --- Rounds across areas ----------------------------------------------------------------------------------


def survey_dates_for_import(*, today: datetime.date) -> dict[str, datetime.date]:
    """The dates of a survey made without its form (for a firm's file, or as an area's part of a round): the
    last half-year's newcomers, open today only (the firm has already asked them); the area's coordinator
    changes them on the survey's page."""
    return {
        "period_start": today - datetime.timedelta(days=183),
        "period_end": today,
        "opens_on": today,
        "closes_on": today,
    }


def _ensure_in_organisation(organisation: HousingOrganisation, areas: Iterable[Area]) -> None:
    allowed = set(organisation_areas(organisation).values_list("pk", flat=True))
    outside = [area for area in areas if area.pk not in allowed]
    if outside:
        raise ValidationError(
            _("Not an area of %(organisation)s (it holds none of its estates): %(areas)s")
            % {"organisation": organisation.name, "areas": ", ".join(area.name for area in outside)}
        )


def _ensure_round_maker(by: User | None, areas: list[Area]) -> None:
    # Until the programme lead's role exists, a round is made from the command line (by=None) or by someone
    # who manages every one of its areas.
    if by is not None and (not areas or not all(can(by, Perm.AREA_MANAGE, area) for area in areas)):
        raise PermissionDenied


@transaction.atomic
def survey_round_create(
    *,
    organisation: HousingOrganisation,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    areas: Iterable[Area],
    by: User | None,
) -> SurveyRound:
    """A round of the survey across the organisation's `areas`, with each area's survey in it (the standard
    questions, the round's period). Every area must hold an estate of the organisation; otherwise nothing
    is made. `areas` may be empty: an import adds the areas its lines name."""
    areas = list(areas)
    _ensure_round_maker(by, areas)
    _ensure_in_organisation(organisation, areas)
    survey_round = SurveyRound(
        organisation=organisation, title=title, period_start=period_start, period_end=period_end, created_by=by
    )
    survey_round.full_clean()
    survey_round.save()
    for area in areas:
        survey_round_add_area(round=survey_round, area=area, by=by)
    return survey_round


@transaction.atomic
def survey_round_add_area(*, round: SurveyRound, area: Area, by: User | None) -> Survey:
    """The area's survey in the round, made with the standard questions and the round's period when the area
    has none yet (adding an area twice gives the existing survey)."""
    _ensure_round_maker(by, [area])
    # Two imports naming the same new area at once: the round's row lock lets one of them make the survey.
    survey_round = SurveyRound.objects.select_for_update().select_related("organisation").get(pk=round.pk)
    _ensure_in_organisation(survey_round.organisation, [area])
    existing = Survey.objects.filter(round=survey_round, area=area).first()
    if existing is not None:
        return existing
    standard_bank_ensure()
    dates = survey_dates_for_import(today=timezone.localdate())
    return survey_create(
        area=area,
        by=by,
        title=survey_round.title,
        period_start=survey_round.period_start,
        period_end=survey_round.period_end,
        opens_on=dates["opens_on"],
        closes_on=dates["closes_on"],
        round=survey_round,
    )
