# The visits fixtures (ambassadors with profiles, newcomers with tenancies) for the undelivered page.
from tests.visits.conftest import make_ambassador, make_newcomer, make_tenancy  # noqa: F401
