"""Static files and pages the way production sends them: `collectstatic` with WhiteNoise's compressed
manifest storage, hashed names in the pages, long immutable caching, brotli/gzip; pages gzip-compressed.

One `collectstatic` for the module (≈ 15–30 s: it compresses every file twice), shared by the tests and
by the short run of bench/page_weight.py at the end.
"""

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from apps.core.middleware import PageGZipMiddleware

ROOT = Path(__file__).resolve().parents[2]
# What settings.py chooses when DEBUG is off (the tests run with the development storage).
PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
HASHED = re.compile(r"\.[0-9a-f]{12}\.(css|js|png)$")
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": PRODUCTION_STORAGE},
    }
    # WhiteNoise then serves the collected folder (not the finders), as it does with DEBUG off.
    with override_settings(STATIC_ROOT=root, STORAGES=storages, WHITENOISE_AUTOREFRESH=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


@pytest.fixture
def ambassador_page(static_root, client, ambassador) -> str:
    client.force_login(ambassador)
    response = client.get(reverse("visits:mine"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_pages_link_every_static_file_by_its_hashed_name(ambassador_page, static_root):
    assets = ASSET.findall(ambassador_page)
    linked = " ".join(assets)
    for name in (
        "bootstrap/css/bootstrap.min.",
        "bootstrap/js/bootstrap.bundle.min.",
        "htmx-2.min.",
        "/css/app.",
        "/js/app.",
    ):
        assert name in linked, linked
    for asset in assets:
        assert HASHED.search(asset), f"{asset} is not a hashed name"
        assert (static_root / asset.removeprefix("/static/")).is_file(), f"{asset} was not collected"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "encoding", "decompress"), [("br, gzip", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)]
)
def test_hashed_files_are_served_compressed_and_cached_for_good(
    ambassador_page, static_root, client, accept, encoding, decompress
):
    stylesheet = next(
        asset for asset in ASSET.findall(ambassador_page) if "bootstrap" in asset and asset.endswith(".css")
    )
    response = client.get(stylesheet, HTTP_ACCEPT_ENCODING=accept)
    assert response.status_code == 200
    assert response["Content-Encoding"] == encoding
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert "Accept-Encoding" in response["Vary"]
    body = b"".join(response.streaming_content)
    original = (static_root / stylesheet.removeprefix("/static/")).read_bytes()
    assert decompress(body) == original
    assert len(body) < len(original) / 5  # Bootstrap's CSS: 233 kB, 23 kB as brotli, 31 kB as gzip


@pytest.mark.django_db
def test_unhashed_names_are_cached_briefly(static_root, client):
    response = client.get("/static/js/app.js")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=60, public"


@pytest.mark.django_db
def test_pages_are_sent_gzip_compressed_when_the_browser_accepts_it(client, ambassador):
    client.force_login(ambassador)
    plain = client.get(reverse("visits:mine"))
    compressed = client.get(reverse("visits:mine"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    page = gzip.decompress(compressed.content).decode()
    assert "csrfmiddlewaretoken" in page or "X-CSRFToken" in page
    assert len(compressed.content) < len(plain.content) / 2


@pytest.mark.parametrize(
    ("content_type", "compressed"),
    [
        ("text/html; charset=utf-8", True),
        ("text/calendar", True),
        ("application/json", True),
        ("application/pdf", False),
        ("image/jpeg", False),
    ],
)
def test_only_text_answers_are_compressed(content_type, compressed):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    middleware = PageGZipMiddleware(lambda request: HttpResponse(b"x" * 1000, content_type=content_type))
    response = middleware(request)
    assert (response.get("Content-Encoding") == "gzip") is compressed
    assert (response.content == b"x" * 1000) is not compressed


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_page_weight_bench_runs_and_my_visits_is_within_budget(static_root):
    """bench/page_weight.py end to end on one page: gunicorn, WhiteNoise, Chromium, the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("the bench runs on PostgreSQL")
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    result = subprocess.run(
        [
            sys.executable,
            "bench/page_weight.py",
            "--pages",
            "mine",
            "--workers",
            "1",
            "--static-root",
            str(static_root),
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=180,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    row = next(line for line in result.stdout.splitlines() if line.startswith("My visits"))
    first_kb, repeat_kb = (float(value) for value in row.split()[2:4])
    assert 20 < first_kb < 150 and 0 < repeat_kb < 20, row
    assert "MET" in result.stdout
