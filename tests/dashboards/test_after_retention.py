"""The figures boards and coordinators see stay the same after the nightly retention run has anonymised
newcomers (12 months) and visit details (24 months), and after a newcomer's erasure request."""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from apps.dashboards.periods import period_from_key
from apps.dashboards.selectors import area_counts_compute
from apps.newcomers.models import Newcomer
from apps.privacy.services import newcomer_erase, retention_apply
from apps.visits.models import Attempt, Visit

pytestmark = pytest.mark.django_db


def _counts(area, today):
    counts = {}
    for key in ("last12", *(str(today.year - n) for n in range(4))):
        period = period_from_key(key, today=today)
        figures = dataclasses.asdict(area_counts_compute(area=area, period=period, today=today))
        figures.pop("computed_at")
        counts[key] = figures
    return counts


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def three_years(area, estate, estate_102, make_visit, make_ambassador, today):
    ambassador = make_ambassador()
    outcomes = ["contact", "contact", "folder_left", "declined", "not_home_limit", "moved_away", None]
    for months_ago in range(1, 37, 2):
        for i, outcome in enumerate(outcomes):
            moved_in = today - datetime.timedelta(days=30 * months_ago + i)
            make_visit(
                estate=estate if i % 2 else estate_102,
                moved_in=moved_in,
                outcome=outcome if months_ago > 1 else None,
                days=5 + i if outcome == "contact" else None,
                ambassador=ambassador,
            )


def test_retention_leaves_every_dashboard_figure_as_it_was(area, three_years, today):
    before = _counts(area, today)
    assert len(before) == 5

    run = retention_apply(today=today)

    assert run.counts["newcomers_anonymised"] > 0 and run.counts["visits_anonymised"] > 0
    assert Newcomer.objects.filter(anonymised_at__isnull=False).exists()
    assert Visit.objects.filter(anonymised_at__isnull=False, ambassador__isnull=True).exists()
    assert _counts(area, today) == before


def test_an_erasure_leaves_the_figures_as_they_were(area, three_years, today, coordinator):
    visit = Visit.objects.filter(status=Visit.Status.CLOSED, contact_made=True).order_by("-move_in_date").first()
    Attempt.objects.create(visit=visit, recorded_by=coordinator, outcome=Attempt.Outcome.MET_TALKED)
    before = _counts(area, today)
    newcomer_erase(newcomer=visit.newcomer, actor=coordinator, path="/")

    visit.refresh_from_db()
    assert visit.anonymised_at and visit.newcomer.name == ""
    assert _counts(area, today) == before
