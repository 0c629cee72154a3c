"""Shared fixtures: a small organisation, and the three-user pattern extended to every role.

`coordinator` works in `area`; `other_coordinator` works in `other_area` and must see nothing of `area`.
Three roles that probes found holes around: `former_ambassador` (left `area` a few days ago, still within
the grace period after their last visit), `empty_area_coordinator` (of `empty_area`, which has no estates)
and `two_area_user` (an ambassador in `area` who coordinates `other_area`).
"""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant, user_create
from apps.core.policy import two_factor_required
from apps.core.sms import LocmemSmsBackend
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, Entrance, Estate, HousingOrganisation, Tenancy
from apps.visits.models import Ambassador, Visit
from naboambassador.celery import app as celery_app

Role = Membership.Role


@pytest.fixture(autouse=True)
def _messaging_in_memory(settings):
    """SMS and e-mail stay in memory (the only things mocked: they leave the building)."""
    settings.SMS_BACKEND = "apps.core.sms.LocmemSmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    LocmemSmsBackend.outbox.clear()
    yield
    LocmemSmsBackend.outbox.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads (ambassador photos) go to a temporary folder, not the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Production hashing is slow on purpose; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache is Redis in `make test`; throttles and the like must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in-process unless a test starts a real worker (see tests/core/test_worker.py)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A browser test that fails leaves a screenshot of each page it had open, named in the report."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and item.get_closest_marker("browser"):
        # Imported here: tests.browser loads Playwright and allows Django's sync calls from an event loop,
        # which only the browser tests should have.
        from tests.browser import failure_screenshots

        saved = failure_screenshots(item)
        if saved:
            report.sections.append(("Screenshots", "\n".join(str(path) for path in saved)))


@pytest.fixture
def browser():
    """The system Chromium for one test (tests/browser.py, imported here for the reason above)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch_chromium

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


class TwoFactorClient(Client):
    """The test client, whose `force_login` also confirms a TOTP code for coordinators and admins.

    Two-factor sign-in is enforced on every test (the middleware is on); tests about other things start
    from a session that has passed it, as a real coordinator's has. tests/accounts/test_two_factor.py
    proves the enforcement itself with sessions that have not.
    """

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if two_factor_required(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="test", confirmed=True
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client() -> TwoFactorClient:
    return TwoFactorClient()


@pytest.fixture
def sms_outbox() -> list[dict]:
    return LocmemSmsBackend.outbox


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 10_000))

    def make(
        *,
        full_name: str | None = None,
        email: str | None = "",
        phone: str = "",
        password: str | None = "naboambassador-test",
        **extra,
    ):
        n = next(counter)
        if email == "":
            email = f"user{n}@example.org"
        return user_create(email=email, full_name=full_name or f"Person {n}", phone=phone, password=password, **extra)

    return make


@pytest.fixture
def organisation(db) -> HousingOrganisation:
    return HousingOrganisation.objects.create(name="Boligselskabet Test", slug="test")


def build_area(organisation: HousingOrganisation, slug: str, estate_numbers: list[str]) -> Area:
    area = Area.objects.create(name=f"Area {slug}", slug=slug)
    for number in estate_numbers:
        estate = Estate.objects.create(organisation=organisation, area=area, number=number, name=f"Estate {number}")
        entrance = Entrance.objects.create(
            estate=estate, street=f"Testvej {number}", house_number="1", postcode="5220", city="Odense SØ"
        )
        for i in range(1, 4):
            Tenancy.objects.create(
                estate=estate, entrance=entrance, number=f"{number}-{i:04d}", floor=str(i), door="tv"
            )
    return area


@pytest.fixture
def area(organisation) -> Area:
    return build_area(organisation, "north", ["101", "102"])


@pytest.fixture
def other_area(organisation) -> Area:
    return build_area(organisation, "south", ["201"])


@pytest.fixture
def estate(area) -> Estate:
    return area.estates.get(number="101")


@pytest.fixture
def tenancy(estate) -> Tenancy:
    return estate.tenancies.order_by("number").first()


@pytest.fixture
def newcomer(tenancy) -> Newcomer:
    return Newcomer.objects.create(
        tenancy=tenancy,
        move_in_date=timezone.localdate() - datetime.timedelta(days=10),
        name="Amina Newcomer",
        phone="+4561111111",
        email="amina@example.org",
        language="ar",
    )


@pytest.fixture
def coordinator(make_user, area):
    user = make_user(full_name="Carla Coordinator")
    membership_grant(user=user, area=area, role=Role.COORDINATOR)
    return user


@pytest.fixture
def other_coordinator(make_user, other_area):
    user = make_user(full_name="Otto Othercoordinator")
    membership_grant(user=user, area=other_area, role=Role.COORDINATOR)
    return user


@pytest.fixture
def ambassador(make_user, area):
    user = make_user(full_name="Ali Ambassador", phone="+4520100011")
    membership_grant(user=user, area=area, role=Role.AMBASSADOR)
    return user


@pytest.fixture
def other_ambassador(make_user, area):
    user = make_user(full_name="Anne Ambassador", phone="+4520100012")
    membership_grant(user=user, area=area, role=Role.AMBASSADOR)
    return user


def other_area_ambassador_create(make_user, *, other_area: Area, phone: str = "+4520100017"):
    """An active ambassador of `other_area`, with a profile there: an ambassador, but not of `area`. A check
    that asks "is an ambassador?" without the area lets them into `area`'s visits, folders and meetings."""
    user = make_user(full_name="Olga Otherarea", phone=phone)
    membership_grant(user=user, area=other_area, role=Role.AMBASSADOR)
    Ambassador.objects.create(user=user, area=other_area, languages=["da"])
    return user


@pytest.fixture
def other_area_ambassador(make_user, other_area):
    return other_area_ambassador_create(make_user, other_area=other_area)


@pytest.fixture
def board_member(make_user, area, estate):
    user = make_user(full_name="Bent Boardmember")
    membership_grant(user=user, area=area, role=Role.BOARD, estates=[estate])
    return user


@pytest.fixture
def interviewer(make_user, area):
    user = make_user(full_name="Ida Interviewer")
    membership_grant(user=user, area=area, role=Role.INTERVIEWER)
    return user


def former_ambassador_create(make_user, *, area: Area, tenancy: Tenancy, phone: str = "+4520100019"):
    """An ambassador of `area` who left three days ago; two days before that they closed a visit (met the
    newcomer), so the visit is still within VISIT_CONTACT_GRACE_DAYS (7). Leaving keeps the membership: a
    coordinator ends it separately, and the policy must already refuse their visits (`_holds_visit`)."""
    user = make_user(full_name="Frida Former", phone=phone)
    membership_grant(user=user, area=area, role=Role.AMBASSADOR)
    today = timezone.localdate()
    profile = Ambassador.objects.create(
        user=user,
        area=area,
        languages=["da"],
        status=Ambassador.Status.LEFT,
        status_since=today - datetime.timedelta(days=3),
    )
    newcomer = Newcomer.objects.create(
        tenancy=tenancy, move_in_date=today - datetime.timedelta(days=20), name="Nadia Met"
    )
    Visit.objects.create(
        area=area,
        estate=tenancy.estate,
        newcomer=newcomer,
        ambassador=profile,
        move_in_date=newcomer.move_in_date,
        due_date=newcomer.move_in_date + datetime.timedelta(days=14),
        assigned_at=timezone.now() - datetime.timedelta(days=15),
        status=Visit.Status.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=5),
        close_reason=Visit.CloseReason.CONTACT,
        contact_made=True,
    )
    return user


def two_area_user_create(make_user, *, area: Area, other_area: Area, phone: str = "+4520100018"):
    """An active ambassador in `area` who is also the coordinator of `other_area`: the combination most
    likely to leak. A check that asks "is a coordinator?" without the area, or "is a member of this area?"
    without the role, lets them into `area`'s coordinator pages; and their sessions pass two-factor, so
    nothing else stands in the way."""
    user = make_user(full_name="Tove Twoareas", phone=phone)
    membership_grant(user=user, area=area, role=Role.AMBASSADOR)
    membership_grant(user=user, area=other_area, role=Role.COORDINATOR)
    Ambassador.objects.create(user=user, area=area, languages=["da"])
    return user


@pytest.fixture
def empty_area(organisation) -> Area:
    return build_area(organisation, "east", [])


@pytest.fixture
def empty_area_coordinator(make_user, empty_area):
    user = make_user(full_name="Emil Emptyarea")
    membership_grant(user=user, area=empty_area, role=Role.COORDINATOR)
    return user


@pytest.fixture
def former_ambassador(make_user, area):
    return former_ambassador_create(
        make_user, area=area, tenancy=area.estates.get(number="102").tenancies.order_by("number")[0]
    )


@pytest.fixture
def two_area_user(make_user, area, other_area):
    return two_area_user_create(make_user, area=area, other_area=other_area)
