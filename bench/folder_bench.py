"""Benchmark: 500 personal welcome folders, the fast way beside the naive way.

    .venv/bin/python bench/folder_bench.py                       # a temporary SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nabo_folder_bench .venv/bin/python bench/folder_bench.py
    options: --folders 500 --naive 20 --chunk 200 --profile

The fast way (what the batch and the personal download do): the edition — every section of the
published version in one language, and the activity calendar — is rendered once per version, language
and calendar, and kept; per newcomer only the personal pages (cover, business card, back page with the
survey QR code) are laid out, many newcomers in one WeasyPrint document per language, and pypdf merges
them with the edition's pages into one PDF per newcomer. The naive way renders each newcomer's whole
folder with WeasyPrint; it is timed on `--naive` folders and the figure per folder compared.

It builds its own area (the demo folder in Danish, English, Arabic and Turkish, five activities,
25 ambassadors, one open visit per newcomer with mixed languages), in one process (one worker), and
deletes nothing: run it on a scratch database.
"""

import argparse
import cProfile
import datetime
import io
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naboambassador.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
SCRATCH = Path(tempfile.mkdtemp(prefix="folder-bench-"))
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(SCRATCH / "bench.sqlite3")
os.environ.setdefault("MEDIA_ROOT", str(SCRATCH / "media"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader, PdfWriter  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.folders import rendering  # noqa: E402
from apps.folders.demo import folder_build_demo  # noqa: E402
from apps.folders.models import EditionRender  # noqa: E402
from apps.folders.selectors import FOLDER_VISIT_RELATED  # noqa: E402
from apps.folders.services import FolderMaker, recipient_for_visit  # noqa: E402
from apps.newcomers.models import Newcomer  # noqa: E402
from apps.organisation.models import Area, Entrance, Estate, HousingOrganisation, Tenancy  # noqa: E402
from apps.visits.models import Activity, Ambassador, Visit  # noqa: E402

SURVEY_URL = "https://naboambassador.example.org/s/q/7f3a9c2e"
LANGUAGES = ["da"] * 10 + ["ar"] * 4 + ["tr"] * 3 + ["en"] * 2 + ["so"]  # Somali: printed in Danish
FIRST = (
    "Amina Ahmed Ali Fatima Hassan Leyla Yusuf Zeynep Mehmet Emine Hodan Anne Mette Jens Peter Lars Ida Freja".split()
)
LAST = "Jensen Nielsen Hansen Pedersen Yılmaz Kaya Demir Hassan Ali Mohamed Warsame Khan Nowak Haddad".split()


def build(folders: int) -> list[Visit]:
    rng = random.Random(9)
    call_command("migrate", verbosity=0)
    organisation = HousingOrganisation.objects.create(name="Bench", slug=f"bench-{time.time_ns()}")
    area = Area.objects.create(name="Bench-parken", slug=f"bench-{time.time_ns()}")
    estate = Estate.objects.create(organisation=organisation, area=area, number="1", name="Bench-parken")
    coordinator = User.objects.create_user(email=f"c{time.time_ns()}@bench.dk", full_name="Coordinator", password=None)
    folder_build_demo(area=area, by=coordinator)
    for name, schedule in [
        ("Madklub", "Tirsdage 17–19"),
        ("Lektiecafé", "Mandage og onsdage 15–17"),
        ("Gåklub", "Torsdage 10–11"),
        ("Fællesspisning", "Første fredag i måneden 18–20"),
        ("Fitness", "Lørdage 9–11"),
    ]:
        Activity.objects.create(area=area, name=name, schedule=schedule, place="Fælleshuset")
    ambassadors = []
    for n in range(25):
        user = User.objects.create_user(
            email=f"a{n}-{time.time_ns()}@bench.dk", full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", password=None
        )
        ambassadors.append(
            Ambassador.objects.create(
                user=user,
                area=area,
                languages=rng.sample(["da", "ar", "tr", "en", "so"], 2),
                card_show_phone=n % 2 == 0,
                card_show_languages=n % 3 != 0,
            )
        )
    today = timezone.localdate()
    visits = []
    for n in range(folders):
        entrance = Entrance.objects.create(
            estate=estate, street="Benchvej", house_number=str(n + 1), postcode="5220", city="Odense SØ"
        )
        tenancy = Tenancy.objects.create(estate=estate, entrance=entrance, number=f"{n:05d}", floor="2", door="tv")
        newcomer = Newcomer.objects.create(
            tenancy=tenancy,
            move_in_date=today - datetime.timedelta(days=5),
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {n:03d}",
            language=rng.choice(LANGUAGES),
        )
        visits.append(
            Visit(
                area=area,
                estate=estate,
                newcomer=newcomer,
                move_in_date=newcomer.move_in_date,
                due_date=today + datetime.timedelta(days=3),
                ambassador=ambassadors[n % len(ambassadors)],
            )
        )
    Visit.objects.bulk_create(visits)
    return list(Visit.objects.filter(area=area).select_related(*FOLDER_VISIT_RELATED).order_by("pk"))


class Timer:
    """Wall-clock and CPU seconds of this process. The machine is shared (2 cores, other jobs), so the
    CPU time is the steadier measure of what a folder costs a worker; both are printed."""

    def __enter__(self) -> "Timer":
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def fast(visits: list[Visit], chunk: int) -> tuple[Timer, int]:
    """Every visit's folder as its own PDF (bytes), the way the personal download makes it."""
    version = visits[0].area.welcome_folder.versions.get()
    maker = FolderMaker(version=version, on_date=timezone.localdate(), survey_url=SURVEY_URL)
    sizes = 0
    with Timer() as timer:
        for start in range(0, len(visits), chunk):
            for _visit, _language, pages in maker.pages(visits[start : start + chunk]):
                writer = PdfWriter()
                rendering.add_pages(writer, pages)
                sizes += len(rendering.pdf_bytes(writer))
    return timer, sizes


def batch(visits: list[Visit]) -> Timer:
    """The week's batch end to end (`batch_make`): one PDF per ambassador, deliveries, files on disk."""
    from apps.folders.models import PrintBatch
    from apps.folders.services import batch_make

    version = visits[0].area.welcome_folder.versions.get()
    job = PrintBatch.objects.create(
        area=visits[0].area, version=version, due_until=timezone.localdate() + datetime.timedelta(days=7),
        survey_url=SURVEY_URL,
    )  # fmt: skip
    with Timer() as timer:
        batch_make(batch_id=job.pk)
    return timer


def naive(visits: list[Visit], count: int) -> Timer:
    """Each folder rendered whole by WeasyPrint, personal pages and shared pages together."""
    version = visits[0].area.welcome_folder.versions.get()
    maker = FolderMaker(version=version, on_date=timezone.localdate(), survey_url=SURVEY_URL)
    with Timer() as timer:
        for visit in visits[:count]:
            recipient = recipient_for_visit(visit=visit, language=maker.language_for(visit))
            html = rendering.whole_folder_html(
                recipient=recipient,
                content=version.content,
                calendar=maker.calendar,
                area_name=version.folder.area.name,
                version_number=version.number,
                survey_url=SURVEY_URL,
            )
            rendering.pdf_from_html(html)
    return timer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folders", type=int, default=500)
    parser.add_argument("--naive", type=int, default=20, help="folders to render the naive way")
    parser.add_argument("--chunk", type=int, default=200, help="newcomers per WeasyPrint document")
    parser.add_argument("--profile", action="store_true")

    args = parser.parse_args()

    visits = build(args.folders)
    rendering.pdf_from_html("<p>warm-up</p>")  # font configuration and stylesheet, once per process

    version = visits[0].area.welcome_folder.versions.get()
    with Timer() as editions:
        warm = FolderMaker(version=version, on_date=timezone.localdate(), survey_url=SURVEY_URL)
        for language in version.languages:
            warm.edition(language)
    pages = [r.page_count for r in EditionRender.objects.filter(version=version)]

    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    fast_time, total_bytes = fast(visits, args.chunk)
    if profiler:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    naive_time = naive(visits, args.naive)
    batch_time = batch(visits)

    n = len(visits)
    whole = PdfReader(io.BytesIO(rendering.pdf_from_html(rendering.whole_folder_html(
        recipient=recipient_for_visit(visit=visits[0], language="da"),
        content=version.content,
        calendar=warm.calendar,
        area_name="x",
        version_number=1,
        survey_url=SURVEY_URL,
    ))))  # fmt: skip
    print(f"database: {'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite'}; one process (one worker)")
    print(f"folder: {len(whole.pages)} pages whole (Danish); edition pages per language: {sorted(pages)}")
    print(
        f"editions rendered once (4 languages, calendar, back page): {editions.wall:.2f} s ({editions.cpu:.2f} s CPU)"
    )
    rows = [("fast", fast_time, n), ("naive", naive_time, args.naive), ("batch", batch_time, n)]
    print(f"{'':6} {'folders':>7} {'s/folder':>9} {'CPU s/folder':>13} {'folders/min/worker (CPU)':>25}")
    for name, timer, count in rows:
        print(
            f"{name:6} {count:>7} {timer.wall / count:>9.4f} {timer.cpu / count:>13.4f} "
            f"{60 * count / timer.cpu:>25,.0f}"
        )
    print(
        f"average personal PDF: {total_bytes / n / 1024:.0f} KB; load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    wall_x, cpu_x = (
        (naive_time.wall / args.naive) / (fast_time.wall / n),
        (naive_time.cpu / args.naive) / (fast_time.cpu / n),
    )
    met = cpu_x >= 10 and fast_time.cpu / n < 0.05
    print(f"fast is {wall_x:.1f}× (wall) / {cpu_x:.1f}× (CPU) the naive way; target ≥ 10× and < 0.05 s/folder: "
          f"{'met' if met else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
