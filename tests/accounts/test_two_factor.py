"""Two-factor sign-in (TOTP) for coordinators and admins, lock-out after wrong passwords, and sessions
that end after inactivity. These tests use Django's plain test client: the suite's own `client` fixture
passes two-factor sign-in for its users, as a real coordinator's session has."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Membership
from apps.accounts.services import login_link_create, membership_grant

pytestmark = pytest.mark.django_db

# Everyone who signs in without a second factor, the ambassador who left and the other area's included.
VOLUNTEERS = ["ambassador", "former_ambassador", "other_area_ambassador", "board_member", "interviewer"]

PASSWORD = "naboambassador-test"


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():06d}"


def sign_in(client: Client, user, *, remote_addr: str = "127.0.0.1", password: str = PASSWORD):
    return client.post(
        reverse("accounts:login"), {"username": user.email, "password": password}, REMOTE_ADDR=remote_addr
    )


@pytest.fixture
def plain():
    return Client()


@pytest.fixture
def device(coordinator) -> TOTPDevice:
    return TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)


def test_coordinator_without_a_device_is_sent_to_set_one_up(plain, coordinator, area):
    sign_in(plain, coordinator)
    target = reverse("visits:visit_list", args=[area.slug])

    response = plain.get(target)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    page = plain.get(response["Location"])
    assert page.status_code == 200
    assert "<svg" in page.content.decode() and page.context["secret"]


def test_setting_up_with_a_right_code_confirms_the_device_and_opens_the_app(plain, coordinator, area):
    sign_in(plain, coordinator)
    target = reverse("visits:visit_list", args=[area.slug])
    plain.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=coordinator)
    assert not device.confirmed

    response = plain.post(reverse("accounts:two_factor_setup"), {"code": code_for(device), "next": target})

    assert response.status_code == 302 and response["Location"] == target
    device.refresh_from_db()
    assert device.confirmed
    assert plain.get(target).status_code == 200


def test_setting_up_with_a_wrong_code_confirms_nothing(plain, coordinator, area):
    sign_in(plain, coordinator)
    plain.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=coordinator)

    response = plain.post(reverse("accounts:two_factor_setup"), {"code": code_for(device, steps_ahead=20)})

    assert response.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed
    assert plain.get(reverse("visits:visit_list", args=[area.slug])).status_code == 302


def test_setup_keeps_the_same_secret_until_confirmed(plain, coordinator):
    sign_in(plain, coordinator)
    first = plain.get(reverse("accounts:two_factor_setup")).context["secret"]
    second = plain.get(reverse("accounts:two_factor_setup")).context["secret"]
    assert first == second and TOTPDevice.objects.filter(user=coordinator).count() == 1


def test_coordinator_with_a_device_must_type_a_code_each_new_session(plain, coordinator, device, area):
    sign_in(plain, coordinator)
    target = reverse("visits:visit_list", args=[area.slug])

    response = plain.get(target)
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))

    response = plain.post(reverse("accounts:two_factor_verify"), {"code": code_for(device), "next": target})
    assert response.status_code == 302 and response["Location"] == target
    assert plain.get(target).status_code == 200


def test_a_used_code_cannot_be_used_again(plain, coordinator, device):
    code = code_for(device)
    sign_in(plain, coordinator)
    assert plain.post(reverse("accounts:two_factor_verify"), {"code": code}).status_code == 302

    second = Client()
    sign_in(second, coordinator)
    assert second.post(reverse("accounts:two_factor_verify"), {"code": code}).status_code == 400


def test_a_wrong_code_slows_the_device_down(plain, settings, coordinator, device):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute's back-off, so the test does not race the clock
    sign_in(plain, coordinator)
    wrong = "000000" if code_for(device) != "000000" else "000001"
    plain.post(reverse("accounts:two_factor_verify"), {"code": wrong})

    # The right code, but inside the back-off after a failure: refused.
    response = plain.post(reverse("accounts:two_factor_verify"), {"code": code_for(device)})

    assert response.status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_two_factor_redirect_refuses_foreign_next_addresses(plain, coordinator, device):
    sign_in(plain, coordinator)
    response = plain.post(
        reverse("accounts:two_factor_verify"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("access:home")


def test_a_sign_in_link_does_not_skip_two_factor(plain, coordinator, device, area):
    _link, token = login_link_create(user=coordinator, channel="email")
    plain.post(reverse("accounts:link_login", args=[token]))
    response = plain.get(reverse("visits:visit_list", args=[area.slug]))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_htmx_requests_are_told_where_to_go(plain, coordinator, device, area):
    sign_in(plain, coordinator)
    response = plain.get(reverse("visits:visit_list", args=[area.slug]), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:two_factor_verify"))


def test_admins_are_asked_for_two_factor_in_the_admin(plain, make_user):
    admin = make_user(email="root@example.org", is_staff=True, is_superuser=True)
    sign_in(plain, admin)
    response = plain.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


@pytest.mark.parametrize("role", VOLUNTEERS)
def test_volunteers_and_board_members_sign_in_without_a_code(plain, request, role):
    user = request.getfixturevalue(role)
    sign_in(plain, user)
    response = plain.get(reverse("access:home"))
    assert not response.get("Location", "").startswith("/accounts/two-factor")


def test_an_unconfirmed_coordinator_may_still_sign_out(plain, coordinator):
    sign_in(plain, coordinator)
    response = plain.post(reverse("accounts:logout"))
    assert response.status_code == 302 and "_auth_user_id" not in plain.session


# --- Lock-out after wrong passwords (django-axes) ------------------------------------------------------


def test_five_wrong_passwords_lock_the_address_and_email_pair(plain, settings, coordinator):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(plain, coordinator, password="wrong-password-1").status_code == 200
    assert sign_in(plain, coordinator, password="wrong-password-1").status_code == 429

    locked = sign_in(plain, coordinator)  # the right password, too late

    assert locked.status_code == 429
    assert "_auth_user_id" not in plain.session
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]


def test_the_lock_does_not_shut_out_the_same_person_elsewhere(plain, settings, coordinator):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(plain, coordinator, password="wrong-password-1")
    assert sign_in(Client(), coordinator, remote_addr="10.1.2.3").status_code == 302


def test_a_right_password_before_the_limit_resets_the_count(plain, settings, coordinator):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(plain, coordinator, password="wrong-password-1")
    assert sign_in(plain, coordinator).status_code == 302
    plain.post(reverse("accounts:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(plain, coordinator, password="wrong-password-1")
    assert sign_in(plain, coordinator).status_code == 302


def test_wrong_passwords_in_mixed_spellings_lock_every_spelling(plain, settings, make_user):
    karen = make_user(email="karen@demo.dk")
    spellings = ["karen@demo.dk", "Karen@demo.dk", " KAREN@DEMO.DK ", "karen@Demo.dk", "kAren@demo.DK"]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        plain.post(reverse("accounts:login"), {"username": spelling, "password": "wrong-password-1"})

    for spelling in [*spellings, "KAREN@demo.dk"]:
        locked = plain.post(reverse("accounts:login"), {"username": spelling, "password": PASSWORD})
        assert locked.status_code == 429, spelling
    assert "_auth_user_id" not in plain.session
    assert AccessAttempt.objects.get().username == karen.email


def test_a_locked_account_cannot_sign_in_with_another_case(plain, settings, coordinator):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(plain, coordinator, password="wrong-password-1")

    response = plain.post(reverse("accounts:login"), {"username": coordinator.email.upper(), "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in plain.session


def test_the_admin_login_counts_every_spelling_as_one_e_mail(plain, settings, make_user):
    admin = make_user(email="root@example.org", is_staff=True, is_superuser=True)
    spellings = ["Root@example.org", "ROOT@example.org", "root@Example.org", "rOot@example.org", "root@example.ORG"]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        plain.post(reverse("admin:login"), {"username": spelling, "password": "wrong-password-1"})

    plain.post(reverse("admin:login"), {"username": admin.email, "password": PASSWORD})

    assert "_auth_user_id" not in plain.session


# --- Sessions end after inactivity ---------------------------------------------------------------------


def test_a_password_session_ends_after_two_idle_hours(plain, settings, ambassador):
    sign_in(plain, ambassador)
    assert settings.SESSION_COOKIE_AGE == 2 * 3600
    assert abs(plain.session.get_expiry_age() - settings.SESSION_COOKIE_AGE) < 5
    assert plain.get(reverse("visits:mine")).status_code == 200

    Session.objects.filter(session_key=plain.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    response = plain.get(reverse("visits:mine"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_weak_passwords_are_refused(client, ambassador):
    client.force_login(ambassador)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


def stored_expiry_seconds(client: Client) -> float:
    """How long the session row in the database has left: what actually ends the session."""
    row = Session.objects.get(session_key=client.session.session_key)
    return (row.expire_date - timezone.now()).total_seconds()


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_a_sign_in_link_gives_staff_the_two_hour_idle_limit(plain, settings, request, make_user, role):
    user = request.getfixturevalue(role) if role == "coordinator" else make_user(is_staff=True, is_superuser=True)
    _link, token = login_link_create(user=user, channel="email")

    plain.post(reverse("accounts:link_login", args=[token]))

    assert int(plain.session["_auth_user_id"]) == user.pk
    assert abs(plain.session.get_expiry_age() - settings.SESSION_COOKIE_AGE) < 5
    assert abs(stored_expiry_seconds(plain) - settings.SESSION_COOKIE_AGE) < 5


@pytest.mark.parametrize("role", VOLUNTEERS)
def test_a_sign_in_link_keeps_volunteers_signed_in_for_long(plain, settings, request, role):
    user = request.getfixturevalue(role)
    _link, token = login_link_create(user=user, channel="sms")

    plain.post(reverse("accounts:link_login", args=[token]))

    assert abs(stored_expiry_seconds(plain) - settings.LOGIN_LINK_SESSION_DAYS * 24 * 3600) < 5


def test_the_two_factor_code_gives_the_session_a_new_key(plain, coordinator, device, area):
    sign_in(plain, coordinator)
    before = plain.session.session_key

    plain.post(reverse("accounts:two_factor_verify"), {"code": code_for(device)})

    assert plain.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()
    assert int(plain.session["_auth_user_id"]) == coordinator.pk
    assert plain.get(reverse("visits:visit_list", args=[area.slug])).status_code == 200


def test_setting_up_two_factor_gives_the_session_a_new_key(plain, coordinator, area):
    sign_in(plain, coordinator)
    plain.get(reverse("accounts:two_factor_setup"))
    before = plain.session.session_key

    plain.post(reverse("accounts:two_factor_setup"), {"code": code_for(TOTPDevice.objects.get(user=coordinator))})

    assert plain.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()
    assert plain.get(reverse("visits:visit_list", args=[area.slug])).status_code == 200


def test_an_ambassador_made_coordinator_loses_the_long_link_session_at_the_code(plain, settings, ambassador, area):
    _link, token = login_link_create(user=ambassador, channel="sms")
    plain.post(reverse("accounts:link_login", args=[token]))
    membership_grant(user=ambassador, area=area, role=Membership.Role.COORDINATOR)
    device = TOTPDevice.objects.create(user=ambassador, name="phone", confirmed=True)

    plain.post(reverse("accounts:two_factor_verify"), {"code": code_for(device)})

    assert abs(stored_expiry_seconds(plain) - settings.SESSION_COOKIE_AGE) < 5
    assert plain.get(reverse("visits:visit_list", args=[area.slug])).status_code == 200
