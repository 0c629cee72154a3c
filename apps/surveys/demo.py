"""The demo area's newcomer survey (called from `seed_demo`): a running survey with invitations in every
state, call attempts with every outcome, answers by link, phone, QR code and an interview firm's import.

Written directly (no services): this is history, and the services would text every demo newcomer. Answers
lean the way the evaluation found (more "yes" with ambassador contact), drawn from the seeded generator, so
the demo is the same on every run.
"""

import datetime
import random

from django.utils import timezone

from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, HousingOrganisation
from apps.surveys.models import Answer, CallAttempt, Invitation, Question, Response, ResponseLink, Survey, SurveyRound
from apps.surveys.services import (
    invitation_new,
    link_expiry,
    standard_bank_ensure,
    survey_create,
    survey_round_create,
)
from apps.surveys.tokens import token_for_nonce
from apps.visits.models import Visit

# Every invitation state and call outcome appears at least once; the rest are drawn with these weights.
STATES = {
    "sent": 3,
    "reminded_once": 2,
    "reminded_twice": 2,
    "expired": 1,
    "dropped_out": 2,
    "answered_link": 8,
    "no_answer": 2,
    "wrong_number": 1,
    "refused": 3,
    "not_moved_in": 1,
    "moved_away": 1,
    "interview": 5,
}
# Chance of "yes" (or "safe") with / without ambassador contact, after the evaluation's tendencies.
YES_CHANCE = {
    "happy_living_here": (0.92, 0.78),
    "feel_welcome": (0.88, 0.62),
    "joined_activities": (0.31, 0.13),
    "safety_scale": (0.80, 0.62),
    "trust_neighbours": (0.70, 0.55),
    "received_folder": (0.92, 0.25),
    "looked_at_folder": (0.82, 0.82),
    "folder_useful": (0.81, 0.81),
}
QR_RESPONSES = 8
IMPORTED_RESPONSES = 10


def demo_answers(rng: random.Random, contact: bool, *, dont_know: float = 0.0) -> dict[str, str]:
    """A whole questionnaire with the evaluation's tendencies (`YES_CHANCE`), every condition followed; the
    contact question agrees with `contact` 9 times in 10, and is "don't know" with the chance `dont_know`.
    Also the bench's (bench/rounds_data.py)."""
    draw = rng.random()
    said = "dont_know" if draw < dont_know else ("yes" if contact == (draw < 0.9) else "no")
    answers = {"ambassador_contact": said}
    for code, (with_contact, without) in YES_CHANCE.items():
        if code == "looked_at_folder" and answers.get("received_folder") != "yes":
            continue
        if code == "folder_useful" and answers.get("looked_at_folder") != "yes":
            continue
        positive = rng.random() < (with_contact if contact else without)
        if code == "safety_scale":
            answers[code] = str(rng.randint(1, 3) if positive else rng.randint(4, 7))
        elif rng.random() < 0.05:
            answers[code] = "dont_know"
        else:
            answers[code] = "yes" if positive else "no"
    return answers


def _response(survey, questions, answers, *, source, language, at, ref="", newcomer=None, invitation=None, estate=None):
    response = Response.objects.create(
        survey=survey,
        source=source,
        language=language,
        started_at=at - datetime.timedelta(minutes=4),
        completed_at=at,
        answered_on=timezone.localdate(at),
        respondent_ref=ref,
        estate=estate,
    )
    Answer.objects.bulk_create([Answer(response=response, question=questions[c], value=v) for c, v in answers.items()])
    if newcomer is not None:
        ResponseLink.objects.create(response=response, newcomer=newcomer, invitation=invitation)
    else:
        contact = answers.get("ambassador_contact")
        group = {"yes": "contact", "no": "no_contact"}.get(contact, "unknown")
        Response.objects.filter(pk=response.pk).update(group=group, group_settled_at=at)
    return response


def survey_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The running demo survey's move-in period."""
    return today - datetime.timedelta(days=180), today - datetime.timedelta(days=14)


def survey_demo_build(
    *,
    area: Area,
    interviewer,
    rng: random.Random,
    title: str = "Tilflytterundersøgelse 2026",
    round: SurveyRound | None = None,
) -> dict[str, int]:
    """Build the demo survey (the area's part of `round`, if given); returns counts ("survey_answers")."""
    standard_bank_ensure()
    today = timezone.localdate()
    now = timezone.now()
    period_start, period_end = survey_period(today)
    survey = survey_create(
        area=area,
        by=None,
        title=title,
        period_start=period_start,
        period_end=period_end,
        opens_on=today - datetime.timedelta(days=21),
        closes_on=today + datetime.timedelta(days=40),
        max_call_attempts=5,
        round=round,
    )
    questions = {q.code: q for q in Question.objects.filter(area__isnull=True)}
    newcomers = list(
        Newcomer.objects.in_area(area)
        .contactable()
        .filter(move_in_date__gte=survey.period_start, move_in_date__lte=survey.period_end)
        .exclude(phone="", email="")
        .select_related("tenancy")
        .order_by("move_in_date", "pk")
    )
    contact = set(
        Visit.objects.filter(newcomer__in=newcomers, contact_made=True).values_list("newcomer_id", flat=True)
    ) | set(Visit.objects.filter(newcomer__in=newcomers, folder_delivered=True).values_list("newcomer_id", flat=True))
    states = list(STATES)
    answered = 0
    for i, newcomer in enumerate(newcomers):
        state = states[i] if i < len(states) else rng.choices(states, weights=list(STATES.values()))[0]
        sent_at = now - datetime.timedelta(days=rng.randint(12, 20), hours=rng.randint(0, 8))
        invitation = invitation_new(
            survey=survey,
            newcomer=newcomer,
            channel=Invitation.Channel.SMS if newcomer.phone else Invitation.Channel.EMAIL,
            now=sent_at,
        )
        # A demo token from the seeded generator, so the links are the same on every run.
        invitation.nonce = f"{rng.getrandbits(128):032x}"
        invitation.token_hash = Invitation.hash_token(token_for_nonce(invitation.nonce))
        invitation.sent_at = sent_at
        if state == "expired":
            invitation.sent_at = now - datetime.timedelta(days=40)
            invitation.expires_at = now - datetime.timedelta(days=2)
        else:
            invitation.expires_at = link_expiry(survey=survey, now=sent_at)
        if state in ("reminded_once", "reminded_twice", "dropped_out", "expired"):
            invitation.reminders_sent = 2 if state in ("reminded_twice", "expired") else 1
            invitation.last_reminded_at = sent_at + datetime.timedelta(days=5 * invitation.reminders_sent)
        if state in ("dropped_out", "answered_link"):
            invitation.opened_at = sent_at + datetime.timedelta(hours=rng.randint(1, 30))
        language = newcomer.language if newcomer.language in ("da", "en", "ar", "tr") else "da"
        invitation.save()
        calls = {
            "no_answer": ["no_answer", "no_answer"],
            "wrong_number": ["no_answer", "wrong_number"],
            "refused": ["refused"],
            "not_moved_in": ["not_moved_in"],
            "moved_away": ["moved_away"],
            "interview": ["no_answer", "completed"] if rng.random() < 0.5 else ["completed"],
        }.get(state, [])
        if calls and not newcomer.phone:
            calls = []
        call_at = sent_at + datetime.timedelta(days=3)
        for outcome in calls:
            call_at += datetime.timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 5))
            CallAttempt.objects.create(
                invitation=invitation, interviewer=interviewer, outcome=outcome, called_at=min(call_at, now)
            )
        answers = demo_answers(rng, newcomer.pk in contact)
        if state == "dropped_out":
            partial = dict(list(answers.items())[: rng.randint(1, 4)])
            response = Response.objects.create(
                survey=survey,
                source=Response.Source.PERSONAL_LINK,
                language=language,
                started_at=invitation.opened_at,
                last_question=list(partial)[-1],
            )
            Answer.objects.bulk_create(
                [Answer(response=response, question=questions[c], value=v) for c, v in partial.items()]
            )
            ResponseLink.objects.create(response=response, newcomer=newcomer, invitation=invitation)
        elif state in ("answered_link", "interview") and (state != "interview" or calls):
            at = min(invitation.opened_at or call_at, now)
            _response(
                survey,
                questions,
                answers,
                source=Response.Source.PERSONAL_LINK if state == "answered_link" else Response.Source.INTERVIEW,
                language=language,
                at=at,
                newcomer=newcomer,
                invitation=invitation,
                estate=newcomer.tenancy.estate,
            )
            Invitation.objects.filter(pk=invitation.pk).update(answered_at=at)
            answered += 1
    for _n in range(QR_RESPONSES):
        at = now - datetime.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 10))
        _response(
            survey,
            questions,
            demo_answers(rng, rng.random() < 0.6),
            source=Response.Source.QR,
            language=rng.choice(["da", "da", "ar", "tr", "en"]),
            at=at,
        )
        answered += 1
    for n in range(IMPORTED_RESPONSES):
        at = now - datetime.timedelta(days=rng.randint(2, 20))
        _response(
            survey,
            questions,
            demo_answers(rng, rng.random() < 0.5),
            source=Response.Source.IMPORT,
            language=rng.choice(["da", "ar", "tr"]),
            at=at,
            ref=f"FIRMA-{n + 1:03d}",
        )
        answered += 1
    # The oldest link answers are settled already: their link to the newcomer is cut.
    settled = Response.objects.filter(survey=survey, completed_at__lt=now - datetime.timedelta(days=14), group="")
    for response in settled:
        response.group = "contact" if response.link.newcomer_id in contact else "no_contact"
        response.group_settled_at = now
        response.save(update_fields=["group", "group_settled_at"])
        ResponseLink.objects.filter(response=response).delete()
    return {"survey_invitations": len(newcomers), "survey_answers": answered}


# --- Survey rounds across the demo organisation's areas (issue 18) ------------------------------------

# Last year's round: only an interview firm's answers (imported), contact / no contact per area. The
# second area's few answers without contact are under the small-number threshold, so its row is masked.
LAST_YEAR_IMPORTED = [(18, 16), (10, 3)]  # per area, in the order given: (contact, no contact)


def survey_rounds_demo_build(
    *, organisation: HousingOrganisation, areas: list[Area], current: dict[Area, Survey], rng: random.Random
) -> tuple[SurveyRound, SurveyRound]:
    """Two rounds of the survey over `areas`: last year's (closed, a survey per area with imported answers)
    and this year's, which the areas' running surveys of `current` join. Returns (last year's, this year's)."""
    standard_bank_ensure()
    today = timezone.localdate()
    now = timezone.now()
    period_start, period_end = survey_period(today)
    this_year = survey_round_create(
        organisation=organisation,
        title=f"Tilflytterundersøgelse {today.year}, alle områder",
        period_start=period_start,
        period_end=period_end,
        areas=[],
        by=None,
    )
    Survey.objects.filter(pk__in=[survey.pk for survey in current.values()]).update(round=this_year)
    year_ago = datetime.timedelta(days=365)
    last_year = survey_round_create(
        organisation=organisation,
        title=f"Tilflytterundersøgelse {today.year - 1}, alle områder",
        period_start=period_start - year_ago,
        period_end=period_end - year_ago,
        areas=[],
        by=None,
    )
    questions = {q.code: q for q in Question.objects.filter(area__isnull=True)}
    for area, (with_contact, without) in zip(areas, LAST_YEAR_IMPORTED, strict=True):
        survey = survey_create(
            area=area,
            by=None,
            title=last_year.title,
            period_start=last_year.period_start,
            period_end=last_year.period_end,
            opens_on=today - year_ago - datetime.timedelta(days=21),
            closes_on=today - year_ago + datetime.timedelta(days=40),
            round=last_year,
        )
        for n, contact in enumerate([True] * with_contact + [False] * without):
            answers = demo_answers(rng, contact)
            # The firm's file says who had contact; the demo keeps the split above exact.
            answers["ambassador_contact"] = "yes" if contact else "no"
            _response(
                survey,
                questions,
                answers,
                source=Response.Source.IMPORT,
                language=rng.choice(["da", "da", "ar", "tr"]),
                at=now - year_ago + datetime.timedelta(days=rng.randint(5, 35)),
                ref=f"FIRMA-{today.year - 1}-{n + 1:03d}",
            )
    return last_year, this_year
