from django.apps import AppConfig


class HoursConfig(AppConfig):
    name = "apps.hours"
    verbose_name = "Time registration"

    def ready(self) -> None:
        from apps.core.navigation import ambassador_items_register
        from apps.hours.selectors import hours_menu

        ambassador_items_register(hours_menu)
