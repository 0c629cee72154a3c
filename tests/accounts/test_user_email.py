"""E-mail addresses are stored in one spelling, so sign-in, the lock-out and uniqueness agree."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from apps.accounts.models import User
from apps.accounts.services import user_create

pytestmark = pytest.mark.django_db


def test_a_new_users_email_is_stored_trimmed_and_lower_case():
    user = user_create(email=" Karen@Demo.DK ", full_name="Karen")
    assert User.objects.get(pk=user.pk).email == "karen@demo.dk"


def test_an_edited_email_is_stored_lower_case(ambassador):
    ambassador.email = "Ali.Ambassador@Example.ORG"
    ambassador.full_clean()
    ambassador.save(update_fields=["email"])

    assert User.objects.get(pk=ambassador.pk).email == "ali.ambassador@example.org"


def test_two_accounts_cannot_differ_only_in_case(make_user):
    make_user(email="karen@demo.dk")
    with pytest.raises(ValidationError):
        user_create(email="KAREN@demo.dk", full_name="Another Karen")
    assert User.objects.filter(email__iexact="karen@demo.dk").count() == 1


def test_existing_emails_are_lower_cased_by_the_migration(make_user):
    user = make_user(email="karen@demo.dk")
    User.objects.filter(pk=user.pk).update(email="Karen@Demo.dk")  # as stored before the fix
    migration = importlib.import_module("apps.accounts.migrations.0002_user_email_normalise")

    migration.emails_normalise(django_apps, None)

    assert User.objects.get(pk=user.pk).email == "karen@demo.dk"
