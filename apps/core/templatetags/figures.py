from django import template
from django.utils.translation import gettext as _

register = template.Library()

# Figures drawn from fewer people than this are not shown, so no one can be recognised in them.
SMALL_NUMBER = 5


@register.filter
def small_count(value: int | None) -> str:
    """Show a count of people, or '< 5' when it is 1–4."""
    if value is None:
        return "–"
    if 0 < value < SMALL_NUMBER:
        return _("< %(n)s") % {"n": SMALL_NUMBER}
    return str(value)
