"""The access log: pages with newcomers' personal data are logged, searchable by the area's coordinators,
and nobody can change the log — not the app, not a raw SQL statement."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from apps.audit.models import AccessLogEntry, AccessLogSubject, AppendOnlyError
from apps.newcomers.services import import_run_create
from apps.visits.models import Ambassador
from apps.visits.services import visits_assign

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def carla(client, coordinator):
    client.force_login(coordinator)
    return client


def _subjects(entry) -> set[int]:
    return set(entry.subjects.values_list("object_id", flat=True))


def test_visit_list_logs_who_saw_which_newcomers(carla, coordinator, area, visit, make_newcomer, ambassador_profile):
    second = make_newcomer(name="Jens Second")
    visits_assign(area=area, assignments=[(second.pk, ambassador_profile.pk)], by=coordinator)

    carla.get(reverse("visits:visit_list", args=[area.slug]))

    entry = AccessLogEntry.objects.get()
    assert (entry.actor_id, entry.actor_label, entry.area_id) == (coordinator.pk, coordinator.email, area.pk)
    assert (entry.action, entry.view_name, entry.subject_count) == ("view", "visits:visit_list", 2)
    assert _subjects(entry) == {visit.newcomer_id, second.pk}


def test_ambassador_opening_a_visit_is_logged(client, ambassador, visit):
    client.force_login(ambassador)
    client.get(reverse("visits:detail", args=[visit.pk]))
    client.get(reverse("visits:mine"))

    entries = list(AccessLogEntry.objects.order_by("pk"))
    assert [e.view_name for e in entries] == ["visits:detail", "visits:mine"]
    assert all(_subjects(e) == {visit.newcomer_id} and e.actor_id == ambassador.pk for e in entries)


def test_a_page_without_people_logs_nothing(carla, area):
    carla.get(reverse("visits:visit_list", args=[area.slug]))
    assert not AccessLogEntry.objects.exists()


def test_the_log_stores_ids_not_personal_data(carla, area, visit):
    carla.get(reverse("visits:visit_list", args=[area.slug]))
    entry = AccessLogEntry.objects.get()
    stored = " ".join(str(value) for value in AccessLogEntry.objects.values_list().get())
    assert visit.newcomer.name not in stored and visit.newcomer.phone not in stored
    assert _subjects(entry) == {visit.newcomer_id}


def test_coordinator_finds_who_saw_a_newcomer_by_name(
    client, coordinator, ambassador, other_ambassador, area, visit, make_newcomer
):
    other = make_newcomer(name="Somebody Else")
    anne = Ambassador.objects.create(user=other_ambassador, area=area, languages=["da"])
    visits_assign(area=area, assignments=[(other.pk, anne.pk)], by=coordinator)
    client.force_login(ambassador)
    client.get(reverse("visits:detail", args=[visit.pk]))
    client.force_login(other_ambassador)
    client.get(reverse("visits:mine"))  # shows only `other`
    client.force_login(coordinator)

    response = client.get(reverse("audit:area_log", args=[area.slug]), {"person": visit.newcomer.name[:5]})

    assert response.status_code == 200
    entries = list(response.context["page"])
    assert [(e.view_name, e.actor_label) for e in entries] == [("visits:detail", ambassador.email)]


def test_coordinator_filters_by_who_saw(client, coordinator, ambassador, area, visit):
    client.force_login(ambassador)
    client.get(reverse("visits:mine"))
    client.force_login(coordinator)
    client.get(reverse("visits:visit_list", args=[area.slug]))

    response = client.get(reverse("audit:area_log", args=[area.slug]), {"actor": coordinator.email})

    assert [e.actor_id for e in response.context["page"]] == [coordinator.pk]


def test_other_areas_coordinator_sees_none_of_the_log(client, coordinator, other_coordinator, area, visit):
    client.force_login(coordinator)
    client.get(reverse("visits:visit_list", args=[area.slug]))
    client.force_login(other_coordinator)
    assert client.get(reverse("audit:area_log", args=[area.slug])).status_code == 403


def test_the_log_page_answers_get_only(carla, area):
    assert carla.post(reverse("audit:area_log", args=[area.slug])).status_code == 405


def test_the_models_refuse_changes(carla, area, visit):
    carla.get(reverse("visits:visit_list", args=[area.slug]))
    entry = AccessLogEntry.objects.get()
    entry.actor_label = "someone else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(actor_label="x")
    with pytest.raises(AppendOnlyError):
        AccessLogSubject.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_accesslogentry SET actor_label = 'someone else'",
        "DELETE FROM audit_accesslogentry",
        "UPDATE audit_accesslogsubject SET object_id = 0",
        "DELETE FROM audit_accesslogsubject",
    ],
)
def test_the_database_refuses_changes_on_postgresql(carla, area, visit, statement):
    carla.get(reverse("visits:visit_list", args=[area.slug]))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AccessLogEntry.objects.get().actor_label != "someone else"
    assert AccessLogSubject.objects.get().object_id == visit.newcomer_id


SQLITE_CHECK = """
from django.db import connection
from apps.newcomers.services import import_run_create
from apps.audit.models import AccessLogEntry
AccessLogEntry.objects.create(actor_label="a@example.org", action="view", view_name="x", path="/", subject_kind="newcomer")
for statement in ("UPDATE audit_accesslogentry SET actor_label = 'b'", "DELETE FROM audit_accesslogentry"):
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
        print("allowed")
    except Exception as error:
        print("refused" if "append-only" in str(error) else f"other: {error}")
print(AccessLogEntry.objects.values_list("actor_label", flat=True).get())
"""


def test_the_database_refuses_changes_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"}}
    env.update({"SQLITE_PATH": str(tmp_path / "db.sqlite3"), "DEBUG": "true"})

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        ).stdout

    manage("migrate", "--noinput")
    assert manage("shell", "--no-imports", "-c", SQLITE_CHECK).split() == ["refused", "refused", "a@example.org"]


def test_import_preview_is_logged_as_a_count(carla, area, coordinator, organisation):
    content = "Afdeling;Lejemål;Navn;Telefon;Indflytning\n101;101-0001;Amina Test;20202020;01-03-2026\n".encode()
    run = import_run_create(organisation=organisation, area=area, user=coordinator, filename="liste.csv", data=content)
    carla.get(reverse("newcomers:detail", args=[area.slug, run.pk]))

    entry = AccessLogEntry.objects.get()
    assert (entry.view_name, entry.subject_count, entry.area_id) == ("newcomers:detail", 1, area.pk)


def test_the_interviewers_call_list_is_logged(client, interviewer, area, newcomer):
    import datetime

    from django.utils import timezone

    from apps.surveys.models import Invitation
    from apps.surveys.services import invitation_new, standard_bank_ensure, survey_create

    standard_bank_ensure()
    today = timezone.localdate()
    survey = survey_create(
        area=area,
        by=None,
        title="Undersøgelse",
        period_start=today - datetime.timedelta(days=100),
        period_end=today,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
    )
    invitation_new(survey=survey, newcomer=newcomer, channel=Invitation.Channel.SMS, now=timezone.now()).save()
    client.force_login(interviewer)

    assert client.get(reverse("surveys:call_list", args=[survey.pk])).status_code == 200

    entry = AccessLogEntry.objects.get(view_name="surveys:call_list")
    assert entry.actor_id == interviewer.pk and _subjects(entry) == {newcomer.pk}
