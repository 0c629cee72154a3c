"""The whole database as rows, and what changed between two moments, with the area of every changed row.

A permission test that checks only the status code passes while the hole stays open; these helpers let a
test say what an action WROTE: a refused request writes nothing (`diff(before, after)` is empty), an
allowed one writes only rows of its own area (`foreign_changes(...)` is empty).

Every concrete model of the project's apps is dumped, with the auth tables that matter (users, their
groups and permissions, TOTP devices) and the automatic many-to-many tables (a board member's estates, an
ambassador's covered estates). Left out, on purpose and nothing else:
- the append-only access log (audit.AccessLogEntry/AccessLogSubject): reading personal data writes it;
- axes' attempt logs, sessions, content types and permissions: bookkeeping of the request itself;
- `User.last_login`: signing in changes it legitimately.
Throttles live in the cache, not in the database.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import F, Model, Q

EXCLUDED_MODELS = {
    "audit.AccessLogEntry",
    "audit.AccessLogSubject",
    "axes.AccessAttempt",
    "axes.AccessAttemptExpiration",
    "axes.AccessFailureLog",
    "axes.AccessLog",
    "sessions.Session",
    "contenttypes.ContentType",
    "auth.Permission",
    "admin.LogEntry",
}
EXCLUDED_FIELDS = {"accounts.User": {"last_login"}}
INCLUDED_APPS = {"accounts", "auth", "otp_totp"}  # besides the project's own apps.* (auth: groups)

# How a row finds its area(s): ORM paths to an Area id. A row may belong to several areas (a user with
# memberships in two). Models not listed here and without an `area` field belong to no area; they are
# named in AREALESS so that a new model has to be placed on purpose.
AREA_PATHS: dict[str, tuple[str, ...]] = {
    "accounts.Membership_estates": ("membership__area", "estate__area"),
    "core.Message": ("to_newcomer__tenancy__estate__area", "area"),
    "organisation.Area": ("id",),
    "organisation.Entrance": ("estate__area",),
    "organisation.Tenancy": ("estate__area",),
    "newcomers.Newcomer": ("tenancy__estate__area",),
    "newcomers.ImportProblem": ("run__area",),
    "newcomers.NewcomerCorrection": ("newcomer__tenancy__estate__area",),
    "visits.Ambassador_covered_estates": ("ambassador__area", "estate__area"),
    "visits.Ambassador_covered_entrances": ("ambassador__area", "entrance__estate__area"),
    "visits.Ambassador_trainings": ("ambassador__area", "training__area"),
    "visits.Attempt": ("visit__area",),
    "visits.Referral": ("visit__area",),
    "visits.SupportConversation": ("ambassador__area",),
    "visits.LaterContact": ("visit__area",),
    "visits.AmbassadorStatusChange": ("ambassador__area",),
    "meetings.Invitation": ("meeting__area",),
    "meetings.AgendaSuggestion": ("meeting__area",),
    "meetings.ActionItem": ("meeting__area",),
    "surveys.SurveyQuestion": ("survey__area",),
    "surveys.Invitation": ("survey__area",),
    "surveys.CallAttempt": ("invitation__survey__area",),
    "surveys.Response": ("survey__area",),
    "surveys.ResponseLink": ("response__survey__area",),
    "surveys.Answer": ("response__survey__area",),
    "surveys.RoundReport": ("round__surveys__area",),  # the round's report: of the areas of its surveys
    "folders.Section": ("folder__area",),
    "folders.SectionText": ("section__folder__area",),
    "folders.Picture": ("folder__area",),
    "folders.FolderVersion": ("folder__area",),
    "folders.EditionRender": ("version__folder__area",),
    "folders.BatchFile": ("batch__area",),
    "folders.Delivery": ("visit__area", "newcomer__tenancy__estate__area"),
    "hours.Payroll": ("ambassador__area",),
    # --- Recognition (issue 17 point 5) ---
    "corps.ThankYou": ("ambassador__area",),
    # --- The ambassador corps: recruitment and onboarding (apps/corps) ---
    "corps.Onboarding": ("ambassador__area",),
}
# Rows about a person (their account, sign-in links, messages to them) belong to every area the person has
# a role in. A person may work in two areas: a row about them is "foreign" to an area only if the person
# has no role there (see `foreign_changes`).
PERSON_PATHS: dict[str, tuple[str, ...]] = {
    "accounts.User": ("memberships__area",),
    "accounts.LoginLink": ("user__memberships__area",),
    "otp_totp.TOTPDevice": ("user__memberships__area",),
    "core.Message": ("to_user__memberships__area",),
}
# Organisation-wide by design: the tenant-list column mapping an organisation's coordinators share (the
# header names of its move-in lists, no personal data). Any area's coordinator may change it.
SHARED_BY_DESIGN = {"newcomers.ColumnMapping"}
# Rows that belong to no area by nature: the organisation (shared by its areas) and its saved column
# mapping, the nightly retention run, Django's groups. A change to one of these is reported as "no area".
AREALESS = {
    "organisation.HousingOrganisation",
    "surveys.SurveyRound",  # a round across an organisation's areas; its surveys belong to their areas
    "newcomers.ColumnMapping",
    "privacy.RetentionRun",
    "auth.Group",
    "auth.Group_permissions",
    "accounts.User_groups",
    "accounts.User_user_permissions",
    # Issue 18: a programme lead's role belongs to a housing organisation, not to an area.
    "accounts.ProgrammeLead",
}


def snapshot_models() -> list[type[Model]]:
    """Every model whose rows are compared, automatic many-to-many tables included."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        app_label = model._meta.app_label
        in_scope = model.__module__.startswith("apps.") or app_label in INCLUDED_APPS
        if model._meta.auto_created:  # a many-to-many table: in scope with the model that declares it
            in_scope = model._meta.auto_created.__module__.startswith("apps.") or app_label in INCLUDED_APPS
        if in_scope and label not in EXCLUDED_MODELS and not model._meta.proxy:
            found.append(model)
    return found


def area_paths(model: type[Model]) -> tuple[str, ...]:
    label = model._meta.label
    if label in AREA_PATHS:
        return AREA_PATHS[label]
    if label in AREALESS or label in PERSON_PATHS:
        return ()
    if any(field.name == "area" for field in model._meta.concrete_fields):
        return ("area",)
    raise LookupError(f"tests/snapshot.py: say which area a {label} row belongs to (AREA_PATHS or AREALESS)")


Key = tuple[str, object]  # (model label, pk)


@dataclass(frozen=True)
class Row:
    values: dict
    areas: frozenset[int]  # empty: the row belongs to no area
    people: frozenset[int]  # the areas of the person the row is about


def take() -> dict[Key, Row]:
    """All rows of every compared model: one query per model, the areas aggregated in the database."""
    rows: dict[Key, Row] = {}
    for model in snapshot_models():
        label = model._meta.label
        excluded = EXCLUDED_FIELDS.get(label, set())
        fields = [field.attname for field in model._meta.concrete_fields if field.name not in excluded]
        paths = {"area": area_paths(model), "person": PERSON_PATHS.get(label, ())}
        annotations = {
            f"_{kind}_{i}": ArrayAgg(F(path), filter=Q(**{f"{path}__isnull": False}), distinct=True, default=[])
            for kind, kind_paths in paths.items()
            for i, path in enumerate(kind_paths)
        }
        for values in model._base_manager.values(*fields, **annotations):
            found = {
                kind: frozenset(area for i in range(len(kind_paths)) for area in values.pop(f"_{kind}_{i}"))
                for kind, kind_paths in paths.items()
            }
            rows[(label, values[model._meta.pk.attname])] = Row(
                values=values, areas=found["area"], people=found["person"]
            )
    return rows


@dataclass(frozen=True)
class Change:
    kind: str  # "created", "changed" or "deleted"
    key: Key
    areas: frozenset[int]
    people: frozenset[int]
    before: dict | None
    after: dict | None

    def __str__(self) -> str:
        if self.kind == "changed":
            fields = {
                name: (self.before[name], self.after[name])
                for name in self.after
                if self.before[name] != self.after[name]
            }
            return f"{self.kind} {self.key} in areas {sorted(self.areas | self.people)}: {fields}"
        return f"{self.kind} {self.key} in areas {sorted(self.areas | self.people)}: {self.after or self.before}"


def diff(before: dict[Key, Row], after: dict[Key, Row]) -> list[Change]:
    """Created, changed and deleted rows; a row's areas are those it had before and after."""
    changes = []
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old is None:
            changes.append(Change("created", key, new.areas, new.people, None, new.values))
        elif new is None:
            changes.append(Change("deleted", key, old.areas, old.people, old.values, None))
        elif old.values != new.values:
            changes.append(
                Change("changed", key, old.areas | new.areas, old.people | new.people, old.values, new.values)
            )
    return sorted(changes, key=lambda change: (change.key[0], str(change.key[1])))


def foreign_changes(changes: Iterable[Change], *, own: Iterable[int]) -> list[Change]:
    """The changes outside `own`: a row of another area; a row about a person with no role in `own`; a row
    of no area at all (an organisation, a global survey question), except those SHARED_BY_DESIGN."""
    own = set(own)

    def foreign(change: Change) -> bool:
        if change.areas:
            return not change.areas <= own
        if change.people:
            return not change.people & own
        return change.key[0] not in SHARED_BY_DESIGN

    return [change for change in changes if foreign(change)]


def changes_in(changes: Iterable[Change], *, area: int) -> list[Change]:
    """The changes to rows of `area`, or about a person who has a role there."""
    return [change for change in changes if area in change.areas or area in change.people]


def is_consent_request(change: Change) -> bool:
    """A new message asking a person to join an area (an invitation): no sign-in link in it. Sent to someone
    of another area on purpose: being asked is how they consent, and nothing else of theirs changes."""
    return (
        change.kind == "created"
        and change.key[0] == "core.Message"
        and change.after["idempotency_key"].startswith("membership-invitation:")
        and "/accounts/link/" not in change.after["body"]
    )
