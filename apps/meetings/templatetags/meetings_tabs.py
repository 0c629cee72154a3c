from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.navigation import TabBar, tab_bar
from apps.organisation.models import Area

register = template.Library()


@register.inclusion_tag("includes/tabs.html")
def meetings_tabs(area: Area, current: str) -> dict[str, TabBar]:
    """The tabs over the coordinator's meeting pages of one area; `current` names this page."""
    args = [area.slug]
    entries = [
        ("list", _("Meetings"), reverse("meetings:area_list", args=args)),
        ("new", _("New meeting"), reverse("meetings:new", args=args)),
        ("series", _("New series"), reverse("meetings:series_new", args=args)),
        ("overview", _("Attendance"), reverse("meetings:overview", args=args)),
    ]
    return {"bar": tab_bar(label=_("Network meetings"), entries=entries, current=current)}
