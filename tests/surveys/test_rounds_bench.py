"""bench/rounds_data.py and bench/rounds_load.py on a tiny size, so the scripts cannot rot: the visits bench
of two areas over two years, its survey rounds, and the load script's in-process part (the queries of every
page for two rounds or two programme leads, the parts of a cache miss timed). PostgreSQL only (COPY)."""

import sys
from pathlib import Path

import pytest
from django.db import connection

from apps.surveys.models import Response, SurveyRound

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_rounds():
    if connection.vendor != "postgresql":
        pytest.skip("the bench writes with PostgreSQL's COPY")
    import rounds_data
    import visits_data

    visits_data.build(tenancies=150, ambassadors=10, visits=600, areas=2, years=2, seed=4)
    return rounds_data.build_rounds(years=2, seed=4, invite=0.6)


def test_rounds_data_makes_a_round_a_year_with_answers_in_every_group(bench_rounds):
    assert bench_rounds["rounds"] == 2 and bench_rounds["surveys"] == 4 and bench_rounds["programme leads"] == 5
    assert bench_rounds["invitations"] > 50 and bench_rounds["answers"] > 5 * bench_rounds["responses"] // 2
    rounds = SurveyRound.objects.filter(organisation__slug="bench")
    assert [r.period_start.year for r in rounds.order_by("period_start")] == [
        r.period_end.year for r in rounds.order_by("period_start")
    ]
    groups = set(Response.objects.exclude(group="").values_list("group", flat=True))
    assert {"contact", "no_contact"} <= groups
    assert Response.objects.filter(source=Response.Source.IMPORT).count() == 2 * 15


def test_rounds_load_counts_the_same_queries_for_two_rounds(bench_rounds, capsys):
    import rounds_load

    pages = rounds_load.targets(4)
    assert set(pages) == set(rounds_load.PAGES)
    found = rounds_load.count_queries(pages)
    for page, (first, second) in found.items():
        assert first == second, (page, first, second)
        assert first[1] <= first[0], page  # warm no dearer than cold
    rounds_load.time_parts(repeat=1)
    out = capsys.readouterr().out
    assert "queries  newest" in out and "round_figures" in out
