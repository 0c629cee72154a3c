"""What the nightly retention run did: counts only, never whose data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The day the run applied the rules for (a run repeated the same day finds nothing new to do).
    run_on = models.DateField(_("rules applied for"))
    # E.g. {"newcomers_anonymised": 12, "messages_deleted": 30, …}
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.run_on:%Y-%m-%d} {self.counts}"
