"""Every script in bench/ runs on the current schema, on tiny sizes, so none of them can rot unnoticed.

Each runs as its own process, the way the README runs it, on a database of its own: a fresh copy of the
migrated (and empty) test database, dropped afterwards. The load scripts share one `collectstatic` into a
temporary folder. Elsewhere: bench/rounds_*.py in tests/surveys/test_rounds_bench.py, bench/page_weight.py
in tests/core/test_static_files.py. PostgreSQL only (the benches use COPY). About 2½ minutes of CPU in all
(3–4 minutes on the shared two-core machine), most of it `collectstatic` (≈ 15 s) and Django starting up in
each of the 14 processes (≈ 3 s each).
"""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection, connections

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the bench scripts run on PostgreSQL")


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """One STATIC_ROOT for the load scripts: the first collects into it, the next find its manifest."""
    return tmp_path_factory.mktemp("bench-static")


def _server(settings: dict) -> dict:
    return {
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
    }


@pytest.fixture
def bench_database(django_db_setup, django_db_blocker):
    """The URL of a new database copied from the migrated test database; dropped after the test.

    If something else is still connected to the test database (PostgreSQL copies a template only while
    nobody is), the new database starts empty instead: every script migrates it first, only slower."""
    settings = connection.settings_dict
    name = f"{settings['NAME']}_bench_{uuid.uuid4().hex[:8]}"
    server = _server(settings)
    with django_db_blocker.unblock():
        connections.close_all()
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        try:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings["NAME"]}"')
        except psycopg.errors.ObjectInUse:
            admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{server['password']}" if server["password"] else ""
    try:
        yield f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_bench(script: str, *args: str, database: str, tmp_path: Path, timeout: int, **env: str) -> str:
    """Run bench/<script> with the given options; its stdout, after asserting it exited 0."""
    result = subprocess.run(
        [sys.executable, f"bench/{script}", *args],
        cwd=ROOT,
        # TMPDIR: what a script makes with tempfile (files, a scratch media folder) stays in the test's folder.
        env={**os.environ, "DATABASE_URL": database, "TMPDIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def table_row(output: str, pattern: str) -> str:
    """The one line of a script's table that matches `pattern` at its start."""
    rows = [line for line in output.splitlines() if re.match(pattern, line)]
    assert len(rows) == 1, (pattern, output)
    return rows[0]


def test_import_bench_imports_a_small_list_three_times(bench_database, tmp_path):
    output = run_bench("import_bench.py", "--rows", "200", database=bench_database, tmp_path=tmp_path, timeout=180)
    for step in ("COPY", "first", "again", "update"):
        table_row(output, rf"\s+200 {step}\s+\d+\.\d+\s")
    assert "created 0 updated 0 unchanged" in table_row(output, r"\s+200 again ")
    assert "engine-only peak" in output


def test_folder_bench_makes_a_few_folders_each_way(bench_database, tmp_path):
    output = run_bench(
        "folder_bench.py", "--folders", "5", "--naive", "2", database=bench_database, tmp_path=tmp_path, timeout=180
    )
    for way, count in (("fast", 5), ("naive", 2), ("batch", 5)):
        table_row(output, rf"{way}\s+{count}\s+\d+\.\d+\s")
    assert "database: PostgreSQL" in output


TINY_VISITS = ["--tenancies", "150", "--ambassadors", "10", "--visits", "600", "--areas", "2", "--years", "2"]


def test_visits_bench_fills_a_small_database_and_loads_its_pages(bench_database, tmp_path, static_root):
    output = run_bench("visits_data.py", *TINY_VISITS, database=bench_database, tmp_path=tmp_path, timeout=120)
    assert "150 tenancies, 10 ambassadors, 600 newcomers, 600 visits" in output
    output = run_bench(
        "visits_load.py",
        *("--clients", "2", "--workers", "1", "--warmup", "0", "--seconds", "1"),
        database=bench_database,
        tmp_path=tmp_path,
        timeout=300,
        STATIC_ROOT=str(static_root),
    )
    assert "selector my_visits" in output and "selector overview" in output
    for page in ("mine", "overview"):
        assert table_row(output, rf"{page}\s+\d+\s").endswith("none"), output  # no error answers


def test_dashboards_bench_fills_a_small_database_and_counts_its_queries(bench_database, tmp_path, static_root):
    output = run_bench("dashboards_data.py", *TINY_VISITS, database=bench_database, tmp_path=tmp_path, timeout=120)
    assert "600 visits" in output and "10 board members" in output
    output = run_bench(
        "dashboards_load.py",
        *("--clients", "2", "--queries-only"),
        database=bench_database,
        tmp_path=tmp_path,
        timeout=300,
        STATIC_ROOT=str(static_root),
    )
    for page in ("board", "area", "area-estate"):
        assert re.search(rf"^queries  {page}\s+bench-1: \d+ cold / \d+ warm", output, re.M), output
    assert "counting one area, five years" in output
