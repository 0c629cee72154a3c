"""The small-number rules (apps/dashboards/privacy.py), one rule per test."""

from apps.dashboards.privacy import (
    Share,
    area_breakdown_cells,
    area_count_cell,
    area_percent_cell,
    breakdown_cells,
    count_cell,
    percent_cell,
)


def test_counts_of_one_to_four_people_are_hidden_zero_and_five_are_shown():
    assert [count_cell(n, mask=True).text for n in (0, 1, 4, 5, 17)] == ["0", "< 5", "< 5", "5", "17"]
    assert count_cell(3, mask=True).value is None


def test_coordinators_see_exact_counts():
    assert count_cell(3, mask=False).text == "3"


def test_a_percentage_needs_at_least_five_people_behind_it():
    assert percent_cell(Share(1, 4), mask=True).text == "–"
    assert percent_cell(Share(1, 4), mask=True).base.text == "< 5"
    assert percent_cell(Share(2, 5), mask=True).text == "40\u00a0%"
    assert percent_cell(Share(1, 4), mask=False).text == "25\u00a0%"


def test_a_single_hidden_part_of_a_shown_total_takes_the_next_smallest_with_it():
    cells = breakdown_cells([20, 3, 9, 0], mask=True)
    assert [c.text for c in cells] == ["20", "< 5", "–", "0"]


def test_two_hidden_parts_need_nothing_more():
    cells = breakdown_cells([20, 3, 2, 9], mask=True)
    assert [c.text for c in cells] == ["20", "< 5", "< 5", "9"]


def test_the_area_figure_is_hidden_when_the_rest_of_the_area_is_a_small_number():
    assert area_count_cell(33, 30, mask=True).text == "–"  # 3 people outside the estate
    assert area_count_cell(35, 30, mask=True).text == "35"
    assert area_count_cell(33, 30, mask=False).text == "33"
    assert area_percent_cell(Share(20, 33), Share(18, 30), mask=True).text == "–"


def test_area_parts_hide_small_rests_and_keep_the_total_from_giving_them_away():
    cells = area_breakdown_cells([30, 12, 8], [28, 5, 8], mask=True)  # 2 outside in the first part
    assert [c.text for c in cells] == ["–", "12", "–"]  # … and the next smallest with it
