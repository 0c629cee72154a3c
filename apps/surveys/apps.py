from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "apps.surveys"
    verbose_name = _("Newcomer survey")

    def ready(self) -> None:
        from apps.core.jobs import job_kind_register
        from apps.surveys.models import RoundReport
        from apps.surveys.tasks import round_report_make

        # The round's report rides beat's sweep of lost jobs like every other kind.
        job_kind_register(model=RoundReport, task=round_report_make)
