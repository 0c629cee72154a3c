"""One survey's coordinator pages share one tab bar, with the page shown marked; the call list (the
interviewers' page) is a tab that is never marked."""

import pytest
from django.urls import reverse

from tests.html import tab_bar

pytestmark = pytest.mark.django_db


def _expected(area, survey, current: str) -> list[tuple[str, str, bool]]:
    args = [area.slug, survey.pk]
    return [
        ("Survey", reverse("surveys:detail", args=args), current == "detail"),
        ("Response rate", reverse("surveys:funnel", args=args), current == "funnel"),
        ("Results", reverse("surveys:analysis", args=args), current == "analysis"),
        ("Call list", reverse("surveys:call_list", args=[survey.pk]), False),
        ("Import answers", reverse("surveys:import", args=args), current == "import"),
        ("Edit", reverse("surveys:edit", args=args), current == "edit"),
    ]


@pytest.mark.parametrize("current", ["detail", "funnel", "analysis", "import", "edit"])
def test_every_survey_page_shows_the_same_tabs_with_its_own_marked(client, english, coordinator, area, survey, current):
    client.force_login(coordinator)

    html = client.get(reverse(f"surveys:{current}", args=[area.slug, survey.pk])).content.decode()

    assert tab_bar(html) == ("Survey", _expected(area, survey, current))


def test_the_new_survey_form_has_no_tabs_yet(client, english, coordinator, area):
    client.force_login(coordinator)

    html = client.get(reverse("surveys:new", args=[area.slug])).content.decode()

    assert tab_bar(html) == ("", [])
