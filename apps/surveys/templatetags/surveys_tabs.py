from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.navigation import TabBar, tab_bar
from apps.organisation.models import Area
from apps.surveys.models import Survey

register = template.Library()


@register.inclusion_tag("includes/tabs.html")
def surveys_tabs(area: Area, survey: Survey, current: str) -> dict[str, TabBar]:
    """The tabs over one survey's coordinator pages; `current` names this page."""
    args = [area.slug, survey.pk]
    entries = [
        ("detail", _("Survey"), reverse("surveys:detail", args=args)),
        ("funnel", _("Response rate"), reverse("surveys:funnel", args=args)),
        ("analysis", _("Results"), reverse("surveys:analysis", args=args)),
        # The call list is the interviewers' page (no area in its address), never one of these tabs.
        (None, _("Call list"), reverse("surveys:call_list", args=[survey.pk])),
        ("import", _("Import answers"), reverse("surveys:import", args=args)),
        ("edit", _("Edit"), reverse("surveys:edit", args=args)),
    ]
    return {"bar": tab_bar(label=_("Survey"), entries=entries, current=current)}
