import pytest
from django.core.management import call_command

from apps.folders.models import FolderVersion, SectionText
from apps.folders.selectors import section_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_seed_publishes_a_folder_in_four_languages_once():
    call_command("seed_demo")
    call_command("seed_demo")

    version = FolderVersion.objects.get(folder__area__slug="demo")
    assert version.number == 1 and version.languages == ["da", "en", "ar", "tr"]
    for section in version.content["sections"]:
        assert set(section["texts"]) == {"da", "en", "ar", "tr"}
        assert all(text["html"] and not text["outdated"] for text in section["texts"].values())
    assert SectionText.objects.filter(language="ar", title="فرز النفايات").exists()
    rows = section_rows(folder=version.folder)
    assert {state.state for row in rows for state in row.states} == {"current"}
