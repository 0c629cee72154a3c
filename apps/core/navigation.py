"""The menu each role sees. Built from the policy's view of the user's memberships."""

from dataclasses import dataclass, replace

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.policy import Role, areas_with_role, has_role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool = False


def navigation_for(user, path: str = "") -> list[NavItem]:
    """The user's menu, with the item whose address is the longest prefix of `path` marked active."""
    items = _items_for(user)
    matches = [item for item in items if path.startswith(item.url)]
    if matches:
        current = max(matches, key=lambda item: len(item.url))
        items = [replace(item, active=True) if item is current else item for item in items]
    return items


def _items_for(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[NavItem] = []
    for area in areas_with_role(user, Role.COORDINATOR):
        # The area's page is the hub for the rarer tasks (people, imports, personal data, access log);
        # the menu keeps the daily ones, so it fits one line on a laptop.
        items.append(NavItem(str(area), reverse("organisation:area_detail", args=[area.slug])))
        items.append(NavItem(_("Welcome visits"), reverse("visits:overview", args=[area.slug])))
        items.append(NavItem(_("Meetings"), reverse("meetings:area_list", args=[area.slug])))
        items.append(NavItem(_("Survey"), reverse("surveys:list", args=[area.slug])))
        items.append(NavItem(_("Dashboard"), reverse("dashboards:area", args=[area.slug])))
        items.append(NavItem(_("Welcome folder"), reverse("folders:editor", args=[area.slug])))
    if has_role(user, Role.AMBASSADOR):
        items.append(NavItem(_("My visits"), reverse("visits:mine")))
        items.append(NavItem(_("Meetings"), reverse("meetings:mine")))
        items.append(NavItem(_("My profile"), reverse("visits:my_profile")))
    if has_role(user, Role.BOARD):
        items.append(NavItem(_("Board overview"), reverse("access:board_home")))
    if has_role(user, Role.INTERVIEWER):
        items.append(NavItem(_("Interviews"), reverse("surveys:calls_home")))
    if user.is_staff:
        items.append(NavItem(_("Administration"), reverse("admin:index")))
    return items
