# The visits fixtures (newcomers with tenancies, an ambassador profile, an assigned visit) serve here too.
from tests.visits.conftest import ambassador_profile, make_newcomer, make_tenancy, visit  # noqa: F401
