"""No hidden count can be worked out from what a board member can open: every (period, estate) page the
member can reach is collected, each shown figure written as the sum of the estate × month (× outcome)
cells it counts, and linear algebra decides which hidden figures the shown ones determine."""

import datetime
import itertools
import random

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant
from apps.dashboards.grouping import buckets_of
from apps.dashboards.periods import add_months, period_from_key
from apps.dashboards.selectors import OUTCOMES, TOPICS
from apps.organisation.models import Entrance, Estate
from apps.visits.models import LaterContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def awkward_area(area, estate, estate_102, make_visit):
    """Three estates; this year and last, every month a small, awkward count (mostly 1–4) per estate; some
    newcomers met contacted their ambassador again about a topic or two (their own random stream)."""
    estate_103 = Estate.objects.create(area=area, organisation=estate.organisation, number="103", name="Tredje Gård")
    Entrance.objects.create(estate=estate_103, street="Tredjevej", house_number="1")
    today = timezone.localdate()
    rng = random.Random(13)
    topic_rng = random.Random(17)
    truth = {}
    for year in (today.year - 1, today.year):
        for month in range(1, 13):
            first = datetime.date(year, month, 1)
            if first > today:
                continue
            for place in (estate, estate_102, estate_103):
                for n in range(rng.choice([0, 1, 1, 2, 3, 4, 4, 6])):
                    outcome = rng.choice(["contact", "contact", "declined", None])
                    visit = make_visit(estate=place, moved_in=first + datetime.timedelta(days=n % 4), outcome=outcome)
                    key = (place.pk, first, outcome or "open")
                    truth[key] = truth.get(key, 0) + 1
                    if outcome == "contact":
                        for topic in topic_rng.sample(TOPICS, topic_rng.choice([0, 0, 1, 2])):
                            LaterContact.objects.create(visit=visit, topic=topic)
                            key = (place.pk, first, f"topic:{topic}")
                            truth[key] = truth.get(key, 0) + 1
    return [estate.pk, estate_102.pk, estate_103.pk], truth


def _asked_periods(today):
    """Every period a board page could be asked for: the menus' keys and custom runs of months."""
    keys = ["last12"]
    for year in range(today.year - 2, today.year + 1):
        keys += [str(year), f"{year}-H1", f"{year}-H2"] + [f"{year}-Q{q}" for q in range(1, 5)]
    params = [{"period": key} for key in keys]
    start = datetime.date(today.year - 1, 1, 1)
    for n in range(24):
        end = add_months(start, n)
        if end <= today:
            params.append({"period": "custom", "from_month": f"{start:%Y-%m}", "to_month": f"{end:%Y-%m}"})
    return params


def _figures(d, *, estate_id, all_estates):
    """(cells, hidden, value) of every count on the page: cells are (kind, estate, month[, outcome])."""
    months, previous = d.period.months, d.previous.months

    def newcomers(estates, months_):
        return frozenset(("n", e, m) for e in estates for m in months_)

    def visits(estates, months_, outcomes):
        return frozenset(("v", e, m, o) for e in estates for m in months_ for o in outcomes)

    def topics(estates, months_, key):
        return frozenset(("t", e, m, key) for e in estates for m in months_)

    mine = [estate_id]
    found = []

    def add(cells, cell):
        if cell is not None and cells:
            found.append((cells, cell.hidden, cell.value))

    rows = {row.key: row for row in d.headline}
    add(newcomers(mine, months), rows["newcomers"].now)
    add(newcomers(mine, previous), rows["newcomers"].then)
    add(newcomers(all_estates, months), rows["newcomers"].area)
    add(visits(mine, months, OUTCOMES), rows["visits"].now)
    add(visits(mine, previous, OUTCOMES), rows["visits"].then)
    add(visits(all_estates, months, OUTCOMES), rows["visits"].area)
    # Newcomers per bucket (month, quarter or half-year); last year's beside them only in the same buckets.
    last_buckets = buckets_of(previous, d.grouping.grouping)
    for row, bucket, last in zip(d.months, d.grouping.buckets, last_buckets, strict=True):
        add(newcomers(mine, bucket.months), row.now)
        add(newcomers(mine, last.months) if d.compared else None, row.then)
        add(newcomers(all_estates, bucket.months), row.area)
    for row in d.outcomes:
        add(visits(mine, months, [row.key]), row.now)
        add(visits(mine, previous, [row.key]), row.then)
        add(visits(all_estates, months, [row.key]), row.area)
    # Newcomers met who contacted their ambassador again, per topic.
    for row in d.later_topics:
        add(topics(mine, months, row.key), row.now)
        add(topics(mine, previous, row.key), row.then)
        add(topics(all_estates, months, row.key), row.area)
    return found


def _true_value(cells, truth):
    total = 0
    for cell in cells:
        if cell[0] == "n":
            total += sum(n for (e, m, o), n in truth.items() if (e, m) == cell[1:] and not o.startswith("topic:"))
        else:
            total += truth.get(cell[1:], 0)
    return total


def test_no_hidden_count_of_one_to_four_can_be_derived_from_a_board_members_pages(
    client, make_user, area, awkward_area
):
    estate_ids, truth = awkward_area
    member = make_user(full_name="Bestyrelse To Afdelinger")
    two = Estate.objects.filter(pk__in=estate_ids[:2])  # the boards of two of the three estates
    membership_grant(user=member, area=area, role=Membership.Role.BOARD, estates=two)
    client.force_login(member)
    today = timezone.localdate()

    shown, hidden = {}, set()
    for estate_id, params in itertools.product(estate_ids[:2], _asked_periods(today)):
        response = client.get(reverse("dashboards:board_estate", args=[estate_id]), params)
        d = response.context["d"]
        asked = params["period"] if params["period"] != "custom" else f"{params['from_month']}:{params['to_month']}"
        if d.period.key != asked:  # refused: the default period is shown, never the one asked for
            assert response.status_code == 400
            assert period_from_key(d.period.key, today=today) is not None
        for cells, is_hidden, value in _figures(d, estate_id=estate_id, all_estates=estate_ids):
            if is_hidden:
                hidden.add(cells)
            else:
                assert value == _true_value(cells, truth)
                shown[cells] = value

    # Hidden figures, and the single cells behind them, whose true value is 1–4.
    atoms = {frozenset([cell]) for cells in hidden for cell in cells}
    secrets = [cells for cells in hidden | atoms if 0 < _true_value(cells, truth) < 5]
    assert secrets, "the data should have small counts to hide"

    # A figure is determined by the shown ones when its cell vector lies in their span.
    columns = sorted({cell for cells in [*shown, *secrets] for cell in cells}, key=repr)
    index = {cell: i for i, cell in enumerate(columns)}

    def vector(cells):
        v = np.zeros(len(columns))
        v[[index[c] for c in cells]] = 1
        return v

    matrix = np.array([vector(cells) for cells in shown])
    _u, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    basis = vt[singular > 1e-9]
    derived = [
        (sorted(cells, key=repr)[:3], _true_value(cells, truth))
        for cells in secrets
        if np.linalg.norm(vector(cells) - basis.T @ (basis @ vector(cells))) < 1e-6
    ]
    assert derived == []

    # And no two shown figures, one inside the other, differ by 1–4 people.
    differences = [
        (shown[a] - shown[b]) for a, b in itertools.permutations(shown, 2) if b < a and 0 < shown[a] - shown[b] < 5
    ]
    assert differences == []
