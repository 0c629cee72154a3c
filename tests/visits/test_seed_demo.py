"""The demo area's visits: every state is there to look at, and the data keeps the rules."""

import io

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from apps.visits.models import Activity, Ambassador, LaterContact, Referral, SupportConversation, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())


def test_seed_gives_every_demo_ambassador_a_profile_and_a_few_activities():
    # The visits' twelve, seven former ambassadors (the corps' history) and two in onboarding (recruitment).
    # The first demo area's; the second area (issue 18) has ambassadors and activities of its own.
    ambassadors = Ambassador.objects.filter(area__slug="demo")
    assert ambassadors.count() == 21
    assert ambassadors.filter(status=Ambassador.Status.PAUSED).count() == 1
    assert ambassadors.filter(status=Ambassador.Status.LEFT).count() == 7
    assert ambassadors.filter(status__in=[Ambassador.Status.ACCEPTED, Ambassador.Status.TRAINED]).count() == 2
    assert Activity.objects.filter(area__slug="demo").count() == 5


def test_seed_has_visits_in_every_state():
    closed = set(Visit.objects.closed().values_list("close_reason", flat=True))
    assert closed == set(Visit.CloseReason.values)
    assert Visit.objects.waiting().exists()
    assert Visit.objects.open().filter(ambassador__isnull=False).exists()
    assert Referral.objects.exists()


def test_seed_has_contacts_after_the_visit_only_on_visits_where_they_met():
    contacts = LaterContact.objects.select_related("visit__ambassador")
    assert contacts.exists()
    assert all(c.visit.contact_made and c.recorded_by_id == c.visit.ambassador.user_id for c in contacts)
    assert all(c.contacted_on >= timezone.localdate(c.visit.closed_at) for c in contacts)


def test_seed_visits_keep_the_rules():
    assert not Visit.objects.filter(ambassador__home_tenancy=F("newcomer__tenancy")).exists()
    met = Visit.objects.filter(close_reason=Visit.CloseReason.CONTACT)
    assert not met.filter(days_to_contact__isnull=True).exists()
    assert all(visit.attempts.exists() for visit in Visit.objects.closed())


def test_seed_has_support_notes_one_of_them_with_a_board_member():
    assert SupportConversation.objects.count() == 5
    karen = Ambassador.objects.get(user__full_name="Karen Østergaard")
    assert karen.support_conversations.exists() and karen.sits_on_board
    assert not SupportConversation.objects.filter(recorded_by__isnull=True).exists()
