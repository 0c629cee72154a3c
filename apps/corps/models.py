"""The ambassador corps around the profiles in apps.visits: recruiting candidates, onboarding, training,
recognition and the corps' health. An ambassador's status and its dated history live on the profile
(`Ambassador.status`, `AmbassadorStatusChange`); this app adds what comes before and around it."""

# --- Recognition (issue 17 point 5) ------------------------------------------------------------------------

from django.core.exceptions import ValidationError  # noqa: E402
from django.db import models  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from apps.core.models import Message, TimeStampedModel  # noqa: E402
from apps.organisation.models import Area  # noqa: E402
from apps.visits.models import Ambassador  # noqa: E402

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
