"""The policy asked about someone who is not signed in: no memberships, no role, no query that fails."""

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import Membership
from apps.core.policy import areas_with_role, has_role, memberships

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_has_no_role_anywhere(area, ambassador):
    anonymous = AnonymousUser()
    assert memberships(anonymous) == []
    assert not has_role(anonymous, Membership.Role.AMBASSADOR, area)
    assert areas_with_role(anonymous, Membership.Role.COORDINATOR) == []
