"""The embedded default (`make run`): SQLite, no broker, tasks run eagerly, SMS printed to the console.

Starts the real app in a subprocess with none of the production variables set, seeds the demo, and
signs in as each demo role over HTTP, including an SMS sign-in link taken from the console.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from base64 import b32decode
from pathlib import Path

import pytest
from django_otp.oath import TOTP

ROOT = Path(__file__).resolve().parent.parent
# The production settings, plus the browser tests' async switch, which must not leak into the app under test.
PRODUCTION_VARIABLES = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def embedded_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("embedded")
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_VARIABLES}
    env["SQLITE_PATH"] = str(tmp / "db.sqlite3")
    env["PYTHONUNBUFFERED"] = "1"
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, cwd=ROOT, check=True, capture_output=True)
    seeded = subprocess.run([*manage, "seed_demo"], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    assert "coordinator@demo.dk" in seeded.stdout

    port = _free_port()
    log_path = tmp / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("server did not start:\n" + log_path.read_text()) from None
                time.sleep(0.2)
        yield base, log_path, seeded.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)


class Browser:
    """Just enough of a browser: cookies, CSRF tokens from forms, redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.geturl(), response.read().decode()

    def post_form(self, path: str, data: dict) -> tuple[str, str]:
        _url, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=10) as response:
            return response.geturl(), response.read().decode()


@pytest.mark.parametrize(
    ("email", "landing"),
    [
        ("coordinator@demo.dk", "/areas/demo/"),
        ("birthe@demo.dk", "/visits/mine/"),
        ("board1@demo.dk", "/board/estates/1/"),  # /board/ → the dashboard of their estate (101)
        ("interviewer@demo.dk", "/interviewer/"),
        ("admin@demo.dk", "/admin/"),
        ("lead@demo.dk", "/rounds/"),  # the programme lead (issue 18): the organisation's survey rounds
    ],
)
def test_each_demo_role_lands_on_its_page(embedded_app, email, landing):
    base, _log, seeded = embedded_app
    browser = Browser(base)
    url, page = browser.post_form("/accounts/login/", {"username": email, "password": "naboambassador"})
    key = re.search(rf"{re.escape(email)}  key (\w+)  code now \d{{6}}", seeded)
    if key:  # coordinators and admins: the code from the key seed_demo printed, as an authenticator app makes it
        assert urllib.parse.urlparse(url).path == "/accounts/two-factor/", page[:500]
        code = TOTP(b32decode(key.group(1))).token()
        url, page = browser.post_form(url.split(base, 1)[1], {"code": f"{code:06d}"})
    assert urllib.parse.urlparse(url).path == landing, page[:500]
    assert "Naboambassadør" in page or "Django" in page


def test_phone_only_ambassador_signs_in_with_the_sms_printed_on_the_console(embedded_app):
    base, log_path, _seeded = embedded_app
    browser = Browser(base)
    browser.post_form("/accounts/link/", {"identifier": "+45 20 10 00 01"})

    match = re.search(r"SMS to \+4520100001.*?(/accounts/link/[\w-]+/)", log_path.read_text(), re.DOTALL)
    assert match, log_path.read_text()[-2000:]
    url, page = browser.post_form(match.group(1), {})
    assert urllib.parse.urlparse(url).path == "/visits/mine/"
    assert "Jens Mikkelsen" in page
