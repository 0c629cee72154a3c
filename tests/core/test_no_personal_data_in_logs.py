"""No personal data in logs or error reports: the import, the pages, the outbox and a crash, watched at
DEBUG level, never write a newcomer's name, phone number or e-mail address."""

import io
import logging
import sys

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.debug import get_exception_reporter_class

from apps.core.models import Message
from apps.core.services import message_queue
from apps.newcomers.importing import mapping_propose
from apps.newcomers.services import import_run_confirm, import_run_create
from tests.newcomers import HEADER, csv_bytes, line

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "Zainab Qureshi-Olsen", "+4522998877", "zainab.qo@example.org"


def test_an_import_and_the_pages_log_no_personal_data(caplog, client, coordinator, area, organisation):
    caplog.set_level(logging.DEBUG)
    data = csv_bytes([HEADER, line(number="101-0001", name=NAME, phone="22 99 88 77", email=EMAIL), line(number="bad")])
    run = import_run_create(organisation=organisation, area=area, user=coordinator, filename="liste.csv", data=data)
    import_run_confirm(
        run=run, mapping=mapping_propose(headers=run.headers, organisation=organisation), create_estates=True
    )
    client.force_login(coordinator)
    client.get(reverse("visits:newcomer_list", args=[area.slug]))
    client.get(reverse("privacy:search", args=[area.slug]), {"q": NAME})

    assert NAME.split()[0] in client.get(reverse("privacy:search", args=[area.slug]), {"q": NAME}).content.decode()
    for secret in (NAME, PHONE, EMAIL, "22 99 88 77"):
        assert secret not in caplog.text


def test_a_failing_sms_gateway_logs_no_number_or_text(caplog, settings, ambassador):
    caplog.set_level(logging.DEBUG)
    settings.SMS_BACKEND = "apps.core.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/unreachable"
    message_queue(channel="sms", to_user=ambassador, subject="", body=f"Hej {NAME}", idempotency_key="log:1")
    from apps.core.tasks import message_deliver

    message_deliver.delay(Message.objects.get().pk)
    assert Message.objects.get().last_error  # it did fail
    assert NAME not in caplog.text and ambassador.phone not in caplog.text


def test_an_error_report_carries_no_form_values_query_or_local_variables(coordinator):
    request = RequestFactory().post(f"/areas/x/?q={NAME}", {"name": NAME, "phone": PHONE})
    request.user = coordinator
    newcomer_name = NAME  # noqa: F841 - a local variable in the crashing frame
    try:
        raise ValueError("boom")
    except ValueError:
        report = get_exception_reporter_class(request)(request, *sys.exc_info()).get_traceback_text()
    assert "ValueError" in report and "boom" in report
    for secret in (NAME, PHONE, NAME.replace(" ", "%20")):
        assert secret not in report


@pytest.mark.parametrize(
    "path",
    ["/s/{token}/", "/s/qr/{token}/", "/s/a/{token}/", "/meetings/answer/{token}/", "/accounts/link/{token}/"],
)
def test_link_tokens_in_addresses_never_reach_the_log(caplog, client, path):
    """A refused link is logged by Django ("Bad Request: /s/…/"); the token in it is not."""
    caplog.set_level(logging.DEBUG)
    token = "Zq9TOKENxyz1234567890abcdef"
    response = client.post(path.format(token=token), {"answer": "yes"})
    assert response.status_code >= 400
    assert "[token]" in caplog.text and token not in caplog.text


def test_behind_the_proxy_the_visitors_address_is_the_one_the_proxy_added(settings):
    from apps.core.throttle import client_address

    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.7", REMOTE_ADDR="172.18.0.2")
    settings.BEHIND_PROXY = False
    assert client_address(request) == "172.18.0.2"
    settings.BEHIND_PROXY = True
    assert client_address(request) == "10.0.0.7"  # the client's own "6.6.6.6" is not trusted


CSRF_TOKEN_PATHS = ["/s/{token}/", "/s/a/{token}/", "/meetings/answer/{token}/", "/accounts/link/{token}/"]


@pytest.mark.parametrize("path", CSRF_TOKEN_PATHS)
def test_a_refused_csrf_check_does_not_log_the_links_token(caplog, path):
    """ "Forbidden (CSRF cookie not set.): /s/…/" comes from django.security.csrf, not django.request."""
    caplog.set_level(logging.DEBUG)
    token = "Zq9TOKENxyz1234567890abcdef"
    response = Client(enforce_csrf_checks=True).post(path.format(token=token), {"answer": "yes"})
    assert response.status_code == 403
    assert "CSRF" in caplog.text and "[token]" in caplog.text
    assert token not in caplog.text


def _handlers_reached(logger: logging.Logger) -> list[logging.Handler]:
    """The handlers a record logged at `logger` is given to, as logging itself walks up the tree."""
    handlers = []
    while logger is not None:
        handlers.extend(logger.handlers)
        logger = logger.parent if logger.propagate else None
    return handlers


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG", "not DEBUG"])
def test_what_the_configured_handlers_write_about_a_token_page_carries_no_token(settings, debug, mailoutbox):
    """The handlers that really write (with DEBUG on, Django's own console handler too) see no token."""
    settings.DEBUG = debug
    settings.ADMINS = [("Admin", "admin@example.org")]
    token = "Zq9TOKENxyz1234567890abcdef"
    written = {}
    loggers = ["django.security.csrf", "django.request", "django.server"]
    handlers = {h for name in loggers for h in _handlers_reached(logging.getLogger(name))}
    streams = [h for h in handlers if isinstance(h, logging.StreamHandler)]
    assert streams, "nothing would write the log"
    for handler in streams:
        written[handler] = io.StringIO()
        written[handler].previous = handler.setStream(written[handler])
    try:
        Client(enforce_csrf_checks=True).post(f"/s/{token}/", {"value": "yes"})  # django.security.csrf
        Client().post(f"/meetings/answer/{token}/", {"answer": "yes"})  # django.request: Bad Request
        logging.getLogger("django.server").warning('"GET /s/%s/ HTTP/1.1" 400 10', token)  # runserver
    finally:
        for handler, stream in written.items():
            handler.setStream(stream.previous)
    text = "".join(stream.getvalue() for stream in written.values())
    mails = "".join(f"{m.subject} {m.body}" for m in mailoutbox)
    assert "CSRF" in text and "[token]" in text
    assert token not in text and token not in mails
