"""The newcomer survey (tilflytterundersøgelse): a question bank, surveys per area and move-in period, the
channels newcomers answer through (personal link, QR code, phone interview, an outside firm's file), and
their answers.

Answers are stored apart from identities. `Response` and `Answer` hold no name, phone or newcomer; the
link from a response to the newcomer (and to the invitation it came through) is a separate row,
`ResponseLink`, which a scheduled task deletes once the response's contact group is settled
(`surveys_settle_groups`). From then on the answers are pseudonymous: the identity side (`Invitation`,
`CallAttempt`) still says *that* a newcomer answered, for the funnel, but nothing says *what*.
"""

import datetime
import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.core.jobs import Job
from apps.core.models import TimeStampedModel
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, Estate, HousingOrganisation

# The languages questions are written in (Arabic right to left: apps.core.bidi).
SURVEY_LANGUAGES = ("da", "en", "ar", "tr")

# The answer codes of a yes/no/don't know question, and how the 1–7 scale is grouped in the analysis.
YES, NO, DONT_KNOW = "yes", "no", "dont_know"
YES_NO_DONTKNOW = (YES, NO, DONT_KNOW)
SAFE, NEUTRAL, UNSAFE = "safe", "neutral", "unsafe"
SCALE_GROUPS = (SAFE, NEUTRAL, UNSAFE)

# The standard bank's stable codes (installed by migration 0002); imports and reports use them.
STANDARD_CODES = (
    "ambassador_contact",
    "happy_living_here",
    "feel_welcome",
    "joined_activities",
    "safety_scale",
    "trust_neighbours",
    "received_folder",
    "looked_at_folder",
    "folder_useful",
)
CONTACT_QUESTION = "ambassador_contact"


class Question(models.Model):
    """One question of the bank. Standard questions have no area; a coordinator's own belong to their area."""

    class Kind(models.TextChoices):
        YES_NO_DONTKNOW = "yes_no_dontknow", _("Yes / no / don't know")
        SCALE_1_7 = "scale_1_7", _("Scale 1–7")
        ONE_CHOICE = "one_choice", _("One choice")
        SHORT_TEXT = "short_text", _("Short text")

    code = models.SlugField(
        _("code"), max_length=50, unique=True, help_text=_("Stable name used in imports and reports.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # {"da": "…", "en": "…", "ar": "…", "tr": "…"}; Danish is required.
    texts = models.JSONField(_("texts"), default=dict)
    # For one choice: [{"code": "bus", "texts": {"da": "Bus", …}}, …]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    # Asked only when the answer to `depends_on` is `depends_value` (e.g. looked_at_folder needs received_folder=yes).
    depends_on = models.CharField(_("asked only after"), max_length=50, blank=True)
    depends_value = models.CharField(_("… was answered"), max_length=50, blank=True)
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="survey_questions", verbose_name=_("area")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["area_id", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(depends_on="", depends_value="") | (~Q(depends_on="") & ~Q(depends_value="")),
                name="question_condition_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_standard(self) -> bool:
        return self.area_id is None

    def text(self, language: str) -> str:
        return self.texts.get(language) or self.texts.get("da") or self.code

    @property
    def shown_text(self) -> str:
        """The question as a coordinator reads it, in the page's language (its code is for imports only)."""
        return self.text(translation.get_language() or "da")

    def answer_codes(self) -> tuple[str, ...]:
        """The values a stored answer may have (short text: any)."""
        if self.kind == self.Kind.YES_NO_DONTKNOW:
            return YES_NO_DONTKNOW
        if self.kind == self.Kind.SCALE_1_7:
            return tuple(str(n) for n in range(1, 8))
        if self.kind == self.Kind.ONE_CHOICE:
            return tuple(choice["code"] for choice in self.choices)
        return ()

    def percent_keys(self) -> tuple[str, ...]:
        """The keys of the analysis' distribution: answer codes, or safe/neutral/unsafe for the scale."""
        if self.kind == self.Kind.SCALE_1_7:
            return SCALE_GROUPS
        return self.answer_codes()


class SurveyQuerySet(models.QuerySet):
    def running_on(self, day: date) -> "SurveyQuerySet":
        return self.filter(opens_on__lte=day, closes_on__gte=day)


def _qr_token() -> str:
    return secrets.token_urlsafe(12)


class SurveyRound(models.Model):
    """A round of the newcomer survey across several areas: the same standard questions for the newcomers
    who moved in during the same period, made by a housing organisation's programme lead so the areas'
    answers can be pooled (as the evaluation pooled five areas because each alone had too few). Each area
    keeps running its own survey in the round (links, reminders, calls, the firm's import)."""

    organisation = models.ForeignKey(
        HousingOrganisation,
        on_delete=models.PROTECT,
        related_name="survey_rounds",
        verbose_name=_("housing organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("moved in from"))
    period_end = models.DateField(_("moved in until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="survey_round_period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Survey(models.Model):
    """A survey of the newcomers who moved into an area in a period, open for answers from `opens_on`
    to `closes_on` (both included)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("area"))
    # The round across areas this survey is the area's part of, if any (one survey per area and round).
    round = models.ForeignKey(
        SurveyRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("round"),
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("moved in from"))
    period_end = models.DateField(_("moved in until"))
    opens_on = models.DateField(_("open for answers from"))
    closes_on = models.DateField(_("open for answers until"))
    questions = models.ManyToManyField(Question, through="SurveyQuestion", related_name="surveys")
    max_call_attempts = models.PositiveSmallIntegerField(
        _("call attempts per newcomer"), default=5, help_text=_("How many times an interviewer tries to call.")
    )
    # The QR code on the welcome folder's back page: anyone holding the folder may answer, anonymously.
    qr_token = models.CharField(max_length=32, unique=True, default=_qr_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="survey_period_order"),
            models.UniqueConstraint(fields=["round", "area"], name="survey_one_per_area_and_round"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="survey_open_order"),
            models.CheckConstraint(
                condition=Q(max_call_attempts__gte=1, max_call_attempts__lte=20), name="survey_sane_call_attempts"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_running(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.opens_on <= day <= self.closes_on

    def status(self, day: date | None = None) -> str:
        day = day or timezone.localdate()
        if day < self.opens_on:
            return "draft"
        return "running" if day <= self.closes_on else "closed"


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="survey_questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "question"], name="surveyquestion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.question_id}"


class Invitation(models.Model):
    """One newcomer's place in one survey: the personal link sent to them, and the interviewer's calls.

    Only a hash of the link's token is stored. The token itself is an HMAC of the row's random nonce under
    the site's secret key, so a reminder can send the same link again, and neither the database nor the
    key alone makes a working link.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone call only")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="survey_invitations")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    nonce = models.CharField(max_length=64, default=secrets.token_hex, editable=False)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    opened_at = models.DateTimeField(_("link opened"), null=True, blank=True)
    # Set once, by a conditional UPDATE, when the newcomer's answers are complete (by link or by phone):
    # the link stops working and the newcomer leaves every call and reminder list.
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "newcomer"], name="surveyinvitation_one_per_newcomer"),
            models.CheckConstraint(condition=Q(reminders_sent__lte=2), name="surveyinvitation_two_reminders"),
        ]
        # The reminder job: sent, unanswered invitations by when they were last nudged.
        indexes = [models.Index(fields=["survey", "answered_at", "sent_at"], name="surveyinv_survey_state_idx")]

    def __str__(self) -> str:
        return f"{self.survey} · {self.newcomer_id}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def state(self, now=None, final_outcome: str = "") -> str:
        now = now or timezone.now()
        if self.answered_at:
            return "answered"
        if final_outcome:
            return final_outcome
        if self.opened_at:
            return "opened"
        if self.expires_at <= now:
            return "expired"
        if self.reminders_sent:
            return "reminded"
        return "sent" if self.sent_at else "waiting"


class CallAttempt(models.Model):
    """One phone call by an interviewer to an invited newcomer."""

    class Outcome(models.TextChoices):
        NO_ANSWER = "no_answer", _("No answer")
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        REFUSED = "refused", _("Refused")
        NOT_MOVED_IN = "not_moved_in", _("Has not moved in")
        MOVED_AWAY = "moved_away", _("Has moved away")
        COMPLETED = "completed", _("Interview completed")

    # After one of these nobody calls again (in the order pages list them).
    FINAL_ORDER = ("refused", "not_moved_in", "moved_away", "wrong_number", "completed")
    FINAL = frozenset(FINAL_ORDER)
    # The newcomer was reached (someone answered the phone who could say yes or no).
    REACHED = frozenset({"refused", "not_moved_in", "moved_away", "completed"})

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="call_attempts")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_calls", verbose_name=_("interviewer")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    called_at = models.DateTimeField(_("called"), default=timezone.now)

    class Meta:
        ordering = ["called_at", "pk"]
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")
        indexes = [models.Index(fields=["invitation", "called_at"], name="callattempt_invitation_idx")]

    def __str__(self) -> str:
        return self.get_outcome_display()


class Response(models.Model):
    """One respondent's answers to one survey. Holds no identity: see `ResponseLink`."""

    class Source(models.TextChoices):
        PERSONAL_LINK = "personal_link", _("Personal link")
        QR = "qr", _("QR code")
        INTERVIEW = "interview", _("Phone interview")
        IMPORT = "import", _("Imported")

    class Group(models.TextChoices):
        CONTACT = "contact", _("Had ambassador contact")
        NO_CONTACT = "no_contact", _("No ambassador contact")
        UNKNOWN = "unknown", _("Unknown")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    language = models.CharField(_("language"), max_length=10, default="da")
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    # Set when the respondent reached the end; partial answers of those who stopped are kept (drop-out).
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # The date the answers were given (the interview date for imports): the period filter of the dashboards.
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    # The last question answered, so drop-out is visible per question.
    last_question = models.CharField(max_length=50, blank=True)
    # The outside firm's reference; re-importing it updates this response.
    respondent_ref = models.CharField(_("respondent reference"), max_length=100, blank=True)
    # The estate (never the dwelling) for the board's per-estate figures; survives cutting the link.
    estate = models.ForeignKey(Estate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Empty until settled; then fixed, and the link to the newcomer is deleted.
    group = models.CharField(_("group"), max_length=20, choices=Group.choices, blank=True)
    group_settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent_ref"], condition=~Q(respondent_ref=""), name="response_unique_ref"
            ),
            models.CheckConstraint(
                condition=Q(group="") | Q(group_settled_at__isnull=False), name="response_group_settled_at"
            ),
        ]
        indexes = [models.Index(fields=["survey", "completed_at"], name="response_survey_completed_idx")]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class ResponseLink(models.Model):
    """The only tie between a response and a person; deleted once the group is settled.

    One response per invitation is a database constraint: two submissions of the same link at once
    cannot both start a response.
    """

    response = models.OneToOneField(Response, on_delete=models.CASCADE, primary_key=True, related_name="link")
    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="+")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="response_link"
    )

    class Meta:
        verbose_name = _("response link")
        verbose_name_plural = _("response links")

    def __str__(self) -> str:
        return f"{self.response_id}"


class Answer(models.Model):
    """One answer. An empty value means the respondent skipped the question (excluded from figures)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value}"


# --- The round's report as a PDF (issue 18) -----------------------------------------------------------------


def _round_report_path(report: "RoundReport", filename: str) -> str:
    # An unguessable name: served only through the permission-checked download view.
    return f"round-reports/{report.round_id}/{secrets.token_hex(8)}-{filename}"


class RoundReport(TimeStampedModel, Job):
    """One request for a round's report (a Danish PDF laid out like the evaluation's results chapter), made
    in the background. Asking again makes a new row (answers keep coming in); only one per round may be
    waiting or running at a time."""

    round = models.ForeignKey(
        SurveyRound, on_delete=models.CASCADE, related_name="reports", verbose_name=_("survey round")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # Progress: the report is made in steps (the analysis, one chart per question, the PDF itself).
    steps_done = models.PositiveSmallIntegerField(_("steps done"), default=0)
    steps_total = models.PositiveSmallIntegerField(_("steps"), default=0)
    pdf = models.FileField(_("PDF"), upload_to=_round_report_path, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("round report")
        verbose_name_plural = _("round reports")
        constraints = [
            # Two clicks or two tabs: one report is made, the other finds it.
            models.UniqueConstraint(
                fields=["round"], condition=Q(status__in=["queued", "running"]), name="roundreport_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} ({self.get_status_display()})"

    @classmethod
    def stale_after(cls) -> datetime.timedelta:
        return datetime.timedelta(minutes=30)

    def progress(self) -> tuple[int, int] | None:
        return (self.steps_done, self.steps_total) if self.steps_total else None
