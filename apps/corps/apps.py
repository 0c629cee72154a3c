from django.apps import AppConfig


class CorpsConfig(AppConfig):
    name = "apps.corps"
    verbose_name = "The ambassador corps"
