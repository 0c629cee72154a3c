"""The access log seen from a view: who asks and on which page come from the request, so services that
write the log take them as plain values and never the request itself."""

from django.http import HttpRequest

from apps.audit.models import AccessLogEntry
from apps.audit.services import access_record


def access_fields(request: HttpRequest) -> dict:
    """The actor, path and URL name of the request, as `access_record` and the erasing services take them."""
    match = getattr(request, "resolver_match", None)
    return {"actor": request.user, "path": request.path, "view_name": match.view_name if match else ""}


def access_record_for_request(request: HttpRequest, **details) -> list[AccessLogEntry]:
    """Log that the signed-in user saw what this request shows (`details` as `access_record` takes them).

    The path is stored without its query string, which may hold what was searched for."""
    return access_record(**access_fields(request), **details)
