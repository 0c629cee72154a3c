"""Page weight of the ambassador's pages on the production set-up, measured in Chromium.

    createdb -h 127.0.0.1 -U postgres nabo_weight
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nabo_weight .venv/bin/python bench/page_weight.py
    # options: --pages mine visit … (a subset), --static-root DIR (collect there once, reuse after),
    #          --open-visits N (default 19), --verbose (every request of every load), --workers N (gunicorn)

What it does, the way production runs (Dockerfile, docker-compose.yml):

  * DEBUG off; `collectstatic` into a temporary STATIC_ROOT with the production storage (WhiteNoise's
    CompressedManifestStaticFilesStorage: hashed names, .gz and .br beside each file);
  * migrates the database and builds the demo area (`apps.demo.build`, what `seed_demo` builds) unless it
    is there; hands the area's open visits to its busiest ambassador (19, a busy ambassador's load) and
    signs them in (a session written to the database the way a sign-in does, its cookie given to the
    browser);
  * starts gunicorn with WhiteNoise on 127.0.0.1 (production settings, plain HTTP on loopback);
  * for each page, a fresh Chromium context (empty HTTP cache, service workers blocked, so the figures are
    the HTTP cache's and not an offline cache's), 360 × 640: the first load, then the same page again in
    a new tab of the same context (the phone coming back to it later). Bytes are what came over the
    network, headers included: the sum of CDP `Network.loadingFinished` `encodedDataLength`;
  * prints a table (page, first kB, repeat kB, requests) and the verdict against the budget: under 150 kB
    on a first load, under 20 kB on a repeat load (kB = 1,000 bytes, as Chromium's DevTools count).

Exit status 0 when every page is within the budget, 1 when one is not. Every step is bounded (gunicorn
must answer within 30 s, each load within 30 s).
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
# Production: DEBUG off whatever the shell says (the manifest storage and WhiteNoise's long cache headers
# come with it). Set before Django reads the settings, here and in the gunicorn it starts.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naboambassador.settings")
# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain set-up.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BUDGET_FIRST = 150_000
BUDGET_REPEAT = 20_000
PAGE_TIMEOUT_MS = 30_000


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--static-root", help="a folder collected before with these settings (else a temporary one)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--open-visits",
        type=int,
        default=19,
        help="open visits the ambassador holds (taken from others in the demo area; default 19, all of them)",
    )
    parser.add_argument("--verbose", action="store_true", help="list every request of every load")
    return parser.parse_args()


# name: label in the table (the URL is made once the ambassador and their visit are known)
PAGES = {
    "mine": "My visits",
    "visit": "A visit",
    "outcome": "Outcome step",
    "meetings": "My meetings",
    "answer": "Meeting answer",
    "profile": "Profile",
}


@dataclass
class Load:
    """One navigation: every request it made, and what each cost on the wire."""

    requests: dict[str, dict] = field(default_factory=dict)

    @property
    def bytes(self) -> int:
        return sum(request.get("bytes", 0) for request in self.requests.values())

    @property
    def from_network(self) -> int:
        return sum(1 for request in self.requests.values() if not request.get("cached"))


def main() -> int:
    args = _parse_args()
    # STATIC_ROOT, here and in gunicorn: the given folder (collected into unless it holds a manifest from an
    # earlier run) or a temporary one, removed afterwards.
    temporary = None if args.static_root else tempfile.mkdtemp(prefix="nabo-static-")
    os.environ["STATIC_ROOT"] = args.static_root or temporary
    collect = not (Path(os.environ["STATIC_ROOT"]) / "staticfiles.json").exists()
    try:
        return run(args, collect=collect)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


def run(args: argparse.Namespace, *, collect: bool) -> int:
    import visits_load  # noqa: PLC0415  (sets Django up with the environment above)
    from django.conf import settings  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (created once; the script migrates and fills it).")
    started = time.monotonic()
    if collect:
        call_command("collectstatic", interactive=False, verbosity=0)
    how = f"collected in {time.monotonic() - started:.0f} s" if collect else "collected before"
    print(f"static files: {settings.STORAGES['staticfiles']['BACKEND']} in {settings.STATIC_ROOT}, {how}")
    call_command("migrate", interactive=False, verbosity=0)
    ambassador, paths = demo_ambassador_pages(args.open_visits)
    session_key = visits_load.session_for(ambassador.user)
    print(f"ambassador: {ambassador.user} ({ambassador.open_count} open visits), demo area")
    connection.close()

    port = visits_load.free_port()
    gunicorn = visits_load.start_gunicorn(port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        load_before = os.getloadavg()[0]
        results = measure_pages(base, session_key, [(name, paths[name]) for name in args.pages], args.verbose)
        load_after = os.getloadavg()[0]
    finally:
        visits_load.stop(gunicorn)
    print(
        f"gunicorn {args.workers} sync workers; load average (1 min) {load_before:.2f} before, {load_after:.2f} after"
    )
    return report(results)


def demo_ambassador_pages(open_visits: int):
    """The demo area (built if missing), its ambassador with the most open visits who is invited to a
    meeting still to come, and the paths of that ambassador's pages.

    The demo's ambassadors hold 1–4 open visits each; a busy one has 10–19 (bench/visits_data.py), and
    "My visits" grows with them. So the area's other open visits are handed to this one (a plain update:
    this is the bench's data) until they hold `open_visits`, or all there are."""
    from django.db import transaction  # noqa: PLC0415
    from django.db.models import Count, Q  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from apps.demo.build import DEMO_SLUG, SEED, demo_build  # noqa: PLC0415
    from apps.meetings.models import Invitation  # noqa: PLC0415
    from apps.meetings.tokens import answer_token  # noqa: PLC0415
    from apps.organisation.models import HousingOrganisation  # noqa: PLC0415
    from apps.visits.models import Ambassador, Visit  # noqa: PLC0415

    if not HousingOrganisation.objects.filter(slug=DEMO_SLUG).exists():
        started = time.monotonic()
        with transaction.atomic():
            demo_build(rng=random.Random(SEED))
        print(f"demo area built in {time.monotonic() - started:.0f} s")
    upcoming = Invitation.objects.filter(meeting__starts_at__gt=timezone.now(), meeting__cancelled_at=None)
    ambassador = (
        Ambassador.objects.filter(
            status=Ambassador.Status.ACTIVE, area__slug=DEMO_SLUG, meeting_invitations__in=upcoming
        )
        .annotate(open_count=Count("visits", filter=Q(visits__status=Visit.Status.OPEN), distinct=True))
        .filter(open_count__gt=0)
        .select_related("user")
        .order_by("-open_count", "pk")
        .first()
    )
    if ambassador is None:
        sys.exit("The demo area has no active ambassador with an open visit and a meeting to come.")
    missing = open_visits - ambassador.open_count
    if missing > 0:
        others = Visit.objects.filter(area=ambassador.area, status=Visit.Status.OPEN).exclude(ambassador=ambassador)
        handed = Visit.objects.filter(
            pk__in=list(others.order_by("due_date", "pk").values_list("pk", flat=True)[:missing])
        )
        ambassador.open_count += handed.update(ambassador=ambassador, assigned_at=timezone.now())
    visit = ambassador.visits.filter(status=Visit.Status.OPEN).order_by("due_date", "pk").first()
    invitation = upcoming.filter(ambassador=ambassador).order_by("meeting__starts_at").first()
    detail = reverse("visits:detail", args=[visit.pk])
    paths = {
        "mine": reverse("visits:mine"),
        "visit": detail,
        "outcome": f"{detail}?outcome=met_talked",
        "meetings": reverse("meetings:mine"),
        "answer": reverse("meetings:answer", args=[answer_token(invitation=invitation)]),
        "profile": reverse("visits:my_profile"),
    }
    return ambassador, paths


def measure_pages(base: str, session_key: str, pages: list[tuple[str, str]], verbose: bool) -> list[tuple]:
    """Each page in a browser of its own (Chromium remembers a missing favicon per browser, so a shared one
    would charge it to the first page only): the first load, then the page again from the HTTP cache."""
    from django.conf import settings  # noqa: PLC0415
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    from tests.browser import launch_chromium  # noqa: PLC0415

    results = []
    with sync_playwright() as playwright:
        for name, path in pages:
            browser = launch_chromium(playwright)
            try:
                # A fresh context is a phone with an empty cache; no service worker may answer for the network.
                context = browser.new_context(
                    service_workers="block", viewport={"width": 360, "height": 640}, locale="da-DK"
                )
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": base}])
                first = load(context, base + path)
                repeat = load(context, base + path)
            finally:
                browser.close()
            results.append((name, first, repeat))
            if verbose:
                print_requests(name, base, first, repeat)
    return results


def print_requests(name: str, base: str, first: Load, repeat: Load) -> None:
    for label, loaded in (("first", first), ("repeat", repeat)):
        for request in loaded.requests.values():
            print(
                f"  {name:<9} {label:<6} {request.get('status', '-')!s:>3} "
                f"{request.get('encoding') or '-':<5} {request.get('bytes', 0):>7} B "
                f"{'cache' if request.get('cached') else 'net  '} {request['url'].replace(base, '')[:90]}"
            )


def load(context, url: str) -> Load:
    """Open `url` in a new tab of the context and record, through the DevTools protocol, every request the
    page made and the bytes each took on the wire (headers included; 0 for what the cache answered)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    loaded = Load()

    def entry(event: dict) -> dict:
        return loaded.requests.get(event["requestId"], {})  # a data: URL's events go nowhere

    def sent(event: dict) -> None:
        url = event["request"]["url"]
        if not url.startswith("data:"):  # inline images (Bootstrap's icons) are no request
            loaded.requests[event["requestId"]] = {"url": url}

    def received(event: dict) -> None:
        response = event["response"]
        headers = {key.lower(): value for key, value in response["headers"].items()}
        entry(event).update(
            status=response["status"],
            encoding=headers.get("content-encoding", ""),
            cached=response.get("fromDiskCache", False) or response.get("fromPrefetchCache", False),
        )

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.responseReceived", received)
    cdp.on("Network.requestServedFromCache", lambda event: entry(event).update(cached=True))
    cdp.on(
        "Network.loadingFinished",
        lambda event: entry(event).update(bytes=int(event["encodedDataLength"]), done=True),
    )
    cdp.on("Network.loadingFailed", lambda event: entry(event).update(done=True))
    cdp.send("Network.enable")
    response = page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
    if response is None or response.status != 200 or response.url != url:
        raise SystemExit(f"{url} answered {response and response.status} {response and response.url}: not signed in?")
    page.wait_for_load_state("networkidle", timeout=PAGE_TIMEOUT_MS)
    # The browser's own /favicon.ico request is not the page's, so "networkidle" does not wait for it.
    deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
    while not all(request.get("done") for request in loaded.requests.values()) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    page.close()
    return loaded


def report(results: list[tuple]) -> int:
    print(f"{'page':<16} {'first kB':>9} {'repeat kB':>10} {'requests':>9}")
    missed = []
    for name, first, repeat in results:
        print(
            f"{PAGES[name]:<16} {first.bytes / 1000:>9.1f} {repeat.bytes / 1000:>10.1f} "
            f"{len(first.requests):>4} / {repeat.from_network}"
        )
        if first.bytes >= BUDGET_FIRST:
            missed.append(f"{PAGES[name]} first load {first.bytes / 1000:.1f} kB")
        if repeat.bytes >= BUDGET_REPEAT:
            missed.append(f"{PAGES[name]} repeat load {repeat.bytes / 1000:.1f} kB")
    print("requests: all requests of the first load / requests of the repeat load that went to the network")
    budget = f"budget: < {BUDGET_FIRST // 1000} kB first load, < {BUDGET_REPEAT // 1000} kB repeat load"
    if missed:
        print(f"MISSED ({budget}): " + "; ".join(missed))
        return 1
    print(f"MET ({budget}) on every page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
