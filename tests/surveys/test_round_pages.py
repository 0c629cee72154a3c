"""Issue 18, the round's pages: the list of the rounds one may view, the round's pooled page (funnel, charts,
verdicts, limits, the areas' rows under the small-number rules) and its CSV, masked per area."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant
from apps.surveys.pooled import survey_round_report_csv
from apps.surveys.round_report import survey_round_report_csv_masked
from tests.conftest import build_area
from tests.surveys.test_pooled import _answer, _surveys

pytestmark = pytest.mark.django_db

Role = Membership.Role


@pytest.fixture
def coordinator_of_both(coordinator, other_area):
    """Carla coordinates both areas of the round: the page is hers."""
    membership_grant(user=coordinator, area=other_area, role=Role.COORDINATOR)
    return coordinator


@pytest.fixture
def two_area_round(area, other_area, make_round):
    return make_round([area, other_area])


def _fill(survey_round) -> None:
    """North: 8 with contact (yes), 8 without (no); south: 6 with contact (yes), 3 without (no)."""
    surveys = _surveys(survey_round)
    _answer(surveys["north"], [("yes", "yes"), ("no", "no")], count=8)
    _answer(surveys["south"], [("yes", "yes")], count=6)
    _answer(surveys["south"], [("no", "no")], count=3)


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- Who sees which round -------------------------------------------------------------------------------------


def test_list_shows_a_coordinator_only_the_rounds_of_areas_they_all_coordinate(
    client, english, coordinator, area, make_round, two_area_round
):
    own = make_round([area], title="Only north")
    client.force_login(coordinator)
    page = client.get(reverse("surveys:round_list")).content.decode()
    assert reverse("surveys:round_detail", args=[own.pk]) in page
    assert reverse("surveys:round_detail", args=[two_area_round.pk]) not in page


def test_list_shows_an_ambassador_no_round(client, english, ambassador, area, make_round):
    make_round([area], title="Only north")
    client.force_login(ambassador)
    page = client.get(reverse("surveys:round_list")).content.decode()
    assert "Only north" not in page and "No survey rounds you may view." in page


def test_list_shows_an_admin_every_round(client, english, make_user, area, other_area, make_round, two_area_round):
    own = make_round([area], title="Only north")
    admin = make_user(full_name="Ada Admin")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    client.force_login(admin)
    page = client.get(reverse("surveys:round_list")).content.decode()
    assert "Only north" in page and two_area_round.title in page and str(own.pk) in page


def test_coordinator_of_one_area_is_refused_the_two_area_round_and_its_csv(client, coordinator, two_area_round):
    client.force_login(coordinator)
    assert client.get(reverse("surveys:round_detail", args=[two_area_round.pk])).status_code == 403
    assert client.get(reverse("surveys:round_csv", args=[two_area_round.pk])).status_code == 403


def test_survey_list_links_to_the_rounds(client, english, coordinator, area):
    client.force_login(coordinator)
    page = client.get(reverse("surveys:list", args=[area.slug])).content.decode()
    assert reverse("surveys:round_list") in page


# --- The round's page ---------------------------------------------------------------------------------------------


def test_page_shows_the_funnel_the_verdicts_and_the_limits(client, english, coordinator_of_both, two_area_round):
    _fill(two_area_round)
    client.force_login(coordinator_of_both)
    response = client.get(reverse("surveys:round_detail", args=[two_area_round.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "From newcomers to answers" in page and 'data-row="pooled"' in page
    assert 'data-question="happy_living_here"' in page and "stacked-chart" in page
    # 14 with contact all yes, 11 without all no: fewer than 20 in a group, too few to conclude.
    assert 'data-verdict="too_few"' in page and "Too few answers in one of the groups" in page
    assert "Fisher's exact test, all areas counted together: p &lt; 0.001." in page
    assert "25 people answered: 14 had contact with an ambassador, 11 had not." in page
    assert "Fewer than 20 people are in one of the groups." in page
    # The contact question makes the groups, so it is not one of the questions compared.
    assert 'data-question="ambassador_contact"' not in page
    # From here: the PDF report, the masked CSV, the research export and the trends.
    for name, args in [
        ("surveys:round_report_new", [two_area_round.pk]),
        ("surveys:round_csv", [two_area_round.pk]),
        ("surveys:round_research_export", [two_area_round.pk]),
        ("surveys:round_trends", [two_area_round.organisation.slug]),
    ]:
        assert f'"{reverse(name, args=args)}"' in page


def test_page_never_shows_an_areas_small_count(client, english, coordinator_of_both, two_area_round):
    _fill(two_area_round)
    client.force_login(coordinator_of_both)
    page = client.get(reverse("surveys:round_detail", args=[two_area_round.pk])).content.decode()
    rows = page.split('data-question="happy_living_here"')[1].split("</section>")[0]
    south = rows.split("Area south</th>")[1].split("</tr>")[0]
    north = rows.split("Area north</th>")[1].split("</tr>")[0]
    # South's 3 without contact: "< 5"; north's 8 would give them away from the pooled 11: "–".
    assert "&lt; 5" in south and ">3<" not in south
    assert north.endswith('<td class="text-end">–</td><td class="text-end text-nowrap">–</td>')


def _areas(organisation, n: int):
    return [build_area(organisation, f"many-{n}-{i}", [f"9{n}{i}"]) for i in range(n)]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_csv_and_list_cost_the_same_queries_for_two_areas_and_five(
    client, organisation, make_user, make_round, django_assert_num_queries
):
    coordinator = make_user(full_name="Many Areas")
    small_areas, large_areas = _areas(organisation, 2), _areas(organisation, 5)
    for area in [*small_areas, *large_areas]:
        membership_grant(user=coordinator, area=area, role=Role.COORDINATOR)
    small, large = make_round(small_areas, title="Small"), make_round(large_areas, title="Large")
    for survey_round in (small, large):
        for survey in survey_round.surveys.all():
            _answer(survey, [("yes", "yes"), ("no", "no")], count=3)
    client.force_login(coordinator)
    client.get(reverse("surveys:round_list"))  # the session's first request does its sign-in bookkeeping

    for name in ("round_detail", "round_csv"):
        expected = _queries(client, reverse(f"surveys:{name}", args=[small.pk]))
        with django_assert_num_queries(expected):
            assert client.get(reverse(f"surveys:{name}", args=[large.pk])).status_code == 200
    expected = _queries(client, reverse("surveys:round_list"))
    make_round(_areas(organisation, 3), title="Another")
    with django_assert_num_queries(expected):
        assert client.get(reverse("surveys:round_list")).status_code == 200


# --- The CSV ------------------------------------------------------------------------------------------------------


def test_csv_masks_an_areas_small_counts(client, coordinator_of_both, two_area_round):
    _fill(two_area_round)
    client.force_login(coordinator_of_both)
    response = client.get(reverse("surveys:round_csv", args=[two_area_round.pk]))
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    lines = _csv(response.content.decode())
    south = [r for r in lines if r["area"] == "south" and r["question"] == "happy_living_here"]
    no_contact = [r for r in south if r["group"] == "no_contact"]
    assert {r["n"] for r in no_contact} == {"< 5"} and {r["percent"] for r in no_contact} == {"–"}
    pooled = [r for r in lines if r["area"] == "" and r["question"] == "happy_living_here" and r["group"] == "all"]
    assert {r["n"] for r in pooled} == {"25"} and pooled[0]["p_value"] != ""
    # South's own test would tell its small counts: left out.
    assert {(r["p_value"], r["significant"], r["cmh_p_value"]) for r in south} == {("", "", "")}


def test_csv_is_the_commands_where_no_figure_is_small(two_area_round):
    for survey in _surveys(two_area_round).values():
        _answer(survey, [("yes", "yes"), ("no", "no")], count=6)
    # The same lines, but an area's everyone: shown for the round only (`round_mask`).
    exact = survey_round_report_csv(round=two_area_round).splitlines()
    without_areas_everyone = [line for line in exact if not (line.split(",")[0] and line.split(",")[2] == "all")]
    assert survey_round_report_csv_masked(round=two_area_round).splitlines() == without_areas_everyone


# --- The p-values in the page's language (demo18: the page printed "p = 0.013" in Danish) ---------------------


def test_page_prints_the_p_values_with_the_pages_decimal_comma(client, coordinator_of_both, two_area_round):
    _fill(two_area_round)
    client.cookies["django_language"] = "da"
    client.force_login(coordinator_of_both)
    page = client.get(reverse("surveys:round_detail", args=[two_area_round.pk])).content.decode()
    assert "p &lt; 0,001." in page
    assert "p &lt; 0.001" not in page


# --- Answers that came another way (an interview firm's file) in the funnel ------------------------------------


def test_a_round_of_imported_answers_counts_them_beside_the_steps_and_claims_no_response_rate(
    client, coordinator_of_both, two_area_round
):
    _fill(two_area_round)  # 16 answers in the north, 9 in the south, all from the firm's file
    client.cookies["django_language"] = "da"
    client.force_login(coordinator_of_both)
    page = client.get(reverse("surveys:round_detail", args=[two_area_round.pk])).content.decode()
    pooled_row = re.search(r'<tr class="fw-bold" data-row="pooled">(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r'<td class="text-end[^"]*">(.*?)</td>', pooled_row)
    assert cells[4:] == ["0", "25", "–"]  # answered by invitation, another way, no response rate
    assert "Svaret på anden måde" in page
    assert "Svarprocenten var" not in page  # no "0 % answered" beside 25 answers


def test_a_chart_line_with_a_hidden_figure_keeps_its_place_and_says_why(client, coordinator_of_both, two_area_round):
    # With contact: 6 yes and 1 no; "86 %" of 7 would give the one "no" away.
    _answer(_surveys(two_area_round)["north"], [("yes", "yes")] * 6 + [("yes", "no")] + [("no", "no")] * 6)
    client.cookies["django_language"] = "da"
    client.force_login(coordinator_of_both)
    page = client.get(reverse("surveys:round_detail", args=[two_area_round.pk])).content.decode()
    section = re.search(r'data-question="happy_living_here">(.*?)</section>', page, re.S).group(1)
    chart = re.search(r'<svg class="stacked-chart".*?</svg>', section, re.S).group(0)
    assert "Kontakt med naboambassadør: vises ikke, for få svar</text>" in chart
    assert "86" not in chart
    assert "Ingen kontakt (n=6)" in chart


def test_a_chart_line_with_some_answers_hidden_draws_them_as_one_grey_part(client, coordinator_of_both, two_area_round):
    # With contact in each area: 10 yes, 6 no, 2 don't know; the 2s are hidden, and with them one more figure
    # of each line, but the "yes" stays: drawn, and the rest as one grey part.
    for survey in _surveys(two_area_round).values():
        _answer(survey, [("yes", "yes")] * 10 + [("yes", "no")] * 6 + [("yes", "dont_know")] * 2)
        _answer(survey, [("no", "yes"), ("no", "no")], count=6)
    client.cookies["django_language"] = "da"
    client.force_login(coordinator_of_both)
    page = client.get(reverse("surveys:round_detail", args=[two_area_round.pk])).content.decode()
    section = re.search(r'data-question="happy_living_here">(.*?)</section>', page, re.S).group(1)
    chart = re.search(r'<svg class="stacked-chart".*?</svg>', section, re.S).group(0)
    contact = chart.split("Kontakt med naboambassadør")[1].split("Ingen kontakt")[0]
    assert "chart-bar chart-yes" in contact and "chart-bar chart-hidden" in contact
    assert "<title>Vises ikke</title>" in contact
    assert '<span class="chart-swatch chart-hidden"></span>Vises ikke' in section


# --- A programme lead's pages cost the same queries however many rounds and areas (bench/README.md) -----------


def test_a_programme_leads_pages_cost_the_same_queries_for_two_rounds_and_five(
    client, organisation, make_user, make_round, django_assert_num_queries
):
    from django.core.cache import cache

    from apps.accounts.models import ProgrammeLead

    lead = make_user(full_name="Petra Programmelead")
    ProgrammeLead.objects.create(user=lead, organisation=organisation)
    small_areas, large_areas = _areas(organisation, 2), _areas(organisation, 5)
    small = [make_round(small_areas, title=f"Small {n}") for n in range(2)]
    for survey in small[0].surveys.all():
        _answer(survey, [("yes", "yes"), ("no", "no")], count=3)
    client.force_login(lead)
    client.get(reverse("surveys:round_list"))  # the session's first request does its sign-in bookkeeping
    pages = [
        ("round_list", []),
        ("round_trends", [organisation.slug]),
        ("round_detail", [small[0].pk]),
        ("round_csv", [small[0].pk]),
    ]
    counts = {}
    for name, args in pages:
        cache.clear()
        counts[name] = (_queries(client, reverse(f"surveys:{name}", args=args)),)
        counts[name] += (_queries(client, reverse(f"surveys:{name}", args=args)),)  # from the cache
    large = [make_round(large_areas, title=f"Large {n}") for n in range(3)]
    for survey in large[0].surveys.all():
        _answer(survey, [("yes", "yes"), ("no", "no")], count=4)
    for name, args in pages:
        args = [large[0].pk] if name in ("round_detail", "round_csv") else args
        cache.clear()
        cold, warm = counts[name]
        with django_assert_num_queries(cold):
            assert client.get(reverse(f"surveys:{name}", args=args)).status_code == 200
        with django_assert_num_queries(warm):
            assert client.get(reverse(f"surveys:{name}", args=args)).status_code == 200
