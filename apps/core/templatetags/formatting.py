import phonenumbers
from django import template

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """Show an E.164 number the way people read it: +45 31 23 45 67. Links keep the E.164 form."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "DK")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
