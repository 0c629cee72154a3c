"""From figures to what a page, the PDF and the CSV show: cells with the small-number rules applied
(`mask=True` for boards and exports) and the charts drawn from those cells, so a chart can never show
more than its table."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from apps.core.small_numbers import (
    NOT_SHOWN,
    SMALL_NUMBER,
    Cell,
    PercentCell,
    Share,
    Table,
    count_cell,
    hidden_cell,
    is_small,
    percent_cell,
    small_cell,
)
from apps.dashboards.charts import Series, bar_chart
from apps.dashboards.grouping import ChartGrouping, Grouping, buckets_of, grouping_choose
from apps.dashboards.periods import Period
from apps.dashboards.selectors import (
    OUTCOMES,
    TOPICS,
    AreaCounts,
    Figures,
    area_counts,
    figures_for,
    outcome_label,
    topic_label,
)
from apps.dashboards.survey import survey_headlines_for, survey_rows
from apps.newcomers.models import LATE_LIST_DAYS
from apps.organisation.models import Area

OUTSIDE = "outside"  # the row of ambassadors living outside the area's estates
MET, NOT_MET = "met", "not_met"


@dataclass(frozen=True)
class BoardTables:
    """What boards and exports may see of one area and period: each figure read from a `Table` whose
    hidden cells were chosen once from the whole area's estates × parts counts (core/small_numbers.py), so a figure
    is hidden on every page that could show it, and no total beside its parts gives a hidden one away."""

    newcomers: Table  # estates × buckets of the period's grouping (months, quarters or half-years)
    visits: Table  # estates × outcomes
    folders: Table  # estates × one column
    late_lists: Table  # estates × one column
    within_14: Table  # estates × (met, not met); the row total is the base of the share
    within_30: Table
    interests: Table  # estates × activities
    living: Table  # (estates, then those living outside them) × one column; the total: active now
    visiting: dict[int, int]  # estate → ambassadors who visited there (not additive: one visits many)
    visiting_area: int
    # Newcomers met who contacted their ambassador again: estates × (again, not again); the row total is
    # the newcomers met, the base of the share.
    continuing: Table
    later_topics: Table  # estates × topics: newcomers met who contacted their ambassador again about it

    def share(self, attr: str, estate_id: int | None) -> PercentCell:
        """A share is shown only when its base, its yes and its no are all shown."""
        table: Table = getattr(self, attr)
        return table.share(estate_id, MET, NOT_MET)

    def living_here(self, estate_id: int | None) -> Cell:
        if estate_id is not None:
            return self.living.cell(estate_id)
        # The estates' sum is the area's active ambassadors minus those living outside: hidden with either.
        active, outside = self.living.cell(None), self.living.cell(OUTSIDE)
        if active.hidden or outside.hidden:
            return hidden_cell()
        return Cell(active.value - outside.value, str(active.value - outside.value))

    def visiting_cell(self, estate_id: int | None) -> Cell:
        if estate_id is not None:
            return count_cell(self.visiting.get(estate_id, 0), mask=True)
        # The area's visitors minus one estate's are people too (those who visited only elsewhere).
        if any(is_small(self.visiting_area - n) for n in self.visiting.values()):
            return hidden_cell()
        return count_cell(self.visiting_area, mask=True)


def newcomer_counts(counts: AreaCounts) -> dict[tuple[int, datetime.date], int]:
    """Newcomers by (estate, month): what the grouping of the newcomers chart is chosen from."""
    return {key: row[0] for key, row in counts.newcomers.items()}


def chart_grouping(counts: AreaCounts, *, months: list[datetime.date]) -> ChartGrouping:
    """The one grouping of this area and period (apps/dashboards/grouping.py): every page and export uses it."""
    return grouping_choose(newcomer_counts(counts), months=months, today=counts.today)


def board_tables(counts: AreaCounts, *, months: list[datetime.date], grouping: ChartGrouping) -> BoardTables:
    """The tables of `counts` (a whole area and period); no queries. The newcomers' parts are the
    buckets of `grouping`, so the hidden figures are chosen among the figures the pages show."""
    estates = sorted(
        {e for e, _m in counts.newcomers}
        | {e for e, _m in counts.visits}
        | {e for e, _a in counts.interests}
        | {e for e, _v in counts.visitors}
        | {e for e in counts.ambassadors_by_home if e is not None}
    )

    def visit_sum(estate: int, key: str) -> int:
        return sum(counts.visits.get((estate, month), {}).get(key, 0) for month in months)

    def judged(estate: int, index: int) -> int:
        return sum(counts.newcomers.get((estate, month), [0, 0, 0, 0])[index] for month in months)

    def shares(index: int, key: str) -> Table:
        rows = [(visit_sum(e, key), judged(e, index)) for e in estates]
        return Table(estates, [MET, NOT_MET], [[met, max(base - met, 0)] for met, base in rows])

    activities = sorted({activity for _e, activity in counts.interests})
    visiting: dict[int, set[str]] = {}
    for estate, ambassador in counts.visitors:
        visiting.setdefault(estate, set()).add(ambassador)
    return BoardTables(
        newcomers=Table(
            estates,
            [bucket.start for bucket in grouping.buckets],
            [
                [sum(counts.newcomers.get((e, m), [0])[0] for m in bucket.months) for bucket in grouping.buckets]
                for e in estates
            ],
        ),
        visits=Table(estates, OUTCOMES, [[visit_sum(e, o) for o in OUTCOMES] for e in estates]),
        folders=Table(estates, ["folders"], [[visit_sum(e, "folders")] for e in estates]),
        late_lists=Table(estates, ["late_lists"], [[judged(e, 3)] for e in estates]),
        within_14=shares(1, "met_14"),
        within_30=shares(2, "met_30"),
        interests=Table(estates, activities, [[counts.interests.get((e, a), 0) for a in activities] for e in estates]),
        living=Table(
            [*estates, OUTSIDE],
            ["living"],
            [[counts.ambassadors_by_home.get(e, 0)] for e in estates] + [[counts.ambassadors_by_home.get(None, 0)]],
        ),
        visiting={e: len(people) for e, people in visiting.items()},
        visiting_area=len({ambassador for _e, ambassador in counts.visitors}),
        continuing=Table(
            estates,
            [MET, NOT_MET],
            [[visit_sum(e, "continued"), max(visit_sum(e, "contact") - visit_sum(e, "continued"), 0)] for e in estates],
        ),
        later_topics=Table(estates, list(TOPICS), [[visit_sum(e, f"topic:{t}") for t in TOPICS] for e in estates]),
    )


@dataclass(frozen=True)
class Row:
    """One figure: this period, the same period last year, and (beside an estate) the whole area."""

    key: str
    label: str
    now: Cell | PercentCell
    then: Cell | PercentCell
    area: Cell | PercentCell | None = None


@dataclass(frozen=True)
class Dashboard:
    period: Period
    previous: Period
    scope: str  # "Estate 101 Lærkebakken", "the whole area"
    masked: bool
    computed_at: datetime.datetime
    with_area: bool  # an area column beside the estate's figures
    headline: list[Row]
    months: list[Row]
    outcomes: list[Row]
    ambassadors: list[Row]
    meetings: list[Row]
    interests: list[Row]
    later_topics: list[Row]
    charts: dict[str, SafeString]
    grouping: ChartGrouping  # how `months` is grouped: per month, quarter or half-year
    compared: bool  # `months` has last year's figures beside it (same grouping, or exact figures)
    tables: BoardTables | None = None  # what boards may see of this period (None: exact figures)

    @property
    def months_heading(self) -> str:
        return {
            Grouping.MONTH: _("Newcomers per month"),
            Grouping.QUARTER: _("Newcomers per quarter"),
            Grouping.HALF_YEAR: _("Newcomers per half-year"),
        }[self.grouping.grouping]

    @property
    def months_column(self) -> str:
        return {
            Grouping.MONTH: _("Month"),
            Grouping.QUARTER: _("Quarter"),
            Grouping.HALF_YEAR: _("Half-year"),
        }[self.grouping.grouping]

    @property
    def small_number(self) -> int:
        """The threshold, for the sentences that explain the rules."""
        return SMALL_NUMBER

    @property
    def sections(self) -> list[tuple[str, str, list[Row]]]:
        """(key, heading, rows) of every table, in page order: the CSV writes the same."""
        return [
            ("headline", _("Key figures"), self.headline),
            ("months", self.months_heading, self.months),
            ("outcomes", _("Visits by outcome"), self.outcomes),
            ("ambassadors", _("Ambassadors"), self.ambassadors),
            ("meetings", _("Network meetings (whole area)"), self.meetings),
            ("interests", _("Interest in activities"), self.interests),
            ("later_topics", _("Contacted their ambassador again, by topic"), self.later_topics),
        ]


@dataclass(frozen=True)
class _Exact:
    """Where an unmasked dashboard's cells come from: the exact figures (coordinators)."""

    now: Figures
    then: Figures
    area: Figures | None  # None: no area column

    def _three(self, cell, attr: str) -> tuple:
        area = cell(getattr(self.area, attr), mask=False) if self.area is not None else None
        return cell(getattr(self.now, attr), mask=False), cell(getattr(self.then, attr), mask=False), area

    def counts(self, attr: str) -> tuple:
        return self._three(count_cell, attr)

    def shares(self, attr: str) -> tuple:
        return self._three(percent_cell, attr)

    def part(self, attr: str, column, column_then, n_now: int, n_then: int, n_area: int) -> tuple:
        """A part of a breakdown (a month, an outcome, an activity): this period, last year, the area."""
        area = count_cell(n_area, mask=False) if self.area is not None else None
        return count_cell(n_now, mask=False), count_cell(n_then, mask=False), area

    def ambassadors(self) -> tuple[Cell, tuple, tuple]:
        """Active now; living here (the estate, the area); visiting (now, last year, the area)."""
        now, then, area = self.now, self.then, self.area
        with_area = area is not None
        living = (
            count_cell(now.ambassadors_living_here, mask=False),
            count_cell(area.ambassadors_living_here, mask=False) if with_area else None,
        )
        visiting = (
            count_cell(now.visiting_ambassadors, mask=False),
            count_cell(then.visiting_ambassadors, mask=False),
            count_cell(area.visiting_ambassadors, mask=False) if with_area else None,
        )
        return count_cell(now.active_ambassadors, mask=False), living, visiting


@dataclass(frozen=True)
class _Masked:
    """Where a masked dashboard's cells come from: the board tables of this period (`mine`) and last
    year's (`last`), read for one estate (None: the whole area)."""

    mine: BoardTables
    last: BoardTables
    estate_id: int | None
    with_area: bool

    def counts(self, attr: str) -> tuple:
        now, then = getattr(self.mine, attr), getattr(self.last, attr)
        return now.cell(self.estate_id), then.cell(self.estate_id), now.cell(None) if self.with_area else None

    def shares(self, attr: str) -> tuple:
        mine, last, estate_id = self.mine, self.last, self.estate_id
        area = mine.share(attr, None) if self.with_area else None
        return mine.share(attr, estate_id), last.share(attr, estate_id), area

    def part(self, attr: str, column, column_then, n_now: int, n_then: int, n_area: int) -> tuple:
        """A part of a breakdown: this period's column, last year's (its own month), the area's."""
        now, then = getattr(self.mine, attr), getattr(self.last, attr)
        area = now.cell(None, column) if self.with_area else None
        return now.cell(self.estate_id, column), then.cell(self.estate_id, column_then), area

    def ambassadors(self) -> tuple[Cell, tuple, tuple]:
        mine, last, estate_id = self.mine, self.last, self.estate_id
        living = (mine.living_here(estate_id), mine.living_here(None))
        area = mine.visiting_cell(None) if self.with_area else None
        visiting = (mine.visiting_cell(estate_id), last.visiting_cell(estate_id), area)
        return mine.living.cell(None), living, visiting


def _source(
    *, now: Figures, then: Figures, area: Figures | None, with_area: bool, mask: bool, tables
) -> _Exact | _Masked:
    if not mask:
        return _Exact(now, then, area if with_area else None)
    if tables is None or (now.estate_ids is not None and len(now.estate_ids) != 1):
        raise ValueError("a masked dashboard shows one estate or the whole area, from its tables")
    estate_id = next(iter(now.estate_ids)) if now.estate_ids is not None else None
    return _Masked(tables[0], tables[1], estate_id, with_area)


def _headline(cells: _Exact | _Masked) -> list[Row]:
    return [
        Row("newcomers", _("Newcomers who moved in"), *cells.counts("newcomers")),
        Row("within_14", _("Welcomed within 14 days"), *cells.shares("within_14")),
        Row("within_30", _("Welcomed within 30 days"), *cells.shares("within_30")),
        Row(
            "late_lists",
            _("Came on a list more than %(days)s days after moving in") % {"days": LATE_LIST_DAYS},
            *cells.counts("late_lists"),
        ),
        Row("visits", _("Welcome visits"), *cells.counts("visits")),
        Row("folders", _("Welcome folders delivered"), *cells.counts("folders")),
        Row("continuing", _("Newcomers met who contacted their ambassador again"), *cells.shares("continuing")),
    ]


def _months(
    cells: _Exact | _Masked,
    *,
    grouping: ChartGrouping,
    compared: bool,
    now: Figures,
    then: Figures,
    area: Figures | None,
) -> list[Row]:
    """Newcomers per bucket (month, quarter or half-year): a breakdown of the total above. Last year's
    buckets are last year's columns, or hidden when last year's table was grouped otherwise."""
    area = area if area is not None else now
    then_buckets = buckets_of([m.month for m in then.months], grouping.grouping)

    def total(figures: Figures, months: tuple[datetime.date, ...]) -> int:
        return sum(m.newcomers for m in figures.months if m.month in months)

    rows = []
    for bucket, bucket_then in zip(grouping.buckets, then_buckets, strict=True):
        now_cell, then_cell, area_cell = cells.part(
            "newcomers",
            bucket.start,
            bucket_then.start,
            total(now, bucket.months),
            total(then, bucket_then.months),
            total(area, bucket.months),
        )
        rows.append(
            Row(bucket.start.isoformat(), bucket.label, now_cell, then_cell if compared else hidden_cell(), area_cell)
        )
    return rows


def _outcomes(cells: _Exact | _Masked, *, now: Figures, then: Figures, area: Figures | None) -> list[Row]:
    area_outcomes = dict(area.outcomes) if area is not None else {}
    then_outcomes = dict(then.outcomes)
    return [
        Row(
            outcome,
            outcome_label(outcome),
            *cells.part("visits", outcome, outcome, n, then_outcomes[outcome], area_outcomes.get(outcome, 0)),
        )
        for outcome, n in now.outcomes
    ]


def _ambassadors(cells: _Exact | _Masked, *, whole_area: bool, with_area: bool) -> list[Row]:
    active, living, visiting = cells.ambassadors()
    living_label = _("Active ambassadors living in the area") if whole_area else _("Active ambassadors living here")
    return [
        Row(
            "active",
            _("Active ambassadors in the area (now)"),
            active,
            Cell(None, NOT_SHOWN),  # nobody recorded last year's status
            active if with_area else None,
        ),
        Row("living_here", living_label, living[0], Cell(None, NOT_SHOWN), living[1] if with_area else None),
        Row("visiting", _("Ambassadors who visited newcomers of the period"), *visiting),
    ]


def _meeting_cell(figures: Figures, attr: str, *, people: bool, mask: bool) -> Cell | PercentCell:
    """Attendance is about people: hidden altogether when fewer than 5 different ambassadors came."""
    value = getattr(figures, attr)
    if isinstance(value, Share):
        # The rate with its base gives away who came and who did not: both 0 or at least 5.
        if mask and any(is_small(n) for n in (figures.meeting_attendees, value.count, value.total - value.count)):
            return PercentCell(None, small_cell(), hidden=True)
        return percent_cell(value, mask=mask)
    if not people:
        return Cell(value, str(value))
    if mask and is_small(figures.meeting_attendees):
        return small_cell()
    return count_cell(value, mask=mask)


def _meetings(*, now: Figures, then: Figures, mask: bool) -> list[Row]:
    """Meetings are the whole area's (ambassadors meet across estates): no estate column to compare."""
    return [
        Row(
            key,
            label,
            _meeting_cell(now, attr, people=people, mask=mask),
            _meeting_cell(then, attr, people=people, mask=mask),
        )
        for key, label, attr, people in [
            ("held", _("Network meetings held"), "meetings_held", False),
            ("attendees", _("Ambassadors who came to at least one"), "meeting_attendees", True),
            ("attendances", _("Attendances in all"), "meeting_attendances", True),
            ("attendance_rate", _("Attendance rate (of those invited)"), "meeting_attendance", True),
        ]
    ]


def _interests(cells: _Exact | _Masked, *, now: Figures, then: Figures, area: Figures | None) -> list[Row]:
    """Interests of this period, then those only last year had."""
    now_interests, then_interests = dict(now.interests), dict(then.interests)
    names = [name for name, _n in now.interests] + sorted(set(then_interests) - set(now_interests))
    area_interests = dict(area.interests) if area is not None else {}
    return [
        Row(
            f"interest:{name}",
            name,
            *cells.part(
                "interests",
                name,
                name,
                now_interests.get(name, 0),
                then_interests.get(name, 0),
                area_interests.get(name, 0),
            ),
        )
        for name in names
    ]


def _later_topics(cells: _Exact | _Masked, *, now: Figures, then: Figures, area: Figures | None) -> list[Row]:
    """Newcomers met who contacted their ambassador again, per topic (one newcomer may count under several)."""
    now_n, then_n = dict(now.continuing_topics), dict(then.continuing_topics)
    area_n = dict(area.continuing_topics) if area is not None else {}
    return [
        Row(
            f"topic:{topic}",
            topic_label(topic),
            *cells.part("later_topics", topic, topic, now_n.get(topic, 0), then_n.get(topic, 0), area_n.get(topic, 0)),
        )
        for topic in TOPICS
    ]


def dashboard_build(
    *,
    period: Period,
    scope: str,
    now: Figures,
    then: Figures,
    area: Figures | None,
    mask: bool,
    grouping: ChartGrouping,
    previous_grouping: ChartGrouping,
    tables: tuple[BoardTables, BoardTables] | None = None,
) -> Dashboard:
    """`area` is the whole area's figures beside an estate's (None on a whole-area dashboard). With `mask`
    (boards, exports) every count is read from `tables` (this period's and last year's `board_tables`),
    for one estate or the whole area."""
    with_area = area is not None and not now.whole_area
    cells = _source(now=now, then=then, area=area, with_area=with_area, mask=mask, tables=tables)
    beside = area if with_area else None
    # Exact figures may be regrouped freely; a board's last year only in the buckets its own page shows.
    compared = not mask or previous_grouping.grouping == grouping.grouping
    dashboard = Dashboard(
        period=period,
        previous=period.previous_year(),
        scope=scope,
        masked=mask,
        computed_at=now.computed_at,
        with_area=with_area,
        headline=_headline(cells),
        months=_months(cells, grouping=grouping, compared=compared, now=now, then=then, area=beside),
        outcomes=_outcomes(cells, now=now, then=then, area=beside),
        ambassadors=_ambassadors(cells, whole_area=now.whole_area, with_area=with_area),
        meetings=_meetings(now=now, then=then, mask=mask),
        interests=_interests(cells, now=now, then=then, area=beside),
        later_topics=_later_topics(cells, now=now, then=then, area=beside),
        charts={},
        grouping=grouping,
        compared=compared,
        tables=tables[0] if mask else None,
    )
    dashboard.charts.update(_charts(dashboard))
    return dashboard


def dashboard_for(
    *, area: Area, period: Period, estate_ids: set[int] | None, scope: str, mask: bool, with_area: bool
) -> Dashboard:
    """The dashboard of some estates (None: the whole area) for `period` beside the same period last year
    (and, `with_area`, beside the whole area): two cached countings; the comparison never reaches outside
    the chosen estates. With `mask`, the small-number tables of both periods decide what is shown."""
    previous = period.previous_year()
    now_counts = area_counts(area=area, period=period)
    then_counts = area_counts(area=area, period=previous)
    grouping = chart_grouping(now_counts, months=period.months)
    previous_grouping = chart_grouping(then_counts, months=previous.months)
    if previous_grouping.empty:  # no newcomers last year: its zeros can stand beside this year's buckets
        previous_grouping = previous_grouping.regrouped(grouping.grouping)
    tables = None
    if mask:
        tables = (
            board_tables(now_counts, months=period.months, grouping=grouping),
            board_tables(then_counts, months=previous.months, grouping=previous_grouping),
        )
    return dashboard_build(
        period=period,
        scope=scope,
        now=figures_for(now_counts, estate_ids=estate_ids, months=period.months),
        then=figures_for(then_counts, estate_ids=estate_ids, months=previous.months),
        area=figures_for(now_counts, estate_ids=None, months=period.months) if with_area else None,
        mask=mask,
        grouping=grouping,
        previous_grouping=previous_grouping,
        tables=tables,
    )


def dashboard_cached(
    *,
    area: Area,
    estate_ids: set[int] | None,
    period: Period,
    scope: str,
    mask: bool,
    with_area: bool,
    language: str,
) -> tuple[SafeString, Dashboard | None]:
    """The figures part of a dashboard page (cards, charts, tables, survey) as HTML, and the dashboard it
    shows when it was made now (None when it came from the cache).

    It depends only on the area, the estates, the period, the small-number rules, the language (it is made
    in `language`) and the day — never on who asks — so it is made once and kept `DASHBOARD_CACHE_SECONDS`: every member of a board,
    and every reload, gets the same HTML without counting or rendering again (see bench/README.md).
    """
    seconds = settings.DASHBOARD_CACHE_SECONDS
    estates = ",".join(str(pk) for pk in sorted(estate_ids)) if estate_ids is not None else "all"
    key = (
        f"dashboards:html:v4:{area.pk}:{estates}:{period.start}:{period.end}:{int(mask)}:{int(with_area)}:"
        f"{language}:{timezone.localdate()}"
    )
    if seconds and (html := cache.get(key)) is not None:
        return mark_safe(html), None  # noqa: S308 — our own rendered template, kept as it was made
    with translation.override(language):
        dashboard = dashboard_for(
            area=area, period=period, estate_ids=estate_ids, scope=scope, mask=mask, with_area=with_area
        )
        survey = survey_rows(survey_headlines_for(area=area, estate_ids=estate_ids, period=period, for_board=mask))
        html = render_to_string("dashboards/includes/figures.html", {"d": dashboard, "survey": survey})
    if seconds:
        cache.set(key, str(html), seconds)
    return html, dashboard


def _months_description(d: Dashboard) -> str:
    description = {
        Grouping.MONTH: _("Newcomers who moved in each month of %(period)s."),
        Grouping.QUARTER: _("Newcomers who moved in each quarter of %(period)s."),
        Grouping.HALF_YEAR: _("Newcomers who moved in each half-year of %(period)s."),
    }[d.grouping.grouping] % {"period": d.period.span}
    if d.compared:
        return f"{description} {_('Beside each, the same months a year before.')}"
    return description


def _charts(d: Dashboard) -> dict[str, SafeString]:
    this, last = _("This period"), _("Same period last year")
    charts = {
        "months": bar_chart(
            chart_id="chart-months",
            title=d.months_heading,
            description=_months_description(d),
            categories=[row.label for row in d.months],
            series=[Series(this, [r.now for r in d.months])]
            + ([Series(last, [r.then for r in d.months])] if d.compared else []),
        ),
        "welcomed": bar_chart(
            chart_id="chart-welcomed",
            title=_("Share welcomed in time"),
            description=_("Share of newcomers an ambassador met within 14 and within 30 days of moving in."),
            categories=[row.label for row in d.headline[1:3]],
            series=[Series(this, [r.now for r in d.headline[1:3]]), Series(last, [r.then for r in d.headline[1:3]])]
            + ([Series(_("Whole area"), [r.area for r in d.headline[1:3]])] if d.with_area else []),
            percent=True,
        ),
        "outcomes": bar_chart(
            chart_id="chart-outcomes",
            title=_("Visits by outcome"),
            description=_("Welcome visits to newcomers of the period by how they ended, beside last year."),
            categories=[row.label for row in d.outcomes],
            series=[Series(this, [r.now for r in d.outcomes]), Series(last, [r.then for r in d.outcomes])],
        ),
    }
    if d.interests:
        charts["interests"] = bar_chart(
            chart_id="chart-interests",
            title=_("Interest in activities"),
            description=_("How many newcomers showed interest in each activity at the welcome visit."),
            categories=[row.label for row in d.interests],
            series=[Series(this, [r.now for r in d.interests]), Series(last, [r.then for r in d.interests])],
        )
    return charts
