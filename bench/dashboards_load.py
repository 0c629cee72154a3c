"""Load test of the dashboards on gunicorn + PostgreSQL, loopback only: the board's estate page and the
coordinator's area page (whole area, and one estate over last year), 20 concurrent users each.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nabo_dash_bench REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python bench/dashboards_load.py
    … --clients 20 --seconds 20 --workers 4 --think 0 --pages board area area-estate
    DASHBOARD_CACHE_SECONDS=0 … bench/dashboards_load.py          # the counts computed on every request

Run bench/dashboards_data.py on the database first. The script

  * counts the queries of each page in this process (Django's test client, cold and warm cache) for two
    different areas and estates, to show the number does not depend on which or on how much data;
  * times the counting alone (`area_counts_compute`, one area and period at a time);
  * then, like bench/visits_load.py (whose gunicorn and client helpers it uses), starts gunicorn with
    DEBUG off and puts each page under `--clients` concurrent clients for `--seconds` seconds after a
    short warm-up, and prints p50/p95/p99/max, requests/s and errors. Every run is bounded.
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
from django.utils import timezone  # noqa: E402

from apps.accounts.models import Membership  # noqa: E402
from apps.dashboards.periods import last_twelve_months, period_from_key  # noqa: E402
from apps.dashboards.selectors import area_counts_compute  # noqa: E402

PAGES = ("board", "area", "area-estate")


def _members(role: str) -> list[Membership]:
    return list(
        Membership.objects.filter(role=role, area__slug__startswith="bench-")
        .select_related("user", "area")
        .prefetch_related("estates")
        .order_by("area__slug", "pk")
    )


def targets(clients: int) -> dict[str, list[tuple[str, Membership]]]:
    boards, coordinators = _members(Membership.Role.BOARD), _members(Membership.Role.COORDINATOR)
    # Two board members per area, so the 20 clients spread over all ten areas.
    by_area: dict[int, list[Membership]] = {}
    for board in boards:
        by_area.setdefault(board.area_id, []).append(board)
    spread = [m for pair in zip(*by_area.values(), strict=False) for m in pair]
    last_year = timezone.localdate().year - 1
    result: dict[str, list[tuple[str, Membership]]] = {"board": [], "area": [], "area-estate": []}
    for n in range(clients):
        board = spread[n % len(spread)]
        result["board"].append((reverse("dashboards:board_estate", args=[board.estates.all()[0].pk]), board))
        coordinator = coordinators[n % len(coordinators)]
        result["area"].append((reverse("dashboards:area", args=[coordinator.area.slug]), coordinator))
        estate = coordinator.area.estates.order_by("number")[n % 5]
        url = reverse("dashboards:area", args=[coordinator.area.slug]) + f"?estate={estate.pk}&period={last_year}"
        result["area-estate"].append((url, coordinator))
    return result


def count_queries(pages: dict[str, list[tuple[str, Membership]]]) -> None:
    """Queries per page in this process, for the first two targets of each page, cold and warm cache."""
    with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
        for page, page_targets in pages.items():
            figures = []
            for url, member in page_targets[:2]:
                client = Client()
                client.force_login(member.user)
                session = client.session
                visits_load.two_factor_passed(session, member.user)
                session.save()
                client.get(url)  # the session and language settle on a first request
                cache.clear()
                counts = []
                for _cold_then_warm in range(2):
                    with CaptureQueriesContext(connection) as queries:
                        status = client.get(url).status_code
                    assert status == 200, (url, status)
                    counts.append(len(queries))
                figures.append(f"{member.area.slug}: {counts[0]} cold / {counts[1]} warm")
            print(f"queries  {page:<12} " + "; ".join(figures))


def time_counting(rounds: int = 20) -> None:
    """`area_counts_compute` alone: what one cache miss costs in the database and the ORM."""
    from apps.organisation.models import Area

    areas = list(Area.objects.filter(slug__startswith="bench-").order_by("slug"))
    today = timezone.localdate()
    for label, period in [
        ("last 12 months", last_twelve_months(today)),
        ("a whole year", period_from_key(str(today.year - 1), today=today)),
        ("five years", period_from_key(f"{today.year - 4}-{today:%m}:{today:%Y-%m}", today=today)),
    ]:
        area_counts_compute(area=areas[0], period=period)
        times = []
        for n in range(rounds):
            started = time.perf_counter()
            area_counts_compute(area=areas[n % len(areas)], period=period)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        print(
            f"counting one area, {label:<15} p50 {times[len(times) // 2]:6.1f} ms  p95 {times[int(0.95 * len(times))]:6.1f} ms  (6 queries)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per page (max 120)")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds per page first")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (2-4 on two cores)")
    parser.add_argument("--think", type=float, default=0, help="seconds each client waits between requests")
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=PAGES)
    parser.add_argument("--queries-only", action="store_true", help="count the queries and time the counting only")
    args = parser.parse_args()
    seconds = min(args.seconds, 120)
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to the PostgreSQL database bench/dashboards_data.py filled.")
    pages = targets(args.clients)
    if not pages["board"]:
        sys.exit("No dashboard bench data: run bench/dashboards_data.py first.")
    pages = {page: pages[page] for page in args.pages}
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG is off: pages use the manifest
    count_queries(pages)
    time_counting()
    if args.queries_only:
        return
    sessions = {
        page: [(url, visits_load.session_for(m.user)) for url, m in page_targets]
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
        cache=f"dashboard cache {settings.DASHBOARD_CACHE_SECONDS} s",
    )


if __name__ == "__main__":
    main()
