from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.core import checks

        from apps.core.checks import policy_complete

        checks.register(policy_complete)

        from apps.core.jobs import job_kind_register
        from apps.core.models import Message
        from apps.core.services import messages_lost
        from apps.core.tasks import message_deliver

        # The outbox rides the one sweep of lost work (apps.core.jobs) with its own query.
        job_kind_register(model=Message, task=message_deliver, lost=messages_lost)

        from apps.core.embedded_beat import embedded_beat_start_if_wanted

        embedded_beat_start_if_wanted()
