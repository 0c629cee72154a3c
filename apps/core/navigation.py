"""The menu each role sees. Built from the policy's view of the user's memberships."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.policy import Role, areas_with_role, has_role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def navigation_for(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[NavItem] = []
    for area in areas_with_role(user, Role.COORDINATOR):
        items.append(NavItem(str(area), reverse("organisation:area_detail", args=[area.slug])))
        items.append(NavItem(_("People"), reverse("accounts:people", args=[area.slug])))
    if has_role(user, Role.AMBASSADOR):
        items.append(NavItem(_("My page"), reverse("core:ambassador_home")))
    if has_role(user, Role.BOARD):
        items.append(NavItem(_("Board overview"), reverse("core:board_home")))
    if has_role(user, Role.INTERVIEWER):
        items.append(NavItem(_("Interviews"), reverse("core:interviewer_home")))
    if user.is_staff:
        items.append(NavItem(_("Administration"), reverse("admin:index")))
    return items
