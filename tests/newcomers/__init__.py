"""Helpers for the import tests: move-in lists are generated in the tests, so each test shows its file."""

import csv
import io

import openpyxl
import pytest
from django.utils import translation


def csv_bytes(rows: list[list], *, delimiter: str = ";", encoding: str = "utf-8", above: list[list] = ()) -> bytes:
    """A CSV file as a tenancy system writes it; `above` are title/blank rows before the header."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in [*above, *rows]:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], *, above: list[list] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Tilflyttere"
    for row in [*above, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER = ["Lejemålsnr.", "Indflytningsdato", "Navn", "Telefon", "E-mail", "Sprog", "Adresse"]


def line(
    number="101-0001",
    date="01-11-2026",
    name="Amina Hassan",
    phone="22 33 44 55",
    email="amina@example.org",
    language="arabisk",
    address="Testvej 101 1, 1. tv",
) -> list:
    return [number, date, name, phone, email, language, address]


@pytest.fixture(autouse=False)
def english():
    """Messages are asserted in their English msgids; the app itself speaks Danish."""
    with translation.override("en"):
        yield
