"""Opening move-in lists: encodings, delimiters, header rows, Excel, and every kind of file refused whole."""

import datetime
import io
import re
import struct
import zipfile
import zlib

import pytest

from apps.newcomers.importing import ImportRefused, table_open
from tests.newcomers import HEADER, csv_bytes, english, line, xlsx_bytes

pytestmark = pytest.mark.usefixtures("english")
__all__ = ["english"]  # the fixture, imported so pytest finds it

ROWS = [HEADER, line(), line(number="101-0002", name="Søren Ærø Åberg")]


def rows_of(table) -> list[tuple[int, list]]:
    return list(table.rows())


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"), ("utf-16", "utf-16")],
)
def test_encodings_are_detected_and_danish_letters_survive(encoding, detected):
    table = table_open(data=csv_bytes(ROWS, encoding=encoding), filename="liste.csv")
    assert table.encoding == detected
    assert table.headers[0] == "Lejemålsnr."  # no BOM glued to the first header
    assert rows_of(table)[1][1][2] == "Søren Ærø Åberg"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_delimiters_are_detected(delimiter):
    table = table_open(data=csv_bytes(ROWS, delimiter=delimiter), filename="liste.csv")
    assert table.delimiter == delimiter
    assert table.headers == HEADER
    # The address holds a comma: in a comma-separated file it is quoted and stays one cell.
    assert rows_of(table)[0][1][6] == "Testvej 101 1, 1. tv"


def test_semicolon_file_with_commas_in_addresses_is_semicolon_separated():
    data = "Lejenr;Indflyttet;Adresse\n101-1;01-11-2026;Lærkebakken 3, 2. tv\n101-2;01-11-2026;Vej 4, st. th\n"
    table = table_open(data=data.encode(), filename="liste.csv")
    assert table.delimiter == ";"


def test_title_and_blank_rows_above_the_header_are_skipped_and_lines_count_as_in_the_file():
    above = [["Tilflytterliste november 2026"], [], ["Udtrukket 27.11.2026"], []]
    table = table_open(data=csv_bytes(ROWS, above=above), filename="liste.csv")
    assert table.header_line == 5
    assert [number for number, _values in rows_of(table)] == [6, 7]


def test_blank_rows_between_data_rows_are_skipped_but_counted():
    data = csv_bytes([HEADER, line(), [], ["", "", ""], line(number="101-0002")])
    table = table_open(data=data, filename="liste.csv")
    assert [number for number, _values in rows_of(table)] == [2, 5]


def test_quoted_newline_in_a_cell_keeps_later_line_numbers_right():
    data = 'Lejenr;Indflyttet;Navn\n101-1;01-11-2026;"Anna\nHansen"\n101-2;01-11-2026;Bo\n'
    table = table_open(data=data.encode(), filename="liste.csv")
    assert [number for number, _values in rows_of(table)] == [2, 4]


def test_excel_sep_hint_line_names_the_delimiter():
    data = "sep=,\r\nLejenr,Indflyttet\r\n101-1,01-11-2026\r\n"
    table = table_open(data=data.encode(), filename="liste.csv")
    assert table.delimiter == ","
    assert table.header_line == 2
    assert rows_of(table) == [(3, ["101-1", "01-11-2026"])]


def test_xlsx_with_title_row_real_dates_and_numbers():
    rows = [
        ["Lejenr", "Overtagelsesdato", "Mobil"],
        ["101-0001", datetime.datetime(2026, 11, 1), 22334455],
        [1010002, 46327, 22334455.0],
    ]
    table = table_open(data=xlsx_bytes(rows, above=[["Tilflyttere"], [None]]), filename="liste.xlsx")
    assert (table.kind, table.sheet, table.header_line) == ("xlsx", "Tilflyttere", 3)
    assert rows_of(table) == [
        (4, ["101-0001", datetime.datetime(2026, 11, 1), 22334455]),
        (5, [1010002, 46327, 22334455]),
    ]


def test_row_count_counts_data_rows_only():
    table = table_open(data=csv_bytes(ROWS, above=[["Titel"]]), filename="liste.csv")
    assert table.row_count() == 2


def test_detected_describes_the_file():
    table = table_open(data=csv_bytes(ROWS, encoding="cp1252"), filename="liste.csv")
    assert table.detected == {
        "kind": "csv",
        "encoding": "cp1252",
        "delimiter": ";",
        "header_line": 1,
        "sheet": "",
        "cpr_columns": [],
    }


def test_headers_an_organisation_remembers_are_recognised():
    data = csv_bytes([["Kundenr", "Flyttedag"], ["101-1", "01-11-2026"]])
    with pytest.raises(ImportRefused):
        table_open(data=data, filename="liste.csv")
    table = table_open(data=data, filename="liste.csv", known_headers=frozenset({"kundenr", "flyttedag"}))
    assert table.headers == ["Kundenr", "Flyttedag"]


# --- Refused as a whole --------------------------------------------------------------------------


def _refused(data: bytes, filename: str = "liste.csv") -> str:
    with pytest.raises(ImportRefused) as excinfo:
        table_open(data=data, filename=filename)
    assert excinfo.value.message
    return excinfo.value.message


def _png() -> bytes:
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


def test_random_bytes_are_refused():
    import random

    noise = random.Random(3).randbytes(4096)
    assert "not a CSV" in _refused(noise)


def test_renamed_png_is_refused():
    assert "not a CSV" in _refused(_png(), filename="liste.csv")


def test_broken_zip_posing_as_xlsx_is_refused():
    data = xlsx_bytes(ROWS)
    assert "damaged" in _refused(data[: len(data) // 2], filename="liste.xlsx")


def test_text_named_xlsx_that_is_no_zip_is_refused():
    assert "not one" in _refused(b"just some text\n", filename="liste.xlsx")


def test_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<xml/>")
    assert "not a CSV" in _refused(buffer.getvalue(), filename="liste.xlsx")


def test_old_binary_xls_is_refused_with_advice():
    assert ".xlsx" in _refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, filename="liste.xls")


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n  ", b"\xef\xbb\xbf"])
def test_empty_file_is_refused(data):
    assert "empty" in _refused(data)


def test_header_without_data_rows_is_refused():
    assert "no rows" in _refused(csv_bytes([HEADER, [], []]))


def test_no_recognisable_columns_is_refused():
    assert "No column" in _refused(csv_bytes([["Foo", "Bar"], ["1", "2"]]))


def test_file_over_the_size_limit_is_refused(settings):
    settings.TENANT_IMPORT_MAX_BYTES = 100
    assert "too large" in _refused(csv_bytes([HEADER] + [line()] * 5))


def test_xlsx_zip_bomb_is_refused_before_it_is_expanded(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b" " * (1 << 20)
            for _i in range(50):  # 50 MB of spaces compress to ~50 kB
                member.write(block)
    data = buffer.getvalue()
    assert len(data) < 200_000

    def fail(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr("openpyxl.load_workbook", fail)
    assert "expands" in _refused(data, filename="liste.xlsx")


def test_workbook_with_damaged_xml_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "<workbook")
    assert "damaged" in _refused(buffer.getvalue(), filename="liste.xlsx")


def test_xlsx_with_a_wrong_stated_dimension_is_read_to_the_end():
    data = xlsx_bytes([["Lejenr", "Indflyttet"], ["101-1", "01-11-2026"], ["101-2", "01-11-2026"]])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]+" ?/>', b'<dimension ref="A1:A1" />', content)
            target.writestr(item, content)
    table = table_open(data=buffer.getvalue(), filename="liste.xlsx")
    assert [line for line, _values in rows_of(table)] == [2, 3]
