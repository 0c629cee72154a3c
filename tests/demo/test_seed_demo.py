import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from apps.accounts.models import Membership, User
from apps.core.phones import phone_normalise
from apps.organisation.models import Area, Entrance, Estate, HousingOrganisation, Tenancy
from apps.surveys.models import Response as SurveyResponse

pytestmark = pytest.mark.django_db

Role = Membership.Role


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
