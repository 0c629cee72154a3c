"""Bench data for the survey rounds: the visits bench (10 areas × 5 estates, 50,000 tenancies, 100,000
newcomers and visits over five years) plus five yearly rounds of the newcomer survey over its ten areas.

    createdb -h 127.0.0.1 -U postgres nabo_rounds_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nabo_rounds_bench .venv/bin/python bench/rounds_data.py

On an empty database it first runs bench/visits_data.py's `build` (same sizes and seed); on a database that
script (or bench/dashboards_data.py) already filled it adds only the rounds. It refuses to add them twice.

Per calendar year of the data (the oldest first) one round of the "bench" organisation, "Tilflytterundersøgelse
<year>", whose period is that year's move-ins, with each area's survey in it (the standard questions); the
survey opens in mid-January and closes at the end of March of the next year, so this year's is running.
Invited: `--invite` (40 %) of the year's newcomers with a phone who moved in at least three weeks before
today, by SMS three to six weeks after moving in. About 30 % of them answer — most by the link, some in a
phone interview after a few calls — and a few stop halfway; some of the rest are called without an
interview (no answer, refused, wrong number, moved away). The answers lean the way the evaluation found
(`apps.surveys.demo.YES_CHANCE`: more "yes" with ambassador contact); the `ambassador_contact` answer agrees
with the newcomer's visit nine times in ten. A response's group is the one the app settles it with: from the
newcomer's visit (met or folder left) while linked; responses completed more than SURVEY_GROUP_SETTLE_DAYS
ago are settled and their link to the newcomer cut, as the nightly job does; the newest keep their link. One
round (the second oldest) also has an interview firm's imported answers, 15 per area, whose group is their
own `ambassador_contact` answer (don't know: unknown).

Also five programme leads of the organisation (with a confirmed TOTP device: programme leads need two-factor),
one interviewer per area and an admin. Rounds, surveys and users by the ORM and the services; invitations,
calls, responses, links and answers by COPY. Fictional data; the same seed gives the same rows.
"""

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import visits_data  # noqa: E402  (sets up Django)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import BooleanField, ExpressionWrapper, Q  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from apps.accounts.models import Membership, ProgrammeLead, User  # noqa: E402
from apps.organisation.models import Area, HousingOrganisation  # noqa: E402
from apps.surveys.demo import demo_answers  # noqa: E402
from apps.surveys.models import (  # noqa: E402
    CONTACT_QUESTION,
    SURVEY_LANGUAGES,
    Answer,
    CallAttempt,
    Invitation,
    Question,
    Response,
    ResponseLink,
    Survey,
    SurveyRound,
)
from apps.surveys.services import standard_bank_ensure, survey_create, survey_round_create  # noqa: E402
from apps.surveys.tokens import token_for_nonce  # noqa: E402
from apps.visits.models import Visit  # noqa: E402

PROGRAMME_LEADS = 5
IMPORTED_PER_AREA = 15
# What became of an invitation, and how often (of 100): answered by the link or in a phone interview,
# started and stopped, or not answered (some of those called without an interview).
STATES = {"link": 22, "interview": 8, "dropped_out": 3, "silent": 52, "called": 15}
CALLED_ENDINGS = {"no_answer": 6, "refused": 5, "wrong_number": 2, "moved_away": 1, "not_moved_in": 1}


def round_years(*, today: datetime.date, years: int) -> list[int]:
    """The calendar years of the rounds, oldest first: the years the visits bench's move-ins span."""
    return list(range(today.year - years + 1, today.year + 1))


def answers_for(rng: random.Random, *, contact: bool) -> dict[str, str]:
    """A whole questionnaire as the demo draws it; the contact question "don't know" 3 times in 100."""
    return demo_answers(rng, contact, dont_know=0.03)


def _users(areas: list[Area], organisation: HousingOrganisation) -> dict[str, object]:
    """Programme leads (with a confirmed TOTP device), an interviewer per area and an admin."""
    leads = User.objects.bulk_create(
        [
            User(email=f"programme-lead-{n + 1}@bench.invalid", full_name=f"Programleder {n + 1}", password="!")
            for n in range(PROGRAMME_LEADS)
        ]
    )
    ProgrammeLead.objects.bulk_create([ProgrammeLead(user=user, organisation=organisation) for user in leads])
    interviewers = User.objects.bulk_create(
        [
            User(email=f"interviewer-{area.slug}@bench.invalid", full_name=f"Interviewer {area.name}", password="!")
            for area in areas
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, area=area, role=Membership.Role.INTERVIEWER)
            for user, area in zip(interviewers, areas, strict=True)
        ]
    )
    admin = User.objects.create(
        email="admin@bench.invalid", full_name="Bench admin", password="!", is_staff=True, is_superuser=True
    )
    TOTPDevice.objects.bulk_create([TOTPDevice(user=user, name="bench", confirmed=True) for user in [*leads, admin]])
    return {"leads": leads, "interviewers": dict(zip([a.pk for a in areas], interviewers, strict=True))}


class _Rows:
    """The rows COPY writes, with their ids (numbered from the tables' next free id) and how they are drawn."""

    def __init__(self, rng: random.Random, *, interviewers: dict[int, User]) -> None:
        self.rng, self.interviewers = rng, interviewers
        self.now, self.today = timezone.now(), timezone.localdate()
        self.settle_before = self.now - datetime.timedelta(days=settings.SURVEY_GROUP_SETTLE_DAYS)
        self.questions = {q.code: q.pk for q in Question.objects.filter(area__isnull=True)}
        self.order = list(self.questions)
        self.first = {model: visits_data.next_id(model) for model in (Invitation, CallAttempt, Response, Answer)}
        self.invitations, self.calls, self.responses, self.links, self.answers = [], [], [], [], []

    def at(self, day: datetime.date) -> datetime.datetime:
        moment = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(self.rng.randint(9, 20), self.rng.randint(0, 59)))
        )
        return min(moment, self.now)

    def respond(
        self, *, survey: Survey, source, language, started, completed, estate_id, group, linked, given, ref=""
    ) -> tuple[int, bool]:
        """One response and its answers. A completed one's group is settled at once without a link to a
        newcomer, else once SURVEY_GROUP_SETTLE_DAYS have passed; returns (id, settled)."""
        response_id = self.first[Response] + len(self.responses)
        due = completed is not None and (not linked or completed <= self.settle_before)
        settled = group if due else ""
        self.responses.append(
            (
                response_id,
                survey.pk,
                source,
                language,
                started,
                completed,
                timezone.localdate(completed) if completed else None,
                max(given, key=self.order.index),
                ref,
                estate_id,
                settled,
                self.now if settled else None,
            )
        )
        for code, value in given.items():
            self.answers.append((self.first[Answer] + len(self.answers), response_id, self.questions[code], value))
        return response_id, bool(settled)

    def call(self, *, invitation_id: int, survey: Survey, state: str, after: datetime.datetime) -> datetime.datetime:
        """The interviewer's calls of an invitation in `state`; returns when the last one was made."""
        outcomes = []
        if state == "interview":
            outcomes = ["no_answer"] * self.rng.choice([0, 0, 1, 2]) + ["completed"]
        elif state == "called":
            ending = self.rng.choices(list(CALLED_ENDINGS), list(CALLED_ENDINGS.values()))[0]
            outcomes = ["no_answer"] * self.rng.randint(0, 2) + [ending]
            if ending == "no_answer":
                outcomes = ["no_answer"] * survey.max_call_attempts
        call_at = after + datetime.timedelta(days=7)
        for outcome in outcomes:
            call_at = min(
                call_at + datetime.timedelta(days=self.rng.randint(1, 4), hours=self.rng.randint(0, 5)), self.now
            )
            interviewer = self.interviewers[survey.area_id].pk
            self.calls.append((self.first[CallAttempt] + len(self.calls), invitation_id, interviewer, outcome, call_at))
        return call_at

    def invite(self, *, survey: Survey, newcomer_id: int, estate_id: int, move_in, language: str, contact: bool):
        """One newcomer's invitation by SMS and what became of it: calls, a response, its link."""
        rng = self.rng
        invitation_id = self.first[Invitation] + len(self.invitations)
        sent = self.at(move_in + datetime.timedelta(days=rng.randint(21, 42)))
        state = rng.choices(list(STATES), list(STATES.values()))[0]
        language = language if language in SURVEY_LANGUAGES else "da"
        reminders = 0 if state == "link" and rng.random() < 0.6 else rng.choice([1, 2])
        last_reminded = min(sent + datetime.timedelta(days=5 * reminders), self.now) if reminders else None
        called = self.call(invitation_id=invitation_id, survey=survey, state=state, after=sent)
        opened = answered_at = None
        if state in ("link", "dropped_out"):
            opened = min(sent + datetime.timedelta(hours=rng.randint(1, 24 * 12)), self.now)
        if state in ("link", "interview"):
            answered_at = opened if state == "link" else called
            response_id, settled = self.respond(
                survey=survey,
                source=Response.Source.PERSONAL_LINK if state == "link" else Response.Source.INTERVIEW,
                language=language,
                started=answered_at - datetime.timedelta(minutes=rng.randint(3, 9)),
                completed=answered_at,
                estate_id=estate_id,
                group="contact" if contact else "no_contact",
                linked=True,
                given=answers_for(rng, contact=contact),
            )
            if not settled:
                self.links.append((response_id, newcomer_id, invitation_id))
        elif state == "dropped_out":
            partial = dict(list(answers_for(rng, contact=contact).items())[: rng.randint(1, 4)])
            response_id, _settled = self.respond(
                survey=survey,
                source=Response.Source.PERSONAL_LINK,
                language=language,
                started=opened,
                completed=None,
                estate_id=None,
                group="",
                linked=True,
                given=partial,
            )
            if survey.closes_on >= self.today:  # the nightly job cuts a stopped response's link once closed
                self.links.append((response_id, newcomer_id, invitation_id))
        end_of_survey = timezone.make_aware(
            datetime.datetime.combine(survey.closes_on + datetime.timedelta(days=1), datetime.time.min)
        )
        nonce = f"{rng.getrandbits(128):032x}"
        self.invitations.append(
            (
                invitation_id,
                survey.pk,
                newcomer_id,
                Invitation.Channel.SMS,
                nonce,
                Invitation.hash_token(token_for_nonce(nonce)),
                sent,
                sent,
                min(sent + datetime.timedelta(days=settings.SURVEY_LINK_DAYS), end_of_survey),
                reminders,
                last_reminded,
                opened,
                answered_at,
            )
        )

    def imported(self, *, survey: Survey, year: int, count: int) -> None:
        """An interview firm's file: no invitation, no link; the group is the respondent's own answer."""
        for k in range(count):
            given = answers_for(self.rng, contact=self.rng.random() < 0.5)
            completed = self.at(datetime.date(year + 1, 2, 1) + datetime.timedelta(days=self.rng.randint(0, 40)))
            self.respond(
                survey=survey,
                source=Response.Source.IMPORT,
                language=self.rng.choice(["da", "da", "ar", "tr"]),
                started=completed,
                completed=completed,
                estate_id=None,
                group={"yes": "contact", "no": "no_contact"}.get(given[CONTACT_QUESTION], "unknown"),
                linked=False,
                ref=f"FIRMA-{year}-{survey.area.slug}-{k + 1:03d}",
                given=given,
            )

    def copy(self) -> dict[str, int]:
        counts = {
            "invitations": visits_data.copy_rows(Invitation, INVITATION_COLUMNS, self.invitations),
            "call attempts": visits_data.copy_rows(
                CallAttempt, ["id", "invitation", "interviewer", "outcome", "called_at"], self.calls
            ),
            "responses": visits_data.copy_rows(Response, RESPONSE_COLUMNS, self.responses),
            "linked responses": visits_data.copy_rows(ResponseLink, ["response", "newcomer", "invitation"], self.links),
            "answers": visits_data.copy_rows(Answer, ["id", "response", "question", "value"], self.answers),
        }
        for model in (Invitation, CallAttempt, Response, Answer):
            visits_data.reset_sequence(model)
        return counts


INVITATION_COLUMNS = [
    "id",
    "survey",
    "newcomer",
    "channel",
    "nonce",
    "token_hash",
    "created_at",
    "sent_at",
    "expires_at",
    "reminders_sent",
    "last_reminded_at",
    "opened_at",
    "answered_at",
]
RESPONSE_COLUMNS = [
    "id",
    "survey",
    "source",
    "language",
    "started_at",
    "completed_at",
    "answered_on",
    "last_question",
    "respondent_ref",
    "estate",
    "group",
    "group_settled_at",
]


def build_rounds(*, years: int, seed: int, invite: float = 0.4) -> dict[str, int]:
    rng = random.Random(seed)
    today = timezone.localdate()
    organisation = HousingOrganisation.objects.get(slug=visits_data.SLUG)
    areas = list(Area.objects.filter(slug__startswith=f"{visits_data.SLUG}-").order_by("pk"))
    users = _users(areas, organisation)
    standard_bank_ensure()
    rows = _Rows(rng, interviewers=users["interviewers"])
    years_list = round_years(today=today, years=years)
    surveys_made = 0
    for n, year in enumerate(years_list):
        period_start, period_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        survey_round = survey_round_create(
            organisation=organisation,
            title=f"Tilflytterundersøgelse {year}",
            period_start=period_start,
            period_end=period_end,
            areas=[],
            by=None,
        )
        surveys = {
            area.pk: survey_create(
                area=area,
                by=None,
                title=survey_round.title,
                period_start=period_start,
                period_end=period_end,
                opens_on=datetime.date(year, 1, 15),
                closes_on=datetime.date(year + 1, 3, 31),
                round=survey_round,
            )
            for area in areas
        }
        surveys_made += len(surveys)
        # The year's newcomers with a phone, three weeks in: the visit says whether they had contact.
        invited_until = min(period_end, today - datetime.timedelta(days=21))
        visits = (
            Visit.objects.filter(area__in=areas, move_in_date__range=(period_start, invited_until))
            .exclude(newcomer__phone="")
            .filter(newcomer__do_not_contact=False)
            .values_list(
                "newcomer_id",
                "area_id",
                "estate_id",
                "move_in_date",
                "newcomer__language",
                ExpressionWrapper(Q(contact_made=True) | Q(folder_delivered=True), output_field=BooleanField()),
            )
            .order_by("newcomer_id")
        )
        for newcomer_id, area_id, estate_id, move_in, language, contact in visits:
            if rng.random() < invite:
                rows.invite(
                    survey=surveys[area_id],
                    newcomer_id=newcomer_id,
                    estate_id=estate_id,
                    move_in=move_in,
                    language=language,
                    contact=contact,
                )
        if n == min(1, len(years_list) - 1):  # the second oldest round also has a firm's interviews
            for survey in surveys.values():
                rows.imported(survey=survey, year=year, count=IMPORTED_PER_AREA)
    counts = {"rounds": len(years_list), "surveys": surveys_made}
    counts |= rows.copy()
    counts["programme leads"] = len(users["leads"])
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--invite", type=float, default=0.4, help="share of the newcomers with a phone invited")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the bench uses COPY).")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts: dict[str, int] = {}
    with transaction.atomic():
        if not HousingOrganisation.objects.filter(slug=visits_data.SLUG).exists():
            counts |= visits_data.build(
                tenancies=50_000, ambassadors=200, visits=100_000, areas=10, years=args.years, seed=args.seed
            )
        if SurveyRound.objects.filter(organisation__slug=visits_data.SLUG).exists():
            sys.exit("Survey round bench data already present: drop and create the database to start again.")
        counts |= build_rounds(years=args.years, seed=args.seed, invite=args.invite)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    seconds = time.perf_counter() - started
    print(", ".join(f"{value:,} {name}" for name, value in counts.items()) + f" in {seconds:.1f} s")


if __name__ == "__main__":
    main()
