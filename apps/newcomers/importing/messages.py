"""What an import says about a line or the whole file, written when someone reads it, in their language.

A problem is kept as a code and its parameters (`Problem`, `ImportProblem`), not as text, and so is a
refusal of the whole file (`ImportRefused`, `ImportRun.error_code`): the import runs in a worker, and the
coordinator who opens the result may read English or Danish. Messages say what is wrong and what happened,
never a personal value; only the values that decide whether a line can be imported (a date, a tenancy or
estate number, a line number) are named.
"""

import calendar
import datetime
from collections.abc import Callable

from django.utils import formats, timezone
from django.utils.dates import MONTHS
from django.utils.formats import number_format
from django.utils.translation import gettext as _


def _no_such_day(value: str, month: int, year: int) -> str:
    return _("%(value)s is not a date: %(month)s has %(days)d days. The line is not imported.") % {
        "value": value,
        "month": str(MONTHS[month]),
        "days": calendar.monthrange(year, month)[1],
    }


def _kept_correction(field: str) -> str:
    from apps.newcomers.models import Newcomer  # the models import the importing package

    return _("Kept the coordinator's correction of the %(field)s; the file's value was not used.") % {
        "field": Newcomer._meta.get_field(field).verbose_name
    }


def _day(iso: str) -> str:
    return formats.date_format(datetime.date.fromisoformat(iso), "SHORT_DATE_FORMAT")


MESSAGES: dict[str, Callable[..., str]] = {
    "tenancy_missing": lambda: _("The tenancy number is missing; the line is not imported."),
    "tenancy_invalid": lambda value="": (
        _("“%(value)s” is not a valid tenancy number; the line is not imported.") % {"value": value}
        if value
        else _("The tenancy number is not valid; the line is not imported.")  # stored before values were
    ),
    "date_missing": lambda: _("The move-in date is missing; the line is not imported."),
    "date_no_such_day": _no_such_day,
    "date_unreadable": lambda value: (
        _(
            "%(value)s is not a date we can read (write it as day-month-year, e.g. 01-11-2026). "
            "The line is not imported."
        )
        % {"value": value}
    ),
    "name_cpr": lambda: _("The name looks like a CPR number and was left out."),
    "name_long": lambda: _("The name is longer than 200 characters and was shortened."),
    "phone_invalid": lambda: _("The phone number is not valid; the newcomer is imported without it."),
    "email_invalid": lambda: _("The e-mail address is not valid; the newcomer is imported without it."),
    "language_unknown": lambda: _("The language is not recognised; it is left empty."),
    "estate_ambiguous": lambda: _(
        "The tenancy number exists in more than one estate; add a column with the estate number. "
        "The line is not imported."
    ),
    "estate_unknown": lambda: _(
        "It cannot be told which estate the tenancy belongs to; add a column with the estate number. "
        "The line is not imported."
    ),
    "no_address": lambda: _(
        "The tenancy is not known yet and the line has no address (street and house number) to create it "
        "from; the line is not imported."
    ),
    "duplicate": lambda line: (
        _("Line %(line)s has the same tenancy and move-in date; this line is skipped.") % {"line": line}
    ),
    "cpr_column": lambda: _("The column looks like CPR numbers; it was dropped and nothing in it is stored."),
    "estate_elsewhere": lambda number: (
        _("Estate %(number)s belongs to another area and cannot be created here; the line is not imported.")
        % {"number": number}
    ),
    "estate_missing": lambda number: (
        _(
            "Estate %(number)s does not exist in this housing organisation; the line is not imported. "
            "Choose “create missing estates” to create it."
        )
        % {"number": number}
    ),
    "estate_created": lambda number: _("Estate %(number)s did not exist and was created.") % {"number": number},
    "kept_correction": _kept_correction,
    "move_in_corrected": lambda before, after: (
        _("Move-in date corrected from %(before)s to %(after)s.") % {"before": _day(before), "after": _day(after)}
    ),
    "tie": lambda: _(
        "The tenancy has two newcomers whose move-in dates are equally close to this one, so it is not "
        "clear which one the line corrects; the line is not imported. Check the move-in date."
    ),
    "held": lambda line: (
        _(
            "Line %(line)s already names the newcomer whose move-in date is close to this one; this line is "
            "not imported. Check the move-in dates."
        )
        % {"line": line}
    ),
}


def problem_message(code: str, params: dict) -> str:
    """The problem in the active language."""
    return MESSAGES[code](**params)


def _megabytes(size: int) -> str:
    return number_format(size / (1024 * 1024), 1)


def _limit(limit: int) -> str:
    return number_format(limit, force_grouping=True)


def _repeated(when: str, who: str) -> str:
    return _(
        "This file was already imported on %(when)s by %(who)s, so nothing was imported. To import it "
        "again all the same, tick “Import it again” and choose the file once more."
    ) % {
        "when": formats.date_format(timezone.localtime(datetime.datetime.fromisoformat(when)), "SHORT_DATETIME_FORMAT"),
        "who": who or _("a scheduled import"),
    }


# Refusals of the whole file, by code; the parameters are plain values (sizes in bytes, limits, an ISO time).
REFUSALS: dict[str, Callable[..., str]] = {
    "empty": lambda: _("The file is empty."),
    "too_large": lambda size, limit: (
        _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
        % {"size": _megabytes(size), "limit": _megabytes(limit)}
    ),
    "old_excel": lambda: _(
        "This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as CSV and upload it again."
    ),
    "not_a_workbook": lambda: _("The file is named as an Excel workbook but is not one, or it is damaged."),
    "no_rows": lambda: _("The file has a header row but no rows with newcomers below it."),
    "not_csv_or_excel": lambda: _("The file is not a CSV file or an Excel workbook (.xlsx)."),
    "damaged_workbook": lambda: _(
        "The Excel workbook is damaged and cannot be read. Open it in Excel and save it again."
    ),
    "xlsb": lambda: _("Binary Excel workbooks (.xlsb) cannot be read. Save it as .xlsx or CSV."),
    "expands": lambda size: (
        _("The workbook expands to far more than its size (%(size)s MB), which is what harmful files do.")
        % {"size": _megabytes(size)}
    ),
    "no_columns": lambda: _(
        "No column in the file was recognised. The file needs a header row with names such as "
        "“Lejemålsnr.” and “Indflytningsdato”."
    ),
    "too_wide": lambda limit: (
        _("The file has more than %(limit)s columns. Delete the columns that are not needed and upload it again.")
        % {"limit": _limit(limit)}
    ),
    "too_many_cells": lambda limit: (
        _("The file has more than %(limit)s cells. Split it into smaller files and upload them one at a time.")
        % {"limit": _limit(limit)}
    ),
    "too_slow": lambda seconds: (
        _(
            "Reading the file took more than %(seconds)s seconds, so it was stopped. "
            "Save it as CSV, or split it into smaller files, and upload it again."
        )
        % {"seconds": seconds}
    ),
    "mapping_unknown_field": lambda: _("The column mapping names a field that does not exist."),
    "mapping_incomplete": lambda: _("Choose which column holds the tenancy number and which holds the move-in date."),
    "wrong_organisation": lambda organisation: (
        _(
            "This list does not look like %(organisation)s's: none of its estate numbers is an estate of "
            "%(organisation)s in this area. Check that you chose the right housing organisation, or "
            "choose “create missing estates” if they are new estates. Nothing was imported."
        )
        % {"organisation": organisation}
    ),
    "no_estates_in_area": lambda: _("The housing organisation has no estates in this area."),
    "already_started": lambda: _("This import has already been started."),
    "repeated": _repeated,
    # Not a refusal: anything else that went wrong (the detail is logged, never shown: it may quote the file).
    "failed": lambda: _("The import failed and nothing was saved."),
}


def refusal_message(code: str, params: dict) -> str:
    """The refusal in the active language."""
    return REFUSALS[code](**params)
