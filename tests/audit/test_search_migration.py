"""Migration 0002 rewrites the entries written before it: a stored search becomes its category, no path
keeps its query string, and the database goes on refusing changes to the log (PostgreSQL and SQLite)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
BEFORE = [("audit", "0001_access_log")]
AFTER = [("audit", "0002_access_log_search_category")]

# Rows as the old code wrote them: the full path with the query string.
OLD_ROWS = [
    ("privacy:search", "/areas/north/personal-data/?q=Zainab+Qureshi"),
    ("privacy:search", "/areas/north/personal-data/?q=%2B45+61+23+45+67&page=2"),
    ("visits:visit_list", "/areas/north/visits/?status=open&page=3"),
    ("visits:detail", "/visits/7/"),
]
INSERT = (
    "INSERT INTO audit_accesslogentry (at, actor_label, action, view_name, path, subject_kind, subject_count) "
    "VALUES (CURRENT_TIMESTAMP, 'carla@example.org', 'view', %s, %s, 'newcomer', 1)"
)


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_the_migration_rewrites_searches_into_categories_and_keeps_the_log_append_only():
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.executemany(INSERT, OLD_ROWS)
        _migrate(AFTER)

        with connection.cursor() as cursor:
            cursor.execute("SELECT view_name, path, search FROM audit_accesslogentry ORDER BY id")
            rows = cursor.fetchall()
        assert rows == [
            ("privacy:search", "/areas/north/personal-data/", "name"),
            ("privacy:search", "/areas/north/personal-data/", "phone"),
            ("visits:visit_list", "/areas/north/visits/", ""),
            ("visits:detail", "/visits/7/", ""),
        ]
        for statement in ("UPDATE audit_accesslogentry SET path = 'x'", "DELETE FROM audit_accesslogentry"):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
                c.execute(statement)
    finally:
        _migrate(AFTER)


SQLITE_OLD_ROWS = f"""
from django.db import connection
with connection.cursor() as cursor:
    cursor.executemany({INSERT!r}, {OLD_ROWS!r})
"""

SQLITE_CHECK = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT path, search FROM audit_accesslogentry ORDER BY id")
    print(cursor.fetchall())
for statement in ("UPDATE audit_accesslogentry SET path = 'x'", "DELETE FROM audit_accesslogentry"):
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
        print("allowed")
    except Exception as error:
        print("refused" if "append-only" in str(error) else f"other: {error}")
"""


def test_the_migration_rewrites_and_keeps_the_triggers_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"}}
    env.update({"SQLITE_PATH": str(tmp_path / "db.sqlite3"), "DEBUG": "true"})

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        ).stdout

    manage("migrate", "--noinput")
    manage("migrate", "audit", "0001", "--noinput")
    manage("shell", "--no-imports", "-c", SQLITE_OLD_ROWS)
    manage("migrate", "--noinput")

    rows, *refusals = manage("shell", "--no-imports", "-c", SQLITE_CHECK).splitlines()
    assert rows == repr(
        [
            ("/areas/north/personal-data/", "name"),
            ("/areas/north/personal-data/", "phone"),
            ("/areas/north/visits/", ""),
            ("/visits/7/", ""),
        ]
    )
    assert refusals == ["refused", "refused"]
