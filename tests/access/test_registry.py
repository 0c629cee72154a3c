"""The policy engine in core is filled by `apps/access` at start-up: every permission has a rule, the
memberships have a source, and whatever has no rule is refused to everyone, a coordinator included."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from apps.access import rules
from apps.core import policy
from apps.core.checks import policy_complete
from apps.core.policy import Perm


def test_every_permission_has_a_rule():
    assert policy.permissions_without_rule() == []
    assert policy_complete(None) == []


def test_the_rules_registered_are_the_ones_in_access_rules():
    assert {check.__module__ for check in policy._RULES.values()} == {rules.__name__}


@pytest.fixture
def without_rule(monkeypatch):
    """The registry as if the area rule had never been registered."""
    registry = dict(policy._RULES)
    del registry[Perm.AREA_MANAGE]
    monkeypatch.setattr(policy, "_RULES", registry)


@pytest.mark.django_db
def test_a_permission_without_a_rule_is_refused_to_its_coordinator(without_rule, area, coordinator):
    assert not policy.can(coordinator, Perm.AREA_MANAGE, area)
    with pytest.raises(PermissionDenied):
        policy.ensure(coordinator, Perm.AREA_MANAGE, area)
    assert [error.id for error in policy_complete(None)] == ["core.E001"]


@pytest.mark.django_db
def test_an_unknown_permission_is_refused_even_to_a_superuser(area, make_user):
    admin = make_user(is_superuser=True, is_staff=True)
    assert policy.can(admin, Perm.AREA_MANAGE, area)
    assert not policy.can(admin, "area.delete_everything", area)


@pytest.mark.django_db
def test_a_rule_refuses_an_object_it_does_not_know(area, coordinator):
    assert policy.can(coordinator, Perm.AREA_MANAGE, area)
    assert not policy.can(coordinator, Perm.AREA_MANAGE, coordinator)


def test_a_second_rule_for_the_same_permission_is_an_error():
    with pytest.raises(ImproperlyConfigured):
        policy.rule(Perm.AREA_MANAGE)(lambda user, obj: True)
    assert policy._RULES[Perm.AREA_MANAGE] is rules._area_manage


@pytest.mark.django_db
def test_without_a_membership_source_roles_fail_loudly(monkeypatch, coordinator):
    monkeypatch.setattr(policy, "_membership_source", None)
    # Not "no roles": that would quietly let a coordinator skip two-factor.
    with pytest.raises(ImproperlyConfigured):
        policy.two_factor_required(coordinator)
    assert [error.id for error in policy_complete(None)] == ["core.E002"]
