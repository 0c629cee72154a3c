from django.http import HttpRequest

from apps.core.navigation import navigation_for


def navigation(request: HttpRequest) -> dict:
    return {"nav_items": navigation_for(request.user, request.path)}
