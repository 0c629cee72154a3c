from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.organisation.models import Tenancy


class NewcomerQuerySet(models.QuerySet):
    def contactable(self) -> "NewcomerQuerySet":
        return self.filter(do_not_contact=False)

    def in_area(self, area) -> "NewcomerQuerySet":
        return self.filter(tenancy__estate__area=area)


class Newcomer(TimeStampedModel):
    """Tilflytter: a household that moved into a tenancy; identified by (tenancy, move-in date).

    Personal data: keep only what the programme needs. A CPR number is never stored.
    """

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="newcomers", verbose_name=_("tenancy"))
    move_in_date = models.DateField(_("move-in date"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164, e.g. +4512345678"))
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True, help_text=_("Empty means unknown"))
    do_not_contact = models.BooleanField(
        _("do not contact"), default=False, help_text=_("The newcomer has asked not to be contacted again.")
    )

    objects = NewcomerQuerySet.as_manager()

    class Meta:
        ordering = ["-move_in_date"]
        verbose_name = _("newcomer")
        verbose_name_plural = _("newcomers")
        constraints = [
            models.UniqueConstraint(fields=["tenancy", "move_in_date"], name="newcomer_unique_move_in"),
        ]

    def __str__(self) -> str:
        return f"{self.name or _('Newcomer')} ({self.move_in_date:%d.%m.%Y})"
