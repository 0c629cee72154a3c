from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.navigation import TabBar, tab_bar
from apps.organisation.models import Area

register = template.Library()


@register.inclusion_tag("includes/tabs.html")
def visits_tabs(area: Area, current: str) -> dict[str, TabBar]:
    """The tabs over the coordinator's welcome-visit pages of one area; `current` names this page."""
    args = [area.slug]
    entries = [
        ("overview", _("Overview"), reverse("visits:overview", args=args)),
        ("assign", _("Assign"), reverse("visits:assign", args=args)),
        ("visits", _("Visits"), reverse("visits:visit_list", args=args)),
        ("ambassadors", _("Ambassadors"), reverse("visits:ambassador_list", args=args)),
        ("activities", _("Activities"), reverse("visits:activity_list", args=args)),
        ("referrals", _("Referrals"), reverse("visits:referral_list", args=args)),
    ]
    return {"bar": tab_bar(label=_("Welcome visits"), entries=entries, current=current)}
