"""Cell values → stored values: dates, phones, e-mails, languages, addresses, CPR, header names."""

import datetime
import random

import pytest

from apps.core.phones import phone_normalise
from apps.newcomers.importing.fields import HEADER_ALIASES, Field, header_is_cpr, header_normalise
from apps.newcomers.importing.normalise import (
    address_parse,
    cpr_like,
    date_parse,
    email_parse,
    language_parse,
    phone_parse,
    tenancy_number_parse,
    tenancy_number_prefix,
    text_clean,
)

NOV_1 = datetime.date(2026, 11, 1)


@pytest.mark.parametrize(
    "value",
    [
        "01-11-2026",
        "1-11-2026",
        "01.11.2026",
        "1.11.2026",
        "1/11/2026",
        "01/11/2026",
        "2026-11-01",
        "2026-11-01 00:00:00",
        "2026-11-01T00:00:00",
        "01-11-26",
        " 01-11-2026 ",
        datetime.datetime(2026, 11, 1, 0, 0),
        datetime.date(2026, 11, 1),
        46327,  # Excel serial (a date cell exported as a number)
        46327.0,
        "46327",
    ],
)
def test_dates_in_every_written_form_are_read(value):
    assert date_parse(value) == NOV_1


@pytest.mark.parametrize("value", ["", None, "31-02-2026", "13/13/2026", "i morgen", "2026-11", 12, "01-11-1850"])
def test_what_is_no_date_gives_none(value):
    assert date_parse(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "22334455",
        22334455,
        22334455.0,
        "22 33 44 55",
        "+45 22 33 44 55",
        "+4522334455",
        "004522334455",
        "4522334455",
        "22-33-44-55",
        "(+45) 22334455",
    ],
)
def test_phones_as_text_or_numbers_become_e164(value):
    assert phone_parse(value) == ("+4522334455", True)


@pytest.mark.parametrize("value", [None, "", "  "])
def test_empty_phone_is_valid_and_empty(value):
    assert phone_parse(value) == ("", True)


@pytest.mark.parametrize("value", ["12345678", "1234", "not a phone", "+45 1234 5678", "010190-1234"])
def test_invalid_phone_is_reported_invalid(value):
    # 12345678: Danish numbers never start with 1, so phonenumbers (and we) call it invalid.
    assert phone_parse(value) == ("", False)


def test_foreign_numbers_go_through_the_project_normaliser():
    assert phone_parse("+46 70 123 45 67") == (phone_normalise("+46 70 123 45 67"), True)


def test_fast_phone_path_agrees_with_phonenumbers_for_every_danish_prefix():
    rng = random.Random(7)
    for prefix in range(1000):
        for _i in range(3):
            national = f"{prefix:03d}{rng.randrange(100_000):05d}"
            expected = phone_normalise(national)
            assert phone_parse(national) == (expected or "", expected is not None), national


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("amina@example.org", "amina@example.org"),
        (" Amina@Example.ORG ", "amina@example.org"),
        ("mailto:a@b.dk", "a@b.dk"),
        ("", ""),
        (None, ""),
    ],
)
def test_valid_emails_are_kept_lowercased(value, expected):
    assert email_parse(value) == (expected, True)


@pytest.mark.parametrize("value", ["amina@", "amina", "a@b", "a b@c.dk", "@example.org"])
def test_invalid_emails_are_reported_invalid(value):
    assert email_parse(value) == ("", False)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("da", "da"),
        ("DA", "da"),
        ("dansk", "da"),
        ("Dansk", "da"),
        ("Danish", "da"),
        ("da-DK", "da"),
        ("en_GB", "en"),
        ("engelsk", "en"),
        ("English", "en"),
        ("arabisk", "ar"),
        ("Arabic", "ar"),
        ("ar", "ar"),
        ("tyrkisk", "tr"),
        ("Turkish", "tr"),
        ("somali", "so"),
        ("Somalisk", "so"),
        ("urdu", "ur"),
        ("persisk", "fa"),
        ("farsi", "fa"),
        ("polsk", "pl"),
        ("Polish", "pl"),
        ("ukrainsk", "uk"),
        ("tur", "tr"),
        ("Arabisk (ar)", "ar"),
    ],
)
def test_languages_are_normalised_to_iso_639_1(value, code):
    assert language_parse(value) == (code, True)


def test_empty_language_is_unknown_and_fine():
    assert language_parse("") == ("", True)
    assert language_parse(None) == ("", True)


def test_unknown_language_is_reported_and_left_empty():
    assert language_parse("klingon") == ("", False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lærkebakken 3, 2. tv", ("Lærkebakken", "3", "2", "tv", "", "")),
        ("Solsikkestien 12B st th", ("Solsikkestien", "12B", "st", "th", "", "")),
        ("Solsikkestien 12 b, st. th.", ("Solsikkestien", "12B", "st", "th", "", "")),
        ("H.C. Andersens Boulevard 27, 1. sal", ("H.C. Andersens Boulevard", "27", "1", "", "", "")),
        ("Nørregade 4, 3. 12", ("Nørregade", "4", "3", "12", "", "")),
        ("Vestergade 7, kl.", ("Vestergade", "7", "kl", "", "", "")),
        ("Lærkebakken 3, 2. mf, 5220 Odense SØ", ("Lærkebakken", "3", "2", "mf", "5220", "Odense SØ")),
        ("Tværvej 3A 1.tv", ("Tværvej", "3A", "1", "tv", "", "")),
        ("Vej 10", ("Vej", "10", "", "", "", "")),
        ("Stuen uden nummer", ("Stuen uden nummer", "", "", "", "", "")),
    ],
)
def test_danish_addresses_are_split(text, expected):
    parts = address_parse(text)
    keys = ("street", "house_number", "floor", "door", "postcode", "city")
    assert tuple(parts[key] for key in keys) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("101-0001", "101-0001"),
        (1010001, "1010001"),
        (1010001.0, "1010001"),
        (" 101-0001 ", "101-0001"),
        ("", None),
        (None, None),
        ("x" * 41, None),
        ("=cmd()", None),
    ],
)
def test_tenancy_numbers(value, expected):
    assert tenancy_number_parse(value) == expected


def test_tenancy_number_prefix_hints_the_estate():
    assert tenancy_number_prefix("101-0001") == "101"
    assert tenancy_number_prefix("1010001") == ""


@pytest.mark.parametrize("value", ["010190-1234", "311299-0001", "0101901234", 101901234, 101901234.0, "610190-1234"])
def test_cpr_numbers_are_recognised(value):
    assert cpr_like(value)


@pytest.mark.parametrize("value", ["22334455", "4522334455", "101-0001", "320190-1234", "011390-1234", "", None, "abc"])
def test_what_is_no_cpr_is_not_flagged(value):
    assert not cpr_like(value)


def test_plain_digits_count_as_cpr_only_where_asked():
    assert cpr_like("0101901234")
    assert not cpr_like("0101901234", plain_digits=False)
    assert cpr_like("010190-1234", plain_digits=False)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Lejemålsnr.", Field.TENANCY_NUMBER),
        ("Lejemålsnummer", Field.TENANCY_NUMBER),
        ("Lejenr", Field.TENANCY_NUMBER),
        ("LEJEMÅLSNR", Field.TENANCY_NUMBER),
        ("Indflytningsdato", Field.MOVE_IN_DATE),
        ("Indflyttet", Field.MOVE_IN_DATE),
        ("Overtagelsesdato", Field.MOVE_IN_DATE),
        ("Telefon", Field.PHONE),
        ("Mobil", Field.PHONE),
        ("Tlf.", Field.PHONE),
        ("Tlf. nr.", Field.PHONE),
        ("Navn", Field.NAME),
        ("Lejer", Field.NAME),
        ("E-mail", Field.EMAIL),
        ("Email", Field.EMAIL),
        ("E-mail adresse", Field.EMAIL),
        ("Sprog", Field.LANGUAGE),
        ("Afdeling", Field.ESTATE_NUMBER),
        ("Afd.nr", Field.ESTATE_NUMBER),
        ("Afd. nr.", Field.ESTATE_NUMBER),
        ("Afdelingsnavn", Field.ESTATE_NAME),
        ("Adresse", Field.ADDRESS),
        ("Vej", Field.STREET),
        ("Husnr", Field.HOUSE_NUMBER),
        ("Etage", Field.FLOOR),
        ("Side/dør", Field.DOOR),
        ("Postnr", Field.POSTCODE),
        ("Post nr.", Field.POSTCODE),
        ("By", Field.CITY),
    ],
)
def test_danish_header_variants_are_recognised(header, field):
    assert HEADER_ALIASES[header_normalise(header)] == field


@pytest.mark.parametrize("header", ["CPR", "cpr-nr", "CPR nr.", "Cpr.nummer", "Personnummer", "Fødselsdato", "Løbenr"])
def test_cpr_headers_are_recognised(header):
    assert header_is_cpr(header)


def test_header_normalise_strips_case_punctuation_and_spaces():
    assert header_normalise(" Side / Dør ") == "sidedør"
    assert header_normalise(None) == ""


def test_text_clean_drops_spreadsheet_float_tails_and_extra_spaces():
    assert text_clean(101.0) == "101"
    assert text_clean("  Anna   Hansen \n") == "Anna Hansen"
    assert text_clean(None) == ""


@pytest.mark.parametrize(
    "value",
    [
        "a@b.dk",
        "first.last+tag@sub.example.org",
        "x_y%z@a-b.c-d.com",
        "a@b.c",
        "a..b@c.dk",
        "a@-b.dk",
        "a@b-.dk",
        "æble@frugt.dk",
        "a@b.dk.",
        ".a@b.dk",
        "a@b.d1",
        "a@[127.0.0.1]",
        "a@b..dk",
        "user@localhost",
    ],
)
def test_fast_email_path_agrees_with_djangos_validator(value):
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(value)
        expected = (value, True)
    except ValidationError:
        expected = ("", False)
    assert email_parse(value) == expected
