"""Load test of the survey rounds' pages on gunicorn + PostgreSQL, loopback only: the list of rounds, the
newest and an older round's pooled page, the organisation's trends and the round's CSV, 20 concurrent
programme leads each.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nabo_rounds_bench REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python bench/rounds_load.py
    … --clients 20 --seconds 20 --workers 4 --think 0 --pages list newest older trends csv
    ROUND_PAGE_CACHE_SECONDS=0 … bench/rounds_load.py        # the figures counted on every request

Run bench/rounds_data.py on the database first. The script

  * counts the queries of each page in this process (Django's test client, cold and warm cache) for two
    different rounds (the list and the trends: two programme leads), to show the number does not depend on
    which round or how many answers it has;
  * times the parts of a cache miss alone: `round_figures`, `question_trends`, `areas_side_by_side`;
  * then, like bench/visits_load.py (whose gunicorn and client helpers it uses), starts gunicorn with DEBUG
    off and puts each page under `--clients` concurrent clients for `--seconds` seconds after a short
    warm-up, and prints requests/s, p50/p95/p99/max, errors and the load average. Every run is bounded.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import visits_load  # noqa: E402  (sets up Django)
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from apps.accounts.models import ProgrammeLead  # noqa: E402
from apps.surveys.models import SurveyRound  # noqa: E402
from apps.surveys.pooled import round_figures  # noqa: E402
from apps.surveys.trends import areas_side_by_side, question_trends, trend_period  # noqa: E402

PAGES = ("list", "newest", "older", "trends", "csv")
SLUG = "bench"


def bench_rounds() -> list[SurveyRound]:
    """The bench organisation's rounds, newest first."""
    return list(SurveyRound.objects.filter(organisation__slug=SLUG).order_by("-period_start", "-pk"))


def targets(clients: int) -> dict[str, list[tuple[str, object]]]:
    """Per page, one (url, programme lead) per client: the leads taken in turn; the older round's page and
    the CSV alternate between two rounds (the newest and the next for the CSV, the two before for the page)."""
    leads = [role.user for role in ProgrammeLead.objects.filter(organisation__slug=SLUG).select_related("user")]
    rounds = bench_rounds()
    if not leads or len(rounds) < 2:
        return {}
    older = rounds[1:3] if len(rounds) > 2 else rounds[1:2]
    result: dict[str, list[tuple[str, object]]] = {page: [] for page in PAGES}
    for n in range(clients):
        lead = leads[n % len(leads)]
        result["list"].append((reverse("surveys:round_list"), lead))
        result["newest"].append((reverse("surveys:round_detail", args=[rounds[0].pk]), lead))
        result["older"].append((reverse("surveys:round_detail", args=[older[n % len(older)].pk]), lead))
        result["trends"].append((reverse("surveys:round_trends", args=[SLUG]), lead))
        result["csv"].append((reverse("surveys:round_csv", args=[rounds[n % 2].pk]), lead))
    return result


def count_queries(pages: dict[str, list[tuple[str, object]]]) -> dict[str, list[tuple[int, int]]]:
    """Queries per page in this process for two targets of each page (two rounds where the page has one; else
    two programme leads), cold and warm cache; printed and returned."""
    found: dict[str, list[tuple[int, int]]] = {}
    with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
        for page, page_targets in pages.items():
            figures, found[page] = [], []
            distinct = list(dict.fromkeys(page_targets, None))
            pair = [t for t in distinct if t[0] != distinct[0][0]][:1] or [distinct[1 % len(distinct)]]
            for url, user in [distinct[0], *pair]:
                client = Client()
                client.force_login(user)
                session = client.session
                visits_load.two_factor_passed(session, user)
                session.save()
                client.get(reverse("surveys:round_list"))  # the session and language settle on a first request
                cache.clear()
                counts = []
                for _cold_then_warm in range(2):
                    with CaptureQueriesContext(connection) as queries:
                        status = client.get(url).status_code
                    assert status == 200, (url, status)
                    counts.append(len(queries))
                found[page].append((counts[0], counts[1]))
                figures.append(f"{url}: {counts[0]} cold / {counts[1]} warm")
            print(f"queries  {page:<7} " + "; ".join(figures))
    return found


def _timed(label: str, call, repeat: int) -> None:
    call()
    times = []
    for _n in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(f"{label:<34} p50 {times[len(times) // 2]:6.1f} ms  max {times[-1]:6.1f} ms  ({repeat} calls)")


def time_parts(repeat: int = 5) -> None:
    """What a cache miss costs, part by part, in the database and the ORM (no rendering)."""
    rounds = bench_rounds()
    oldest_first = sorted(rounds, key=lambda r: (r.period_start, r.pk))
    areas = sorted({s.area for r in rounds for s in r.surveys.select_related("area")}, key=lambda a: (a.name, a.pk))
    period_start, period_end = trend_period(rounds=rounds)
    _timed("round_figures, newest round", lambda: round_figures(round=rounds[0]), repeat)
    _timed("question_trends, all rounds", lambda: question_trends(rounds=oldest_first), repeat)
    _timed(
        "areas_side_by_side, newest period",
        lambda: areas_side_by_side(areas=areas, period_start=period_start, period_end=period_end),
        repeat,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per page (max 120)")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds per page first")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (2-4 on two cores)")
    parser.add_argument("--think", type=float, default=0, help="seconds each client waits between requests")
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=PAGES)
    parser.add_argument("--queries-only", action="store_true", help="count the queries and time the parts only")
    args = parser.parse_args()
    seconds = min(args.seconds, 120)
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to the PostgreSQL database bench/rounds_data.py filled.")
    pages = targets(args.clients)
    if not pages:
        sys.exit("No survey round bench data: run bench/rounds_data.py first.")
    pages = {page: pages[page] for page in args.pages}
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG is off: pages use the manifest
    count_queries(pages)
    time_parts()
    if args.queries_only:
        return
    sessions = {
        page: [(url, visits_load.session_for(user)) for url, user in page_targets]
        for page, page_targets in pages.items()
    }
    cache.clear()
    connection.close()

    visits_load.load_pages(
        sessions,
        workers=args.workers,
        clients=args.clients,
        warmup=args.warmup,
        seconds=seconds,
        think=args.think,
        cache=f"round figures cache {settings.ROUND_PAGE_CACHE_SECONDS} s",
    )


if __name__ == "__main__":
    main()
