"""Fixtures for the welcome folder: the demo folder published in four languages, and visits held by
two ambassadors (Ali shows his phone and languages on his card, Anne shows nothing but her name)."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from apps.folders.demo import folder_build_demo
from apps.newcomers.models import Newcomer
from apps.organisation.models import Tenancy
from apps.visits.models import Activity, Ambassador
from apps.visits.services import visits_assign


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def folder(area, coordinator):
    return folder_build_demo(area=area, by=coordinator)


@pytest.fixture
def version(folder):
    return folder.versions.get()


@pytest.fixture
def activities(area):
    return [
        Activity.objects.create(area=area, name="Madklub", schedule="Tirsdage 17–19", place="Fælleshuset"),
        Activity.objects.create(
            area=area, name="Fællesspisning", schedule="Første fredag i måneden 18–20", place="Fælleshuset"
        ),
    ]


@pytest.fixture
def ali(ambassador, area):
    return Ambassador.objects.create(
        user=ambassador, area=area, languages=["da", "ar"], card_show_phone=True, card_show_languages=True
    )


@pytest.fixture
def anne(other_ambassador, area):
    return Ambassador.objects.create(user=other_ambassador, area=area, languages=["da", "tr"])


NAMES = [
    ("Amira Haddad", "ar"),
    ("Mehmet Kaya", "tr"),
    ("Sofie Jensen", "da"),
    ("John Smith", "en"),
    ("Nadia Noor", ""),
]


@pytest.fixture
def week_visits(area, coordinator, ali, anne):
    """Five newcomers, due within the week: three held by Ali, two by Anne."""
    tenancies = list(Tenancy.objects.filter(estate__area=area).order_by("number"))
    today = timezone.localdate()
    moved_in = [today - datetime.timedelta(days=10 + i) for i in range(len(NAMES))]
    # Each came on the list the day it moved in, so its visit is due 14 days after the move-in.
    newcomers = [
        Newcomer.objects.create(
            tenancy=tenancies[i], move_in_date=moved_in[i], listed_on=moved_in[i], name=name, language=lang
        )
        for i, (name, lang) in enumerate(NAMES)
    ]
    holders = [ali, ali, anne, ali, anne]
    return visits_assign(
        area=area, assignments=[(n.pk, a.pk) for n, a in zip(newcomers, holders, strict=True)], by=coordinator
    )
