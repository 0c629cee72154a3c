"""The access log: who saw or exported whose personal data, and when.

Append-only. The models refuse updates and deletes, and a database trigger (installed by the first
migration, on PostgreSQL and SQLite) refuses them too, so not even a bug or the admin can rewrite history.
Entries hold ids, never the personal data itself: erasing a newcomer leaves the log meaningful and clean.
So a search is stored as what kind of thing was searched for (a name, a phone number…), never the text,
and the address of a page is stored without its query string.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The access log is append-only.")

    def delete(self):
        raise AppendOnlyError("The access log is append-only.")


class AccessLogEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        ERASE = "erase", _("Erased")

    class SubjectKind(models.TextChoices):
        NEWCOMER = "newcomer", _("Newcomer")
        PERSON = "person", _("Volunteer or staff member")
        CANDIDATE = "candidate", _("Candidate ambassador")

    class Search(models.TextChoices):
        """What a search on the page looked for, never the text typed (see `search_category`)."""

        NAME = "name", _("a name or a street")
        PHONE = "phone", _("a phone number")
        EMAIL = "email", _("an e-mail address")
        ADDRESS = "address", _("an address")
        TENANCY = "tenancy", _("a tenancy number")
        OTHER = "other", _("something else")

    at = models.DateTimeField(_("when"), default=timezone.now)
    # No database constraint and DO_NOTHING: the log outlives the accounts and areas it names, and
    # a cascading SET NULL would be an UPDATE, which the log refuses.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # The actor's e-mail or phone at the time, so the entry still reads after the account is gone.
    actor_label = models.CharField(_("who"), max_length=254)
    area = models.ForeignKey(
        "organisation.Area",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("area"),
    )
    action = models.CharField(_("what"), max_length=10, choices=Action.choices)
    # Which page or export, as its URL name (e.g. "visits:detail") and the path asked for, without the
    # query string: a search box's text (a name, a phone number) must never reach the log.
    view_name = models.CharField(_("page"), max_length=100)
    path = models.CharField(_("address"), max_length=500)
    search = models.CharField(_("searched for"), max_length=10, choices=Search.choices, blank=True)
    subject_kind = models.CharField(_("whose data"), max_length=12, choices=SubjectKind.choices)
    subject_count = models.PositiveIntegerField(_("people"), default=0)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            # The coordinator's search: an area's entries, newest first.
            models.Index(fields=["area", "-at"], name="accesslog_area_at_idx"),
            models.Index(fields=["actor", "-at"], name="accesslog_actor_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.view_name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only.")


class AccessLogSubject(models.Model):
    """One person whose data an entry showed: lets a coordinator ask "who has seen this newcomer?"."""

    entry = models.ForeignKey(AccessLogEntry, on_delete=models.DO_NOTHING, related_name="subjects")
    kind = models.CharField(max_length=12, choices=AccessLogEntry.SubjectKind.choices)
    object_id = models.BigIntegerField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("person in an access log entry")
        verbose_name_plural = _("people in access log entries")
        indexes = [models.Index(fields=["kind", "object_id"], name="accesslog_subject_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only.")
