"""The role × URL table: every URL, asked by every role.

Allowed roles get `ok` (200 for pages, 302 for a POST that redirects); anonymous users are sent to
the login page; everyone else gets 403. Later issues add their URLs to ROUTES.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "ambassador", "board", "interviewer", "coordinator", "other_coordinator")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
PUBLIC = frozenset(ROLES)


@dataclass(frozen=True)
class Route:
    name: str
    url: Callable[[SimpleNamespace], str]
    allowed: frozenset[str]
    method: str = "get"
    ok: int = 200
    data: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


ROUTES = [
    # Public pages
    Route("accounts:login", lambda c: reverse("accounts:login"), PUBLIC - SIGNED_IN),
    Route("accounts:link_request", lambda c: reverse("accounts:link_request"), PUBLIC),
    Route("accounts:link_sent", lambda c: reverse("accounts:link_sent"), PUBLIC),
    Route("accounts:password_reset", lambda c: reverse("accounts:password_reset"), PUBLIC),
    Route("core:healthz", lambda c: reverse("core:healthz"), PUBLIC),
    # Every signed-in role
    Route("core:home", lambda c: reverse("core:home"), SIGNED_IN, ok=302),
    Route("accounts:password_change", lambda c: reverse("accounts:password_change"), SIGNED_IN),
    # One role each
    Route("core:ambassador_home", lambda c: reverse("core:ambassador_home"), frozenset({"ambassador"})),
    Route("core:board_home", lambda c: reverse("core:board_home"), frozenset({"board"})),
    Route("core:interviewer_home", lambda c: reverse("core:interviewer_home"), frozenset({"interviewer"})),
    # The coordinator's area: the other area's coordinator is refused
    Route("organisation:area_detail", lambda c: reverse("organisation:area_detail", args=[c.area.slug]), frozenset({"coordinator"})),
    Route("accounts:people", lambda c: reverse("accounts:people", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "accounts:resend_link",
        lambda c: reverse("accounts:resend_link", args=[c.area.slug, c.ambassador_membership.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
    ),
]


@pytest.fixture
def users(ambassador, board_member, interviewer, coordinator, other_coordinator) -> dict:
    return {
        "anonymous": None,
        "ambassador": ambassador,
        "board": board_member,
        "interviewer": interviewer,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
    }


@pytest.fixture
def ctx(area, ambassador) -> SimpleNamespace:
    return SimpleNamespace(area=area, ambassador_membership=ambassador.memberships.get())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_role_may_or_may_not_open_url(client, users, ctx, route, role):
    user = users[role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, route.method)(route.url(ctx), route.data)

    if role in route.allowed:
        assert response.status_code == route.ok, f"{role} should reach {route}"
    elif user is None:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif route.name == "accounts:login":
        assert response.status_code == 302  # a signed-in user is sent on from the login page
    else:
        assert response.status_code == 403, f"{role} must be refused {route}"


def test_admin_is_closed_to_every_role_but_staff(client, users):
    for role, user in users.items():
        if user is not None:
            client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"], role
