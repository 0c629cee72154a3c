from django.apps import AppConfig


class HoursConfig(AppConfig):
    name = "apps.hours"
    verbose_name = "Time registration"
