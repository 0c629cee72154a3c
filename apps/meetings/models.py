"""Network meetings (netværksmøder) of an area's ambassadors: invitations and answers, attendance,
minutes, action items and the agenda items ambassadors suggest.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.organisation.models import Area
from apps.visits.models import Ambassador

# The longest invitation lead time; the invitation sweep looks this far ahead.
MAX_INVITE_DAYS = 60


class MeetingSeries(TimeStampedModel):
    """A recurring meeting, e.g. "the first Tuesday every month at 17:00".

    A daily job plans its meetings MEETING_SERIES_PLAN_MONTHS ahead (never after `ends_on` or the area's
    `closed_on`), and the reminder job invites the area's active ambassadors `invite_days_before` days
    before each one.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    class Nth(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="meeting_series", verbose_name=_("area"))
    title = models.CharField(_("title"), max_length=200)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    nth = models.SmallIntegerField(_("which one in the month"), choices=Nth.choices)
    start_time = models.TimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=120)
    place = models.CharField(_("where"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    invite_days_before = models.PositiveSmallIntegerField(
        _("invite days before"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INVITE_DAYS)],
        help_text=_("The active ambassadors are invited this many days before each meeting."),
    )
    # The last day a meeting may fall on; none = the series goes on until ended (or the area closes).
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="meetingseries_weekday_valid"),
            models.CheckConstraint(condition=Q(nth__in=[1, 2, 3, 4, -1]), name="meetingseries_nth_valid"),
            models.CheckConstraint(
                condition=Q(invite_days_before__gte=1, invite_days_before__lte=MAX_INVITE_DAYS),
                name="meetingseries_invite_days_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def schedule_display(self) -> str:
        """When it meets, e.g. "first Tuesday every month" / "første tirsdag hver måned", as one sentence the
        translator may order (weekday names are lower-case in Danish, capitalised in English)."""
        return gettext("%(nth)s %(weekday)s every month") % {
            "nth": self.get_nth_display(),
            "weekday": self.get_weekday_display(),
        }


class NetworkMeetingQuerySet(models.QuerySet):
    def planned(self) -> "NetworkMeetingQuerySet":
        return self.filter(status=NetworkMeeting.Status.PLANNED)

    def upcoming(self, now) -> "NetworkMeetingQuerySet":
        return self.filter(ends_at__gte=now).order_by("starts_at", "pk")

    def past(self, now) -> "NetworkMeetingQuerySet":
        return self.filter(ends_at__lt=now).order_by("-starts_at", "-pk")

    def held(self, now) -> "NetworkMeetingQuerySet":
        """Meetings that took place: planned (not cancelled) and already started."""
        return self.planned().filter(starts_at__lte=now)


class NetworkMeeting(TimeStampedModel):
    """Netværksmøde: one gathering of an area's ambassadors."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("area"))
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("series"),
    )
    # The series' date of this meeting, kept even if the time is moved, so extending a series never makes
    # the same meeting twice (see the unique constraint).
    series_date = models.DateField(_("series date"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item per line."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    minutes_markdown = models.TextField(_("minutes"), blank=True)
    # Rendered from the Markdown and sanitised with nh3 when saved, so pages show it without work or risk.
    minutes_html = models.TextField(_("minutes (HTML)"), blank=True, editable=False)
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)

    objects = NetworkMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "series_date"],
                condition=Q(series__isnull=False),
                name="meeting_unique_series_date",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(
                condition=Q(status="planned", cancelled_at__isnull=True)
                | Q(status="cancelled", cancelled_at__isnull=False),
                name="meeting_cancelled_has_time",
            ),
        ]
        indexes = [
            # The area's meeting lists (upcoming/past) and the overview's held meetings.
            models.Index(fields=["area", "starts_at"], name="meeting_area_starts_idx"),
            # The reminder sweep: planned meetings starting within the next days.
            models.Index(fields=["status", "starts_at"], name="meeting_status_starts_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d.%m.%Y})"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]

    @property
    def minutes_published(self) -> bool:
        return self.minutes_published_at is not None


class Invitation(models.Model):
    """One ambassador invited to one meeting: their answer and, afterwards, whether they came."""

    class Answer(models.TextChoices):
        NONE = "none", _("No answer yet")
        YES = "yes", _("Yes, I will come")
        NO = "no", _("No, I cannot come")
        MAYBE = "maybe", _("Maybe")

    meeting = models.ForeignKey(
        NetworkMeeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="meeting_invitations", verbose_name=_("ambassador")
    )
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, default=Answer.NONE)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # None until the coordinator takes attendance.
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "ambassador__user__full_name", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "ambassador"], name="invitation_unique_meeting_ambassador"),
        ]
        indexes = [
            # "My meetings" and the overview's per-ambassador attendance.
            models.Index(fields=["ambassador", "meeting"], name="invitation_ambassador_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ambassador} · {self.meeting}"


class AgendaSuggestion(models.Model):
    """An item an ambassador would like on the agenda, sent before the meeting."""

    meeting = models.ForeignKey(
        NetworkMeeting, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("meeting")
    )
    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="agenda_suggestions", verbose_name=_("ambassador")
    )
    text = models.CharField(_("suggestion"), max_length=300)
    created_at = models.DateTimeField(_("suggested"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("agenda suggestion")
        verbose_name_plural = _("agenda suggestions")

    def __str__(self) -> str:
        return self.text


class ActionItem(models.Model):
    """Something agreed at a meeting that someone will do."""

    meeting = models.ForeignKey(
        NetworkMeeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("meeting")
    )
    text = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        Ambassador,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("who"),
    )
    # For someone who is not an ambassador (the coordinator, a board member).
    owner_name = models.CharField(_("who (if not an ambassador)"), max_length=200, blank=True)
    due_date = models.DateField(_("by when"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["done", "due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.text

    @property
    def owner_display(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_name
