"""Writing a move-in list: estates, entrances and tenancies found or created, newcomers created or updated.

Two ways with one outcome. On PostgreSQL the checked lines are COPYed into a temporary staging table
and joined against the real tables a few statements at a time, whatever the file's length. Elsewhere
(the embedded SQLite default) the lines are written chunk by chunk with bulk_create/bulk_update, a
fixed number of queries per chunk. Either way the whole file is one transaction: a failure halfway
leaves nothing behind, and running it again is safe because newcomers are matched on (tenancy,
move-in date) and nothing is created twice.

A line whose date is not a known newcomer's on its tenancy, but within IMPORT_MOVE_IN_CORRECTION_DAYS of
one, corrects that newcomer's move-in date (the nearest; two equally near: the line is refused, not
guessed). Both ways match each line against the newcomers as they were before the file, and the first
line that matches a newcomer holds it: a later line of the file matching the same one is refused.

Every read and write is confined to the importing area's estates (see Estates): a line naming an
estate or a tenancy of another area gets the same problem as one naming nothing known, so a file can
neither change nor reveal who lives outside the area.
"""

import datetime
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.newcomers.hooks import move_in_corrected_notify
from apps.newcomers.importing.fields import Field
from apps.newcomers.importing.mapping import cpr_columns
from apps.newcomers.importing.normalise import (
    cpr_redact,
    estate_number_clean,
    estate_number_key,
    tenancy_number_prefix,
    text_clean,
)
from apps.newcomers.importing.outcome import ERROR, WARNING, Change, ImportOutcome, ImportRefused, Problem
from apps.newcomers.importing.reader import SourceTable
from apps.newcomers.importing.rows import Record, RowParser, mapping_check
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, Estate, HousingOrganisation, Tenancy
from apps.organisation.services import NewTenancy, estate_create, tenancies_bulk_create, tenancies_create_from_table

CHUNK_SIZE = 1000
# A failed line's cells in the preview are cut to this many characters.
PREVIEW_CHARS = 60
# The details an import may change on a known newcomer; do_not_contact and the rest are never touched.
UPDATABLE = ("name", "phone", "email", "language")


def newcomers_import(
    *,
    table: SourceTable,
    mapping: dict[int, str],
    organisation: HousingOrganisation,
    area: Area | None,
    create_estates: bool = False,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    fast: bool | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> ImportOutcome:
    """Import every good line of the file, report every bad one; all or nothing if the database fails.

    Only the organisation's estates in `area` are read and written, and missing estates are created
    only there. `area=None` is the whole organisation, for the command line run without --area (no
    estates are created then).
    `fast` chooses the PostgreSQL path (None: whenever the database is PostgreSQL). A dry run does
    all the work, then rolls it back, so its counts and problems are exactly what a real run gives.
    """
    mapping = mapping_check(headers=table.headers, mapping=mapping)
    outcome = ImportOutcome()
    dropped = set(cpr_columns(table=table, mapping=mapping))
    for index in sorted(dropped):
        outcome.problems.append(
            Problem(
                line=table.header_line,
                column=table.headers[index],
                code="cpr_column",
                level=WARNING,
            )
        )
    mapping = {index: field for index, field in mapping.items() if index not in dropped}
    outcome.dropped_columns = [
        header for index, header in enumerate(table.headers) if header and (index in dropped or index not in mapping)
    ]
    if fast is None:
        fast = connection.vendor == "postgresql"
    parser = RowParser(headers=table.headers, mapping=mapping)
    if not create_estates:
        estates_match_check(table=table, mapping=mapping, organisation=organisation, area=area)

    with transaction.atomic():
        # One import per organisation at a time: two at once would both create the same tenancies. A dry
        # run (the preview) is rolled back, so it need not wait for an import that is running.
        if not dry_run:
            HousingOrganisation.objects.select_for_update().filter(pk=organisation.pk).first()
        estates = Estates(organisation=organisation, area=area, create=create_estates, parser=parser, outcome=outcome)
        chunks = _chunks(table, parser, outcome, chunk_size)
        # The day of the run, in the installation's time zone: a new newcomer is "on the list since" then.
        listed_on = timezone.localdate()
        writer = _PostgresWriter if fast else _PlainWriter
        writer(parser=parser, estates=estates, outcome=outcome, listed_on=listed_on).run(chunks, progress)
        if dry_run:
            transaction.set_rollback(True)
    outcome.problems.sort(key=lambda p: (p.line, p.level != ERROR))
    outcome.changes.sort(key=lambda c: c.line)
    return outcome


def estates_match_check(
    *, table: SourceTable, mapping: dict[int, str], organisation: HousingOrganisation, area: Area | None
) -> None:
    """Refuse, with one message, a file whose estate column names none of the organisation's estates here.

    Such a file is another organisation's list, or this one chosen by mistake: line by line it would
    give an error on every line. With "create missing estates" the coordinator says the estates are new,
    so it is not asked. An area where the organisation has no estates yet has nothing to compare.
    Reads the estate column only, and stops at the first estate it knows.
    """
    column = next((index for index, field in mapping.items() if field == Field.ESTATE_NUMBER), None)
    if column is None:
        return
    estates = Estate.objects.filter(organisation=organisation)
    if area is not None:
        estates = estates.filter(area=area)
    known = set()
    for number, name in estates.values_list("number", "name"):
        known.update({estate_number_key(number), name.casefold()})
    if not known:
        return
    named = 0
    for _line, values in table.rows():
        number = estate_number_clean(values[column]) if column < len(values) else ""
        if not number:
            continue
        if estate_number_key(number) in known or number.casefold() in known:
            return
        named += 1
    if named:
        raise ImportRefused("wrong_organisation", organisation=organisation.name)


def preview_rows(
    *,
    table: SourceTable,
    mapping: dict[int, str],
    organisation: HousingOrganisation,
    limit: int = 50,
    outcome: ImportOutcome | None = None,
) -> list[dict[str, Any]]:
    """The first lines as they would be imported, each with its problems; nothing is written.

    Pass the outcome of a dry run to include the problems only the database can tell (unknown
    estate, a tenancy without address, repeated lines); without it only the line's own are shown.
    """
    mapping = mapping_check(headers=table.headers, mapping=mapping)
    dropped = set(cpr_columns(table=table, mapping=mapping))
    parser = RowParser(headers=table.headers, mapping={i: f for i, f in mapping.items() if i not in dropped})
    by_line: dict[int, list[Problem]] = {}
    if outcome is not None:
        for problem in outcome.problems:
            by_line.setdefault(problem.line, []).append(problem)
    preview = []
    for line, values in islice(table.rows(), limit):
        record, problems = parser.parse(line, values)
        if outcome is not None:
            problems = by_line.get(line, [])
        if record is not None:
            values_shown = {field: getattr(record, field) for field in Field.values if field != Field.ADDRESS}
        else:
            # A line that cannot be imported shows its mapped cells as the file has them, so the coordinator
            # can find and correct it; a CPR number anywhere in a cell is blanked first (an upload's stored
            # table has none left, this only makes sure) and each is cut to a table cell's length.
            values_shown = {
                field: text_clean(cpr_redact(value))[:PREVIEW_CHARS] for field, value in parser.cells(values).items()
            }
        preview.append({"line": line, "values": values_shown, "problems": problems, "ok": record is not None})
    return preview


def _chunks(table: SourceTable, parser: RowParser, outcome: ImportOutcome, size: int) -> Iterator[list[Record]]:
    """Checked records in chunks; bad lines go straight to the outcome. Counts `rows` as it goes."""
    chunk: list[Record] = []
    parse = parser.parse
    problems = outcome.problems
    for line, values in table.rows():
        outcome.rows += 1
        record, line_problems = parse(line, values)
        if line_problems:
            problems.extend(line_problems)
        if record is not None:
            chunk.append(record)
        if outcome.rows % size == 0:
            yield chunk
            chunk = []
    if chunk or outcome.rows % size:
        yield chunk


class Estates:
    """The estates the file may write to, loaded once (there are dozens, not thousands) and created on request.

    These are the organisation's estates in the importing area; every tenancy and newcomer the import
    reads or writes is looked up through `ids`. The numbers the organisation has in other areas are
    known only so that such an estate is never created a second time here.
    """

    def __init__(self, *, organisation, area, create: bool, parser: RowParser, outcome: ImportOutcome):
        self.organisation = organisation
        self.area = area
        self.create = create and area is not None
        self.parser = parser
        self.outcome = outcome
        self.by_key: dict[str, int] = {}
        self.ids: list[int] = []
        self.elsewhere: set[str] = set()
        names: dict[str, list[int]] = {}
        for pk, number, name, area_id in Estate.objects.filter(organisation=organisation).values_list(
            "id", "number", "name", "area_id"
        ):
            if area is not None and area_id != area.pk:
                self.elsewhere.add(estate_number_key(number))
                continue
            self.ids.append(pk)
            self.by_key[estate_number_key(number)] = pk
            names.setdefault(name.casefold(), []).append(pk)
        self.by_name = {name: pks[0] for name, pks in names.items() if len(pks) == 1}
        self.only = self.ids[0] if len(self.ids) == 1 else None
        self._found: dict[tuple[str, str], tuple[int | None, tuple[str, dict] | None]] = {}

    def named(self, record: Record) -> tuple[int | None, bool]:
        """(estate id, named): the estate the line names in its estate columns, if it names one."""
        number, name = record.estate_number, record.estate_name
        if not (number or name):
            return None, False
        key = (number, name)
        if key in self._found:  # a file names a few dozen estates over thousands of lines
            pk, problem = self._found[key]
        else:
            problem = None
            if number:
                # The number column sometimes holds the estate's name ("Afdeling": "Solsikkeparken").
                pk = self.by_key.get(estate_number_key(number)) or self.by_name.get(number.casefold())
                if pk is None and self.create:
                    if estate_number_key(number) in self.elsewhere:
                        # The unique number would clash, and the estate is not this area's to fill.
                        problem = ("estate_elsewhere", {"number": number})
                    else:
                        pk = self._create(record)
            else:
                pk = self.by_name.get(name.casefold())
            if pk is None and problem is None:
                problem = ("estate_missing", {"number": number or name})
            self._found[key] = (pk, problem)
        if pk is None:
            code, params = problem
            self.outcome.problems.append(
                Problem(
                    line=record.line,
                    column=self.parser.header(Field.ESTATE_NUMBER) or self.parser.header(Field.ESTATE_NAME),
                    code=code,
                    params=params,
                    level=ERROR,
                )
            )
        return pk, True

    def guess(self, tenancy_number: str) -> int | None:
        """For a tenancy not found in any estate: '101-0001' hints estate 101; one estate is the only choice."""
        prefix = tenancy_number_prefix(tenancy_number)
        if prefix:
            pk = self.by_key.get(estate_number_key(prefix))
            if pk:
                return pk
        return self.only

    def _create(self, record: Record) -> int:
        estate = estate_create(
            organisation=self.organisation,
            area=self.area,
            number=record.estate_number,
            name=record.estate_name or record.estate_number,
        )
        self.by_key[estate_number_key(estate.number)] = estate.pk
        self.ids.append(estate.pk)
        self.only = None
        self.outcome.problems.append(
            Problem(
                line=record.line,
                column=self.parser.header(Field.ESTATE_NUMBER),
                code="estate_created",
                params={"number": estate.number},
                level=WARNING,
            )
        )
        return estate.pk


def _kept_problems(*, line: int, parser: RowParser, fields: list[str]) -> list[Problem]:
    """A coordinator corrected these details by hand: the file's different value is not used."""
    return [
        Problem(
            line=line,
            column=parser.header(field),
            code="kept_correction",
            params={"field": field},
            level=WARNING,
        )
        for field in fields
    ]


def _nearest(*, day: datetime.date, known: list[tuple[datetime.date, Any]]) -> tuple[Any, bool]:
    """(newcomer, tie): the known newcomer (date before this import, row) a line dated `day` is about.

    Its own date, else the nearest within IMPORT_MOVE_IN_CORRECTION_DAYS; (None, True) when two are
    equally near, (None, False) when none is. The same rule as the PostgreSQL path's `lines_match`.
    """
    window = settings.IMPORT_MOVE_IN_CORRECTION_DAYS
    near = sorted(
        (abs((before - day).days), row.pk, row) for before, row in known if abs((before - day).days) <= window
    )
    if not near:
        return None, False
    if len(near) > 1 and near[0][0] == near[1][0]:
        return None, True
    return near[0][2], False


def _move_in_corrected_problem(*, line: int, parser: RowParser, before: datetime.date, after: datetime.date) -> Problem:
    return Problem(
        line=line,
        column=parser.header(Field.MOVE_IN_DATE),
        code="move_in_corrected",
        params={"before": before.isoformat(), "after": after.isoformat()},
        level=WARNING,
    )


def _tie_problem(*, line: int, parser: RowParser) -> Problem:
    return Problem(
        line=line,
        column=parser.header(Field.MOVE_IN_DATE),
        code="tie",
        level=ERROR,
    )


def _held_problem(*, line: int, parser: RowParser, held_by: int) -> Problem:
    return Problem(
        line=line,
        column=parser.header(Field.MOVE_IN_DATE),
        code="held",
        params={"line": held_by},
        level=ERROR,
    )


# --- The plain path (SQLite and any other database) -------------------------------------------------


class _PlainWriter:
    """bulk_create/bulk_update per chunk: a fixed handful of queries per chunk, none per line."""

    def __init__(self, *, parser: RowParser, estates: Estates, outcome: ImportOutcome, listed_on: datetime.date):
        self.parser = parser
        self.estates = estates
        self.outcome = outcome
        self.listed_on = listed_on
        # (tenancy id, move-in date) → first line, to skip a line repeated later in the same file.
        self.seen: dict[tuple[int, datetime.date], int] = {}
        # Lines are matched against the newcomers as they were before the file (as on PostgreSQL): the
        # ones this import created are not known yet, the ones it corrected keep their former date.
        self.created: set[tuple[int, datetime.date]] = set()
        self.moved: dict[int, datetime.date] = {}
        # Newcomer id → the line that matched it first; a later line matching it is refused.
        self.held: dict[int, int] = {}

    def run(self, chunks: Iterator[list[Record]], progress: Callable[[int], None] | None) -> None:
        for chunk in chunks:
            self.chunk_apply(chunk)
            if progress:
                progress(self.outcome.rows)

    def problem(self, record: Record, field: str, code: str) -> None:
        self.outcome.problems.append(
            Problem(line=record.line, column=self.parser.header(field), code=code, level=ERROR)
        )

    def chunk_apply(self, chunk: list[Record]) -> None:
        placed = self._estates_place(chunk)
        with_tenancy = self._tenancies_find_or_create(placed)
        self._newcomers_write(with_tenancy)

    def _estates_place(self, chunk: list[Record]) -> list[tuple[Record, int]]:
        placed: list[tuple[Record, int]] = []
        unplaced: list[Record] = []
        for record in chunk:
            pk, named = self.estates.named(record)
            if pk is not None:
                placed.append((record, pk))
            elif not named:
                unplaced.append(record)
        if unplaced:
            found: dict[str, set[int]] = {}
            for number, estate_id in Tenancy.objects.filter(
                estate_id__in=self.estates.ids, number__in={r.tenancy_number for r in unplaced}
            ).values_list("number", "estate_id"):
                found.setdefault(number, set()).add(estate_id)
            for record in unplaced:
                estate_ids = found.get(record.tenancy_number, set())
                if len(estate_ids) > 1:
                    self.problem(record, Field.TENANCY_NUMBER, "estate_ambiguous")
                    continue
                pk = next(iter(estate_ids)) if estate_ids else self.estates.guess(record.tenancy_number)
                if pk is None:
                    self.problem(record, Field.TENANCY_NUMBER, "estate_unknown")
                else:
                    placed.append((record, pk))
        return placed

    def _tenancies_find_or_create(self, placed: list[tuple[Record, int]]) -> list[tuple[Record, int]]:
        if not placed:
            return []
        tenancies = tenancies_bulk_create(
            tenancies=[
                NewTenancy(
                    estate_id=estate_id,
                    number=record.tenancy_number,
                    street=record.street,
                    house_number=record.house_number,
                    floor=record.floor,
                    door=record.door,
                    postcode=record.postcode,
                    city=record.city,
                )
                for record, estate_id in placed
            ],
            fast=False,
        )
        result = []
        for record, estate_id in placed:
            pk = tenancies.get((estate_id, record.tenancy_number))
            if pk is None:
                self.problem(record, Field.ADDRESS if self.parser.header(Field.ADDRESS) else Field.STREET, "no_address")
            else:
                result.append((record, pk))
        return result

    def _newcomers_write(self, rows: list[tuple[Record, int]]) -> None:
        if not rows:
            return
        known: dict[int, list[tuple[datetime.date, Newcomer]]] = {}
        # All of each tenancy's newcomers (a handful over the years): a corrected one may have moved.
        for newcomer in Newcomer.objects.filter(tenancy_id__in={tenancy_id for _r, tenancy_id in rows}).only(
            "id", "tenancy_id", "move_in_date", "anonymised_at", "corrected_fields", *UPDATABLE
        ):
            if (newcomer.tenancy_id, newcomer.move_in_date) in self.created:
                continue
            before = self.moved.get(newcomer.pk, newcomer.move_in_date)
            known.setdefault(newcomer.tenancy_id, []).append((before, newcomer))
        now = timezone.now()
        to_create: list[Newcomer] = []
        to_update: list[Newcomer] = []
        changed_fields: set[str] = set()
        moved_ids: list[int] = []
        for record, tenancy_id in rows:
            key = (tenancy_id, record.move_in_date)
            first_line = self.seen.get(key)
            if first_line is not None:
                self.outcome.problems.append(
                    Problem(line=record.line, column="", code="duplicate", params={"line": first_line}, level=WARNING)
                )
                continue
            self.seen[key] = record.line
            newcomer, tie = _nearest(day=record.move_in_date, known=known.get(tenancy_id, []))
            if tie:
                self.outcome.problems.append(_tie_problem(line=record.line, parser=self.parser))
                continue
            if newcomer is None:
                self.created.add(key)
                to_create.append(
                    Newcomer(
                        tenancy_id=tenancy_id,
                        move_in_date=record.move_in_date,
                        name=record.name,
                        phone=record.phone,
                        email=record.email,
                        language=record.language,
                        listed_on=self.listed_on,
                        created_at=now,
                        updated_at=now,
                    )
                )
                continue
            held_by = self.held.setdefault(newcomer.pk, record.line)
            if held_by != record.line:
                self.outcome.problems.append(_held_problem(line=record.line, parser=self.parser, held_by=held_by))
                continue
            changed = self._compare(record, newcomer)
            if not changed:
                self.outcome.unchanged += 1
                continue
            if "move_in_date" in changed:
                self.moved[newcomer.pk] = newcomer.move_in_date
                moved_ids.append(newcomer.pk)
            for f in changed:
                setattr(newcomer, f, getattr(record, f))
            newcomer.updated_at = now
            changed_fields.update(changed)
            to_update.append(newcomer)
            self.outcome.changes.append(Change(line=record.line, newcomer_id=newcomer.pk, fields=changed))
        if to_create:
            Newcomer.objects.bulk_create(to_create)
            self.outcome.created += len(to_create)
        if to_update:
            Newcomer.objects.bulk_update(to_update, [*sorted(changed_fields), "updated_at"])
            self.outcome.updated += len(to_update)
            move_in_corrected_notify(newcomer_ids=moved_ids)

    def _compare(self, record: Record, newcomer: Newcomer) -> list[str]:
        """The fields the line changes on its newcomer; the coordinator's corrections kept are reported.

        An empty cell is "not given", never "erase": a list without e-mails keeps the ones we have.
        `listed_on` is never touched: the first list that named the household is the day we knew.
        An anonymised newcomer (retention or erasure) is never filled in again, nor its date corrected.
        """
        if newcomer.anonymised_at is not None:
            return []
        changed = []
        if record.move_in_date != newcomer.move_in_date:
            changed.append("move_in_date")
            self.outcome.problems.append(
                _move_in_corrected_problem(
                    line=record.line, parser=self.parser, before=newcomer.move_in_date, after=record.move_in_date
                )
            )
        differ = [f for f in UPDATABLE if getattr(record, f) and getattr(record, f) != getattr(newcomer, f)]
        # A coordinator's correction beats the list: their value stays, and the report says so.
        kept = [f for f in differ if f in newcomer.corrected_fields]
        self.outcome.problems.extend(_kept_problems(line=record.line, parser=self.parser, fields=kept))
        return changed + [f for f in differ if f not in kept]


# --- The PostgreSQL path ----------------------------------------------------------------------------

_STAGING = "newcomer_import_staging"
_KEYED = "newcomer_import_keyed"
_NEW_TENANCIES = "newcomer_import_new_tenancies"
_MATCHED = "newcomer_import_matched"
_STAGING_COLUMNS = (
    "line",
    "estate_id",
    "guess_estate_id",
    "tenancy_number",
    "move_in_date",
    "name",
    "phone",
    "email",
    "language",
    "street",
    "house_number",
    "floor",
    "door",
    "postcode",
    "city",
)


_STAGING_TYPES = ["int4", "int8", "int8", "text", "date"] + ["text"] * 10


class _PostgresWriter:
    """COPY the checked lines into a temporary table, then a fixed number of set-based statements.

    The staging table is written once and then only read: each UPDATE of 100,000 staging rows would
    rewrite them all (MVCC), so ids found by joins go into a second, narrow table instead.
    """

    def __init__(self, *, parser: RowParser, estates: Estates, outcome: ImportOutcome, listed_on: datetime.date):
        self.parser = parser
        self.estates = estates
        self.outcome = outcome
        self.listed_on = listed_on
        self.tables = {
            "tenancy": Tenancy._meta.db_table,
            "newcomer": Newcomer._meta.db_table,
            "staging": _STAGING,
            "keyed": _KEYED,
            "new_tenancies": _NEW_TENANCIES,
            "matched": _MATCHED,
        }
        self.unplaced = False  # any line without an estate column value, to be placed by tenancy number

    def sql(self, cursor, statement: str, params: list | tuple = ()) -> int:
        cursor.execute(statement.format(**self.tables), params)
        return cursor.rowcount

    def run(self, chunks: Iterator[list[Record]], progress: Callable[[int], None] | None) -> None:
        with connection.cursor() as cursor:
            # Room to sort and hash 100,000 lines in memory rather than in temporary files; this
            # transaction only.
            self.sql(cursor, "SET LOCAL work_mem = '64MB'")
            # Compiling these one-off statements to machine code (JIT) costs more than it saves.
            self.sql(cursor, "SET LOCAL jit = off")
            self.staging_create(cursor)
            for chunk in chunks:
                self.staging_load(cursor, chunk)
                if progress:
                    progress(self.outcome.rows)
            # Autovacuum never analyses a temporary table; the join columns' statistics are what
            # the planner needs to choose hash joins over nested loops.
            self.sql(cursor, "ANALYZE {staging} (estate_id, tenancy_number, move_in_date, problem)")
            if self.unplaced:
                self.estates_place(cursor)
            self.tenancies_create(cursor)
            self.lines_key(cursor)
            self.newcomers_write(cursor)
            self.report(cursor)
            self.sql(cursor, "DROP TABLE {keyed}")
            self.sql(cursor, "DROP TABLE {staging}")

    def staging_create(self, cursor) -> None:
        self.sql(cursor, "DROP TABLE IF EXISTS {new_tenancies}")
        self.sql(cursor, "DROP TABLE IF EXISTS {matched}")
        self.sql(cursor, "DROP TABLE IF EXISTS {keyed}_2")
        self.sql(cursor, "DROP TABLE IF EXISTS {keyed}")
        self.sql(cursor, "DROP TABLE IF EXISTS {staging}")
        # ON COMMIT DROP: the staging table (personal data) never outlives the transaction.
        self.sql(
            cursor,
            """
            CREATE TEMPORARY TABLE {staging} (
                line integer NOT NULL,
                estate_id bigint,
                guess_estate_id bigint,
                tenancy_number text NOT NULL,
                move_in_date date NOT NULL,
                name text NOT NULL,
                phone text NOT NULL,
                email text NOT NULL,
                language text NOT NULL,
                street text NOT NULL,
                house_number text NOT NULL,
                floor text NOT NULL,
                door text NOT NULL,
                postcode text NOT NULL,
                city text NOT NULL,
                problem text
            ) ON COMMIT DROP
            """,
        )

    def staging_load(self, cursor, chunk: list[Record]) -> None:
        rows = []
        named = self.estates.named
        guess = self.estates.guess
        for record in chunk:
            estate_id, has_estate = named(record)
            if has_estate and estate_id is None:
                continue  # the estate named does not exist: reported by Estates
            if not has_estate:
                self.unplaced = True
            rows.append(
                (
                    record.line,
                    estate_id,
                    None if has_estate else guess(record.tenancy_number),
                    record.tenancy_number,
                    record.move_in_date,
                    record.name,
                    record.phone,
                    record.email,
                    record.language,
                    record.street,
                    record.house_number,
                    record.floor,
                    record.door,
                    record.postcode,
                    record.city,
                )
            )
        if not rows:
            return
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no COPY
        # Binary COPY: about twice as fast to write as text, and nothing to escape.
        with raw.copy(f"COPY {_STAGING} ({', '.join(_STAGING_COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(_STAGING_TYPES)
            for row in rows:
                copy.write_row(row)

    def estates_place(self, cursor) -> None:
        """Lines without an estate column: the estate that has the tenancy number, else the guess.

        Touches only those lines; a file with an estate column skips this step altogether.
        """
        self.sql(
            cursor,
            """
            UPDATE {staging} s
               SET estate_id = CASE WHEN m.estates = 1 THEN m.estate_id ELSE s.guess_estate_id END,
                   problem = CASE WHEN m.estates > 1 THEN 'estate_ambiguous'
                                  WHEN m.estates IS NULL AND s.guess_estate_id IS NULL THEN 'estate_unknown' END
              FROM {staging} s2
              LEFT JOIN (SELECT t.number, min(t.estate_id) AS estate_id, count(*) AS estates
                           FROM {tenancy} t
                          WHERE t.estate_id = ANY(%s)
                          GROUP BY t.number) m ON m.number = s2.tenancy_number
             WHERE s.estate_id IS NULL AND s2.estate_id IS NULL AND s2.line = s.line
            """,
            [self.estates.ids],
        )

    def tenancies_create(self, cursor) -> None:
        """Find each line's tenancy; create the entrances and tenancies the database lacks.

        The first line's address wins when one new tenancy appears on several lines.
        """
        self.sql(
            cursor,
            """
            CREATE TEMPORARY TABLE {keyed} ON COMMIT DROP AS
            SELECT s.line, t.id AS tenancy_id
              FROM {staging} s
              LEFT JOIN {tenancy} t ON t.estate_id = s.estate_id AND t.number = s.tenancy_number
             WHERE s.problem IS NULL
            """,
        )
        self.sql(cursor, "ANALYZE {keyed}")
        # The lines whose tenancy is missing, in the shape organisation's services create tenancies from.
        self.sql(
            cursor,
            """
            CREATE TEMPORARY TABLE {new_tenancies} ON COMMIT DROP AS
            SELECT s.line AS ord, s.estate_id, s.tenancy_number AS number, s.street, s.house_number,
                   s.floor, s.door, s.postcode, s.city
              FROM {keyed} k JOIN {staging} s ON s.line = k.line
             WHERE k.tenancy_id IS NULL
            """,
        )
        self.sql(cursor, "ANALYZE {new_tenancies}")
        created = tenancies_create_from_table(table=_NEW_TENANCIES)
        self.sql(cursor, "DROP TABLE {new_tenancies}")
        if created:
            self.sql(
                cursor,
                """
                UPDATE {keyed} k SET tenancy_id = t.id
                  FROM {staging} s, {tenancy} t
                 WHERE k.tenancy_id IS NULL AND s.line = k.line
                   AND t.estate_id = s.estate_id AND t.number = s.tenancy_number
                """,
            )

    def lines_match(self, cursor) -> None:
        """Each line's newcomer as the database knew it before the file: its own date, else the nearest
        within IMPORT_MOVE_IN_CORRECTION_DAYS (a correction), or a tie (two equally near). The same rule
        as the plain path's `_nearest`; the join on tenancy uses the (tenancy, move-in date) index."""
        self.sql(
            cursor,
            """
            CREATE TEMPORARY TABLE {matched} ON COMMIT DROP AS
            SELECT line, newcomer_id, equally_near > 1 AS tie
              FROM (SELECT k.line, c.id AS newcomer_id,
                           count(*) OVER (PARTITION BY k.line, abs(c.move_in_date - s.move_in_date)) AS equally_near,
                           row_number() OVER (PARTITION BY k.line
                                              ORDER BY abs(c.move_in_date - s.move_in_date), c.id) AS nearness
                      FROM {keyed} k
                      JOIN {staging} s ON s.line = k.line
                      JOIN {newcomer} c ON c.tenancy_id = k.tenancy_id
                       AND c.move_in_date BETWEEN s.move_in_date - %s AND s.move_in_date + %s
                   ) candidates
             WHERE nearness = 1
            """,
            [settings.IMPORT_MOVE_IN_CORRECTION_DAYS] * 2,
        )

    def lines_key(self, cursor) -> None:
        """Each line's known newcomer, the first line with the same key, and what the line changes.

        Empty means "not given" and never erases; what differs is listed so the outcome can say so.
        A newcomer matched by several lines of different dates is held by the first (`held_by`).
        The comparison is made in a subquery so the window's sort carries narrow rows, not names.
        """
        self.lines_match(cursor)
        self.sql(
            cursor,
            """
            CREATE TEMPORARY TABLE {keyed}_2 ON COMMIT DROP AS
            SELECT line, tenancy_id, move_in_date, newcomer_id, tie, before,
                   -- A coordinator's correction beats the list: those fields are kept, and reported.
                   ARRAY(SELECT f FROM unnest(differ) f WHERE NOT corrected ? f) AS changed,
                   ARRAY(SELECT f FROM unnest(differ) f WHERE corrected ? f) AS kept,
                   min(line) OVER (PARTITION BY tenancy_id, move_in_date) AS first_line,
                   min(line) OVER (PARTITION BY newcomer_id) AS held_by
              FROM (SELECT k.line, k.tenancy_id, s.move_in_date, n.id AS newcomer_id,
                           coalesce(m.tie, false) AS tie, n.move_in_date AS before,
                           coalesce(n.corrected_fields, '[]')::jsonb AS corrected,
                           CASE WHEN n.anonymised_at IS NOT NULL THEN ARRAY[]::text[]  -- erased: never refilled
                           ELSE array_remove(ARRAY[
                               CASE WHEN s.move_in_date <> n.move_in_date THEN 'move_in_date' END,
                               CASE WHEN s.name <> '' AND s.name <> n.name THEN 'name' END,
                               CASE WHEN s.phone <> '' AND s.phone <> n.phone THEN 'phone' END,
                               CASE WHEN s.email <> '' AND s.email <> n.email THEN 'email' END,
                               CASE WHEN s.language <> '' AND s.language <> n.language THEN 'language' END
                           ], NULL) END AS differ
                      FROM {keyed} k
                      JOIN {staging} s ON s.line = k.line
                      LEFT JOIN {matched} m ON m.line = k.line
                      LEFT JOIN {newcomer} n ON n.id = m.newcomer_id AND NOT m.tie
                   ) compared
            """,
        )
        self.sql(cursor, "DROP TABLE {matched}")
        self.sql(cursor, "DROP TABLE {keyed}")
        self.sql(cursor, "ALTER TABLE {keyed}_2 RENAME TO {keyed}")
        self.sql(cursor, "ANALYZE {keyed}")

    def newcomers_write(self, cursor) -> None:
        # The first line of its key, not a tie, and holding its newcomer (if it has one).
        applied = (
            "k.tenancy_id IS NOT NULL AND k.first_line = k.line AND NOT k.tie"
            " AND (k.newcomer_id IS NULL OR k.held_by = k.line)"
        )
        # The app's clock, not the database server's now(): time comes from one place (timezone.now).
        now = timezone.now()
        # A corrected date never collides with another newcomer's: no newcomer of the tenancy had it, and
        # only the first line with that date is applied.
        self.sql(
            cursor,
            """
            UPDATE {newcomer} n
               SET move_in_date = CASE WHEN 'move_in_date' = ANY(k.changed) THEN s.move_in_date
                                       ELSE n.move_in_date END,
                   name = CASE WHEN 'name' = ANY(k.changed) THEN s.name ELSE n.name END,
                   phone = CASE WHEN 'phone' = ANY(k.changed) THEN s.phone ELSE n.phone END,
                   email = CASE WHEN 'email' = ANY(k.changed) THEN s.email ELSE n.email END,
                   language = CASE WHEN 'language' = ANY(k.changed) THEN s.language ELSE n.language END,
                   updated_at = %s
              FROM {keyed} k JOIN {staging} s ON s.line = k.line
             WHERE n.id = k.newcomer_id AND cardinality(k.changed) > 0 AND """
            + applied
            + """
            RETURNING n.id, 'move_in_date' = ANY(k.changed)
            """,
            [now],
        )
        updated = cursor.fetchall()
        self.outcome.updated += len(updated)
        move_in_corrected_notify(newcomer_ids=[pk for pk, moved in updated if moved])
        # A known newcomer keeps its listed_on: the UPDATE above does not name it, and ON CONFLICT does nothing.
        self.outcome.created += self.sql(
            cursor,
            """
            INSERT INTO {newcomer}
                   (created_at, updated_at, tenancy_id, move_in_date, listed_on, name, phone, email, language,
                    do_not_contact, corrected_fields)
            SELECT %s, %s, k.tenancy_id, s.move_in_date, %s, s.name, s.phone, s.email, s.language, false,
                   '[]'::jsonb
              FROM {keyed} k JOIN {staging} s ON s.line = k.line
             WHERE k.newcomer_id IS NULL AND """
            + applied
            + """
            ON CONFLICT (tenancy_id, move_in_date) DO NOTHING
            """,
            [now, now, self.listed_on],
        )

    def report(self, cursor) -> None:
        held = "newcomer_id IS NOT NULL AND first_line = line AND held_by = line"
        self.sql(cursor, "SELECT count(*) FROM {keyed} WHERE " + held + " AND cardinality(changed) = 0")
        self.outcome.unchanged += cursor.fetchone()[0]
        self.sql(
            cursor,
            "SELECT line, newcomer_id, changed, before, move_in_date FROM {keyed} WHERE "
            + held
            + " AND cardinality(changed) > 0",
        )
        for line, pk, changed, before, after in cursor.fetchall():
            self.outcome.changes.append(Change(line=line, newcomer_id=pk, fields=list(changed)))
            if "move_in_date" in changed:
                self.outcome.problems.append(
                    _move_in_corrected_problem(line=line, parser=self.parser, before=before, after=after)
                )
        self.sql(cursor, "SELECT line, kept FROM {keyed} WHERE " + held + " AND cardinality(kept) > 0")
        for line, kept in cursor.fetchall():
            self.outcome.problems.extend(_kept_problems(line=line, parser=self.parser, fields=list(kept)))
        self.sql(
            cursor,
            """
            SELECT line, problem, NULL FROM {staging} WHERE problem IS NOT NULL
            UNION ALL
            SELECT line, CASE WHEN tenancy_id IS NULL THEN 'no_address' WHEN first_line <> line THEN 'duplicate'
                              WHEN tie THEN 'tie' ELSE 'held' END,
                   CASE WHEN first_line <> line THEN first_line ELSE held_by END
              FROM {keyed}
             WHERE tenancy_id IS NULL OR first_line <> line OR tie OR (newcomer_id IS NOT NULL AND held_by <> line)
            """,
        )
        address_column = self.parser.header(Field.ADDRESS) or self.parser.header(Field.STREET)
        for line, code, other_line in cursor.fetchall():
            if code == "duplicate":
                problem = Problem(line=line, column="", code="duplicate", params={"line": other_line}, level=WARNING)
            elif code == "tie":
                problem = _tie_problem(line=line, parser=self.parser)
            elif code == "held":
                problem = _held_problem(line=line, parser=self.parser, held_by=other_line)
            else:
                column = address_column if code == "no_address" else self.parser.header(Field.TENANCY_NUMBER)
                problem = Problem(line=line, column=column, code=code, level=ERROR)
            self.outcome.problems.append(problem)
