import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from apps.core.services import message_delivery_report
from apps.core.webhooks import jwt_hs256_claims

logger = logging.getLogger(__name__)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer and docker-compose: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt  # the gateway has no session: the signed token is the proof
@require_POST
def gatewayapi_webhook(request: HttpRequest) -> HttpResponse:
    """GatewayAPI's delivery report on one SMS. Only what the token signs is read (not the unsigned body);
    a missing or bad signature is refused with 403 and changes nothing."""
    claims = jwt_hs256_claims(request.headers.get("X-Gwapi-Signature", ""), secret=settings.GATEWAYAPI_WEBHOOK_SECRET)
    if claims is None:
        logger.warning("gatewayapi webhook: refused a report without a valid signature")
        return HttpResponseForbidden("bad signature", content_type="text/plain")
    message_delivery_report(
        gateway_id=str(claims.get("id") or ""),
        userref=str(claims.get("userref") or ""),
        status=str(claims.get("status") or ""),
    )
    return HttpResponse("ok", content_type="text/plain")
