"""How the newcomers chart groups a period: per month, per quarter or per half-year.

The rule (`grouping_choose`): take the finest grouping whose buckets fit the period (calendar quarters and
half-years, whole ones only) under which at least two in three of the area's figures can be shown — a
figure being one estate's newcomers in one bucket that has begun, for every estate with newcomers in the
period, "shown" meaning 0 or at least the small-number threshold (1–4 read "< 5"). When even half-years
miss that, the coarsest grouping that fits is used. Two thirds, not one half: a chart whose every third
bar is "< 5" still reads as a chart; one with every other bar "< 5" does not.

The small-number rules themselves are unchanged (apps/core/small_numbers.py): the buckets are the columns
of the newcomers table that hides figures, so a bucket of 1–4 still reads "< 5".

One grouping per area and period, never per estate or per reader: the decision is made from the whole
area's counts of that period alone. Every page and export that shows a period's newcomers by bucket —
each estate's board page, its "whole area" column, the annual report's PDF and CSV, and the coordinator's
dashboard — shows that period in the same buckets. A finer and a coarser split of the same figures are
therefore never both shown (a quarter minus its shown months would give the hidden month away). Last
year's figures beside this year's are shown on a board page only when last year got the same grouping
(or had no newcomers at all: zeros give nobody away); otherwise last year's column is left out (its own
page shows it, in its own buckets).
"""

import datetime
import enum
from dataclasses import dataclass
from fractions import Fraction

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.core.small_numbers import SMALL_NUMBER, is_small

# At least this share of an area's figures must be shown (0 or ≥ SMALL_NUMBER) for a grouping to be used.
SHOWN_SHARE = Fraction(2, 3)


class Grouping(enum.IntEnum):
    """The number of months in a bucket."""

    MONTH = 1
    QUARTER = 3
    HALF_YEAR = 6


@dataclass(frozen=True)
class Bucket:
    """Consecutive months of a period: the first day of each."""

    months: tuple[datetime.date, ...]

    @property
    def start(self) -> datetime.date:
        return self.months[0]

    @property
    def label(self) -> str:
        """ "jan. 2026", "1. kvt. 2026", "1. halvår 2026" / "Jan. 2026", "Q1 2026", "H1 2026"."""
        start = self.start
        if len(self.months) == Grouping.MONTH:
            return formats.date_format(start, "N Y")
        number = (start.month - 1) // len(self.months) + 1
        if len(self.months) == Grouping.QUARTER:
            return pgettext("quarter of a year", "Q%(number)s %(year)s") % {"number": number, "year": start.year}
        return pgettext("half of a year", "H%(number)s %(year)s") % {"number": number, "year": start.year}


def groupings_that_fit(months: list[datetime.date]) -> list[Grouping]:
    """Month always; quarters and half-years when the period is whole calendar ones."""
    return [
        grouping
        for grouping in Grouping
        if months and (months[0].month - 1) % grouping == 0 and len(months) % grouping == 0
    ]


def buckets_of(months: list[datetime.date], grouping: Grouping) -> list[Bucket]:
    return [Bucket(tuple(months[i : i + grouping])) for i in range(0, len(months), grouping)]


def shown_share(
    counts: dict[tuple[int, datetime.date], int], *, buckets: list[Bucket], today: datetime.date
) -> Fraction | None:
    """The share of the figures (estate × bucket that has begun) that are 0 or at least SMALL_NUMBER;
    None when there is no figure (no newcomers at all)."""
    begun = [bucket for bucket in buckets if bucket.start <= today]
    months = {month for bucket in begun for month in bucket.months}
    estates = {estate for (estate, month), n in counts.items() if n and month in months}
    figures = [sum(counts.get((estate, m), 0) for m in bucket.months) for estate in estates for bucket in begun]
    if not figures:
        return None
    return Fraction(sum(1 for n in figures if not is_small(n)), len(figures))


@dataclass(frozen=True)
class ChartGrouping:
    """The grouping chosen for a period, with what it is chosen from (for the sentence that says why)."""

    grouping: Grouping
    buckets: list[Bucket]
    shares: dict[Grouping, Fraction | None]  # the shown share of every grouping that fits, finer ones first

    @property
    def empty(self) -> bool:
        """No newcomers at all: every grouping shows only zeros, so any may stand beside another."""
        return self.shares[Grouping.MONTH] is None

    def regrouped(self, grouping: Grouping) -> "ChartGrouping":
        """This period in other buckets: only for a period without newcomers (`empty`), whose zeros give
        nobody away in any buckets."""
        if not self.empty:
            raise ValueError("only a period without newcomers may be regrouped")
        months = [month for bucket in self.buckets for month in bucket.months]
        return ChartGrouping(grouping=grouping, buckets=buckets_of(months, grouping), shares=self.shares)

    @property
    def explanation(self) -> str:
        n = SMALL_NUMBER
        if self.empty:
            return _("Counted per month: no newcomers moved in during this period.")
        if self.grouping == Grouping.MONTH and len(groupings_that_fit([b.start for b in self.buckets])) == 1:
            return _("Counted per month: this period does not divide into whole quarters.")
        if self.grouping == Grouping.MONTH:
            return _(
                "Counted per month: at least two in three of the monthly figures are 0 or %(n)s or more, "
                "so they can be shown."
            ) % {"n": n}
        if self.grouping == Grouping.QUARTER:
            return _(
                "Counted per quarter: per month, fewer than two in three of the figures would be 0 or %(n)s or "
                "more, and figures below %(n)s are hidden."
            ) % {"n": n}
        return _(
            "Counted per half-year: per quarter, fewer than two in three of the figures would be 0 or %(n)s or "
            "more, and figures below %(n)s are hidden."
        ) % {"n": n}


def grouping_choose(
    counts: dict[tuple[int, datetime.date], int], *, months: list[datetime.date], today: datetime.date
) -> ChartGrouping:
    """The finest grouping that fits the period and shows at least SHOWN_SHARE of the area's figures
    (`counts`: newcomers by estate and month); the coarsest that fits when none does."""
    fitting = groupings_that_fit(months)
    shares: dict[Grouping, Fraction | None] = {}
    for grouping in fitting:
        share = shown_share(counts, buckets=buckets_of(months, grouping), today=today)
        shares[grouping] = share
        if share is None or share >= SHOWN_SHARE:
            break
    chosen = list(shares)[-1]
    return ChartGrouping(grouping=chosen, buckets=buckets_of(months, chosen), shares=shares)
