"""The menu each role sees, built from the policy's view of the user's memberships; and the tab bars
over a group of pages, built from data the same way (`templates/includes/tabs.html` draws both kinds)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.policy import Role, areas_with_role, has_role, is_programme_lead, memberships


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool = False


@dataclass(frozen=True)
class TabBar:
    label: str  # what the bar is, for screen readers (the <nav>'s aria-label)
    tabs: list[NavItem] = field(default_factory=list)


# Items an upper app adds to an ambassador's menu, registered in its AppConfig.ready(): each takes the
# user's memberships (as the policy loads them) and returns the items to show, asking the database nothing.
_ambassador_items: list[Callable[[list], list[NavItem]]] = []


def ambassador_items_register(hook: Callable[[list], list[NavItem]]) -> None:
    if hook not in _ambassador_items:
        _ambassador_items.append(hook)


def tab_bar(*, label: str, entries: Sequence[tuple[str | None, str, str]], current: str) -> TabBar:
    """A row of tabs over related pages. `entries` are (key, label, url); the tab whose key is `current`
    is marked active. A key of None is a link out of the group, never the current page."""
    tabs = [NavItem(text, url, active=key is not None and key == current) for key, text, url in entries]
    return TabBar(label=label, tabs=tabs)


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
        for hook in _ambassador_items:
            items.extend(hook(memberships(user)))
    if has_role(user, Role.BOARD):
        items.append(NavItem(_("Board overview"), reverse("access:board_home")))
    if has_role(user, Role.INTERVIEWER):
        items.append(NavItem(_("Interviews"), reverse("surveys:calls_home")))
    # Issue 18: a programme lead's survey rounds, the pooled figures of their organisation's areas.
    if is_programme_lead(user):
        items.append(NavItem(_("Survey rounds"), reverse("surveys:round_list")))
    if user.is_staff:
        items.append(NavItem(_("Administration"), reverse("admin:index")))
    return items
