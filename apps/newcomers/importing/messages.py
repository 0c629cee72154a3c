"""What an import says about a line, written when someone reads it, in their language.

A problem is kept as a code and its parameters (`Problem`, `ImportProblem`), not as text: the import runs
in a worker, and the coordinator who opens the result may read English or Danish. Messages say what is wrong
and what happened, never a personal value; only the values that decide whether a line can be imported
(a date, an estate number, a line number) are named.
"""

import calendar
import datetime
from collections.abc import Callable

from django.utils import formats
from django.utils.dates import MONTHS
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
    "tenancy_invalid": lambda: _("The tenancy number is not valid; the line is not imported."),
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
