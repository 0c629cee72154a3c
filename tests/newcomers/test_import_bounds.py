"""An upload is read once, within bounds of columns, cells and seconds, or refused as a whole.

The hostile files are built here, small, against small limits: the bounds are what is tested, not the
size of the machine.
"""

import io
import zipfile

import pytest
from django.urls import reverse

from apps.newcomers.importing import ImportRefused, table_open
from apps.newcomers.models import ImportRun
from apps.newcomers.services import import_run_create
from tests.newcomers import HEADER, csv_bytes, english, line, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
__all__ = ["english"]


@pytest.fixture
def create(organisation, area, coordinator):
    def make(data: bytes, filename: str = "liste.csv") -> ImportRun:
        return import_run_create(organisation=organisation, area=area, user=coordinator, filename=filename, data=data)

    return make


def refusal(create, data: bytes, filename: str = "liste.csv") -> str:
    with pytest.raises(ImportRefused) as refused:
        create(data, filename)
    assert not ImportRun.objects.exists()
    return refused.value.message


def test_a_file_wider_than_the_column_limit_is_refused(create, settings):
    settings.TENANT_IMPORT_MAX_COLUMNS = 10
    wide = [[*HEADER, *(f"Extra {i}" for i in range(4))], [*line(), *("x" * 4)]]
    assert refusal(create, csv_bytes(wide)) == (
        "The file has more than 10 columns. Delete the columns that are not needed and upload it again."
    )


def test_a_data_row_wider_than_the_column_limit_is_refused(create, settings):
    settings.TENANT_IMPORT_MAX_COLUMNS = 10
    rows = [HEADER, line(), [*line(number="101-0002"), *("x" * 100_000)]]  # a million columns, scaled down
    assert "more than 10 columns" in refusal(create, csv_bytes(rows))


def test_empty_cells_padding_rows_to_the_right_do_not_count_as_columns(create, settings):
    settings.TENANT_IMPORT_MAX_COLUMNS = 10
    run = create(csv_bytes([[*HEADER, *[""] * 50], [*line(), *[""] * 50]]))
    assert (run.total_rows, len(run.headers)) == (1, len(HEADER))


def test_a_file_with_more_cells_than_the_limit_is_refused(create, settings):
    settings.TENANT_IMPORT_MAX_CELLS = 100
    rows = [HEADER, *(line(number=f"101-{i:04d}") for i in range(20))]  # 147 cells
    assert refusal(create, csv_bytes(rows)) == (
        "The file has more than 100 cells. Split it into smaller files and upload them one at a time."
    )


SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _with_shared_strings(data: bytes, count: int) -> bytes:
    """The workbook with a shared strings table of `count` strings no cell uses: a hostile file holds
    millions, which Excel's ZIP compresses so well that the file stays small."""
    source = zipfile.ZipFile(io.BytesIO(data))
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    strings += b"<si><t>pad</t></si>" * count + b"</sst>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "[Content_Types].xml":
                override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/>'
                content = content.replace(b"</Types>", override.encode() + b"</Types>")
            elif member.filename == "xl/_rels/workbook.xml.rels":
                rel = f'<Relationship Id="rIdStrings" Type="{SHARED_STRINGS_REL}" Target="sharedStrings.xml"/>'
                content = content.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            target.writestr(member, content)
        target.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


def test_a_workbook_with_more_shared_strings_than_cells_allowed_is_refused_before_loading(create, settings):
    settings.TENANT_IMPORT_MAX_CELLS = 1_000
    data = xlsx_bytes([HEADER, line()])
    assert create(_with_shared_strings(data, 900), "liste.xlsx").total_rows == 1
    ImportRun.objects.all().delete()
    message = refusal(create, _with_shared_strings(data, 5_000), "liste.xlsx")
    assert message.startswith("The file has more than 1,000 cells.")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_reading_is_stopped_at_the_time_limit(create, settings, kind):
    settings.TENANT_IMPORT_PARSE_SECONDS = -1  # the limit has passed before the first byte is read
    rows = [HEADER, *(line(number=f"101-{i:04d}") for i in range(300))]
    data, name = (csv_bytes(rows), "liste.csv") if kind == "csv" else (xlsx_bytes(rows), "liste.xlsx")
    assert refusal(create, data, name).startswith("Reading the file took more than -1 seconds, so it was stopped.")


def test_the_limits_apply_to_uploads_only_not_to_reading_a_table_for_the_import(settings):
    settings.TENANT_IMPORT_MAX_COLUMNS = 3
    table = table_open(data=csv_bytes([HEADER, line()]), filename="liste.csv")
    assert len(next(table.rows())[1]) == len(HEADER)


def test_a_refused_upload_is_shown_on_the_upload_page(client, coordinator, area, organisation, settings):
    settings.TENANT_IMPORT_MAX_CELLS = 10
    settings.LANGUAGE_CODE = "en"  # the page is checked by its English wording
    client.force_login(coordinator)
    response = client.post(
        reverse("newcomers:upload", args=[area.slug]),
        {"organisation": organisation.pk, "file": io.BytesIO(csv_bytes([HEADER, line(), line()]))},
    )
    assert response.status_code == 400
    assert "The file has more than 10 cells." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_workbook_is_read_once_and_the_import_page_uses_what_was_kept(client, coordinator, area, organisation):
    client.force_login(coordinator)
    data = xlsx_bytes([HEADER, line(), line(number="101-0002")], above=[["Tilflyttere november"]])
    upload = io.BytesIO(data)
    upload.name = "liste.xlsx"
    client.post(reverse("newcomers:upload", args=[area.slug]), {"organisation": organisation.pk, "file": upload})
    run = ImportRun.objects.get()

    stored = bytes(run.source)
    assert not stored.startswith(b"PK")  # the workbook itself is not kept: its rows are, as text
    assert len(stored) < len(data) // 10
    assert (run.detected["kind"], run.detected["header_line"], run.total_rows) == ("xlsx", 2, 2)
    page = client.get(reverse("newcomers:detail", args=[area.slug, run.pk]))
    assert [row["line"] for row in page.context["preview"].rows] == [3, 4]  # lines as Excel numbers them
    assert page.context["preview"].outcome.created == 2
