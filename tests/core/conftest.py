# The visits fixtures (ambassadors with profiles, newcomers with tenancies) for the fault tests, and the
# welcome folder's for the sweep's test of every job kind (tests/core/test_jobs.py).
from tests.folders.conftest import folder, version  # noqa: F401
from tests.visits.conftest import make_ambassador, make_newcomer, make_tenancy  # noqa: F401
