import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.folders.services import section_add

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["editor", "batch_list"])
def test_the_coordinators_pages_do_not_grow_with_the_folder_or_the_week(
    client, coordinator, folder, area, week_visits, page
):
    client.force_login(coordinator)
    url = reverse(f"folders:{page}", args=[area.slug])
    _queries(client, url)  # the first request also refreshes the session
    before = _queries(client, url)

    for n in range(5):
        section_add(folder=folder, title=f"Afsnit {n}", by=coordinator)

    assert _queries(client, url) == before


def test_the_editor_links_every_section_in_every_language(client, coordinator, folder, area):
    client.force_login(coordinator)

    page = client.get(reverse("folders:editor", args=[area.slug])).content.decode()

    for section in folder.sections.all():
        for language in ("da", "en", "ar", "tr"):
            assert reverse("folders:section_edit", args=[area.slug, section.pk, language]) in page


def test_saving_a_translation_through_the_page_shows_the_danish_beside_it(client, coordinator, folder, area):
    section = folder.sections.get(kind="house_rules")
    client.force_login(coordinator)
    url = reverse("folders:section_edit", args=[area.slug, section.pk, "tr"])

    assert "Der skal være ro mellem kl. 22 og 7." in client.get(url).content.decode()
    response = client.post(url, {"title": "Ev kuralları", "markdown": "<script>x</script>Sessiz olun."})

    assert response.status_code == 302
    text = section.texts.get(language="tr")
    assert text.markdown.startswith("<script>") and "<script>" not in text.html and "Sessiz olun." in text.html


def test_the_editor_says_a_current_translation_is_up_to_date_not_updated(client, coordinator, folder, area):
    client.cookies["django_language"] = "da"
    client.force_login(coordinator)

    page = " ".join(client.get(reverse("folders:editor", args=[area.slug])).content.decode().split())

    assert 'data-state="current" href' in page
    assert "> Ajour </a>" in page
    assert "Opdateret" not in page
