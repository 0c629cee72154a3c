from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewcomersConfig(AppConfig):
    name = "apps.newcomers"
    verbose_name = _("Newcomers")
