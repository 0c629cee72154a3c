"""The dashboards' survey section: headline results of the newcomer survey, contact vs no contact.

The figures come from the survey app (`apps.surveys.selectors.survey_headlines`), which defines the
contact and no-contact groups the same way as the survey's own analysis. Each row has the shape::

    {"code": "welcome", "text": "Do you feel welcome …?",
     "contact": {"n": 23, "percent": 74}, "no_contact": {"n": 11, "percent": 45},
     "p_value": 0.13, "significant": False}

with `n` and `percent` None for a group under 5 answers on board pages and exports (shown as "< 5"),
and `percent` None where the "yes" or the "not yes" answers are 1–4 people (shown as "–").
"""

from apps.core.small_numbers import small_text
from apps.dashboards.periods import Period
from apps.organisation.models import Area
from apps.surveys.selectors import survey_headlines


def survey_headlines_for(*, area: Area, estate_ids: set[int] | None, period: Period, for_board: bool) -> list[dict]:
    return survey_headlines(
        area=area,
        estate_ids=sorted(estate_ids) if estate_ids is not None else None,
        start=period.start,
        end=period.end,
        for_board=for_board,
    )


def survey_rows(headlines: list[dict]) -> list[dict]:
    """The rows as the survey section shows them: the two groups side by side, contact first, each with
    the text to show ("74 %", "–" when nobody answered yes or no, "< 5" when the group is hidden)."""

    def group(part: dict | None) -> dict:
        n, percent = (part or {}).get("n"), (part or {}).get("percent")
        if n is None:
            return {"n": None, "text": small_text(), "hidden": True}
        return {"n": n, "text": "–" if percent is None else f"{percent}\u00a0%", "hidden": False}

    return [{**row, "groups": [group(row.get("contact")), group(row.get("no_contact"))]} for row in headlines]
