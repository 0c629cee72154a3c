"""A later list with a corrected move-in date corrects the newcomer (and its visit), on both import paths."""

import datetime

import pytest
from django.utils import timezone

from apps.newcomers.importing import Field
from apps.newcomers.models import Newcomer
from apps.newcomers.services import newcomer_correct
from apps.visits.models import Ambassador, Visit
from tests.newcomers import HEADER, english, line
from tests.newcomers.test_import_engine import fast, run_import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
__all__ = ["english", "fast", "run_import"]

OCT_25 = datetime.date(2026, 10, 25)
OCT_28 = datetime.date(2026, 10, 28)
NOV_1 = datetime.date(2026, 11, 1)
NOV_3 = datetime.date(2026, 11, 3)


def warnings(outcome) -> list[tuple[int, str, str]]:
    return [(p.line, p.column, p.message) for p in outcome.warnings]


def visit_make(newcomer: Newcomer, *, ambassador=None, **fields) -> Visit:
    """A visit given on 28 October, as visits_assign makes it (due 14 days after the move-in)."""
    assigned = timezone.make_aware(datetime.datetime.combine(OCT_28, datetime.time(12)))
    visit = Visit.objects.create(
        area=newcomer.tenancy.estate.area,
        estate=newcomer.tenancy.estate,
        newcomer=newcomer,
        move_in_date=newcomer.move_in_date,
        ambassador=ambassador,
        assigned_at=assigned if ambassador else None,
        due_date=newcomer.move_in_date + datetime.timedelta(days=14),
        **fields,
    )
    Visit.objects.filter(pk=visit.pk).update(created_at=assigned)
    return visit


@pytest.fixture
def listed(run_import) -> Newcomer:
    """Amina, moved in on 1 November, on the list since 25 October (her visit counts from the move-in)."""
    run_import([HEADER, line()])
    Newcomer.objects.update(listed_on=OCT_25)
    return Newcomer.objects.get()


@pytest.fixture
def held_by(ambassador, area) -> Ambassador:
    return Ambassador.objects.create(user=ambassador, area=area, languages=["da"])


def test_a_corrected_move_in_date_corrects_the_newcomer_and_says_so(run_import, listed):
    outcome = run_import([HEADER, line(date="03-11-2026")])

    assert (outcome.created, outcome.updated, outcome.unchanged, outcome.error_count) == (0, 1, 0, 0)
    assert [(c.line, c.newcomer_id, c.fields) for c in outcome.changes] == [(2, listed.pk, ["move_in_date"])]
    assert warnings(outcome) == [(2, "Indflytningsdato", "Move-in date corrected from 01/11/2026 to 03/11/2026.")]
    newcomer = Newcomer.objects.get()
    assert (newcomer.pk, newcomer.move_in_date, newcomer.listed_on) == (listed.pk, NOV_3, OCT_25)


def test_the_corrected_list_imported_again_changes_nothing(run_import, listed):
    run_import([HEADER, line(date="03-11-2026")])
    again = run_import([HEADER, line(date="03-11-2026")])
    assert (again.created, again.updated, again.unchanged, again.problems) == (0, 0, 1, [])
    assert list(Newcomer.objects.values_list("move_in_date", flat=True)) == [NOV_3]


def test_a_correction_updates_the_other_details_but_keeps_the_coordinators_phone(run_import, listed, coordinator):
    newcomer_correct(newcomer=listed, by=coordinator, phone="40 50 60 70")

    outcome = run_import([HEADER, line(date="03-11-2026", phone="22 33 44 55", email="ny@example.org")])

    newcomer = Newcomer.objects.get()
    assert (newcomer.move_in_date, newcomer.phone, newcomer.email) == (NOV_3, "+4540506070", "ny@example.org")
    assert outcome.changes[0].fields == ["move_in_date", "email"]
    assert [message for _line, _column, message in warnings(outcome)] == [
        "Move-in date corrected from 01/11/2026 to 03/11/2026.",
        "Kept the coordinator's correction of the phone; the file's value was not used.",
    ]


def test_a_held_visit_follows_the_correction_and_never_falls_due_sooner(run_import, listed, held_by):
    visit = visit_make(listed, ambassador=held_by)
    assert visit.due_date == datetime.date(2026, 11, 15)

    run_import([HEADER, line(date="03-11-2026")])
    visit.refresh_from_db()
    assert (visit.move_in_date, visit.due_date) == (NOV_3, datetime.date(2026, 11, 17))

    # Corrected back, earlier than before: the ambassador's due date does not move under them.
    outcome = run_import([HEADER, line(date="30-10-2026")])
    assert outcome.updated == 1
    visit.refresh_from_db()
    assert (visit.move_in_date, visit.due_date) == (datetime.date(2026, 10, 30), datetime.date(2026, 11, 17))


def test_a_waiting_visit_is_due_as_the_rule_says_for_the_corrected_date(run_import, listed):
    visit = visit_make(listed)
    run_import([HEADER, line(date="30-10-2026")])
    visit.refresh_from_db()
    assert (visit.move_in_date, visit.due_date) == (datetime.date(2026, 10, 30), datetime.date(2026, 11, 13))


def test_a_closed_visit_takes_the_date_and_counts_the_days_to_contact_from_it(run_import, listed):
    closed_at = timezone.make_aware(datetime.datetime(2026, 11, 6, 12))
    visit = visit_make(
        listed,
        status=Visit.Status.CLOSED,
        closed_at=closed_at,
        close_reason=Visit.CloseReason.CONTACT,
        contact_made=True,
        days_to_contact=5,
    )
    run_import([HEADER, line(date="03-11-2026")])
    visit.refresh_from_db()
    assert (visit.move_in_date, visit.days_to_contact, visit.due_date) == (NOV_3, 3, datetime.date(2026, 11, 15))


def test_the_nearest_of_two_newcomers_is_corrected(run_import):
    run_import([HEADER, line(date="20-10-2026"), line(date="01-11-2026")])
    outcome = run_import([HEADER, line(date="03-11-2026")])
    assert (outcome.created, outcome.updated) == (0, 1)
    assert sorted(Newcomer.objects.values_list("move_in_date", flat=True)) == [datetime.date(2026, 10, 20), NOV_3]


def test_two_equally_near_newcomers_are_not_guessed_between(run_import):
    run_import([HEADER, line(date="30-10-2026"), line(date="05-11-2026")])
    before = sorted(Newcomer.objects.values_list("pk", "move_in_date", "phone", "updated_at"))

    outcome = run_import([HEADER, line(date="02-11-2026", phone="31223344")])

    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 0)
    assert [(p.line, p.column) for p in outcome.errors] == [(2, "Indflytningsdato")]
    assert "equally close" in outcome.errors[0].message
    assert sorted(Newcomer.objects.values_list("pk", "move_in_date", "phone", "updated_at")) == before


def test_a_date_further_than_the_window_is_a_new_household(run_import, listed, settings):
    outcome = run_import([HEADER, line(date="16-11-2026")])  # 15 days after the known move-in
    assert (outcome.created, outcome.updated, outcome.warnings) == (1, 0, [])
    settings.IMPORT_MOVE_IN_CORRECTION_DAYS = 1
    outcome = run_import([HEADER, line(date="03-11-2026")])
    assert (outcome.created, outcome.updated) == (1, 0)
    assert Newcomer.objects.get(pk=listed.pk).move_in_date == NOV_1
    assert Newcomer.objects.count() == 3


def test_an_anonymised_newcomer_is_neither_corrected_nor_listed_again(run_import, listed):
    Newcomer.objects.update(name="", phone="", email="", language="", anonymised_at=timezone.now())

    outcome = run_import([HEADER, line(date="03-11-2026")])

    assert (outcome.created, outcome.updated, outcome.unchanged, outcome.problems) == (0, 0, 1, [])
    newcomer = Newcomer.objects.get()
    assert (newcomer.move_in_date, newcomer.name, newcomer.phone) == (NOV_1, "", "")


def test_the_first_of_two_lines_matching_one_newcomer_holds_it(run_import, listed):
    outcome = run_import([HEADER, line(date="03-11-2026"), line(date="01-11-2026", phone="31223344")])

    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 0)
    assert [(p.line, p.column) for p in outcome.errors] == [(3, "Indflytningsdato")]
    assert outcome.errors[0].message.startswith("Line 2 already names the newcomer")
    newcomer = Newcomer.objects.get()
    assert (newcomer.move_in_date, newcomer.phone) == (NOV_3, "+4522334455")


def test_a_repeated_correcting_line_is_a_duplicate_not_a_second_correction(run_import, listed):
    outcome = run_import([HEADER, line(date="03-11-2026"), line(date="03-11-2026")])
    assert (outcome.created, outcome.updated, outcome.error_count) == (0, 1, 0)
    assert [p.line for p in outcome.warnings] == [2, 3]


def test_the_dry_run_preview_counts_a_correction_as_an_update_and_changes_nothing(run_import, listed):
    outcome = run_import([HEADER, line(date="03-11-2026")], dry_run=True)
    assert (outcome.created, outcome.updated) == (0, 1)
    assert [Field(name).label for name in outcome.changes[0].fields] == ["Move-in date"]
    assert Newcomer.objects.get().move_in_date == NOV_1
