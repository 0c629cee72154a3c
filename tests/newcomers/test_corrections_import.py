"""A coordinator's correction beats a later move-in list, on both import paths."""

import pytest

from apps.newcomers.models import Newcomer
from apps.newcomers.services import newcomer_correct
from tests.newcomers import HEADER, english, line
from tests.newcomers.test_import_engine import fast, run_import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
__all__ = ["english", "fast", "run_import"]


def test_import_keeps_the_coordinators_phone_and_says_so(run_import, coordinator):
    run_import([HEADER, line()])
    amina = Newcomer.objects.get()
    newcomer_correct(newcomer=amina, by=coordinator, phone="40 50 60 70")

    outcome = run_import([HEADER, line(phone="22 33 44 55", email="ny@example.org")])

    amina.refresh_from_db()
    assert amina.phone == "+4540506070"
    assert amina.email == "ny@example.org"  # not corrected: the list still updates it
    assert [(c.line, c.fields) for c in outcome.changes] == [(2, ["email"])]
    kept = [(p.line, p.column, p.message, p.level) for p in outcome.problems]
    assert kept == [
        (2, "Telefon", "Kept the coordinator's correction of the phone; the file's value was not used.", "warning")
    ]
    assert "22" not in kept[0][2]


def test_import_with_only_a_corrected_field_differing_is_unchanged(run_import, coordinator):
    run_import([HEADER, line()])
    amina = Newcomer.objects.get()
    newcomer_correct(newcomer=amina, by=coordinator, language="so")

    outcome = run_import([HEADER, line(language="arabisk")])

    assert (outcome.updated, outcome.unchanged) == (0, 1)
    assert Newcomer.objects.get().language == "so"
    assert len(outcome.warnings) == 1


def test_import_agreeing_with_the_correction_reports_nothing(run_import, coordinator):
    run_import([HEADER, line()])
    newcomer_correct(newcomer=Newcomer.objects.get(), by=coordinator, phone="40506070")

    outcome = run_import([HEADER, line(phone="40 50 60 70")])

    assert outcome.problems == []
    assert outcome.unchanged == 1
