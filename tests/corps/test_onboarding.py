"""Onboarding: accepting a candidate invites them, starts their profile and a first-steps checklist."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import LoginLink, Membership, MembershipInvitation, User
from apps.accounts.services import membership_invitation_accept
from apps.corps.models import Candidate, Onboarding
from apps.privacy.selectors import person_data
from apps.privacy.services import person_erase
from apps.visits.models import Ambassador, AmbassadorStatusChange

pytestmark = pytest.mark.django_db


def _accept(client, area, candidate, on_commit, **data):
    with on_commit(execute=True):
        return client.post(reverse("corps:candidate_accept", args=[area.slug, candidate.pk]), data)


def test_accepting_asks_for_confirmation_first_and_changes_nothing(client, area, coordinator, candidate):
    client.force_login(coordinator)
    response = client.post(reverse("corps:candidate_accept", args=[area.slug, candidate.pk]))

    assert response.status_code == 200
    assert "Optag og invitér" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.INTERESTED
    assert not User.objects.filter(phone=candidate.phone).exists()


def test_accepting_creates_the_account_role_profile_history_and_sends_the_sign_in_link(
    client, area, coordinator, candidate, sms_outbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    response = _accept(client, area, candidate, django_capture_on_commit_callbacks, confirm="1")

    user = User.objects.get(phone="+4531234567")
    ambassador = Ambassador.objects.get(user=user, area=area)
    candidate.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("corps:onboarding", args=[area.slug, ambassador.pk])
    assert Membership.objects.filter(user=user, area=area, role=Membership.Role.AMBASSADOR).exists()
    assert (candidate.stage, candidate.ambassador, candidate.user) == ("accepted", ambassador, user)
    assert ambassador.status == Ambassador.Status.ACCEPTED
    assert ambassador.languages == ["so", "da"]
    assert ambassador.recruited_via == Ambassador.RecruitedVia.PERSONAL_REQUEST
    assert list(AmbassadorStatusChange.objects.filter(ambassador=ambassador).values_list("status", flat=True)) == [
        "accepted"
    ]
    assert Onboarding.objects.filter(ambassador=ambassador).exists()
    assert LoginLink.objects.filter(user=user).count() == 1
    assert sms_outbox[-1]["to"] == "+4531234567"
    assert "/accounts/link/" in sms_outbox[-1]["body"]


def test_a_candidate_from_the_public_page_gets_the_link_by_email(
    client, area, coordinator, make_candidate, django_capture_on_commit_callbacks
):
    candidate = make_candidate(email="web@example.org", channel="web_form", consent_at=timezone.now())
    client.force_login(coordinator)
    _accept(client, area, candidate, django_capture_on_commit_callbacks, confirm="1")

    assert mail.outbox[-1].to == ["web@example.org"]
    assert "/accounts/link/" in mail.outbox[-1].body
    assert Ambassador.objects.get(user__email="web@example.org").recruited_via == "web_form"


def test_someone_with_an_account_elsewhere_is_asked_and_gets_the_profile_once_they_accept(
    client, area, coordinator, other_area_ambassador, make_candidate, django_capture_on_commit_callbacks
):
    candidate = make_candidate(email="", phone=other_area_ambassador.phone)
    client.force_login(coordinator)
    _accept(client, area, candidate, django_capture_on_commit_callbacks, confirm="1")

    candidate.refresh_from_db()
    assert candidate.awaits_invitation
    assert candidate.user == other_area_ambassador
    assert not Membership.objects.filter(user=other_area_ambassador, area=area).exists()
    page = client.get(reverse("corps:candidate", args=[area.slug, candidate.pk])).content.decode()
    assert "Venter på, at personen tager imod invitationen" in page

    client.post(reverse("corps:candidate_profile", args=[area.slug, candidate.pk]))
    assert not Ambassador.objects.filter(user=other_area_ambassador, area=area).exists()

    membership_invitation_accept(invitation=MembershipInvitation.objects.get(user=other_area_ambassador, area=area))
    response = client.post(reverse("corps:candidate_profile", args=[area.slug, candidate.pk]))

    ambassador = Ambassador.objects.get(user=other_area_ambassador, area=area)
    candidate.refresh_from_db()
    assert response.status_code == 302
    assert candidate.ambassador == ambassador
    assert ambassador.status == Ambassador.Status.ACCEPTED


def test_a_decided_candidate_cannot_be_accepted_again(client, area, coordinator, make_candidate):
    candidate = make_candidate(stage="not_continuing", stop_reason="other", decided_on=timezone.localdate())
    client.force_login(coordinator)
    client.post(reverse("corps:candidate_accept", args=[area.slug, candidate.pk]), {"confirm": "1"})

    assert not User.objects.filter(email=candidate.email).exists()


@pytest.fixture
def newcomer_profile(area, ambassador):
    profile = Ambassador.objects.create(user=ambassador, area=area, status=Ambassador.Status.ACCEPTED)
    Onboarding.objects.create(ambassador=profile)
    return profile


@pytest.fixture
def mentor(area, other_ambassador):
    return Ambassador.objects.create(user=other_ambassador, area=area, status=Ambassador.Status.ACTIVE)


def test_the_coordinator_ticks_first_steps_and_assigns_a_mentor(client, area, coordinator, newcomer_profile, mentor):
    today = timezone.localdate().isoformat()
    client.force_login(coordinator)
    response = client.post(
        reverse("corps:onboarding", args=[area.slug, newcomer_profile.pk]),
        {"intro_talk_on": today, "expectations_on": today, "first_visit_with": mentor.pk, "mentor": mentor.pk},
    )

    onboarding = Onboarding.objects.get(ambassador=newcomer_profile)
    assert response.status_code == 302
    assert onboarding.steps_done == 2
    assert onboarding.mentor == mentor
    assert onboarding.first_visit_with == mentor


def test_the_checklist_says_ambassadors_are_neighbours_not_inspectors(client, area, coordinator, newcomer_profile):
    client.force_login(coordinator)
    content = client.get(reverse("corps:onboarding", args=[area.slug, newcomer_profile.pk])).content.decode()

    assert "naboer, ikke kontrollanter" in content


def test_a_mentor_must_be_an_active_ambassador_of_the_area_and_not_themselves(
    client, area, coordinator, newcomer_profile, other_area_ambassador, other_area
):
    elsewhere = Ambassador.objects.get(user=other_area_ambassador, area=other_area)
    client.force_login(coordinator)
    url = reverse("corps:onboarding", args=[area.slug, newcomer_profile.pk])

    for mentor in (elsewhere, newcomer_profile):
        assert client.post(url, {"mentor": mentor.pk}).status_code == 400
    assert Onboarding.objects.get(ambassador=newcomer_profile).mentor is None


def test_the_ambassador_sees_their_own_first_steps_and_mentor(client, ambassador, newcomer_profile, mentor):
    Onboarding.objects.filter(ambassador=newcomer_profile).update(mentor=mentor, intro_talk_on=timezone.localdate())
    client.force_login(ambassador)
    content = client.get(reverse("visits:my_profile")).content.decode()

    assert "Dine første skridt" in content
    assert "Anne Ambassador" in content


def test_the_board_moves_a_new_ambassador_from_accepted_to_trained_to_active(
    client, area, coordinator, newcomer_profile
):
    client.force_login(coordinator)
    url = reverse("corps:ambassador_advance", args=[area.slug, newcomer_profile.pk])

    assert client.post(url, {"status": "trained"}).status_code == 200  # the confirmation
    newcomer_profile.refresh_from_db()
    assert newcomer_profile.status == "accepted"
    client.post(url, {"status": "trained", "confirm": "1"})
    client.post(url, {"status": "active", "confirm": "1"})

    newcomer_profile.refresh_from_db()
    assert newcomer_profile.status == "active"
    assert list(newcomer_profile.status_changes.values_list("status", flat=True)) == ["trained", "active"]


def test_a_double_click_does_not_skip_a_stage(client, area, coordinator, newcomer_profile):
    client.force_login(coordinator)
    url = reverse("corps:ambassador_advance", args=[area.slug, newcomer_profile.pk])
    client.post(url, {"status": "trained", "confirm": "1"})
    client.post(url, {"status": "trained", "confirm": "1"})

    newcomer_profile.refresh_from_db()
    assert newcomer_profile.status == "trained"


@pytest.mark.parametrize("who", ["other_coordinator", "ambassador"])
def test_others_cannot_move_an_ambassador_or_tick_their_first_steps(
    client, request, area, newcomer_profile, mentor, who
):
    client.force_login(request.getfixturevalue(who))
    advance = client.post(
        reverse("corps:ambassador_advance", args=[area.slug, newcomer_profile.pk]),
        {"status": "trained", "confirm": "1"},
    )
    steps = client.post(reverse("corps:onboarding", args=[area.slug, newcomer_profile.pk]), {"mentor": mentor.pk})

    assert advance.status_code == steps.status_code == 403
    newcomer_profile.refresh_from_db()
    assert newcomer_profile.status == "accepted"
    assert Onboarding.objects.get(ambassador=newcomer_profile).mentor is None


def test_erasing_a_person_erases_their_candidate_rows(area, coordinator, ambassador, make_candidate):
    linked = make_candidate(email="", phone=ambassador.phone)
    other = make_candidate()

    person_erase(user=ambassador, actor=coordinator, path="/test/")

    assert list(Candidate.objects.values_list("pk", flat=True)) == [other.pk]
    assert not Candidate.objects.filter(pk=linked.pk).exists()


def test_a_persons_data_export_shows_what_they_wrote_as_a_candidate(area, ambassador, make_candidate):
    make_candidate(email="", phone=ambassador.phone, motivation="Jeg vil gerne hjælpe")

    data = person_data(user=ambassador)

    rows = next(value for key, value in _sections(data) if str(key) == "Som kandidat")
    assert [row["Et par ord om hvorfor"] for row in rows] == ["Jeg vil gerne hjælpe"]


def _sections(data):
    for value in data.values():
        if isinstance(value, dict):
            yield from value.items()
