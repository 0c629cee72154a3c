from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.navigation import TabBar, tab_bar
from apps.organisation.models import Area

register = template.Library()


@register.inclusion_tag("includes/tabs.html")
def folders_tabs(area: Area, current: str) -> dict[str, TabBar]:
    """The tabs over the coordinator's welcome-folder pages of one area; `current` names this page."""
    args = [area.slug]
    entries = [
        ("editor", _("Content"), reverse("folders:editor", args=args)),
        ("batches", _("Print the week's folders"), reverse("folders:batch_list", args=args)),
    ]
    return {"bar": tab_bar(label=_("Welcome folder"), entries=entries, current=current)}
