from tests.visits.conftest import (  # noqa: F401
    ambassador_profile,
    make_newcomer,
    make_tenancy,
    other_ambassador_profile,
    visit,
)
