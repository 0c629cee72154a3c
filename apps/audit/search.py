"""What a search looked for, as a category: the access log keeps the kind of search, never its text.

A coordinator who searches for "Amina Hansen" leaves "a name" in the log. Were the text kept, an erased
person's name would stay in the append-only log for ever and show on the access-log page.
"""

import re

from apps.audit.models import AccessLogEntry

Search = AccessLogEntry.Search

_PHONE = re.compile(r"\+?[\d ]+")


def search_category(text: str) -> str:
    """The category of a search box's text: "" for no search.

    By its shape alone, so it needs no query and reads the same in a migration: an "@" is an e-mail;
    digits alone a phone number, or with dashes or slashes a tenancy number ("101-0001"); a single word
    of letters and digits a tenancy number too ("101-F0001"); words with digits an address ("Vestergade
    12"); letters alone a name or a street, which no shape tells apart.
    """
    text = text.strip()
    if not text:
        return ""
    if "@" in text:
        return Search.EMAIL
    letters = any(character.isalpha() for character in text)
    digits = any(character.isdigit() for character in text)
    if digits and not letters:
        return Search.PHONE if _PHONE.fullmatch(text) else Search.TENANCY
    if digits:
        return Search.ADDRESS if any(character.isspace() for character in text) else Search.TENANCY
    if letters:
        return Search.NAME
    return Search.OTHER
