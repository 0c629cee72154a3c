import calendar
from datetime import date

from django import template
from django.utils.translation import gettext as _

from apps.visits.models import language_name
from apps.visits.selectors import ambassador_has_dual_role

register = template.Library()


@register.filter
def language(code: str) -> str:
    """The translated name of an ISO 639-1 code ("ar" → "Arabic"); empty for an unknown language."""
    return language_name(code) if code else ""


@register.filter
def languages(codes: list[str] | None) -> str:
    """A list of codes as names, comma separated."""
    return ", ".join(language_name(code) for code in codes or [])


@register.filter
def dual_role(ambassador) -> bool:
    """Whether the coordinator should see the ambassador also sits on a tenant board."""
    return ambassador_has_dual_role(ambassador)


@register.filter
def month_end(first_day: date) -> date:
    """The last day of the month that starts on `first_day`."""
    return first_day.replace(day=calendar.monthrange(first_day.year, first_day.month)[1])


@register.filter
def share(value) -> str:
    """A `Share` as "63 % (12 of 19)", or "–" when nobody can be judged yet."""
    if value.percent is None:
        return "–"
    return _("%(percent)s %% (%(count)s of %(total)s)") % {
        "percent": value.percent,
        "count": value.count,
        "total": value.total,
    }
