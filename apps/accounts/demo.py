"""The demo area's people (called from `seed_demo`): a user of every role with one known password, the
coordinators' and admins' authenticators, and the table of logins the command prints. Demo only: the
password is the same for everyone, which is why `seed_demo` runs only with DEBUG on."""

import hashlib
from base64 import b32encode
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Membership, ProgrammeLead, User
from apps.accounts.services import membership_grant, user_create
from apps.core.policy import two_factor_required
from apps.organisation.models import Area, Estate, HousingOrganisation

Role = Membership.Role

DEMO_PASSWORD = "naboambassador"


@dataclass(frozen=True)
class DemoUser:
    role: str  # a Membership.Role, or ADMIN for the superuser who has no membership
    full_name: str
    email: str | None = None
    phone: str = ""
    language: str = "da"
    estates: tuple[str, ...] = ()  # board members: the numbers of the estates whose figures they see


ADMIN = "admin"
PROGRAMME_LEAD = "programme_lead"  # held per housing organisation (a ProgrammeLead), not per area
ROLE_LABELS = {
    Role.COORDINATOR: "Coordinator",
    Role.AMBASSADOR: "Ambassador",
    Role.BOARD: "Board member",
    Role.INTERVIEWER: "Interviewer",
    ADMIN: "Admin (superuser)",
    PROGRAMME_LEAD: "Programme lead (all areas)",
}

# Ambassadors speak Danish, Arabic, Turkish, Somali and English; some have a phone number only and
# sign in with a link by SMS. The numbers are valid Danish mobile numbers so the sign-in form takes them.
DEMO_USERS: list[DemoUser] = [
    DemoUser(Role.COORDINATOR, "Mette Kjærgaard", email="coordinator@demo.dk", phone="+4520100100"),
    DemoUser(Role.AMBASSADOR, "Birthe Holm", email="birthe@demo.dk"),
    DemoUser(Role.AMBASSADOR, "Jens Mikkelsen", phone="+4520100001"),
    DemoUser(Role.AMBASSADOR, "Karen Østergaard", email="karen@demo.dk", phone="+4520100002"),
    DemoUser(Role.AMBASSADOR, "Ahmad Haddad", phone="+4520100003"),
    DemoUser(Role.AMBASSADOR, "Fatima Al-Sayed", email="fatima@demo.dk", phone="+4520100004"),
    DemoUser(Role.AMBASSADOR, "Layla Nasser", phone="+4520100005"),
    DemoUser(Role.AMBASSADOR, "Mehmet Yılmaz", email="mehmet@demo.dk"),
    DemoUser(Role.AMBASSADOR, "Ayşe Demir", phone="+4520100006"),
    DemoUser(Role.AMBASSADOR, "Hodan Warsame", phone="+4520100007"),
    DemoUser(Role.AMBASSADOR, "Abdirahman Farah", email="abdirahman@demo.dk", phone="+4520100008"),
    DemoUser(Role.AMBASSADOR, "Sarah Thompson", email="sarah@demo.dk", language="en"),
    DemoUser(Role.AMBASSADOR, "David Okafor", phone="+4520100009", language="en"),
    DemoUser(Role.BOARD, "Poul Erik Sørensen", email="board1@demo.dk", estates=("101",)),
    DemoUser(Role.BOARD, "Hanne Lindberg", email="board2@demo.dk", estates=("102", "103")),
    DemoUser(Role.INTERVIEWER, "Sofie Lund", email="interviewer@demo.dk"),
    DemoUser(ADMIN, "Demo Admin", email="admin@demo.dk"),
]

# The demo organisation's second area (issue 18), with its own coordinator (not the first area's), a few
# ambassadors and an interviewer; the admin sees the survey rounds across both areas.
SECOND_AREA_LABEL = "Egeløkke"
SECOND_AREA_USERS: list[DemoUser] = [
    DemoUser(Role.COORDINATOR, "Lars Bech", email="coordinator2@demo.dk", phone="+4520100200"),
    DemoUser(Role.AMBASSADOR, "Inge Dahl", email="inge@demo.dk"),
    DemoUser(Role.AMBASSADOR, "Yasmin Khalaf", phone="+4520100201"),
    DemoUser(Role.AMBASSADOR, "Deniz Aksoy", email="deniz@demo.dk", phone="+4520100202"),
    DemoUser(Role.AMBASSADOR, "Nasra Ali", phone="+4520100203"),
    DemoUser(Role.INTERVIEWER, "Rasmus Vinther", email="interviewer2@demo.dk"),
]
# The demo organisation's programme lead (issue 18): the pooled figures of the survey rounds across both
# areas, no area page, no person's data.
PROGRAMME_LEAD_USER = DemoUser(PROGRAMME_LEAD, "Helle Bruun", email="lead@demo.dk")


def users_demo_build(*, area: Area, estates: dict[str, Estate], specs: list[DemoUser] = DEMO_USERS) -> list[User]:
    """Every demo user of `specs`, with a membership of the area in their role (the admin has none)."""
    users = []
    for spec in specs:
        is_admin = spec.role == ADMIN
        user = user_create(
            email=spec.email,
            full_name=spec.full_name,
            phone=spec.phone,
            language=spec.language,
            password=DEMO_PASSWORD,
            is_staff=is_admin,
            is_superuser=is_admin,
        )
        # The same checks a person's own password gets, so the demo never teaches a weak one.
        validate_password(DEMO_PASSWORD, user=user)
        if not is_admin:
            membership_grant(user=user, area=area, role=spec.role, estates=[estates[number] for number in spec.estates])
        users.append(user)
    return users


def programme_lead_demo_build(*, organisation: HousingOrganisation) -> User:
    """The organisation's demo programme lead, with the demo password.

    Not `programme_lead_grant`: that sends a one-time sign-in link, and the demo signs in with the password."""
    spec = PROGRAMME_LEAD_USER
    user = user_create(email=spec.email, full_name=spec.full_name, language=spec.language, password=DEMO_PASSWORD)
    ProgrammeLead.objects.create(user=user, organisation=organisation)
    return user


def demo_totp_key(email: str) -> str:
    """A fixed TOTP secret per demo account (hex), so every run and the README show the same one. Demo only."""
    return hashlib.sha1(f"naboambassador-demo-totp:{email}".encode()).hexdigest()


def two_factor_demo_build() -> list[TOTPDevice]:
    """An authenticator for each demo coordinator, admin and programme lead, who must give a code at sign-in.

    Idempotent, so a demo seeded before two-factor sign-in existed gets its devices on the next run."""
    devices = []
    emails = [spec.email for spec in [*DEMO_USERS, *SECOND_AREA_USERS, PROGRAMME_LEAD_USER] if spec.email]
    for user in User.objects.filter(email__in=emails).order_by("pk"):
        if two_factor_required(user):
            device, _created = TOTPDevice.objects.get_or_create(
                user=user, name="Demo", defaults={"key": demo_totp_key(user.email), "confirmed": True}
            )
            devices.append(device)
    return devices


def two_factor_table(devices: list[TOTPDevice]) -> list[str]:
    """Each demo coordinator's, admin's and programme lead's key (for an authenticator app) and the code valid now."""
    lines = []
    for device in devices:
        secret = b32encode(device.bin_key).decode()
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        lines.append(f"{device.user.email}  key {secret}  code now {code:06d}")
    return lines


def login_table() -> list[str]:
    """The demo logins as lines of a plain-text table."""
    rows = [("Role", "Name", "Sign in with", "Password")]
    second = [(spec, f" – {SECOND_AREA_LABEL}") for spec in SECOND_AREA_USERS]
    for spec, area_label in [*((spec, "") for spec in DEMO_USERS), *second, (PROGRAMME_LEAD_USER, "")]:
        role = ROLE_LABELS[spec.role] + area_label
        if spec.estates:
            role = f"{role} ({', '.join(spec.estates)})"
        if spec.email:
            rows.append((role, spec.full_name, spec.email, DEMO_PASSWORD))
        else:
            # The password form takes an e-mail address; phone-only users get a link by SMS.
            rows.append((role, spec.full_name, spec.phone, "(link by SMS)"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines
