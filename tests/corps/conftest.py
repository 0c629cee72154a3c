import pytest

from apps.corps.models import Candidate


@pytest.fixture
def make_candidate(area):
    counter = iter(range(1, 10_000))

    def make(*, in_area=None, **fields) -> Candidate:
        n = next(counter)
        values = {
            "full_name": f"Candidate {n}",
            "email": f"candidate{n}@example.org",
            "channel": Candidate.Channel.PERSONAL_REQUEST,
            **fields,
        }
        return Candidate.objects.create(area=in_area or area, **values)

    return make


@pytest.fixture
def candidate(make_candidate) -> Candidate:
    return make_candidate(full_name="Hodan Ahmed", email="", phone="+4531234567", languages=["so", "da"])
