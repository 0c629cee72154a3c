"""Bench data for the dashboards: the visits bench (10 areas, 50,000 tenancies, 100,000 visits over five
years) plus what the dashboards also read — a board member for every estate and five years of monthly
network meetings with invitations and attendance.

    createdb -h 127.0.0.1 -U postgres nabo_dash_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nabo_dash_bench .venv/bin/python bench/dashboards_data.py

On an empty database it first runs bench/visits_data.py's `build` (same options and seed); on a database
that script already filled it adds only the dashboards' part. It refuses to add that part twice.
"""

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import visits_data  # noqa: E402  (sets up Django)
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import Membership, User  # noqa: E402
from apps.meetings.models import Invitation, NetworkMeeting  # noqa: E402
from apps.organisation.models import Area, HousingOrganisation  # noqa: E402
from apps.visits.models import Ambassador  # noqa: E402


def build_dashboards(*, years: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    today = timezone.localdate()
    areas = list(
        Area.objects.filter(slug__startswith=f"{visits_data.SLUG}-").prefetch_related("estates").order_by("pk")
    )
    board_users = User.objects.bulk_create(
        [
            User(email=f"board-{estate.number}@bench.invalid", full_name=f"Bestyrelse {estate.number}", password="!")
            for area in areas
            for estate in area.estates.all()
        ]
    )
    estates = [estate for area in areas for estate in area.estates.all()]
    memberships = Membership.objects.bulk_create(
        [
            Membership(user=user, area=estate.area, role=Membership.Role.BOARD)
            for user, estate in zip(board_users, estates, strict=True)
        ]
    )
    Membership.estates.through.objects.bulk_create(
        [
            Membership.estates.through(membership_id=m.pk, estate_id=estate.pk)
            for m, estate in zip(memberships, estates, strict=True)
        ]
    )
    ambassadors_by_area: dict[int, list[Ambassador]] = {}
    for ambassador in Ambassador.objects.filter(area__in=areas):
        ambassadors_by_area.setdefault(ambassador.area_id, []).append(ambassador)
    meetings, invitations = [], []
    for area in areas:
        for months_ago in range(12 * years):
            first = (today.replace(day=1) - datetime.timedelta(days=30.44 * months_ago)).replace(day=1)
            day = first + datetime.timedelta(days=(1 - first.weekday()) % 7)  # the first Tuesday
            starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(17, 0)))
            if starts_at > timezone.now():
                continue
            meetings.append(
                NetworkMeeting(
                    area=area,
                    title="Netværksmøde",
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(hours=2),
                )
            )
    meetings = NetworkMeeting.objects.bulk_create(meetings, batch_size=2000)
    for meeting in meetings:
        for ambassador in ambassadors_by_area.get(meeting.area_id, []):
            if ambassador.started_on <= meeting.starts_at.date():
                invitations.append(
                    Invitation(meeting=meeting, ambassador=ambassador, answer="yes", attended=rng.random() < 0.6)
                )
    Invitation.objects.bulk_create(invitations, batch_size=5000)
    return {"board members": len(board_users), "meetings": len(meetings), "invitations": len(invitations)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # The visits bench's sizes, used when the database is empty (bench/visits_data.py's defaults).
    parser.add_argument("--tenancies", type=int, default=50_000)
    parser.add_argument("--ambassadors", type=int, default=200)
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--areas", type=int, default=10)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the visits bench uses COPY).")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts: dict[str, int] = {}
    with transaction.atomic():
        if not HousingOrganisation.objects.filter(slug=visits_data.SLUG).exists():
            counts |= visits_data.build(
                tenancies=args.tenancies,
                ambassadors=args.ambassadors,
                visits=args.visits,
                areas=args.areas,
                years=args.years,
                seed=args.seed,
            )
        if Membership.objects.filter(role=Membership.Role.BOARD, user__email__endswith="@bench.invalid").exists():
            sys.exit("Dashboard bench data already present: drop and create the database to start again.")
        counts |= build_dashboards(years=args.years, seed=args.seed)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    seconds = time.perf_counter() - started
    print(", ".join(f"{value:,} {name}" for name, value in counts.items()) + f" in {seconds:.1f} s")


if __name__ == "__main__":
    main()
