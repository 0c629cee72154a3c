"""Confirm before a send to many: the first POST of an action that messages more than one person (or
publishes with outdated translations) shows what would happen; only the POST with `confirm=1` acts.

A view asks `needs_confirmation(request, counts)` and, when true, returns `confirm_page(...)`: a page that
says how many messages go by which channel, repeats the form's fields with `confirm=1`, and offers Cancel.
Nothing is written before the confirmed POST.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.core.models import Message


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirm") == "1"


def needs_confirmation(request: HttpRequest, counts: dict[str, int] | None = None, *, warnings=()) -> bool:
    """True when the action would message more than one person (or has warnings) and was not confirmed."""
    if is_confirmed(request):
        return False
    return bool(warnings) or sum((counts or {}).values()) > 1


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    what: str,
    cancel_url: str,
    counts: dict[str, int] | None = None,
    warnings=(),
    confirm_label: str = "",
    area=None,
) -> HttpResponse:
    """The confirmation step: `what` is the content ("an invitation to …"), `counts` the messages by channel
    (from `message_channel_counts`), `warnings` sentences shown above the buttons."""
    counts = counts or {}
    # Every value of a field ticked many times (checkboxes), not only the last.
    skip = ("csrfmiddlewaretoken", "confirm")
    fields = [(name, value) for name, values in request.POST.lists() if name not in skip for value in values]
    context = {
        "area": area,
        "title": title,
        "what": what,
        "sms": counts.get(Message.Channel.SMS, 0),
        "email": counts.get(Message.Channel.EMAIL, 0),
        "total": sum(counts.values()),
        "warnings": list(warnings),
        "fields": fields,
        "cancel_url": cancel_url,
        "confirm_label": confirm_label,
    }
    return render(request, "core/confirm.html", context)
