"""The access helpers every area page uses: the area named in the URL (`area_for_user`) and an object
named in an area's URL (`get_in_area`), which refuses another area's object even to someone who may
work in both areas, so no view has to compare areas itself."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant
from apps.core.policy import Perm
from apps.organisation.selectors import area_for_user, get_in_area
from apps.visits.models import Activity

pytestmark = pytest.mark.django_db

ACTIVITY = {"name": "Lektiecafé", "languages": ["da"], "is_active": "on"}


@pytest.fixture
def coordinator_of_both(make_user, area, other_area):
    user = make_user(full_name="Bodil Bothareas")
    membership_grant(user=user, area=area, role=Membership.Role.COORDINATOR)
    membership_grant(user=user, area=other_area, role=Membership.Role.COORDINATOR)
    return user


@pytest.fixture
def foreign_activity(other_area) -> Activity:
    return Activity.objects.create(area=other_area, name="Madklub")


def test_the_coordinator_gets_their_area(coordinator, area):
    assert area_for_user(coordinator, area.slug) == area


def test_another_areas_coordinator_is_refused_the_area(other_coordinator, area):
    with pytest.raises(PermissionDenied):
        area_for_user(other_coordinator, area.slug)


def test_an_unknown_area_is_not_found(coordinator):
    with pytest.raises(Http404):
        area_for_user(coordinator, "nowhere")


def test_an_object_of_another_area_is_refused_through_this_areas_url(coordinator_of_both, area, foreign_activity):
    with pytest.raises(PermissionDenied):
        get_in_area(coordinator_of_both, Perm.ACTIVITY_MANAGE, Activity, area=area, pk=foreign_activity.pk)


def test_an_object_of_another_area_can_be_refused_as_not_found(coordinator_of_both, area, foreign_activity):
    with pytest.raises(Http404):
        get_in_area(
            coordinator_of_both, Perm.ACTIVITY_MANAGE, Activity, area=area, outside=Http404, pk=foreign_activity.pk
        )


def test_an_object_is_found_through_its_own_areas_url(coordinator_of_both, other_area, foreign_activity):
    found = get_in_area(coordinator_of_both, Perm.ACTIVITY_MANAGE, Activity, area=other_area, pk=foreign_activity.pk)
    assert found == foreign_activity


def test_editing_another_areas_activity_through_this_areas_url_changes_nothing(
    client, coordinator_of_both, area, other_area, foreign_activity
):
    client.force_login(coordinator_of_both)

    response = client.post(reverse("visits:activity_edit", args=[area.slug, foreign_activity.pk]), ACTIVITY)

    assert response.status_code == 403
    foreign_activity.refresh_from_db()
    assert foreign_activity.name == "Madklub"


def test_the_same_coordinator_edits_the_activity_through_its_own_areas_url(
    client, coordinator_of_both, other_area, foreign_activity
):
    client.force_login(coordinator_of_both)

    response = client.post(reverse("visits:activity_edit", args=[other_area.slug, foreign_activity.pk]), ACTIVITY)

    assert response.status_code == 302
    foreign_activity.refresh_from_db()
    assert foreign_activity.name == "Lektiecafé"
