import datetime

import pytest

from apps.dashboards.periods import board_period_choices, last_twelve_months, period_choices, period_from_key

TODAY = datetime.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("2025", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        ("2026-H1", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
        ("2024-Q1", datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)),
        ("2026-Q4", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
        ("2025-11:2026-02", datetime.date(2025, 11, 1), datetime.date(2026, 2, 28)),
        ("last12", datetime.date(2025, 12, 1), datetime.date(2026, 11, 30)),
    ],
)
def test_period_keys_name_whole_months(key, start, end):
    period = period_from_key(key, today=TODAY)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "key", ["", "2026-H3", "2026-Q5", "2026-13:2026-14", "2026-05:2026-01", "1999", "2030", "2015-01:2026-01", "x"]
)
def test_nonsense_period_keys_are_refused(key):
    assert period_from_key(key, today=TODAY) is None


def test_previous_year_is_the_same_months_a_year_earlier():
    quarter = period_from_key("2026-Q1", today=TODAY).previous_year()
    assert (quarter.key, quarter.start, quarter.end) == (
        "2025-Q1",
        datetime.date(2025, 1, 1),
        datetime.date(2025, 3, 31),
    )
    leap = period_from_key("2024-02:2024-02", today=TODAY).previous_year()
    assert (leap.start, leap.end) == (datetime.date(2023, 2, 1), datetime.date(2023, 2, 28))


def test_last_twelve_months_has_twelve_months():
    assert len(last_twelve_months(TODAY).months) == 12


def test_the_menu_offers_only_parts_of_a_year_that_have_begun():
    choices = dict(period_choices(today=TODAY))
    this_year = [key for key, _label in choices["2026"]]
    assert this_year == ["2026", "2026-H1", "2026-H2", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert "2022" in choices and "2021" not in choices


def test_boards_are_offered_calendar_years_only():
    assert [key for key, _label in board_period_choices(today=TODAY)] == ["2026", "2025", "2024", "2023", "2022"]
