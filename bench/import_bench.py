"""Benchmark of the tenant-list import against PostgreSQL, beside the physical limit (COPY of the same rows).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nabo_bench .venv/bin/python bench/import_bench.py
    DATABASE_URL=... .venv/bin/python bench/import_bench.py --rows 10000 100000 --profile

For each size it writes a CSV move-in list (fictional Danish data, UTF-8 with BOM, semicolons, a title
row, ~3 % bad phones, ~1 % lines without a move-in date, 20 estates), then in a fresh process:

  * COPY   — psql-style COPY of the same file into a plain table of text columns (the physical limit);
  * first  — the import end to end as the command line does it (check and store the upload, import:
             entrances, tenancies and newcomers are all new, save problems, clear the file);
  * again  — the same file again (everything found, nothing changes);
  * update — the file with 10 % of the phone numbers changed.

It prints seconds, rows/s, the ratio to COPY and the peak memory the import added (ru_maxrss growth
of the process that ran it). It creates its own organisation and area and deletes everything after.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FIRST_NAMES = (
    "Amina Ahmed Ali Fatima Mohammed Hassan Leyla Yusuf Zeynep Mehmet Emine Hodan Abdi Farah Sahra Maryam Omar "
    "Anne Mette Hanne Lone Susanne Jens Peter Lars Henrik Søren Mads Jørgen Birgitte Kirsten Ida Freja Emma Noah "
    "Oliver Aksel Malthe Asta Karla Agnieszka Tomasz Olena Dmytro Bashir Nasrin Parisa Reza Ayesha Imran"
).split()
LAST_NAMES = (
    "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen Petersen Madsen "
    "Kristensen Olsen Thomsen Møller Yılmaz Kaya Demir Şahin Çelik Hassan Ali Mohamed Abdullahi Warsame Ahmadi "
    "Hosseini Khan Hussain Nowak Kowalski Kovalenko Shevchenko Al-Sayed Haddad Nørgaard Åberg Bæk"
).split()
STREETS = (
    "Lærkebakken Solsikkestien Vibevej Stærevej Mågevej Kløvermarken Bøgeparken Egeløkken Rønnebærhaven Æblehaven "
    "Pilevej Hyldebærvej Tjørnevang Syrenparken Granhøjen Birkevang Engtoften Skovbrynet Havrevej Rugmarken"
).split()
LANGUAGES = ["dansk", "arabisk", "tr", "so", "engelsk", "ar", "da", "urdu", "persisk", "polsk", "ukrainsk", "", "", ""]
DOORS = ["tv", "th", "mf"]
MOBILE_PREFIXES = [
    "20",
    "21",
    "22",
    "23",
    "24",
    "25",
    "29",
    "30",
    "31",
    "40",
    "41",
    "42",
    "50",
    "51",
    "52",
    "53",
    "60",
    "61",
    "71",
    "81",
    "91",
    "93",
]
MOVE_IN_DATES = [f"{day:02d}-{month:02d}-2026" for month in (9, 10, 11) for day in (1, 15)]
ESTATES = [(str(100 + i), f"Afdeling {STREETS[i - 1]}") for i in range(1, 21)]


def phone(rng: random.Random) -> str:
    if rng.random() < 0.03:
        return rng.choice(["12345678", "1234", "ring ikke", "+45 11 22"])  # invalid: a warning each
    # Danish mobile series (two-digit prefix, then a non-zero digit): all valid numbers.
    number = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(1, 10)}{rng.randrange(100_000):05d}"
    style = rng.random()
    if style < 0.5:
        return number
    if style < 0.8:
        return f"{number[:2]} {number[2:4]} {number[4:6]} {number[6:]}"
    return "+45 " + number


def ascii_fold(text: str) -> str:
    """'Sørensen' → 'soerensen', 'Yılmaz' → 'yilmaz': what people put in their e-mail addresses."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace("ı", "i")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def csv_write(path: Path, rows: int, *, seed: int = 1, changed_phones: float = 0.0) -> None:
    """The file a tenancy system exports: UTF-8 with BOM, semicolons, title row, Danish headers."""
    rng = random.Random(seed)
    change = random.Random(seed + 1)
    header = "Lejemålsnr.;Afd.nr;Afdelingsnavn;Indflytningsdato;Navn;Telefon;E-mail;Sprog;Adresse;Postnr;By\r\n"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write(f"Tilflytterliste {rows} lejemål;;;;;;;;;;\r\n;;;;;;;;;;\r\n")
        out.write(header)
        for i in range(rows):
            estate_number, estate_name = ESTATES[i % len(ESTATES)]
            unit = i // len(ESTATES)
            street = STREETS[(i % len(ESTATES) + unit // 400) % len(STREETS)]
            house = 1 + (unit // 8) % 50
            floor = ["st", "1", "2", "3"][(unit // 2) % 4]
            address = f"{street} {house}, {floor}. {DOORS[unit % 3]}"
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            tel = phone(rng)
            if changed_phones and change.random() < changed_phones:
                tel = phone(change)
            email = f"{ascii_fold(first)}.{ascii_fold(last)}{i}@example.org"
            if rng.random() < 0.01:
                email = email.replace("@", "")  # a typo: a warning
            email = email if rng.random() < 0.6 else ""
            date = "" if rng.random() < 0.01 else MOVE_IN_DATES[i % len(MOVE_IN_DATES)]
            out.write(
                f"{estate_number}-{unit:05d};{estate_number};{estate_name};{date};{first} {last};{tel};{email};"
                f"{rng.choice(LANGUAGES)};{address};5220;Odense SØ\r\n"
            )


# --- In the child process ----------------------------------------------------------------------------


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naboambassador.settings")
    # DEBUG off as in production (with it on, Django keeps every query in memory); a throwaway key then.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    import django

    django.setup()


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(args) -> None:
    """One measurement in a fresh process, so ru_maxrss growth is this measurement's own."""
    django_setup()
    from django.db import connection

    data = Path(args.file).read_bytes()
    if args.step == "copy":
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_copy_limit")
            cursor.execute(
                "CREATE TABLE bench_copy_limit (a text, b text, c text, d text, e text, f text, g text, h text, "
                "i text, j text, k text)"
            )
            body = data.split(b"\r\n", 2)[2]  # without the title and blank rows: plain CSV with a header
            started = time.perf_counter()
            with cursor.cursor.copy(
                "COPY bench_copy_limit FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true, ENCODING 'UTF8')"
            ) as copy:
                for start in range(0, len(body), 1 << 16):
                    copy.write(body[start : start + (1 << 16)])
            seconds = time.perf_counter() - started
            cursor.execute("DROP TABLE bench_copy_limit")
        print(json.dumps({"seconds": seconds, "rss_mb": 0}))
        return

    if args.step == "engine-memory":
        engine_memory(args, data)
        return

    from apps.newcomers.models import ImportRun
    from apps.newcomers.services import import_run_confirm, import_run_create, import_run_execute, import_run_mapping
    from apps.organisation.models import Area, HousingOrganisation

    organisation = HousingOrganisation.objects.get(slug=args.organisation)
    area = Area.objects.get(slug=args.organisation)
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    rss_before = maxrss_mb()
    started = time.perf_counter()
    run = import_run_create(organisation=organisation, area=area, user=None, filename="bench.csv", data=data)
    run = import_run_confirm(run=run, mapping=import_run_mapping(run=run), create_estates=False, enqueue=False)
    import_run_execute(run_id=run.pk)
    seconds = time.perf_counter() - started
    rss_after = maxrss_mb()
    if args.profile:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    run = ImportRun.objects.get(pk=run.pk)
    assert run.status == ImportRun.Status.DONE, run.error
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rss_mb": rss_after - rss_before,
                "rows": run.total_rows,
                "created": run.created,
                "updated": run.updated,
                "unchanged": run.unchanged,
                "errors": run.error_count,
                "warnings": run.warning_count,
            }
        )
    )


def engine_memory(args, data: bytes) -> None:
    """Peak Python memory of newcomers_import alone (tracemalloc, a dry run): its working set, without
    the file's own bytes that the service layer holds and hands to libpq."""
    import tracemalloc

    from apps.newcomers.importing import mapping_propose, newcomers_import, table_open
    from apps.organisation.models import Area, HousingOrganisation

    organisation = HousingOrganisation.objects.get(slug=args.organisation)
    area = Area.objects.get(slug=args.organisation)
    table = table_open(data=data, filename="bench.csv")
    mapping = mapping_propose(headers=table.headers, organisation=organisation)
    tracemalloc.start()
    newcomers_import(table=table, mapping=mapping, organisation=organisation, area=area, dry_run=True)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(json.dumps({"seconds": 0, "rss_mb": peak / (1024 * 1024)}))


# --- In the parent -----------------------------------------------------------------------------------


def measure(step: str, file: Path, organisation: str, profile: bool) -> dict:
    command = [sys.executable, __file__, "--child", step, "--file", str(file), "--organisation", organisation]
    if profile:
        command.append("--profile")
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ)
    if done.returncode != 0:
        sys.exit(done.stderr)
    if profile and done.stderr:
        print(done.stderr, file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def setup(slug: str) -> None:
    from django.core.management import call_command

    from apps.organisation.models import Area, Estate, HousingOrganisation

    call_command("migrate", verbosity=0)
    organisation = HousingOrganisation.objects.create(name=f"Bench {slug}", slug=slug)
    area = Area.objects.create(name=f"Bench {slug}", slug=slug)
    Estate.objects.bulk_create(
        Estate(organisation=organisation, area=area, number=number, name=name) for number, name in ESTATES
    )


def cleanup(slug: str) -> None:
    """Delete what the benchmark made, in plain SQL: only these tables, whatever other apps relate to them."""
    from django.db import connection, transaction

    from apps.newcomers.models import ColumnMapping, ImportProblem, ImportRun, Newcomer
    from apps.organisation.models import Area, Entrance, Estate, HousingOrganisation, Tenancy

    t = {
        model.__name__: model._meta.db_table
        for model in (
            Newcomer,
            Tenancy,
            Entrance,
            Estate,
            ImportRun,
            ImportProblem,
            ColumnMapping,
            HousingOrganisation,
            Area,
        )
    }
    organisation = f"(SELECT id FROM {t['HousingOrganisation']} WHERE slug = %s)"
    estates = f"(SELECT id FROM {t['Estate']} WHERE organisation_id IN {organisation})"
    statements = [
        f"DELETE FROM {t['Newcomer']} WHERE tenancy_id IN (SELECT id FROM {t['Tenancy']} WHERE estate_id IN {estates})",
        f"DELETE FROM {t['Tenancy']} WHERE estate_id IN {estates}",
        f"DELETE FROM {t['Entrance']} WHERE estate_id IN {estates}",
        f"DELETE FROM {t['Estate']} WHERE organisation_id IN {organisation}",
        f"DELETE FROM {t['ImportProblem']} WHERE run_id IN (SELECT id FROM {t['ImportRun']} WHERE organisation_id IN {organisation})",
        f"DELETE FROM {t['ImportRun']} WHERE organisation_id IN {organisation}",
        f"DELETE FROM {t['ColumnMapping']} WHERE organisation_id IN {organisation}",
        f"DELETE FROM {t['HousingOrganisation']} WHERE slug = %s",
        f"DELETE FROM {t['Area']} WHERE slug = %s",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, [slug])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--profile", action="store_true", help="cProfile the first import (slower; to stderr)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--organisation", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.step = args.child
        child(args)
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/nabo_bench")
    django_setup()
    from django.db import connection

    print(f"PostgreSQL {connection.cursor().connection.info.server_version} · Python {sys.version.split()[0]}")
    print(f"{'rows':>8} {'step':<7} {'seconds':>8} {'rows/s':>9} {'× COPY':>7} {'peak MB':>8}  counts")
    with tempfile.TemporaryDirectory() as folder:
        for rows in args.rows:
            slug = f"bench-{os.getpid()}-{rows}"
            file = Path(folder) / f"tilflyttere-{rows}.csv"
            changed = Path(folder) / f"tilflyttere-{rows}-changed.csv"
            csv_write(file, rows)
            csv_write(changed, rows, changed_phones=0.10)
            print(f"{rows:>8} file: {file.stat().st_size / 1e6:.1f} MB CSV")
            setup(slug)
            try:
                copy = measure("copy", file, slug, False)
                print(
                    f"{rows:>8} {'COPY':<7} {copy['seconds']:>8.2f} {rows / copy['seconds']:>9,.0f} {1:>7.1f} {'':>8}"
                )
                for step, path, profile in (
                    ("first", file, args.profile),
                    ("again", file, False),
                    ("update", changed, False),
                ):
                    result = measure("import", path, slug, profile)
                    ratio = result["seconds"] / copy["seconds"]
                    counts = (
                        "created {created} updated {updated} unchanged {unchanged} errors {errors} warnings {warnings}"
                    )
                    print(
                        f"{rows:>8} {step:<7} {result['seconds']:>8.2f} {rows / result['seconds']:>9,.0f} {ratio:>7.1f} "
                        f"{result['rss_mb']:>8.1f}  {counts.format(**result)}"
                    )
                engine = measure("engine-memory", file, slug, False)
                print(f"{rows:>8} engine-only peak (tracemalloc, dry run): {engine['rss_mb']:.1f} MB")
            finally:
                cleanup(slug)


if __name__ == "__main__":
    main()
