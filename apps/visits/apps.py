from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "apps.visits"
    verbose_name = _("Ambassadors and welcome visits")
