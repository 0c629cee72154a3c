"""Load test of "My visits" and the coordinator overview on gunicorn + PostgreSQL, loopback only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nabo_visits_bench .venv/bin/python bench/visits_load.py
    DATABASE_URL=... .venv/bin/python bench/visits_load.py --clients 20 --seconds 20 --workers 4 --think 0

Run bench/visits_data.py on the database first. The script

  * picks the 20 ambassadors whose number of open visits is closest to the median (a typical "My visits")
    and the coordinators of the areas, and signs each client in with its own session (written to the
    database the way a sign-in does, so gunicorn finds it);
  * runs `collectstatic` once if needed (DEBUG is off, as in production, so pages use the manifest);
  * starts gunicorn on 127.0.0.1 (sync workers, the production command but on loopback) with DEBUG off;
  * for each page: a short warm-up, then `--clients` concurrent clients for `--seconds` seconds, each
    sending a request, waiting for the whole response, optionally thinking `--think` seconds, and again;
  * prints p50/p95/p99/max latency, requests/s and errors per page, and the load average (the machine
    may be shared), then stops gunicorn. Every run is bounded: warm-up + seconds per page.

The clients run in this process (asyncio, one connection per request, as gunicorn's sync workers close
it), so they share the two cores with gunicorn and PostgreSQL: the figures include that cost.
"""

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naboambassador.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")

import django  # noqa: E402
from django.apps import apps  # noqa: E402

if not apps.ready:  # run as a script, or imported by another bench script (not by the tests' own Django)
    # Production: DEBUG off whatever the shell says, so `collectstatic` below writes the manifest that
    # gunicorn's pages (DEBUG off) read; with DEBUG on it wrote none and every page was a 500.
    os.environ["DEBUG"] = "false"
    django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import Membership  # noqa: E402
from apps.visits.forms import default_period  # noqa: E402
from apps.visits.models import Ambassador  # noqa: E402
from apps.visits.selectors import my_visits, overview_compute  # noqa: E402


def two_factor_passed(session, user) -> None:
    """Mark a coordinator's or admin's session as having typed a TOTP code, as the sign-in page does
    (their pages are otherwise a redirect to the code page)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from apps.core.policy import two_factor_required

    if two_factor_required(user):
        device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id


def session_for(user) -> str:
    """A signed-in session for the user, as `login()` (and the two-factor page) store it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    two_factor_passed(session, user)
    session.create()
    return session.session_key


def typical_ambassadors(count: int) -> tuple[list, float]:
    """The active ambassadors whose number of open visits is closest to the median, and that median."""
    ambassadors = list(
        Ambassador.objects.filter(status=Ambassador.Status.ACTIVE, area__slug__startswith="bench-")
        .select_related("user")
        .annotate(open_count=Count("visits", filter=Q(visits__status="open")))
    )
    median = statistics.median(a.open_count for a in ambassadors)
    ambassadors.sort(key=lambda a: (abs(a.open_count - median), a.pk))
    return ambassadors[:count], median


def time_selectors(ambassadors: list, coordinators: list, rounds: int = 40) -> None:
    """The selectors alone, in this process, one call at a time: the database and ORM part of each page."""
    start, end = default_period(timezone.localdate())
    for name, call in [
        ("my_visits", lambda n: my_visits(ambassador_user=ambassadors[n % len(ambassadors)].user)),
        (
            "overview",  # computed every time: the cache is for the pages
            lambda n: overview_compute(
                area=coordinators[n % len(coordinators)].area, period_start=start, period_end=end
            ),
        ),
    ]:
        call(0)
        times = []
        for n in range(rounds):
            started = time.perf_counter()
            call(n)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        print(
            f"selector {name:<10} p50 {times[len(times) // 2]:6.1f} ms  p95 {times[int(0.95 * len(times))]:6.1f} ms  ({rounds} calls, one at a time)"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "naboambassador.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--backlog",
        "256",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    sys.exit("gunicorn did not start within 30 s")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)  # gunicorn's own process group (start_new_session)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


async def fetch(port: int, path: str, session_key: str) -> tuple[int, int]:
    """One GET with the session cookie; returns (status, body bytes)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {settings.SESSION_COOKIE_NAME}={session_key}\r\n"
            "Accept-Language: da\r\nConnection: close\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    response = await reader.read()
    writer.close()
    status = int(response[9:12]) if response.startswith(b"HTTP/1.") else 0
    return status, len(response)


async def run_page(port: int, targets: list[tuple[str, str]], clients: int, seconds: float, think: float) -> dict:
    latencies: list[float] = []
    errors: dict[int, int] = {}
    sizes: list[int] = []
    deadline = time.monotonic() + seconds

    async def client(n: int) -> None:
        path, key = targets[n % len(targets)]
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status, size = await fetch(port, path, key)
            except OSError:
                status, size = 0, 0
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200:
                errors[status] = errors.get(status, 0) + 1
            sizes.append(size)
            if think:
                await asyncio.sleep(think)

    started = time.monotonic()
    await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.monotonic() - started
    latencies.sort()
    if not latencies:  # a warm-up of 0 s sends nothing
        return {"requests": 0, "errors": errors}

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))]

    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "max": latencies[-1],
        "errors": errors,
        "kb": statistics.mean(sizes) / 1024 if sizes else 0,
    }


def load_pages(
    targets: dict[str, list[tuple[str, str]]],
    *,
    workers: int,
    clients: int,
    warmup: float,
    seconds: float,
    think: float,
    cache: str,
) -> None:
    """Start gunicorn and put each page's (url, session key) targets under load, after an unmeasured warm-up;
    print one line per page beside the set-up (`cache` says what is cached) and the load average around it.
    The dashboards' and the rounds' load tests use it too."""
    port = free_port()
    gunicorn = start_gunicorn(port, workers)
    try:
        print(
            f"gunicorn: {workers} sync workers on 127.0.0.1:{port}; {clients} clients, think {think:g} s, "
            f"{warmup:g} s warm-up + {seconds:g} s per page; {cache} in "
            f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; load average before: {os.getloadavg()[0]:.2f}"
        )
        print(
            f"{'page':<12} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'KB':>5}  errors"
        )
        for page, page_targets in targets.items():
            asyncio.run(run_page(port, page_targets, clients, warmup, think))
            result = asyncio.run(run_page(port, page_targets, clients, seconds, think))
            print(
                f"{page:<12} {result['requests']:>8} {result['rps']:>7.1f} {result['p50']:>7.1f} {result['p95']:>7.1f} "
                f"{result['p99']:>7.1f} {result['max']:>7.1f} {result['kb']:>5.1f}  {result['errors'] or 'none'}"
            )
        print(f"load average after: {os.getloadavg()[0]:.2f} (1 min; other work on the machine shows here)")
    finally:
        stop(gunicorn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per page (max 120)")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds per page first")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (2-4 on two cores)")
    parser.add_argument("--think", type=float, default=0, help="seconds each client waits between requests")
    parser.add_argument("--pages", nargs="+", default=["mine", "overview"], choices=["healthz", "mine", "overview"])
    args = parser.parse_args()
    seconds = min(args.seconds, 120)
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to the PostgreSQL database bench/visits_data.py filled.")

    ambassadors, median = typical_ambassadors(args.clients)
    if not ambassadors:
        sys.exit("No bench data: run bench/visits_data.py first.")
    coordinators = list(
        Membership.objects.filter(role=Membership.Role.COORDINATOR, area__slug__startswith="bench-")
        .select_related("user", "area")
        .order_by("area__slug")
    )
    targets = {
        # The floor: a request through the whole middleware stack that reads nothing.
        "healthz": [(reverse("core:healthz"), "")],
        "mine": [(reverse("visits:mine"), session_for(a.user)) for a in ambassadors],
        "overview": [
            (
                reverse("visits:overview", args=[coordinators[n % len(coordinators)].area.slug]),
                session_for(coordinators[n % len(coordinators)].user),
            )
            for n in range(args.clients)
        ],
    }
    open_counts = sorted(a.open_count for a in ambassadors)
    print(
        f"My visits: {len(ambassadors)} ambassadors with {open_counts[0]}–{open_counts[-1]} open visits "
        f"(median of all ambassadors {median:g}); overview: coordinators of {len(coordinators)} areas, default period."
    )
    time_selectors(ambassadors, coordinators)
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    connection.close()

    load_pages(
        {page: targets[page] for page in args.pages},
        workers=args.workers,
        clients=args.clients,
        warmup=args.warmup,
        seconds=seconds,
        think=args.think,
        cache=f"overview cache {settings.VISIT_OVERVIEW_CACHE_SECONDS} s",
    )


if __name__ == "__main__":
    main()
