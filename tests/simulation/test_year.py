"""A year of running the programme in one area of Gellerup's size (issue 15, point 6).

2,611 tenancies, about 30 move-ins a month, seven ambassadors (one leaves, two join), through 2027 on a
clock the whole process reads: a move-in list every month arriving 5–40 days late with a few corrected
lines, proposals confirmed every week, outcomes recorded (some phoned in and entered by the coordinator
the next morning), a coordinator's correction of a phone number that the next list contradicts, a monthly
meeting series inviting by itself, a survey every half year, beat's real schedule (nightly retention included), a three-hour SMS
gateway outage, a worker killed in the middle of a print batch, both daylight-saving changes and one
erasure request. Then every promise is checked against the rows; each check lists what it found, and the
test fails with all of them at once. Run alone with `-m year -s` to see the year's counts.
"""

import datetime
import io
import logging
import re
import time
from collections import Counter, defaultdict

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.db.models import Count, Q
from pypdf import PdfReader

from apps.accounts.models import LoginLink
from apps.core.models import Message
from apps.dashboards.periods import period_from_key
from apps.dashboards.selectors import OUTCOMES, area_counts_compute, figures_for
from apps.folders.models import BatchFile, Delivery, PrintBatch
from apps.meetings.models import Invitation as MeetingInvitation
from apps.meetings.models import MeetingSeries, NetworkMeeting
from apps.newcomers.models import ImportRun, Newcomer
from apps.privacy.services import months_before
from apps.visits.models import Ambassador, Attempt, Visit
from tests.simulation.beat import COARSE
from tests.simulation.clock import COPENHAGEN, at_local, sim_clock
from tests.simulation.gateway import OutageSmsBackend
from tests.simulation.year import END, OUTAGE, SERIES_CREATED, START, Year

pytestmark = [pytest.mark.year, pytest.mark.django_db(transaction=True)]

DELIVERED = {"sent", "delivered"}
DAILY = [name for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if hasattr(entry["schedule"], "hour")]


@pytest.fixture
def gateway(settings):
    settings.SMS_BACKEND = "tests.simulation.gateway.OutageSmsBackend"
    settings.DASHBOARD_CACHE_SECONDS = 0
    settings.VISIT_OVERVIEW_CACHE_SECONDS = 0
    OutageSmsBackend.reset()
    # Twelve thousand task runs: celery's line per task would be most of the captured log.
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    trace.setLevel(logging.WARNING)
    yield OutageSmsBackend
    trace.setLevel(level)
    OutageSmsBackend.reset()


def test_a_year_of_running_the_programme(gateway):
    started = time.monotonic()
    with sim_clock(at_local(START, 0)) as clock:
        year = Year(clock=clock)
        year.run()
        checks = [
            check_messages(year),
            check_outage(year),
            check_no_visit_overdue_when_assigned(year),
            check_coordinator_recorded_outcomes(year),
            check_coordinator_correction_kept(year),
            check_meetings(year),
            check_daylight_saving(year),
            check_board_figures(year),
            check_expired_data_gone(year),
            check_erased_person_gone(year),
            check_no_duplicates(year),
            check_killed_worker(year),
        ]
    print_summary(year, seconds=time.monotonic() - started)
    findings = [finding for check in checks for finding in check]
    print("\n".join(["Findings:", *findings]))
    assert not findings, "The simulated year found:\n- " + "\n- ".join(findings)


# --- What is checked ---------------------------------------------------------------------------------------


def _deliveries() -> Counter:
    """What left the building, per idempotency key: the SMS gateway's and the mail server's."""
    keys = Counter(sms["reference"] for sms in OutageSmsBackend.outbox)
    keys.update(email.extra_headers.get("X-Naboambassador-Id") for email in mail.outbox)
    return keys


def check_messages(year: Year) -> list[str]:
    """Every message delivered exactly once, or listed as undelivered with its reason."""
    found = []
    delivered = _deliveries()
    twice = {key: n for key, n in delivered.items() if n > 1}
    if twice:
        found.append(f"{len(twice)} messages delivered more than once, e.g. {sorted(twice.items())[:3]}")
    for message in Message.objects.order_by("pk"):
        n = delivered.get(message.idempotency_key, 0)
        if message.status in DELIVERED and n != 1:
            found.append(f"message {message.idempotency_key} is {message.status} but was delivered {n} times")
        elif message.status not in DELIVERED and not (message.status == "failed" and message.last_error):
            found.append(
                f"message {message.idempotency_key} ended {message.status!r} with no reason ({message.last_error!r})"
            )
        elif message.status == "failed" and n:
            found.append(f"message {message.idempotency_key} is failed but was delivered {n} times")
    return found[:20]


def check_outage(year: Year) -> list[str]:
    """Three hours without the gateway lose nothing: what was queued then is delivered after it."""
    start, end = OUTAGE
    during = Message.objects.filter(created_at__gte=start, created_at__lt=end)
    lost = during.exclude(status__in=DELIVERED)
    found = []
    if not during.filter(channel=Message.Channel.SMS).exists():
        found.append("no SMS was queued during the gateway outage: the simulation did not test it")
    if lost.exists():
        reasons = Counter(lost.values_list("last_error", flat=True))
        found.append(
            f"{lost.count()} of {during.count()} messages queued during the 3-hour gateway outage were never "
            f"delivered: {dict(reasons)}"
        )
    return found


def check_no_visit_overdue_when_assigned(year: Year) -> list[str]:
    if not year.counts["visits handed over"]:
        return ["no open visit was handed over from a paused ambassador: the simulation did not test it"]
    overdue = [(visit, day, due) for visit, day, due in year.assignments if due < day]
    if not overdue:
        return []
    days = sorted((day - due).days for _visit, day, due in overdue)
    return [
        f"{len(overdue)} of {len(year.assignments)} hand-overs gave the ambassador a visit already overdue "
        f"(by {days[0]}–{days[-1]} days, median {days[len(days) // 2]})"
    ]


def check_coordinator_recorded_outcomes(year: Year) -> list[str]:
    if not year.coordinator_refused:
        return []
    return [
        f"the coordinator could not record {len(year.coordinator_refused)} outcomes for an ambassador "
        f"(PermissionDenied), e.g. {year.coordinator_refused[:2]}"
    ]


def check_coordinator_correction_kept(year: Year) -> list[str]:
    """The phone a coordinator corrected survives a later list that has another number for the household."""
    if year.phone_correction is None or year.phone_after_contradiction is None:
        return ["no coordinator's correction was contradicted by a later list: the simulation did not test it"]
    person, phone = year.phone_correction
    if year.phone_after_contradiction != phone:
        return [
            f"the next list overwrote the coordinator's corrected phone {phone} with {year.phone_after_contradiction}"
        ]
    return []


def check_meetings(year: Year) -> list[str]:
    """A meeting every month, each with invitations (sent by themselves `invite_days_before` days before,
    once the series exists) and reminders, at the series' local time."""
    found = []
    area = year.world.area
    series = MeetingSeries.objects.get(area=area)
    invite_before = datetime.timedelta(days=series.invite_days_before)
    held = NetworkMeeting.objects.planned().filter(area=area, starts_at__lt=year.clock.now)
    for month in range(1, 13):
        meetings = [m for m in held if m.starts_at.astimezone(COPENHAGEN).month == month and m.starts_at.year == 2027]
        if not meetings:
            found.append(f"no network meeting in 2027-{month:02d}")
            continue
        for meeting in meetings:
            invited = Message.objects.filter(idempotency_key__startswith=f"meeting-invite:{meeting.pk}:")
            for kind in ("meeting-remind-2d", "meeting-remind-day"):
                reminders = Message.objects.filter(idempotency_key__startswith=f"{kind}:{meeting.pk}:")
                if not reminders.filter(status__in=DELIVERED).exists():
                    found.append(f"the meeting of {meeting.starts_at:%Y-%m-%d} had no {kind} reminder delivered")
            if not invited.filter(status__in=DELIVERED).exists():
                found.append(f"the meeting of {meeting.starts_at:%Y-%m-%d} had no invitation delivered")
            # At the meeting's wall-clock time, invite_days_before days earlier; beat's interval entries run
            # every four hours here, so the invitations go within that (an ambassador who joins later is
            # invited when she joins).
            invite_at = meeting.starts_at.astimezone(COPENHAGEN) - invite_before
            first = invited.order_by("created_at").first()
            first = first and first.created_at.astimezone(COPENHAGEN)
            if invite_at > at_local(SERIES_CREATED, 9) and first and not invite_at <= first <= invite_at + COARSE:
                found.append(
                    f"the meeting of {meeting.starts_at:%Y-%m-%d} was invited to at {first:%Y-%m-%d %H:%M},"
                    f" due {invite_at:%Y-%m-%d %H:%M}"
                )
            if meeting.starts_at.astimezone(COPENHAGEN).time() != series.start_time:
                found.append(
                    f"the meeting of {meeting.starts_at:%Y-%m-%d} starts at {meeting.starts_at.astimezone(COPENHAGEN):%H:%M}"
                )
    return found


def check_daylight_saving(year: Year) -> list[str]:
    """Beat's daily jobs ran once on every local day, the two Sundays of the clock changes included."""
    found = []
    days = [START + datetime.timedelta(days=n) for n in range((END - START).days + 1)]
    for name in DAILY:
        runs = year.beat.daily_runs(name)
        entry = settings.CELERY_BEAT_SCHEDULE[name]["schedule"]
        expected = [d for d in days if d.isoweekday() % 7 in entry.day_of_week]
        wrong = {d: runs.get(d, 0) for d in expected if runs.get(d, 0) != 1}
        if wrong:
            found.append(f"{name} ran {wrong} (should be once on each of those days)")
    return found


def check_board_figures(year: Year) -> list[str]:
    """The dashboard's figures for 2027 (the whole area, and a board member's estate) equal counts made
    here straight from the rows."""
    found = []
    area = year.world.area
    today = year.clock.today()
    period = period_from_key("2027", today=today)
    counts = area_counts_compute(area=area, period=period, today=today)
    for estates in (None, {year.world.estates[0].pk}):
        figures = figures_for(counts, estate_ids=estates, months=period.months)
        newcomers = Newcomer.objects.filter(tenancy__estate__area=area, move_in_date__year=2027)
        visits = Visit.objects.filter(area=area, move_in_date__year=2027)
        if estates:
            newcomers = newcomers.filter(tenancy__estate__in=estates)
            visits = visits.filter(estate__in=estates)
        cut_14 = today - datetime.timedelta(days=14)
        expected = {
            "newcomers": newcomers.count(),
            "visits": visits.count(),
            "folders": visits.filter(folder_delivered=True).count(),
            "within_14": (
                visits.filter(move_in_date__lte=cut_14, days_to_contact__lte=14).values("newcomer").distinct().count(),
                newcomers.filter(move_in_date__lte=cut_14).count(),
            ),
            "outcomes": [
                (
                    o,
                    visits.filter(status="open").count()
                    if o == "open"
                    else visits.filter(status="closed", close_reason=o).count(),
                )
                for o in OUTCOMES
            ],
        }
        shown = {
            "newcomers": figures.newcomers,
            "visits": figures.visits,
            "folders": figures.folders,
            "within_14": (figures.within_14.count, figures.within_14.total),
            "outcomes": figures.outcomes,
        }
        if estates is None:
            held = NetworkMeeting.objects.planned().filter(
                area=area, starts_at__year=2027, starts_at__lt=year.clock.now
            )
            expected["meetings_held"] = held.count()
            expected["attendances"] = MeetingInvitation.objects.filter(meeting__in=held, attended=True).count()
            shown["meetings_held"] = figures.meetings_held
            shown["attendances"] = figures.meeting_attendances
        for key, value in expected.items():
            if shown[key] != value:
                found.append(
                    f"board figure {key} ({'area' if estates is None else 'estate'}) is {shown[key]}, the rows say {value}"
                )
    return found


def check_expired_data_gone(year: Year) -> list[str]:
    found = []
    organisation = year.world.organisation
    today = year.clock.today()
    contact_cutoff = months_before(today, organisation.retention_contact_months)
    visit_cutoff = months_before(today, organisation.retention_visit_months)
    kept = Newcomer.objects.filter(move_in_date__lt=contact_cutoff).filter(~Q(name="") | ~Q(phone="") | ~Q(email=""))
    if kept.exists():
        found.append(f"{kept.count()} newcomers past the contact limit still have contact data")
    if Message.objects.filter(to_newcomer__move_in_date__lt=contact_cutoff).exists():
        found.append("messages to newcomers past the contact limit are kept")
    old_visits = Visit.objects.filter(move_in_date__lt=visit_cutoff, status=Visit.Status.CLOSED)
    if old_visits.filter(Q(ambassador__isnull=False) | Q(anonymised_at__isnull=True)).exists():
        found.append("closed visits past the visit limit still name their ambassador")
    if Attempt.objects.filter(visit__move_in_date__lt=visit_cutoff).exists():
        found.append("attempts of visits past the visit limit are kept")
    if Visit.objects.filter(move_in_date__lt=visit_cutoff, status=Visit.Status.OPEN).exists():
        found.append("visits past the visit limit are still open")
    if LoginLink.objects.filter(expires_at__lt=year.clock.now - datetime.timedelta(days=1)).exists():
        found.append("expired sign-in links are kept")
    if ImportRun.objects.filter(status=ImportRun.Status.UPLOADED).exists():
        found.append("an upload never confirmed is kept")
    if ImportRun.objects.exclude(source=None).exclude(source=b"").exists():
        found.append("a processed move-in list is kept")
    keep = year.clock.now - datetime.timedelta(days=settings.FOLDER_PDF_KEEP_DAYS + 1)
    if (
        Delivery.objects.filter(finished_at__lt=keep).exclude(pdf="").exists()
        or BatchFile.objects.filter(batch__created_at__lt=keep).exclude(pdf="").exists()
    ):
        found.append("folder PDFs older than FOLDER_PDF_KEEP_DAYS are kept")
    if not Newcomer.objects.filter(anonymised_at__isnull=False).exists():
        found.append("retention anonymised nobody: the simulation did not test it")
    return found


def check_erased_person_gone(year: Year) -> list[str]:
    """The erased person, by full name and by phone, in no table and no stored file."""
    person = year.erased
    if person is None:
        return ["nobody was erased: the simulation did not test it"]
    found = []
    needles = [re.sub(r"[\s.\-]", "", person.name.casefold()), person.phone.replace(" ", "")]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea')"
        )
        for table, column, data_type in cursor.fetchall():
            for label, needle in [("name", person.name), ("phone", person.phone), ("phone", person.e164)]:
                if data_type == "bytea":
                    # Stored files' bytes (a move-in list waiting for its confirmation): the forms written.
                    where, value = f"position(convert_to(%s, 'UTF8') in \"{column}\") > 0", needle
                else:
                    # Spaces, dots and dashes out, so "22 33 44 55", "22.33.44.55" and "+4522334455" are found.
                    where = f"lower(regexp_replace(\"{column}\"::text, '[\\s.\\-]', '', 'g')) LIKE %s"
                    value = "%" + re.sub(r"[\s.\-]", "", needle.casefold()).removeprefix("+45") + "%"
                cursor.execute(f'SELECT left("{column}"::text, 80) FROM "{table}" WHERE {where} LIMIT 3', [value])
                rows = [row[0] for row in cursor.fetchall()]
                if rows:
                    found.append(f"the erased person's {label} ({needle}) is in {table}.{column}: {rows}")
    for path in settings.MEDIA_ROOT.rglob("*") if hasattr(settings.MEDIA_ROOT, "rglob") else []:
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".pdf":
            text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
        else:
            text = data.decode("utf-8", errors="ignore")
        squeezed = re.sub(r"[\s.\-]", "", text).casefold()
        if any(needle in squeezed for needle in needles):
            found.append(f"the erased person is in the stored file {path.relative_to(settings.MEDIA_ROOT)}")
    return found


def check_no_duplicates(year: Year) -> list[str]:
    found = []
    natural_keys = [
        (Newcomer, ["tenancy", "move_in_date"]),
        (Visit, ["newcomer"]),
        (MeetingInvitation, ["meeting", "ambassador"]),
        (Message, ["idempotency_key"]),
        (NetworkMeeting, ["series", "series_date"]),
        (Delivery, ["visit", "batch_file"]),
    ]
    for model, key in natural_keys:
        doubled = model.objects.values(*key).annotate(n=Count("pk")).filter(n__gt=1).order_by()
        if doubled.exists():
            found.append(f"{model.__name__} has {doubled.count()} duplicated {key}")
    # One household, one newcomer: the corrected lines changed the row, they did not add one.
    households = Newcomer.objects.values("tenancy").annotate(n=Count("pk")).filter(n__gt=1)
    if households.exists():
        found.append(f"{households.count()} tenancies have two newcomers after corrected lines")
    by_coordinator = {year.phone_correction[0].tenancy.pk: year.phone_correction[1]} if year.phone_correction else {}
    for person in year.world.people:
        newcomer = Newcomer.objects.filter(tenancy=person.tenancy).first()
        # A list's corrected number reaches the newcomer, unless the coordinator corrected it (checked below).
        expected = by_coordinator.get(person.tenancy.pk, person.e164)
        if newcomer and newcomer.anonymised_at is None and newcomer.phone != expected:
            found.append(
                f"a corrected phone number did not reach newcomer {newcomer.pk}: {newcomer.phone} is not {expected}"
            )
            break
    # A corrected move-in date moved the household's newcomer and its visit (coverage counts from it).
    for person in year.world.people:
        newcomer = Newcomer.objects.filter(tenancy=person.tenancy).first()
        if newcomer and newcomer.move_in_date != person.move_in:
            found.append(
                f"newcomer {newcomer.pk} moved in {newcomer.move_in_date}, the corrected list says {person.move_in}"
            )
            break
        moved = Visit.objects.filter(newcomer=newcomer).exclude(move_in_date=person.move_in)
        if newcomer and moved.exists():
            found.append(f"visit of newcomer {newcomer.pk} kept the move-in date the list corrected")
            break
    # An attempt is not recorded twice (the same outcome on the same visit within the duplicate window).
    window = datetime.timedelta(seconds=settings.VISIT_DUPLICATE_ATTEMPT_SECONDS)
    seen = defaultdict(list)
    for visit_id, outcome, at in Attempt.objects.values_list("visit", "outcome", "recorded_at").order_by("recorded_at"):
        if any(at - earlier < window for earlier in seen[(visit_id, outcome)]):
            found.append(f"visit {visit_id} has {outcome} recorded twice within {window}")
        seen[(visit_id, outcome)].append(at)
    return found[:20]


def check_killed_worker(year: Year) -> list[str]:
    batch = year.killed_batch
    if batch is None:
        return ["no print batch was made: the simulation did not test it"]
    batch.refresh_from_db()
    found = []
    if batch.status != PrintBatch.Status.DONE or batch.attempts != 2:
        found.append(f"the print batch whose worker died ended {batch.status} after {batch.attempts} attempts")
    deliveries = Delivery.objects.filter(batch_file__batch=batch)
    if deliveries.count() != batch.total or deliveries.values("visit").distinct().count() != batch.total:
        found.append(f"the resumed print batch made {deliveries.count()} folders for {batch.total} visits")
    return found


def print_summary(year: Year, *, seconds: float) -> None:
    area = year.world.area
    statuses = dict(Message.objects.values_list("status").annotate(n=Count("pk")).order_by())
    lines = [
        f"A simulated year in {area.name} ({START} – {END}), {seconds:.0f} s:",
        f"  newcomers {Newcomer.objects.count()}, visits {Visit.objects.count()}, attempts {year.counts['attempts']}"
        f" (+{year.counts['outcomes recorded by the coordinator']} by the coordinator,"
        f" {len(year.coordinator_refused)} refused), hand-overs {len(year.assignments)}"
        f" ({year.counts['visits handed over']} from a paused ambassador)",
        f"  lists {year.counts['lists']} with {year.counts['listed households']} households and"
        f" {year.counts['corrected lines']} corrected lines ({year.counts['corrected move-in dates']} with a new move-in date); meetings held {year.counts['meetings held']}",
        f"  ambassadors {Ambassador.objects.filter(area=area).count()}"
        f" (active {Ambassador.objects.filter(area=area, status='active').count()});"
        f" surveys: {year.counts['survey invitations']} invited, {year.counts['survey responses']} answered",
        f"  messages {statuses}; SMS refused by the gateway during the outage: {OutageSmsBackend.refused}",
        f"  beat runs: {sum(len(v) for v in year.beat.runs.values())}; erased newcomer {year.counts['erased newcomer']};"
        f" print batch with the killed worker: {year.killed_batch.total if year.killed_batch else 0} folders",
    ]
    print("\n" + "\n".join(lines))
