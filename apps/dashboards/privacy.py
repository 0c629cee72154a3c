"""Small numbers on board pages and in exports: nobody may be recognised in a figure.

The rules, applied the same way to every board page, the annual report's PDF and its CSV:

1. A count of people (newcomers, visits, folders, ambassadors, interests, attendances) of 1–4 is shown
   as "< 5". Zero is shown: it says nothing about anyone.
2. A percentage is shown only when it is based on at least 5 people; otherwise "–" and its base "< 5".
3. In a breakdown shown with its total (newcomers per month, visits by outcome) a single hidden cell
   could be worked out as total minus the others; then the next smallest cell is hidden as well.
4. A board sees its estate beside the whole area. When the rest of the area (area minus the estate)
   is 1–4 people for a figure, the area figure would give them away by subtraction and is not shown.

Coordinators see exact figures for their own area on their own dashboard (`mask=False`).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

# Figures drawn from fewer people than this are not shown (the same threshold as `small_count`).
SMALL_NUMBER = 5


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
        if self.percent is None:
            return "–"
        return f"{self.percent}\u00a0%"  # never "48" and "%" on two lines

    def __str__(self) -> str:
        return self.text


def is_small(n: int) -> bool:
    return 0 < n < SMALL_NUMBER


def small_text() -> str:
    return _("< %(n)s") % {"n": SMALL_NUMBER}


def count_cell(n: int, *, mask: bool) -> Cell:
    if mask and is_small(n):
        return Cell(None, small_text(), hidden=True)
    return Cell(n, str(n))


def hidden_cell() -> Cell:
    """A figure not shown because a neighbouring figure would give it away (rules 3 and 4)."""
    return Cell(None, "–", hidden=True)


def percent_cell(share: Share, *, mask: bool) -> PercentCell:
    base = count_cell(share.total, mask=mask)
    if mask and share.total < SMALL_NUMBER:
        return PercentCell(None, base, hidden=share.total > 0)
    return PercentCell(share.percent, base)


def breakdown_cells(counts: list[int], *, mask: bool, also_hide: frozenset[int] = frozenset()) -> list[Cell]:
    """Cells for the parts of a total that is shown too (rules 1 and 3); `also_hide` are parts hidden
    for another reason (rule 4)."""
    cells = [count_cell(n, mask=mask) for n in counts]
    if not mask:
        return cells
    for i in also_hide:
        if counts[i]:
            cells[i] = hidden_cell()
    hidden = [i for i, cell in enumerate(cells) if cell.hidden]
    if len(hidden) == 1:
        # The one hidden part would be the total minus the others: hide the next smallest part too.
        others = [(n, i) for i, n in enumerate(counts) if n > 0 and i not in hidden]
        if others:
            _n, i = min(others)
            cells[i] = hidden_cell()
    return cells


def area_breakdown_cells(area_counts: list[int], part_counts: list[int], *, mask: bool) -> list[Cell]:
    """The whole area's parts beside an estate's (rules 1, 3 and 4)."""
    rest_small = frozenset(
        i for i, (whole, part) in enumerate(zip(area_counts, part_counts, strict=True)) if is_small(whole - part)
    )
    return breakdown_cells(area_counts, mask=mask, also_hide=rest_small)


def area_count_cell(area_n: int, part_n: int, *, mask: bool) -> Cell:
    """The whole area's count beside an estate's (rule 4)."""
    if mask and is_small(area_n - part_n):
        return hidden_cell()
    return count_cell(area_n, mask=mask)


def area_percent_cell(area: Share, part: Share, *, mask: bool) -> PercentCell:
    """The whole area's percentage beside an estate's (rules 2 and 4)."""
    if mask and is_small(area.total - part.total):
        return PercentCell(None, hidden_cell(), hidden=True)
    return percent_cell(area, mask=mask)
