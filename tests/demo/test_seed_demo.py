import datetime
import re
from base64 import b32encode

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from apps.accounts.models import Membership, ProgrammeLead, User
from apps.core.phones import phone_normalise
from apps.core.policy import Perm, can
from apps.demo.build import SECOND_AREA_SLUG
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, Entrance, Estate, HousingOrganisation, Tenancy
from apps.surveys.models import Response as SurveyResponse
from apps.surveys.models import Survey, SurveyRound
from apps.surveys.pooled import round_area_rows, round_figures, survey_round_report
from apps.surveys.round_report import rounds_for_user
from apps.visits.models import Ambassador, Visit

pytestmark = pytest.mark.django_db

Role = Membership.Role

LEAD_TOTP_KEY = "7BVOLM4CPXPONPVXINOPBPJKHLTFZGGK"  # as README.md gives it


@pytest.fixture(autouse=True)
def _debug_and_fast_hashing(settings):
    # pytest-django turns DEBUG off; the command needs it. A fast hasher keeps 17 users cheap.
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _counts() -> dict[str, int]:
    return {
        "organisations": HousingOrganisation.objects.count(),
        "areas": Area.objects.count(),
        "estates": Estate.objects.count(),
        "entrances": Entrance.objects.count(),
        "tenancies": Tenancy.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "survey_responses": SurveyResponse.objects.count(),
    }


def test_seed_builds_an_area_with_estates_tenancies_and_every_role():
    call_command("seed_demo")

    assert HousingOrganisation.objects.filter(slug="demo").count() == 1
    area = Area.objects.get(slug="demo")
    assert area.estates.count() == 3
    assert 550 <= Tenancy.objects.filter(estate__area=area).count() <= 650
    memberships = Membership.objects.filter(area=area)
    # 12 ambassadors and two new ones still in their first steps (apps/corps/demo_recruitment.py)
    assert memberships.filter(role=Role.AMBASSADOR).count() == 14
    assert memberships.filter(role=Role.COORDINATOR).count() == 1
    assert memberships.filter(role=Role.INTERVIEWER).count() == 1
    board = memberships.filter(role=Role.BOARD)
    assert board.count() == 2
    assert all(membership.estates.exists() for membership in board)
    assert User.objects.get(email="admin@demo.dk").is_superuser


def test_seed_users_sign_in_with_the_printed_password():
    call_command("seed_demo")

    coordinator = User.objects.get(email="coordinator@demo.dk")
    assert coordinator.check_password(DEMO_PASSWORD)
    validate_password(DEMO_PASSWORD, user=coordinator)


def test_seed_phone_numbers_are_accepted_by_the_sign_in_link_form():
    assert all(phone_normalise(user.phone) == user.phone for user in DEMO_USERS if user.phone)


def test_seed_prints_the_login_table(capsys, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    call_command("seed_demo")

    output = capsys.readouterr().out
    assert "coordinator@demo.dk" in output
    assert DEMO_PASSWORD in output
    assert "http://127.0.0.1:8000/" in output


def test_seed_twice_changes_nothing(capsys):
    call_command("seed_demo")
    first = _counts()

    call_command("seed_demo")

    assert _counts() == first
    assert "Demo data already present." in capsys.readouterr().out


def test_seed_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("seed_demo")

    assert not HousingOrganisation.objects.exists()


# --- Issue 18: a second area and survey rounds across both areas -------------------------------------------


def test_seed_builds_a_second_area_of_the_organisation_with_its_own_coordinator():
    call_command("seed_demo")

    organisation = HousingOrganisation.objects.get(slug="demo")
    second = Area.objects.get(slug=SECOND_AREA_SLUG)
    assert set(second.estates.values_list("organisation", flat=True)) == {organisation.pk}
    assert Tenancy.objects.filter(estate__area=second).count() > 200
    coordinator = User.objects.get(memberships__area=second, memberships__role=Role.COORDINATOR)
    assert coordinator.email == "coordinator2@demo.dk"
    # The first area's people are unchanged: its coordinator coordinates it alone.
    assert list(Membership.objects.filter(user__email="coordinator@demo.dk").values_list("area__slug", flat=True)) == [
        "demo"
    ]
    assert Ambassador.objects.filter(area=second, status=Ambassador.Status.ACTIVE).count() == 4
    assert Visit.objects.filter(area=second, contact_made=True).exists()
    assert Newcomer.objects.in_area(second).count() > 100


def test_seed_prints_the_second_areas_coordinator_with_a_code(capsys):
    call_command("seed_demo")

    output = capsys.readouterr().out
    assert "coordinator2@demo.dk  naboambassador" in output
    assert "coordinator2@demo.dk  key " in output
    assert TOTPDevice.objects.filter(user__email="coordinator2@demo.dk", confirmed=True).exists()


def test_seed_has_two_rounds_over_both_areas_with_answers_and_a_masked_area_figure():
    call_command("seed_demo")

    rounds = list(SurveyRound.objects.order_by("period_start"))
    assert len(rounds) == 2
    assert rounds[1].period_start - rounds[0].period_start == datetime.timedelta(days=365)
    for survey_round in rounds:
        assert sorted(Survey.objects.filter(round=survey_round).values_list("area__slug", flat=True)) == [
            "demo",
            SECOND_AREA_SLUG,
        ]
        report = survey_round_report(round=survey_round)
        assert report["respondents"] >= 40
        assert report["groups"]["contact"] > 0 and report["groups"]["no_contact"] > 0
    # Last year's second area had three answers without contact: its row is masked for anyone not exact.
    figures = round_figures(round=rounds[0])
    rows = [row for code in figures.pooled for row in round_area_rows(figures, code, mask=True)]
    assert any(share.hidden for row in rows if row.area == SECOND_AREA_SLUG for share in row.share.values())
    admin = User.objects.get(email="admin@demo.dk")
    assert all(can(admin, Perm.SURVEY_ROUND_VIEW, survey_round) for survey_round in rounds)
    assert not can(User.objects.get(email="coordinator@demo.dk"), Perm.SURVEY_ROUND_VIEW, rounds[0])


# --- The demo programme lead (issue 18) -------------------------------------------------------------------


def test_seed_has_a_programme_lead_of_the_organisation_who_sees_both_rounds(capsys):
    call_command("seed_demo")

    lead = User.objects.get(email="lead@demo.dk")
    assert lead.check_password(DEMO_PASSWORD)
    assert list(ProgrammeLead.objects.filter(user=lead).values_list("organisation__slug", flat=True)) == ["demo"]
    assert not Membership.objects.filter(user=lead).exists()  # no area of their own: every area page refuses them
    rounds = sorted(survey_round.pk for survey_round in rounds_for_user(user=lead))
    assert len(rounds) == 2 and rounds == sorted(SurveyRound.objects.values_list("pk", flat=True))
    device = TOTPDevice.objects.get(user=lead, confirmed=True)
    output = capsys.readouterr().out
    assert re.search(r"Programme lead.*lead@demo\.dk +naboambassador", output)
    # The same key on every run and in the README, so a newcomer adds it to an authenticator app once.
    assert b32encode(device.bin_key).decode() == LEAD_TOTP_KEY
    assert f"lead@demo.dk  key {LEAD_TOTP_KEY}  code now " in output


def test_seed_twice_keeps_one_programme_lead_with_one_authenticator():
    call_command("seed_demo")
    call_command("seed_demo")

    assert ProgrammeLead.objects.filter(user__email="lead@demo.dk").count() == 1
    assert TOTPDevice.objects.filter(user__email="lead@demo.dk").count() == 1
    assert len(rounds_for_user(user=User.objects.get(email="lead@demo.dk"))) == 2
