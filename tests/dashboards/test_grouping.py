"""The newcomers chart's grouping: months for a big area, quarters or half-years for a small estate, one
grouping per area and period on every page, and never two groupings of the same figures side by side."""

import datetime

import pytest
from django.utils import timezone, translation

from apps.dashboards.display import dashboard_for
from apps.dashboards.grouping import Bucket, Grouping, buckets_of, grouping_choose
from apps.dashboards.periods import period_from_key
from apps.dashboards.services import annual_report_content

YEAR = [datetime.date(2025, m, 1) for m in range(1, 13)]
AFTER = datetime.date(2026, 6, 1)


def _counts(per_month: dict[int, list[int]]) -> dict[tuple[int, datetime.date], int]:
    """{estate: twelve monthly counts} as the area's newcomers by (estate, month)."""
    return {(estate, month): n for estate, ns in per_month.items() for month, n in zip(YEAR, ns, strict=True)}


def test_a_big_area_is_counted_per_month():
    chosen = grouping_choose(_counts({1: [9, 12, 7, 5, 8, 11, 6, 9, 14, 7, 8, 10]}), months=YEAR, today=AFTER)
    assert chosen.grouping == Grouping.MONTH
    assert len(chosen.buckets) == 12


def test_a_small_estate_is_counted_per_quarter():
    # Per month 2 of 12 figures could be shown; per quarter all four are 5 or more.
    chosen = grouping_choose(_counts({1: [2, 1, 3, 2, 2, 1, 5, 1, 0, 2, 3, 6]}), months=YEAR, today=AFTER)
    assert chosen.grouping == Grouping.QUARTER
    assert [len(bucket.months) for bucket in chosen.buckets] == [3, 3, 3, 3]


def test_a_very_small_estate_is_counted_per_half_year():
    # Quarters 3, 2, 4, 3: none shown; half-years 5 and 7: both shown.
    chosen = grouping_choose(_counts({1: [1, 1, 1, 0, 1, 1, 2, 0, 2, 1, 1, 1]}), months=YEAR, today=AFTER)
    assert chosen.grouping == Grouping.HALF_YEAR


def test_the_coarsest_grouping_when_none_shows_two_in_three():
    # Months: 7 of 12 shown (the zeros); quarters 2, 0, 2, 1: one shown; half-years 2 and 4: none.
    chosen = grouping_choose(_counts({1: [1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0]}), months=YEAR, today=AFTER)
    assert chosen.grouping == Grouping.HALF_YEAR  # both halves "< 5": still the fewest hidden bars


def test_two_in_three_shown_is_enough_for_months():
    # 8 of 12 months are 0 or ≥ 5: exactly two thirds.
    chosen = grouping_choose(_counts({1: [5, 5, 5, 5, 0, 0, 0, 5, 1, 2, 3, 4]}), months=YEAR, today=AFTER)
    assert chosen.grouping == Grouping.MONTH


def test_the_rule_counts_every_estate_of_the_area():
    # A big estate's months are all shown, a small one's none: 12 of 24 is too few for months.
    big, small = [8] * 12, [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2]
    assert grouping_choose(_counts({1: big, 2: small}), months=YEAR, today=AFTER).grouping == Grouping.QUARTER


def test_months_not_begun_are_not_counted():
    today = datetime.date(2025, 4, 10)  # the year so far: January to April
    chosen = grouping_choose(_counts({1: [6, 7, 5, 2] + [0] * 8}), months=YEAR, today=today)
    assert chosen.grouping == Grouping.MONTH  # 3 of the 4 months begun, not 11 of 12


def test_a_period_that_is_not_whole_quarters_is_counted_per_month():
    months = YEAR[1:6]  # February to June
    chosen = grouping_choose(_counts({1: [1] * 12}), months=months, today=AFTER)
    assert chosen.grouping == Grouping.MONTH
    with translation.override("en"):
        assert "does not divide into whole quarters" in chosen.explanation


def test_no_newcomers_is_counted_per_month():
    assert grouping_choose({}, months=YEAR, today=AFTER).grouping == Grouping.MONTH


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("da", ["jan. 2025", "1. kvt. 2025", "1. halvår 2025", "2. halvår 2025"]),
        ("en", ["Jan. 2025", "Q1 2025", "H1 2025", "H2 2025"]),
    ],
)
def test_buckets_are_named_in_the_readers_language(language, labels):
    buckets = [Bucket((YEAR[0],)), buckets_of(YEAR, Grouping.QUARTER)[0], *buckets_of(YEAR, Grouping.HALF_YEAR)]
    with translation.override(language):
        assert [bucket.label for bucket in buckets] == labels


def test_the_explanation_says_which_grouping_and_why():
    chosen = grouping_choose(_counts({1: [2, 1, 3, 2, 2, 1, 5, 1, 0, 2, 3, 6]}), months=YEAR, today=AFTER)
    with translation.override("da"):
        assert chosen.explanation.startswith("Opgjort pr. kvartal")
    with translation.override("en"):
        assert chosen.explanation.startswith("Counted per quarter: per month, fewer than two in three")


# --- On the pages ---------------------------------------------------------------------------------


@pytest.fixture
def small_estate_year(make_visit, estate, estate_102):
    """Last year: 2–3 newcomers a month in estate 101 and 2 a month in 102 (every quarter 5 or more)."""
    year = timezone.localdate().year - 1
    for month in range(1, 13):
        for n in range(2 + month % 2):
            make_visit(estate=estate, moved_in=datetime.date(year, month, 3 + n))
        for n in range(2):
            make_visit(estate=estate_102, moved_in=datetime.date(year, month, 10 + n))
    return year


@pytest.mark.django_db
def test_a_small_estates_board_page_shows_quarters_with_no_hidden_quarter(english, area, estate, small_estate_year):
    period = period_from_key(str(small_estate_year), today=timezone.localdate())
    d = dashboard_for(area=area, period=period, estate_ids={estate.pk}, scope="", mask=True, with_area=True)
    assert d.grouping.grouping == Grouping.QUARTER
    assert [row.label for row in d.months] == [f"Q{q} {small_estate_year}" for q in (1, 2, 3, 4)]
    assert [row.now.text for row in d.months] == ["8", "7", "8", "7"]
    assert 'data-grouping="quarter"' not in d.charts["months"]  # the line is on the page, not in the SVG
    assert "Q1" in d.charts["months"] and "&lt; 5" not in d.charts["months"]


@pytest.mark.django_db
def test_every_page_of_a_period_shows_the_same_grouping(area, estate, estate_102, small_estate_year):
    """A quarter and its months are never both shown: the board pages of each estate, the whole-area
    column, the annual report and the coordinator's dashboard of a period all use one grouping."""
    period = period_from_key(str(small_estate_year), today=timezone.localdate())
    pages = [
        dashboard_for(area=area, period=period, estate_ids={estate.pk}, scope="", mask=True, with_area=True),
        dashboard_for(area=area, period=period, estate_ids={estate_102.pk}, scope="", mask=True, with_area=True),
        dashboard_for(area=area, period=period, estate_ids=None, scope="", mask=False, with_area=False),
        annual_report_content(area=area, year=small_estate_year)["d"],
    ]
    assert {d.grouping.grouping for d in pages} == {Grouping.QUARTER}
    assert {tuple(row.key for row in d.months) for d in pages} == {tuple(row.key for row in pages[0].months)}
    # The table that hides figures has the quarters as its columns: no month of it is ever decided or shown.
    assert pages[0].tables.newcomers.columns == [bucket.start for bucket in pages[0].grouping.buckets]


@pytest.mark.django_db
def test_last_year_grouped_otherwise_is_not_set_beside_this_year(english, area, estate, small_estate_year, make_visit):
    """This year per month (many newcomers), last year per quarter: a board page leaves last year's
    column out rather than show last year's quarters as months (or its months beside its quarters)."""
    today = timezone.localdate()
    for month in range(1, today.month + 1):
        for _n in range(6):
            make_visit(estate=estate, moved_in=datetime.date(today.year, month, 1))
    period = period_from_key(str(today.year), today=today)
    board = dashboard_for(area=area, period=period, estate_ids={estate.pk}, scope="", mask=True, with_area=True)
    assert board.grouping.grouping == Grouping.MONTH
    assert not board.compared
    assert all(row.then.hidden and row.then.value is None for row in board.months)
    assert "Same period last year" not in board.charts["months"]
    # The headline's last year is last year's own total, as last year's page shows it.
    assert board.headline[0].then.text == "30"
    # Coordinators see exact figures: last year regrouped per month beside this year.
    exact = dashboard_for(area=area, period=period, estate_ids={estate.pk}, scope="", mask=False, with_area=True)
    assert exact.compared
    assert [row.then.value for row in exact.months][:2] == [3, 2]


@pytest.mark.django_db
def test_a_last_year_without_newcomers_stands_beside_this_years_quarters(english, area, estate, small_estate_year):
    """The year after the small estate's year: nobody moved in the year before it, so its zeros are shown
    beside this year's quarters (zeros give nobody away, in any buckets)."""
    period = period_from_key(str(small_estate_year), today=timezone.localdate())
    d = dashboard_for(area=area, period=period, estate_ids={estate.pk}, scope="", mask=True, with_area=True)
    assert d.grouping.grouping == Grouping.QUARTER
    assert d.compared
    assert [row.then.text for row in d.months] == ["0", "0", "0", "0"]
    assert "Same period last year" in d.charts["months"]
