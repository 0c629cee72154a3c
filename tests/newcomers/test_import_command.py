"""python manage.py import_tenants: the JSON it prints, exit codes, and nothing written when refused."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from apps.newcomers.models import ColumnMapping, ImportRun, Newcomer
from apps.organisation.models import Estate
from tests.newcomers import HEADER, csv_bytes, english, line

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
__all__ = ["english"]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def list_file(tmp_path):
    def write(rows, name="tilflyttere.csv", data=None):
        path = tmp_path / name
        path.write_bytes(data if data is not None else csv_bytes(rows))
        return path

    return write


def run_json(*args) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("import_tenants", *map(str, args), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_json_output_is_one_object_with_counts_errors_and_warnings(list_file, organisation, area):
    path = list_file([HEADER, line(), line(number="101-0002", phone="12"), line(number="101-0003", date="")])
    result = run_json(path, "--organisation", organisation.slug)
    assert result == {
        "rows": 3,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": [
            {
                "line": 4,
                "column": "Indflytningsdato",
                "message": "The move-in date is missing; the line is not imported.",
            }
        ],
        "warnings": [
            {
                "line": 3,
                "column": "Telefon",
                "message": "The phone number is not valid; the newcomer is imported without it.",
            }
        ],
    }
    run = ImportRun.objects.get()
    assert (run.uploaded_by, run.status, run.source) == (None, ImportRun.Status.DONE, None)


def test_second_run_counts_unchanged_and_updated(list_file, organisation, area):
    run_json(list_file([HEADER, line(), line(number="101-0002")]), "--organisation", organisation.slug)
    result = run_json(
        list_file([HEADER, line(), line(number="101-0002", phone="31223344")], name="b.csv"), "--organisation", "test"
    )
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 1, 1)


def test_refused_file_raises_exit_code_2_and_writes_nothing(list_file, organisation):
    path = list_file(None, data=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(CommandError) as excinfo:
        call_command("import_tenants", str(path), "--organisation", organisation.slug)
    assert excinfo.value.returncode == 2
    assert "not a CSV" in str(excinfo.value)
    assert not ImportRun.objects.exists()


def test_mapping_without_required_fields_is_refused_and_writes_nothing(list_file, organisation):
    path = list_file([HEADER, line()])
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "import_tenants", str(path), "--organisation", organisation.slug, "--mapping", '{"Lejemålsnr.": ""}'
        )
    assert excinfo.value.returncode == 2
    assert not ImportRun.objects.exists()
    assert not ColumnMapping.objects.exists()


def test_mapping_option_by_header_and_by_column_number(list_file, organisation, area):
    path = list_file([["Kunde", "Dag", "Navn"], ["101-0001", "01-11-2026", "Amina"]])
    result = run_json(
        path, "--organisation", organisation.slug, "--mapping", '{"Kunde": "tenancy_number", "1": "move_in_date"}'
    )
    assert result["created"] == 1
    assert Newcomer.objects.get().name == "Amina"


def test_dry_run_writes_no_newcomers(list_file, organisation, area):
    result = run_json(list_file([HEADER, line()]), "--organisation", organisation.slug, "--dry-run")
    assert result["created"] == 1
    assert not Newcomer.objects.exists()


def test_create_estates_option_places_new_estates_in_the_area(list_file, organisation, area):
    path = list_file(
        [["Afd", "Afdelingsnavn", "Lejenr", "Indflyttet", "Adresse"], ["301", "Parken", "1", "01-11-2026", "Vej 1"]]
    )
    result = run_json(path, "--organisation", organisation.slug, "--area", area.slug, "--create-estates")
    assert result["created"] == 1
    assert Estate.objects.get(number="301").area == area


def test_area_option_confines_the_import_to_the_areas_estates(list_file, organisation, area, other_area):
    lives_there = Newcomer.objects.create(
        tenancy=other_area.estates.get().tenancies.get(number="201-0001"), move_in_date="2026-11-01", name="Bo"
    )
    path = list_file([HEADER, line(number="201-0001", name="HIJACKED", address=""), line(number="201-0009")])
    result = run_json(path, "--organisation", organisation.slug, "--area", area.slug)
    assert (result["created"], result["updated"], len(result["errors"])) == (0, 0, 2)
    lives_there.refresh_from_db()
    assert lives_there.name == "Bo"
    assert list(Newcomer.objects.all()) == [lives_there]


def test_create_estates_without_an_area_is_an_argument_error(list_file, organisation, area):
    path = list_file([["Afd", "Lejenr", "Indflyttet", "Adresse"], ["301", "1", "01-11-2026", "Vej 1"]])
    with pytest.raises(CommandError) as excinfo:
        call_command("import_tenants", str(path), "--organisation", organisation.slug, "--create-estates")
    assert excinfo.value.returncode == 1
    assert not Estate.objects.filter(number="301").exists()
    assert not ImportRun.objects.exists()


def test_unknown_organisation_is_an_argument_error(list_file):
    with pytest.raises(CommandError) as excinfo:
        call_command("import_tenants", str(list_file([HEADER, line()])), "--organisation", "nope")
    assert excinfo.value.returncode == 1


def test_text_output_summarises(list_file, organisation, area):
    from io import StringIO

    out = StringIO()
    call_command(
        "import_tenants", str(list_file([HEADER, line(), line(date="")])), "--organisation", "test", stdout=out
    )
    text = out.getvalue()
    assert "2 lines: 1 newcomers created" in text
    assert "3 [Indflytningsdato] error:" in text


# --- As a scheduled job runs it: a separate process, judged by its exit code ------------------------


def _command(path: Path, *args: str) -> subprocess.CompletedProcess:
    settings = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "DEBUG": "true",
        "LANGUAGE": "en",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "import_tenants", str(path), "--organisation", "test", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_exit_code_0_when_processed_even_with_line_errors(list_file, organisation, area):
    if connection.vendor != "postgresql":
        pytest.skip("the subprocess connects to the PostgreSQL test database")
    done = _command(list_file([HEADER, line(), line(date="")]), "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["created"], len(result["errors"])) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_exit_code_2_with_message_on_stderr_when_refused(list_file, organisation, area):
    if connection.vendor != "postgresql":
        pytest.skip("the subprocess connects to the PostgreSQL test database")
    refused = _command(list_file(None, data=b""), "--format", "json")
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert refused.stderr.strip()
    assert not ImportRun.objects.exists()
