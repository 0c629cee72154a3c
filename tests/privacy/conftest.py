from tests.visits.conftest import ambassador_profile, make_newcomer, make_tenancy, visit  # noqa: F401
