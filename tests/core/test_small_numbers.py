"""The small-number rules (apps/core/small_numbers.py), one rule per test."""

from apps.core.small_numbers import Share, Table, count_cell, percent_cell, suppress


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
    table = Table(["a"], [1, 2, 3, 4], [[20, 3, 9, 0]])
    assert [table.cell("a", c).text for c in (1, 2, 3, 4)] == ["20", "< 5", "–", "0"]


def test_two_small_hidden_parts_whose_sum_is_under_five_take_a_third_with_them():
    table = Table(["a"], [1, 2, 3, 4], [[20, 2, 2, 9]])  # 2 + 2 = 4 would be the total minus the rest
    assert [table.cell("a", c).text for c in (1, 2, 3, 4)] == ["20", "< 5", "< 5", "–"]


def test_the_area_figure_and_an_estates_never_both_show_when_the_rest_is_a_small_number():
    table = Table(["a", "b"], ["m"], [[30], [3]])  # 3 people outside estate a
    assert table.cell("b").text == "< 5"
    assert table.cell("a").hidden or table.cell(None).hidden


def test_a_hidden_figure_is_hidden_on_every_estates_page():
    table = Table(["a", "b", "c"], [1, 2], [[6, 3], [7, 8], [9, 9]])
    hidden = {
        (row, column) for row in ("a", "b", "c", None) for column in (1, 2, None) if table.cell(row, column).hidden
    }
    again = Table(["c", "b", "a"], [1, 2], [[9, 9], [7, 8], [6, 3]])
    assert hidden == {(r, c) for r in ("a", "b", "c", None) for c in (1, 2, None) if again.cell(r, c).hidden}


def test_a_share_needs_its_base_its_yes_and_its_rest_all_shown():
    hidden = Table(["a"], ["yes", "rest"], [[8, 2]]).share("a", "yes", "rest")  # 80 % of 10 says 2 said no
    assert hidden.hidden and hidden.text == "–" and hidden.base.text == "10"
    shown = Table(["a"], ["yes", "rest"], [[8, 5]]).share("a", "yes", "rest")
    assert not shown.hidden and shown.text == "62\u00a0%" and shown.base.text == "13"


def test_a_share_of_nobody_is_a_dash_but_not_hidden():
    share = Table(["a"], ["yes", "rest"], [[0, 0]]).share("a", "yes", "rest")
    assert not share.hidden and share.text == "–" and share.base.text == "0"


def test_a_percentage_of_one_person_is_hidden_and_of_nobody_is_simply_empty():
    assert percent_cell(Share(1, 1), mask=True).hidden
    assert percent_cell(Share(1, 1), mask=True).text == "–"
    assert not percent_cell(Share(0, 0), mask=True).hidden


def test_a_hidden_small_figure_and_a_hidden_five_beside_a_shown_total_take_a_third_with_them():
    # Hidden 1 and 5 sum to 6 = each at its least (1 + 5): the shown total would give both away.
    table = Table(["a"], [1, 2, 3], [[1, 5, 20]])
    assert [table.cell("a", c).text for c in (1, 2, 3, None)] == ["< 5", "–", "–", "26"]


def test_two_small_hidden_parts_stay_alone_unless_they_must_both_be_four():
    # 3 + 3 = 6 could be 2 + 4, 4 + 2 or 3 + 3: nothing more to hide. 4 + 4 = 8 can only be 4 + 4.
    shown = Table(["a"], [1, 2, 3], [[3, 3, 20]])
    assert [shown.cell("a", c).text for c in (1, 2, 3, None)] == ["< 5", "< 5", "20", "26"]
    pinned = Table(["a"], [1, 2, 3], [[4, 4, 20]])
    assert [pinned.cell("a", c).text for c in (1, 2, 3, None)] == ["< 5", "< 5", "–", "28"]


def test_a_hidden_total_whose_parts_are_all_shown_hides_the_smallest_part():
    # Row c's total ends up hidden while 6 and 5 show; with all its parts shown the total is their sum,
    # so the 5 goes too.
    table = Table(["a", "b", "c"], [1, 2, 3], [[12, 6, 5], [0, 0, 4], [6, 6, 5]])
    assert [table.cell("c", column).text for column in (1, 2, 3, None)] == ["6", "–", "–", "–"]


def test_two_small_hidden_parts_summing_to_five_hide_nothing_more():
    # 2 + 3 = 5 could be 1 + 4, 2 + 3, 3 + 2 or 4 + 1: the shown total gives neither away.
    table = Table(["a"], [1, 2, 3], [[2, 3, 20]])
    assert [table.cell("a", c).text for c in (1, 2, 3, None)] == ["< 5", "< 5", "20", "25"]


def test_the_line_rules_settle_before_a_lone_hidden_cell_takes_more_with_it():
    # Hiding for the rows and columns first leaves no hidden cell alone; looking for lone cells before
    # they settle would hide the two 12s of the first column for nothing.
    body = [[12, 6, 12, 3], [12, 8, 3, 12], [0, 6, 20, 5]]
    table = Table(["a", "b", "c"], [1, 2, 3, 4], body)
    hidden = {(r, c) for r in "abc" for c in (1, 2, 3, 4) if table.cell(r, c).hidden}
    assert hidden == {("a", 2), ("a", 3), ("a", 4), ("b", 2), ("b", 3), ("c", 2), ("c", 4)}


# --- `suppress`: any figures linked by sums (a survey round's areas × groups × answers) -----------------------


def test_a_figure_given_away_by_sums_across_more_than_two_ways_is_protected():
    # Everyone's 28 = 20 + 6 + 2, and a second sum, 8 = 6 + 2, shares two of the parts (a link no estates ×
    # parts table has): hiding the 2 alone, 8 − 6 would give it away.
    values = [20, 6, 2, 28, 8]
    lines = [([0, 1, 2], 3), ([1, 2], 4)]
    hidden = suppress(values, lines)
    assert 2 in hidden  # the 2 itself
    assert 1 in hidden  # 8 − 6 would give it away


def test_a_cheaper_total_is_hidden_instead_of_a_part():
    # One small part: by default the next smallest part goes; when the total costs less, the total goes.
    values = [20, 6, 2, 28]
    lines = [([0, 1, 2], 3)]
    assert suppress(values, lines) == {1, 2}
    assert suppress(values, lines, cost={3: 0}) == {2, 3}


def test_no_hidden_small_figure_is_determined_by_the_shown_ones():
    import random

    from apps.core.small_numbers import _determined, _line_is_safe

    rng = random.Random(18)
    for _attempt in range(150):
        rows, columns = rng.randint(1, 4), rng.randint(2, 4)
        body = [[rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 14, 30]) for _c in range(columns)] for _r in range(rows)]
        grid = [[*row, sum(row)] for row in body]
        grid.append([sum(grid[r][c] for r in range(rows)) for c in range(columns + 1)])
        width = columns + 1
        values = [v for row in grid for v in row]
        lines = [([i * width + j for j in range(columns)], i * width + columns) for i in range(rows + 1)]
        lines += [([i * width + j for i in range(rows)], rows * width + j) for j in range(columns + 1)]
        hidden = suppress(values, lines, cost={n: rng.randint(0, 3) for n in range(len(values))})
        assert {n for n, v in enumerate(values) if 0 < v < 5} <= hidden
        assert not _determined(hidden, lines), body
        for parts, total in lines:
            if total not in hidden:
                assert _line_is_safe([values[c] for c in parts], [p for p, c in enumerate(parts) if c in hidden])
