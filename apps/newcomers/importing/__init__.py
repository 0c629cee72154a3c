"""Importing move-in lists (tilflytterlister) from housing organisations: CSV or XLSX, messy, no data lost.

The public API; views, services and the command line use only these names:

    table = table_open(data=..., filename=...)          # refuses bad files with ImportRefused
    stored = table_store(table, cpr=...)                # an upload read once, CPR numbers blanked
    mapping = mapping_propose(headers=table.headers, organisation=org)
    preview = preview_rows(table=table, mapping=mapping, organisation=org)
    outcome = newcomers_import(table=table, mapping=mapping, organisation=org, area=area)
"""

from apps.newcomers.importing.fields import Field
from apps.newcomers.importing.mapping import cpr_columns, mapping_propose
from apps.newcomers.importing.outcome import Change, ImportOutcome, ImportRefused, Problem
from apps.newcomers.importing.reader import SourceTable, table_open, table_store, table_stored
from apps.newcomers.importing.writer import newcomers_import, preview_rows

__all__ = [
    "Change",
    "Field",
    "ImportOutcome",
    "ImportRefused",
    "Problem",
    "SourceTable",
    "cpr_columns",
    "mapping_propose",
    "newcomers_import",
    "preview_rows",
    "table_open",
    "table_store",
    "table_stored",
]
