"""Writes for network meetings: series, meetings, invitations and answers, cancellations, reminders,
attendance, minutes, action items and agenda suggestions.

Every write runs in a transaction. Messages go through the outbox (`message_queue`): the row is written in
the same transaction and delivered after commit, and each carries an idempotency key, so inviting twice,
cancelling twice or running the reminder job twice sends nothing twice.
"""

import calendar
import datetime
from collections.abc import Iterable

import markdown
import nh3
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.models import Message
from apps.core.policy import Perm, can
from apps.core.services import channel_for_ambassador, in_recipients_language, message_queue
from apps.meetings.models import (
    MAX_INVITE_DAYS,
    ActionItem,
    AgendaSuggestion,
    Invitation,
    MeetingSeries,
    NetworkMeeting,
)
from apps.meetings.selectors import invite_candidates, series_meetings_after
from apps.meetings.tokens import answer_url, ics_url
from apps.organisation.models import Area
from apps.visits.models import Ambassador

# The fields of a meeting a coordinator sets in the form.
MEETING_FIELDS = ("title", "starts_at", "ends_at", "place", "theme", "agenda")
DEFAULT_LENGTH = datetime.timedelta(hours=2)


def _ensure_coordinator(by: User, area: Area) -> None:
    # Meetings are area-wide coordinator work (see Perm.AREA_MANAGE).
    if not can(by, Perm.AREA_MANAGE, area):
        raise PermissionDenied


def _when(meeting: NetworkMeeting) -> str:
    """The start in local time, e.g. "01.12.2026 17:00" (the format follows the active language)."""
    return formats.date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT")


# --- Series and meetings ----------------------------------------------------------------------------------


def series_dates(*, series: MeetingSeries, start: datetime.date, until: datetime.date) -> list[datetime.date]:
    """The series' dates from `start` to `until` (both included): the nth (or last) weekday of each month."""
    dates = []
    year, month = start.year, start.month
    while datetime.date(year, month, 1) <= until:
        weeks = [week[series.weekday] for week in calendar.monthcalendar(year, month) if week[series.weekday] != 0]
        day = weeks[-1] if series.nth == -1 else weeks[series.nth - 1]
        date = datetime.date(year, month, day)
        if start <= date <= until:
            dates.append(date)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


@transaction.atomic
def meeting_series_create(
    *,
    area: Area,
    by: User,
    title: str,
    weekday: int,
    nth: int,
    start_time: datetime.time,
    place: str = "",
    duration_minutes: int = 120,
    invite_days_before: int = 14,
    ends_on: datetime.date | None = None,
) -> MeetingSeries:
    """Create a series and plan its meetings MEETING_SERIES_PLAN_MONTHS ahead (the daily job keeps it so)."""
    _ensure_coordinator(by, area)
    if ends_on is not None and ends_on < timezone.localdate():
        raise ValidationError(_("The series cannot end in the past."))
    series = MeetingSeries(
        area=area,
        title=title,
        weekday=weekday,
        nth=nth,
        start_time=start_time,
        place=place,
        duration_minutes=duration_minutes,
        invite_days_before=invite_days_before,
        ends_on=ends_on,
    )
    series.full_clean()
    series.save()
    meeting_series_plan(series=series)
    return series


def _series_starts_at(series: MeetingSeries, date: datetime.date) -> datetime.datetime:
    """The meeting's start on `date` at the series' wall-clock time in Copenhagen, summer or winter time alike
    (the default time zone, not whichever a request may have activated)."""
    return timezone.make_aware(datetime.datetime.combine(date, series.start_time), timezone.get_default_timezone())


def series_last_day(*, series: MeetingSeries, until: datetime.date) -> datetime.date:
    """`until`, but never after the series' end or the day the area closes."""
    for limit in (series.ends_on, series.area.closed_on):
        if limit is not None:
            until = min(until, limit)
    return until


@transaction.atomic
def meeting_series_extend(
    *, series: MeetingSeries, until: datetime.date, start: datetime.date | None = None
) -> list[NetworkMeeting]:
    """Create the series' meetings from `start` (today) to `until` that do not exist yet; returns the new ones.

    Nothing after the series' `ends_on` or the area's `closed_on`. Safe to run twice or from two places at
    once: the (series, date) unique constraint makes the second insert of a date a no-op (ON CONFLICT DO
    NOTHING), and a meeting moved to another time or cancelled keeps its date, so it is never made again.
    """
    if not series.active:
        return []
    start = start or timezone.localdate()
    dates = series_dates(series=series, start=start, until=series_last_day(series=series, until=until))
    existing = set(series.meetings.filter(series_date__in=dates).values_list("series_date", flat=True))
    new = []
    for date in dates:
        if date in existing:
            continue
        starts_at = _series_starts_at(series, date)
        new.append(
            NetworkMeeting(
                area_id=series.area_id,
                series=series,
                series_date=date,
                title=series.title,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=series.duration_minutes),
                place=series.place,
            )
        )
    NetworkMeeting.objects.bulk_create(new, ignore_conflicts=True)
    return list(series.meetings.filter(series_date__in=[meeting.series_date for meeting in new]))


@transaction.atomic
def meeting_series_plan(*, series: MeetingSeries, today: datetime.date | None = None) -> list[NetworkMeeting]:
    """Plan the series' meetings from `today` to MEETING_SERIES_PLAN_MONTHS ahead; returns the new ones.

    The series row is locked first, so two workers planning the same series at once wait for each other
    and the second finds every date made.
    """
    series = MeetingSeries.objects.select_for_update(of=("self",)).select_related("area").get(pk=series.pk)
    today = today or timezone.localdate()
    until = today + relativedelta(months=settings.MEETING_SERIES_PLAN_MONTHS)
    return meeting_series_extend(series=series, start=today, until=until)


def meeting_series_plan_all(*, today: datetime.date | None = None) -> int:
    """The daily job: every active series that has not ended, in an area still open, planned ahead.
    Each series in its own transaction. Returns the number of new meetings."""
    today = today or timezone.localdate()
    running = (
        MeetingSeries.objects.filter(active=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .filter(Q(area__closed_on__isnull=True) | Q(area__closed_on__gte=today))
        .order_by("pk")
    )
    return sum(len(meeting_series_plan(series=series, today=today)) for series in running)


# The fields of a series a coordinator may change once it runs; its rhythm (weekday, time) stays, since
# the planned meetings and their invitations follow it.
SERIES_FIELDS = ("title", "place", "invite_days_before", "ends_on")


@transaction.atomic
def meeting_series_update(
    *,
    series: MeetingSeries,
    by: User,
    title: str,
    place: str,
    invite_days_before: int,
    ends_on: datetime.date | None,
) -> MeetingSeries:
    """Change the series' title, place, invitation lead time or end.

    A new title or place also goes to its coming meetings that nobody is invited to yet and that still have
    the old one (a meeting changed by hand keeps its own). An earlier end cancels the meetings after it
    (see `meeting_series_end`); no end, or a later one, lets the daily job plan further.
    """
    _ensure_coordinator(by, series.area)
    series = MeetingSeries.objects.select_for_update(of=("self",)).select_related("area").get(pk=series.pk)
    old_title, old_place, old_end = series.title, series.place, series.ends_on
    if ends_on is not None and ends_on != old_end and ends_on < timezone.localdate():
        raise ValidationError(_("The series cannot end in the past."))
    series.title, series.place, series.invite_days_before, series.ends_on = title, place, invite_days_before, ends_on
    series.full_clean()
    series.save(update_fields=[*SERIES_FIELDS, "updated_at"])
    uninvited = series.meetings.planned().filter(starts_at__gt=timezone.now(), invitations__isnull=True)
    if title != old_title:
        uninvited.filter(title=old_title).update(title=title, updated_at=timezone.now())
    if place != old_place:
        uninvited.filter(place=old_place).update(place=place, updated_at=timezone.now())
    if ends_on is not None and (old_end is None or ends_on < old_end):
        _series_cancel_after(series=series, by=by)
    return series


@transaction.atomic
def meeting_series_end(*, series: MeetingSeries, by: User, ends_on: datetime.date) -> list[NetworkMeeting]:
    """End the series: `ends_on` is the last day it may meet. Its planned meetings after that day are
    cancelled and everyone invited to them is told (as `meeting_cancel`); nothing more is planned.
    Ending again on the same day changes and sends nothing. Returns the meetings cancelled now."""
    _ensure_coordinator(by, series.area)
    series = MeetingSeries.objects.select_for_update(of=("self",)).select_related("area").get(pk=series.pk)
    if ends_on < timezone.localdate():
        raise ValidationError(_("The series cannot end in the past."))
    if series.ends_on != ends_on:
        series.ends_on = ends_on
        series.save(update_fields=["ends_on", "updated_at"])
    return _series_cancel_after(series=series, by=by)


def _series_cancel_after(*, series: MeetingSeries, by: User) -> list[NetworkMeeting]:
    """Cancel the series' planned, not yet started meetings after its end (by their series date, so a
    meeting moved by hand counts by the day it belongs to)."""
    after = series_meetings_after(series=series, ends_on=series.ends_on)
    return [meeting_cancel(meeting=meeting, by=by) for meeting in after.order_by("starts_at", "pk")]


@transaction.atomic
def meeting_create(
    *,
    area: Area,
    by: User,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    theme: str = "",
    agenda: str = "",
) -> NetworkMeeting:
    """Plan a one-off meeting (two hours long unless `ends_at` says otherwise). Nobody is invited yet."""
    _ensure_coordinator(by, area)
    if timezone.is_naive(starts_at):
        raise ValidationError(_("The start time needs a time zone."))
    meeting = NetworkMeeting(
        area=area,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at or starts_at + DEFAULT_LENGTH,
        place=place,
        theme=theme,
        agenda=agenda,
    )
    if meeting.ends_at <= meeting.starts_at:
        raise ValidationError(_("The meeting must end after it starts."))
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: NetworkMeeting, by: User, **fields) -> NetworkMeeting:
    """Change a meeting's title, time, place, theme or agenda."""
    _ensure_coordinator(by, meeting.area)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Not a meeting field: {', '.join(sorted(unknown))}")
    meeting = NetworkMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled; it can no longer be changed."))
    for name, value in fields.items():
        setattr(meeting, name, value)
    if meeting.ends_at <= meeting.starts_at:
        raise ValidationError(_("The meeting must end after it starts."))
    meeting.full_clean()
    meeting.save(update_fields=[*fields, "updated_at"])
    return meeting


# --- Invitations and answers ------------------------------------------------------------------------------


def _invitation_message(invitation: Invitation) -> Message | None:
    meeting, user = invitation.meeting, invitation.ambassador.user
    channel = channel_for_ambassador(user)
    with in_recipients_language(user):
        values = {
            "name": user.get_short_name(),
            "title": meeting.title,
            "when": _when(meeting),
            "place": meeting.place or "—",
            "answer_url": answer_url(invitation=invitation),
            "ics_url": ics_url(invitation=invitation),
        }
        if channel == Message.Channel.SMS:
            # An SMS stays short: what, when, where and the one-tap answer link.
            body = _("%(title)s %(when)s, %(place)s. Will you come? Answer here: %(answer_url)s") % values
        else:
            lines = [
                _("Hi %(name)s,") % values,
                _("You are invited to %(title)s on %(when)s at %(place)s.") % values,
            ]
            if meeting.theme:
                lines.append(_("Theme: %(theme)s") % {"theme": meeting.theme})
            if meeting.agenda_items:
                lines.append(_("Agenda:"))
                lines.extend(f"– {item}" for item in meeting.agenda_items)
            lines += [
                _("Will you come? Answer with one tap: %(answer_url)s") % values,
                _("Add it to your calendar: %(ics_url)s") % values,
            ]
            body = "\n".join(lines)
        subject = _("Invitation: %(title)s %(when)s") % values
    return message_queue(
        channel=channel,
        subject=subject,
        body=body,
        idempotency_key=f"meeting-invite:{meeting.pk}:{invitation.ambassador_id}",
        to_user=user,
        area=meeting.area,
    )


@transaction.atomic
def meeting_invite(*, meeting: NetworkMeeting, ambassadors: Iterable[Ambassador] | None = None) -> list[Invitation]:
    """Invite ambassadors (by default every active ambassador of the area) and send each an invitation.

    Only active ambassadors of the meeting's area are invited. Inviting again adds the ones not yet
    invited; nobody gets a second invitation message (the key is per meeting and ambassador).
    Returns the invitations of everyone asked for, old and new.
    """
    meeting = NetworkMeeting.objects.select_for_update().select_related("area").get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled; nobody can be invited."))
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has already started; nobody can be invited."))
    candidates = invite_candidates(meeting=meeting)
    if ambassadors is not None:
        wanted = {ambassador.pk for ambassador in ambassadors}
        if candidates.filter(pk__in=wanted).count() != len(wanted):
            raise ValidationError(_("Only active ambassadors of this area can be invited."))
        candidates = candidates.filter(pk__in=wanted)
    ambassador_ids = list(candidates.values_list("pk", flat=True))
    Invitation.objects.bulk_create(
        [Invitation(meeting=meeting, ambassador_id=pk) for pk in ambassador_ids], ignore_conflicts=True
    )
    invitations = list(
        meeting.invitations.filter(ambassador_id__in=ambassador_ids).select_related("ambassador__user").order_by("pk")
    )
    for invitation in invitations:
        invitation.meeting = meeting
        _invitation_message(invitation)
    return invitations


def meeting_series_invitations_send(*, now: datetime.datetime | None = None) -> int:
    """Invite the area's active ambassadors to each planned series meeting whose invitation time has come
    (`invite_days_before` days before, at the meeting's wall-clock time) and that has not started:
    everyone not yet invited, so an ambassador who joins later is invited to the meetings already open.

    Not for inactive series, nor meetings after the area's closing day. Runs with the reminders every 15
    minutes; safe to run twice (one invitation per meeting and ambassador, keyed messages). Three queries
    when there is nobody new. Returns the number of new invitations.
    """
    now = now or timezone.now()
    coming = (
        NetworkMeeting.objects.planned()
        .filter(series__active=True, starts_at__gt=now, starts_at__lte=now + datetime.timedelta(days=MAX_INVITE_DAYS))
        .filter(Q(area__closed_on__isnull=True) | Q(series_date__lte=F("area__closed_on")))
        .select_related("series")
        .order_by("starts_at", "pk")
    )
    # Wall-clock days: 14 days before 17:00 is 17:00, also across a change to or from summer time.
    due = [
        meeting
        for meeting in coming
        if timezone.localtime(meeting.starts_at) - datetime.timedelta(days=meeting.series.invite_days_before) <= now
    ]
    if not due:
        return 0
    active: dict[int, set[int]] = {}
    for pk, area_id in (
        Ambassador.objects.active()
        .filter(area_id__in={meeting.area_id for meeting in due}, user__is_active=True)
        .values_list("pk", "area_id")
    ):
        active.setdefault(area_id, set()).add(pk)
    invited: dict[int, set[int]] = {}
    for meeting_id, ambassador_id in Invitation.objects.filter(meeting__in=due).values_list(
        "meeting_id", "ambassador_id"
    ):
        invited.setdefault(meeting_id, set()).add(ambassador_id)
    new = 0
    for meeting in due:
        missing = active.get(meeting.area_id, set()) - invited.get(meeting.pk, set())
        if not missing:
            continue
        try:
            meeting_invite(meeting=meeting, ambassadors=Ambassador.objects.filter(pk__in=missing))
        except ValidationError:
            continue  # cancelled, started or someone paused since the reading above: the next run sees it
        new += len(missing)
    return new


@transaction.atomic
def invitation_answer(*, invitation: Invitation, answer: str, now: datetime.datetime | None = None) -> Invitation:
    """Record yes, no or maybe. Answering the same again changes nothing; a different answer replaces it.

    Refused (with a message for the ambassador) once the meeting has started or when it is cancelled.
    """
    if answer not in (Invitation.Answer.YES, Invitation.Answer.NO, Invitation.Answer.MAYBE):
        raise ValidationError(_("Answer yes, no or maybe."))
    now = now or timezone.now()
    # Lock the row: a double tap, or the link and the page at once, records one answer.
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("meeting", "ambassador").get(pk=invitation.pk)
    )
    meeting = invitation.meeting
    if invitation.ambassador.status == Ambassador.Status.LEFT:
        # An old link in the message history of someone who has left the programme.
        raise ValidationError(_("You are no longer an ambassador here, so the answer was not recorded."))
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting has been cancelled, so there is nothing to answer. Thank you anyway!"))
    if meeting.starts_at <= now:
        raise ValidationError(
            _("This meeting has already started, so answers are closed. You are welcome at the next one!")
        )
    if invitation.answer != answer:
        invitation.answer = answer
        invitation.answered_at = now
        invitation.save(update_fields=["answer", "answered_at"])
    return invitation


@transaction.atomic
def meeting_cancel(*, meeting: NetworkMeeting, by: User) -> NetworkMeeting:
    """Cancel a planned meeting and tell everyone invited. Cancelling again changes and sends nothing."""
    _ensure_coordinator(by, meeting.area)
    meeting = NetworkMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        return meeting
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has already started; it can no longer be cancelled."))
    meeting.status = NetworkMeeting.Status.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["status", "cancelled_at", "updated_at"])
    for invitation in (
        meeting.invitations.exclude(ambassador__status=Ambassador.Status.LEFT)
        .select_related("ambassador__user")
        .order_by("pk")
    ):
        user = invitation.ambassador.user
        with in_recipients_language(user):
            values = {"title": meeting.title, "when": _when(meeting)}
            message_queue(
                channel=channel_for_ambassador(user),
                subject=_("Cancelled: %(title)s %(when)s") % values,
                body=_("%(title)s on %(when)s is cancelled. Sorry for the change — see you next time!") % values,
                idempotency_key=f"meeting-cancel:{meeting.pk}:{invitation.ambassador_id}",
                to_user=user,
                area=meeting.area,
            )
    return meeting


# --- Reminders --------------------------------------------------------------------------------------------

# "Two days before": a meeting starting between 36 and 48 hours from now. The job runs every 15 minutes; the
# 12-hour window also covers runs that were missed, and the key sends each reminder once.
TWO_DAYS_FROM = datetime.timedelta(hours=36)
TWO_DAYS_TO = datetime.timedelta(hours=48)
# The morning reminder goes out between 07:00 and 12:00 local time on the day, for meetings not yet started.
MORNING_FROM, MORNING_TO = datetime.time(7, 0), datetime.time(12, 0)


def _reminder_invitations(meetings) -> list[Invitation]:
    """Invitations to remind: those who said yes or have not answered (not no, not maybe-turned-no),
    of ambassadors still in the programme with an active account."""
    return list(
        Invitation.objects.filter(meeting__in=meetings, answer__in=[Invitation.Answer.YES, Invitation.Answer.NONE])
        .exclude(ambassador__status=Ambassador.Status.LEFT)
        .filter(ambassador__user__is_active=True)
        .select_related("meeting", "ambassador__user")
        .order_by("meeting__starts_at", "pk")
    )


def meeting_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Queue the two-days-before and the morning-of-the-day reminders due at `now`. Cancelled meetings get
    none. Keyed per meeting, ambassador and kind: running twice sends each once. Returns how many were new."""
    now = now or timezone.now()
    planned = NetworkMeeting.objects.planned()
    batches = [
        ("2d", planned.filter(starts_at__gt=now + TWO_DAYS_FROM, starts_at__lte=now + TWO_DAYS_TO)),
    ]
    local_now = timezone.localtime(now)
    if MORNING_FROM <= local_now.time() < MORNING_TO:
        end_of_day = timezone.make_aware(
            datetime.datetime.combine(local_now.date() + datetime.timedelta(days=1), datetime.time.min)
        )
        batches.append(("day", planned.filter(starts_at__gt=now, starts_at__lt=end_of_day)))
    queued = 0
    for kind, meetings in batches:
        invitations = _reminder_invitations(meetings)
        keys = {f"meeting-remind-{kind}:{i.meeting_id}:{i.ambassador_id}" for i in invitations}
        # The outbox's unique key is the guarantee; this only counts what is new and saves the work.
        sent = set(Message.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True))
        for invitation in invitations:
            key = f"meeting-remind-{kind}:{invitation.meeting_id}:{invitation.ambassador_id}"
            if key in sent:
                continue
            queued += _reminder_message(invitation, kind=kind, key=key) is not None
    return queued


def _reminder_message(invitation: Invitation, *, kind: str, key: str) -> Message | None:
    meeting, user = invitation.meeting, invitation.ambassador.user
    with in_recipients_language(user):
        values = {
            "title": meeting.title,
            "when": _when(meeting),
            "time": formats.time_format(timezone.localtime(meeting.starts_at), "TIME_FORMAT"),
            "place": meeting.place or "—",
            "answer_url": answer_url(invitation=invitation),
        }
        if kind == "day":
            body = _("Today at %(time)s: %(title)s, %(place)s. Cannot come after all? %(answer_url)s") % values
        elif invitation.answer == Invitation.Answer.YES:
            body = _("See you %(when)s at %(title)s, %(place)s. Cannot come after all? %(answer_url)s") % values
        else:
            body = _("%(title)s is on %(when)s, %(place)s. Will you come? Answer here: %(answer_url)s") % values
        subject = _("Reminder: %(title)s %(when)s") % values
    return message_queue(
        channel=channel_for_ambassador(user),
        subject=subject,
        body=body,
        idempotency_key=key,
        to_user=user,
        area=meeting.area,
    )


# --- After the meeting: attendance, minutes, action items --------------------------------------------------


@transaction.atomic
def attendance_record(*, meeting: NetworkMeeting, present_ids: Iterable[int], by: User) -> int:
    """Record who came (ambassador ids); every other invited ambassador did not. An ambassador of the area
    who came without an invitation gets one, marked present. Taking attendance again replaces it.

    From the day of the meeting on; not for cancelled meetings. Returns the number present.
    """
    _ensure_coordinator(by, meeting.area)
    meeting = NetworkMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting was cancelled; there is no attendance to take."))
    if timezone.localtime(meeting.starts_at).date() > timezone.localdate():
        raise ValidationError(_("Attendance can be taken from the day of the meeting."))
    present = {int(pk) for pk in present_ids}
    in_area = set(Ambassador.objects.filter(area_id=meeting.area_id, pk__in=present).values_list("pk", flat=True))
    if in_area != present:
        raise ValidationError(_("Only ambassadors of this area can be marked present."))
    Invitation.objects.bulk_create(
        [Invitation(meeting=meeting, ambassador_id=pk) for pk in present], ignore_conflicts=True
    )
    meeting.invitations.filter(ambassador_id__in=present).update(attended=True)
    meeting.invitations.exclude(ambassador_id__in=present).update(attended=False)
    return len(present)


# Minutes are written in Markdown; the HTML keeps structure and links, nothing that runs or restyles.
MINUTES_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a", "code", "hr"}
MINUTES_ATTRIBUTES = {"a": {"href", "title"}}
MINUTES_URL_SCHEMES = {"http", "https", "mailto"}


def minutes_render(markdown_text: str) -> str:
    """Markdown to safe HTML: rendered, then cleaned with nh3 to a small allow-list (also used for previews)."""
    html = markdown.markdown(markdown_text or "", extensions=["sane_lists"])
    return nh3.clean(
        html,
        tags=MINUTES_TAGS,
        attributes=MINUTES_ATTRIBUTES,
        url_schemes=MINUTES_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


@transaction.atomic
def minutes_save(*, meeting: NetworkMeeting, markdown: str, publish: bool) -> NetworkMeeting:
    """Save the minutes, stored both as written and as sanitised HTML. `publish` shows them to the invited
    ambassadors (keeping the first publication time); False keeps them a draft only coordinators see."""
    meeting = NetworkMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting was cancelled; it has no minutes."))
    meeting.minutes_markdown = markdown
    meeting.minutes_html = minutes_render(markdown)
    if publish and meeting.minutes_published_at is None:
        meeting.minutes_published_at = timezone.now()
    elif not publish:
        meeting.minutes_published_at = None
    meeting.save(update_fields=["minutes_markdown", "minutes_html", "minutes_published_at", "updated_at"])
    return meeting


@transaction.atomic
def action_item_add(
    *,
    meeting: NetworkMeeting,
    text: str,
    owner: Ambassador | None = None,
    owner_name: str = "",
    due_date: datetime.date | None = None,
) -> ActionItem:
    """Note something agreed at the meeting, for an ambassador of the area or a named person."""
    if owner is not None and owner.area_id != meeting.area_id:
        raise ValidationError(_("The person responsible must be an ambassador of this area."))
    item = ActionItem(meeting=meeting, text=text.strip(), owner=owner, owner_name=owner_name.strip(), due_date=due_date)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def action_item_set_done(*, item: ActionItem, done: bool) -> ActionItem:
    if item.done != done:
        item.done = done
        item.save(update_fields=["done"])
    return item


@transaction.atomic
def agenda_suggest(
    *, meeting: NetworkMeeting, ambassador: Ambassador, text: str, now: datetime.datetime | None = None
) -> AgendaSuggestion:
    """An ambassador suggests an agenda item, before the meeting starts. Sending the same text twice (a
    double tap) keeps one."""
    now = now or timezone.now()
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError(_("Write what you would like to talk about."))
    if len(text) > AgendaSuggestion._meta.get_field("text").max_length:
        raise ValidationError(_("Please keep the suggestion under 300 characters."))
    meeting = NetworkMeeting.objects.select_for_update().get(pk=meeting.pk)
    if ambassador.area_id != meeting.area_id or ambassador.status == Ambassador.Status.LEFT:
        raise PermissionDenied
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting has been cancelled, so it takes no suggestions."))
    if meeting.starts_at <= now:
        raise ValidationError(_("This meeting has already started; suggest it for the next one!"))
    existing = meeting.suggestions.filter(ambassador=ambassador, text=text).first()
    if existing is not None:
        return existing
    return AgendaSuggestion.objects.create(meeting=meeting, ambassador=ambassador, text=text)
