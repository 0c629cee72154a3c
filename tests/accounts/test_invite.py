import pytest
from django.urls import reverse

from apps.accounts.models import Membership, User

pytestmark = pytest.mark.django_db


def test_coordinator_invites_an_ambassador_who_gets_a_link_by_sms(
    client, coordinator, area, sms_outbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:people", args=[area.slug]),
            {"full_name": "Hodan Ahmed", "phone": "31 23 45 67", "email": "", "language": "da"},
        )

    assert response.status_code == 302
    user = User.objects.get(phone="+4531234567")
    assert Membership.objects.filter(user=user, area=area, role="ambassador").exists()
    assert sms_outbox[-1]["to"] == "+4531234567"
    assert "/accounts/link/" in sms_outbox[-1]["body"]


def test_invite_without_email_or_phone_is_refused_and_creates_nobody(client, coordinator, area):
    client.force_login(coordinator)
    before = User.objects.count()
    response = client.post(reverse("accounts:people", args=[area.slug]), {"full_name": "No Contact", "language": "da"})

    assert response.status_code == 400
    assert User.objects.count() == before


def test_invite_with_invalid_phone_is_refused(client, coordinator, area):
    client.force_login(coordinator)
    response = client.post(
        reverse("accounts:people", args=[area.slug]), {"full_name": "X", "phone": "12", "language": "da"}
    )
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors


def test_other_areas_coordinator_cannot_invite_into_this_area(client, other_coordinator, area):
    client.force_login(other_coordinator)
    response = client.post(
        reverse("accounts:people", args=[area.slug]), {"full_name": "Intruder", "phone": "31234567", "language": "da"}
    )
    assert response.status_code == 403
    assert not User.objects.filter(full_name="Intruder").exists()


def test_resend_link_for_a_membership_of_another_area_is_refused(client, other_coordinator, area, ambassador, sms_outbox):
    client.force_login(other_coordinator)
    membership = ambassador.memberships.get()
    response = client.post(reverse("accounts:resend_link", args=[other_coordinator.memberships.get().area.slug, membership.pk]))
    assert response.status_code == 404
    assert sms_outbox == []


def test_inviting_an_existing_user_reuses_the_account(client, coordinator, area, ambassador, other_area):
    client.force_login(coordinator)
    before = User.objects.count()
    client.post(reverse("accounts:people", args=[area.slug]), {"full_name": "Ali", "phone": ambassador.phone, "language": "da"})
    assert User.objects.count() == before
