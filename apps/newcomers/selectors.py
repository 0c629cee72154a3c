"""Reads of the newcomers app used by the import pages."""

from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db.models import QuerySet

from apps.newcomers.importing import (
    Field,
    ImportOutcome,
    ImportRefused,
    SourceTable,
    cpr_columns,
    newcomers_import,
    preview_rows,
    table_open,
)
from apps.newcomers.importing.mapping import remembered_headers
from apps.newcomers.models import ImportRun
from apps.organisation.models import Area

# The preview shows this many lines; the counts above it cover the whole file.
PREVIEW_LINES = 50
# A column's example value is the first one filled within this many lines.
EXAMPLE_LINES = 20


def import_runs_in_area(*, area: Area) -> QuerySet[ImportRun]:
    """The history page: one query whatever the number of runs, and never the stored files."""
    return (
        ImportRun.objects.filter(area=area)
        .select_related("organisation", "uploaded_by")
        .defer("source", "headers", "mapping", "detected", "dropped_columns")
        .order_by("-created_at", "-pk")
    )


def import_run_table(*, run: ImportRun) -> SourceTable:
    """The file of a run waiting for confirmation, opened as it was on upload (it was checked then)."""
    return table_open(
        data=bytes(run.source), filename=run.filename, known_headers=frozenset(remembered_headers(run.organisation))
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
    outcome: ImportOutcome | None = None
    refused: str = ""  # why there is no preview (the mapping cannot work)


def import_preview(
    *, run: ImportRun, table: SourceTable, mapping: dict[int, str], create_estates: bool
) -> ImportPreview:
    """A dry run of the whole file (written, then rolled back) so the counts are what confirming gives."""
    try:
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
    changes = {change.line: [Field(name).label for name in change.fields] for change in outcome.changes}
    for row in rows:
        row["changes"] = changes.get(row["line"], [])
    return ImportPreview(rows=rows, outcome=outcome)
