"""The fields a column of a move-in list can be mapped to, and the header names that propose them."""

import re
import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _


class Field(models.TextChoices):
    TENANCY_NUMBER = "tenancy_number", _("Tenancy number")
    MOVE_IN_DATE = "move_in_date", _("Move-in date")
    NAME = "name", _("Name")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    LANGUAGE = "language", _("Language")
    ESTATE_NUMBER = "estate_number", _("Estate number")
    ESTATE_NAME = "estate_name", _("Estate name")
    ADDRESS = "address", _("Address (street, number, floor and door)")
    STREET = "street", _("Street")
    HOUSE_NUMBER = "house_number", _("House number")
    FLOOR = "floor", _("Floor")
    DOOR = "door", _("Door")
    POSTCODE = "postcode", _("Postcode")
    CITY = "city", _("City")


# Without these two a line cannot be matched to a newcomer, so a mapping must have them.
REQUIRED_FIELDS = (Field.TENANCY_NUMBER, Field.MOVE_IN_DATE)

# Several columns may feed one field: names are joined ("Fornavn" + "Efternavn"); for the others the
# first non-empty column wins ("Mobil" before "Telefon" if mapped in that order).
JOINED_FIELDS = {Field.NAME}

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def header_normalise(text: object) -> str:
    """'Lejemålsnr.' → 'lejemålsnr', 'Side/dør' → 'sidedør', 'E-mail' → 'email': the key headers are matched by."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return _NON_WORD.sub("", folded)


# Normalised header → field. Built from what Danish tenancy systems (and hand-made sheets) write.
_ALIASES = {
    Field.TENANCY_NUMBER: """lejemålsnr lejemålsnummer lejemålnr lejemålnummer lejemål lejemålsid lejenr lejenummer
        lejemaalsnr lejemaalsnummer lejemaal lejlighedsnr lejlighedsnummer lmnr tenancy tenancynumber tenancyno""",
    Field.MOVE_IN_DATE: """indflytningsdato indflyttet indflytning indflytningsdag indflyttetdato indflyttningsdato
        overtagelsesdato overtagelse overtagelsesdag startdato lejestart lejestartdato ikrafttrædelsesdato movein
        moveindate""",
    Field.NAME: """navn lejer lejernavn lejersnavn fuldtnavn fuldenavn tilflytter beboer beboernavn kontaktperson
        fornavn mellemnavn efternavn name fullname tenant tenantname firstname lastname""",
    Field.PHONE: """telefon telefonnr telefonnummer tlf tlfnr tlfnummer mobil mobilnr mobilnummer mobiltelefon
        mobiltlf phone phonenumber mobile""",
    Field.EMAIL: "email emailadresse mail mailadresse epost epostadresse emailaddress",
    Field.LANGUAGE: "sprog foretrukketsprog talesprog modersmål language preferredlanguage",
    Field.ESTATE_NUMBER: "afdeling afdnr afd afdelingsnr afdelingsnummer estate estatenumber",
    Field.ESTATE_NAME: "afdelingsnavn afdnavn afdelingnavn estatename",
    Field.ADDRESS: "adresse lejemålsadresse lejemaalsadresse boligadresse address",
    Field.STREET: "vej vejnavn gade gadenavn street streetname",
    Field.HOUSE_NUMBER: "husnr husnummer nr vejnr housenumber",
    Field.FLOOR: "etage sal floor",
    Field.DOOR: "sidedør dør side dørnr door",
    Field.POSTCODE: "postnr postnummer postkode zip zipcode postcode",
    Field.CITY: "by bynavn postdistrikt city town",
}
HEADER_ALIASES: dict[str, str] = {alias: field for field, aliases in _ALIASES.items() for alias in aliases.split()}

# Headers of columns that hold CPR numbers (or the two halves of one): never mapped, always dropped.
CPR_HEADERS = frozenset(
    """cpr cprnr cprnummer cprno personnummer personnr personnumer fødselsdatoløbenr fødselsdatoløbenummer
    fødselsdato løbenr løbenummer ssn socialsecuritynumber""".split()
)


def header_is_cpr(header: object) -> bool:
    key = header_normalise(header)
    return key in CPR_HEADERS or key.startswith("cpr") or "personnummer" in key
