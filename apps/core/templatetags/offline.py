from django import template
from django.utils.crypto import salted_hmac

register = template.Library()


@register.filter
def offline_user_key(user) -> str:
    """Names the signed-in user's offline copies on the phone (static/js/offline.js) without showing the id:
    a different user signing in on the same phone has another key, and the copies of the first are deleted."""
    if not user.is_authenticated:
        return ""
    return salted_hmac("apps.core.offline_user_key", str(user.pk)).hexdigest()[:24]
