from django import template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.core.navigation import TabBar, tab_bar
from apps.organisation.models import Area

register = template.Library()


@register.inclusion_tag("includes/tabs.html")
def corps_tabs(area: Area, current: str) -> dict[str, TabBar]:
    """The tabs over the coordinator's pages about the ambassador corps; `current` names this page."""
    args = [area.slug]
    entries = [
        ("health", pgettext("the corps' state", "Health"), reverse("corps:health", args=args)),
        ("candidates", _("Recruitment"), reverse("corps:candidates", args=args)),
        ("trainings", _("Training"), reverse("corps:trainings", args=args)),
        ("recognition", _("Recognition"), reverse("corps:recognition", args=args)),
        (None, _("Ambassadors"), reverse("visits:ambassador_list", args=args)),
    ]
    return {"bar": tab_bar(label=_("The ambassador corps"), entries=entries, current=current)}
