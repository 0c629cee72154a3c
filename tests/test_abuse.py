"""The table of attacks, run on every build. Each is refused or rendered inert:

- every URL of the project is in the role × URL table (tests/test_access.py), which asks every URL with
  another area's (and another person's) object ids;
- every POST without a CSRF token is refused;
- forged and replayed tokens get a clear refusal and change nothing;
- oversized uploads and request bodies are refused before they are read;
- HTML and script typed into any text field that is shown back come out as text.
"""

import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from apps.accounts.services import login_link_create
from apps.corps.models import Candidate
from apps.meetings.models import AgendaSuggestion
from apps.meetings.services import action_item_add, minutes_save
from apps.meetings.tokens import answer_token
from apps.newcomers.models import ImportRun
from apps.visits.models import Activity, Ambassador
from tests.conftest import TwoFactorClient
from tests.test_access import ROUTES, ctx, users, world  # noqa: F401 - the table's fixtures

pytestmark = pytest.mark.django_db

# Django's own language switch is the one URL outside the table (a public POST that sets a cookie).
NOT_IN_TABLE = {"set_language"}


def _url_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_role_url_table():
    table = {route.name.split(" (")[0] for route in ROUTES}
    missing = set(_url_names(get_resolver().url_patterns)) - table - NOT_IN_TABLE
    assert not missing, f"add these to tests/test_access.py: {sorted(missing)}"


# --- POSTs without a CSRF token ------------------------------------------------------------------------

POSTS = [route for route in ROUTES if route.method == "post" and route.allowed - {"anonymous"}]


@pytest.mark.parametrize("route", POSTS, ids=str)
def test_a_post_without_a_csrf_token_is_refused(users, ctx, route):  # noqa: F811
    client = TwoFactorClient(enforce_csrf_checks=True)
    role = sorted(route.allowed - {"anonymous"})[0]
    client.force_login(users[role])
    data = route.data(ctx) if callable(route.data) else route.data
    response = client.post(route.url(ctx), data)
    assert response.status_code == 403, f"{role} {route}"


# --- Forged and replayed tokens ------------------------------------------------------------------------


def test_a_replayed_sign_in_link_signs_nobody_in(client, ambassador):
    _link, token = login_link_create(user=ambassador, channel="sms")
    assert client.post(reverse("accounts:link_login", args=[token])).status_code == 302
    client.logout()
    replay = client.post(reverse("accounts:link_login", args=[token]))
    assert replay.status_code == 400 and "_auth_user_id" not in client.session


@pytest.mark.parametrize("token", ["x" * 43, "", "../../etc/passwd", "%00", "a" * 5000])
def test_forged_sign_in_links_sign_nobody_in(client, ambassador, token):
    response = client.post(f"/accounts/link/{token}/")
    assert response.status_code in {400, 404} and "_auth_user_id" not in client.session


def test_an_answer_link_with_another_invitations_payload_is_refused(client, ctx):  # noqa: F811
    mine = answer_token(invitation=ctx.invitation).split(":")
    theirs = answer_token(invitation=ctx.other_invitation).split(":")
    forged = ":".join([theirs[0], *mine[1:]])  # their invitation, under my signature
    response = client.post(reverse("meetings:answer", args=[forged]), {"answer": "no"})
    ctx.other_invitation.refresh_from_db()
    assert response.status_code == 400 and ctx.other_invitation.answer != "no"


# --- Oversized input -----------------------------------------------------------------------------------


def test_an_oversized_move_in_list_is_refused_unread(client, settings, coordinator, area, organisation):
    settings.TENANT_IMPORT_MAX_BYTES = 10_000
    client.force_login(coordinator)
    big = SimpleUploadedFile("liste.csv", b"Lejemaalsnr.;Navn\r\n" + b"101-0001;Navn\r\n" * 2000)
    response = client.post(
        reverse("newcomers:upload", args=[area.slug]), {"file": big, "organisation": organisation.pk}
    )
    assert response.status_code == 400 and not ImportRun.objects.filter(area=area).exists()


def test_an_oversized_photo_is_refused(client, monkeypatch, ambassador, area):
    monkeypatch.setattr("apps.visits.forms.PHOTO_MAX_BYTES", 1000)
    Ambassador.objects.create(user=ambassador, area=area, languages=["da"])
    client.force_login(ambassador)
    buffer = io.BytesIO()
    Image.effect_noise((200, 200), 100).convert("RGB").save(buffer, "PNG")
    photo = SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")
    response = client.post(reverse("visits:my_profile"), {"languages": ["da"], "visits_per_month": 3, "photo": photo})
    assert response.status_code == 400 and not Ambassador.objects.get(user=ambassador).photo


def test_a_photo_that_is_not_an_image_is_refused(client, ambassador, area):
    Ambassador.objects.create(user=ambassador, area=area, languages=["da"])
    client.force_login(ambassador)
    fake = SimpleUploadedFile("me.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = client.post(reverse("visits:my_profile"), {"languages": ["da"], "visits_per_month": 3, "photo": fake})
    assert response.status_code == 400 and not Ambassador.objects.get(user=ambassador).photo


def test_an_oversized_form_body_is_refused(client, settings, coordinator, area):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.force_login(coordinator)
    response = client.post(reverse("visits:activity_new", args=[area.slug]), {"name": "x" * 20_000})
    assert response.status_code == 400 and not Activity.objects.filter(area=area).exists()


# --- HTML and script shown back ------------------------------------------------------------------------

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def _store(c: SimpleNamespace, field: str) -> None:
    """Put the payload into one text field, as a user (or a move-in list) would."""
    match field:
        case "newcomer name":
            c.visit.newcomer.name = PAYLOAD
            c.visit.newcomer.save()
        case "person name":
            c.visit.ambassador.user.full_name = PAYLOAD
            c.visit.ambassador.user.save()
        case "staff request":
            c.visit.staff_request = PAYLOAD
            c.visit.save()
        case "activity":
            c.activity.name = PAYLOAD
            c.activity.description = PAYLOAD
            c.activity.save()
        case "meeting title":
            c.meeting.title = PAYLOAD
            c.meeting.save()
        case "series title":
            c.series.title = PAYLOAD
            c.series.place = PAYLOAD
            c.series.save()
        case "agenda suggestion":
            AgendaSuggestion.objects.create(meeting=c.meeting, ambassador=c.ambassador_profile, text=PAYLOAD)
        case "action item":
            action_item_add(meeting=c.meeting, text=PAYLOAD)
        case "area name":
            c.area.name = PAYLOAD
            c.area.save()
        case "estate name":
            c.area.estates.filter(number="101").update(name=PAYLOAD)  # the board member's estate
        case "candidate":  # what a resident typed on the public recruitment page (apps/corps)
            Candidate.objects.filter(pk=c.candidate.pk).update(full_name=PAYLOAD, motivation=PAYLOAD, note=PAYLOAD)


SHOWN_BACK = [
    ("newcomer name", "ambassador", lambda c: reverse("visits:mine")),
    ("newcomer name", "ambassador", lambda c: reverse("visits:detail", args=[c.visit.pk])),
    ("newcomer name", "coordinator", lambda c: reverse("visits:visit_list", args=[c.area.slug])),
    ("newcomer name", "coordinator", lambda c: reverse("visits:referral_list", args=[c.area.slug])),
    ("newcomer name", "coordinator", lambda c: reverse("privacy:search", args=[c.area.slug]) + "?q=script"),
    ("person name", "coordinator", lambda c: reverse("accounts:people", args=[c.area.slug])),
    ("person name", "coordinator", lambda c: reverse("visits:ambassador_list", args=[c.area.slug])),
    ("person name", "coordinator", lambda c: reverse("visits:visit_list", args=[c.area.slug])),
    ("staff request", "coordinator", lambda c: reverse("visits:visit_list", args=[c.area.slug]) + "?state=all"),
    ("activity", "coordinator", lambda c: reverse("visits:activity_list", args=[c.area.slug])),
    ("activity", "ambassador", lambda c: reverse("visits:detail", args=[c.visit.pk]) + "?outcome=met_talked"),
    ("meeting title", "coordinator", lambda c: reverse("meetings:area_list", args=[c.area.slug])),
    ("meeting title", "ambassador", lambda c: reverse("meetings:mine")),
    ("series title", "coordinator", lambda c: reverse("meetings:area_list", args=[c.area.slug])),
    ("series title", "coordinator", lambda c: reverse("meetings:series", args=[c.area.slug, c.series.pk])),
    ("agenda suggestion", "coordinator", lambda c: reverse("meetings:detail", args=[c.area.slug, c.meeting.pk])),
    ("action item", "coordinator", lambda c: reverse("meetings:detail", args=[c.area.slug, c.meeting.pk])),
    ("area name", "coordinator", lambda c: reverse("organisation:area_detail", args=[c.area.slug])),
    ("estate name", "board", lambda c: reverse("dashboards:board_estate", args=[c.area.estates.get(number="101").pk])),
    ("estate name", "coordinator", lambda c: reverse("dashboards:area", args=[c.area.slug])),
    ("candidate", "coordinator", lambda c: reverse("corps:candidates", args=[c.area.slug])),
    ("candidate", "coordinator", lambda c: reverse("corps:candidate", args=[c.area.slug, c.candidate.pk])),
]


@pytest.mark.parametrize(("field", "role", "url"), SHOWN_BACK, ids=[f"{f} → {r}" for f, r, _u in SHOWN_BACK])
def test_html_in_a_text_field_is_shown_as_text(client, users, ctx, field, role, url):  # noqa: F811
    _store(ctx, field)
    client.force_login(users[role])
    response = client.get(url(ctx))
    page = response.content.decode()
    assert response.status_code == 200
    assert PAYLOAD not in page and "onerror=alert(1)>" not in page
    assert ESCAPED in page, f"the {field} is not on the page at all: the row tests nothing"


def test_script_in_minutes_is_removed_not_run(client, users, ctx):  # noqa: F811
    minutes_save(meeting=ctx.meeting, markdown=f"# Referat\n\n{PAYLOAD}\n\n[link](javascript:alert(1))", publish=True)
    client.force_login(users["ambassador"])
    page = client.get(reverse("meetings:minutes", args=[ctx.meeting.pk])).content.decode()
    assert "Referat" in page
    assert "<script>" not in page and "onerror" not in page and "javascript:" not in page
