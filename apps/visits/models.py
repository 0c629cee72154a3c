"""Ambassadors, their welcome visits to newcomers, the attempts on each visit and the activities newcomers
are bridged to.

Not a watchdog: a visit holds what happened at the door and what the newcomer asked for (interest in an
activity, a wish to be contacted by staff) — nothing about the home or the household's behaviour.
"""

import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, Entrance, Estate, Tenancy

# Languages ambassadors, newcomers and activities are matched on (ISO 639-1), the common ones in Danish
# social housing first. Forms use these as choices; a newcomer's language may be any code the import gave.
LANGUAGE_CHOICES: list[tuple[str, str]] = [
    ("da", _("Danish")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("tr", _("Turkish")),
    ("so", _("Somali")),
    ("ur", _("Urdu")),
    ("fa", _("Persian")),
    ("ku", _("Kurdish")),
    ("ps", _("Pashto")),
    ("ti", _("Tigrinya")),
    ("bs", _("Bosnian")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("uk", _("Ukrainian")),
    ("vi", _("Vietnamese")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
]
_LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)
LANGUAGE_CODES = frozenset(_LANGUAGE_NAMES)


def language_name(code: str) -> str:
    """The translated name of a language code, or the code itself when it is not one we know."""
    return str(_LANGUAGE_NAMES.get(code, code))


class Activity(TimeStampedModel):
    """Fællesaktivitet: a local activity (madklub, lektiecafé, gåklub …) newcomers can be bridged to."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="activities", verbose_name=_("area"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    schedule = models.CharField(_("when"), max_length=200, blank=True, help_text=_("E.g. “Tuesdays 17–19”"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    # ISO 639-1 codes, e.g. ["da", "ar"].
    languages = models.JSONField(_("languages"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.name


class TrainingTopic(TimeStampedModel):
    """What a training session is about ("the role and its limits"); the corps pages (apps.corps) show who
    has not had it yet and whose training should be refreshed."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="training_topics", verbose_name=_("area"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Empty: once is enough. Otherwise a session of the topic is due again this many months after the last one.
    refresh_months = models.PositiveSmallIntegerField(
        _("refresh after (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty if once is enough."),
    )
    required = models.BooleanField(
        _("required for new ambassadors"),
        default=False,
        help_text=_("New ambassadors should have had it before they are marked trained."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("training topic")
        verbose_name_plural = _("training topics")
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="training_topic_unique_name")]

    def __str__(self) -> str:
        return self.name


class Training(TimeStampedModel):
    """A training session for ambassadors; their profiles record which ones they attended."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("area"))
    # Empty for sessions from before topics existed: they still count as attended, for no topic.
    topic = models.ForeignKey(
        TrainingTopic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name=_("topic"),
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-held_on", "title"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d.%m.%Y})"

    def clean(self) -> None:
        if self.topic_id is not None and self.topic.area_id != self.area_id:
            raise ValidationError({"topic": _("Choose a topic of this area.")})


def new_pseudonym() -> str:
    return secrets.token_hex(16)


class AmbassadorQuerySet(models.QuerySet):
    def active(self) -> "AmbassadorQuerySet":
        return self.filter(status=Ambassador.Status.ACTIVE)


class Ambassador(TimeStampedModel):
    """Naboambassadør: a volunteer's profile in one area (a person may volunteer in two areas)."""

    class Status(models.TextChoices):
        # Accepted and trained are the onboarding stages (apps.corps): the person has an account and may be
        # invited to trainings and meetings, but proposals only ever pick active ambassadors.
        ACCEPTED = "accepted", _("Accepted")
        TRAINED = "trained", _("Trained")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        LEFT = "left", _("Left")

    class LeftReason(models.TextChoices):
        MOVED = "moved", _("Moved away")
        NO_TIME = "no_time", _("No time (work, studies, family)")
        HEALTH = "health", _("Health")
        ROLE = "role", _("The role did not suit them")
        BECAME_STAFF = "became_staff", _("Got a job in the area")
        OTHER = "other", _("Other")

    class RecruitedVia(models.TextChoices):
        PERSONAL_REQUEST = "personal_request", _("Personal request")
        POSTER_ADVERT = "poster_advert", _("Poster or advert")
        INFORMATION_MEETING = "information_meeting", _("Information meeting")
        WEB_FORM = "web_form", _("The public page")
        OTHER = "other", _("Other")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassador_profiles", verbose_name=_("user")
    )
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="ambassadors", verbose_name=_("area"))
    # Where the ambassador lives: gives the home entrance and estate ("a neighbour from your stairwell")
    # and keeps them from being assigned to their own household.
    home_tenancy = models.ForeignKey(
        Tenancy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home"),
    )
    covered_estates = models.ManyToManyField(
        Estate, blank=True, related_name="covering_ambassadors", verbose_name=_("estates covered")
    )
    covered_entrances = models.ManyToManyField(
        Entrance, blank=True, related_name="covering_ambassadors", verbose_name=_("entrances covered")
    )
    # ISO 639-1 codes, e.g. ["da", "ar"].
    languages = models.JSONField(_("languages"), default=list, blank=True)
    visits_per_month = models.PositiveSmallIntegerField(_("visits a month"), default=4)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_since = models.DateField(_("status since"), default=timezone.localdate)
    started_on = models.DateField(_("started"), default=timezone.localdate)
    recruited_via = models.CharField(
        _("recruited via"), max_length=30, choices=RecruitedVia.choices, default=RecruitedVia.OTHER
    )
    trainings = models.ManyToManyField(
        Training, blank=True, related_name="ambassadors", verbose_name=_("training sessions attended")
    )
    strengths = models.TextField(_("strengths and interests"), blank=True)
    # What the coordinator knows; the dual role is also derived from a board membership in the area.
    sits_on_board = models.BooleanField(_("sits on a tenant board"), default=False)
    # The business card always shows the name; everything else only if the ambassador opts in.
    card_show_photo = models.BooleanField(_("show my photo on my card"), default=False)
    card_show_phone = models.BooleanField(_("show my phone number on my card"), default=False)
    card_show_languages = models.BooleanField(_("show my languages on my card"), default=False)
    photo = models.ImageField(_("photo"), upload_to="ambassadors/", null=True, blank=True)
    # A random stand-in, copied onto a visit when the visit's link to the ambassador is removed (retention,
    # erasure), so "ambassadors who visited" still counts each person once. Replaced when the ambassador's
    # data is erased: their old visits then lead to nobody.
    pseudonym = models.CharField(max_length=32, default=new_pseudonym, editable=False)

    objects = AmbassadorQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name"]
        verbose_name = _("ambassador")
        verbose_name_plural = _("ambassadors")
        constraints = [
            models.UniqueConstraint(fields=["user", "area"], name="ambassador_unique_user_area"),
            models.CheckConstraint(condition=Q(visits_per_month__lte=100), name="ambassador_sane_capacity"),
        ]
        indexes = [models.Index(fields=["area", "status"], name="ambassador_area_status_idx")]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class AmbassadorStatusChange(models.Model):
    """One dated step in an ambassador's life in the corps (accepted, trained, active, paused, left), so the
    corps' health can be drawn over time and departures counted with their reasons. Written by
    `ambassador_set_status` and `ambassador_create`; an ambassador with no rows (made before the history
    existed, or directly in tests) counts as active from `started_on`, in their status from `status_since`."""

    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("ambassador")
    )
    status = models.CharField(_("status"), max_length=10, choices=Ambassador.Status.choices)
    on = models.DateField(_("from"))
    reason = models.CharField(_("reason"), max_length=20, choices=Ambassador.LeftReason.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(reason="") | Q(status="left"), name="ambassador_status_change_reason_only_when_left"
            ),
        ]
        # An ambassador's history in order; the corps' health reads an area's changes by date.
        indexes = [models.Index(fields=["ambassador", "on"], name="ambassador_status_change_idx")]

    def __str__(self) -> str:
        return f"{self.ambassador} · {self.get_status_display()} ({self.on:%d.%m.%Y})"


class VisitQuerySet(models.QuerySet):
    def open(self) -> "VisitQuerySet":
        return self.filter(status=Visit.Status.OPEN)

    def closed(self) -> "VisitQuerySet":
        return self.filter(status=Visit.Status.CLOSED)

    def overdue(self, today: date) -> "VisitQuerySet":
        return self.open().filter(due_date__lt=today)

    def waiting(self) -> "VisitQuerySet":
        """Open visits nobody holds: new, or returned after a language barrier."""
        return self.open().filter(ambassador__isnull=True)


class Visit(TimeStampedModel):
    """Velkomstbesøg: the welcome visit to one newcomer household.

    Open while someone is (or should be) trying; closed with a reason. `ambassador` null means the visit
    waits for an ambassador — at first, or after a language barrier (then `needs_language` says which).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class CloseReason(models.TextChoices):
        CONTACT = "contact", _("Met the newcomer")
        FOLDER_LEFT = "folder_left", _("Folder left in the mailbox")
        NOT_HOME_LIMIT = "not_home_limit", _("Not at home, no more tries")
        DECLINED = "declined", _("Declined")
        MOVED_AWAY = "moved_away", _("Moved away or wrong address")

    # Denormalised from newcomer → tenancy → estate → area when the visit is created: every list and
    # figure is per area, and the policy asks "is this the coordinator of the visit's area?" without joins.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="visits", verbose_name=_("area"))
    # Copied from the newcomer too, so the overview counts an area's visits by estate and move-in month
    # from this table alone. A newcomer's tenancy never changes; its move-in date only when a later list
    # corrects it, and then visits_move_in_follow updates this copy.
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="visits", verbose_name=_("estate"))
    move_in_date = models.DateField(_("move-in date"))
    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="visits", verbose_name=_("newcomer"))
    ambassador = models.ForeignKey(
        Ambassador,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("ambassador"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    due_date = models.DateField(_("due"))
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(_("outcome"), max_length=20, choices=CloseReason.choices, blank=True)
    folder_delivered = models.BooleanField(_("folder delivered"), default=False)
    contact_made = models.BooleanField(_("met the newcomer"), default=False)
    # Days from move-in to the first meeting (local date); kept so the overview's median and
    # "within 14/30 days" shares are plain aggregates over one column.
    days_to_contact = models.SmallIntegerField(_("days from move-in to contact"), null=True, blank=True)
    # Set after a language-barrier attempt: the next ambassador should speak this language (ISO 639-1).
    needs_language = models.CharField(_("needs an ambassador who speaks"), max_length=10, blank=True)
    # The only free text: what the newcomer asked staff to contact them about. Nothing else is written down.
    staff_request = models.TextField(_("asks to be contacted by staff about"), blank=True, max_length=500)
    # Set when the details were removed (retention or an erasure request): who went, the attempts and the
    # staff request. The outcome, dates and flags stay for the figures.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # The ambassador's pseudonym once `ambassador` is removed (see Ambassador.pseudonym).
    visitor_pseudonym = models.CharField(max_length=32, blank=True, editable=False)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(
                fields=["newcomer"],
                condition=Q(status="open"),
                name="visit_one_open_per_newcomer",
                violation_error_message=_("This newcomer already has an open visit."),
            ),
            models.CheckConstraint(
                condition=(Q(status="open", closed_at__isnull=True, close_reason=""))
                | (Q(status="closed", closed_at__isnull=False) & ~Q(close_reason="")),
                name="visit_closed_has_reason",
            ),
        ]
        indexes = [
            # "My visits": one ambassador's open visits by due date, and the recently closed ones.
            models.Index(fields=["ambassador", "status", "due_date"], name="visit_mine_idx"),
            # Coordinator lists and the overview: an area's visits by status, overdue ones by due date.
            models.Index(fields=["area", "status", "due_date"], name="visit_area_status_due_idx"),
            # The overview: an area's visits of newcomers who moved in within a period.
            models.Index(fields=["area", "move_in_date"], name="visit_area_move_in_idx"),
            # Capacity: visits assigned to an ambassador this calendar month.
            models.Index(fields=["ambassador", "assigned_at"], name="visit_ambassador_assigned_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.newcomer} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_date < today


class Attempt(models.Model):
    """One try at a visit: who went, when, and what happened at the door."""

    class Outcome(models.TextChoices):
        MET_TALKED = "met_talked", _("Met and talked")
        MET_BRIEFLY = "met_briefly", _("Met briefly at the door")
        NOT_HOME_FOLDER_LEFT = "not_home_folder_left", _("Not at home — folder and card left in the mailbox")
        NOT_HOME_NOTHING_LEFT = "not_home_nothing_left", _("Not at home — nothing left")
        LANGUAGE_BARRIER = "language_barrier", _("We did not share a language")
        DECLINED = "declined", _("Declined the visit")
        MOVED_AWAY = "moved_away", _("Moved away or wrong address")

    MET = frozenset({Outcome.MET_TALKED, Outcome.MET_BRIEFLY})
    NOT_HOME = frozenset({Outcome.NOT_HOME_FOLDER_LEFT, Outcome.NOT_HOME_NOTHING_LEFT})

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("visit"))
    ambassador = models.ForeignKey(
        Ambassador,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attempts",
        verbose_name=_("ambassador"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visit_attempts",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices)
    do_not_contact = models.BooleanField(_("do not contact again"), default=False)
    # The day of the visit when a coordinator entered it later (from paper or a phone call); None: the
    # day it was recorded.
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    # The language the newcomer speaks, as learned at the door (ISO 639-1); empty when not given.
    language = models.CharField(_("language learned at the door"), max_length=10, blank=True)
    # Made by the phone for each outcome form (crypto.randomUUID): an outcome queued offline and sent
    # again after a lost answer, a restart or from a stale tab is recognised and recorded once.
    client_key = models.UUIDField(_("key from the phone"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            # The backstop for two requests with one key at once; the service answers "already recorded".
            models.UniqueConstraint(
                fields=["recorded_by", "client_key"],
                condition=Q(client_key__isnull=False),
                name="attempt_unique_client_key",
            ),
        ]
        indexes = [models.Index(fields=["visit", "recorded_at"], name="attempt_visit_recorded_idx")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.day:%d.%m.%Y})"

    @property
    def day(self) -> date:
        """The day of the visit: the one given when entered later, else the day it was recorded."""
        return self.visited_on or timezone.localdate(self.recorded_at)

    @property
    def entered_for_ambassador(self) -> bool:
        """Entered by someone else (a coordinator) on behalf of the ambassador holding the visit."""
        return self.ambassador is not None and self.recorded_by_id != self.ambassador.user_id


class Referral(TimeStampedModel):
    """A newcomer's interest in an activity, noted on a visit, for the coordinator to follow up."""

    class Status(models.TextChoices):
        NEW = "new", _("To follow up")
        FOLLOWED_UP = "followed_up", _("Followed up")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("visit"))
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("activity")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("followed up by"),
    )

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(fields=["visit", "activity"], name="referral_unique_visit_activity"),
        ]
        indexes = [models.Index(fields=["activity", "status"], name="referral_activity_status_idx")]

    def __str__(self) -> str:
        return f"{self.activity} · {self.get_status_display()}"


class SupportConversation(TimeStampedModel):
    """A coordinator's brief note of a regular support conversation with one ambassador: what they are
    good at, what interests them and the shape of the role they want.

    Personal data about a volunteer, for the coordinators of the ambassador's area only: never shown to the
    ambassador, the board or an interviewer, nor counted in any figure or export (see SECURITY.md)."""

    class Phone(models.TextChoices):
        GIVES = "gives", _("Gives out their phone number")
        NOT = "not", _("Does not give out their phone number")

    # Notes are short on purpose: a few lines, not a file on the person.
    NOTE_MAX_LENGTH = 1000
    TEXT_MAX_LENGTH = 500

    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="support_conversations", verbose_name=_("ambassador")
    )
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    strengths = models.CharField(_("strengths"), max_length=TEXT_MAX_LENGTH, blank=True)
    interests = models.CharField(_("interests"), max_length=TEXT_MAX_LENGTH, blank=True)
    visits_per_month_wanted = models.PositiveSmallIntegerField(_("visits a month wanted"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=10, choices=Phone.choices, blank=True)
    # ISO 639-1 codes the ambassador wants to visit in, e.g. ["da", "ar"].
    languages = models.JSONField(_("languages"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    next_on = models.DateField(_("next conversation"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("support conversation")
        verbose_name_plural = _("support conversations")
        constraints = [
            models.CheckConstraint(
                condition=Q(visits_per_month_wanted__lte=100), name="support_conversation_sane_visits"
            ),
            models.CheckConstraint(
                condition=Q(next_on__isnull=True) | Q(next_on__gte=models.F("held_on")),
                name="support_conversation_next_after_held",
                violation_error_message=_("The next conversation cannot be before this one."),
            ),
        ]
        # One ambassador's notes, newest first; and the ambassador list's "last conversation".
        indexes = [models.Index(fields=["ambassador", "-held_on"], name="support_ambassador_held_idx")]

    def __str__(self) -> str:
        return f"{self.ambassador} · {self.held_on:%d.%m.%Y}"


class LaterContact(models.Model):
    """The newcomer contacted their ambassador again after a visit where they met: one row per contact,
    with a topic from a short list and the day — no free text, nothing about the home or the household.
    Counted so the programme can show how many relationships continue after the visit."""

    class Topic(models.TextChoices):
        HOME = "home", _("Practical help in the home")
        ACTIVITY = "activity", _("An activity")
        AREA = "area", _("The area and its rules")
        PERSONAL = "personal", _("A personal matter")
        OTHER = "other", _("Something else")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="later_contacts", verbose_name=_("visit"))
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    contacted_on = models.DateField(_("contacted on"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("contact after the visit")
        verbose_name_plural = _("contacts after the visit")
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__in=["home", "activity", "area", "personal", "other"]),
                name="later_contact_known_topic",
            ),
        ]
        # The figures: an area's visits with contacts, by topic; "Newcomers you have met": per visit.
        indexes = [models.Index(fields=["visit", "recorded_at"], name="later_contact_visit_idx")]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} ({self.contacted_on:%d.%m.%Y})"
