from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "apps.dashboards"
    verbose_name = _("Dashboards and annual reports")

    def ready(self) -> None:
        from apps.core.jobs import job_kind_register
        from apps.dashboards.models import AnnualReport
        from apps.dashboards.tasks import annual_report_make

        job_kind_register(model=AnnualReport, task=annual_report_make)
