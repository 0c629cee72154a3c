"""newcomers_import: identity, updates, tenancies and estates, CPR, errors per line, atomicity — on both paths.

Every test runs on the PostgreSQL path (COPY + set-based SQL) and on the plain path (bulk_create per
chunk, what SQLite uses), forced on PostgreSQL so both are tested against the real database.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from apps.newcomers.importing import ImportRefused, mapping_propose, newcomers_import, preview_rows, table_open
from apps.newcomers.importing import writer as writer_module
from apps.newcomers.models import Newcomer
from apps.organisation.models import Entrance, Estate, Tenancy
from tests.newcomers import HEADER, csv_bytes, english, line, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
__all__ = ["english"]

NOV_1 = datetime.date(2026, 11, 1)


@pytest.fixture(params=["postgres", "plain"])
def fast(request) -> bool:
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL path needs PostgreSQL")
    return request.param == "postgres"


@pytest.fixture
def run_import(organisation, area, fast):
    """Import rows (first row the header) as CSV, or as given bytes; returns the outcome."""

    def run(rows=None, *, data=None, filename="liste.csv", mapping=None, **options):
        data = data if data is not None else csv_bytes(rows)
        table = table_open(data=data, filename=filename)
        if mapping is None:
            mapping = mapping_propose(headers=table.headers, organisation=organisation)
        options.setdefault("area", area)
        return newcomers_import(table=table, mapping=mapping, organisation=organisation, fast=fast, **options)

    return run


def messages(outcome, level=None) -> list[tuple[int, str, str]]:
    return [(p.line, p.column, p.message) for p in outcome.problems if level is None or p.level == level]


# --- Creating and identity ------------------------------------------------------------------------


def test_new_lines_create_newcomers_on_known_tenancies(run_import, tenancy):
    outcome = run_import([HEADER, line(number=tenancy.number)])
    assert (outcome.rows, outcome.created, outcome.updated, outcome.unchanged) == (1, 1, 0, 0)
    newcomer = Newcomer.objects.get()
    assert (newcomer.tenancy, newcomer.move_in_date, newcomer.name) == (tenancy, NOV_1, "Amina Hassan")
    assert (newcomer.phone, newcomer.email, newcomer.language) == ("+4522334455", "amina@example.org", "ar")


def test_importing_the_same_file_again_creates_nothing(run_import):
    rows = [HEADER, line(), line(number="101-0002"), line(number="102-0001", address="Testvej 102 1")]
    first = run_import(rows)
    second = run_import(rows)
    assert (first.created, second.created, second.updated, second.unchanged) == (3, 0, 0, 3)
    assert Newcomer.objects.count() == 3
    assert second.changes == []


def test_new_newcomers_are_on_the_list_since_the_local_day_of_the_run(run_import, monkeypatch):
    # 23:30 UTC on 5 December is already 6 December in Copenhagen: the day the coordinator saw.
    late_evening = datetime.datetime(2026, 12, 5, 23, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late_evening)
    run_import([HEADER, line(), line(number="101-0002")])
    assert set(Newcomer.objects.values_list("listed_on", flat=True)) == {datetime.date(2026, 12, 6)}


def test_a_later_list_never_moves_the_day_a_known_newcomer_was_listed(run_import):
    run_import([HEADER, line(), line(number="101-0002")])
    first_listed = datetime.date(2026, 11, 3)
    Newcomer.objects.update(listed_on=first_listed)
    # The same two households again, one with a new phone number, and one new household.
    outcome = run_import([HEADER, line(phone="31223344"), line(number="101-0002"), line(number="101-0003")])
    assert (outcome.created, outcome.updated, outcome.unchanged) == (1, 1, 1)
    listed = dict(Newcomer.objects.values_list("tenancy__number", "listed_on"))
    assert listed == {"101-0001": first_listed, "101-0002": first_listed, "101-0003": timezone.localdate()}


def test_changed_details_update_the_newcomer_and_say_which(run_import):
    run_import([HEADER, line(), line(number="101-0002")])
    amina = Newcomer.objects.get(tenancy__number="101-0001")
    outcome = run_import(
        [HEADER, line(phone="31 22 33 44", email="ny@example.org", language="dansk"), line(number="101-0002")]
    )
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)
    assert [(c.line, c.newcomer_id, sorted(c.fields)) for c in outcome.changes] == [
        (2, amina.pk, ["email", "language", "phone"])
    ]
    amina.refresh_from_db()
    assert (amina.phone, amina.email, amina.language) == ("+4531223344", "ny@example.org", "da")


def test_changed_name_is_an_update(run_import):
    run_import([HEADER, line()])
    outcome = run_import([HEADER, line(name="Amina H. Hassan")])
    assert outcome.updated == 1
    assert outcome.changes[0].fields == ["name"]
    assert Newcomer.objects.get().name == "Amina H. Hassan"


def test_empty_cells_never_erase_what_is_stored(run_import):
    run_import([HEADER, line()])
    outcome = run_import([HEADER, line(name="", phone="", email="", language="")])
    assert (outcome.updated, outcome.unchanged) == (0, 1)
    newcomer = Newcomer.objects.get()
    assert (newcomer.name, newcomer.phone, newcomer.email, newcomer.language) == (
        "Amina Hassan",
        "+4522334455",
        "amina@example.org",
        "ar",
    )


def test_do_not_contact_is_never_touched(run_import):
    run_import([HEADER, line()])
    Newcomer.objects.update(do_not_contact=True)
    run_import([HEADER, line(phone="31223344")])
    assert Newcomer.objects.get().do_not_contact is True


def test_new_move_in_date_on_a_known_tenancy_is_a_new_newcomer(run_import):
    run_import([HEADER, line(date="01-11-2026")])
    outcome = run_import([HEADER, line(date="01-03-2027", name="Bo Nielsen")])
    assert outcome.created == 1
    assert list(Newcomer.objects.order_by("move_in_date").values_list("name", flat=True)) == [
        "Amina Hassan",
        "Bo Nielsen",
    ]


def test_a_line_repeated_in_the_file_is_imported_once_and_warned(run_import):
    outcome = run_import([HEADER, line(), line(number="101-0002"), line(name="Amina igen")])
    assert outcome.created == 2
    assert Newcomer.objects.get(tenancy__number="101-0001").name == "Amina Hassan"
    assert messages(outcome, "warning") == [
        (4, "", "Line 2 has the same tenancy and move-in date; this line is skipped.")
    ]


def test_excel_file_with_real_dates_and_numeric_phones(run_import, tenancy):
    rows = [
        ["Lejenr", "Overtagelsesdato", "Lejer", "Mobil"],
        [tenancy.number, datetime.datetime(2026, 11, 1), "Amina", 22334455],
        ["101-0002", 46327, "Bo", 22334466.0],
    ]
    outcome = run_import(data=xlsx_bytes(rows, above=[["Tilflyttere november"], []]), filename="liste.xlsx")
    assert outcome.created == 2
    assert set(Newcomer.objects.values_list("move_in_date", "phone")) == {
        (NOV_1, "+4522334455"),
        (NOV_1, "+4522334466"),
    }


def test_first_and_last_name_columns_are_joined(run_import):
    outcome = run_import(
        [["Lejenr", "Indflyttet", "Fornavn", "Efternavn"], ["101-0001", "01-11-2026", "Amina", "Hassan"]]
    )
    assert outcome.created == 1
    assert Newcomer.objects.get().name == "Amina Hassan"


# --- Normalisation problems are warnings, the line is kept -----------------------------------------


def test_invalid_phone_is_a_warning_and_the_newcomer_is_kept_without_it(run_import):
    outcome = run_import([HEADER, line(phone="12345678")])
    assert outcome.created == 1
    assert Newcomer.objects.get().phone == ""
    assert messages(outcome) == [(2, "Telefon", "The phone number is not valid; the newcomer is imported without it.")]


def test_invalid_email_is_a_warning_and_the_newcomer_is_kept_without_it(run_import):
    outcome = run_import([HEADER, line(email="amina@")])
    assert outcome.created == 1
    assert Newcomer.objects.get().email == ""
    assert [p.level for p in outcome.problems] == ["warning"]


def test_unknown_language_is_a_warning_and_left_empty(run_import):
    outcome = run_import([HEADER, line(language="klingon")])
    assert Newcomer.objects.get().language == ""
    assert messages(outcome) == [(2, "Sprog", "The language is not recognised; it is left empty.")]


def test_messages_never_hold_the_personal_value(run_import):
    outcome = run_import([HEADER, line(phone="99", email="amina.secret@", language="xx-klingon")])
    assert outcome.problems
    for problem in outcome.problems:
        assert "99" not in problem.message and "secret" not in problem.message and "klingon" not in problem.message


# --- Errors: the line is not imported, the rest of the file is --------------------------------------


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        (line(number=""), "Lejemålsnr.", "The tenancy number is missing; the line is not imported."),
        (
            line(number="=HYPERLINK()"),
            "Lejemålsnr.",
            "“=HYPERLINK()” is not a valid tenancy number; the line is not imported.",
        ),
        (line(date=""), "Indflytningsdato", "The move-in date is missing; the line is not imported."),
        (
            line(date="31-11-2026"),
            "Indflytningsdato",
            "31-11-2026 is not a date: November has 30 days. The line is not imported.",
        ),
        (
            line(date="29.02.2027"),
            "Indflytningsdato",
            "29.02.2027 is not a date: February has 28 days. The line is not imported.",
        ),
        (
            line(date="i morgen"),
            "Indflytningsdato",
            "i morgen is not a date we can read (write it as day-month-year, e.g. 01-11-2026). "
            "The line is not imported.",
        ),
    ],
)
def test_missing_or_invalid_tenancy_or_date_is_an_error_and_the_rest_is_imported(run_import, bad, column, message):
    outcome = run_import([HEADER, line(number="101-0002"), bad, line(number="101-0003")])
    assert (outcome.rows, outcome.created) == (3, 2)
    assert messages(outcome, "error") == [(3, column, message)]


def test_line_numbers_are_as_in_the_file_with_title_rows(run_import):
    data = csv_bytes([HEADER, line(), line(date="")], above=[["Tilflytterliste"], []])
    outcome = run_import(data=data)
    assert [p.line for p in outcome.errors] == [5]


# --- Tenancies, entrances and estates --------------------------------------------------------------


def test_missing_tenancy_and_entrance_are_created_from_the_address(run_import, estate):
    outcome = run_import([HEADER, line(number="101-0100", address="Lærkebakken 3, 2. tv")])
    assert outcome.created == 1
    tenancy = Tenancy.objects.get(number="101-0100")
    assert (tenancy.estate, tenancy.floor, tenancy.door) == (estate, "2", "tv")
    assert (tenancy.entrance.street, tenancy.entrance.house_number) == ("Lærkebakken", "3")
    assert tenancy.address == "Lærkebakken 3, 2. tv."


def test_one_entrance_serves_several_new_tenancies(run_import):
    run_import(
        [
            HEADER,
            line(number="101-0100", address="Solsikkestien 12B st th"),
            line(number="101-0101", address="Solsikkestien 12B 1 tv"),
        ]
    )
    entrance = Entrance.objects.get(street="Solsikkestien")
    assert entrance.house_number == "12B"
    assert sorted(entrance.tenancies.values_list("number", flat=True)) == ["101-0100", "101-0101"]


def test_address_in_separate_columns(run_import):
    header = ["Lejenr", "Indflyttet", "Vej", "Husnr", "Etage", "Side/dør", "Postnr", "By"]
    outcome = run_import([header, ["101-0200", "01-11-2026", "Lærkebakken", "5", "st.", "th.", "5220", "Odense SØ"]])
    assert outcome.created == 1
    tenancy = Tenancy.objects.get(number="101-0200")
    assert (tenancy.floor, tenancy.door) == ("st", "th")
    assert (
        tenancy.entrance.street,
        tenancy.entrance.house_number,
        tenancy.entrance.postcode,
        tenancy.entrance.city,
    ) == ("Lærkebakken", "5", "5220", "Odense SØ")


def test_unknown_tenancy_without_address_is_an_error(run_import):
    outcome = run_import([HEADER, line(number="101-0999", address="")])
    assert outcome.created == 0
    assert [p.message for p in outcome.errors] == [
        "The tenancy is not known yet and the line has no address (street and house number) to create it from; "
        "the line is not imported."
    ]


def test_estate_column_matches_estates_by_number(run_import, area):
    header = ["Afd.nr", "Lejenr", "Indflyttet", "Adresse"]
    outcome = run_import([header, ["102", "9", "01-11-2026", "Vej 1"], ["0101", "9", "01-11-2026", "Vej 2"]])
    assert outcome.created == 2
    assert sorted(Tenancy.objects.filter(number="9").values_list("estate__number", flat=True)) == ["101", "102"]


def test_without_estate_column_the_estate_is_the_one_that_has_the_tenancy(run_import):
    # X17 exists only in estate 102; no prefix rule needed.
    Tenancy.objects.filter(number="102-0001").update(number="X17")
    outcome = run_import([["Lejenr", "Indflyttet"], ["X17", "01-11-2026"]])
    assert outcome.created == 1
    assert Newcomer.objects.get().tenancy.estate.number == "102"


# --- Confined to the importing area -----------------------------------------------------------------


@pytest.fixture
def other_areas_newcomer(other_area) -> Newcomer:
    """Someone living in estate 201, which the same organisation has in another area."""
    return Newcomer.objects.create(
        tenancy=Tenancy.objects.get(number="201-0001"), move_in_date=NOV_1, name="Bo Beboer", phone="+4561111111"
    )


def test_tenancy_of_another_area_is_unknown_and_its_newcomer_is_untouched(run_import, other_areas_newcomer):
    unknown = run_import([HEADER, line(number="9999-0001", date="01-11-2026", address="")])
    outcome = run_import(
        [
            HEADER,
            line(number="201-0001", name="HIJACKED", phone="29999999", address=""),
            line(number="201-0002", name="Planted", address="Testvej 201 1, 2. th"),
        ]
    )
    assert (outcome.created, outcome.updated, outcome.unchanged, outcome.changes) == (0, 0, 0, [])
    # Worded exactly as for a tenancy that exists nowhere: the file learns nothing about the other area.
    assert {p.message for p in outcome.errors} == {p.message for p in unknown.errors}
    assert len(outcome.errors) == 2
    other_areas_newcomer.refresh_from_db()
    assert (other_areas_newcomer.name, other_areas_newcomer.phone) == ("Bo Beboer", "+4561111111")
    assert list(Newcomer.objects.all()) == [other_areas_newcomer]
    assert not Tenancy.objects.filter(number="201-0002", newcomers__isnull=False).exists()


def test_estate_of_another_area_named_in_the_file_is_unknown(run_import, other_areas_newcomer):
    header = ["Afdeling", "Lejenr", "Indflyttet", "Navn", "Adresse"]
    # With one line of the area's own estate 101: a list naming none of them is refused as a whole.
    own = ["101", "101-0001", "01-11-2026", "Amina", "Testvej 101 1"]
    outcome = run_import([header, ["201", "201-0001", "01-11-2026", "HIJACKED", "Testvej 201 1"], own])
    unknown = run_import([header, ["999", "201-0001", "01-11-2026", "HIJACKED", "Testvej 201 1"], own])
    assert (outcome.created, outcome.updated) == (1, 0)
    assert [p.message for p in outcome.errors] == [p.message.replace("999", "201") for p in unknown.errors]
    other_areas_newcomer.refresh_from_db()
    assert other_areas_newcomer.name == "Bo Beboer"


def test_estate_number_of_another_area_is_never_created_again(run_import, area, other_areas_newcomer):
    header = ["Afdeling", "Lejenr", "Indflyttet", "Navn", "Adresse"]
    estates = Estate.objects.count()
    outcome = run_import([header, ["0201", "201-0009", "01-11-2026", "Planted", "Ny Vej 1"]], create_estates=True)
    assert outcome.created == 0
    assert messages(outcome, "error") == [
        (2, "Afdeling", "Estate 0201 belongs to another area and cannot be created here; the line is not imported.")
    ]
    assert Estate.objects.count() == estates
    assert list(Newcomer.objects.all()) == [other_areas_newcomer]


def test_tenancy_number_prefix_hints_the_estate_of_a_new_tenancy(run_import):
    outcome = run_import([HEADER, line(number="102-0555", address="Vej 9")])
    assert outcome.created == 1
    assert Tenancy.objects.get(number="102-0555").estate.number == "102"


def test_tenancy_that_cannot_be_placed_in_an_estate_is_an_error(run_import):
    outcome = run_import([HEADER, line(number="9999", address="Vej 9")])
    assert outcome.created == 0
    assert outcome.errors[0].column == "Lejemålsnr."
    assert "which estate" in outcome.errors[0].message


def test_tenancy_number_in_two_estates_without_estate_column_is_an_error(run_import, estate):
    Tenancy.objects.filter(number="102-0001").update(number="7")
    Tenancy.objects.filter(number="101-0001").update(number="7")
    outcome = run_import([["Lejenr", "Indflyttet"], ["7", "01-11-2026"]])
    assert outcome.created == 0
    assert "more than one estate" in outcome.errors[0].message


def test_unknown_estate_is_an_error_unless_estates_may_be_created(run_import, area, organisation):
    header = ["Afdeling", "Afdelingsnavn", "Lejenr", "Indflyttet", "Adresse"]
    rows = [header, ["301", "Solsikkeparken", "301-1", "01-11-2026", "Solsikkevej 1, st. tv"]]
    known = ["101", "", "101-0001", "01-11-2026", "Testvej 101 1"]  # one known estate: the organisation's list
    refused = run_import([*rows, known])
    assert refused.created == 1
    assert messages(refused, "error") == [
        (
            2,
            "Afdeling",
            "Estate 301 does not exist in this housing organisation; the line is not imported. "
            "Choose “create missing estates” to create it.",
        )
    ]
    assert not Estate.objects.filter(number="301").exists()

    created = run_import(rows, create_estates=True)  # a list of new estates only, said to be new
    assert created.created == 1
    estate = Estate.objects.get(number="301")
    assert (estate.name, estate.area, estate.organisation) == ("Solsikkeparken", area, organisation)
    assert messages(created, "warning") == [(2, "Afdeling", "Estate 301 did not exist and was created.")]


def test_a_list_naming_none_of_the_organisations_estates_is_refused_with_one_message(run_import, organisation):
    header = ["Afdeling", "Lejenr", "Indflyttet", "Adresse"]
    rows = [header, *[[str(900 + i), f"{900 + i}-1", "01-11-2026", f"Fremmedvej {i}"] for i in range(5)]]
    with pytest.raises(ImportRefused) as refused:
        run_import(rows)
    assert refused.value.message.startswith(
        f"This list does not look like {organisation.name}'s: none of its estate numbers is an estate of"
    )
    assert not Newcomer.objects.exists()
    assert not Estate.objects.filter(number__startswith="90").exists()


# --- Never stored -----------------------------------------------------------------------------------


def test_cpr_column_by_header_is_dropped_and_reported(run_import):
    outcome = run_import([[*HEADER, "CPR-nr"], [*line(), "010190-1234"]])
    assert outcome.created == 1
    assert outcome.dropped_columns == ["CPR-nr"]
    assert messages(outcome, "warning") == [
        (1, "CPR-nr", "The column looks like CPR numbers; it was dropped and nothing in it is stored.")
    ]
    assert "010190" not in str(list(Newcomer.objects.values()))


def test_cpr_column_by_values_is_dropped_even_when_mapped(run_import):
    header = ["Lejenr", "Indflyttet", "Id"]
    rows = [header, ["101-0001", "01-11-2026", "010190-1234"], ["101-0002", "01-11-2026", "0202851234"]]
    outcome = run_import(rows, mapping={0: "tenancy_number", 1: "move_in_date", 2: "name"})
    assert outcome.dropped_columns == ["Id"]
    assert set(Newcomer.objects.values_list("name", flat=True)) == {""}


def test_unmapped_columns_are_not_stored_and_reported_as_dropped(run_import):
    header = [*HEADER, "Noter"]
    outcome = run_import([header, [*line(), "har to katte"]])
    assert outcome.dropped_columns == ["Noter"]
    assert "katte" not in str(list(Newcomer.objects.values()))


def test_mapping_without_tenancy_number_or_date_is_refused(run_import):
    with pytest.raises(ImportRefused):
        run_import([HEADER, line()], mapping={0: "tenancy_number", 2: "name"})


# --- Dry run, atomicity, progress -------------------------------------------------------------------


def test_dry_run_counts_everything_and_writes_nothing(run_import):
    tenancies = Tenancy.objects.count()
    outcome = run_import([HEADER, line(), line(number="101-0500", address="Ny Vej 1"), line(date="")], dry_run=True)
    assert (outcome.created, outcome.error_count) == (2, 1)
    assert Newcomer.objects.count() == 0
    assert Tenancy.objects.count() == tenancies


def test_database_failure_midway_leaves_nothing_and_the_import_can_run_again(run_import, fast, monkeypatch):
    rows = [HEADER] + [line(number=f"101-{i:04d}", address=f"Vej {i}") for i in range(1, 8)]
    tenancies = Tenancy.objects.count()
    if fast:
        # Entrances and tenancies are written by then; the failure comes with the newcomers.
        target, name = writer_module._PostgresWriter, "newcomers_write"
    else:
        target, name = writer_module._PlainWriter, "chunk_apply"
    original = getattr(target, name)
    calls = []

    def failing(self, *args):
        calls.append(1)
        if len(calls) == 2 or fast:
            raise RuntimeError("database went away")
        return original(self, *args)

    monkeypatch.setattr(target, name, failing)
    with pytest.raises(RuntimeError):
        run_import(rows, chunk_size=3)
    assert Newcomer.objects.count() == 0
    assert Tenancy.objects.count() == tenancies
    monkeypatch.setattr(target, name, original)
    assert run_import(rows, chunk_size=3).created == 7


def test_progress_is_reported_per_chunk(run_import):
    seen = []
    run_import(
        [HEADER] + [line(number=f"101-{i:04d}", address="Vej 1") for i in range(1, 8)],
        chunk_size=3,
        progress=seen.append,
    )
    assert seen == [3, 6, 7]


def test_a_thousand_lines_take_a_fixed_number_of_queries(run_import, django_assert_max_num_queries):
    rows = [HEADER] + [line(number=f"101-{i:04d}", address=f"Vej {i % 40}") for i in range(1, 1001)]
    with django_assert_max_num_queries(40):
        outcome = run_import(rows, chunk_size=500)
    assert outcome.created == 1000


# --- Preview ----------------------------------------------------------------------------------------


def test_preview_shows_lines_as_read_with_their_problems_and_writes_nothing(organisation):
    table = table_open(data=csv_bytes([HEADER, line(), line(phone="12"), line(date="")]), filename="liste.csv")
    mapping = mapping_propose(headers=table.headers, organisation=organisation)
    rows = preview_rows(table=table, mapping=mapping, organisation=organisation, limit=2)
    assert [(r["line"], r["ok"], len(r["problems"])) for r in rows] == [(2, True, 0), (3, True, 1)]
    assert rows[0]["values"]["phone"] == "+4522334455"
    assert rows[0]["values"]["move_in_date"] == NOV_1
    assert Newcomer.objects.count() == 0


def test_preview_with_a_dry_run_outcome_shows_database_problems(organisation, area):
    table = table_open(data=csv_bytes([HEADER, line(number="9999", address="")]), filename="liste.csv")
    mapping = mapping_propose(headers=table.headers, organisation=organisation)
    outcome = newcomers_import(table=table, mapping=mapping, organisation=organisation, area=area, dry_run=True)
    rows = preview_rows(table=table, mapping=mapping, organisation=organisation, outcome=outcome)
    assert rows[0]["problems"] == outcome.errors


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_every_encoding_and_delimiter_imports_danish_letters(run_import, encoding, delimiter):
    rows = [HEADER, line(name="Søren Ærø Åberg", address="Æblevej 3, 2. tv")]
    outcome = run_import(data=csv_bytes(rows, encoding=encoding, delimiter=delimiter, above=[["Tilflyttere"]]))
    assert outcome.created == 1
    newcomer = Newcomer.objects.select_related("tenancy__entrance").get()
    assert newcomer.name == "Søren Ærø Åberg"


@pytest.mark.parametrize("date", ["01-11-2026", "01.11.2026", "1/11/2026", "2026-11-01", "46327"])
def test_every_date_form_imports_the_same_move_in_date(run_import, date):
    run_import([HEADER, line(date=date)])
    assert Newcomer.objects.get().move_in_date == NOV_1


def test_header_deliberately_left_out_is_not_proposed_again(organisation):
    from apps.newcomers.models import ColumnMapping

    ColumnMapping.objects.create(organisation=organisation, headers={"telefon": ""})
    proposal = mapping_propose(headers=HEADER, organisation=organisation)
    assert 3 not in proposal
    assert proposal[0] == "tenancy_number"


def test_an_anonymised_newcomer_is_never_filled_in_again(run_import, tenancy):
    run_import([HEADER, line(number=tenancy.number)])
    Newcomer.objects.update(name="", phone="", email="", language="", anonymised_at=datetime.datetime.now(datetime.UTC))

    outcome = run_import([HEADER, line(number=tenancy.number)])

    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 1)
    newcomer = Newcomer.objects.get()
    assert (newcomer.name, newcomer.phone, newcomer.email, newcomer.language) == ("", "", "", "")
