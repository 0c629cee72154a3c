"""Small numbers: nobody may be recognised in a figure. The one home of the threshold, of how a figure is
shown ("< 5", "–") and of the rules, for every page, report and export a board member can see (the board
pages, the survey headlines, the annual report's PDF and CSV). Model-free, so every app may import it.

1. A count of people (newcomers, visits, folders, ambassadors, interests, attendances, survey answers) of
   1–4 is shown as "< 5". Zero is shown: it says nothing about anyone.
2. A percentage is shown only when it is based on at least 5 people; otherwise "–" and its base "< 5".
   A share of people who answered or did something (yes) needs its base, its yes and its not-yes each 0,
   at least 5, or hidden: the base minus the yes would give the other away (`Table.share`).
3. In a breakdown shown with its total (newcomers per month, visits by outcome) a single hidden cell
   could be worked out as total minus the others; then the next smallest cell is hidden as well.
4. A board sees its estate beside the whole area. When the rest of the area (area minus the estate)
   is 1–4 people for a figure, the area figure would give them away by subtraction and is not shown.

Rules 1, 3 and 4 together are `Table`: one area's counts as estates × parts with their totals, hidden
cells chosen once from the data alone. `suppress` applies the same rules to figures linked by any sums
(a survey round's areas × contact groups × answers). Coordinators see exact figures for their own area (`mask=False`).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

# Figures drawn from fewer people than this are not shown.
SMALL_NUMBER = 5
# How a figure that is not shown (hidden by rules 2–4, or with nothing to show) reads.
NOT_SHOWN = "–"


@dataclass(frozen=True)
class Share:
    """`count` of `total` people; `total` counts only those who can be judged."""

    count: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.count / self.total) if self.total else None

    def __add__(self, other: "Share") -> "Share":
        return Share(self.count + other.count, self.total + other.total)


@dataclass(frozen=True)
class Cell:
    """A figure as shown: `value` is None when it is hidden (or there is nothing to show)."""

    value: int | None
    text: str
    hidden: bool = False

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class PercentCell:
    """A percentage with its base, e.g. 63 % of 19 newcomers (the base itself a count cell)."""

    percent: int | None
    base: Cell
    hidden: bool = False

    @property
    def text(self) -> str:
        return percent_text(self.percent)

    def __str__(self) -> str:
        return self.text


def is_small(n: int) -> bool:
    return 0 < n < SMALL_NUMBER


def small_text() -> str:
    return _("< %(n)s") % {"n": SMALL_NUMBER}


def percent_text(percent: int | None) -> str:
    if percent is None:
        return NOT_SHOWN
    return f"{percent}\u00a0%"  # never "48" and "%" on two lines


def small_cell() -> Cell:
    """A count of 1–4 people (rule 1)."""
    return Cell(None, small_text(), hidden=True)


def count_cell(n: int, *, mask: bool) -> Cell:
    if mask and is_small(n):
        return small_cell()
    return Cell(n, str(n))


def hidden_cell() -> Cell:
    """A figure not shown because a neighbouring figure would give it away (rules 3 and 4)."""
    return Cell(None, NOT_SHOWN, hidden=True)


def percent_cell(share: Share, *, mask: bool) -> PercentCell:
    base = count_cell(share.total, mask=mask)
    if mask and share.total < SMALL_NUMBER:
        return PercentCell(None, base, hidden=share.total > 0)
    return PercentCell(share.percent, base)


class Table:
    """One area's counts for one period as an estates × parts table with its totals, and which of its
    figures boards and exports may see (rules 1, 3 and 4).

    ``values[r][c]`` is the count of estate ``r`` (or, for ambassadors by home, "outside the estates")
    and part ``c`` (a month, an outcome, an activity, met / not met). Every figure a page or an export
    can show is one of these cells, a row total (an estate's figure), a column total (the whole area's
    figure for a part) or the grand total (the area's figure) — so every page reads the same decision,
    made once from the data alone: a figure hidden on one estate's page is hidden on every page.
    """

    def __init__(self, rows: list, columns: list, values: list[list[int]]):
        self.rows, self.columns = list(rows), list(columns)
        n, k = len(self.rows), len(self.columns)
        # The extended table: row n holds the column totals, column k the row totals, [n][k] the grand total.
        grid = [[*row, sum(row)] for row in values]
        grid.append([sum(grid[r][c] for r in range(n)) for c in range(k + 1)])
        self.grid = grid
        self.hidden = table_suppress(grid)
        self._row = {key: i for i, key in enumerate(self.rows)}
        self._column = {key: j for j, key in enumerate(self.columns)}

    def cell(self, row=None, column=None) -> Cell:
        """The figure of estate `row` (None: the whole area) and part `column` (None: all parts)."""
        i = len(self.rows) if row is None else self._row.get(row)
        j = len(self.columns) if column is None else self._column.get(column)
        if i is None or j is None:  # an estate or part with nothing counted
            return Cell(0, "0")
        value = self.grid[i][j]
        if (i, j) not in self.hidden:
            return Cell(value, str(value))
        return small_cell() if is_small(value) else hidden_cell()

    def share(self, row, yes, no) -> PercentCell:
        """The share `yes` of row `row` (None: the whole area), where `yes` and `no` are the row's only
        parts: shown only when its base (the row's total), its yes and its no are all shown (rule 2)."""
        base, shown_yes, shown_no = self.cell(row), self.cell(row, yes), self.cell(row, no)
        if base.hidden or shown_yes.hidden or shown_no.hidden:
            return PercentCell(None, base, hidden=True)
        return PercentCell(Share(shown_yes.value, base.value).percent, base)


def _line_is_safe(parts: list[int], hidden_parts: list[int]) -> bool:
    """A line whose total is shown gives away the sum of its hidden parts. That sum must be 0 or at
    least 5, spread over at least two parts, and leave every hidden part more than one possible value
    knowing that a "< 5" is 1–4 and a "–" is at least 5 (two "< 5" summing to 8 are both 4)."""
    if not hidden_parts:
        return True
    values = [parts[i] for i in hidden_parts]
    total = sum(values)
    small = sum(1 for v in values if is_small(v))
    large = len(values) - small
    if len(values) < 2 or total < SMALL_NUMBER:
        return False
    if total <= small + SMALL_NUMBER * large:  # every hidden part at its least
        return False
    return large > 0 or total < (SMALL_NUMBER - 1) * small  # all "< 5" and all at their most


def _determined(hidden: set[int], lines: list[tuple[list[int], int]]) -> list[int]:
    """The hidden figures the shown ones give away exactly: each line says its total is the sum of its
    parts, so the hidden figures satisfy one linear equation per line; a hidden figure is determined when
    it takes the same value in every solution (its coordinate is 0 in every vector of the equations' null
    space). In an estates × parts table these are the hidden cells on no cycle of hidden cells."""
    import numpy  # only here: every other rule is plain Python

    order = sorted(hidden)
    column = {cell: n for n, cell in enumerate(order)}
    rows = []
    for parts, total in lines:
        row = [0.0] * len(order)
        for cell in parts:
            if cell in column:
                row[column[cell]] += 1.0
        if total in column:
            row[column[total]] -= 1.0
        if any(row):
            rows.append(row)
    if not rows:
        return []
    matrix = numpy.array(rows)
    _, singular, vt = numpy.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    free = vt[rank:]  # rows span the null space: the ways the hidden figures can move together
    return [cell for n, cell in enumerate(order) if not free.shape[0] or numpy.abs(free[:, n]).max() < 1e-9]


def suppress(values: list[int], lines: list[tuple[list[int], int]], *, cost: dict[int, int] | None = None) -> set[int]:
    """Which of `values` (figures of people, by index) must be hidden, where each line `(parts, total)` says
    `values[total] == sum(values[p] for p in parts)` and every figure may be shown beside the others.

    1. Every figure of 1–4 (primary).
    2. Until nothing changes: a line whose total is shown and whose hidden parts are not safe
       (`_line_is_safe`) hides its smallest shown part that is not 0 — or, with none left, its total; a
       hidden total whose parts are all shown hides its smallest part; and a hidden figure that the shown
       ones determine exactly (`_determined`) hides the smallest shown figure of a line it is in, until
       none is determined.
    "Smallest" is by `cost` first (default 1 each): a figure nobody needs (a total nobody compares, a group
    never shown) can be named cheaper, and a line whose total is cheaper than its shown parts hides the
    total rather than a part. Zero is never hidden: it says nothing about anyone. The result depends on the
    counts alone, so every page and export that reads it hides the same figures. Lines may share figures in
    any way: an estates × parts table (`table_suppress`), or a survey round's areas × groups × answers
    (`apps.surveys.round_mask`).
    """
    hidden = {cell for cell, value in enumerate(values) if is_small(value)}
    cost = cost or {}

    def shown(cells: list[int]) -> list[tuple[int, int, int]]:
        return [(cost.get(cell, 1), values[cell], cell) for cell in cells if values[cell] and cell not in hidden]

    def hide_smallest(cells: list[int]) -> bool:
        candidates = shown(cells)
        if candidates:
            hidden.add(min(candidates)[2])
        return bool(candidates)

    while True:
        before = len(hidden)
        for parts, total in lines:
            hidden_parts = [p for p, cell in enumerate(parts) if cell in hidden]
            if total in hidden:
                if not hidden_parts:
                    hide_smallest(parts)
            elif not _line_is_safe([values[cell] for cell in parts], hidden_parts):
                candidates = shown(parts)
                if not candidates or cost.get(total, 1) < min(candidates)[0]:
                    hidden.add(total)
                else:
                    hidden.add(min(candidates)[2])
        if len(hidden) > before:
            continue
        for cell in _determined(hidden, lines):
            neighbours = {c for parts, total in lines if cell == total or cell in parts for c in (*parts, total)}
            if hide_smallest(sorted(neighbours - {cell})):
                break
        if len(hidden) == before:
            return hidden


def table_suppress(grid: list[list[int]]) -> set[tuple[int, int]]:
    """The cells of an extended table (its last row and column the totals) that must be hidden: `suppress`
    with a line per row and per column, each ending in its total."""
    n, k = len(grid) - 1, len(grid[0]) - 1
    width = k + 1
    values = [value for row in grid for value in row]
    lines = [([i * width + j for j in range(k)], i * width + k) for i in range(n + 1)]
    lines += [([i * width + j for i in range(n)], n * width + j) for j in range(k + 1)]
    return {divmod(cell, width) for cell in suppress(values, lines)}
