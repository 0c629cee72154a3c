from django.http import HttpRequest
from django.urls import reverse

from apps.core.models import Message
from apps.core.navigation import navigation_for
from apps.core.policy import Role, areas_with_role, two_factor_required
from apps.core.services import channels_failing


def _verified(user) -> bool:
    return not two_factor_required(user) or getattr(user, "is_verified", lambda: False)()


def navigation(request: HttpRequest) -> dict:
    user = request.user
    # Until a coordinator has typed their two-factor code, every link would only lead back to the code page.
    if not _verified(user):
        return {"nav_items": []}
    return {"nav_items": navigation_for(user, request.path)}


def outbox_banner(request: HttpRequest) -> dict:
    """For coordinators: a warning when sending by SMS or e-mail failed again and again in the last hour
    (a gateway or mail server down), linking to their area's undelivered messages. One cached query."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or not _verified(user):
        return {}
    areas = areas_with_role(user, Role.COORDINATOR)
    if not areas:
        return {}
    failing = channels_failing()
    if not failing:
        return {}
    labels = dict(Message.Channel.choices)
    return {
        "outbox_failing": [labels[channel] for channel in failing],
        "outbox_failing_url": reverse("access:undelivered", args=[areas[0].slug]),
    }
