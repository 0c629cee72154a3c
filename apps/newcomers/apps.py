from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewcomersConfig(AppConfig):
    name = "apps.newcomers"
    verbose_name = _("Newcomers")

    def ready(self) -> None:
        from apps.core.jobs import job_kind_register
        from apps.newcomers.models import ImportRun
        from apps.newcomers.tasks import newcomer_import_execute

        job_kind_register(model=ImportRun, task=newcomer_import_execute)
