"""One spelling per sign-in identifier.

Sign-in looks e-mail addresses up without regard to case, so everything that compares, stores, counts
or throttles an identifier must use the same spelling: otherwise `Karen@demo.dk` and `karen@demo.dk`
are one account to the password check but two to the lock-out. E-mail addresses are trimmed and
lower-cased (the database's unique index is on `LOWER(email)`), mobile numbers are E.164.
"""

from django.conf import settings
from django.http import HttpRequest

from apps.core.phones import phone_normalise


def email_normalise(email: str) -> str:
    return email.strip().lower()


def identifier_normalise(raw: str) -> str:
    """An e-mail address or a mobile number in its one spelling; anything else merely trimmed."""
    value = raw.strip()
    if "@" in value:
        return email_normalise(value)
    return phone_normalise(value) or value


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the name django-axes counts failures and checks lock-outs by.

    Read from the same places as axes' own default (the credentials given to `authenticate`, else the
    POST), then normalised, so every spelling of one e-mail address shares one count and one lock.
    """
    if credentials:
        raw = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        raw = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return identifier_normalise(raw) if isinstance(raw, str) else raw
