"""No action of one area's coordinator changes a row of another area.

The role × URL table (tests/test_access.py) asks who may open a URL; this file asks what an allowed action
WROTE. Every POST of the project is in ACTIONS (or in NOT_A_COORDINATORS_WRITE with the reason), so a new
one fails `test_every_post_is_in_the_isolation_table` until it is here. Each action runs with valid data
and must change something of `area`, and nothing of `other_area`, of `empty_area` or of no area at all.

ATTACKS are the same actions run by `other_coordinator` against their OWN URLs, with ids and values that
belong to `area` in the body: whatever the answer, no row of `area` may change.
"""

# ruff: noqa: F811 - the role × URL table's fixtures are imported, then named as test arguments
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from django.utils import timezone

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant, membership_invitation_create, user_create
from apps.newcomers.services import import_run_create
from apps.surveys.models import Question
from apps.surveys.selectors import area_questions
from apps.visits.models import Ambassador
from tests import snapshot
from tests.test_abuse import _url_names
from tests.test_access import ROUTES, _picture_png, ctx, users, world  # noqa: F401 - the table's fixtures

pytestmark = pytest.mark.django_db

Data = dict | Callable[[SimpleNamespace], dict]


@dataclass(frozen=True)
class Action:
    name: str  # the URL name, then what the row is about in brackets
    url: Callable[[SimpleNamespace], str]
    data: Data = field(default_factory=dict)
    ok: int = 302
    by: str = "other_coordinator"  # who runs an attack
    # An invitation asks the person themselves: a message to someone of another area is its very effect.
    asks_consent: bool = False

    def __str__(self) -> str:
        return self.name


def _today(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _move_in_list(*numbers: str) -> SimpleUploadedFile:
    rows = "".join(f"{number};01-11-2026\r\n" for number in numbers)
    return SimpleUploadedFile("liste.csv", f"Lejemålsnr.;Indflytningsdato\r\n{rows}".encode("cp1252"))


def _new_member(c) -> int:
    """Someone with the ambassador role in `area` and no profile yet (made before the snapshot)."""
    user = user_create(email="nora.new@example.org", full_name="Nora New", phone="", password=None)
    membership_grant(user=user, area=c.area, role=Membership.Role.AMBASSADOR)
    return user.pk


def _survey_fields(c, area) -> dict:
    return {
        "title": "Tilflytterundersøgelse",
        "period_start": _today(-90),
        "period_end": _today(),
        "opens_on": _today(),
        "closes_on": _today(30),
        "max_call_attempts": 3,
        "questions": [q.pk for q in area_questions(area=area)],
    }


def _area_question(c) -> Question:
    return Question.objects.create(
        area=c.area, code="bike_room", kind=Question.Kind.YES_NO_DONTKNOW, texts={"da": "Cykelrum?"}
    )


def _started(meeting) -> None:
    """Attendance is taken from the day of the meeting: move it to an hour ago (before the snapshot)."""
    meeting.starts_at = timezone.now() - datetime.timedelta(hours=2)
    meeting.ends_at = timezone.now() - datetime.timedelta(hours=1)
    meeting.save(update_fields=["starts_at", "ends_at"])


def _checked_list(c, *numbers: str, into: str = "other_area") -> dict:
    """A move-in list the other area's coordinator uploaded, waiting for confirmation (made before the
    snapshot, so the confirmation is what is measured)."""
    data = "Lejemålsnr.;Indflytningsdato\r\n" + "".join(f"{n};01-11-2026\r\n" for n in numbers)
    c.attack_run = import_run_create(
        organisation=c.organisation,
        area=getattr(c, into),
        user=c.attacker,
        filename="liste.csv",
        data=data.encode("cp1252"),
    )
    return {"column_0": "tenancy_number", "column_1": "move_in_date"}


def _invitation(c, *, into: str, person=None) -> dict:
    """A pending invitation to `into` for a person of another area (made before the snapshot)."""
    c.invitation = membership_invitation_create(
        user=person or c.ambassador_profile.user,
        area=getattr(c, into),
        role=Membership.Role.AMBASSADOR,
        full_name="Invited Person",
        email="",
        phone="",
        by=None,
    )
    return {}


def _ambassador_fields(**extra) -> dict:
    return {
        "status": "active",
        "status_since": _today(-30),
        "started_on": _today(-30),
        "recruited_via": "other",
        "languages": ["da"],
        "visits_per_month": 2,
        **extra,
    }


def _area_url(name: str, *args: Callable) -> Callable[[SimpleNamespace], str]:
    return lambda c: reverse(name, args=[c.area.slug, *(arg(c) for arg in args)])


def _other_url(name: str, *args: Callable) -> Callable[[SimpleNamespace], str]:
    return lambda c: reverse(name, args=[c.other_area.slug, *(arg(c) for arg in args)])


# --- Every write of `area`'s coordinator ---------------------------------------------------------------

ACTIONS = [
    Action(
        "accounts:people",
        _area_url("accounts:people"),
        {"full_name": "Nina New", "email": "nina@example.org", "language": "da"},
    ),
    Action("accounts:resend_link", _area_url("accounts:resend_link", lambda c: c.ambassador_membership.pk)),
    # Asks again someone of the other area who was invited here: a message to them is the point of it.
    Action(
        "accounts:resend_invitation",
        lambda c: reverse("accounts:resend_invitation", args=[c.area.slug, c.invitation.pk]),
        lambda c: _invitation(
            c, into="area", person=c.other_area.memberships.filter(role="coordinator").earliest("pk").user
        ),
        asks_consent=True,
    ),
    Action(
        "newcomers:upload",
        _area_url("newcomers:upload"),
        lambda c: {"organisation": c.organisation.pk, "file": _move_in_list("101-0002")},
    ),
    Action(
        "newcomers:confirm",
        _area_url("newcomers:confirm", lambda c: c.import_run.pk),
        {"column_0": "tenancy_number", "column_1": "move_in_date"},
    ),
    Action("visits:ambassador_list", _area_url("visits:ambassador_list"), lambda c: {"user": _new_member(c)}),
    Action(
        "visits:ambassador_edit",
        _area_url("visits:ambassador_edit", lambda c: c.ambassador_profile.pk),
        lambda c: _ambassador_fields(covered_estates=[c.estate.pk], visits_per_month=4),
    ),
    Action(
        "visits:support",
        _area_url("visits:support", lambda c: c.ambassador_profile.pk),
        {"held_on": _today(), "note": "Vil gerne ringe til tilflyttere", "phone": "gives", "languages": ["ar"]},
    ),
    Action(
        "visits:support_edit",
        _area_url("visits:support_edit", lambda c: c.ambassador_profile.pk, lambda c: c.support.pk),
        {"held_on": _today(), "note": "Ændret", "next_on": _today(60)},
    ),
    Action(
        "visits:support_delete",
        _area_url("visits:support_delete", lambda c: c.ambassador_profile.pk, lambda c: c.support.pk),
    ),
    Action(
        "visits:assign",
        _area_url("visits:assign"),
        lambda c: {"newcomer": [c.waiting_newcomer.pk], f"ambassador_{c.waiting_newcomer.pk}": c.ambassador_profile.pk},
    ),
    Action(
        "visits:reassign",
        _area_url("visits:reassign", lambda c: c.visit.pk),
        lambda c: {"ambassador": c.other_ambassador_profile.pk},
    ),
    Action(
        "visits:coordinator_record",
        _area_url("visits:coordinator_record", lambda c: c.visit.pk),
        lambda c: {"outcome": "met_talked", "visited_on": _today(), "language": "so"},
    ),
    Action(
        "visits:newcomer_edit",
        _area_url("visits:newcomer_edit", lambda c: c.waiting_newcomer.pk),
        {"language": "so", "phone": "40506070", "email": "ny@example.org", "do_not_contact": "on"},
    ),
    Action(
        "visits:activity_new",
        _area_url("visits:activity_new"),
        {
            "name": "Strikkeklub",
            "description": "",
            "schedule": "Tirsdag",
            "place": "Fælleshuset",
            "contact": "",
            "languages": ["da"],
            "is_active": "on",
        },
    ),
    Action(
        "visits:activity_edit",
        _area_url("visits:activity_edit", lambda c: c.activity.pk),
        {
            "name": "Madklub for alle",
            "description": "",
            "schedule": "",
            "place": "",
            "contact": "",
            "languages": ["da"],
            "is_active": "on",
        },
    ),
    Action("visits:referral_follow_up", _area_url("visits:referral_follow_up", lambda c: c.referral.pk)),
    Action(
        "meetings:new",
        _area_url("meetings:new"),
        {"title": "Netværksmøde", "date": _today(10), "start": "17:00", "end": "19:00", "place": "Fælleshuset"},
    ),
    Action(
        "meetings:series_new",
        _area_url("meetings:series_new"),
        {
            "title": "Månedsmøde",
            "nth": 1,
            "weekday": 1,
            "start_time": "17:00",
            "duration_minutes": 120,
            "place": "Fælleshuset",
            "invite_days_before": 14,
            "ends_on": _today(70),
        },
    ),
    Action(
        "meetings:series",
        _area_url("meetings:series", lambda c: c.series.pk),
        {"title": "Netværk", "place": "Salen", "invite_days_before": 10, "ends_on": _today(30), "confirm": "1"},
    ),
    Action(
        "meetings:series_end",
        _area_url("meetings:series_end", lambda c: c.series.pk),
        {"ends_on": _today(20), "confirm": "1"},
    ),
    Action("meetings:invite", _area_url("meetings:invite", lambda c: c.meeting.pk), {"confirm": "1"}),
    Action("meetings:cancel", _area_url("meetings:cancel", lambda c: c.meeting.pk), {"confirm": "1"}),
    Action(
        "meetings:attendance",
        _area_url("meetings:attendance", lambda c: c.meeting.pk),
        lambda c: _started(c.meeting) or {"present": [c.invitation.pk]},
    ),
    Action(
        "meetings:minutes_edit",
        _area_url("meetings:minutes_edit", lambda c: c.meeting.pk),
        {"markdown": "Nyt referat", "action": "save"},
    ),
    Action(
        "meetings:action_item_new",
        _area_url("meetings:action_item_new", lambda c: c.meeting.pk),
        lambda c: {"text": "Bestil kage", "owner": c.ambassador_profile.pk},
    ),
    Action(
        "meetings:action_item_done",
        _area_url("meetings:action_item_done", lambda c: c.meeting.pk, lambda c: c.action_item.pk),
        {"done": "1"},
    ),
    Action("surveys:new", _area_url("surveys:new"), lambda c: _survey_fields(c, c.area)),
    Action(
        "surveys:edit",
        _area_url("surveys:edit", lambda c: c.survey.pk),
        lambda c: {**_survey_fields(c, c.area), "title": "Ny titel"},
    ),
    Action(
        "surveys:question_new",
        _area_url("surveys:question_new"),
        {"code": "laundry", "kind": "yes_no_dontknow", "text_da": "Bruger du vaskeriet?"},
    ),
    Action("surveys:invite", _area_url("surveys:invite", lambda c: c.survey.pk), {"confirm": "1"}),
    Action(
        "surveys:import",
        _area_url("surveys:import", lambda c: c.survey.pk),
        lambda c: {
            "file": SimpleUploadedFile(
                "firm.csv",
                f"respondent_ref;language;interview_date;ambassador_contact\r\nR1;da;{_today()};ja\r\n".encode(),
            )
        },
        ok=200,
    ),
    Action(
        "surveys:call_record",
        lambda c: reverse("surveys:call_record", args=[c.survey_invitation.pk]),
        {"outcome": "no_answer"},
    ),
    Action(
        "surveys:interview",
        lambda c: reverse("surveys:interview", args=[c.survey_invitation.pk]),
        {"language": "da", "q_ambassador_contact": "yes"},
    ),
    Action(
        "privacy:newcomer_erase",
        _area_url("privacy:newcomer_erase", lambda c: c.waiting_newcomer.pk),
        {"confirm": "on"},
    ),
    Action(
        "privacy:person_erase",
        _area_url("privacy:person_erase", lambda c: c.other_ambassador_profile.user_id),
        {"confirm": "on"},
    ),
    Action("dashboards:report_list", _area_url("dashboards:report_list"), lambda c: {"year": c.report.year - 1}),
    Action(
        "folders:section_edit",
        _area_url("folders:section_edit", lambda c: c.folder_section.pk, lambda c: "en"),
        {"title": "Welcome", "markdown": "Hi"},
    ),
    Action("folders:section_new", _area_url("folders:section_new"), {"title": "Cykler"}),
    Action("folders:language_add", _area_url("folders:language_add"), {"language": "so"}),
    Action(
        "folders:picture_upload",
        _area_url("folders:picture_upload", lambda c: c.folder_section.pk),
        lambda c: {"image": SimpleUploadedFile("p.png", _picture_png(), content_type="image/png")},
    ),
    Action("folders:picture_remove", _area_url("folders:picture_remove", lambda c: c.folder_picture.pk)),
    Action("folders:publish", _area_url("folders:publish"), {"confirm": "1"}),
    Action("folders:batch_list", _area_url("folders:batch_list")),
    Action("folders:visit_folder", lambda c: reverse("folders:visit_folder", args=[c.visit.pk])),
    Action("hours:area", _area_url("hours:area"), lambda c: {"entry": [c.hour_entry.pk], "confirm": "1"}),
    Action("hours:reject", _area_url("hours:reject", lambda c: c.hour_entry.pk), {"reason": "Ikke aftalt"}),
    Action("hours:settings", _area_url("hours:settings"), {"enabled": "on", "minutes_per_visit": "30"}),
    Action("hours:payroll", _area_url("hours:payroll", lambda c: c.ambassador_profile.pk), {"number": "L-1"}),
    Action("access:undelivered_retry", _area_url("access:undelivered_retry", lambda c: c.undelivered.pk)),
    Action(
        "access:undelivered_other_channel",
        _area_url("access:undelivered_other_channel", lambda c: c.undelivered.pk),
    ),
    # --- Recognition (issue 17 point 5) ---
    Action(
        "corps:recognition_settings",
        _area_url("corps:recognition_settings"),
        {"thank_yous": "on", "visit_milestones": "5, 10", "anniversaries": "on"},
    ),
    # --- The ambassador corps: training (issue 17) ---
    Action(
        "corps:training_new",
        _area_url("corps:training_new"),
        lambda c: {"topic": c.training_topic.pk, "held_on": _today(7), "attendees": [c.ambassador_profile.pk]},
    ),
    Action(
        "corps:training_edit",
        _area_url("corps:training_edit", lambda c: c.training.pk),
        lambda c: {"title": "Rollen", "held_on": _today(-30), "attendees": [c.other_ambassador_profile.pk]},
    ),
    Action("corps:training_delete", _area_url("corps:training_delete", lambda c: c.training.pk), {"confirm": "1"}),
    Action("corps:topic_new", _area_url("corps:topic_new"), {"name": "Områdets faciliteter og regler"}),
    Action(
        "corps:topic_edit",
        _area_url("corps:topic_edit", lambda c: c.training_topic.pk),
        {"name": "Rollen og dens grænser", "refresh_months": "12"},
    ),
    # --- The ambassador corps: recruitment and onboarding (apps/corps) ---
    Action(
        "corps:candidates",
        _area_url("corps:candidates"),
        {"full_name": "Mette Madsen", "phone": "20 30 40 59", "channel": "poster_advert", "interested_on": _today()},
    ),
    Action("corps:candidate", _area_url("corps:candidate", lambda c: c.candidate.pk), {"note": "Ringer igen"}),
    Action(
        "corps:candidate_intro_talk",
        _area_url("corps:candidate_intro_talk", lambda c: c.candidate.pk),
        lambda c: {"on": _today()},
    ),
    Action("corps:candidate_accept", _area_url("corps:candidate_accept", lambda c: c.candidate.pk), {"confirm": "1"}),
    Action("corps:candidate_stop", _area_url("corps:candidate_stop", lambda c: c.candidate.pk), {"reason": "no_reply"}),
    Action("corps:candidate_profile", _area_url("corps:candidate_profile", lambda c: c.waiting_candidate.pk)),
    Action(
        "corps:ambassador_advance",
        _area_url("corps:ambassador_advance", lambda c: c.accepted_profile.pk),
        {"status": "trained", "confirm": "1"},
    ),
    Action(
        "corps:onboarding",
        _area_url("corps:onboarding", lambda c: c.accepted_profile.pk),
        lambda c: {"intro_talk_on": _today(), "mentor": c.ambassador_profile.pk},
    ),
    # --- The survey round's report as a PDF (issue 18): a round over `area` only; the job row is the round's ---
    Action("surveys:round_report_new", lambda c: reverse("surveys:round_report_new", args=[c.survey_round.pk])),
]

# Every other URL that accepts a POST, and why it is not a coordinator's write of an area.
NOT_A_COORDINATORS_WRITE = {
    "set_language": "a cookie, no row",
    "core:gatewayapi_webhook": "the SMS gateway's signed delivery report, no user (tests/core/test_gatewayapi.py)",
    "accounts:login": "signing in (the table covers it)",
    "accounts:logout": "signing out",
    "accounts:link_request": "asks for one's own sign-in link",
    "accounts:link_login": "signs in with a link",
    "accounts:password_reset": "Django's own password reset",
    "accounts:password_reset_confirm": "Django's own password reset",
    "accounts:password_change": "one's own password",
    "accounts:two_factor_setup": "one's own second factor",
    "accounts:two_factor_verify": "one's own second factor",
    "accounts:invitation_accept": "the invited person's own answer (tests/test_access.py checks it joins only that area)",
    "accounts:invitation_decline": "the invited person's own answer (idem)",
    "visits:my_profile": "the ambassador's own profile (tests/test_access.py checks its writes stay in the area)",
    "visits:record_attempt": "the ambassador's own visit (idem)",
    "visits:later_contact_new": "the ambassador's own met visit (idem; refusals below)",
    "visits:later_contact_undo": "the ambassador's own later contact (idem; refusals below)",
    "meetings:invitation_answer": "the ambassador's own invitation (idem)",
    "meetings:suggest": "the ambassador's own invitation (idem)",
    "meetings:answer": "a signed link for one invitation (idem)",
    "surveys:answer": "a signed link for one newcomer (idem)",
    "hours:mine": "the ambassador's own hours (tests/test_access.py checks its writes stay in the area)",
    "hours:entry_edit": "the ambassador's own entry (idem)",
    "surveys:qr_start": "a signed link for one survey (idem)",
    "surveys:anonymous": "a signed link for one anonymous answer (idem)",
    "corps:join": "the public recruitment page, no user (tests/corps/test_recruitment.py; the table checks its area)",
}


def test_every_post_is_in_the_isolation_table():
    """A URL that takes a POST must be placed here; GET-only URLs are the read pages of the role × URL table."""
    posts = {
        route.name.split(" (")[0]
        for route in ROUTES
        if route.method == "post" and route.ok != 405 and set(route.refused.values()) != {405}
    }
    placed = {action.name.split(" (")[0] for action in ACTIONS} | NOT_A_COORDINATORS_WRITE.keys()
    all_urls = set(_url_names(get_resolver().url_patterns))
    assert not (posts - placed), f"add these to ACTIONS in tests/test_area_isolation.py: {sorted(posts - placed)}"
    assert placed <= all_urls, f"no such URL: {sorted(placed - all_urls)}"


def _run(client, c, action: Action, on_commit):
    data = action.data(c) if callable(action.data) else action.data  # first: it may make what the URL names
    url = action.url(c)
    before = snapshot.take()
    with on_commit(execute=True):  # the work queued after commit (an import, a message) is part of the effect
        response = client.post(url, data)
    return response, snapshot.diff(before, snapshot.take())


def _unexpected(action: Action, changes) -> list:
    return [change for change in changes if not (action.asks_consent and snapshot.is_consent_request(change))]


def _listed(changes) -> str:
    return "\n".join(map(str, changes))


@pytest.mark.parametrize("action", ACTIONS, ids=str)
def test_a_coordinators_action_changes_only_their_own_area(
    client, users, ctx, action, django_capture_on_commit_callbacks
):
    client.force_login(users["coordinator"])
    response, changes = _run(client, ctx, action, django_capture_on_commit_callbacks)
    assert response.status_code == action.ok, _form_errors(response)
    assert snapshot.changes_in(changes, area=ctx.area.pk), f"{action} changed nothing in its own area"
    foreign = _unexpected(action, snapshot.foreign_changes(changes, own={ctx.area.pk}))
    assert not foreign, f"{action} wrote outside its area:\n{_listed(foreign)}"


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if r.method == "get" and "coordinator" in r.allowed and r.ok < 400],
    ids=str,
)
def test_a_coordinators_page_writes_nothing_outside_the_area(
    client, users, ctx, route, django_capture_on_commit_callbacks
):
    """Pages and downloads (exports, PDFs, previews) may log access; any row they write is of their area."""
    client.force_login(users["coordinator"])
    before = snapshot.take()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(route.url(ctx))
    changes = snapshot.diff(before, snapshot.take())
    assert response.status_code == route.ok
    foreign = snapshot.foreign_changes(changes, own={ctx.area.pk})
    assert not foreign, f"{route} wrote outside its area:\n{_listed(foreign)}"


# --- The other area's coordinator, on their own URLs, with `area`'s ids and values ----------------------

ATTACKS = [
    # Another area's undelivered message, through the attacker's own area: not found, nothing sent.
    Action(
        "access:undelivered_retry (another area's message)",
        _other_url("access:undelivered_retry", lambda c: c.undelivered.pk),
    ),
    Action(
        "access:undelivered_other_channel (another area's message)",
        _other_url("access:undelivered_other_channel", lambda c: c.undelivered.pk),
    ),
    # Inviting an address or number already used must not adopt that person: they are only asked.
    Action(
        "accounts:people (invite by another area's ambassador's e-mail)",
        _other_url("accounts:people"),
        lambda c: {"full_name": "Ali", "email": c.ambassador_profile.user.email, "language": "da"},
        asks_consent=True,
    ),
    Action(
        "accounts:people (invite by another area's ambassador's phone)",
        _other_url("accounts:people"),
        lambda c: {"full_name": "Ali", "phone": c.ambassador_profile.user.phone, "language": "da"},
        asks_consent=True,
    ),
    Action(
        "accounts:resend_invitation (an invitation of another area)",
        lambda c: reverse("accounts:resend_invitation", args=[c.other_area.slug, c.invitation.pk]),
        lambda c: _invitation(c, into="area"),
    ),
    # A move-in list for an organisation, with tenancy numbers of `area`.
    Action(
        "newcomers:upload (another area's tenancy numbers)",
        _other_url("newcomers:upload"),
        lambda c: {"organisation": c.organisation.pk, "file": _move_in_list("101-0002", "102-0002")},
    ),
    Action(
        "newcomers:confirm (another area's tenancy numbers)",
        lambda c: reverse("newcomers:confirm", args=[c.other_area.slug, c.attack_run.pk]),
        lambda c: _checked_list(c, "101-0002", "102-0002"),
    ),
    # An area without estates may import for no organisation (its upload is refused, so nothing to confirm).
    Action(
        "newcomers:upload (an area without estates, another area's organisation)",
        lambda c: reverse("newcomers:upload", args=[c.empty_area.slug]),
        lambda c: {"organisation": c.organisation.pk, "file": _move_in_list("101-0002", "102-0002")},
        by="empty_area_coordinator",
    ),
    Action(
        "visits:ambassador_list (another area's ambassador)",
        _other_url("visits:ambassador_list"),
        lambda c: {"user": c.ambassador_profile.user_id},
    ),
    Action(
        "visits:ambassador_edit (another area's estate and training)",
        _other_url("visits:ambassador_edit", lambda c: c.other_batch_file.ambassador_id),
        lambda c: _ambassador_fields(
            covered_estates=[c.estate.pk], home_estate=c.estate.pk, home_tenancy_number="101-0001"
        ),
    ),
    Action(
        "visits:support (another area's ambassador)",
        _other_url("visits:support", lambda c: c.ambassador_profile.pk),
        {"held_on": _today(), "note": "Indsat udefra"},
    ),
    Action(
        "visits:support_edit (another area's note, through an own ambassador)",
        _other_url("visits:support_edit", lambda c: c.other_batch_file.ambassador_id, lambda c: c.support.pk),
        {"held_on": _today(), "note": "Ændret udefra"},
    ),
    Action(
        "visits:support_delete (another area's note, through an own ambassador)",
        _other_url("visits:support_delete", lambda c: c.other_batch_file.ambassador_id, lambda c: c.support.pk),
    ),
    Action(
        "visits:support_delete (another area's note and ambassador)",
        _other_url("visits:support_delete", lambda c: c.ambassador_profile.pk, lambda c: c.support.pk),
    ),
    Action(
        "visits:assign (another area's newcomer and ambassador)",
        _other_url("visits:assign"),
        lambda c: {"newcomer": [c.waiting_newcomer.pk], f"ambassador_{c.waiting_newcomer.pk}": c.ambassador_profile.pk},
    ),
    Action(
        "visits:coordinator_record (another area's visit)",
        _other_url("visits:coordinator_record", lambda c: c.visit.pk),
        lambda c: {"outcome": "met_talked", "visited_on": _today(), "language": "so"},
    ),
    Action(
        "visits:newcomer_edit (another area's newcomer)",
        _other_url("visits:newcomer_edit", lambda c: c.waiting_newcomer.pk),
        {"language": "so", "phone": "40506070", "email": "", "do_not_contact": "on"},
    ),
    Action(
        "meetings:attendance (another area's invitation)",
        _other_url("meetings:attendance", lambda c: c.other_meeting.pk),
        lambda c: _started(c.other_meeting) or {"present": [c.invitation.pk, c.other_invitation.pk]},
    ),
    Action(
        "meetings:action_item_new (another area's ambassador as owner)",
        _other_url("meetings:action_item_new", lambda c: c.other_meeting.pk),
        lambda c: {"text": "Kaffe", "owner": c.ambassador_profile.pk},
    ),
    Action(
        "meetings:action_item_done (another area's action item)",
        _other_url("meetings:action_item_done", lambda c: c.other_meeting.pk, lambda c: c.action_item.pk),
        {"done": "1"},
    ),
    Action(
        "meetings:series_end (another area's series)",
        _other_url("meetings:series_end", lambda c: c.series.pk),
        {"ends_on": _today(), "confirm": "1"},
    ),
    Action(
        "meetings:invite (another area's ambassadors)",
        _other_url("meetings:invite", lambda c: c.other_meeting.pk),
        {"confirm": "1"},
    ),
    Action(
        "surveys:new (another area's question)",
        _other_url("surveys:new"),
        lambda c: {**_survey_fields(c, c.other_area), "questions": [_area_question(c).pk]},
    ),
    Action(
        "surveys:edit (another area's question)",
        _other_url("surveys:edit", lambda c: c.other_survey.pk),
        lambda c: {**_survey_fields(c, c.other_area), "questions": [_area_question(c).pk]},
    ),
    Action(
        "surveys:invite (another area's newcomers)",
        _other_url("surveys:invite", lambda c: c.other_survey.pk),
        {"confirm": "1"},
    ),
    Action(
        "privacy:newcomer_erase (another area's newcomer)",
        _other_url("privacy:newcomer_erase", lambda c: c.waiting_newcomer.pk),
        {"confirm": "on"},
    ),
    Action(
        "privacy:person_erase (another area's ambassador)",
        _other_url("privacy:person_erase", lambda c: c.other_ambassador_profile.user_id),
        {"confirm": "on"},
    ),
    Action(
        "folders:section_edit (another area's section)",
        _other_url("folders:section_edit", lambda c: c.folder_section.pk, lambda c: "da"),
        {"title": "Hacked", "markdown": "Hacked"},
    ),
    Action(
        "folders:picture_upload (another area's section)",
        _other_url("folders:picture_upload", lambda c: c.folder_section.pk),
        lambda c: {"image": SimpleUploadedFile("p.png", _picture_png(), content_type="image/png")},
    ),
    Action(
        "folders:picture_remove (another area's picture)",
        _other_url("folders:picture_remove", lambda c: c.folder_picture.pk),
    ),
    # Hours of `area`: approved, rejected or given a payroll number through the other area's own pages.
    Action(
        "hours:area (approve another area's entries)",
        _other_url("hours:area"),
        lambda c: {"entry": [c.hour_entry.pk, c.other_hour_entry.pk], "confirm": "1"},
    ),
    Action(
        "hours:reject (another area's entry)",
        _other_url("hours:reject", lambda c: c.hour_entry.pk),
        {"reason": "Hacked"},
    ),
    Action(
        "hours:payroll (another area's ambassador)",
        _other_url("hours:payroll", lambda c: c.ambassador_profile.pk),
        {"number": "HACKED"},
    ),
    # --- The ambassador corps: training (issue 17) --- `area`'s ambassadors ticked into the attacker's own
    # sessions, `area`'s topic chosen, `area`'s session and topic edited or deleted through the attacker's area.
    Action(
        "corps:training_new (another area's ambassador and topic)",
        _other_url("corps:training_new"),
        lambda c: {"topic": c.training_topic.pk, "held_on": _today(), "attendees": [c.ambassador_profile.pk]},
    ),
    Action(
        "corps:training_edit (another area's ambassador in one's own session)",
        _other_url("corps:training_edit", lambda c: c.other_training.pk),
        lambda c: {"title": "Intro", "held_on": _today(), "attendees": [c.ambassador_profile.pk]},
    ),
    Action(
        "corps:training_edit (another area's session)",
        _other_url("corps:training_edit", lambda c: c.training.pk),
        {"title": "Hacked", "held_on": _today(), "attendees": []},
    ),
    Action(
        "corps:training_delete (another area's session)",
        _other_url("corps:training_delete", lambda c: c.training.pk),
        {"confirm": "1"},
    ),
    Action(
        "corps:topic_edit (another area's topic)",
        _other_url("corps:topic_edit", lambda c: c.training_topic.pk),
        {"name": "Hacked"},
    ),
    # --- The ambassador corps: recruitment and onboarding (apps/corps) ---
    # `area`'s candidates and new ambassador, named through the other area's own pages: refused, unchanged.
    Action(
        "corps:candidate (another area's candidate)",
        _other_url("corps:candidate", lambda c: c.candidate.pk),
        {"note": "HACKED"},
    ),
    Action(
        "corps:candidate_intro_talk (another area's candidate)",
        _other_url("corps:candidate_intro_talk", lambda c: c.candidate.pk),
        lambda c: {"on": _today()},
    ),
    Action(
        "corps:candidate_accept (another area's candidate)",
        _other_url("corps:candidate_accept", lambda c: c.candidate.pk),
        {"confirm": "1"},
    ),
    Action(
        "corps:candidate_stop (another area's candidate)",
        _other_url("corps:candidate_stop", lambda c: c.candidate.pk),
        {"reason": "other"},
    ),
    Action(
        "corps:candidate_profile (another area's candidate)",
        _other_url("corps:candidate_profile", lambda c: c.waiting_candidate.pk),
    ),
    Action(
        "corps:ambassador_advance (another area's new ambassador)",
        _other_url("corps:ambassador_advance", lambda c: c.accepted_profile.pk),
        {"status": "trained", "confirm": "1"},
    ),
    Action(
        "corps:onboarding (another area's new ambassador)",
        _other_url("corps:onboarding", lambda c: c.accepted_profile.pk),
        lambda c: {"intro_talk_on": _today()},
    ),
    # The attacker's own new ambassador, with `area`'s ambassador as mentor: refused, nothing of `area` changes.
    Action(
        "corps:onboarding (another area's ambassador as mentor)",
        _other_url("corps:onboarding", lambda c: c.other_batch_file.ambassador_id),
        lambda c: {"mentor": c.ambassador_profile.pk, "first_visit_with": c.ambassador_profile.pk},
    ),
]


# The two-area user coordinates `other_area` and is an ambassador of `area`: the same attacks, with a foot in it.
ATTACKERS = [(action, action.by) for action in ATTACKS] + [
    (action, "two_area_user") for action in ATTACKS if action.by == "other_coordinator"
]


@pytest.mark.parametrize(("action", "by"), ATTACKERS, ids=lambda value: str(value))
def test_another_areas_ids_in_a_coordinators_own_form_change_nothing_of_the_area(
    client, users, ctx, action, by, django_capture_on_commit_callbacks
):
    ctx.attacker = users[by]
    client.force_login(ctx.attacker)
    response, changes = _run(client, ctx, action, django_capture_on_commit_callbacks)
    assert response.status_code < 500
    touched = _unexpected(action, snapshot.changes_in(changes, area=ctx.area.pk))
    assert not touched, f"{action} changed rows of another area:\n{_listed(touched)}"


def _form_errors(response) -> str:
    """What a refused form said, to fix the table's data."""
    form = (response.context or {}).get("form")
    return str(form.errors) if form is not None else str(response.status_code)


def test_a_former_ambassador_sees_nothing_of_their_visit_within_the_grace_period(client, users, ctx):
    """Left three days ago; their last visit closed five days ago, within VISIT_CONTACT_GRACE_DAYS, when an
    ambassador still has it on their list (by its address). Leaving ends that: the pages they still open do
    not show it."""
    entrance = ctx.former_visit.newcomer.tenancy.entrance
    address = f"{entrance.street} {entrance.house_number}"
    pages = [reverse("visits:mine"), reverse("visits:met_list"), reverse("meetings:mine"), reverse("visits:my_profile")]
    client.force_login(users["former_ambassador"])
    assert not [url for url in pages if address in client.get(url).content.decode()]
    # Had they not left, the visit would still be on their list.
    Ambassador.objects.filter(pk=ctx.former_visit.ambassador_id).update(status=Ambassador.Status.ACTIVE)
    assert address in client.get(reverse("visits:mine")).content.decode()


# --- Contact after the visit: only the ambassador who met the newcomer notes (or undoes) it -------------


@pytest.mark.parametrize("by", ["other_ambassador_area", "two_area_user", "former_ambassador", "coordinator"])
def test_nobody_else_notes_a_later_contact_on_an_ambassadors_visit(client, users, ctx, by):
    """Anne's visit (same area), asked by another area's ambassador, the two-area user, a former ambassador
    and the coordinator: refused, and no row changes."""
    client.force_login(users[by])
    before = snapshot.take()
    for visit in (ctx.met_visit, ctx.other_met_visit):
        response = client.post(reverse("visits:later_contact_new", args=[visit.pk]), {"topic": "home"})
        assert response.status_code in (403, 404)
    response = client.post(reverse("visits:later_contact_undo", args=[ctx.later_contact.pk]))
    assert response.status_code in (403, 404)
    assert snapshot.diff(before, snapshot.take()) == []


def test_an_ambassador_cannot_note_a_contact_on_a_colleagues_visit_nor_see_it(client, users, ctx):
    client.force_login(users["ambassador"])
    before = snapshot.take()
    response = client.post(reverse("visits:later_contact_new", args=[ctx.other_met_visit.pk]), {"topic": "home"})
    assert response.status_code == 404
    assert snapshot.diff(before, snapshot.take()) == []
    page = client.get(reverse("visits:met_list")).content.decode()
    assert f"met-{ctx.met_visit.pk}" in page and f"met-{ctx.other_met_visit.pk}" not in page
