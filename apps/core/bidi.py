"""Left-to-right islands in right-to-left text.

In an Arabic paragraph the Unicode bidi algorithm lays out a run of numbers separated by spaces or
dashes from right to left: the phone number "66 10 20 30" reads "30 20 10 66" and the opening hours
"8–15" read "15–8". Phone numbers, times and time ranges, dates, postcodes, e-mail addresses and URLs
are therefore wrapped in `<bdi dir="ltr">`, which browsers and WeasyPrint both keep in their own
order, wherever they stand in text (also in Markdown-rendered paragraphs, lists and tables).
"""

import re

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info

# Written right to left: the newcomers' languages we know of, and any Django marks as bidi (Hebrew, Sorani).
RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "ps", "he", "ckb"})


def is_rtl(language: str | None) -> bool:
    code = (language or "").lower()
    if code in RTL_LANGUAGES:
        return True
    try:
        return get_language_info(code)["bidi"]
    except KeyError:
        return False


def direction(language: str | None) -> str:
    """The `dir` attribute for text in `language`."""
    return "rtl" if is_rtl(language) else "ltr"


# A tag, or text between tags: only text is rewritten, never a tag or an attribute (an href stays as is).
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")

_LTR_RUN = re.compile(
    r"""
    (?:https?://|www\.)[^\s<>"]*[^\s<>".,;:!?)»”]      # a URL, without the sentence's last stop
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                      # an e-mail address
    | (?<![\#\d])\+?\d(?:[ \u00a0]?[.:/\-–—][ \u00a0]?\d|[ \u00a0]?\d)*   # numbers joined by spaces, dots, dashes
    """,
    re.VERBOSE,
)


def ltr_isolate(html: str) -> SafeString:
    """`html` (already safe) with every phone number, time, date, postcode, e-mail address and URL in its
    text isolated as left to right."""
    parts = _TAG_OR_TEXT.split(html or "")
    for index in range(0, len(parts), 2):  # even indexes are text, odd ones tags
        parts[index] = _LTR_RUN.sub(lambda match: f'<bdi dir="ltr">{match.group(0)}</bdi>', parts[index])
    return mark_safe("".join(parts))  # noqa: S308 - only adds an element around text that was safe


def safe_html_in(html: str, language: str | None) -> SafeString:
    """Sanitised HTML (a folder section's) as shown in `language`: isolated where that is right to left."""
    html = mark_safe(html or "")  # noqa: S308 - callers pass HTML sanitised with nh3 when it was saved
    return ltr_isolate(html) if is_rtl(language) else html
