"""Fixtures for the visits tests: ambassador profiles, newcomers and visits, built through the services.

The users come from tests/conftest.py: `ambassador` (Ali) and `other_ambassador` (Anne) are ambassadors
in `area`; `coordinator` coordinates it. Here they get profiles, and factories make more of everything.
"""

import datetime

import pytest
from django.utils import timezone, translation

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant
from apps.newcomers.models import Newcomer
from apps.organisation.models import Entrance, Tenancy
from apps.visits.models import Activity, Ambassador, Visit
from apps.visits.services import visit_due_date, visits_assign


@pytest.fixture(autouse=True)
def _overview_uncached(settings):
    """Tests change data and look again at once; the overview's short cache has its own test."""
    settings.VISIT_OVERVIEW_CACHE_SECONDS = 0


@pytest.fixture
def english():
    """Reasons and messages are asserted in their English msgids; the app itself speaks Danish."""
    with translation.override("en"):
        yield


@pytest.fixture
def make_tenancy(area):
    """A tenancy in a new (or given) entrance of an estate of `area`."""
    counter = iter(range(1, 10_000))

    def make(*, estate=None, entrance: Entrance | None = None, floor: str = "1", door: str = "th") -> Tenancy:
        n = next(counter)
        estate = estate or (entrance.estate if entrance else area.estates.order_by("number").first())
        if entrance is None:
            entrance = Entrance.objects.create(estate=estate, street="Fixturvej", house_number=str(100 + n))
        return Tenancy.objects.create(
            estate=estate, entrance=entrance, number=f"{estate.number}-F{n:04d}", floor=floor, door=door
        )

    return make


@pytest.fixture
def make_ambassador(make_user, area):
    """An ambassador user with the role and a profile. Keyword arguments go to the profile."""
    counter = iter(range(1, 10_000))

    def make(*, name: str | None = None, in_area=None, **profile) -> Ambassador:
        n = next(counter)
        the_area = in_area or area
        user = make_user(full_name=name or f"Ambassador {n}", phone=f"+45309{n:05d}")
        membership_grant(user=user, area=the_area, role=Membership.Role.AMBASSADOR)
        m2m = {key: profile.pop(key) for key in ("covered_estates", "covered_entrances") if key in profile}
        profile.setdefault("languages", ["da"])
        ambassador = Ambassador.objects.create(user=user, area=the_area, **profile)
        for key, values in m2m.items():
            getattr(ambassador, key).set(values)
        return ambassador

    return make


@pytest.fixture
def make_newcomer(area, make_tenancy):
    counter = iter(range(1, 10_000))

    def make(*, tenancy: Tenancy | None = None, days_ago: int = 5, **fields) -> Newcomer:
        """Moved in `days_ago` days ago and, unless `listed_on` says otherwise, on the list since that day."""
        n = next(counter)
        move_in_date = timezone.localdate() - datetime.timedelta(days=days_ago)
        fields.setdefault("name", f"Newcomer {n}")
        fields.setdefault("phone", f"+45619{n:05d}")
        fields.setdefault("language", "da")
        fields.setdefault("listed_on", move_in_date)
        return Newcomer.objects.create(tenancy=tenancy or make_tenancy(), move_in_date=move_in_date, **fields)

    return make


@pytest.fixture
def ambassador_profile(ambassador, area) -> Ambassador:
    """Ali: speaks Danish and Arabic, lives in estate 102."""
    home = area.estates.get(number="102").tenancies.order_by("number").first()
    return Ambassador.objects.create(user=ambassador, area=area, languages=["da", "ar"], home_tenancy=home)


@pytest.fixture
def other_ambassador_profile(other_ambassador, area) -> Ambassador:
    """Anne: speaks Danish and Turkish, no home tenancy recorded."""
    return Ambassador.objects.create(user=other_ambassador, area=area, languages=["da", "tr"])


@pytest.fixture
def activity(area) -> Activity:
    return Activity.objects.create(area=area, name="Madklub", schedule="Tirsdage 17–19", languages=["da", "ar"])


@pytest.fixture
def visit(area, newcomer, ambassador_profile, coordinator) -> Visit:
    """`newcomer` (Amina, Arabic) assigned to Ali; she came on the list today, 10 days after moving in, so
    the visit is due 14 days from today."""
    [visit] = visits_assign(area=area, assignments=[(newcomer.pk, ambassador_profile.pk)], by=coordinator)
    return visit


def assignment_backdate(visit: Visit, *, days_ago: int) -> Visit:
    """As if the visit had been confirmed `days_ago` days ago: assigned then, due as the rule said then.

    The services always assign today, and today's assignment is never overdue; tests of what happens
    later (reminders, overdue lists) move the assignment back instead of waiting.
    """
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    visit.assigned_at = timezone.now() - datetime.timedelta(days=days_ago)
    visit.due_date = visit_due_date(newcomer=visit.newcomer, assigned_on=day)
    Visit.objects.filter(pk=visit.pk).update(assigned_at=visit.assigned_at, due_date=visit.due_date)
    return visit
