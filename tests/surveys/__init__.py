"""Helpers for the survey tests (fixtures are in conftest.py)."""

from apps.surveys.services import standard_bank_ensure


def ensure_standard_bank() -> None:
    """The standard questions come from a data migration, which a transactional test (any app's) flushes."""
    standard_bank_ensure()
