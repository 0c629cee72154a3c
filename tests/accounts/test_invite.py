from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import LoginLink, Membership, MembershipInvitation, User
from apps.accounts.services import membership_grant, membership_invitation_accept, membership_invitation_create
from apps.accounts.tasks import membership_invitations_purge_expired
from apps.core.templatetags.formatting import phone

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


def test_resend_link_for_a_membership_of_another_area_is_refused(
    client, other_coordinator, area, ambassador, sms_outbox
):
    client.force_login(other_coordinator)
    membership = ambassador.memberships.get()
    response = client.post(
        reverse("accounts:resend_link", args=[other_coordinator.memberships.get().area.slug, membership.pk])
    )
    assert response.status_code == 404
    assert sms_outbox == []


def test_inviting_an_existing_user_reuses_the_account(client, coordinator, area, ambassador, other_area):
    client.force_login(coordinator)
    before = User.objects.count()
    client.post(
        reverse("accounts:people", args=[area.slug]), {"full_name": "Ali", "phone": ambassador.phone, "language": "da"}
    )
    assert User.objects.count() == before


# --- An address that belongs to someone of another area: they are asked, never adopted ----------------
# Three users: `coordinator` invites into `area`; `outsider` is an ambassador of `other_area` whose
# e-mail and mobile number the coordinator types; `ambassador` is a colleague in `area`.


@pytest.fixture
def outsider(make_user, other_area):
    user = make_user(full_name="Birthe Holm", email="birthe@demo.dk", phone="+4520100001")
    membership_grant(user=user, area=other_area, role=Membership.Role.AMBASSADOR)
    return user


def _row(user: User) -> dict:
    """The person's stored details (signing in, which only moves last_login, is not a change by anyone else)."""
    row = User.objects.filter(pk=user.pk).values().get()
    del row["last_login"]
    return row


def _invite(client, area, django_capture_on_commit_callbacks, **typed):
    data = {"full_name": "B. H.", "email": "", "phone": "", "language": "da", **typed}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("accounts:people", args=[area.slug]), data, follow=True)


def _stored_details(user: User) -> list[str]:
    return [user.full_name, user.email, user.phone, phone(user.phone), "Ambassador", "Ambassadør"]


def test_inviting_another_areas_ambassador_by_email_adopts_nobody_and_shows_only_what_was_typed(
    client, coordinator, area, other_area, outsider, django_capture_on_commit_callbacks, sms_outbox
):
    before = _row(outsider)
    client.force_login(coordinator)
    response = _invite(client, area, django_capture_on_commit_callbacks, full_name="B. H.", email="Birthe@Demo.dk")

    page = response.content.decode()
    assert "B. H." in page
    for detail in ["Birthe Holm", outsider.phone, phone(outsider.phone)]:
        assert detail not in page
    assert _row(outsider) == before
    assert not Membership.objects.filter(user=outsider, area=area).exists()
    assert list(outsider.memberships.values_list("area", "role")) == [(other_area.pk, "ambassador")]
    assert not LoginLink.objects.filter(user=outsider).exists()
    assert MembershipInvitation.objects.filter(user=outsider, area=area, full_name="B. H.").exists()
    # What reaches Birthe is a question, not a way into the area.
    [sms] = [sms for sms in sms_outbox if sms["to"] == outsider.phone]
    assert "/accounts/invitations/" in sms["body"]
    assert "/accounts/link/" not in sms["body"]


def test_inviting_another_areas_ambassador_by_phone_answers_exactly_as_for_a_new_person(
    client, coordinator, area, outsider, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    existing = _invite(client, area, django_capture_on_commit_callbacks, full_name="Jens M.", phone="20 10 00 01")
    new = _invite(client, area, django_capture_on_commit_callbacks, full_name="Nina Ny", phone="31 23 45 67")

    assert [str(m) for m in existing.context["messages"]] == ["Jens M. er inviteret. Et login-link er på vej."]
    assert [str(m) for m in new.context["messages"]] == ["Nina Ny er inviteret. Et login-link er på vej."]
    page = new.content.decode()
    for detail in ["Birthe Holm", outsider.email]:
        assert detail not in page
    rows = {row.full_name: row for row in new.context["people"]}
    assert rows["Jens M."].phone == rows["Nina Ny"].phone.replace("31234567", "20100001")
    assert rows["Jens M."].invitation_sent and rows["Nina Ny"].invitation_sent
    assert page.count("Invitation sendt") == 2
    assert not Membership.objects.filter(user=outsider, area=area).exists()


def test_inviting_another_areas_coordinator_does_not_adopt_them(
    client, coordinator, area, other_area, other_coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    before = _row(other_coordinator)
    client.force_login(coordinator)
    response = _invite(
        client, area, django_capture_on_commit_callbacks, full_name="O. C.", email=other_coordinator.email
    )

    assert "Otto Othercoordinator" not in response.content.decode()
    assert _row(other_coordinator) == before
    assert list(other_coordinator.memberships.values_list("area", "role")) == [(other_area.pk, "coordinator")]
    assert not LoginLink.objects.filter(user=other_coordinator).exists()
    [mail] = mailoutbox
    assert mail.to == [other_coordinator.email]
    assert "/accounts/invitations/" in mail.body and "/accounts/link/" not in mail.body


def test_accepting_an_invitation_makes_the_membership(
    client, coordinator, area, outsider, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    _invite(client, area, django_capture_on_commit_callbacks, email=outsider.email)
    invitation = MembershipInvitation.objects.get(user=outsider)

    client.force_login(outsider)
    assert reverse("accounts:invitations") in client.get(reverse("access:home")).content.decode()
    assert "Area north" in client.get(reverse("accounts:invitations")).content.decode()
    response = client.post(reverse("accounts:invitation_accept", args=[invitation.pk]))

    assert response.status_code == 302
    assert Membership.objects.filter(user=outsider, area=area, role="ambassador").exists()
    assert not MembershipInvitation.objects.exists()


def test_declining_an_invitation_leaves_nothing(
    client, coordinator, area, outsider, django_capture_on_commit_callbacks
):
    before = _row(outsider)
    client.force_login(coordinator)
    _invite(client, area, django_capture_on_commit_callbacks, email=outsider.email)
    invitation = MembershipInvitation.objects.get(user=outsider)

    client.force_login(outsider)
    response = client.post(reverse("accounts:invitation_decline", args=[invitation.pk]))

    assert response.status_code == 302
    assert not Membership.objects.filter(user=outsider, area=area).exists()
    assert not MembershipInvitation.objects.exists()
    assert _row(outsider) == before
    client.force_login(coordinator)
    assert "B. H." not in client.get(reverse("accounts:people", args=[area.slug])).content.decode()


@pytest.mark.parametrize("answer", ["invitation_accept", "invitation_decline"])
def test_only_the_person_asked_may_answer_an_invitation(
    client, coordinator, area, ambassador, outsider, django_capture_on_commit_callbacks, answer
):
    client.force_login(coordinator)
    _invite(client, area, django_capture_on_commit_callbacks, email=outsider.email)
    invitation = MembershipInvitation.objects.get(user=outsider)

    for someone in (coordinator, ambassador):
        client.force_login(someone)
        assert client.post(reverse(f"accounts:{answer}", args=[invitation.pk])).status_code == 403
    assert MembershipInvitation.objects.filter(pk=invitation.pk).exists()
    assert not Membership.objects.filter(user=outsider, area=area).exists()


def test_other_areas_coordinator_cannot_ask_again_for_this_areas_invitation(
    client, coordinator, area, other_area, other_coordinator, outsider, django_capture_on_commit_callbacks, sms_outbox
):
    client.force_login(coordinator)
    _invite(client, area, django_capture_on_commit_callbacks, email=outsider.email)
    invitation = MembershipInvitation.objects.get(user=outsider)
    sent = len(sms_outbox)

    client.force_login(other_coordinator)
    for slug, refused in [(other_area.slug, 404), (area.slug, 403)]:
        response = client.post(reverse("accounts:resend_invitation", args=[slug, invitation.pk]))
        assert response.status_code == refused
    assert len(sms_outbox) == sent
    assert MembershipInvitation.objects.get(pk=invitation.pk).sent_at == invitation.sent_at


def test_coordinator_asks_the_invited_person_again_with_the_same_button(
    client, coordinator, area, outsider, django_capture_on_commit_callbacks, sms_outbox
):
    client.force_login(coordinator)
    _invite(client, area, django_capture_on_commit_callbacks, email=outsider.email)
    invitation = MembershipInvitation.objects.get(user=outsider)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:resend_invitation", args=[area.slug, invitation.pk]), follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Et nyt login-link er sendt til B. H.."]
    assert len([sms for sms in sms_outbox if "/accounts/invitations/" in sms["body"]]) == 2
    assert not LoginLink.objects.filter(user=outsider).exists()


def test_resend_link_refuses_a_membership_that_is_not_an_ambassadors(client, coordinator, area, make_user, mailoutbox):
    colleague = make_user(full_name="Kim Colleague")
    membership = membership_grant(user=colleague, area=area, role=Membership.Role.COORDINATOR)
    client.force_login(coordinator)

    response = client.post(reverse("accounts:resend_link", args=[area.slug, membership.pk]))

    assert response.status_code == 404
    assert not LoginLink.objects.filter(user=colleague).exists()
    assert mailoutbox == []


def test_resend_link_refuses_another_areas_membership_named_under_this_area(
    client, coordinator, area, outsider, sms_outbox
):
    client.force_login(coordinator)
    response = client.post(reverse("accounts:resend_link", args=[area.slug, outsider.memberships.get().pk]))

    assert response.status_code == 404
    assert not LoginLink.objects.filter(user=outsider).exists()
    assert sms_outbox == []


def test_a_person_with_only_an_invitation_may_ask_for_a_sign_in_link(
    client, make_user, area, sms_outbox, django_capture_on_commit_callbacks
):
    person = make_user(full_name="Former Ambassador", phone="+4520100099")
    membership_invitation_create(
        user=person,
        area=area,
        role=Membership.Role.AMBASSADOR,
        full_name="F. A.",
        email="",
        phone=person.phone,
        by=None,
    )

    with django_capture_on_commit_callbacks(execute=True):  # the lookup runs in a task queued on commit
        client.post(reverse("accounts:link_request"), {"identifier": "20100099"})

    assert LoginLink.objects.filter(user=person).exists()


def test_invitations_nobody_answered_lapse_and_are_purged(make_user, area, outsider):
    invitation = membership_invitation_create(
        user=outsider, area=area, role=Membership.Role.AMBASSADOR, full_name="B. H.", email="", phone="", by=None
    )
    MembershipInvitation.objects.filter(pk=invitation.pk).update(invited_at=timezone.now() - timedelta(days=31))

    assert membership_invitation_accept(invitation=invitation) is None
    assert membership_invitations_purge_expired.delay().get() == 1
    assert not MembershipInvitation.objects.exists()
    assert not Membership.objects.filter(user=outsider, area=area).exists()
