"""Fixtures for the dashboards: history written directly (newcomers, visits, meetings in the past), the
way the figures see it. `area` (estates 101 and 102) and `other_area` (201) come from tests/conftest.py;
`board_member` sits on the board of estate 101."""

import datetime
import itertools

import pytest
from django.utils import timezone, translation

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant
from apps.meetings.models import Invitation, NetworkMeeting
from apps.newcomers.models import Newcomer
from apps.organisation.models import Entrance, Estate, Tenancy
from apps.visits.models import Activity, Ambassador, Referral, Visit


@pytest.fixture(autouse=True)
def _uncached(settings):
    """Tests change data and look again at once; the cache has its own test."""
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def estate_102(area) -> Estate:
    return area.estates.get(number="102")


@pytest.fixture
def make_visit(area):
    """A newcomer in an estate with a visit: open, or closed with `outcome`; met `days` after moving in."""
    counter = itertools.count(1)

    def make(
        *,
        estate: Estate,
        moved_in: datetime.date,
        outcome: str | None = "contact",
        days: int | None = None,
        folder: bool | None = None,
        ambassador: Ambassador | None = None,
        interests: list[Activity] = (),
        name: str = "",
    ) -> Visit:
        n = next(counter)
        entrance = estate.entrances.first() or Entrance.objects.create(
            estate=estate, street="Fixturvej", house_number="1"
        )
        tenancy = Tenancy.objects.create(estate=estate, entrance=entrance, number=f"{estate.number}-V{n:05d}")
        newcomer = Newcomer.objects.create(tenancy=tenancy, move_in_date=moved_in, name=name or f"Tilflytter {n}")
        met = outcome == "contact"
        visit = Visit.objects.create(
            area=estate.area,
            estate=estate,
            newcomer=newcomer,
            move_in_date=moved_in,
            ambassador=ambassador,
            due_date=moved_in + datetime.timedelta(days=14),
            status=Visit.Status.CLOSED if outcome else Visit.Status.OPEN,
            closed_at=timezone.now() if outcome else None,
            close_reason=outcome or "",
            contact_made=met,
            days_to_contact=(days if days is not None else 7) if met else None,
            folder_delivered=folder if folder is not None else outcome in ("contact", "folder_left"),
        )
        for activity in interests:
            Referral.objects.create(visit=visit, activity=activity)
        return visit

    return make


@pytest.fixture
def make_ambassador(make_user, area):
    counter = itertools.count(1)

    def make(
        *, home: Estate | None = None, status: str = Ambassador.Status.ACTIVE, name: str | None = None
    ) -> Ambassador:
        n = next(counter)
        user = make_user(full_name=name or f"Dash Ambassador {n}", phone=f"+45319{n:05d}")
        membership_grant(user=user, area=area, role=Membership.Role.AMBASSADOR)
        tenancy = None
        if home is not None:
            tenancy = Tenancy.objects.create(
                estate=home, entrance=home.entrances.first(), number=f"{home.number}-A{n:04d}"
            )
        return Ambassador.objects.create(user=user, area=area, home_tenancy=tenancy, status=status)

    return make


@pytest.fixture
def make_held_meeting(area):
    """A meeting that took place `days_ago`, with attendance taken: `came` came, `missed` did not."""

    def make(*, days_ago: int, came: list[Ambassador], missed: list[Ambassador] = ()) -> NetworkMeeting:
        starts_at = timezone.now() - datetime.timedelta(days=days_ago)
        meeting = NetworkMeeting.objects.create(
            area=area, title="Netværksmøde", starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2)
        )
        Invitation.objects.bulk_create(
            [Invitation(meeting=meeting, ambassador=a, attended=True) for a in came]
            + [Invitation(meeting=meeting, ambassador=a, attended=False) for a in missed]
        )
        return meeting

    return make
