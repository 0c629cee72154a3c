"""From figures to what a page, the PDF and the CSV show: cells with the small-number rules applied
(`mask=True` for boards and exports) and the charts drawn from those cells, so a chart can never show
more than its table."""

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from apps.dashboards.charts import Series, bar_chart
from apps.dashboards.periods import Period
from apps.dashboards.privacy import (
    Cell,
    PercentCell,
    Share,
    area_breakdown_cells,
    area_count_cell,
    area_percent_cell,
    breakdown_cells,
    count_cell,
    is_small,
    percent_cell,
    small_text,
)
from apps.dashboards.selectors import Figures, outcome_label


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
    charts: dict[str, SafeString]

    @property
    def sections(self) -> list[tuple[str, str, list[Row]]]:
        """(key, heading, rows) of every table, in page order: the CSV writes the same."""
        return [
            ("headline", _("Key figures"), self.headline),
            ("months", _("Newcomers per month"), self.months),
            ("outcomes", _("Visits by outcome"), self.outcomes),
            ("ambassadors", _("Ambassadors"), self.ambassadors),
            ("meetings", _("Network meetings (whole area)"), self.meetings),
            ("interests", _("Interest in activities"), self.interests),
        ]


def _month_label(month: datetime.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def dashboard_build(
    *, period: Period, scope: str, now: Figures, then: Figures, area: Figures | None, mask: bool
) -> Dashboard:
    """`area` is the whole area's figures beside an estate's (None on a whole-area dashboard)."""
    with_area = area is not None and not now.whole_area

    def counts(label_key: str, label: str, attr: str) -> Row:
        a, b = getattr(now, attr), getattr(then, attr)
        return Row(
            label_key,
            label,
            count_cell(a, mask=mask),
            count_cell(b, mask=mask),
            area_count_cell(getattr(area, attr), a, mask=mask) if with_area else None,
        )

    def shares(label_key: str, label: str, attr: str) -> Row:
        a, b = getattr(now, attr), getattr(then, attr)
        return Row(
            label_key,
            label,
            percent_cell(a, mask=mask),
            percent_cell(b, mask=mask),
            area_percent_cell(getattr(area, attr), a, mask=mask) if with_area else None,
        )

    headline = [
        counts("newcomers", _("Newcomers who moved in"), "newcomers"),
        shares("within_14", _("Welcomed within 14 days"), "within_14"),
        shares("within_30", _("Welcomed within 30 days"), "within_30"),
        counts("visits", _("Welcome visits"), "visits"),
        counts("folders", _("Welcome folders delivered"), "folders"),
    ]

    # Newcomers per month: a breakdown of the total above (rule 3), this period and last year.
    month_now = breakdown_cells([m.newcomers for m in now.months], mask=mask)
    month_then = breakdown_cells([m.newcomers for m in then.months], mask=mask)
    month_area = (
        area_breakdown_cells([m.newcomers for m in area.months], [m.newcomers for m in now.months], mask=mask)
        if with_area
        else [None] * len(now.months)
    )
    months = [
        Row(m.month.isoformat(), _month_label(m.month), month_now[i], month_then[i], month_area[i])
        for i, m in enumerate(now.months)
    ]

    outcome_now = breakdown_cells([n for _o, n in now.outcomes], mask=mask)
    outcome_then = breakdown_cells([n for _o, n in then.outcomes], mask=mask)
    outcome_area = (
        area_breakdown_cells([n for _o, n in area.outcomes], [n for _o, n in now.outcomes], mask=mask)
        if with_area
        else [None] * len(now.outcomes)
    )
    outcomes = [
        Row(outcome, outcome_label(outcome), outcome_now[i], outcome_then[i], outcome_area[i])
        for i, (outcome, _n) in enumerate(now.outcomes)
    ]

    living_label = _("Active ambassadors living in the area") if now.whole_area else _("Active ambassadors living here")
    ambassadors = [
        Row(
            "active",
            _("Active ambassadors in the area (now)"),
            count_cell(now.active_ambassadors, mask=mask),
            Cell(None, "–"),  # nobody recorded last year's status
            count_cell(area.active_ambassadors, mask=mask) if with_area else None,
        ),
        Row(
            "living_here",
            living_label,
            count_cell(now.ambassadors_living_here, mask=mask),
            Cell(None, "–"),
            area_count_cell(area.ambassadors_living_here, now.ambassadors_living_here, mask=mask)
            if with_area
            else None,
        ),
        counts("visiting", _("Ambassadors who visited newcomers of the period"), "visiting_ambassadors"),
    ]

    # Meetings are the whole area's (ambassadors meet across estates): no estate column to compare.
    # Attendance is about people: hidden altogether when fewer than 5 different ambassadors came.
    def meeting_cell(figures: Figures, attr: str, *, people: bool) -> Cell | PercentCell:
        value = getattr(figures, attr)
        if isinstance(value, Share):
            if mask and is_small(figures.meeting_attendees):
                return PercentCell(None, Cell(None, small_text(), hidden=True), hidden=True)
            return percent_cell(value, mask=mask)
        if not people:
            return Cell(value, str(value))
        if mask and is_small(figures.meeting_attendees):
            return Cell(None, small_text(), hidden=True)
        return count_cell(value, mask=mask)

    meetings = [
        Row(key, label, meeting_cell(now, attr, people=people), meeting_cell(then, attr, people=people))
        for key, label, attr, people in [
            ("held", _("Network meetings held"), "meetings_held", False),
            ("attendees", _("Ambassadors who came to at least one"), "meeting_attendees", True),
            ("attendances", _("Attendances in all"), "meeting_attendances", True),
            ("attendance_rate", _("Attendance rate (of those invited)"), "meeting_attendance", True),
        ]
    ]

    then_interests = dict(then.interests)
    names = [name for name, _n in now.interests] + sorted(set(then_interests) - {name for name, _n in now.interests})
    now_interests = dict(now.interests)
    area_interests = dict(area.interests) if with_area else {}
    interests = [
        Row(
            f"interest:{name}",
            name,
            count_cell(now_interests.get(name, 0), mask=mask),
            count_cell(then_interests.get(name, 0), mask=mask),
            area_count_cell(area_interests.get(name, 0), now_interests.get(name, 0), mask=mask) if with_area else None,
        )
        for name in names
    ]

    previous = period.previous_year()
    dashboard = Dashboard(
        period=period,
        previous=previous,
        scope=scope,
        masked=mask,
        computed_at=now.computed_at,
        with_area=with_area,
        headline=headline,
        months=months,
        outcomes=outcomes,
        ambassadors=ambassadors,
        meetings=meetings,
        interests=interests,
        charts={},
    )
    dashboard.charts.update(_charts(dashboard))
    return dashboard


def _charts(d: Dashboard) -> dict[str, SafeString]:
    this, last = _("This period"), _("Same period last year")
    charts = {
        "months": bar_chart(
            chart_id="chart-months",
            title=_("Newcomers per month"),
            description=_("Newcomers who moved in each month of %(period)s, beside the same month a year before.")
            % {"period": d.period.span},
            categories=[row.label for row in d.months],
            series=[Series(this, [r.now for r in d.months]), Series(last, [r.then for r in d.months])],
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
