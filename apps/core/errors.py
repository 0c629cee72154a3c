"""Turning a refusal from a service into the sentence a page shows."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def error_text(error: ValidationError | PermissionDenied) -> str:
    """The messages of a ValidationError as one sentence, or the reason a PermissionDenied gives."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do that.")
