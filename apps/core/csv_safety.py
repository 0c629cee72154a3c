"""Cells for CSV files people open in a spreadsheet: none may start a formula (CSV injection)."""

# A spreadsheet runs a cell starting with one of these as a formula; tab and carriage return are
# on OWASP's list too, because some programs drop them and then see the next character.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """The value as text, with a leading apostrophe when it would otherwise start a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text
