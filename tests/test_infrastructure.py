"""The deployment files agree with each other and with settings.py.

No database is used here; `manage.py check --deploy` runs in a subprocess with production-like settings.
"""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")

# Everything that steers settings.py; the subprocesses below start from none of it.
SETTINGS_ENV = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "CELERY_RESULT_BACKEND",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "SQLITE_PATH",
    "BEHIND_PROXY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for their own process only
)


def _clean_env(**overrides: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in SETTINGS_ENV and not name.startswith(("SECURE_", "SESSION_", "CSRF_", "EMAIL_", "SMS_"))
    }
    env.update(overrides)
    return env


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_defines_the_whole_stack(compose):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(compose["services"])


def test_web_worker_and_beat_run_one_image(compose):
    services = compose["services"]
    builds = {repr(services[name].get("build")) for name in APP_SERVICES}
    images = {services[name].get("image") for name in APP_SERVICES}
    assert len(builds) == 1 and builds != {"None"}
    assert len(images) == 1 and images != {None}


def test_app_services_start_after_migrations(compose):
    services = compose["services"]
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert "migrate" in services["migrate"]["command"]


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is not installed")
def test_docker_compose_accepts_the_file():
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        env=_clean_env(SECRET_KEY="x"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_deploy_check_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_clean_env(
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(45)[:60],
            ALLOWED_HOSTS="example.org",
            DATABASE_URL="postgres://postgres@127.0.0.1:5432/naboambassador",
            CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS:" not in output, output
    assert "System check identified no issues" in output, output


def _requirements(name: str) -> list[str]:
    lines = [line.strip() for line in (ROOT / name).read_text().splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_every_requirement_is_pinned(name):
    pin = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9_,-]+\])?==[A-Za-z0-9.+!-]+$")
    requirements = [line for line in _requirements(name) if line != "-r requirements.txt"]
    assert requirements
    assert [line for line in requirements if not pin.match(line)] == []


def test_the_production_requirements_carry_no_test_tools():
    """The image installs requirements.txt only; the tools live in requirements-dev.txt, which includes it."""
    production = {line.split("==")[0].lower() for line in _requirements("requirements.txt")}
    development = _requirements("requirements-dev.txt")
    assert development[0] == "-r requirements.txt"
    assert not production & {"pytest", "pytest-django", "playwright", "ruff", "factory_boy", "faker"}
    assert {"gunicorn", "django", "celery[redis]", "psycopg[binary]", "whitenoise"} <= production
    installs = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines() if "pip install" in line]
    assert installs == ["RUN pip install -r requirements.txt"]


def test_our_stylesheets_parse_without_errors():
    """A lost brace silently swallows every rule after it (a merge once did that to app.css)."""
    import tinycss2

    for path in sorted((ROOT / "static").rglob("*.css")):
        rules = tinycss2.parse_stylesheet(path.read_text(), skip_comments=True, skip_whitespace=True)
        errors = [rule for rule in rules if rule.type == "error"]
        nested = [
            rule
            for rule in rules
            if rule.type == "qualified-rule" and any(token.type == "{} block" for token in rule.content)
        ]
        assert not errors and not nested, f"{path.name}: {errors or nested}"


def test_tasks_are_queued_only_after_the_transaction_commits():
    """A task queued inside a transaction that then rolls back would work on rows that never existed (or
    run before they are visible). Outside tasks.py every .delay()/.apply_async() sits in on_commit."""
    offenders = []
    for path in sorted((ROOT / "apps").rglob("*.py")):
        if path.name == "tasks.py" or "/migrations/" in str(path):
            continue
        for number, text in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\.(delay|apply_async)\(", text) and "on_commit(" not in text:
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders, offenders


def test_tasks_are_acknowledged_late():
    """A task whose worker dies is delivered again (every task is safe to run twice)."""
    from django.conf import settings

    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
