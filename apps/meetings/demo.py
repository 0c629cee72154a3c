"""The demo area's network meetings (called from `seed_demo`): a monthly series (first Tuesday, 17:00) with
six months of held meetings — answers, attendance, published minutes, action items, one cancelled — and the
coming ones, the next with answers and suggestions; and a year of meetings before the series, so the
dashboards can compare with last year. One active ambassador has missed the last three, so the overview
has someone to show.

Written directly (no services): this is history, and the services would text everyone. Every random choice
is drawn from the seeded generator the command passes, in a fixed order.
"""

import datetime
import random

from django.utils import timezone

from apps.meetings.models import ActionItem, AgendaSuggestion, Invitation, MeetingSeries, NetworkMeeting
from apps.meetings.services import meeting_series_plan, minutes_render, series_dates
from apps.organisation.models import Area
from apps.visits.models import Ambassador

# How each answer tends to turn out at the door of the common room.
MEETING_ANSWERS = {"yes": 60, "no": 18, "maybe": 12, "none": 10}
CAME_GIVEN_ANSWER = {"yes": 0.88, "maybe": 0.5, "no": 0.04, "none": 0.3}
MEETING_MINUTES = """## Nyt fra koordinatoren
* {newcomers} nye beboere siden sidst; velkomstmapperne er genoptrykt.

## Erfaringer fra dørene
* Det virker at komme igen en lørdag formiddag.
* Husk kortet i postkassen, hvis ingen er hjemme.

## Aftaler
* Næste tema: *{theme}*.
"""
MEETING_THEMES = ["Den svære samtale", "Fællesspisning", "Nye sprog i bebyggelsen", "Sommerfest", "Lektiecafé"]


def meetings_demo_build(*, area: Area, rng: random.Random) -> int:
    """The series with its held and coming meetings; returns the number of meetings."""
    series = MeetingSeries.objects.create(
        area=area,
        title="Netværksmøde",
        weekday=MeetingSeries.Weekday.TUESDAY,
        nth=MeetingSeries.Nth.FIRST,
        start_time=datetime.time(17, 0),
        place="Fælleshuset, Søndergården 12",
    )
    ambassadors = list(Ambassador.objects.filter(area=area).select_related("user").order_by("pk"))
    held = _HeldMeetings(series=series, ambassadors=ambassadors, rng=rng)
    held.build()
    upcoming = _upcoming_build(series=series, active=held.active, rng=rng)
    return len(held.dates) + len(upcoming)


def _answer(rng: random.Random) -> str:
    return rng.choices(list(MEETING_ANSWERS), weights=list(MEETING_ANSWERS.values()))[0]


class _HeldMeetings:
    """The series' meetings of the last six months, the second of them cancelled."""

    def __init__(self, *, series: MeetingSeries, ambassadors: list[Ambassador], rng: random.Random):
        self.series = series
        self.ambassadors = ambassadors
        self.rng = rng
        self.today = timezone.localdate()
        self.active = [a for a in ambassadors if a.status == Ambassador.Status.ACTIVE]
        self.absentee = self.active[-1] if self.active else None
        self.dates = series_dates(
            series=series,
            start=self.today - datetime.timedelta(days=185),
            until=self.today - datetime.timedelta(days=1),
        )
        self.cancelled_date = self.dates[1] if len(self.dates) > 3 else None

    def build(self) -> None:
        for number, date in enumerate(self.dates):
            meeting = self.meeting(number, date)
            self.invitations(meeting, number, date)
            if not meeting.is_cancelled:
                self.minutes(meeting, number, date)

    def meeting(self, number: int, date: datetime.date) -> NetworkMeeting:
        series = self.series
        starts_at = timezone.make_aware(datetime.datetime.combine(date, series.start_time))
        theme = MEETING_THEMES[number % len(MEETING_THEMES)]
        meeting = NetworkMeeting.objects.create(
            area=series.area,
            series=series,
            series_date=date,
            title=series.title,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            place=series.place,
            theme=theme,
            agenda="Velkomst og nyt\nErfaringer fra dørene\nTema: " + theme + "\nEventuelt",
        )
        if date == self.cancelled_date:
            meeting.status = NetworkMeeting.Status.CANCELLED
            meeting.cancelled_at = starts_at - datetime.timedelta(days=2)
            meeting.save(update_fields=["status", "cancelled_at"])
        return meeting

    def invitations(self, meeting: NetworkMeeting, number: int, date: datetime.date) -> None:
        """Invited: those active on the day (the profile's dates say who was)."""
        rng = self.rng
        invitations = []
        for ambassador in self.invited(date):
            answer = _answer(rng)
            came = rng.random() < CAME_GIVEN_ANSWER[answer]
            if ambassador == self.absentee and number >= len(self.dates) - 4:
                answer, came = "maybe", False
            invitations.append(
                Invitation(
                    meeting=meeting,
                    ambassador=ambassador,
                    answer=answer,
                    answered_at=None
                    if answer == "none"
                    else meeting.starts_at - datetime.timedelta(days=rng.randint(1, 9)),
                    attended=None if meeting.is_cancelled else came,
                )
            )
        Invitation.objects.bulk_create(invitations)

    def invited(self, date: datetime.date) -> list[Ambassador]:
        return [
            a
            for a in self.ambassadors
            if a.started_on <= date and (a.status == Ambassador.Status.ACTIVE or a.status_since > date)
        ]

    def minutes(self, meeting: NetworkMeeting, number: int, date: datetime.date) -> None:
        rng = self.rng
        markdown_text = MEETING_MINUTES.format(
            newcomers=rng.randint(4, 14), theme=MEETING_THEMES[(number + 1) % len(MEETING_THEMES)]
        )
        meeting.minutes_markdown = markdown_text
        meeting.minutes_html = minutes_render(markdown_text)
        meeting.minutes_published_at = meeting.starts_at + datetime.timedelta(days=1)
        meeting.save(update_fields=["minutes_markdown", "minutes_html", "minutes_published_at"])
        invited = self.invited(date)
        ActionItem.objects.bulk_create(
            [
                ActionItem(
                    meeting=meeting,
                    text="Dele plakater ud i opgangene",
                    owner=rng.choice(invited) if invited else None,
                    due_date=date + datetime.timedelta(days=14),
                    done=date + datetime.timedelta(days=14) < self.today,
                ),
                ActionItem(
                    meeting=meeting, text="Booke fælleshuset til næste gang", owner_name="Mette Kjærgaard", done=True
                ),
            ]
        )


def _upcoming_build(*, series: MeetingSeries, active: list[Ambassador], rng: random.Random) -> list[NetworkMeeting]:
    """The series' meetings of the next three months and a theme evening; the next has answers and
    agenda suggestions."""
    today = timezone.localdate()
    upcoming = meeting_series_plan(series=series)
    theme_evening = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=9), datetime.time(18, 30))
    )
    upcoming += [
        NetworkMeeting.objects.create(
            area=series.area,
            title="Temaaften: Velkomst på flere sprog",
            starts_at=theme_evening,
            ends_at=theme_evening + datetime.timedelta(hours=2),
            place="Beboerhuset, Bøgevej 3",
            theme="Velkomst på flere sprog",
            agenda="Hvilke sprog taler de nye beboere?\nOversatte velkomstmapper\nHvem kan tage med hvem?",
        )
    ]
    upcoming.sort(key=lambda meeting: meeting.starts_at)
    if upcoming and active:
        _next_meeting_answers(meeting=upcoming[0], active=active, rng=rng)
    return upcoming


def _next_meeting_answers(*, meeting: NetworkMeeting, active: list[Ambassador], rng: random.Random) -> None:
    now = timezone.now()
    Invitation.objects.bulk_create(
        [
            Invitation(
                meeting=meeting,
                ambassador=ambassador,
                answer=(answer := _answer(rng)),
                answered_at=None if answer == "none" else now - datetime.timedelta(hours=rng.randint(1, 48)),
            )
            for ambassador in active
        ]
    )
    AgendaSuggestion.objects.bulk_create(
        [
            AgendaSuggestion(meeting=meeting, ambassador=active[0], text="Kan vi få visitkort på arabisk?"),
            AgendaSuggestion(meeting=meeting, ambassador=active[1 % len(active)], text="Nøgler til fælleshuset"),
        ]
    )


def meetings_demo_build_history(*, area: Area, rng: random.Random) -> int:
    """Monthly meetings of the year before the series' first (first Tuesday, 17:00), attendance taken.
    Returns the number of meetings."""
    today = timezone.localdate()
    ambassadors = list(Ambassador.objects.filter(area=area, status=Ambassador.Status.ACTIVE).select_related("user"))
    meetings = 0
    for months_ago in range(7, 19):
        first = (today.replace(day=1) - datetime.timedelta(days=30 * months_ago)).replace(day=1)
        day = first + datetime.timedelta(days=(1 - first.weekday()) % 7)  # the month's first Tuesday
        starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(17, 0)))
        minutes = MEETING_MINUTES.format(newcomers=rng.randint(4, 14), theme=rng.choice(MEETING_THEMES))
        meeting = NetworkMeeting.objects.create(
            area=area,
            title="Netværksmøde",
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            minutes_markdown=minutes,
            minutes_html=minutes_render(minutes),
            minutes_published_at=starts_at + datetime.timedelta(days=1),
        )
        Invitation.objects.bulk_create(
            [
                Invitation(meeting=meeting, ambassador=a, answer="yes", attended=rng.random() < 0.6)
                for a in ambassadors
                if a.started_on <= day
            ]
        )
        meetings += 1
    return meetings
