"""The dashboards' survey section: headline results of the newcomer survey, contact vs no contact.

The figures come from the survey app (`apps.surveys.selectors.survey_headlines`), which defines the
contact and no-contact groups the same way as the survey's own analysis. Each row has the shape::

    {"code": "welcome", "text": "Do you feel welcome …?",
     "contact": {"n": 23, "percent": 74, "n_text": "23"},
     "no_contact": {"n": 11, "percent": 45, "n_text": "11"},
     "p_value": 0.13, "significant": False}

On board pages and exports the small-number rules of every board figure apply
(`apps.core.small_numbers`): `n` is None when it is hidden (`n_text` is then "< 5", or "–" when a
neighbouring figure would give it away), and `percent` None where the "yes" or the "not yes" answers are
hidden (shown as "–").
"""

from apps.core.small_numbers import percent_text
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
    the text to show ("74 %"; "–" when nobody answered or the share is hidden; "< 5" or "–" when the
    group's n is hidden)."""

    def group(part: dict) -> dict:
        if part["n"] is None:
            return {"n": None, "text": part["n_text"], "hidden": True}
        return {"n": part["n"], "text": percent_text(part["percent"]), "hidden": False}

    return [{**row, "groups": [group(row["contact"]), group(row["no_contact"])]} for row in headlines]
