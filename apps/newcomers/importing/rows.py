"""One line of the file → one checked record, or the reasons it cannot be imported.

Shared by the preview, the plain path and the PostgreSQL path, so all three judge a line the same way.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from apps.newcomers.importing import normalise as n
from apps.newcomers.importing.fields import JOINED_FIELDS, REQUIRED_FIELDS, Field
from apps.newcomers.importing.outcome import WARNING, ImportRefused, Problem

NAME_MAX = 200


@dataclass(slots=True)
class Record:
    """A line that can be imported. Empty strings mean "not given": they never overwrite stored values."""

    line: int
    tenancy_number: str
    move_in_date: datetime.date
    name: str = ""
    phone: str = ""
    email: str = ""
    language: str = ""
    estate_number: str = ""
    estate_name: str = ""
    street: str = ""
    house_number: str = ""
    floor: str = ""
    door: str = ""
    postcode: str = ""
    city: str = ""

    @property
    def has_address(self) -> bool:
        return bool(self.street and self.house_number)


def mapping_check(*, headers: list[str], mapping: dict[int, str]) -> dict[int, str]:
    """The mapping with integer indexes inside the header, or ImportRefused when it cannot work."""
    clean: dict[int, str] = {}
    for index, field in mapping.items():
        index = int(index)
        if not field:
            continue
        if field not in Field.values:
            raise ImportRefused("mapping_unknown_field")
        if 0 <= index < len(headers):
            clean[index] = field
    if not all(required in clean.values() for required in REQUIRED_FIELDS):
        raise ImportRefused("mapping_incomplete")
    return clean


class RowParser:
    """Turns (line, values) into a Record and the line's problems, by a checked mapping."""

    def __init__(self, *, headers: list[str], mapping: dict[int, str]):
        self.headers = headers
        self.columns: dict[str, list[int]] = {}
        for index in sorted(mapping):
            self.columns.setdefault(mapping[index], []).append(index)
        # The hot loop reads one cell per mapped column; fields fed by several columns are the exception.
        self._single = [(field, indexes[0]) for field, indexes in self.columns.items() if len(indexes) == 1]
        self._multiple = [(field, indexes) for field, indexes in self.columns.items() if len(indexes) > 1]
        self._has_address = any(
            field in self.columns
            for field in (
                Field.ADDRESS,
                Field.STREET,
                Field.HOUSE_NUMBER,
                Field.FLOOR,
                Field.DOOR,
                Field.POSTCODE,
                Field.CITY,
            )
        )

    def header(self, field: str) -> str:
        indexes = self.columns.get(field)
        return self.headers[indexes[0]] if indexes else ""

    def cells(self, values: list[Any]) -> dict[str, Any]:
        """Field → raw cell value, for the mapped fields whose cell is filled."""
        count = len(values)
        cells = {}
        for field, index in self._single:
            if index < count:
                value = values[index]
                if value is not None and value != "":
                    cells[field] = value
        for field, indexes in self._multiple:
            if field in JOINED_FIELDS:
                parts = [n.text_clean(values[i]) for i in indexes if i < count]
                value = " ".join(part for part in parts if part)
            else:
                value = next((values[i] for i in indexes if i < count and values[i] not in (None, "")), None)
            if value:
                cells[field] = value
        return cells

    def parse(self, line: int, values: list[Any]) -> tuple[Record | None, list[Problem]]:
        problems: list[Problem] = []
        cells = self.cells(values)
        cell = cells.get

        number_raw = cell(Field.TENANCY_NUMBER)
        tenancy_number = n.tenancy_number_parse(number_raw)
        if tenancy_number is None:
            # The value as the file has it is named (it decides whether the line can be imported).
            value = n.text_clean(number_raw)[:40]
            problems.append(
                Problem(
                    line=line,
                    column=self.header(Field.TENANCY_NUMBER),
                    code="tenancy_invalid" if value else "tenancy_missing",
                    params={"value": value} if value else {},
                )
            )
        date_raw = cell(Field.MOVE_IN_DATE)
        move_in_date = n.date_parse(date_raw)
        if move_in_date is None:
            problems.append(self._date_problem(line, date_raw))

        name = n.text_clean(cell(Field.NAME))
        if name and name[0].isdigit() and n.cpr_like(name.replace(" ", ""), plain_digits=False):
            problems.append(self._problem(line, Field.NAME, "name_cpr", WARNING))
            name = ""
        if len(name) > NAME_MAX:
            problems.append(self._problem(line, Field.NAME, "name_long", WARNING))
            name = name[:NAME_MAX]
        phone, ok = n.phone_parse(cell(Field.PHONE))
        if not ok:
            problems.append(self._problem(line, Field.PHONE, "phone_invalid", WARNING))
        email, ok = n.email_parse(cell(Field.EMAIL))
        if not ok:
            problems.append(self._problem(line, Field.EMAIL, "email_invalid", WARNING))
        language, ok = n.language_parse(cell(Field.LANGUAGE))
        if not ok:
            problems.append(self._problem(line, Field.LANGUAGE, "language_unknown", WARNING))

        if tenancy_number is None or move_in_date is None:
            return None, problems

        record = Record(
            line=line,
            tenancy_number=tenancy_number,
            move_in_date=move_in_date,
            name=name,
            phone=phone,
            email=email,
            language=language,
            estate_number=n.estate_number_clean(cell(Field.ESTATE_NUMBER))[:20],
            estate_name=n.text_clean(cell(Field.ESTATE_NAME))[:200],
        )
        if self._has_address:
            self._address(record, cells)
        return record, problems

    def _address(self, record: Record, cells: dict[str, Any]) -> None:
        parts: dict[str, str] = {}
        street = n.street_clean(cells[Field.STREET]) if Field.STREET in cells else ""
        house_number = n.house_number_clean(cells[Field.HOUSE_NUMBER]) if Field.HOUSE_NUMBER in cells else ""
        if Field.ADDRESS in cells:
            parts = n.address_parse(n.text_clean(cells[Field.ADDRESS]))
        elif street and not house_number:
            parts = n.address_parse(street)  # "Vej" holding the whole address
            street = ""
        record.street = street or parts.get("street", "")[:200]
        record.house_number = house_number or parts.get("house_number", "")
        record.floor = (Field.FLOOR in cells and n.floor_clean(cells[Field.FLOOR])) or parts.get("floor", "")
        record.door = (Field.DOOR in cells and n.door_clean(cells[Field.DOOR])) or parts.get("door", "")
        record.postcode = (Field.POSTCODE in cells and n.postcode_clean(cells[Field.POSTCODE])) or parts.get(
            "postcode", ""
        )
        record.city = (Field.CITY in cells and n.city_clean(cells[Field.CITY])) or parts.get("city", "")[:100]

    def _problem(self, line: int, field: str, code: str, level: str) -> Problem:
        return Problem(line=line, column=self.header(field), code=code, level=level)

    def _date_problem(self, line: int, raw: Any) -> Problem:
        """Missing, a day the month does not have (31-11-2026), or unreadable; the last two name the value
        (a date is not personal data) so the coordinator sees what the file says."""
        value = n.text_clean(raw)[:40]
        column = self.header(Field.MOVE_IN_DATE)
        if not value:
            return Problem(line=line, column=column, code="date_missing")
        if missing := n.date_missing_day(value):
            month, year = missing
            return Problem(
                line=line, column=column, code="date_no_such_day", params={"value": value, "month": month, "year": year}
            )
        return Problem(line=line, column=column, code="date_unreadable", params={"value": value})
