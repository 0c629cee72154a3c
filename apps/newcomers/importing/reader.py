"""Opening a move-in list: CSV in whatever encoding and delimiter it came in, or an Excel workbook.

Everything that makes the whole file unusable is refused here, before anything is written, with a
message the coordinator can act on. Rows are streamed, never loaded all at once, so memory does not
grow with the file.

An upload is read once, within bounds (columns, cells, seconds: a small file can hold millions of
cells), into the form it is kept in until it is imported (`table_store`): CSV with every CPR-like cell
blanked, so no CPR number is ever stored and the pages never read the original file again.
"""

import codecs
import csv
import io
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from apps.newcomers.importing.fields import HEADER_ALIASES, header_is_cpr, header_normalise
from apps.newcomers.importing.normalise import cpr_redact, text_clean
from apps.newcomers.importing.outcome import ImportRefused

CSV = "csv"
XLSX = "xlsx"
# The upload as kept until it is imported: see table_store.
STORED = "stored"

# The header is looked for among this many records at the top (title rows and blank rows come first).
HEADER_SEARCH_ROWS = 30
# Enough text to tell the delimiter and see the header; cut at a line end.
SNIFF_BYTES = 64 * 1024
DELIMITERS = (";", "\t", ",")  # on a tie the first wins: Danish Excel writes semicolons

# An xlsx is a ZIP of XML; real ones expand 5–20 times. A bomb expands hundreds or thousands of times.
XLSX_MAX_RATIO = 100
XLSX_MAX_UNCOMPRESSED_FACTOR = 20  # × TENANT_IMPORT_MAX_BYTES, absolute cap on the expanded size
XLSX_MAX_MEMBERS = 10_000

# Signatures of files people rename to .csv by mistake; each gets the generic "not CSV or Excel" answer,
# the old binary Excel format a more helpful one.
_BINARY_SIGNATURES = (
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"%PDF",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
    b"BM",
    b"RIFF",
    b"\x00\x00\x01\x00",
    b"MZ",
    b"\x7fELF",
)
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_SEP_HINT = re.compile(r'^"?sep=(.)"?\s*$', re.IGNORECASE)
# One entry of an xlsx's shared strings table (<si>, or <x:si> with a namespace prefix).
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")
# The clock is read once per this many records.
DEADLINE_EVERY = 256


def max_bytes() -> int:
    return settings.TENANT_IMPORT_MAX_BYTES


def max_columns() -> int:
    return settings.TENANT_IMPORT_MAX_COLUMNS


def max_cells() -> int:
    return settings.TENANT_IMPORT_MAX_CELLS


@dataclass
class SourceTable:
    """A move-in list whose format and header row are known. `rows()` streams the data rows."""

    data: bytes = field(repr=False)
    filename: str
    kind: str
    headers: list[str]
    header_line: int
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    # Set while an upload is read (time.monotonic()): reading stops there, and at too many columns or cells.
    deadline: float | None = None
    # Columns found to hold CPR numbers on upload (their values are gone from a stored table).
    cpr: tuple[int, ...] = ()
    # A stored table's original format (CSV or XLSX), as shown to the coordinator.
    original_kind: str = ""
    # Lines before this one (a "sep=;" hint) are not part of the table at all.
    _skip_lines: int = 0

    @property
    def detected(self) -> dict[str, Any]:
        """What was detected, as stored on the import run and shown to the coordinator."""
        return {
            "kind": self.original_kind or self.kind,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "header_line": self.header_line,
            "sheet": self.sheet,
            "cpr_columns": list(self.cpr),
        }

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(line number as in the file, cell values) for every non-blank line below the header."""
        if self.kind == STORED:
            yield from _stored_records(self)  # only the data rows were stored
            return
        records = _csv_records(self) if self.kind == CSV else _xlsx_records(self)
        if self.deadline is not None:
            records = _bounded(records, self.deadline)
        for line, values in records:
            if line > self.header_line and not _blank(values):
                yield line, values

    def row_count(self) -> int:
        return sum(1 for _row in self.rows())


def table_open(
    *,
    data: bytes,
    filename: str,
    known_headers: set[str] | frozenset[str] = frozenset(),
    bounded: bool = False,
) -> SourceTable:
    """Detect the format, encoding, delimiter and header row; refuse what cannot be imported at all.

    `known_headers` (normalised) are headers an organisation's remembered mapping knows, so files
    with headers only that organisation uses are still recognised. `bounded` (an upload): from now on
    every reading of the table counts against TENANT_IMPORT_PARSE_SECONDS, and a file wider than
    TENANT_IMPORT_MAX_COLUMNS or with more than TENANT_IMPORT_MAX_CELLS cells is refused.
    """
    deadline = time.monotonic() + settings.TENANT_IMPORT_PARSE_SECONDS if bounded else None
    if _empty(data):
        raise ImportRefused("empty")
    if len(data) > max_bytes():
        raise ImportRefused("too_large", size=len(data), limit=max_bytes())
    if data.startswith(_ZIP_SIGNATURES):
        table = _xlsx_open(data, filename, known_headers, deadline)
    elif data.startswith(_OLE2_SIGNATURE):
        raise ImportRefused("old_excel")
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportRefused("not_a_workbook")
    else:
        table = _csv_open(data, filename, known_headers)
    if deadline is not None:
        table.deadline = deadline
        table.headers = _headers_bounded(table.headers)
    if next(table.rows(), None) is None:
        raise ImportRefused("no_rows")
    return table


# --- CSV --------------------------------------------------------------------------------------------


def _csv_open(data: bytes, filename: str, known_headers) -> SourceTable:
    if data.startswith(_BINARY_SIGNATURES):
        raise ImportRefused("not_csv_or_excel")
    encoding = _encoding_detect(data)
    sample = _decoded_sample(data, encoding)
    if _looks_binary(sample):
        raise ImportRefused("not_csv_or_excel")

    skip_lines = 0
    first_line = sample.split("\n", 1)[0].strip("\r")
    hint = _SEP_HINT.match(first_line)
    if hint:
        # Excel's own "sep=;" first line names the delimiter outright.
        delimiters: tuple[str, ...] = (hint.group(1),)
        skip_lines = 1
        sample = sample.split("\n", 1)[1] if "\n" in sample else ""
    else:
        delimiters = DELIMITERS

    best = None
    for delimiter in delimiters:
        records = list(_numbered(csv.reader(io.StringIO(sample), delimiter=delimiter), first_line=1 + skip_lines))
        found = _header_find(records[:HEADER_SEARCH_ROWS], known_headers)
        score = (found[0] if found else 0, _consistency(records))
        if best is None or score > best[0]:
            best = (score, delimiter, found)
    (alias_score, _consistent), delimiter, found = best
    if not found or alias_score == 0:
        raise ImportRefused("no_columns")
    _score, header_line, headers = found
    return SourceTable(
        data=data,
        filename=filename,
        kind=CSV,
        headers=headers,
        header_line=header_line,
        encoding=encoding,
        delimiter=delimiter,
        _skip_lines=skip_lines,
    )


def _encoding_detect(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text" export
    # Decode in slices so a 20 MB file is checked without a second 20 MB copy in memory.
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), 1 << 20):
                decoder.decode(data[start : start + (1 << 20)])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    # Not UTF-8, and bytes that Windows-1252 leaves undefined: this is no text file.
    raise ImportRefused("not_csv_or_excel")


def _decoded_sample(data: bytes, encoding: str) -> str:
    head = data[:SNIFF_BYTES]
    text = head.decode(encoding, errors="ignore")
    if len(data) > SNIFF_BYTES and "\n" in text:
        text = text[: text.rfind("\n") + 1]  # a cut line would look like a ragged record
    return text


def _looks_binary(sample: str) -> bool:
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls > max(1, len(sample) // 100)


def _consistency(records: list[tuple[int, list[str]]]) -> int:
    """How many records share the most common field count (above one): a tie-breaker between delimiters."""
    counts: dict[int, int] = {}
    for _line, values in records:
        if len(values) > 1:
            counts[len(values)] = counts.get(len(values), 0) + 1
    return max(counts.values(), default=0)


def _numbered(reader, *, first_line: int) -> Iterator[tuple[int, list[str]]]:
    """csv records with the line number (as in the file) each one starts on; quoted newlines counted."""
    previous = 0
    for values in reader:
        yield first_line + previous, values
        previous = reader.line_num


def _csv_records(table: SourceTable) -> Iterator[tuple[int, list[str]]]:
    stream = io.TextIOWrapper(io.BytesIO(table.data), encoding=table.encoding, errors="replace", newline="")
    for _skipped in range(table._skip_lines):
        stream.readline()
    yield from _numbered(csv.reader(stream, delimiter=table.delimiter), first_line=1 + table._skip_lines)


# --- XLSX -------------------------------------------------------------------------------------------


def _xlsx_open(data: bytes, filename: str, known_headers, deadline: float | None) -> SourceTable:
    _zip_check(data, deadline)
    workbook = _workbook_load(data, deadline)
    try:
        # The active sheet first; a workbook whose first sheet is a cover page still finds its list.
        sheets = [workbook.active] + [ws for ws in workbook.worksheets if ws is not workbook.active]
        for sheet in sheets:
            records = []
            for line, values in _sheet_records(sheet):
                records.append((line, values))
                if len(records) >= HEADER_SEARCH_ROWS:
                    break
            found = _header_find(records, known_headers)
            if found:
                _score, header_line, headers = found
                return SourceTable(
                    data=data, filename=filename, kind=XLSX, headers=headers, header_line=header_line, sheet=sheet.title
                )
    except ImportRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds for damaged XML inside a valid ZIP
        raise ImportRefused("damaged_workbook") from exc
    finally:
        workbook.close()
    raise ImportRefused("no_columns")


def _zip_check(data: bytes, deadline: float | None = None) -> None:
    """Refuse damaged ZIPs and ZIP bombs from the ZIP directory alone, before any XML is expanded.

    The sizes in the directory are what zipfile later enforces while reading (it stops at the declared
    size and fails the CRC), so a lying directory cannot expand further than it admits here. An upload
    (`deadline`) also has its shared strings counted before openpyxl loads them all into memory.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportRefused("damaged_workbook") from exc
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise ImportRefused("not_csv_or_excel")
    if "xl/workbook.bin" in names:
        raise ImportRefused("xlsb")
    expanded = sum(member.file_size for member in members)
    if (
        len(members) > XLSX_MAX_MEMBERS
        or expanded > XLSX_MAX_UNCOMPRESSED_FACTOR * max_bytes()
        or expanded > XLSX_MAX_RATIO * len(data)
    ):
        raise ImportRefused("expands", size=expanded)
    if deadline is not None:
        for member in members:
            if member.filename.casefold().endswith("sharedstrings.xml"):
                _shared_strings_check(archive, member, deadline)


def _shared_strings_check(archive: zipfile.ZipFile, member: zipfile.ZipInfo, deadline: float) -> None:
    """Count the shared strings with a byte scan (fast), refusing more than there may be cells.

    Each chunk is cut before its last "<", so no tag is split between two chunks.
    """
    count, tail = 0, b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            buffer = tail + chunk
            cut = buffer.rfind(b"<")
            if cut <= 0:
                cut = len(buffer)
            count += len(_SHARED_STRING.findall(buffer, 0, cut))
            tail = buffer[cut:]
            if count > max_cells():
                raise ImportRefused("too_many_cells", limit=max_cells())
            _deadline_check(deadline)
    count += len(_SHARED_STRING.findall(tail))
    if count > max_cells():
        raise ImportRefused("too_many_cells", limit=max_cells())


class _DeadlineBytes(io.BytesIO):
    """The workbook's bytes, which stop being readable at the deadline.

    openpyxl reads the ZIP members (shared strings, sheets) through this in small pieces, so a
    workbook that takes too long is stopped while it is read, not after.
    """

    def __init__(self, data: bytes, deadline: float):
        super().__init__(data)
        self.deadline = deadline

    def read(self, size: int | None = -1) -> bytes:
        _deadline_check(self.deadline)
        return super().read(size)


def _workbook_load(data: bytes, deadline: float | None = None):
    import openpyxl

    source = io.BytesIO(data) if deadline is None else _DeadlineBytes(data, deadline)
    try:
        # read_only streams the sheet XML row by row instead of building every cell in memory.
        return openpyxl.load_workbook(source, read_only=True, data_only=True)
    except ImportRefused:
        raise
    except Exception as exc:  # InvalidFileException, KeyError, XML errors, zipfile errors
        raise ImportRefused("damaged_workbook") from exc


def _sheet_records(sheet) -> Iterator[tuple[int, list[Any]]]:
    # Some programs write a wrong sheet dimension ("A1:A1"); read-only mode would believe it and stop
    # early, so the dimension is dropped and every row read. min_row=1 and the empty rows that come
    # back for gaps keep the line numbers equal to Excel's row numbers.
    sheet.reset_dimensions()
    for line, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        yield line, list(row)


def _xlsx_records(table: SourceTable) -> Iterator[tuple[int, list[Any]]]:
    workbook = _workbook_load(table.data, table.deadline)
    try:
        yield from _sheet_records(workbook[table.sheet])
    finally:
        workbook.close()


# --- Bounds and the stored form ---------------------------------------------------------------------


def _bounded(records: Iterator[tuple[int, list[Any]]], deadline: float) -> Iterator[tuple[int, list[Any]]]:
    """The records of an upload, refused as a whole at too many columns or cells, or too late."""
    columns, cells = max_columns(), max_cells()
    total = 0
    for count, (line, values) in enumerate(records):
        width = len(values)
        if width > columns:
            # Excel and CSV exports pad rows with empty cells far to the right; only filled ones count.
            while width and (values[width - 1] is None or values[width - 1] == ""):
                width -= 1
            if width > columns:
                raise ImportRefused("too_wide", limit=max_columns())
            values = values[:width]
        total += width
        if total > cells:
            raise ImportRefused("too_many_cells", limit=max_cells())
        if count % DEADLINE_EVERY == 0:
            _deadline_check(deadline)
        yield line, values


def _headers_bounded(headers: list[str]) -> list[str]:
    if len(headers) <= max_columns():
        return headers
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    if width > max_columns():
        raise ImportRefused("too_wide", limit=max_columns())
    return headers[:width]


def _deadline_check(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise ImportRefused("too_slow", seconds=settings.TENANT_IMPORT_PARSE_SECONDS)


def table_store(table: SourceTable, *, cpr: list[int]) -> SourceTable:
    """Read an upload once into the form it is kept in until it is imported, and return that table.

    UTF-8 CSV (semicolons), one record per data row, led by the row's line number in the original
    file so problems still name the line the coordinator sees. The columns in `cpr` are emptied and
    every other cell that looks like a CPR number is blanked, whatever its column: the stored table,
    its previews and its problems can hold no CPR number. Rows are bounded as `table.rows()` is.
    """
    dropped = frozenset(cpr)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    for line, values in table.rows():
        cells = ["" if index in dropped else _stored_cell(value) for index, value in enumerate(values)]
        if not _blank(cells):
            writer.writerow([line, *cells])
    return SourceTable(
        data=buffer.getvalue().encode("utf-8"),
        filename=_stored_cell(table.filename),
        kind=STORED,
        headers=[_stored_cell(header) for header in table.headers],
        header_line=table.header_line,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=_stored_cell(table.sheet),
        cpr=tuple(sorted(dropped)),
        original_kind=table.kind,
    )


def table_stored(*, data: bytes, filename: str, headers: list[str], detected: dict[str, Any]) -> SourceTable:
    """A table kept by table_store, from what the import run holds: nothing is detected again."""
    return SourceTable(
        data=data,
        filename=filename,
        kind=STORED,
        headers=headers,
        header_line=detected.get("header_line", 0),
        encoding=detected.get("encoding", ""),
        delimiter=detected.get("delimiter", ""),
        sheet=detected.get("sheet", ""),
        cpr=tuple(detected.get("cpr_columns", ())),
        original_kind=detected.get("kind", ""),
    )


def _stored_cell(value: Any) -> str:
    """A cell as text, as the importer reads it: numbers without '.0', dates as ISO 8601, no CPR numbers."""
    value = cpr_redact(value)
    return value if isinstance(value, str) else text_clean(value)


def _stored_records(table: SourceTable) -> Iterator[tuple[int, list[str]]]:
    stream = io.TextIOWrapper(io.BytesIO(table.data), encoding="utf-8", newline="")
    for record in csv.reader(stream, delimiter=";"):
        yield int(record[0]), record[1:]


# --- Shared -----------------------------------------------------------------------------------------


def _header_find(records, known_headers) -> tuple[int, int, list[str]] | None:
    """(score, line, headers) of the record with most recognised header names; the first on a tie."""
    best = None
    for line, values in records:
        score = 0
        for value in values:
            key = header_normalise(value)
            if key and (key in HEADER_ALIASES or key in known_headers or header_is_cpr(key)):
                score += 1
        if score and (best is None or score > best[0]):
            best = (score, line, [_header_text(value) for value in values])
    return best


def _header_text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _empty(data: bytes) -> bool:
    """Nothing but whitespace and byte-order marks; checked in slices, so a large file is not copied."""
    for start in range(0, len(data), 1 << 16):
        if data[start : start + (1 << 16)].strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
            return False
    return True


def _blank(values: list[Any]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)
