"""Helpers for the survey tests (fixtures are in conftest.py)."""

import importlib

from django.apps import apps

_bank = importlib.import_module("apps.surveys.migrations.0002_standard_questions")


def ensure_standard_bank() -> None:
    """Install the standard questions again when a transactional test (any app's) has flushed the database:
    they come from a data migration, which a flush removes."""
    if apps.get_model("surveys", "Question").objects.filter(area__isnull=True).count() < len(_bank.STANDARD_BANK):
        _bank.install(apps, None)
