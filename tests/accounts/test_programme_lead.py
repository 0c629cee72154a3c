"""Issue 18: the programme lead (evaluator) of a housing organisation — granted by an administrator, signs
in with two-factor, sees the survey rounds of their own organisation only and no area page at all."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from apps.accounts.models import LoginLink, ProgrammeLead, User
from apps.accounts.selectors import user_may_get_sign_in_link
from apps.audit.models import AccessLogEntry
from apps.core.navigation import navigation_for
from apps.core.policy import Perm, can, two_factor_required
from apps.organisation.models import HousingOrganisation
from apps.surveys.models import SurveyRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme_lead(make_user, organisation):
    user = make_user(full_name="Petra Programmelead")
    ProgrammeLead.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def other_organisation():
    return HousingOrganisation.objects.create(name="Boligselskabet Anden", slug="anden")


def _round(organisation, title="Round 2026"):
    return SurveyRound.objects.create(
        organisation=organisation,
        title=title,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
    )


# --- Granting the role -----------------------------------------------------------------------------------


def test_grant_command_creates_the_account_and_sends_a_sign_in_link(
    organisation, mailoutbox, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the message leaves after the commit
        call_command("grant_programme_lead", "Petra@Example.org", organisation="test", name="Petra Programmelead")

    user = User.objects.get(email="petra@example.org")
    assert user.full_name == "Petra Programmelead"
    assert ProgrammeLead.objects.filter(user=user, organisation=organisation).count() == 1
    assert LoginLink.objects.filter(user=user, channel=LoginLink.Channel.EMAIL).count() == 1
    assert [message.to for message in mailoutbox] == [["petra@example.org"]]
    out = capsys.readouterr().out
    assert "Created the account" in out and "sign-in link" in out


def test_grant_command_gives_an_existing_account_the_role_once(make_user, organisation, mailoutbox):
    user = make_user(email="petra@example.org")

    call_command("grant_programme_lead", "petra@example.org", organisation="test")
    call_command("grant_programme_lead", "petra@example.org", organisation="test")

    assert User.objects.filter(email="petra@example.org").count() == 1
    assert ProgrammeLead.objects.filter(user=user).count() == 1
    assert LoginLink.objects.filter(user=user).count() == 2  # each grant sends a fresh link


def test_grant_command_refuses_an_unknown_organisation(mailoutbox):
    with pytest.raises(CommandError):
        call_command("grant_programme_lead", "petra@example.org", organisation="nowhere")

    assert not User.objects.filter(email="petra@example.org").exists()
    assert not ProgrammeLead.objects.exists()
    assert mailoutbox == []


def test_programme_lead_may_ask_for_a_new_sign_in_link(programme_lead, make_user):
    assert user_may_get_sign_in_link(user=programme_lead)
    assert not user_may_get_sign_in_link(user=make_user())


# --- Two-factor ------------------------------------------------------------------------------------------


def test_programme_lead_must_confirm_a_totp_code(programme_lead, make_user):
    assert two_factor_required(programme_lead)
    assert not two_factor_required(make_user())  # an account with no role at all


def test_programme_lead_without_a_device_is_sent_to_set_one_up(programme_lead):
    plain = Client()
    plain.force_login(programme_lead)

    response = plain.get(reverse("accounts:invitations"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_ambassador_who_is_also_programme_lead_must_confirm_a_totp_code(ambassador, organisation):
    ProgrammeLead.objects.create(user=ambassador, organisation=organisation)
    fresh = User.objects.get(pk=ambassador.pk)  # the role is read once per request

    assert two_factor_required(fresh)


def test_ambassador_needs_no_extra_query_for_two_factor(ambassador, django_assert_num_queries):
    fresh = User.objects.get(pk=ambassador.pk)

    with django_assert_num_queries(2):  # the memberships (programme lead or not in the same row) and estates
        assert not two_factor_required(fresh)


# --- The rule: their own organisation's rounds, nothing else ---------------------------------------------


def test_programme_lead_may_view_their_organisations_round(programme_lead, organisation):
    assert can(programme_lead, Perm.SURVEY_ROUND_VIEW, _round(organisation))


def test_programme_lead_may_not_view_another_organisations_round(programme_lead, other_organisation):
    assert not can(programme_lead, Perm.SURVEY_ROUND_VIEW, _round(other_organisation))


def test_outsider_and_coordinator_of_no_area_in_the_round_may_not_view_it(make_user, coordinator, organisation):
    survey_round = _round(organisation)

    assert not can(make_user(), Perm.SURVEY_ROUND_VIEW, survey_round)
    assert not can(coordinator, Perm.SURVEY_ROUND_VIEW, survey_round)  # the round has no area of theirs


def test_programme_lead_may_do_nothing_in_an_area(programme_lead, area):
    for perm in (Perm.AREA_MANAGE, Perm.SURVEY_MANAGE, Perm.ESTATE_VIEW_FIGURES):
        assert not can(programme_lead, perm, area)


@pytest.mark.parametrize(
    "name", ["organisation:area_detail", "visits:overview", "surveys:list", "dashboards:area", "accounts:people"]
)
def test_programme_lead_is_refused_area_pages(client, programme_lead, area, name):
    client.force_login(programme_lead)
    response = client.get(reverse(name, args=[area.slug]))

    assert response.status_code == 403


def test_programme_lead_lands_on_the_survey_rounds(client, programme_lead):
    client.force_login(programme_lead)
    response = client.get(reverse("access:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:round_list")


# --- The Django admin ------------------------------------------------------------------------------------


def test_admin_lists_programme_leads_and_logs_whose_role_it_showed(client, make_user, programme_lead):
    client.force_login(make_user(is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:accounts_programmelead_changelist"))
    change = client.get(
        reverse("admin:accounts_programmelead_change", args=[programme_lead.programme_lead_roles.get().pk])
    )

    assert listing.status_code == 200 and "Petra Programmelead" in listing.content.decode()
    assert change.status_code == 200
    entries = AccessLogEntry.objects.filter(subject_kind=AccessLogEntry.SubjectKind.PERSON)
    assert entries.count() == 2
    assert {s for e in entries for s in e.subjects.values_list("object_id", flat=True)} == {programme_lead.pk}


def test_programme_lead_menu_holds_only_the_survey_rounds(programme_lead):
    items = navigation_for(User.objects.get(pk=programme_lead.pk))

    assert [item.url for item in items] == [reverse("surveys:round_list")]
