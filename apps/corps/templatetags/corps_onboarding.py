from django import template

from apps.corps.selectors import onboarding_for_ambassador
from apps.visits.models import Ambassador

register = template.Library()


@register.inclusion_tag("corps/includes/my_first_steps.html")
def my_first_steps(profile: Ambassador) -> dict:
    """A new ambassador's own first steps and mentor, read-only, on their profile page (until they are active)."""
    if profile.status not in (Ambassador.Status.ACCEPTED, Ambassador.Status.TRAINED):
        return {"onboarding": None}
    return {"onboarding": onboarding_for_ambassador(ambassador=profile)}
