"""The plain path on a real SQLite database, as the embedded default runs it: a separate process with no
DATABASE_URL, migrated from scratch, importing through the command line.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.newcomers import HEADER, csv_bytes, line

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
from apps.organisation.models import Area, Estate, HousingOrganisation
organisation = HousingOrganisation.objects.create(name="Boligselskabet Test", slug="test")
area = Area.objects.create(name="Nord", slug="north")
Estate.objects.create(organisation=organisation, area=area, number="101", name="Lærkeparken")
"""

COUNT = """
from apps.newcomers.models import Newcomer
from apps.organisation.models import Tenancy
print(Newcomer.objects.count(), Tenancy.objects.count(), sorted(Newcomer.objects.values_list("phone", flat=True)))
"""


@pytest.fixture(scope="module")
def sqlite_env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlite")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"}}
    env.update({"SQLITE_PATH": str(folder / "db.sqlite3"), "DEBUG": "true", "CELERY_TASK_ALWAYS_EAGER": "true"})
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", SETUP)
    return env, folder


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


def test_plain_path_on_sqlite_imports_once_then_updates(sqlite_env):
    env, folder = sqlite_env
    path = folder / "tilflyttere.csv"
    rows = [HEADER, line(), line(number="101-0002", address="Lærkebakken 3, 2. tv"), line(number="101-0003", date="")]
    path.write_bytes(csv_bytes(rows, encoding="cp1252"))
    first = json.loads(manage(env, "import_tenants", str(path), "--organisation", "test", "--format", "json").stdout)
    assert (first["rows"], first["created"], len(first["errors"])) == (3, 2, 1)

    rows[1] = line(phone="31223344")
    path.write_bytes(csv_bytes(rows, encoding="cp1252"))
    second = json.loads(manage(env, "import_tenants", str(path), "--organisation", "test", "--format", "json").stdout)
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 1, 1)
    assert manage(env, "shell", "-c", COUNT).stdout.strip().splitlines()[-1] == "2 2 ['+4522334455', '+4531223344']"


def test_refused_file_exits_2_on_sqlite(sqlite_env):
    env, folder = sqlite_env
    path = folder / "billede.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    done = manage(env, "import_tenants", str(path), "--organisation", "test", check=False)
    assert done.returncode == 2
    assert done.stderr.strip()


OTHER_AREA = """
import datetime
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, Entrance, Estate, HousingOrganisation, Tenancy
area = Area.objects.create(name="Syd", slug="south")
estate = Estate.objects.create(organisation=HousingOrganisation.objects.get(), area=area, number="201", name="Syd")
entrance = Entrance.objects.create(estate=estate, street="Sydvej", house_number="1")
tenancy = Tenancy.objects.create(estate=estate, entrance=entrance, number="201-0001")
Newcomer.objects.create(tenancy=tenancy, move_in_date=datetime.date(2026, 11, 1), name="Bo", phone="+4561111111")
"""

OTHER_AREA_COUNT = """
from apps.newcomers.models import Newcomer
print(list(Newcomer.objects.filter(tenancy__estate__number="201").values_list("name", "phone")))
"""


def test_plain_path_on_sqlite_never_touches_another_area(sqlite_env):
    env, folder = sqlite_env
    manage(env, "shell", "-c", OTHER_AREA)
    path = folder / "kapring.csv"
    rows = [HEADER, line(number="201-0001", name="HIJACKED", phone="29999999", address="")]
    path.write_bytes(csv_bytes(rows))
    result = json.loads(
        manage(env, "import_tenants", str(path), "--organisation", "test", "--area", "north", "--format", "json").stdout
    )
    assert (result["created"], result["updated"], result["unchanged"], len(result["errors"])) == (0, 0, 0, 1)
    assert manage(env, "shell", "-c", OTHER_AREA_COUNT).stdout.strip().splitlines()[-1] == "[('Bo', '+4561111111')]"


LISTED = """
from apps.newcomers.models import Newcomer
from django.utils import timezone
print(sorted({str(d == timezone.localdate()) for d in Newcomer.objects.values_list("listed_on", flat=True)}))
"""


def test_plain_path_on_sqlite_lists_new_newcomers_today(sqlite_env):
    env, folder = sqlite_env
    path = folder / "listet.csv"
    path.write_bytes(csv_bytes([HEADER, line(number="101-0009")]))
    manage(env, "import_tenants", str(path), "--organisation", "test", "--area", "north", "--format", "json")
    assert manage(env, "shell", "-c", LISTED).stdout.strip().splitlines()[-1] == "['True']"


MOVE_IN_DATES = """
from apps.newcomers.models import Newcomer
print([str(d) for d in Newcomer.objects.filter(tenancy__number="101-0020").values_list("move_in_date", flat=True)])
"""


def test_plain_path_on_sqlite_corrects_a_move_in_date(sqlite_env):
    env, folder = sqlite_env
    path = folder / "rettet.csv"
    args = ("import_tenants", str(path), "--organisation", "test", "--area", "north", "--format", "json")
    path.write_bytes(csv_bytes([HEADER, line(number="101-0020")]))
    manage(env, *args)
    path.write_bytes(csv_bytes([HEADER, line(number="101-0020", date="03-11-2026")]))
    result = json.loads(manage(env, *args).stdout)
    assert (result["created"], result["updated"]) == (0, 1)
    assert manage(env, "shell", "-c", MOVE_IN_DATES).stdout.strip().splitlines()[-1] == "['2026-11-03']"
