"""The ambassador corps around the profiles in apps.visits: recruiting candidates, onboarding, training,
recognition and the corps' health. An ambassador's status and its dated history live on the profile
(`Ambassador.status`, `AmbassadorStatusChange`); this app adds what comes before and around it."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import Message, TimeStampedModel
from apps.organisation.models import Area, Entrance
from apps.visits.models import Ambassador

# --- Recognition (issue 17 point 5) ------------------------------------------------------------------------


DEFAULT_VISIT_MILESTONES = "10, 25, 50, 100"


def milestones_parse(text: str) -> list[int]:
    """ "10, 25, 50" → [10, 25, 50]: whole numbers from 1 to 10000, sorted, each once; ValueError otherwise."""
    numbers = {int(part) for part in text.replace(";", ",").split(",") if part.strip()}
    if any(n < 1 or n > 10_000 for n in numbers):
        raise ValueError(text)
    return sorted(numbers)


def validate_milestones(text: str) -> None:
    try:
        milestones_parse(text)
    except ValueError:
        raise ValidationError(_("Give the numbers of visits separated by commas, e.g. 10, 25, 50, 100.")) from None


class RecognitionSettings(TimeStampedModel):
    """How an area thanks its ambassadors. An area without a row has the defaults: thank-yous on, after
    10, 25, 50 and 100 visits and on each anniversary."""

    area = models.OneToOneField(
        Area, on_delete=models.CASCADE, related_name="recognition_settings", verbose_name=_("area")
    )
    thank_yous = models.BooleanField(_("send thank-you messages"), default=True)
    # The day thank-yous were last switched on: milestones reached before it are never thanked, so switching
    # on does not send a backlog. None: on since the feature came (only the last days count then).
    thank_yous_since = models.DateField(_("thank-yous on since"), null=True, blank=True)
    visit_milestones = models.CharField(
        _("after this many visits"),
        max_length=100,
        default=DEFAULT_VISIT_MILESTONES,
        blank=True,
        validators=[validate_milestones],
        help_text=_("Numbers separated by commas. Empty: no thank-you for visits."),
    )
    anniversaries = models.BooleanField(_("on each anniversary as an ambassador"), default=True)

    class Meta:
        verbose_name = _("recognition settings")
        verbose_name_plural = _("recognition settings")

    def __str__(self) -> str:
        return str(self.area)

    @property
    def milestones(self) -> list[int]:
        try:
            return milestones_parse(self.visit_milestones)
        except ValueError:
            return []


class ThankYou(models.Model):
    """A thank-you an ambassador was sent: after `milestone` visits, or on their `milestone`-th anniversary.
    Unique, so the daily job thanks each milestone once however often it runs."""

    class Kind(models.TextChoices):
        VISITS = "visits", _("Visits")
        ANNIVERSARY = "anniversary", _("Anniversary")

    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="thank_yous", verbose_name=_("ambassador")
    )
    kind = models.CharField(_("for"), max_length=20, choices=Kind.choices)
    milestone = models.PositiveSmallIntegerField(_("milestone"))
    sent_at = models.DateTimeField(_("sent"))
    # None: the ambassador has neither phone nor e-mail; the milestone still counts as thanked.
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("message")
    )

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("thank-you")
        verbose_name_plural = _("thank-yous")
        constraints = [
            models.UniqueConstraint(fields=["ambassador", "kind", "milestone"], name="thank_you_once_per_milestone"),
        ]

    def __str__(self) -> str:
        return f"{self.ambassador} · {self.get_kind_display()} {self.milestone}"


# --- Recruitment and onboarding (issue 17, points 1 and 2) ----------------------------------------------


class CandidateQuerySet(models.QuerySet):
    def about_person(self, user) -> "CandidateQuerySet":
        """Rows about this person: linked to their account or profile, or with their e-mail or mobile number
        (what a person's export shows and their erasure deletes)."""
        person = Q(user=user) | Q(ambassador__user=user)
        if user.email:
            person |= Q(email__iexact=user.email)
        if user.phone:
            person |= Q(phone=user.phone)
        return self.filter(person)


class Candidate(TimeStampedModel):
    """A resident who may become a naboambassadør: from the public page or met by the coordinator.

    Personal data seen only by the area's coordinators (every page that shows it is logged). Accepting a
    candidate invites them as an ambassador; `ambassador` is set once their profile exists. Deleted by the
    nightly retention run when they did not continue, or were never accepted for CANDIDATE_KEEP_MONTHS."""

    class Stage(models.TextChoices):
        INTERESTED = "interested", _("Interested")
        INTRO_TALK = "intro_talk", _("Intro talk held")
        ACCEPTED = "accepted", _("Accepted")
        NOT_CONTINUING = "not_continuing", _("Did not continue")

    class Channel(models.TextChoices):
        # The recruitment channels of the profile, and the public page.
        PERSONAL_REQUEST = (
            Ambassador.RecruitedVia.PERSONAL_REQUEST.value,
            Ambassador.RecruitedVia.PERSONAL_REQUEST.label,
        )
        POSTER_ADVERT = Ambassador.RecruitedVia.POSTER_ADVERT.value, Ambassador.RecruitedVia.POSTER_ADVERT.label
        INFORMATION_MEETING = (
            Ambassador.RecruitedVia.INFORMATION_MEETING.value,
            Ambassador.RecruitedVia.INFORMATION_MEETING.label,
        )
        WEB_FORM = Ambassador.RecruitedVia.WEB_FORM.value, Ambassador.RecruitedVia.WEB_FORM.label
        OTHER = Ambassador.RecruitedVia.OTHER.value, Ambassador.RecruitedVia.OTHER.label

    class StopReason(models.TextChoices):
        NO_REPLY = "no_reply", _("Did not answer")
        CHANGED_MIND = "changed_mind", _("Changed their mind")
        NO_TIME = "no_time", _("No time now")
        ROLE = "role", _("The role did not suit them")
        OTHER = "other", _("Other")

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("area"))
    full_name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    # E.164, normalised like every phone number (apps.core.phones).
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    entrance = models.ForeignKey(
        Entrance, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("entrance")
    )
    # ISO 639-1 codes from apps.visits.models.LANGUAGE_CHOICES.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    motivation = models.TextField(_("a few words on why"), max_length=1000, blank=True)
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.INTERESTED)
    stop_reason = models.CharField(_("reason"), max_length=20, choices=StopReason.choices, blank=True)
    interested_on = models.DateField(_("interested since"), default=timezone.localdate)
    intro_talk_on = models.DateField(_("intro talk held"), null=True, blank=True)
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    # When the person ticked the consent box on the public page (null: entered by the coordinator).
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    # The account the invitation went to when accepted; the profile follows once they have the role
    # (at once for a new person, after they accept for someone who already has an account elsewhere).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidacies",
        verbose_name=_("account"),
    )
    ambassador = models.OneToOneField(
        Ambassador,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate",
        verbose_name=_("ambassador profile"),
    )
    note = models.TextField(_("note"), max_length=500, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["interested_on", "pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="candidate_has_contact"),
            # The same person never twice in one area (the public form answers a duplicate like a success).
            models.UniqueConstraint(
                "area", Lower("email"), condition=~Q(email=""), name="candidate_unique_email_in_area"
            ),
            models.UniqueConstraint(fields=["area", "phone"], condition=~Q(phone=""), name="candidate_unique_phone"),
            models.CheckConstraint(
                condition=~Q(channel="web_form") | Q(consent_at__isnull=False), name="candidate_web_form_consent"
            ),
            models.CheckConstraint(
                condition=(Q(stage="not_continuing") & ~Q(stop_reason=""))
                | (~Q(stage="not_continuing") & Q(stop_reason="")),
                name="candidate_reason_when_stopped",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=["interested", "intro_talk"], decided_on__isnull=True)
                | Q(stage__in=["accepted", "not_continuing"], decided_on__isnull=False),
                name="candidate_decided_on_when_decided",
            ),
            models.CheckConstraint(
                condition=~Q(stage="intro_talk") | Q(intro_talk_on__isnull=False), name="candidate_intro_talk_dated"
            ),
            models.CheckConstraint(
                condition=Q(ambassador__isnull=True) | Q(stage="accepted"), name="candidate_profile_when_accepted"
            ),
        ]
        # The board reads an area's candidates by stage.
        indexes = [models.Index(fields=["area", "stage"], name="candidate_area_stage_idx")]

    def __str__(self) -> str:
        return f"{self.full_name} · {self.get_stage_display()}"

    @property
    def stage_since(self) -> datetime.date:
        """The day the candidate reached their stage."""
        if self.stage == self.Stage.INTRO_TALK:
            return self.intro_talk_on
        return self.decided_on or self.interested_on

    @property
    def awaits_invitation(self) -> bool:
        """Accepted, but the person (who has an account elsewhere) has not said yes to the area yet."""
        return self.stage == self.Stage.ACCEPTED and self.ambassador_id is None


class Onboarding(TimeStampedModel):
    """A new ambassador's first steps, each dated when ticked, and their mentor."""

    ambassador = models.OneToOneField(
        Ambassador, on_delete=models.CASCADE, related_name="onboarding", verbose_name=_("ambassador")
    )
    intro_talk_on = models.DateField(_("intro talk held"), null=True, blank=True)
    expectations_on = models.DateField(_("expectations agreed"), null=True, blank=True)
    first_visit_on = models.DateField(_("first visit done together"), null=True, blank=True)
    first_visit_with = models.ForeignKey(
        Ambassador,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first visit together with"),
    )
    business_card_on = models.DateField(_("business card ready"), null=True, blank=True)
    # An active ambassador of the same area (checked in the service): someone to call with questions.
    mentor = models.ForeignKey(
        Ambassador,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentees",
        verbose_name=_("mentor"),
    )

    STEPS = ("intro_talk_on", "expectations_on", "first_visit_on", "business_card_on")

    class Meta:
        verbose_name = _("first steps")
        verbose_name_plural = _("first steps")
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=F("ambassador")), name="onboarding_mentor_not_self"),
            models.CheckConstraint(
                condition=~Q(first_visit_with=F("ambassador")), name="onboarding_first_visit_not_alone"
            ),
        ]

    def __str__(self) -> str:
        return str(self.ambassador)

    @property
    def steps_done(self) -> int:
        return sum(1 for step in self.STEPS if getattr(self, step))
