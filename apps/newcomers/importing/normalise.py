"""Turning one cell of a move-in list into the value stored: dates, phones, e-mails, languages, addresses.

Every function takes what a CSV (text) or a workbook (text, int, float, datetime) may hold. The ones
called once per row for values that repeat down a column (dates, languages) are cached, and the
phone check has a fast path for plain Danish numbers: they dominate the time of a large import.
"""

import calendar
import datetime
import re
import unicodedata
from functools import lru_cache
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from apps.core.phones import phone_normalise

# --- Text -------------------------------------------------------------------------------------------


def text_clean(value: Any) -> str:
    """A cell as text: spreadsheet floats lose their '.0', whitespace is collapsed."""
    if value.__class__ is str:  # nearly every cell: the fast way out first
        text = value.strip()
        if "  " in text or "\n" in text or "\t" in text or "\xa0" in text:
            return " ".join(text.split())
        return text
    if value is None:
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    text = str(value)
    if "  " in text or "\n" in text or "\t" in text or "\xa0" in text:
        return " ".join(text.split())
    return text.strip()


# --- Tenancy number ---------------------------------------------------------------------------------

_TENANCY_NUMBER = re.compile(r"^[0-9A-Za-zÆØÅæøå][0-9A-Za-zÆØÅæøå .\-/_]{0,39}$")
_TENANCY_PREFIX = re.compile(r"^([0-9A-Za-z]+)[\-./ _]")


def tenancy_number_parse(value: Any) -> str | None:
    """The tenancy number as text, or None when it is missing or cannot be one (too long, odd characters)."""
    text = text_clean(value)
    if not text or not _TENANCY_NUMBER.match(text):
        return None
    return text


def tenancy_number_prefix(number: str) -> str:
    """'101-0001' → '101': many tenancy systems lead with the estate number."""
    match = _TENANCY_PREFIX.match(number)
    return match.group(1) if match else ""


def estate_number_clean(value: Any) -> str:
    return text_clean(value)


def estate_number_key(number: str) -> str:
    """'0101' and '101' name the same estate; comparisons use this key."""
    stripped = number.strip().casefold()
    return stripped.lstrip("0") or stripped


# --- Dates ------------------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4}|\d{2})(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # Excel's day 0 in the 1900 date system (after its leap bug)
# Serials of dates between 1954 and 2119: outside that, a number in a date column is not a date.
_SERIAL_RANGE = (20_000, 80_000)


def date_parse(value: Any) -> datetime.date | None:
    """dd-mm-yyyy, dd.mm.yyyy, d/m/yyyy, yyyy-mm-dd, two-digit years, Excel dates and Excel serials."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _serial_date(value)
    return _date_text_parse(str(value).strip())


@lru_cache(maxsize=4096)
def _date_text_parse(text: str) -> datetime.date | None:
    # Cached: a monthly list has a few dozen distinct move-in dates over thousands of rows.
    if not text:
        return None
    match = _DMY.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year += 2000  # '01-11-26': move-in dates are of this century
    else:
        match = _YMD.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
        elif text.replace(".", "", 1).isdigit():
            return _serial_date(float(text))  # an Excel serial that went through a CSV export
        else:
            return None
    if not 1900 <= year <= 2199:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def date_missing_day(value: Any) -> tuple[int, int] | None:
    """(month, year) when `value` is written as a date whose day that month does not have, e.g. 31-11-2026;
    None otherwise. Tells a date that does not exist from one we cannot read."""
    text = str(value or "").strip()
    if match := _DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
        year += 2000 if len(match.group(3)) == 2 else 0
    elif match := _YMD.match(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    if 1 <= month <= 12 and 1900 <= year <= 2199 and day > calendar.monthrange(year, month)[1]:
        return month, year
    return None


def _serial_date(number: float) -> datetime.date | None:
    if not _SERIAL_RANGE[0] <= number < _SERIAL_RANGE[1]:
        return None
    return _EXCEL_EPOCH + datetime.timedelta(days=int(number))


# --- Phone ------------------------------------------------------------------------------------------

_PHONE_NOISE = re.compile(r"[\s\-./()]+")
_DK_NUMBER = re.compile(r"^(?:\+45|0045|45(?=\d{8}$))?(\d{8})$")


def _dk_patterns() -> re.Pattern:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("DK")
    descs = [
        getattr(metadata, name)
        for name in (
            "fixed_line",
            "mobile",
            "toll_free",
            "premium_rate",
            "shared_cost",
            "personal_number",
            "voip",
            "pager",
            "uan",
            "voicemail",
        )
    ]
    general = metadata.general_desc.national_number_pattern
    types = "|".join(f"(?:{d.national_number_pattern})" for d in descs if d and d.national_number_pattern)
    # One regex: the general pattern, and any one number type (fixed line, mobile, toll free, …).
    return re.compile(f"(?=(?:{general})$)(?:{types})")


_DK_VALID = _dk_patterns()


def phone_parse(value: Any) -> tuple[str, bool]:
    """(E.164 number or "", valid). An empty cell is valid and gives ""; a bad number gives ("", False).

    Plain Danish numbers ('22334455', 22334455, 22334455.0, '+45 22 33 44 55', '0045…') are checked
    against phonenumbers' own Danish number patterns without a full parse, which is ~10× faster; the
    rest go through apps.core.phones.phone_normalise, the project's one definition of a valid number.
    """
    if value is None or isinstance(value, bool):
        return "", True
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        return "", True
    compact = _PHONE_NOISE.sub("", text)
    match = _DK_NUMBER.match(compact)
    if match:
        national = match.group(1)
        # The same test phonenumbers.is_valid_number makes for a Danish number.
        if _DK_VALID.fullmatch(national):
            return "+45" + national, True
        return "", False
    number = phone_normalise(text)
    return (number, True) if number else ("", False)


# --- E-mail -----------------------------------------------------------------------------------------

_email_validator = EmailValidator()
# The everyday address (ASCII, one @, dotted domain with a letter TLD): a strict subset of what
# Django's EmailValidator accepts, checked with one regex; anything else goes to the validator.
_PLAIN_EMAIL = re.compile(
    r"^[a-z0-9_%+\-]+(?:\.[a-z0-9_%+\-]+)*@(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)


def email_parse(value: Any) -> tuple[str, bool]:
    """(e-mail or "", valid). Lowercased so a re-import with other capitals is no change."""
    text = text_clean(value)
    if not text:
        return "", True
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.lower()
    if len(text) > 254:
        return "", False
    if _PLAIN_EMAIL.match(text):
        return text, True
    try:
        _email_validator(text)
    except ValidationError:
        return "", False
    return text, True


# --- Language ---------------------------------------------------------------------------------------

# ISO 639-1 code → names a tenancy system may write instead: Danish, English, own name, ISO 639-2/3.
_LANGUAGES: dict[str, tuple[str, ...]] = {
    "da": ("dansk", "danish", "dan"),
    "en": ("engelsk", "english", "eng"),
    "ar": ("arabisk", "arabic", "ara", "العربية", "عربي"),
    "tr": ("tyrkisk", "turkish", "tur", "türkçe", "turkce"),
    "so": ("somali", "somalisk", "som", "soomaali"),
    "ur": ("urdu", "urd"),
    "fa": ("persisk", "farsi", "persian", "fas", "per", "dari", "prs", "فارسی"),
    "ps": ("pashto", "pashtu", "pus"),
    "ku": ("kurdisk", "kurdish", "kur", "kurdî", "kurmanji", "sorani", "ckb", "kmr"),
    "pl": ("polsk", "polish", "pol", "polski"),
    "de": ("tysk", "german", "deu", "ger", "deutsch"),
    "ro": ("rumænsk", "romanian", "ron", "rum", "română"),
    "bg": ("bulgarsk", "bulgarian", "bul"),
    "lt": ("litauisk", "lithuanian", "lit"),
    "lv": ("lettisk", "latvian", "lav"),
    "et": ("estisk", "estonian", "est"),
    "uk": ("ukrainsk", "ukrainian", "ukr", "українська"),
    "ru": ("russisk", "russian", "rus", "русский"),
    "bs": ("bosnisk", "bosnian", "bos"),
    "hr": ("kroatisk", "croatian", "hrv"),
    "sr": ("serbisk", "serbian", "srp"),
    "sq": ("albansk", "albanian", "sqi", "alb", "shqip"),
    "mk": ("makedonsk", "macedonian", "mkd"),
    "el": ("græsk", "greek", "ell", "gre"),
    "hu": ("ungarsk", "hungarian", "hun"),
    "cs": ("tjekkisk", "czech", "ces", "cze"),
    "sk": ("slovakisk", "slovak", "slk"),
    "sv": ("svensk", "swedish", "swe"),
    "no": ("norsk", "norwegian", "nor", "nb", "nn"),
    "is": ("islandsk", "icelandic", "isl"),
    "fi": ("finsk", "finnish", "fin"),
    "kl": ("grønlandsk", "greenlandic", "kal", "kalaallisut"),
    "fo": ("færøsk", "faroese", "fao"),
    "nl": ("hollandsk", "nederlandsk", "dutch", "nld", "dut"),
    "fr": ("fransk", "french", "fra", "fre", "français"),
    "es": ("spansk", "spanish", "spa", "español"),
    "pt": ("portugisisk", "portuguese", "por", "português"),
    "it": ("italiensk", "italian", "ita", "italiano"),
    "ti": ("tigrinya", "tigrinja", "tir"),
    "am": ("amharisk", "amharic", "amh"),
    "om": ("oromo", "orm"),
    "sw": ("swahili", "swa"),
    "vi": ("vietnamesisk", "vietnamese", "vie"),
    "th": ("thai", "thailandsk", "tha"),
    "tl": ("tagalog", "filippinsk", "filipino", "tgl", "fil"),
    "zh": ("kinesisk", "chinese", "zho", "chi", "mandarin", "中文"),
    "ta": ("tamil", "tamilsk", "tam"),
    "si": ("singalesisk", "sinhala", "sin"),
    "hi": ("hindi", "hin"),
    "pa": ("punjabi", "panjabi", "pan"),
    "bn": ("bengali", "bengalsk", "ben", "bangla"),
    "ne": ("nepalesisk", "nepali", "nep"),
    "my": ("burmesisk", "burmese", "mya", "bur"),
    "ka": ("georgisk", "georgian", "kat", "geo"),
    "hy": ("armensk", "armenian", "hye", "arm"),
    "az": ("aserbajdsjansk", "azerbaijani", "aze"),
    "he": ("hebraisk", "hebrew", "heb"),
    "ha": ("hausa", "hau"),
    "yo": ("yoruba", "yor"),
}
_LANGUAGE_LOOKUP: dict[str, str] = {}
for _code, _names in _LANGUAGES.items():
    _LANGUAGE_LOOKUP[_code] = _code
    for _name in _names:
        _LANGUAGE_LOOKUP[_name.casefold()] = _code
LANGUAGE_CODES = frozenset(_LANGUAGES)


def language_parse(value: Any) -> tuple[str, bool]:
    """(ISO 639-1 code or "", recognised). Empty means unknown and is fine; an unknown word is not."""
    text = text_clean(value)
    if not text:
        return "", True
    return _language_lookup(text.casefold())


@lru_cache(maxsize=1024)
def _language_lookup(folded: str) -> tuple[str, bool]:
    code = _LANGUAGE_LOOKUP.get(folded)
    if code is None:
        # 'da-DK', 'en_GB', 'Arabisk (ar)', 'dansk.'
        head = re.split(r"[-_ (/,.;]", folded, maxsplit=1)[0]
        code = _LANGUAGE_LOOKUP.get(head)
    return (code, True) if code else ("", False)


# --- Addresses --------------------------------------------------------------------------------------

# "Lærkebakken 3, 2. tv" · "Solsikkestien 12B st th" · "H.C. Andersens Boulevard 27 B, 1. sal, 5000 Odense C"
_ADDRESS = re.compile(
    r"^(?P<street>.*?[^\W\d_].*?)\s+(?P<number>\d{1,4})\s?(?P<letter>[A-Za-zÆØÅæøå])?(?![\w])[\s,.]*(?P<rest>.*)$"
)
_POSTCODE_CITY = re.compile(r"(?:^|[\s,])(?P<postcode>\d{4})\s+(?P<city>[^\d,]+?)\s*$")
_FLOORS = {
    "st": "st",
    "stuen": "st",
    "stue": "st",
    "parterre": "st",
    "pt": "st",
    "kl": "kl",
    "kælder": "kl",
    "kld": "kl",
}
_DOORS = {
    "tv": "tv",
    "til venstre": "tv",
    "venstre": "tv",
    "th": "th",
    "til højre": "th",
    "højre": "th",
    "mf": "mf",
    "midt": "mf",
    "midtfor": "mf",
    "midt for": "mf",
}
_UNIT_TOKEN = re.compile(r"(\d+|[^\W\d_]+)")


def address_parse(text: str) -> dict[str, str]:
    """Split a Danish address into street, house_number, floor, door, postcode, city ("" where absent)."""
    parts = {"street": "", "house_number": "", "floor": "", "door": "", "postcode": "", "city": ""}
    text = " ".join(text.split())
    if not text:
        return parts
    match = _ADDRESS.match(text)
    if not match:
        parts["street"] = text.strip(" ,")
        return parts
    parts["street"] = match.group("street").strip(" ,")
    parts["house_number"] = match.group("number") + (match.group("letter") or "").upper()
    rest = match.group("rest")
    tail = _POSTCODE_CITY.search(rest)
    if tail:
        parts["postcode"], parts["city"] = tail.group("postcode"), tail.group("city").strip()
        rest = rest[: tail.start()]
    floor, door = unit_parse(rest)
    parts["floor"], parts["door"] = floor, door
    return parts


@lru_cache(maxsize=1024)
def unit_parse(text: str) -> tuple[str, str]:
    """'2. tv' → ('2', 'tv'); 'st th' → ('st', 'th'); '1. sal' → ('1', ''); '3. 12' → ('3', '12')."""
    tokens = [t for t in _UNIT_TOKEN.findall(text.casefold()) if t != "sal"]
    floor = door = ""
    if tokens and (tokens[0].isdigit() or tokens[0] in _FLOORS):
        floor = floor_clean(tokens.pop(0))
    if tokens:
        door = door_clean(" ".join(tokens))
    return floor, door


def floor_clean(value: Any) -> str:
    text = text_clean(value).casefold().rstrip(".").strip()
    text = text.removesuffix(" sal").removesuffix(".").strip()
    return _FLOORS.get(text, text)[:10]


def door_clean(value: Any) -> str:
    text = text_clean(value).casefold().replace(".", " ").strip()
    text = " ".join(text.split())
    return _DOORS.get(text, text)[:10]


def house_number_clean(value: Any) -> str:
    return text_clean(value).replace(" ", "").upper()[:20]


def street_clean(value: Any) -> str:
    return text_clean(value)[:200]


def postcode_clean(value: Any) -> str:
    return text_clean(value)[:10]


def city_clean(value: Any) -> str:
    return text_clean(value)[:100]


# --- CPR --------------------------------------------------------------------------------------------

_CPR_DASHED = re.compile(r"^(\d{2})(\d{2})(\d{2})-(\d{4})$")
_CPR_PLAIN = re.compile(r"^(\d{2})(\d{2})(\d{2})(\d{4})$")


def cpr_like(value: Any, *, plain_digits: bool = True) -> bool:
    """A CPR number: ddmmyy-xxxx, or ten digits whose first six are a date (spreadsheets drop the 0)."""
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if not plain_digits:
            return False
        value = f"{value:010d}"
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = _CPR_DASHED.match(text)
    if not match:
        if not plain_digits:
            return False
        match = _CPR_PLAIN.match(text)
        if not match:
            return False
    return _cpr_date(*match.groups()[:3])


def _cpr_date(day: str, month: str, year: str) -> bool:
    """The first six digits of a CPR number are a date (ddmmyy)."""
    day_number = int(day)
    if day_number > 60:
        day_number -= 60  # a replacement CPR number (erstatningspersonnummer) adds 60 to the day
    try:
        datetime.date(2000 + int(year), int(month), day_number)
    except ValueError:
        return False
    return True


# Six digits (a date), an optional dash or space, four digits, anywhere in a text ("ID 010190-1234").
_DIGIT = re.compile(r"\d")
_CPR_ANYWHERE = re.compile(r"(?<!\d)(\d\d)(\d\d)(\d\d)[\s\-\u2010-\u2015]?\d{4}(?!\d)")


def cpr_redact(value: Any) -> Any:
    """The cell without anything that looks like a CPR number: a whole CPR cell becomes "".

    Applied to every cell of an upload before anything is stored, whatever the column: a tenancy or
    phone number that looks like one is lost with it, which is the price of never keeping a CPR number.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return "" if cpr_like(value) else value
    if not isinstance(value, str):
        return value
    if _DIGIT.search(value) is None:  # most cells: nothing to look for
        return value
    text = unicodedata.normalize("NFKC", value)
    redacted = _CPR_ANYWHERE.sub(lambda m: "" if _cpr_date(*m.groups()) else m.group(0), text)
    return value if redacted == text else redacted
