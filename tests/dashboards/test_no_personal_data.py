"""No personal data on any board page or in any export: every board page of the demo area, for every
board member, estate and kind of period, and the annual report's PDF and CSV, searched for every
newcomer's and ambassador's name, phone number (as stored, as shown, as dialled) and address."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from apps.accounts.models import Membership
from apps.core.templatetags.formatting import phone as phone_shown
from apps.dashboards import services
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area
from apps.visits.models import Ambassador

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # seed_demo refuses otherwise
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())
    return Area.objects.get(slug="demo")


def _phone_forms(number: str) -> set[str]:
    if not number:
        return set()
    national = number.removeprefix("+45")
    return {number, phone_shown(number), national, " ".join(re.findall("..", national))}


def _personal_data(area: Area) -> set[str]:
    """Every name, phone number and address of the area's newcomers and ambassadors."""
    found: set[str] = set()
    newcomers = Newcomer.objects.in_area(area).select_related("tenancy__entrance")
    ambassadors = Ambassador.objects.filter(area=area).select_related("user", "home_tenancy__entrance")
    for newcomer in newcomers:
        found |= {newcomer.name, newcomer.email} | _phone_forms(newcomer.phone)
        entrance = newcomer.tenancy.entrance
        found.add(
            f"{entrance.street} {entrance.house_number},"
        )  # "Lærkebakken 7, 2. tv": the street is the estate's name
        found.add(f"{entrance.street} {entrance.house_number} ")
    for ambassador in ambassadors:
        user = ambassador.user
        found |= {user.full_name, user.email or ""} | _phone_forms(user.phone)
        if ambassador.home_tenancy:
            entrance = ambassador.home_tenancy.entrance
            found.add(f"{entrance.street} {entrance.house_number},")
    return {value for value in found if value and len(value) > 3}


def _board_pages(client, area: Area) -> list[tuple[str, str, object]]:
    """(url, html, the dashboard shown or None) of every board page for every board member, estate and kind of period."""
    year = timezone.localdate().year
    periods = [  # boards get calendar years; the others are refused (400) with this year shown
        {},
        {"period": str(year)},
        {"period": str(year - 1)},
        {"period": str(year - 2)},
        {"period": f"{year}-H1"},
        {"period": "custom", "from_month": f"{year - 1}-06", "to_month": f"{year}-02"},
    ]
    pages = []
    for membership in Membership.objects.filter(area=area, role=Membership.Role.BOARD).select_related("user"):
        client.force_login(membership.user)
        home = client.get(reverse("access:board_home"), follow=True)
        pages.append((reverse("access:board_home"), home.content.decode(), None))
        for estate in membership.estates.all():
            for language in ("da", "en"):
                client.cookies["django_language"] = language
                for params in periods:
                    url = reverse("dashboards:board_estate", args=[estate.pk])
                    response = client.get(url, params)
                    refused = params.get("period", str(year)).isdigit() is False
                    assert response.status_code == (400 if refused else 200), (url, params)
                    pages.append((f"{url}?{params}", response.content.decode(), response.context["d"]))
    return pages


def test_no_board_page_shows_a_newcomers_or_ambassadors_name_phone_or_address(client, demo):
    personal = _personal_data(demo)
    assert len(personal) > 150  # the demo's newcomers and ambassadors are all in it
    pages = _board_pages(client, demo)
    assert len(pages) >= 3 * 2 * 6
    for url, html, _d in pages:
        leaked = sorted(value for value in personal if value in html)
        assert not leaked, f"{url} shows {leaked}"


def test_no_figure_on_a_board_page_is_drawn_from_one_to_four_people(client, demo):
    """Every shown count is 0 or at least 5 (percentages and meeting counts are not counts of people)."""
    for url, _html, d in _board_pages(client, demo):
        if d is None:
            continue
        for _key, _heading, rows in d.sections:
            for row in rows:
                for cell in (row.now, row.then, row.area):
                    value = getattr(cell, "value", None)
                    if value is not None and row.key != "held":
                        assert value == 0 or value >= 5, (url, row.label, value)


def test_the_annual_report_shows_no_personal_data(demo):
    personal = _personal_data(demo)
    with translation.override("da"):
        content = services.annual_report_content(area=demo, year=timezone.localdate().year)
        pdf = services.annual_report_pdf(content=content)
        csv_text = services.annual_report_csv(content=content).decode("utf-8-sig")
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for name, text in (("PDF", pdf_text), ("CSV", csv_text)):
        leaked = sorted(value for value in personal if value in text)
        assert not leaked, f"the {name} shows {leaked}"
