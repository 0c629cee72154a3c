"""The simulated year: one area, twelve months, driven only through the apps' services and tasks and beat's
real schedule, on a clock the whole process reads (see test_year.py for what is asserted)."""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from unittest import mock

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q

from apps.accounts.models import User
from apps.accounts.services import ambassador_invite
from apps.folders import rendering
from apps.folders.demo import folder_build_demo
from apps.folders.models import PrintBatch
from apps.folders.services import batch_create
from apps.meetings.models import Invitation as MeetingInvitation
from apps.meetings.models import NetworkMeeting
from apps.meetings.services import attendance_record, invitation_answer, meeting_series_create
from apps.newcomers.models import Newcomer
from apps.newcomers.services import import_run_confirm, import_run_create, import_run_mapping, newcomer_correct
from apps.privacy.services import newcomer_erase
from apps.surveys.models import Invitation as SurveyInvitation
from apps.surveys.services import (
    answer_by_invitation,
    next_question,
    standard_bank_ensure,
    survey_create,
    survey_invite,
    survey_questions_list,
)
from apps.visits.models import Ambassador, Attempt, Visit
from apps.visits.services import (
    ambassador_set_status,
    assignment_propose,
    visit_reassign,
    visit_record_attempt,
    visits_assign,
)
from tests.simulation.beat import Beat
from tests.simulation.clock import SimClock, at_local
from tests.simulation.gateway import OutageSmsBackend
from tests.simulation.world import Person, World, world_build

START = datetime.date(2027, 1, 1)
END = datetime.date(2027, 12, 31)
# The coordinator sets up the monthly meeting series on the first day, four days before its first
# meeting: late for the invitations (sent at once), in time for the reminder two days before.
SERIES_CREATED = START
JOINS = {
    datetime.date(2027, 4, 5): ("Nasra Ambassadør", ["da", "so"]),
    datetime.date(2027, 8, 2): ("Emine Ambassadør", ["da", "tr"]),
}
LEAVES = {datetime.date(2027, 5, 17): "Jens Ambassadør"}
# The day after September's list is handed out, the ambassador holding the most open visits falls ill for
# three weeks: the coordinator pauses her and hands her open visits to colleagues (see lists_plan).
PAUSED_LIST_MONTH = 9
PAUSED_DAYS = 21
# The worker dies in the print batch of the Monday a week or more after April's list arrives (see lists_plan).
WORKER_KILLED_LIST_MONTH = 4
ERASURE = datetime.date(2027, 6, 21)
# The coordinator corrects a newcomer's mobile number (the household told its ambassador); the next list
# still has another number for them, and the coordinator's must stay.
PHONE_CORRECTED = datetime.date(2027, 10, 25)
OUTAGE = (at_local(datetime.date(2027, 9, 6), 7), at_local(datetime.date(2027, 9, 6), 10))
SURVEYS = [
    # (created, opens, closes, moved in from, moved in until)
    (
        datetime.date(2027, 5, 25),
        datetime.date(2027, 6, 1),
        datetime.date(2027, 6, 30),
        datetime.date(2027, 1, 1),
        datetime.date(2027, 4, 30),
    ),
    (
        datetime.date(2027, 11, 25),
        datetime.date(2027, 12, 1),
        datetime.date(2027, 12, 31),
        datetime.date(2027, 5, 1),
        datetime.date(2027, 10, 31),
    ),
]
OUTCOMES = Attempt.Outcome
OUTCOME_WEIGHTS = {
    OUTCOMES.MET_TALKED: 45,
    OUTCOMES.MET_BRIEFLY: 15,
    OUTCOMES.NOT_HOME_FOLDER_LEFT: 15,
    OUTCOMES.NOT_HOME_NOTHING_LEFT: 10,
    OUTCOMES.LANGUAGE_BARRIER: 6,
    OUTCOMES.DECLINED: 6,
    OUTCOMES.MOVED_AWAY: 3,
}
# A share of the outcomes is typed in by the coordinator the next morning (the ambassador phoned them in).
BY_COORDINATOR = 0.1


class WorkerKilled(BaseException):
    """The worker process dies: not an error the job's retry sees, the job is simply left running."""


@dataclass
class Year:
    clock: SimClock
    rng: random.Random = field(default_factory=lambda: random.Random(2027))
    world: World = None
    beat: Beat = None
    # (visit id, day assigned, due date) for every hand-over to an ambassador
    assignments: list[tuple[int, datetime.date, datetime.date]] = field(default_factory=list)
    coordinator_refused: list[str] = field(default_factory=list)
    next_try: dict[int, datetime.date] = field(default_factory=dict)
    lists: dict[datetime.date, tuple[list[Person], list[Person]]] = field(default_factory=dict)
    answered: set[int] = field(default_factory=set)
    erased: Person | None = None
    killed_batch: PrintBatch | None = None
    worker_killed: datetime.date | None = None
    paused: tuple[datetime.date, datetime.date] | None = None  # (paused on, back on)
    ill: Ambassador | None = None
    surveys: list = field(default_factory=list)
    # outcomes phoned in to the coordinator: (visit id, day at the door, the attempt's fields)
    phoned_in: list[tuple[int, datetime.date, dict]] = field(default_factory=list)
    # the household whose phone the coordinator corrected, and the coordinator's number (E.164)
    phone_correction: tuple[Person, str] | None = None
    # the newcomer's phone just after the next list had another number for them
    phone_after_contradiction: str | None = None
    counts: Counter = field(default_factory=Counter)

    # --- the calendar ------------------------------------------------------------------------------

    def run(self) -> None:
        self.world = world_build(rng=self.rng)
        self.beat = Beat(self.clock)
        standard_bank_ensure()
        folder_build_demo(area=self.world.area, by=self.world.coordinator)
        self.lists_plan()
        day = START
        while day <= END:
            self.day(day)
            day += datetime.timedelta(days=1)
        # The first night of the next year: the last retention run; the last phoned-in outcomes.
        self.beat.advance_to(at_local(END + datetime.timedelta(days=1), 9))
        self.phoned_in_record()

    def lists_plan(self) -> None:
        """Each month's list arrives 4–9 days into the next month (so every line is 5–40 days late);
        the months' households are drawn when the list is written."""
        for month in range(1, 13):
            first_next = datetime.date(2027 + month // 12, month % 12 + 1, 1)
            arrives = first_next + datetime.timedelta(days=self.rng.randint(4, 9))
            if arrives.month == OUTAGE[0].month:
                # August's list arrives on the morning of the outage: the hand-overs' SMS meet it.
                arrives = OUTAGE[0].date()
            if arrives <= END:
                self.lists[arrives] = (datetime.date(2027, month, 1), [])
            if month == PAUSED_LIST_MONTH:
                ill = arrives + datetime.timedelta(days=1)
                self.paused = (ill, ill + datetime.timedelta(days=PAUSED_DAYS))
            if month == WORKER_KILLED_LIST_MONTH:
                # Its visits are due VISIT_DUE_DAYS after the list, so they are in the batch (due within a
                # week) of the first Monday at least a week after it.
                monday = arrives + datetime.timedelta(days=7)
                self.worker_killed = monday + datetime.timedelta(days=-monday.weekday() % 7)

    def day(self, day: datetime.date) -> None:
        if day == OUTAGE[0].date():
            return self.outage_day(day)
        self.beat.advance_to(at_local(day, 9))
        self.morning(day)
        self.beat.advance_to(at_local(day, 12))
        self.meeting_answers(day)
        self.beat.advance_to(at_local(day, 17))
        self.doorsteps(day)
        self.beat.advance_to(at_local(day, 21))
        self.attendance(day)

    def morning(self, day: datetime.date) -> None:
        w = self.world
        self.phoned_in_record()
        if day == SERIES_CREATED:
            meeting_series_create(
                area=w.area,
                by=w.coordinator,
                title="Netværksmøde",
                weekday=1,
                nth=1,
                start_time=datetime.time(17, 0),
                place="Foreningernes Hus",
            )
        if day in JOINS:
            name, languages = JOINS[day]
            phone = "+45" + w.unique_phone().replace(" ", "")
            ambassador_invite(area=w.area, full_name=name, phone=phone, by=w.coordinator)
            w.ambassador_add(full_name=name, phone=phone, languages=languages, user=User.objects.get(phone=phone))
        if day == self.paused[0]:
            self.pause_and_hand_over(day)
        if day == self.paused[1]:
            ambassador_set_status(ambassador=self.ill, status=Ambassador.Status.ACTIVE, by=w.coordinator)
        if day in LEAVES:
            leaving = Ambassador.objects.get(area=w.area, user__full_name=LEAVES[day])
            ambassador_set_status(ambassador=leaving, status=Ambassador.Status.LEFT, by=w.coordinator)
        for created, opens, closes, start, end in SURVEYS:
            if day == created:
                self.surveys.append(
                    survey_create(
                        area=w.area,
                        by=w.coordinator,
                        title=f"Tilflytterundersøgelse {start:%m}–{end:%m} 2027",
                        period_start=start,
                        period_end=end,
                        opens_on=opens,
                        closes_on=closes,
                    )
                )
            if day == opens:
                self.counts["survey invitations"] += survey_invite(survey=self.surveys[-1], by=w.coordinator)
            if day == opens + datetime.timedelta(days=2):
                self.survey_answers(self.surveys[-1])
        if day == PHONE_CORRECTED:
            self.phone_correct()
        if day in self.lists:
            self.list_arrives(day)
        if day in self.lists or day.weekday() == 0:
            self.assign(day)
        if day == self.worker_killed:
            self.print_batch_with_a_killed_worker()
        if day == ERASURE:
            self.erase(day)

    # --- the move-in lists ---------------------------------------------------------------------------

    def list_arrives(self, day: datetime.date) -> None:
        w = self.world
        month, _ = self.lists[day]
        people = w.move_ins(month=month, listed_on=day, count=self.rng.randint(26, 34))
        # A few lines of last month's list come again, corrected: a new mobile number, a move-in date.
        earlier = [lst for arrived, (_m, lst) in self.lists.items() if arrived < day and lst]
        corrected = []
        if earlier:
            previous = earlier[-1]
            for i, person in enumerate(self.rng.sample(previous, 3)):
                if person is self.erased:
                    continue
                person.phone = w.unique_phone()
                if i == 0:
                    # The tenancy system had the move-in two days early: the same household, not a new one.
                    person.move_in += datetime.timedelta(days=2)
                    self.counts["corrected move-in dates"] += 1
                corrected.append(person)
            if self.erased is not None and self.erased in previous:
                corrected.append(self.erased)  # the housing organisation does not know about the erasure
        contradicted = self.phone_correction is not None and self.phone_after_contradiction is None
        if contradicted:
            # The housing organisation has yet another number for the household the coordinator corrected.
            person, _phone = self.phone_correction
            person.phone = w.unique_phone()
            if person not in corrected:  # one line per household, even if it was among the three above
                corrected.append(person)
        self.lists[day] = (month, people)
        rows = people + corrected
        run = import_run_create(
            organisation=w.organisation,
            area=w.area,
            user=w.coordinator,
            filename=f"tilflyttere-{month:%Y-%m}.csv",
            data=w.list_csv(rows),
            refuse_repeat=True,  # as the upload page does
        )
        if month.month == 3:
            # The coordinator uploads the file, is called away, and uploads it again the next hour:
            # the first upload is never confirmed, and beat deletes it after TENANT_IMPORT_PENDING_HOURS.
            self.beat.advance(hours=1)
            run = import_run_create(
                organisation=w.organisation,
                area=w.area,
                user=w.coordinator,
                filename=run.filename,
                data=w.list_csv(rows),
                refuse_repeat=True,
            )
        import_run_confirm(run=run, mapping=import_run_mapping(run=run), create_estates=False)
        run.refresh_from_db()
        assert run.status == run.Status.DONE, (run.status, run.error)
        if contradicted:
            person, _phone = self.phone_correction
            self.phone_after_contradiction = Newcomer.objects.get(tenancy=person.tenancy).phone
        self.counts["lists"] += 1
        self.counts["listed households"] += len(people)
        self.counts["corrected lines"] += len(corrected)

    # --- assignments and doorsteps -------------------------------------------------------------------

    def assign(self, day: datetime.date) -> None:
        w = self.world
        pairs = [
            (proposal.newcomer.pk, proposal.ambassador.pk)
            for proposal in assignment_propose(area=w.area)
            if proposal.ambassador is not None
        ]
        if not pairs:
            return
        # This month the ambassadors wait for the week's printed folders before they go to the doors.
        waits = self.lists.get(day, (None,))[0] == datetime.date(2027, WORKER_KILLED_LIST_MONTH, 1)
        first_try = self.worker_killed if waits else day
        for visit in visits_assign(area=w.area, assignments=pairs, by=w.coordinator):
            self.assignments.append((visit.pk, day, visit.due_date))
            self.next_try[visit.pk] = first_try + datetime.timedelta(days=self.rng.randint(1, 5))
        self.counts["hand-overs"] += len(pairs)

    def pause_and_hand_over(self, day: datetime.date) -> None:
        """Pause an ambassador and give each of her open visits to an active colleague, one who speaks the
        newcomer's language if there is one."""
        w = self.world
        ill = (
            Ambassador.objects.active()
            .filter(area=w.area)
            .annotate(holding=Count("visits", filter=Q(visits__status=Visit.Status.OPEN)))
            .order_by("-holding", "pk")
            .first()
        )
        self.ill = ill
        ambassador_set_status(ambassador=ill, status=Ambassador.Status.PAUSED, by=w.coordinator)
        colleagues = list(Ambassador.objects.active().filter(area=w.area).order_by("pk"))
        for visit in Visit.objects.open().filter(ambassador=ill).select_related("newcomer").order_by("pk"):
            speaks = [a for a in colleagues if visit.newcomer.language in a.languages]
            visit = visit_reassign(visit=visit, ambassador=(speaks or colleagues)[0], by=w.coordinator)
            self.assignments.append((visit.pk, day, visit.due_date))
            self.counts["visits handed over"] += 1

    def doorsteps(self, day: datetime.date) -> None:
        """The ambassadors go to the doors of the visits they planned for today."""
        w = self.world
        visits = (
            Visit.objects.open()
            .filter(area=w.area, ambassador__isnull=False)
            .select_related("ambassador__user", "newcomer")
            .order_by("pk")
        )
        for visit in visits:
            if self.next_try.get(visit.pk, day) > day:
                continue
            outcome = self.rng.choices(list(OUTCOME_WEIGHTS), weights=list(OUTCOME_WEIGHTS.values()))[0]
            if outcome == OUTCOMES.LANGUAGE_BARRIER and visit.newcomer.language in visit.ambassador.languages:
                outcome = OUTCOMES.MET_TALKED
            fields = {"outcome": outcome}
            if outcome in Attempt.MET:
                fields["interests"] = self.rng.sample(w.activities, self.rng.randint(0, 2))
            if outcome == OUTCOMES.DECLINED:
                fields["do_not_contact"] = self.rng.random() < 0.5
            # The next try at the earliest the day after tomorrow: a phoned-in outcome is entered tomorrow.
            self.next_try[visit.pk] = day + datetime.timedelta(days=self.rng.randint(2, 4))
            if self.rng.random() < BY_COORDINATOR:
                self.phoned_in.append((visit.pk, day, fields))
                continue
            visit_record_attempt(visit=visit, by=visit.ambassador.user, **fields)
            self.counts["attempts"] += 1

    def phoned_in_record(self) -> None:
        """The coordinator types in yesterday's outcomes that ambassadors phoned in, with the day they happened."""
        w = self.world
        for visit_id, day, fields in self.phoned_in:
            visit = Visit.objects.get(pk=visit_id)
            try:
                visit_record_attempt(visit=visit, by=w.coordinator, visited_on=day, **fields)
                self.counts["outcomes recorded by the coordinator"] += 1
            except PermissionDenied:
                # The year goes on (the ambassador types it in herself); the refusal is reported at the end.
                self.coordinator_refused.append(f"{day}: visit {visit.pk} ({fields['outcome']})")
                visit_record_attempt(visit=visit, by=visit.ambassador.user, **fields)
                self.counts["attempts"] += 1
        self.phoned_in.clear()

    # --- meetings ----------------------------------------------------------------------------------

    def meeting_answers(self, day: datetime.date) -> None:
        pending = MeetingInvitation.objects.filter(
            meeting__area=self.world.area,
            answer=MeetingInvitation.Answer.NONE,
            meeting__starts_at__gt=self.clock.now,
            ambassador__status=Ambassador.Status.ACTIVE,
        ).exclude(pk__in=self.answered)
        for invitation in pending.order_by("pk"):
            self.answered.add(invitation.pk)
            if self.rng.random() < 0.8:
                answer = self.rng.choices(["yes", "no", "maybe"], weights=[6, 2, 2])[0]
                invitation_answer(invitation=invitation, answer=answer)

    def attendance(self, day: datetime.date) -> None:
        w = self.world
        for meeting in NetworkMeeting.objects.planned().filter(area=w.area).order_by("starts_at"):
            if meeting.starts_at.astimezone(self.clock.local().tzinfo).date() != day:
                continue
            came = [
                i.ambassador_id
                for i in meeting.invitations.filter(answer__in=["yes", "maybe"])
                if self.rng.random() < 0.85
            ]
            attendance_record(meeting=meeting, present_ids=came, by=w.coordinator)
            self.counts["meetings held"] += 1

    # --- surveys -----------------------------------------------------------------------------------

    def survey_answers(self, survey) -> None:
        questions = survey_questions_list(survey)
        # Links of newcomers whom retention has anonymised since the invitation no longer work (by design).
        for invitation in SurveyInvitation.objects.filter(survey=survey, expires_at__gt=self.clock.now).order_by("pk"):
            if self.rng.random() > 0.35:
                continue
            answers: dict[str, str] = {}
            while (question := next_question(questions, answers)) is not None:
                codes = question.answer_codes() or ("Fint",)
                answers[question.code] = self.rng.choice(codes)
                answer_by_invitation(
                    invitation=invitation, code=question.code, value=answers[question.code], language="da"
                )
            self.counts["survey responses"] += 1

    # --- the rare events -----------------------------------------------------------------------------

    def outage_day(self, day: datetime.date) -> None:
        """Three hours without the SMS gateway, on a Monday morning: the weekly digests, the due-soon
        reminders and the morning's hand-overs all want to send. Beat runs at its real pace around it."""
        start, end = OUTAGE
        self.beat.advance_to(start - datetime.timedelta(minutes=5))
        with self.beat.fine():
            self.beat.advance_to(start)
            OutageSmsBackend.down = True
            self.beat.advance_to(at_local(day, 9))
            self.morning(day)
            self.beat.advance_to(end)
            OutageSmsBackend.down = False
            self.beat.advance_to(end + datetime.timedelta(hours=2))
        self.beat.advance_to(at_local(day, 12))
        self.meeting_answers(day)
        self.beat.advance_to(at_local(day, 17))
        self.doorsteps(day)
        self.beat.advance_to(at_local(day, 21))
        self.attendance(day)

    def print_batch_with_a_killed_worker(self) -> None:
        """The week's print batch; the worker dies after laying out two folders, and beat's sweep resumes it."""
        w = self.world
        real_add_pages = rendering.add_pages
        calls = Counter()

        def dying_add_pages(writer, pages):
            calls["pages"] += 1
            if calls["pages"] == 3:
                raise WorkerKilled
            return real_add_pages(writer, pages)

        with mock.patch.object(rendering, "add_pages", dying_add_pages):
            try:
                batch_create(area=w.area, by=w.coordinator, survey_url=None)
            except WorkerKilled:
                pass
        self.killed_batch = PrintBatch.objects.get(area=w.area)
        assert self.killed_batch.status == PrintBatch.Status.RUNNING
        with self.beat.fine():
            self.beat.advance(minutes=20)

    def phone_correct(self) -> None:
        """The coordinator corrects the mobile number of a household on the latest list."""
        w = self.world
        latest = [lst for _arrived, (_m, lst) in sorted(self.lists.items()) if lst][-1]
        person = next(p for p in latest if p is not self.erased)
        phone = w.unique_phone()
        newcomer = Newcomer.objects.get(tenancy=person.tenancy)
        assert newcomer_correct(newcomer=newcomer, by=w.coordinator, phone=phone) == ["phone"]
        self.phone_correction = (person, "+45" + phone.replace(" ", ""))

    def erase(self, day: datetime.date) -> None:
        """A newcomer of last month's list asks to be erased (after their visit, before the next list)."""
        w = self.world
        candidates = [
            person
            for person in w.people
            if Visit.objects.filter(newcomer__tenancy=person.tenancy, status=Visit.Status.CLOSED).exists()
            # Found by their name alone: not part of another household's name ("Omar Saleh-Nasser").
            and not any(other is not person and person.name in other.name for other in w.people)
        ]
        last_list = [lst for arrived, (_m, lst) in sorted(self.lists.items()) if arrived < day and lst][-1]
        person = next(p for p in candidates if p in last_list)
        newcomer = Newcomer.objects.get(tenancy=person.tenancy, move_in_date=person.move_in)
        newcomer_erase(
            newcomer=newcomer, actor=w.coordinator, path=f"/areas/{w.area.slug}/newcomers/{newcomer.pk}/erase/"
        )
        self.erased = person
        self.counts["erased newcomer"] = newcomer.pk
