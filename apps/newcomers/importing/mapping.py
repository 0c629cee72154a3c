"""Which column is which: the proposal (remembered per organisation, then the Danish header names) and CPR."""

from itertools import islice

from apps.newcomers.importing.fields import HEADER_ALIASES, Field, header_is_cpr, header_normalise
from apps.newcomers.importing.normalise import cpr_like
from apps.newcomers.importing.reader import SourceTable

# Enough rows to see what a column holds without reading a large file twice.
CPR_SAMPLE_ROWS = 500
# A column is CPR when at least this share of its filled cells in the sample look like CPR numbers.
CPR_SHARE = 0.5

# Ten plain digits are often a tenancy or phone number that happens to start with a date, so in
# columns whose header names one of these, only the dashed form ddmmyy-xxxx counts as CPR.
_DIGIT_FIELDS = {Field.TENANCY_NUMBER, Field.PHONE, Field.ESTATE_NUMBER, Field.POSTCODE, Field.HOUSE_NUMBER}


def remembered_headers(organisation) -> dict[str, str]:
    """The organisation's remembered mapping: normalised header → field ("" = deliberately not imported)."""
    from apps.newcomers.models import ColumnMapping

    if organisation is None:
        return {}
    mapping = ColumnMapping.objects.filter(organisation=organisation).values_list("headers", flat=True).first()
    return mapping or {}


def mapping_propose(*, headers: list[str], organisation, remembered: dict[str, str] | None = None) -> dict[int, str]:
    """Column index → field for the columns recognised; CPR-like headers are never proposed."""
    if remembered is None:
        remembered = remembered_headers(organisation)
    proposal: dict[int, str] = {}
    for index, header in enumerate(headers):
        key = header_normalise(header)
        if not key or header_is_cpr(key):
            continue
        field = remembered[key] if key in remembered else HEADER_ALIASES.get(key, "")
        if field in Field.values:
            proposal[index] = field
    return proposal


def cpr_columns(*, table: SourceTable, mapping: dict[int, str] | None = None) -> list[int]:
    """Indexes of columns whose header or values look like CPR numbers: these are dropped, whatever the mapping."""
    # A stored table knows its CPR columns from the upload (their values are gone since).
    found = set(table.cpr) | {index for index, header in enumerate(table.headers) if header_is_cpr(header)}
    filled: dict[int, int] = {}
    cpr: dict[int, int] = {}
    for _line, values in islice(table.rows(), CPR_SAMPLE_ROWS):
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            filled[index] = filled.get(index, 0) + 1
            if cpr_like(value, plain_digits=not _digit_column(table, mapping, index)):
                cpr[index] = cpr.get(index, 0) + 1
    found.update(index for index, count in cpr.items() if count >= CPR_SHARE * filled[index])
    return sorted(found)


def _digit_column(table: SourceTable, mapping: dict[int, str] | None, index: int) -> bool:
    field = (mapping or {}).get(index)
    if field is None and index < len(table.headers):
        field = HEADER_ALIASES.get(header_normalise(table.headers[index]))
    return field in _DIGIT_FIELDS
