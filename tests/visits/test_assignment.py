"""The assignment rules: who is proposed for which newcomer, and confirming or changing it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.models import Message
from apps.visits.models import Ambassador, Visit
from apps.visits.services import assignment_propose, visit_reassign, visits_assign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _proposal_for(area, newcomer):
    [proposal] = [p for p in assignment_propose(area=area) if p.newcomer.pk == newcomer.pk]
    return proposal


def test_language_match_is_preferred_over_living_nearby(area, make_ambassador, make_newcomer, make_tenancy):
    home = make_tenancy()
    neighbour = make_ambassador(languages=["da"], home_tenancy=make_tenancy(entrance=home.entrance))
    speaker = make_ambassador(languages=["da", "so"])
    newcomer = make_newcomer(tenancy=home, language="so")

    proposal = _proposal_for(area, newcomer)

    assert proposal.ambassador == speaker
    assert "Speaks Somali." in proposal.reasons
    assert neighbour.pk != speaker.pk


def test_same_entrance_beats_same_estate_beats_covering(area, make_ambassador, make_newcomer, make_tenancy):
    home = make_tenancy()
    estate = home.estate
    covers = make_ambassador(covered_entrances=[home.entrance], covered_estates=[estate])
    same_estate = make_ambassador(home_tenancy=make_tenancy(estate=estate))
    same_entrance = make_ambassador(home_tenancy=make_tenancy(entrance=home.entrance))
    newcomer = make_newcomer(tenancy=home)

    assert _proposal_for(area, newcomer).ambassador == same_entrance
    same_entrance.status = Ambassador.Status.PAUSED
    same_entrance.save()
    assert _proposal_for(area, newcomer).ambassador == same_estate
    same_estate.status = Ambassador.Status.PAUSED
    same_estate.save()
    proposal = _proposal_for(area, newcomer)
    assert proposal.ambassador == covers
    assert "Covers this entrance." in proposal.reasons


def test_covering_the_estate_beats_living_elsewhere(area, make_ambassador, make_newcomer, make_tenancy):
    home = make_tenancy()
    make_ambassador()  # lives somewhere unknown, covers nothing
    covers_estate = make_ambassador(covered_estates=[home.estate])

    proposal = _proposal_for(area, make_newcomer(tenancy=home))

    assert proposal.ambassador == covers_estate
    assert "Covers this estate." in proposal.reasons


def test_ambassador_at_capacity_this_month_is_skipped(area, make_ambassador, make_newcomer, coordinator):
    busy = make_ambassador(visits_per_month=1)
    free = make_ambassador(visits_per_month=1)
    # `busy` has its one visit of the month already; it is closed, and still counts.
    first = make_newcomer()
    visits_assign(area=area, assignments=[(first.pk, busy.pk)], by=coordinator)
    Visit.objects.filter(newcomer=first).update(
        status=Visit.Status.CLOSED, close_reason=Visit.CloseReason.CONTACT, closed_at=timezone.now()
    )

    proposal = _proposal_for(area, make_newcomer())

    assert proposal.ambassador == free
    assert "Has 1 visit left this month." in proposal.reasons


def test_visits_assigned_in_earlier_months_do_not_use_this_months_capacity(
    area, make_ambassador, make_newcomer, coordinator
):
    ambassador = make_ambassador(visits_per_month=1)
    earlier = make_newcomer(days_ago=60)
    visits_assign(area=area, assignments=[(earlier.pk, ambassador.pk)], by=coordinator)
    Visit.objects.filter(newcomer=earlier).update(assigned_at=timezone.now() - datetime.timedelta(days=62))

    assert _proposal_for(area, make_newcomer()).ambassador == ambassador


def test_fewest_open_visits_breaks_a_tie(area, make_ambassador, make_newcomer, coordinator):
    loaded = make_ambassador(visits_per_month=10)
    light = make_ambassador(visits_per_month=10)
    for _ in range(2):
        visits_assign(area=area, assignments=[(make_newcomer().pk, loaded.pk)], by=coordinator)
    visits_assign(area=area, assignments=[(make_newcomer().pk, light.pk)], by=coordinator)

    proposal = _proposal_for(area, make_newcomer())

    assert proposal.ambassador == light
    assert "Has 1 open visit." in proposal.reasons


def test_equal_ambassadors_are_proposed_in_a_fixed_order(area, make_ambassador, make_newcomer):
    first, _second = make_ambassador(), make_ambassador()
    newcomer = make_newcomer()

    assert {_proposal_for(area, newcomer).ambassador for _ in range(3)} == {first}


def test_a_batch_spreads_the_work_and_respects_capacity(area, make_ambassador, make_newcomer):
    a, b = make_ambassador(visits_per_month=1), make_ambassador(visits_per_month=1)
    newcomers = [make_newcomer(days_ago=10 - i) for i in range(3)]

    proposals = assignment_propose(area=area)

    assert [p.newcomer for p in proposals] == newcomers  # oldest move-in first
    assert [p.ambassador for p in proposals] == [a, b, None]


def test_ambassador_is_never_proposed_for_their_own_household(area, make_ambassador, make_newcomer, make_tenancy):
    home = make_tenancy()
    resident = make_ambassador(home_tenancy=home, languages=["ar"])
    other = make_ambassador(languages=["da"])

    proposal = _proposal_for(area, make_newcomer(tenancy=home, language="ar"))

    assert proposal.ambassador == other
    assert proposal.ambassador != resident


def test_no_ambassador_fits_gives_none_with_a_reason(area, make_ambassador, make_newcomer, make_tenancy):
    home = make_tenancy()
    make_ambassador(home_tenancy=home)  # the only ambassador lives there
    make_ambassador(in_area=None, status=Ambassador.Status.LEFT)

    proposal = _proposal_for(area, make_newcomer(tenancy=home))

    assert proposal.ambassador is None
    assert proposal.reasons == ["No active ambassador fits this newcomer."]


def test_everyone_at_capacity_gives_none_with_a_reason(area, make_ambassador, make_newcomer, coordinator):
    ambassador = make_ambassador(visits_per_month=1)
    visits_assign(area=area, assignments=[(make_newcomer().pk, ambassador.pk)], by=coordinator)

    proposal = _proposal_for(area, make_newcomer())

    assert proposal.ambassador is None
    assert proposal.reasons == ["Every ambassador who fits has no capacity left this month."]


@pytest.mark.parametrize("status", [Ambassador.Status.PAUSED, Ambassador.Status.LEFT])
def test_paused_or_former_ambassadors_are_never_proposed(area, make_ambassador, make_newcomer, status):
    make_ambassador(status=status, languages=["ar"])

    proposal = _proposal_for(area, make_newcomer(language="ar"))

    assert proposal.ambassador is None


def test_newcomer_who_asked_not_to_be_contacted_gets_no_proposal(area, make_ambassador, make_newcomer):
    make_ambassador()
    quiet = make_newcomer(do_not_contact=True)

    assert quiet.pk not in {p.newcomer.pk for p in assignment_propose(area=area)}


def test_newcomer_who_asked_not_to_be_contacted_cannot_be_assigned(area, make_ambassador, make_newcomer, coordinator):
    ambassador = make_ambassador()
    quiet = make_newcomer(do_not_contact=True)

    with pytest.raises(ValidationError):
        visits_assign(area=area, assignments=[(quiet.pk, ambassador.pk)], by=coordinator)
    assert not Visit.objects.exists()


def test_newcomers_with_a_visit_are_not_proposed_again(area, visit, newcomer, other_ambassador_profile):
    assert newcomer.pk not in {p.newcomer.pk for p in assignment_propose(area=area)}


def test_proposals_take_a_constant_number_of_queries(
    area, make_ambassador, make_newcomer, make_tenancy, django_assert_num_queries
):
    estate = area.estates.order_by("number").first()
    for _ in range(2):
        make_ambassador(covered_estates=[estate], covered_entrances=[make_tenancy().entrance])
        make_newcomer()
    with django_assert_num_queries(5):
        assert len(assignment_propose(area=area)) == 2
    for _ in range(6):
        make_ambassador(covered_estates=[estate], covered_entrances=[make_tenancy().entrance])
        make_newcomer()
    with django_assert_num_queries(5):
        assert len(assignment_propose(area=area)) == 8


def test_confirming_creates_visits_due_after_move_in_and_tells_the_ambassador(
    area, make_newcomer, ambassador_profile, coordinator, settings
):
    settings.VISIT_DUE_DAYS = 21
    newcomer = make_newcomer(days_ago=10)  # on the list since the move-in

    [visit] = visits_assign(area=area, assignments=[(newcomer.pk, ambassador_profile.pk)], by=coordinator)

    assert visit.due_date == newcomer.move_in_date + datetime.timedelta(days=21)
    assert visit.ambassador == ambassador_profile and visit.area == area and visit.is_open
    message = Message.objects.get()
    assert message.to_user == ambassador_profile.user
    assert message.idempotency_key == f"visit-assigned:{visit.pk}:{ambassador_profile.pk}"


def test_confirming_is_all_or_nothing(area, make_newcomer, make_tenancy, make_ambassador, coordinator):
    home = make_tenancy()
    ambassador = make_ambassador(home_tenancy=home)
    fine, own_household = make_newcomer(), make_newcomer(tenancy=home)

    with pytest.raises(ValidationError):
        visits_assign(
            area=area, assignments=[(fine.pk, ambassador.pk), (own_household.pk, ambassador.pk)], by=coordinator
        )

    assert not Visit.objects.exists()
    assert not Message.objects.exists()


def test_confirming_refuses_ambassadors_of_another_area(area, other_area, newcomer, make_ambassador, coordinator):
    outsider = make_ambassador(in_area=other_area)

    with pytest.raises(ValidationError):
        visits_assign(area=area, assignments=[(newcomer.pk, outsider.pk)], by=coordinator)


def test_coordinator_of_another_area_cannot_assign(area, newcomer, ambassador_profile, other_coordinator):
    with pytest.raises(PermissionDenied):
        visits_assign(area=area, assignments=[(newcomer.pk, ambassador_profile.pk)], by=other_coordinator)
    assert not Visit.objects.exists()


def test_a_visit_can_be_reassigned(visit, other_ambassador_profile, coordinator):
    visit_reassign(visit=visit, ambassador=other_ambassador_profile, by=coordinator)

    visit.refresh_from_db()
    assert visit.ambassador == other_ambassador_profile
    assert Message.objects.filter(idempotency_key=f"visit-assigned:{visit.pk}:{other_ambassador_profile.pk}").exists()


def test_a_closed_visit_cannot_be_reassigned(visit, other_ambassador_profile, coordinator, ambassador_profile):
    Visit.objects.filter(pk=visit.pk).update(
        status=Visit.Status.CLOSED, close_reason=Visit.CloseReason.CONTACT, closed_at=timezone.now()
    )

    with pytest.raises(ValidationError):
        visit_reassign(visit=visit, ambassador=other_ambassador_profile, by=coordinator)
    visit.refresh_from_db()
    assert visit.ambassador == ambassador_profile
