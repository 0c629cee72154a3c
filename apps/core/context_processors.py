from django.http import HttpRequest

from apps.core.navigation import navigation_for
from apps.core.policy import two_factor_required


def navigation(request: HttpRequest) -> dict:
    user = request.user
    # Until a coordinator has typed their two-factor code, every link would only lead back to the code page.
    if two_factor_required(user) and not getattr(user, "is_verified", lambda: False)():
        return {"nav_items": []}
    return {"nav_items": navigation_for(user, request.path)}
