"""The survey rounds' pages keep their counted figures a few minutes (apps.surveys.round_cache,
ROUND_PAGE_CACHE_SECONDS): used on a reload, kept apart per round, per the rounds and areas of the trends and
per language, and a new answer shows once the time has passed."""

import time

import pytest
from django.urls import reverse

from apps.accounts.models import ProgrammeLead
from tests.surveys.test_pooled import _answer, _surveys

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.ROUND_PAGE_CACHE_SECONDS = 60
    return settings


@pytest.fixture
def lead(make_user, organisation):
    user = make_user(full_name="Petra Programmelead")
    ProgrammeLead.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def two_rounds(area, other_area, make_round):
    first, second = make_round([area, other_area], title="First"), make_round([area, other_area], title="Second")
    _answer(_surveys(first)["north"], [("yes", "yes"), ("no", "no")], count=6)
    _answer(_surveys(second)["north"], [("yes", "yes")], count=9)
    return first, second


def _page(client, name: str, *args) -> str:
    response = client.get(reverse(f"surveys:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


def _figures(page: str) -> str:
    """What the page counted: after its "(counted …)" (the shell above has the session's CSRF token)."""
    return page.split("(counted ")[1]


def test_a_reload_takes_the_figures_from_the_cache(
    client, english, cached, lead, two_rounds, django_assert_max_num_queries
):
    first, _second = two_rounds
    client.force_login(lead)
    page = _page(client, "round_detail", first.pk)
    assert "12 people answered" in page and "(counted " in page
    with django_assert_max_num_queries(9):  # the session, the user, the rule and the round: nothing counted
        assert _figures(_page(client, "round_detail", first.pk)) == _figures(page)


def test_a_second_rounds_figures_are_not_the_firsts(client, english, cached, lead, two_rounds):
    first, second = two_rounds
    client.force_login(lead)
    assert "12 people answered" in _page(client, "round_detail", first.pk)
    assert "9 people answered" in _page(client, "round_detail", second.pk)
    first_csv, second_csv = _page(client, "round_csv", first.pk), _page(client, "round_csv", second.pk)
    assert first_csv != second_csv and ",12," in first_csv and ",9," in second_csv


def test_the_figures_are_kept_per_language(client, cached, lead, two_rounds):
    first, _second = two_rounds
    client.force_login(lead)
    client.cookies["django_language"] = "en"
    assert "people answered" in _page(client, "round_detail", first.pk)
    client.cookies["django_language"] = "da"
    assert "people answered" not in _page(client, "round_detail", first.pk)


def test_a_new_answer_shows_once_the_cache_time_has_passed(client, english, settings, lead, two_rounds):
    settings.ROUND_PAGE_CACHE_SECONDS = 1
    first, _second = two_rounds
    client.force_login(lead)
    assert "12 people answered" in _page(client, "round_detail", first.pk)
    trends = _page(client, "round_trends", first.organisation.slug)
    _answer(_surveys(first)["south"], [("yes", "yes")], count=5)
    assert "12 people answered" in _page(client, "round_detail", first.pk)  # still the counted figures
    assert _figures(_page(client, "round_trends", first.organisation.slug)) == _figures(trends)
    time.sleep(1.1)
    assert "17 people answered" in _page(client, "round_detail", first.pk)
    assert _figures(_page(client, "round_trends", first.organisation.slug)) != _figures(trends)


def test_the_trends_of_fewer_rounds_are_kept_apart(
    client, english, cached, lead, coordinator, two_rounds, area, make_round
):
    """A coordinator of one area sees only its rounds; their trends are not the lead's cached ones."""
    only_north = make_round([area], title="Only north")
    _answer(_surveys(only_north)["north"], [("no", "no")], count=7)
    client.force_login(lead)
    everything = _page(client, "round_trends", only_north.organisation.slug)
    client.force_login(coordinator)
    own = _page(client, "round_trends", only_north.organisation.slug)
    assert "Only north" in own and "First" not in _figures(own)
    assert "First" in _figures(everything)
