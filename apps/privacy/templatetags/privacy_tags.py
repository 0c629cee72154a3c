from collections.abc import Mapping

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def is_mapping(value) -> bool:
    return isinstance(value, Mapping)


@register.filter
def plain_value(value) -> str:
    """Yes/no for flags, a dash for nothing; everything else as stored (escaped by the template)."""
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if value in (None, ""):
        return "–"
    return str(value)
