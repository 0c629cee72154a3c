"""The health page's charts, drawn with the dashboards' server-side SVG bars; the page shows each chart's
figures in a table beside it. Coordinators see exact figures of their own area, so every cell is exact."""

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from apps.core.small_numbers import Cell
from apps.corps.selectors import Health
from apps.dashboards.charts import Series, bar_chart


def _cells(values: list[int]) -> list[Cell]:
    return [Cell(value, str(value)) for value in values]


def health_charts(health: Health) -> dict[str, SafeString]:
    charts = {
        "active": bar_chart(
            chart_id="chart-active",
            title=_("Active ambassadors"),
            description=_("Active ambassadors at the end of each month (this month: today), oldest month first."),
            categories=[row.label for row in health.months],
            series=[Series(_("Active ambassadors"), _cells([row.active for row in health.months]))],
        ),
        "flows": bar_chart(
            chart_id="chart-flows",
            title=_("Intake and departures"),
            description=_("Ambassadors who became active for the first time, and ambassadors who left, per quarter."),
            categories=[row.label for row in health.flows.quarters],
            series=[
                Series(_("Intake"), _cells([row.intake for row in health.flows.quarters])),
                Series(_("Departures"), _cells([row.departures for row in health.flows.quarters])),
            ],
        ),
    }
    if health.languages.rows:
        charts["languages"] = bar_chart(
            chart_id="chart-languages",
            title=_("Languages of newcomers and ambassadors"),
            description=_(
                "Per language: newcomers who moved in over the last year, and active ambassadors who speak it."
            ),
            categories=[row.name for row in health.languages.rows],
            series=[
                Series(_("Newcomers"), _cells([row.newcomers for row in health.languages.rows])),
                Series(_("Active ambassadors"), _cells([row.ambassadors for row in health.languages.rows])),
            ],
        )
    return charts
