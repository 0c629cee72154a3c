"""Reads of the newcomers app used by the import pages."""

from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from apps.newcomers.importing import (
    Field,
    ImportOutcome,
    ImportRefused,
    SourceTable,
    cpr_columns,
    newcomers_import,
    preview_rows,
    table_stored,
)
from apps.newcomers.models import ImportRun
from apps.organisation.models import Area

# The preview shows this many lines; the counts above it cover the whole file.
PREVIEW_LINES = 50
# A column's example value is the first one filled within this many lines.
EXAMPLE_LINES = 20
# The trial run behind the preview's counts takes about 1 s per 8,000 lines (PostgreSQL, 2026). Longer
# files are previewed by their first lines only, so the page never nears a proxy's 30 s timeout; their
# counts come with the import itself.
PREVIEW_DRY_RUN_MAX_ROWS = 25_000


def import_runs_in_area(*, area: Area) -> QuerySet[ImportRun]:
    """The history page: one query whatever the number of runs, and never the stored files."""
    return (
        ImportRun.objects.filter(area=area)
        .select_related("organisation", "uploaded_by")
        .defer("source", "headers", "mapping", "detected", "dropped_columns")
        .order_by("-created_at", "-pk")
    )


def import_run_source(*, run: ImportRun) -> bytes | None:
    """The uploaded file of a run not yet processed (None once processed), read in binary."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, binary_cursor(cursor) as raw:
            raw.execute(f"SELECT source FROM {ImportRun._meta.db_table} WHERE id = %s", [run.pk], binary=True)
            row = raw.fetchone()
        return None if row is None or row[0] is None else bytes(row[0])
    source = ImportRun.objects.filter(pk=run.pk).values_list("source", flat=True).first()
    return None if source is None else bytes(source)


def binary_cursor(cursor):
    """A server-side-binding psycopg cursor on Django's connection (Django's own binds on the client)."""
    import psycopg

    return psycopg.Cursor(cursor.connection)


def import_run_table(*, run: ImportRun) -> SourceTable:
    """The stored rows of a run as read on upload: the pages and the worker never read the original file
    again, so they see the same header row and columns, and no CPR number."""
    return table_stored(
        data=import_run_source(run=run) or b"", filename=run.filename, headers=run.headers, detected=run.detected
    )


@dataclass
class ImportColumns:
    """What the mapping form needs to know about the file's columns."""

    cpr: set[int]
    examples: dict[int, str]


def import_columns(*, table: SourceTable, mapping: dict[int, str]) -> ImportColumns:
    """The columns that hold CPR numbers (never offered), and one example value for each other column."""
    cpr = set(cpr_columns(table=table, mapping=mapping))
    examples: dict[int, str] = {}
    for _line, values in islice(table.rows(), EXAMPLE_LINES):
        for index, value in enumerate(values):
            if index not in cpr and index not in examples and value not in (None, ""):
                examples[index] = str(value)
    return ImportColumns(cpr=cpr, examples=examples)


@dataclass
class ImportPreview:
    """The first lines as the mapping reads them, and a dry run's counts for the whole file."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    outcome: ImportOutcome | None = None  # None: the file is too long for a trial run in the request
    refused: str = ""  # why there is no preview (the mapping cannot work)


def import_preview(
    *, run: ImportRun, table: SourceTable, mapping: dict[int, str], create_estates: bool
) -> ImportPreview:
    """A dry run of the whole file (written, then rolled back) so the counts are what confirming gives."""
    try:
        outcome = None
        if run.total_rows <= PREVIEW_DRY_RUN_MAX_ROWS:
            outcome = newcomers_import(
                table=table,
                mapping=mapping,
                organisation=run.organisation,
                area=run.area,
                create_estates=create_estates,
                dry_run=True,
            )
        rows = preview_rows(
            table=table, mapping=mapping, organisation=run.organisation, limit=PREVIEW_LINES, outcome=outcome
        )
    except ImportRefused as refused:
        return ImportPreview(refused=refused.message)
    changes = {c.line: [Field(name).label for name in c.fields] for c in (outcome.changes if outcome else [])}
    for row in rows:
        row["changes"] = changes.get(row["line"], [])
    return ImportPreview(rows=rows, outcome=outcome)
