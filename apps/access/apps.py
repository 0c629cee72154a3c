from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """The top floor: the policy's rules, which name the models of every app below."""

    name = "apps.access"
    verbose_name = _("Access rules")

    def ready(self) -> None:
        # Importing the rules registers them with the engine in apps.core.policy.
        from apps.access import rules  # noqa: F401
