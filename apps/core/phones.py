"""Phone numbers are stored in E.164 (+4512345678); Danish numbers may be written without +45."""

import phonenumbers


def phone_normalise(raw: str | int | None, *, region: str = "DK") -> str | None:
    """Return the number in E.164, or None when it is not a valid number."""
    if raw is None:
        return None
    text = str(raw).strip()
    if text.endswith(".0"):  # a number that passed through a spreadsheet as a float
        text = text[:-2]
    if not text:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
