import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_wrong_password_and_unknown_email_get_the_same_generic_answer(client, coordinator):
    wrong_password = client.post(
        reverse("accounts:login"), {"username": coordinator.email, "password": "not-it-at-all"}
    )
    unknown_user = client.post(
        reverse("accounts:login"), {"username": "nobody@example.org", "password": "not-it-at-all"}
    )

    assert wrong_password.status_code == unknown_user.status_code == 200
    assert wrong_password.context["form"].errors == unknown_user.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_login_is_by_email_in_any_case(client, coordinator):
    response = client.post(
        reverse("accounts:login"), {"username": coordinator.email.upper(), "password": "naboambassador-test"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == coordinator.pk


def test_password_reset_for_unknown_email_looks_like_a_known_one(client, coordinator):
    known = client.post(reverse("accounts:password_reset"), {"email": coordinator.email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [coordinator.email]


def test_password_reset_link_lets_the_user_choose_a_new_password(client, coordinator):
    client.post(reverse("accounts:password_reset"), {"email": coordinator.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]

    form_page = client.get("/" + path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-secret-42", "new_password2": "a-new-long-secret-42"},
    )

    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password("a-new-long-secret-42")


def test_language_switch_turns_the_pages_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("accounts:login"))
    client.post(reverse("set_language"), {"language": "da", "next": "/"})
    danish = client.get(reverse("accounts:login"))

    assert "Sign in" in english.content.decode()
    assert "Log ind" in danish.content.decode()
