"""The role × URL table: every URL, asked by every role.

Allowed roles get `ok` (200 for pages, 302 for a POST that redirects); anonymous users are sent to
the login page; everyone else gets 403. Later issues add their URLs to ROUTES.
"""

import copy
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from apps.accounts.models import Membership, ProgrammeLead
from apps.accounts.services import membership_grant, user_create
from apps.core.models import Message
from apps.corps.models import Candidate, Onboarding
from apps.dashboards.models import AnnualReport
from apps.folders.models import BatchFile, PrintBatch
from apps.folders.services import folder_get_or_create, folder_publish, picture_add, section_text_save
from apps.hours.services import hour_entries_approve, hour_entry_create, hours_settings_save
from apps.meetings.services import (
    action_item_add,
    meeting_create,
    meeting_invite,
    meeting_series_create,
    minutes_save,
)
from apps.meetings.tokens import answer_token, ics_token
from apps.newcomers.models import Newcomer
from apps.newcomers.services import import_run_create
from apps.organisation.models import HousingOrganisation, Tenancy
from apps.surveys.models import RoundReport, Survey, SurveyRound
from apps.surveys.services import invitation_new, survey_round_create
from apps.surveys.services import survey_create as survey_build
from apps.surveys.tokens import invitation_token
from apps.visits.models import (
    Activity,
    Ambassador,
    Attempt,
    Referral,
    SupportConversation,
    Training,
    TrainingTopic,
    Visit,
)
from apps.visits.services import later_contact_record, visit_record_attempt, visits_assign
from tests import snapshot
from tests.conftest import build_area, former_ambassador_create, other_area_ambassador_create, two_area_user_create
from tests.surveys import ensure_standard_bank

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "ambassador",
    "board",
    "interviewer",
    "coordinator",
    "other_coordinator",
    # Roles probes found holes around (tests/conftest.py says who they are): they see what a signed-in user
    # sees; the former ambassador and the two-area user (an ambassador of the area) also reach an
    # ambassador's lists, which show them nothing of anyone else's.
    "former_ambassador",
    "empty_area_coordinator",
    "two_area_user",
    # An active ambassador of `other_area`: their own pages open (showing only their own), and every object of
    # `area` is refused, a visit or an invitation not found (404) as for any ambassador it is not given to.
    "other_ambassador_area",
    # Issue 18: the programme lead (evaluator) of the table's housing organisation. No area membership, so
    # every area page refuses them; their own pages are the survey rounds (surveys:round_*).
    "programme_lead",
)
Role = Membership.Role
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
PUBLIC = frozenset(ROLES)
# A signed link opened while signed in as someone other than the person it was sent to: a clear page, 400.
SIGNED_IN_400 = {role: 400 for role in SIGNED_IN}
# Someone who is still an ambassador of the area (the two-area user), or was until a few days ago.
AMBASSADORS = frozenset({"ambassador", "two_area_user"})
# An ambassador's own pages (their visits, meetings, profile): open to an ambassador of any area.
ANY_AREAS_AMBASSADORS = AMBASSADORS | {"other_ambassador_area"}
# The roles that coordinate `other_area`: what its coordinator may open there, the two-area user may too.
OTHER_AREAS_COORDINATORS = frozenset({"other_coordinator", "two_area_user"})
# An ambassador's URL with someone else's visit: not found for whoever is (or was) an ambassador there.
NOT_THEIR_VISIT = {"ambassador": 404, "two_area_user": 404, "former_ambassador": 404, "other_ambassador_area": 404}


@dataclass(frozen=True)
class Route:
    name: str
    url: Callable[[SimpleNamespace], str]
    allowed: frozenset[str]
    method: str = "get"
    ok: int = 200
    data: dict | Callable[[SimpleNamespace], dict] = field(default_factory=dict)
    # A refused role that gets another answer than 403, e.g. {"ambassador": 404} for someone else's visit.
    refused: dict[str, int] = field(default_factory=dict)
    # The area whose rows an allowed POST may change: the name of an area in the table's data.
    area: str = "area"
    # The POST asks a person of another area to join (see snapshot.is_consent_request): that message is allowed.
    asks_consent: bool = False
    # Roles whose allowed POST acts on another area than `area`: an ambassador's profile lives in their own area.
    own_area: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


ROUTES = [
    # Public pages
    Route("accounts:login", lambda c: reverse("accounts:login"), PUBLIC - SIGNED_IN),
    Route("accounts:link_request", lambda c: reverse("accounts:link_request"), PUBLIC),
    Route("accounts:link_sent", lambda c: reverse("accounts:link_sent"), PUBLIC),
    Route("accounts:password_reset", lambda c: reverse("accounts:password_reset"), PUBLIC),
    Route("core:healthz", lambda c: reverse("core:healthz"), PUBLIC),
    # The installed app: its manifest and service worker hold nobody's data (the worker serves only what
    # the signed-in ambassador's own page saved on the phone).
    Route("visits:web_manifest", lambda c: reverse("visits:web_manifest"), PUBLIC),
    Route("visits:service_worker", lambda c: reverse("visits:service_worker"), PUBLIC),
    # The SMS gateway's delivery reports: no session, no CSRF; without its signed token every POST is
    # refused (403) and changes nothing, whoever sends it (tests/core/test_gatewayapi.py signs real ones).
    Route("core:gatewayapi_webhook", lambda c: reverse("core:gatewayapi_webhook"), PUBLIC, method="post", ok=403),
    Route("core:gatewayapi_webhook", lambda c: reverse("core:gatewayapi_webhook"), PUBLIC, ok=405),
    Route("accounts:password_reset_done", lambda c: reverse("accounts:password_reset_done"), PUBLIC),
    Route("accounts:password_reset_complete", lambda c: reverse("accounts:password_reset_complete"), PUBLIC),
    # A forged password-reset or sign-in link gets a page that says so, and signs nobody in.
    Route(
        "accounts:password_reset_confirm",
        lambda c: reverse("accounts:password_reset_confirm", args=["MQ", "forged-token"]),
        PUBLIC,
    ),
    Route("accounts:link_login", lambda c: reverse("accounts:link_login", args=["forged"]), PUBLIC, ok=400),
    Route(
        "accounts:link_login", lambda c: reverse("accounts:link_login", args=["forged"]), PUBLIC, method="post", ok=400
    ),
    Route("set_language", lambda c: reverse("set_language"), PUBLIC, method="post", ok=302, data={"language": "en"}),
    Route("accounts:logout", lambda c: reverse("accounts:logout"), PUBLIC, method="post", ok=302),
    # Every signed-in role
    # Someone with two roles gets a page to choose between them (200) instead of being sent on.
    Route(
        "access:home",
        lambda c: reverse("access:home"),
        SIGNED_IN - {"two_area_user"},
        ok=302,
        refused={"two_area_user": 200},
    ),
    Route("accounts:password_change", lambda c: reverse("accounts:password_change"), SIGNED_IN),
    Route("accounts:password_change_done", lambda c: reverse("accounts:password_change_done"), SIGNED_IN),
    # One role each
    Route(
        "access:ambassador_home",
        lambda c: reverse("access:ambassador_home"),
        ANY_AREAS_AMBASSADORS | {"former_ambassador"},
        ok=302,
    ),  # → visits:mine
    Route(
        "access:board_home", lambda c: reverse("access:board_home"), frozenset({"board"}), ok=302
    ),  # → their estate's dashboard
    Route("access:interviewer_home", lambda c: reverse("access:interviewer_home"), frozenset({"interviewer"})),
    # The coordinator's area: the other area's coordinator is refused
    Route(
        "organisation:area_detail",
        lambda c: reverse("organisation:area_detail", args=[c.area.slug]),
        frozenset({"coordinator"}),
    ),
    Route("accounts:people", lambda c: reverse("accounts:people", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "accounts:resend_link",
        lambda c: reverse("accounts:resend_link", args=[c.area.slug, c.ambassador_membership.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
    ),
    # Invitations to an area that wait for the person's answer: here Ali (ambassador) is asked to join the other area.
    Route("accounts:invitations", lambda c: reverse("accounts:invitations"), SIGNED_IN),
    *[
        Route(
            f"accounts:{name}",
            lambda c, name=name: reverse(
                f"accounts:{name}",
                args=[
                    c.other_area.membership_invitations.get_or_create(
                        user=c.ambassador_membership.user, role="ambassador"
                    )[0].pk
                ],
            ),
            frozenset({"ambassador"}),
            method="post",
            ok=302,
            area="other_area",  # answering joins (or declines) the area that asked
        )
        for name in ("invitation_accept", "invitation_decline")
    ],
    Route(
        "accounts:resend_invitation",
        lambda c: reverse(
            "accounts:resend_invitation",
            args=[
                c.other_area.slug,
                c.other_area.membership_invitations.get_or_create(user=c.ambassador_membership.user, role="ambassador")[
                    0
                ].pk,
            ],
        ),
        frozenset({"other_coordinator", "two_area_user"}),  # both coordinate the other area
        method="post",
        ok=302,
        area="other_area",
        asks_consent=True,
    ),
    # Tenant-list imports: the area's coordinator only; a run is reached only through its own area
    Route("newcomers:history", lambda c: reverse("newcomers:history", args=[c.area.slug]), frozenset({"coordinator"})),
    Route("newcomers:upload", lambda c: reverse("newcomers:upload", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "newcomers:detail",
        lambda c: reverse("newcomers:detail", args=[c.area.slug, c.import_run.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "newcomers:confirm",
        lambda c: reverse("newcomers:confirm", args=[c.area.slug, c.import_run.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"column_0": "tenancy_number", "column_1": "move_in_date"},
    ),
    Route(
        "newcomers:progress",
        lambda c: reverse("newcomers:progress", args=[c.area.slug, c.import_run.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "newcomers:problems_csv",
        lambda c: reverse("newcomers:problems_csv", args=[c.area.slug, c.import_run.pk]),
        frozenset({"coordinator"}),
    ),
    # Another area's run through this area's URL: not found even for this area's coordinator
    Route(
        "newcomers:detail (another area's run)",
        lambda c: reverse("newcomers:detail", args=[c.area.slug, c.other_import_run.pk]),
        frozenset({"coordinator"}),
        ok=404,
    ),
    Route(
        "newcomers:problems_csv (another area's run)",
        lambda c: reverse("newcomers:problems_csv", args=[c.area.slug, c.other_import_run.pk]),
        frozenset({"coordinator"}),
        ok=404,
    ),
    # Welcome visits: the ambassador's own pages. A former ambassador still opens the list (it shows none of
    # their visits: tests/test_area_isolation.py) and their profile page, which has nothing left to edit:
    # it says so (200) and a POST saves nothing.
    Route("visits:mine", lambda c: reverse("visits:mine"), ANY_AREAS_AMBASSADORS | {"former_ambassador"}),
    # The pages kept offline, in one answer: only the asker's own open visits are in it (tests/visits/test_offline.py).
    Route(
        "visits:offline_bundle",
        lambda c: f"{reverse('visits:offline_bundle')}?mine=1&visit={c.visit.pk}&visit={c.other_visit.pk}",
        ANY_AREAS_AMBASSADORS | {"former_ambassador"},
    ),
    Route(
        "visits:my_profile",
        lambda c: reverse("visits:my_profile"),
        ANY_AREAS_AMBASSADORS,
        refused={"former_ambassador": 200},
    ),
    Route(
        "visits:my_profile",
        lambda c: reverse("visits:my_profile"),
        ANY_AREAS_AMBASSADORS,
        method="post",
        ok=302,
        data={"languages": ["da"], "visits_per_month": 3},
        refused={"former_ambassador": 200},
        own_area={"other_ambassador_area": "other_area"},
    ),
    Route(
        "visits:detail",
        lambda c: reverse("visits:detail", args=[c.visit.pk]),
        frozenset({"ambassador"}),
        refused=NOT_THEIR_VISIT,
    ),
    Route(
        "visits:record_attempt",
        lambda c: reverse("visits:record_attempt", args=[c.visit.pk]),
        frozenset({"ambassador"}),
        method="post",
        ok=302,
        data={"outcome": "not_home_nothing_left"},
        refused=NOT_THEIR_VISIT,
    ),
    # The former ambassador's own visit, closed within the grace period: leaving ends their access at once
    # (`_holds_visit` in apps/access/rules.py), to the visit and to its folder; the coordinator keeps both.
    Route(
        "visits:detail (a former ambassador's recent visit)",
        lambda c: reverse("visits:detail", args=[c.former_visit.pk]),
        frozenset(),
        refused=NOT_THEIR_VISIT,
    ),
    Route(
        "visits:record_attempt (a former ambassador's recent visit)",
        lambda c: reverse("visits:record_attempt", args=[c.former_visit.pk]),
        frozenset(),
        method="post",
        data={"outcome": "met_talked"},
        refused=NOT_THEIR_VISIT,
    ),
    Route(
        "folders:visit_folder (a former ambassador's recent visit)",
        lambda c: reverse("folders:visit_folder", args=[c.former_visit.pk]),
        frozenset({"coordinator"}),
    ),
    # An ambassador's photo: themselves and their coordinator only.
    Route(
        "visits:ambassador_photo",
        lambda c: reverse("visits:ambassador_photo", args=[c.ambassador_profile.pk]),
        frozenset({"ambassador", "coordinator"}),
    ),
    Route(
        "visits:ambassador_photo",
        lambda c: reverse("visits:ambassador_photo", args=[c.other_ambassador_profile.pk]),
        frozenset({"coordinator"}),
    ),
    # Another ambassador's visit by its id: not found for the ambassador, refused for everyone else
    Route(
        "visits:detail (another ambassador's visit)",
        lambda c: reverse("visits:detail", args=[c.other_visit.pk]),
        frozenset(),
        refused=NOT_THEIR_VISIT,
    ),
    Route(
        "visits:record_attempt (another ambassador's visit)",
        lambda c: reverse("visits:record_attempt", args=[c.other_visit.pk]),
        frozenset(),
        method="post",
        data={"outcome": "met_talked"},
        refused=NOT_THEIR_VISIT,
    ),
    # Contact after the visit: the ambassador's list of newcomers met (showing only their own), a tap on a
    # visit where they met the newcomer, and undo of their own tap; anyone else's visit or tap is not found.
    Route("visits:met_list", lambda c: reverse("visits:met_list"), ANY_AREAS_AMBASSADORS | {"former_ambassador"}),
    Route(
        "visits:detail (a visit where they met the newcomer)",
        lambda c: reverse("visits:detail", args=[c.met_visit.pk]),
        frozenset({"ambassador"}),
        refused=NOT_THEIR_VISIT,
    ),
    Route(
        "visits:later_contact_new",
        lambda c: reverse("visits:later_contact_new", args=[c.met_visit.pk]),
        frozenset({"ambassador"}),
        method="post",
        ok=302,
        data={"topic": "activity"},
        refused=NOT_THEIR_VISIT,
    ),
    Route(
        "visits:later_contact_new (another ambassador's visit)",
        lambda c: reverse("visits:later_contact_new", args=[c.other_met_visit.pk]),
        frozenset(),
        method="post",
        data={"topic": "activity"},
        refused=NOT_THEIR_VISIT,
    ),
    Route(
        "visits:later_contact_undo",
        lambda c: reverse("visits:later_contact_undo", args=[c.later_contact.pk]),
        frozenset({"ambassador"}),
        method="post",
        ok=302,
        refused=NOT_THEIR_VISIT,
    ),
    # Welcome visits: the area's coordinator
    Route("visits:overview", lambda c: reverse("visits:overview", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "visits:newcomer_list",
        lambda c: reverse("visits:newcomer_list", args=[c.area.slug]),
        frozenset({"coordinator"}),
    ),
    Route(
        "visits:ambassador_list",
        lambda c: reverse("visits:ambassador_list", args=[c.area.slug]),
        frozenset({"coordinator"}),
    ),
    Route(
        "visits:ambassador_edit",
        lambda c: reverse("visits:ambassador_edit", args=[c.area.slug, c.ambassador_profile.pk]),
        frozenset({"coordinator"}),
    ),
    # Support conversations: the coordinators of the ambassador's area, nobody else (not the ambassador)
    Route(
        "visits:support",
        lambda c: reverse("visits:support", args=[c.area.slug, c.ambassador_profile.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "visits:support",
        lambda c: reverse("visits:support", args=[c.area.slug, c.ambassador_profile.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"held_on": timezone.localdate().isoformat(), "note": "Vil gerne have færre besøg", "phone": "not"},
    ),
    Route(
        "visits:support_edit",
        lambda c: reverse("visits:support_edit", args=[c.area.slug, c.ambassador_profile.pk, c.support.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "visits:support_edit",
        lambda c: reverse("visits:support_edit", args=[c.area.slug, c.ambassador_profile.pk, c.support.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"held_on": timezone.localdate().isoformat(), "note": "Ændret"},
    ),
    Route(
        "visits:support_delete",
        lambda c: reverse("visits:support_delete", args=[c.area.slug, c.ambassador_profile.pk, c.support.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
    ),
    Route("visits:assign", lambda c: reverse("visits:assign", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "visits:assign",
        lambda c: reverse("visits:assign", args=[c.area.slug]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data=lambda c: {
            "newcomer": [c.waiting_newcomer.pk],
            f"ambassador_{c.waiting_newcomer.pk}": c.ambassador_profile.pk,
        },
    ),
    Route("visits:visit_list", lambda c: reverse("visits:visit_list", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "visits:reassign",
        lambda c: reverse("visits:reassign", args=[c.area.slug, c.visit.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "visits:reassign",
        lambda c: reverse("visits:reassign", args=[c.area.slug, c.visit.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data=lambda c: {"ambassador": c.other_ambassador_profile.pk},
    ),
    Route(
        "visits:coordinator_record",
        lambda c: reverse("visits:coordinator_record", args=[c.area.slug, c.visit.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "visits:coordinator_record",
        lambda c: reverse("visits:coordinator_record", args=[c.area.slug, c.visit.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data=lambda c: {"outcome": "not_home_nothing_left", "visited_on": timezone.localdate().isoformat()},
    ),
    Route(
        "visits:newcomer_edit",
        lambda c: reverse("visits:newcomer_edit", args=[c.area.slug, c.waiting_newcomer.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "visits:newcomer_edit",
        lambda c: reverse("visits:newcomer_edit", args=[c.area.slug, c.waiting_newcomer.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"language": "so", "phone": "40506070", "email": "", "do_not_contact": ""},
    ),
    Route(
        "visits:activity_list",
        lambda c: reverse("visits:activity_list", args=[c.area.slug]),
        frozenset({"coordinator"}),
    ),
    Route(
        "visits:activity_new", lambda c: reverse("visits:activity_new", args=[c.area.slug]), frozenset({"coordinator"})
    ),
    Route(
        "visits:activity_edit",
        lambda c: reverse("visits:activity_edit", args=[c.area.slug, c.activity.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "visits:referral_list",
        lambda c: reverse("visits:referral_list", args=[c.area.slug]),
        frozenset({"coordinator"}),
    ),
    Route(
        "visits:referral_follow_up",
        lambda c: reverse("visits:referral_follow_up", args=[c.area.slug, c.referral.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
    ),
    # This area's objects through the other area's URL: refused, the other area's coordinator included
    Route(
        "visits:reassign (through the other area)",
        lambda c: reverse("visits:reassign", args=[c.other_area.slug, c.visit.pk]),
        frozenset(),
    ),
    Route(
        "visits:coordinator_record (through the other area)",
        lambda c: reverse("visits:coordinator_record", args=[c.other_area.slug, c.visit.pk]),
        frozenset(),
        method="post",
        data=lambda c: {"outcome": "met_talked", "visited_on": timezone.localdate().isoformat()},
    ),
    Route(
        "visits:newcomer_edit (through the other area)",
        lambda c: reverse("visits:newcomer_edit", args=[c.other_area.slug, c.waiting_newcomer.pk]),
        frozenset(),
        method="post",
        data={"language": "so", "phone": "40506070"},
    ),
    Route(
        "visits:ambassador_edit (through the other area)",
        lambda c: reverse("visits:ambassador_edit", args=[c.other_area.slug, c.ambassador_profile.pk]),
        frozenset(),
    ),
    Route(
        "visits:support (through the other area)",
        lambda c: reverse("visits:support", args=[c.other_area.slug, c.ambassador_profile.pk]),
        frozenset(),
    ),
    Route(
        "visits:support_edit (through the other area)",
        lambda c: reverse("visits:support_edit", args=[c.other_area.slug, c.ambassador_profile.pk, c.support.pk]),
        frozenset(),
        method="post",
        data={"held_on": timezone.localdate().isoformat(), "note": "Ændret"},
    ),
    Route(
        "visits:support_delete (through the other area)",
        lambda c: reverse("visits:support_delete", args=[c.other_area.slug, c.ambassador_profile.pk, c.support.pk]),
        frozenset(),
        method="post",
    ),
    Route(
        "visits:activity_edit (through the other area)",
        lambda c: reverse("visits:activity_edit", args=[c.other_area.slug, c.activity.pk]),
        frozenset(),
    ),
    Route(
        "visits:referral_follow_up (through the other area)",
        lambda c: reverse("visits:referral_follow_up", args=[c.other_area.slug, c.referral.pk]),
        frozenset(),
        method="post",
    ),
    # Network meetings: the ambassador's page and one-tap answers to their own invitation
    Route("meetings:mine", lambda c: reverse("meetings:mine"), ANY_AREAS_AMBASSADORS | {"former_ambassador"}),
    Route(
        "meetings:invitation_answer",
        lambda c: reverse("meetings:invitation_answer", args=[c.invitation.pk]),
        frozenset({"ambassador"}),
        method="post",
        ok=302,
        data={"answer": "yes"},
    ),
    Route(
        "meetings:suggest",
        lambda c: reverse("meetings:suggest", args=[c.invitation.pk]),
        frozenset({"ambassador"}),
        method="post",
        ok=302,
        data={"text": "Kaffe"},
    ),
    Route(
        "meetings:invitation_answer (another ambassador's invitation)",
        lambda c: reverse("meetings:invitation_answer", args=[c.other_invitation.pk]),
        frozenset(),
        method="post",
        data={"answer": "no"},
    ),
    Route(
        "meetings:suggest (another ambassador's invitation)",
        lambda c: reverse("meetings:suggest", args=[c.other_invitation.pk]),
        frozenset(),
        method="post",
        data={"text": "Kaffe"},
    ),
    # The links in the invitation work without signing in; signed in as anyone but the invited ambassador,
    # or forged, they get a page that says so (400) and change nothing.
    Route(
        "meetings:answer",
        lambda c: reverse("meetings:answer", args=[answer_token(invitation=c.invitation)]),
        frozenset({"anonymous", "ambassador"}),
        refused=SIGNED_IN_400,
    ),
    Route(
        "meetings:answer",
        lambda c: reverse("meetings:answer", args=[answer_token(invitation=c.invitation)]),
        frozenset({"anonymous", "ambassador"}),
        method="post",
        ok=302,
        data={"answer": "yes"},
        refused=SIGNED_IN_400,
    ),
    Route(
        "meetings:answer (another ambassador's link)",
        lambda c: reverse("meetings:answer", args=[answer_token(invitation=c.other_invitation)]),
        frozenset({"anonymous"}),
        method="post",
        ok=302,
        data={"answer": "no"},
        refused=SIGNED_IN_400,
    ),
    Route("meetings:answer (forged)", lambda c: reverse("meetings:answer", args=["forged"]), PUBLIC, ok=400),
    Route(
        "meetings:ics",
        lambda c: reverse("meetings:ics", args=[ics_token(invitation=c.invitation)]),
        frozenset({"anonymous", "ambassador"}),
        refused=SIGNED_IN_400,
    ),
    Route("meetings:ics (forged)", lambda c: reverse("meetings:ics", args=["forged"]), PUBLIC, ok=400),
    # Published minutes: the invited ambassadors and the area's coordinator
    Route(
        "meetings:minutes",
        lambda c: reverse("meetings:minutes", args=[c.meeting.pk]),
        frozenset({"ambassador", "coordinator"}),
    ),
    Route(
        "meetings:minutes (another area's meeting)",
        lambda c: reverse("meetings:minutes", args=[c.other_meeting.pk]),
        OTHER_AREAS_COORDINATORS,
    ),
    # Network meetings: the area's coordinator
    Route(
        "meetings:area_list", lambda c: reverse("meetings:area_list", args=[c.area.slug]), frozenset({"coordinator"})
    ),
    Route("meetings:new", lambda c: reverse("meetings:new", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "meetings:series_new", lambda c: reverse("meetings:series_new", args=[c.area.slug]), frozenset({"coordinator"})
    ),
    Route("meetings:overview", lambda c: reverse("meetings:overview", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "meetings:detail",
        lambda c: reverse("meetings:detail", args=[c.area.slug, c.meeting.pk]),
        frozenset({"coordinator"}),
    ),
    *[
        Route(
            f"meetings:{name}",
            lambda c, name=name: reverse(f"meetings:{name}", args=[c.area.slug, c.meeting.pk]),
            frozenset({"coordinator"}),
            method="post",
            ok=302,
            data=data,
        )
        for name, data in [
            ("invite", {"confirm": "1"}),
            ("cancel", {"confirm": "1"}),
            ("attendance", {}),
            ("minutes_edit", {"markdown": "Referat", "action": "save"}),
            ("action_item_new", {"text": "Kaffe"}),
        ]
    ],
    Route(
        "meetings:action_item_done",
        lambda c: reverse("meetings:action_item_done", args=[c.area.slug, c.meeting.pk, c.action_item.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"done": "1"},
    ),
    Route(
        "meetings:series",
        lambda c: reverse("meetings:series", args=[c.area.slug, c.series.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "meetings:series",
        lambda c: reverse("meetings:series", args=[c.area.slug, c.series.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"title": "Netværk", "place": "Salen", "invite_days_before": 10, "ends_on": ""},
    ),
    Route(
        "meetings:series_end",
        lambda c: reverse("meetings:series_end", args=[c.area.slug, c.series.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data=lambda c: {"ends_on": (timezone.localdate() + timedelta(days=20)).isoformat(), "confirm": "1"},
    ),
    # Another area's series through this area's URL, and this area's series through the other area's URL
    Route(
        "meetings:series (another area's series)",
        lambda c: reverse("meetings:series", args=[c.area.slug, c.other_series.pk]),
        frozenset(),
    ),
    Route(
        "meetings:series_end (another area's series)",
        lambda c: reverse("meetings:series_end", args=[c.area.slug, c.other_series.pk]),
        frozenset(),
        method="post",
        data={"ends_on": "2099-01-01"},
    ),
    Route(
        "meetings:series (through the other area)",
        lambda c: reverse("meetings:series", args=[c.other_area.slug, c.series.pk]),
        frozenset(),
        method="post",
        data={"title": "Overtaget", "place": "Salen", "invite_days_before": 1, "ends_on": ""},
    ),
    Route(
        "meetings:series_end (through the other area)",
        lambda c: reverse("meetings:series_end", args=[c.other_area.slug, c.series.pk]),
        frozenset(),
        method="post",
        data={"ends_on": "2099-01-01"},
    ),
    # Another area's meeting through this area's URL, and this area's meeting through the other area's URL
    Route(
        "meetings:action_item_done (through the other area)",
        lambda c: reverse("meetings:action_item_done", args=[c.other_area.slug, c.meeting.pk, c.action_item.pk]),
        frozenset(),
        method="post",
        data={"done": "1"},
    ),
    Route(
        "meetings:detail (another area's meeting)",
        lambda c: reverse("meetings:detail", args=[c.area.slug, c.other_meeting.pk]),
        frozenset(),
    ),
    Route(
        "meetings:cancel (another area's meeting)",
        lambda c: reverse("meetings:cancel", args=[c.area.slug, c.other_meeting.pk]),
        frozenset(),
        method="post",
    ),
    Route(
        "meetings:detail (through the other area)",
        lambda c: reverse("meetings:detail", args=[c.other_area.slug, c.meeting.pk]),
        frozenset(),
    ),
    Route(
        "meetings:attendance (through the other area)",
        lambda c: reverse("meetings:attendance", args=[c.other_area.slug, c.meeting.pk]),
        frozenset(),
        method="post",
    ),
    # Newcomer survey: the personal link and the QR code work without signing in, for anyone holding them;
    # forged ones get a clear page (400) and store nothing.
    Route("surveys:answer", lambda c: reverse("surveys:answer", args=[c.survey_token]), PUBLIC),
    Route(
        "surveys:answer",
        lambda c: reverse("surveys:answer", args=[c.survey_token]),
        PUBLIC,
        method="post",
        ok=302,
        data={"code": "ambassador_contact", "value": "yes"},
    ),
    Route("surveys:answer (forged)", lambda c: reverse("surveys:answer", args=["forged"]), PUBLIC, ok=400),
    Route(
        "surveys:answer (forged)",
        lambda c: reverse("surveys:answer", args=["0" * 40]),
        PUBLIC,
        method="post",
        ok=400,
        data={"code": "ambassador_contact", "value": "yes"},
    ),
    Route("surveys:qr_start", lambda c: reverse("surveys:qr_start", args=[c.survey.qr_token]), PUBLIC),
    Route(
        "surveys:qr_start",
        lambda c: reverse("surveys:qr_start", args=[c.survey.qr_token]),
        PUBLIC,
        method="post",
        ok=302,
    ),
    Route("surveys:qr_start (forged)", lambda c: reverse("surveys:qr_start", args=["forged"]), PUBLIC, ok=400),
    Route("surveys:anonymous (forged)", lambda c: reverse("surveys:anonymous", args=["forged"]), PUBLIC, ok=400),
    # Interviews: the area's interviewer and coordinator; another area's survey and invitations are refused
    Route(
        "surveys:calls_home",
        lambda c: reverse("surveys:calls_home"),
        frozenset({"interviewer", "coordinator", "other_coordinator", "empty_area_coordinator", "two_area_user"}),
    ),
    Route(
        "surveys:call_list",
        lambda c: reverse("surveys:call_list", args=[c.survey.pk]),
        frozenset({"interviewer", "coordinator"}),
    ),
    Route(
        "surveys:call_record",
        lambda c: reverse("surveys:call_record", args=[c.survey_invitation.pk]),
        frozenset({"interviewer", "coordinator"}),
        method="post",
        ok=302,
        data={"outcome": "no_answer"},
    ),
    Route(
        "surveys:interview",
        lambda c: reverse("surveys:interview", args=[c.survey_invitation.pk]),
        frozenset({"interviewer", "coordinator"}),
    ),
    Route(
        "surveys:call_list (another area's survey)",
        lambda c: reverse("surveys:call_list", args=[c.other_survey.pk]),
        OTHER_AREAS_COORDINATORS,
    ),
    # The survey's coordinator pages
    Route("surveys:list", lambda c: reverse("surveys:list", args=[c.area.slug]), frozenset({"coordinator"})),
    Route("surveys:new", lambda c: reverse("surveys:new", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "surveys:question_new",
        lambda c: reverse("surveys:question_new", args=[c.area.slug]),
        frozenset({"coordinator"}),
    ),
    *[
        Route(
            f"surveys:{name}",
            lambda c, name=name: reverse(f"surveys:{name}", args=[c.area.slug, c.survey.pk]),
            frozenset({"coordinator"}),
        )
        for name in ("detail", "edit", "qr", "funnel", "analysis", "analysis_csv", "import")
    ],
    Route(
        "surveys:invite",
        lambda c: reverse("surveys:invite", args=[c.area.slug, c.survey.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
    ),
    # Another area's survey through this area's URL, and this area's survey through the other area's URL
    *[
        Route(
            f"surveys:{name} (another area's survey)",
            lambda c, name=name: reverse(f"surveys:{name}", args=[c.area.slug, c.other_survey.pk]),
            frozenset(),
        )
        for name in ("detail", "funnel", "analysis", "analysis_csv", "import")
    ],
    Route(
        "surveys:analysis (through the other area)",
        lambda c: reverse("surveys:analysis", args=[c.other_area.slug, c.survey.pk]),
        frozenset(),
    ),
    Route(
        "surveys:invite (another area's survey)",
        lambda c: reverse("surveys:invite", args=[c.area.slug, c.other_survey.pk]),
        frozenset(),
        method="post",
    ),
    # Access log (issue 8): the area's coordinators only, GET only, another area's log refused.
    Route("audit:area_log", lambda c: reverse("audit:area_log", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "audit:area_log",
        lambda c: reverse("audit:area_log", args=[c.area.slug]),
        frozenset(),
        method="post",
        refused={role: 405 for role in SIGNED_IN},
    ),
    Route(
        "audit:area_log (the other area's)",
        lambda c: reverse("audit:area_log", args=[c.other_area.slug]),
        OTHER_AREAS_COORDINATORS,
    ),
    # Undelivered messages (issue 15): the area's coordinators; another area's page or message refused.
    Route(
        "access:undelivered",
        lambda c: reverse("access:undelivered", args=[c.area.slug]),
        frozenset({"coordinator"}),
    ),
    Route(
        "access:undelivered (the other area's)",
        lambda c: reverse("access:undelivered", args=[c.other_area.slug]),
        OTHER_AREAS_COORDINATORS,
    ),
    Route(
        "access:undelivered_retry",
        lambda c: reverse("access:undelivered_retry", args=[c.area.slug, c.undelivered.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
    ),
    Route(
        "access:undelivered_retry (through the other area)",
        lambda c: reverse("access:undelivered_retry", args=[c.other_area.slug, c.undelivered.pk]),
        frozenset(),
        method="post",
        refused={role: 404 for role in OTHER_AREAS_COORDINATORS},
    ),
    Route(
        "access:undelivered_other_channel",
        lambda c: reverse("access:undelivered_other_channel", args=[c.area.slug, c.undelivered.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
    ),
    Route(
        "access:undelivered_other_channel (through the other area)",
        lambda c: reverse("access:undelivered_other_channel", args=[c.other_area.slug, c.undelivered.pk]),
        frozenset(),
        method="post",
        refused={role: 404 for role in OTHER_AREAS_COORDINATORS},
    ),
    # Two-factor sign-in pages: every signed-in user is sent on (coordinators here have passed it already).
    Route("accounts:two_factor_setup", lambda c: reverse("accounts:two_factor_setup"), SIGNED_IN, ok=302),
    Route("accounts:two_factor_verify", lambda c: reverse("accounts:two_factor_verify"), SIGNED_IN, ok=302),
    # Data-subject requests (issue 8): the area's coordinators; another area's slug or person refused.
    Route(
        "privacy:search",
        lambda c: reverse("privacy:search", args=[c.area.slug]) + "?q=Newcomer",
        frozenset({"coordinator"}),
    ),
    Route(
        "privacy:search (the other area's)",
        lambda c: reverse("privacy:search", args=[c.other_area.slug]),
        OTHER_AREAS_COORDINATORS,
    ),
    Route(
        "privacy:newcomer",
        lambda c: reverse("privacy:newcomer", args=[c.area.slug, c.waiting_newcomer.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "privacy:newcomer (through the other area)",
        lambda c: reverse("privacy:newcomer", args=[c.other_area.slug, c.waiting_newcomer.pk]),
        frozenset(),
    ),
    Route(
        "privacy:newcomer_export",
        lambda c: reverse("privacy:newcomer_export", args=[c.area.slug, c.waiting_newcomer.pk, "json"]),
        frozenset({"coordinator"}),
    ),
    Route(
        "privacy:newcomer_export (pdf)",
        lambda c: reverse("privacy:newcomer_export", args=[c.area.slug, c.waiting_newcomer.pk, "pdf"]),
        frozenset({"coordinator"}),
    ),
    Route(
        "privacy:newcomer_erase",
        lambda c: reverse("privacy:newcomer_erase", args=[c.area.slug, c.waiting_newcomer.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"confirm": "on"},
    ),
    Route(
        "privacy:newcomer_erase (GET)",
        lambda c: reverse("privacy:newcomer_erase", args=[c.area.slug, c.waiting_newcomer.pk]),
        frozenset(),
        refused={role: 405 for role in SIGNED_IN},
    ),
    Route(
        "privacy:person",
        lambda c: reverse("privacy:person", args=[c.area.slug, c.ambassador_profile.user_id]),
        frozenset({"coordinator"}),
    ),
    Route(
        "privacy:person (through the other area)",
        lambda c: reverse("privacy:person", args=[c.other_area.slug, c.ambassador_profile.user_id]),
        frozenset(),
    ),
    Route(
        "privacy:person_export",
        lambda c: reverse("privacy:person_export", args=[c.area.slug, c.ambassador_profile.user_id, "pdf"]),
        frozenset({"coordinator"}),
    ),
    Route(
        "privacy:person_erase",
        lambda c: reverse("privacy:person_erase", args=[c.area.slug, c.other_ambassador_profile.user_id]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"confirm": "on"},
    ),
    # Dashboards (issue 7). Board pages answer GET and HEAD only: any other method is refused (405) for
    # everyone, before sign-in is even asked. A board member sees only their own estates; the area's
    # coordinators see every estate of the area (what its board sees).
    Route("access:board_home (POST)", lambda c: reverse("access:board_home"), PUBLIC, method="post", ok=405),
    Route(
        "dashboards:board_estate",
        lambda c: reverse("dashboards:board_estate", args=[c.estate.pk]),
        frozenset({"board", "coordinator"}),
    ),
    Route(
        "dashboards:board_estate (POST)",
        lambda c: reverse("dashboards:board_estate", args=[c.estate.pk]),
        PUBLIC,
        method="post",
        ok=405,
    ),
    Route(
        "dashboards:board_estate (another estate of the area)",
        lambda c: reverse("dashboards:board_estate", args=[c.other_estate.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "dashboards:board_estate (another area's estate)",
        lambda c: reverse("dashboards:board_estate", args=[c.other_area_estate.pk]),
        OTHER_AREAS_COORDINATORS,
    ),
    Route(
        "dashboards:board_estate (no such estate)",
        lambda c: reverse("dashboards:board_estate", args=[987654]),
        frozenset(),
        refused=dict.fromkeys(SIGNED_IN, 404),
    ),
    Route("dashboards:area", lambda c: reverse("dashboards:area", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "dashboards:area",
        lambda c: reverse("dashboards:area", args=[c.area.slug]) + f"?estate={c.estate.pk}",
        frozenset({"coordinator"}),
    ),
    Route(
        "dashboards:area (POST)",
        lambda c: reverse("dashboards:area", args=[c.area.slug]),
        PUBLIC,
        method="post",
        ok=405,
    ),
    Route(
        "dashboards:area (the other area)",
        lambda c: reverse("dashboards:area", args=[c.other_area.slug]),
        OTHER_AREAS_COORDINATORS,
    ),
    # Annual reports: the area's coordinator asks for them (POST) and downloads them; never a board member.
    Route(
        "dashboards:report_list",
        lambda c: reverse("dashboards:report_list", args=[c.area.slug]),
        frozenset({"coordinator"}),
    ),
    Route(
        "dashboards:report_list",
        lambda c: reverse("dashboards:report_list", args=[c.area.slug]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data=lambda c: {"year": c.report.year - 1},
    ),
    *[
        Route(
            f"dashboards:{name}",
            lambda c, name=name: reverse(f"dashboards:{name}", args=[c.area.slug, c.report.pk]),
            frozenset({"coordinator"}),
        )
        for name in ("report_detail", "report_status", "report_pdf", "report_csv")
    ],
    *[
        Route(
            f"dashboards:{name} (POST)",
            lambda c, name=name: reverse(f"dashboards:{name}", args=[c.area.slug, c.report.pk]),
            PUBLIC,
            method="post",
            ok=405,
        )
        for name in ("report_detail", "report_status", "report_pdf", "report_csv")
    ],
    *[
        Route(
            f"dashboards:{name} (another area's report)",
            lambda c, name=name: reverse(f"dashboards:{name}", args=[c.area.slug, c.other_report.pk]),
            frozenset({"coordinator"}),
            ok=404,
        )
        for name in ("report_detail", "report_pdf", "report_csv")
    ],
    Route(
        "dashboards:report_pdf (through the other area)",
        lambda c: reverse("dashboards:report_pdf", args=[c.other_area.slug, c.report.pk]),
        OTHER_AREAS_COORDINATORS,
        ok=404,
    ),
    # Welcome folder: the area's coordinator edits, previews, publishes and prints; a visit's folder is for
    # the ambassador holding the visit and the coordinator. Another area's objects are not found.
    *[
        Route(
            f"folders:{name}",
            lambda c, name=name, args=args: reverse(f"folders:{name}", args=args(c)),
            frozenset({"coordinator"}),
        )
        for name, args in [
            ("editor", lambda c: [c.area.slug]),
            ("section_edit", lambda c: [c.area.slug, c.folder_section.pk, "en"]),
            ("picture", lambda c: [c.area.slug, c.folder_picture.pk]),
            ("preview", lambda c: [c.area.slug, "ar"]),
            ("preview_pdf", lambda c: [c.area.slug, "da"]),
            ("batch_list", lambda c: [c.area.slug]),
            ("batch_detail", lambda c: [c.area.slug, c.print_batch.pk]),
            ("batch_progress", lambda c: [c.area.slug, c.print_batch.pk]),
            ("batch_file", lambda c: [c.area.slug, c.print_batch.pk, c.batch_file.pk]),
        ]
    ],
    *[
        Route(
            f"folders:{name}",
            lambda c, name=name, args=args: reverse(f"folders:{name}", args=args(c)),
            frozenset({"coordinator"}),
            method="post",
            ok=302,
            data=data,
        )
        for name, args, data in [
            (
                "section_edit",
                lambda c: [c.area.slug, c.folder_section.pk, "en"],
                {"title": "Welcome", "markdown": "Hi"},
            ),
            ("section_new", lambda c: [c.area.slug], {"title": "Cykler"}),
            ("language_add", lambda c: [c.area.slug], {"language": "so"}),
            (
                "picture_upload",
                lambda c: [c.area.slug, c.folder_section.pk],
                lambda c: {"image": SimpleUploadedFile("p.png", _picture_png(), content_type="image/png")},
            ),
            ("picture_remove", lambda c: [c.area.slug, c.folder_picture.pk], {}),
            ("publish", lambda c: [c.area.slug], {}),
            ("batch_list", lambda c: [c.area.slug], {}),
        ]
    ],
    Route(
        "folders:visit_folder",
        lambda c: reverse("folders:visit_folder", args=[c.visit.pk]),
        frozenset({"ambassador", "coordinator"}),
    ),
    Route(
        "folders:visit_folder",
        lambda c: reverse("folders:visit_folder", args=[c.visit.pk]),
        frozenset({"ambassador", "coordinator"}),
        method="post",
        ok=302,
    ),
    Route(
        "folders:visit_folder_status",
        lambda c: reverse("folders:visit_folder_status", args=[c.visit.pk]),
        frozenset({"ambassador", "coordinator"}),
    ),
    Route(
        "folders:visit_folder (another ambassador's visit)",
        lambda c: reverse("folders:visit_folder", args=[c.other_visit.pk]),
        frozenset({"coordinator"}),
    ),
    *[
        Route(
            f"folders:{name} (another area's {what})",
            lambda c, name=name, args=args: reverse(f"folders:{name}", args=args(c)),
            frozenset({"coordinator"}),
            ok=404,
        )
        for name, what, args in [
            ("section_edit", "section", lambda c: [c.area.slug, c.other_folder_section.pk, "da"]),
            ("picture", "picture", lambda c: [c.area.slug, c.other_folder_picture.pk]),
            ("batch_detail", "batch", lambda c: [c.area.slug, c.other_print_batch.pk]),
            ("batch_file", "batch file", lambda c: [c.area.slug, c.print_batch.pk, c.other_batch_file.pk]),
        ]
    ],
    Route(
        "folders:batch_detail (through the other area)",
        lambda c: reverse("folders:batch_detail", args=[c.other_area.slug, c.print_batch.pk]),
        OTHER_AREAS_COORDINATORS,
        ok=404,
    ),
    Route(
        "folders:preview (a language the folder is not in)",
        lambda c: reverse("folders:preview", args=[c.area.slug, "xx"]),
        frozenset({"coordinator"}),
        ok=404,
    ),
    # Time registration: the ambassador's own hours (an ambassador of any area opens the page; only their own
    # profiles can be chosen, so a form naming Ali's profile is refused to everyone else and writes nothing).
    Route("hours:mine", lambda c: reverse("hours:mine"), ANY_AREAS_AMBASSADORS | {"former_ambassador"}),
    Route(
        "hours:mine",
        lambda c: reverse("hours:mine"),
        frozenset({"ambassador"}),
        method="post",
        ok=302,
        data=lambda c: {
            "ambassador": c.ambassador_profile.pk,
            "date": timezone.localdate().isoformat(),
            "hours": "1.5",
            "kind": "meeting",
        },
        refused={"two_area_user": 400, "other_ambassador_area": 400},
    ),
    Route(
        "hours:entry_edit",
        lambda c: reverse("hours:entry_edit", args=[c.hour_entry.pk]),
        frozenset({"ambassador"}),
        refused=NOT_THEIR_VISIT,
    ),
    Route(
        "hours:entry_edit",
        lambda c: reverse("hours:entry_edit", args=[c.hour_entry.pk]),
        frozenset({"ambassador"}),
        method="post",
        ok=302,
        data={"date": timezone.localdate().isoformat(), "hours": "2.25", "kind": "training"},
        refused=NOT_THEIR_VISIT,
    ),
    Route(
        "hours:entry_edit (an approved entry is locked)",
        lambda c: reverse("hours:entry_edit", args=[c.approved_hour_entry.pk]),
        frozenset(),
        method="post",
        data={"date": timezone.localdate().isoformat(), "hours": "9", "kind": "other"},
        refused={**NOT_THEIR_VISIT, "ambassador": 403},
    ),
    Route(
        "hours:entry_edit (another ambassador's entry)",
        lambda c: reverse("hours:entry_edit", args=[c.other_hour_entry.pk]),
        frozenset(),
        method="post",
        data={"date": timezone.localdate().isoformat(), "hours": "9", "kind": "other"},
        refused=NOT_THEIR_VISIT,
    ),
    # Time registration: the area's coordinator approves, rejects, sets payroll numbers and exports.
    Route("hours:area", lambda c: reverse("hours:area", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "hours:area",
        lambda c: reverse("hours:area", args=[c.area.slug]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data=lambda c: {"entry": [c.hour_entry.pk, c.other_hour_entry.pk], "confirm": "1"},
    ),
    Route(
        "hours:area (the other area)",
        lambda c: reverse("hours:area", args=[c.other_area.slug]),
        OTHER_AREAS_COORDINATORS,
    ),
    Route(
        "hours:reject",
        lambda c: reverse("hours:reject", args=[c.area.slug, c.hour_entry.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"reason": "Ikke aftalt"},
    ),
    Route(
        "hours:reject (another area's entry)",
        lambda c: reverse("hours:reject", args=[c.area.slug, c.other_area_hour_entry.pk]),
        frozenset(),
        method="post",
        data={"reason": "Ikke aftalt"},
    ),
    Route(
        "hours:settings",
        lambda c: reverse("hours:settings", args=[c.area.slug]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"enabled": "on", "minutes_per_visit": "30"},
    ),
    Route(
        "hours:payroll",
        lambda c: reverse("hours:payroll", args=[c.area.slug, c.ambassador_profile.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"number": "L-1001"},
    ),
    Route(
        "hours:export_csv",
        lambda c: reverse("hours:export_csv", args=[c.area.slug]),
        frozenset({"coordinator"}),
    ),
    Route(
        "hours:export_csv (the other area)",
        lambda c: reverse("hours:export_csv", args=[c.other_area.slug]),
        OTHER_AREAS_COORDINATORS,
    ),
    # Corps health: the area's coordinators only (AREA_MANAGE, as the ambassador list)
    Route("corps:health", lambda c: reverse("corps:health", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "corps:health (the other area)",
        lambda c: reverse("corps:health", args=[c.other_area.slug]),
        OTHER_AREAS_COORDINATORS,
    ),
    # --- Recognition (issue 17 point 5): the area's coordinators only; the certificate is access-logged ---
    Route("corps:recognition", lambda c: reverse("corps:recognition", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "corps:recognition (the other area)",
        lambda c: reverse("corps:recognition", args=[c.other_area.slug]),
        OTHER_AREAS_COORDINATORS,
    ),
    Route(
        "corps:recognition_settings",
        lambda c: reverse("corps:recognition_settings", args=[c.area.slug]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"thank_yous": "on", "visit_milestones": "5, 10", "anniversaries": "on"},
    ),
    Route(
        "corps:certificate",
        lambda c: reverse("corps:certificate", args=[c.area.slug, c.ambassador_profile.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "corps:certificate (through the other area)",
        lambda c: reverse("corps:certificate", args=[c.other_area.slug, c.ambassador_profile.pk]),
        frozenset(),
    ),
    # --- The ambassador corps: training (issue 17) --- the area's coordinators only; attendance from the area.
    Route("corps:trainings", lambda c: reverse("corps:trainings", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "corps:trainings (the other area)",
        lambda c: reverse("corps:trainings", args=[c.other_area.slug]),
        OTHER_AREAS_COORDINATORS,
    ),
    Route(
        "corps:training_new", lambda c: reverse("corps:training_new", args=[c.area.slug]), frozenset({"coordinator"})
    ),
    Route(
        "corps:training_new",
        lambda c: reverse("corps:training_new", args=[c.area.slug]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data=lambda c: {
            "topic": c.training_topic.pk,
            "held_on": timezone.localdate().isoformat(),
            "attendees": [c.ambassador_profile.pk],
        },
    ),
    Route(
        "corps:training_edit",
        lambda c: reverse("corps:training_edit", args=[c.area.slug, c.training.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "corps:training_edit",
        lambda c: reverse("corps:training_edit", args=[c.area.slug, c.training.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data=lambda c: {
            "topic": c.training_topic.pk,
            "title": "Rollen, igen",
            "held_on": timezone.localdate().isoformat(),
            "attendees": [c.ambassador_profile.pk, c.other_ambassador_profile.pk],
        },
    ),
    Route(
        "corps:training_edit (another area's session)",
        lambda c: reverse("corps:training_edit", args=[c.area.slug, c.other_training.pk]),
        frozenset(),
        method="post",
        data=lambda c: {"title": "Hacked", "held_on": timezone.localdate().isoformat()},
    ),
    Route(
        "corps:training_delete",
        lambda c: reverse("corps:training_delete", args=[c.area.slug, c.training.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"confirm": "1"},
    ),
    Route("corps:topic_new", lambda c: reverse("corps:topic_new", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "corps:topic_new",
        lambda c: reverse("corps:topic_new", args=[c.area.slug]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"name": "At møde tilflyttere fra andre kulturer", "refresh_months": "36"},
    ),
    Route(
        "corps:topic_edit",
        lambda c: reverse("corps:topic_edit", args=[c.area.slug, c.training_topic.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "corps:topic_edit",
        lambda c: reverse("corps:topic_edit", args=[c.area.slug, c.training_topic.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"name": "Rollen og dens grænser", "refresh_months": "12", "required": "on"},
    ),
    Route(
        "corps:topic_edit (another area's topic)",
        lambda c: reverse("corps:topic_edit", args=[c.area.slug, c.other_training_topic.pk]),
        frozenset(),
        method="post",
        data={"name": "Hacked"},
    ),
    # --- The ambassador corps: recruitment and onboarding (apps/corps) ---
    # The public page: anyone, signed in or not; an unknown area has none. A sign-up writes one candidate.
    Route("corps:join", lambda c: reverse("corps:join", args=[c.area.slug]), PUBLIC),
    Route(
        "corps:join",
        lambda c: reverse("corps:join", args=[c.area.slug]),
        PUBLIC,
        method="post",
        data={"full_name": "Hodan Ahmed", "email": "hodan@example.org", "languages": ["so"], "consent": "on"},
    ),
    Route("corps:join (unknown area)", lambda c: reverse("corps:join", args=["nowhere"]), PUBLIC, ok=404),
    # The board, the candidates and the new ambassadors' first steps: the area's coordinators only.
    Route("corps:candidates", lambda c: reverse("corps:candidates", args=[c.area.slug]), frozenset({"coordinator"})),
    Route(
        "corps:candidates",
        lambda c: reverse("corps:candidates", args=[c.area.slug]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={
            "full_name": "Mette Madsen",
            "phone": "20 30 40 59",
            "channel": "information_meeting",
            "interested_on": timezone.localdate().isoformat(),
        },
    ),
    Route(
        "corps:candidates (the other area)",
        lambda c: reverse("corps:candidates", args=[c.other_area.slug]),
        OTHER_AREAS_COORDINATORS,
    ),
    Route(
        "corps:candidate",
        lambda c: reverse("corps:candidate", args=[c.area.slug, c.candidate.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "corps:candidate",
        lambda c: reverse("corps:candidate", args=[c.area.slug, c.candidate.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"note": "Ringer igen i næste uge"},
    ),
    Route(
        "corps:candidate (through the other area)",
        lambda c: reverse("corps:candidate", args=[c.other_area.slug, c.candidate.pk]),
        frozenset(),
    ),
    Route(
        "corps:candidate_intro_talk",
        lambda c: reverse("corps:candidate_intro_talk", args=[c.area.slug, c.candidate.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"on": timezone.localdate().isoformat()},
    ),
    Route(
        "corps:candidate_accept",
        lambda c: reverse("corps:candidate_accept", args=[c.area.slug, c.candidate.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"confirm": "1"},
    ),
    Route(
        "corps:candidate_stop",
        lambda c: reverse("corps:candidate_stop", args=[c.area.slug, c.candidate.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"reason": "no_reply"},
    ),
    Route(
        "corps:candidate_profile",
        lambda c: reverse("corps:candidate_profile", args=[c.area.slug, c.waiting_candidate.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
    ),
    Route(
        "corps:ambassador_advance",
        lambda c: reverse("corps:ambassador_advance", args=[c.area.slug, c.accepted_profile.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data={"status": "trained", "confirm": "1"},
    ),
    Route(
        "corps:onboarding",
        lambda c: reverse("corps:onboarding", args=[c.area.slug, c.accepted_profile.pk]),
        frozenset({"coordinator"}),
    ),
    Route(
        "corps:onboarding",
        lambda c: reverse("corps:onboarding", args=[c.area.slug, c.accepted_profile.pk]),
        frozenset({"coordinator"}),
        method="post",
        ok=302,
        data=lambda c: {"intro_talk_on": timezone.localdate().isoformat(), "mentor": c.ambassador_profile.pk},
    ),
    # --- Issue 18, the round's pooled page: the rounds list is every signed-in user's (showing only the rounds
    # they may view); a round and its CSV only for whoever coordinates every one of its areas.
    Route("surveys:round_list", lambda c: reverse("surveys:round_list"), SIGNED_IN),
    *(
        Route(
            f"surveys:{name} (a round of this area only)",
            lambda c, name=name: reverse(f"surveys:{name}", args=[c.one_area_round.pk]),
            # Its area's coordinator, and the programme lead of the round's organisation (figures only).
            frozenset({"coordinator", "programme_lead"}),
        )
        for name in ("round_detail", "round_csv")
    ),
    *(
        Route(
            f"surveys:{name} (a round of this area and the other)",
            lambda c, name=name: reverse(f"surveys:{name}", args=[c.two_area_round.pk]),
            frozenset({"programme_lead"}),
        )
        for name in ("round_detail", "round_csv")
    ),
    Route(
        "surveys:round_detail (no such round)",
        lambda c: reverse("surveys:round_detail", args=[987654]),
        frozenset(),
        refused={role: 404 for role in SIGNED_IN},
    ),
    # Issue 18, point 3: trends across the organisation's rounds: whoever may view one of its rounds (the
    # coordinators of the one-area rounds of either area, the organisation's programme lead), each seeing
    # only those rounds (tests/surveys/test_trends.py checks which).
    Route(
        "surveys:round_trends",
        lambda c: reverse("surveys:round_trends", args=[c.organisation.slug]),
        frozenset({"coordinator", "other_coordinator", "two_area_user", "programme_lead"}),
    ),
    # --- Issue 18: the research export of a round (SURVEY_ROUND_VIEW: who coordinates every area of it) ---
    Route(
        "surveys:round_research_export",
        lambda c: reverse("surveys:round_research_export", args=[c.research_round.pk]),
        frozenset({"coordinator", "programme_lead"}),
    ),
    Route(
        "surveys:round_research_export (a round with another area too)",
        lambda c: reverse("surveys:round_research_export", args=[c.research_round_both.pk]),
        frozenset({"programme_lead"}),
    ),
    # --- The survey round's report as a PDF (issue 18): whoever may view the round (here: `area`'s coordinator and the programme lead) ---
    Route(
        "surveys:round_report_new",
        lambda c: reverse("surveys:round_report_new", args=[c.survey_round.pk]),
        frozenset({"coordinator", "programme_lead"}),
        method="post",
        ok=302,
    ),
    *[
        Route(
            f"surveys:{name}",
            lambda c, name=name: reverse(f"surveys:{name}", args=[c.survey_round.pk, c.round_report.pk]),
            frozenset({"coordinator", "programme_lead"}),
        )
        for name in ("round_report_status", "round_report_file")
    ],
    *[
        Route(
            f"surveys:{name} (another round's report)",
            lambda c, name=name: reverse(f"surveys:{name}", args=[c.survey_round.pk, c.other_round_report.pk]),
            frozenset({"coordinator", "programme_lead"}),
            ok=404,
        )
        for name in ("round_report_status", "round_report_file")
    ],
]


def _import_run(*, area, user):
    """A checked move-in list waiting for confirmation in `area`."""
    data = "Lejemålsnr.;Indflytningsdato\r\n101-0001;01-11-2026\r\n".encode("cp1252")
    return import_run_create(
        organisation=area.estates.first().organisation, area=area, user=user, filename="liste.csv", data=data
    )


def _photo(name: str) -> SimpleUploadedFile:
    # The smallest valid PNG: 1×1 pixel.
    pixel = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
    return SimpleUploadedFile(name, pixel, content_type="image/png")


def _visits(*, area, ambassador, other_ambassador, coordinator) -> dict:
    """Ali's visit (with a referral), Anne's visit, a newcomer still waiting for an ambassador, and a note of a
    support conversation with Ali."""
    tenancies = list(Tenancy.objects.filter(estate__area=area).order_by("number"))
    newcomers = [
        Newcomer.objects.create(tenancy=tenancy, move_in_date=timezone.localdate(), name=f"Newcomer {i}")
        for i, tenancy in enumerate(tenancies[:3])
    ]
    ali = Ambassador.objects.create(user=ambassador, area=area, languages=["da"], photo=_photo("ali.png"))
    anne = Ambassador.objects.create(user=other_ambassador, area=area, languages=["da"], photo=_photo("anne.png"))
    visit, other_visit = visits_assign(
        area=area, assignments=[(newcomers[0].pk, ali.pk), (newcomers[1].pk, anne.pk)], by=coordinator
    )
    activity = Activity.objects.create(area=area, name="Madklub")
    # Visits where Ali and Anne met the newcomer: a later contact can be noted on them; Ali noted one.
    estate = tenancies[0].estate
    met_newcomers = [
        Newcomer.objects.create(
            tenancy=Tenancy.objects.create(estate=estate, entrance=tenancies[0].entrance, number=f"101-09{i}"),
            move_in_date=timezone.localdate(),
            name=f"Met newcomer {i}",
        )
        for i in range(2)
    ]
    met_visit, other_met_visit = visits_assign(
        area=area, assignments=[(met_newcomers[0].pk, ali.pk), (met_newcomers[1].pk, anne.pk)], by=coordinator
    )
    visit_record_attempt(visit=met_visit, by=ambassador, outcome=Attempt.Outcome.MET_TALKED)
    visit_record_attempt(visit=other_met_visit, by=other_ambassador, outcome=Attempt.Outcome.MET_TALKED)
    return {
        "ambassador_profile": ali,
        "other_ambassador_profile": anne,
        "visit": visit,
        "other_visit": other_visit,
        "met_visit": met_visit,
        "other_met_visit": other_met_visit,
        "later_contact": later_contact_record(visit=met_visit, by=ambassador, topic="home"),
        "waiting_newcomer": newcomers[2],
        "activity": activity,
        "referral": Referral.objects.create(visit=visit, activity=activity),
        "support": SupportConversation.objects.create(
            ambassador=ali, held_on=timezone.localdate(), note="Samtale", recorded_by=coordinator
        ),
    }


def _meetings(*, area, other_area, coordinator, other_coordinator, ali, anne) -> dict:
    """A meeting in five days that Ali and Anne are invited to (with published minutes), and one elsewhere."""
    starts_at = timezone.now() + timedelta(days=5)
    meeting = meeting_create(area=area, by=coordinator, title="Netværksmøde", starts_at=starts_at)
    invitation, other_invitation = meeting_invite(meeting=meeting, ambassadors=[ali, anne])
    minutes_save(meeting=meeting, markdown="Referat", publish=True)
    action_item = action_item_add(meeting=meeting, text="Bestil kaffe")
    other_meeting = meeting_create(area=other_area, by=other_coordinator, title="Andet møde", starts_at=starts_at)
    minutes_save(meeting=other_meeting, markdown="Referat", publish=True)
    series_fields = {"title": "Månedsmøde", "weekday": 1, "nth": 1, "start_time": time(17), "place": "Huset"}
    ends_on = timezone.localdate() + timedelta(days=70)
    return {
        "series": meeting_series_create(area=area, by=coordinator, ends_on=ends_on, **series_fields),
        "other_series": meeting_series_create(area=other_area, by=other_coordinator, ends_on=ends_on, **series_fields),
        "meeting": meeting,
        "invitation": invitation,
        "other_invitation": other_invitation,
        "other_meeting": other_meeting,
        "action_item": action_item,
    }


def _surveys(*, area, other_area) -> dict:
    """A running survey in each area, and an invitation (with its link's token) in this area's."""
    ensure_standard_bank()  # a data migration; transactional tests elsewhere flush it
    today = timezone.localdate()
    dates = {
        "period_start": today - timedelta(days=90),
        "period_end": today,
        "opens_on": today,
        "closes_on": today + timedelta(days=30),
    }
    survey = survey_build(area=area, by=None, title="Undersøgelse", **dates)
    other_survey = survey_build(area=other_area, by=None, title="Anden", **dates)
    tenancy = Tenancy.objects.filter(estate__area=area).order_by("-number").first()
    newcomer = Newcomer.objects.create(tenancy=tenancy, move_in_date=today, name="Survey Newcomer", phone="+4561222222")
    invitation = invitation_new(survey=survey, newcomer=newcomer, channel="sms", now=timezone.now())
    invitation.save()
    return {
        "survey": survey,
        "other_survey": other_survey,
        "survey_invitation": invitation,
        "survey_token": invitation_token(invitation=invitation),
    }


def _survey_rounds(*, organisation, area, other_area) -> dict:
    """Issue 18: a survey round of this area alone, and one of this area and the other."""
    today = timezone.localdate()
    period = {"period_start": today - timedelta(days=365), "period_end": today - timedelta(days=1), "by": None}
    return {
        "one_area_round": survey_round_create(organisation=organisation, title="Én", areas=[area], **period),
        "two_area_round": survey_round_create(
            organisation=organisation, title="To", areas=[area, other_area], **period
        ),
    }


def _dashboards(*, area, other_area, coordinator) -> dict:
    """Estates to ask the board pages about, and a finished annual report in each area."""

    def report(in_area):
        made = AnnualReport(
            area=in_area, year=timezone.localdate().year - 1, status=AnnualReport.Status.DONE, requested_by=coordinator
        )
        made.pdf.save("report.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        made.csv.save("figures.csv", ContentFile(b"a;b"), save=False)
        made.save()
        return made

    return {
        "estate": area.estates.get(number="101"),
        "other_estate": area.estates.get(number="102"),
        "other_area_estate": other_area.estates.get(),
        "report": report(area),
        "other_report": report(other_area),
    }


def _picture_png() -> bytes:
    """A small PNG that passes the folder's checks (Pillow verifies it; the 1×1 photo above has a bad CRC)."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _folders(*, area, other_area, coordinator, other_coordinator, ali) -> dict:
    """A published folder with a picture and a finished print batch in each area."""
    objects = {}
    for prefix, place, user in [("", area, coordinator), ("other_", other_area, other_coordinator)]:
        folder = folder_get_or_create(area=place)
        section = folder.sections.get(kind="welcome_letter")
        section_text_save(section=section, language="da", title="Velkommen", markdown="Velkommen!", by=user)
        picture = picture_add(section=section, data=_picture_png(), caption="", by=user)
        version = folder_publish(folder=folder, by=user)
        batch = PrintBatch.objects.create(area=place, version=version, due_until=timezone.localdate(), status="done")
        ambassador = ali if place == area else Ambassador.objects.create(user=user, area=place)
        batch_file = BatchFile.objects.create(batch=batch, ambassador=ambassador, folder_count=0)
        batch_file.pdf.save("b.pdf", ContentFile(b"%PDF-1.4 test"))
        objects.update(
            {
                f"{prefix}folder_section": section,
                f"{prefix}folder_picture": picture,
                f"{prefix}print_batch": batch,
                f"{prefix}batch_file": batch_file,
            }
        )
    return objects


def _people(*, area, other_area, empty_area) -> dict:
    """Every role of the table. Addresses and numbers differ from conftest's fixtures, which other tests in a
    module that imports this table create while the world below exists."""
    counter = iter(range(1, 100))

    def make_user(*, full_name, phone=""):
        return user_create(
            email=f"table{next(counter)}@example.org", full_name=full_name, phone=phone, password="naboambassador-test"
        )

    def member(full_name, phone, area, role, **extra):
        user = make_user(full_name=full_name, phone=phone)
        membership_grant(user=user, area=area, role=role, **extra)
        return user

    return {
        "anonymous": None,
        "ambassador": member("Ali Ambassador", "+4530100011", area, Role.AMBASSADOR),
        "other_ambassador": member("Anne Ambassador", "+4530100012", area, Role.AMBASSADOR),
        "board": member("Bent Boardmember", "", area, Role.BOARD, estates=[area.estates.get(number="101")]),
        "interviewer": member("Ida Interviewer", "", area, Role.INTERVIEWER),
        "coordinator": member("Carla Coordinator", "", area, Role.COORDINATOR),
        "other_coordinator": member("Otto Othercoordinator", "", other_area, Role.COORDINATOR),
        "empty_area_coordinator": member("Emil Emptyarea", "", empty_area, Role.COORDINATOR),
        "former_ambassador": former_ambassador_create(
            make_user,
            area=area,
            tenancy=area.estates.get(number="102").tenancies.order_by("number")[0],
            phone="+4530100019",
        ),
        "two_area_user": two_area_user_create(make_user, area=area, other_area=other_area, phone="+4530100018"),
        "other_ambassador_area": other_area_ambassador_create(make_user, other_area=other_area, phone="+4530100017"),
    }


def _hours(*, area, other_area, coordinator, ali, anne, other_area_profile) -> dict:
    """Time registration on in both areas: Ali's waiting and approved entries, Anne's, and one elsewhere."""
    hours_settings_save(area=area, enabled=True, minutes_per_visit=0)
    hours_settings_save(area=other_area, enabled=True, minutes_per_visit=0)
    today = timezone.localdate()

    def entry(ambassador, hours="2"):
        return hour_entry_create(ambassador=ambassador, date=today, hours=Decimal(hours), kind="meeting")

    approved = entry(ali, "1")
    hour_entries_approve(area=area, entry_ids=[approved.pk], by=coordinator)
    return {
        "hour_entry": entry(ali),
        "approved_hour_entry": approved,
        "other_hour_entry": entry(anne),
        "other_area_hour_entry": entry(other_area_profile),
    }


def _trainings(*, area, other_area, ali) -> dict:
    """A training topic and a held session Ali attended in each area (issue 17, training)."""
    objects = {}
    for prefix, place in [("", area), ("other_", other_area)]:
        topic = TrainingTopic.objects.create(
            area=place, name="Rollen og dens grænser", refresh_months=24, required=True
        )
        training = Training.objects.create(
            area=place, topic=topic, title=topic.name, held_on=timezone.localdate() - timedelta(days=30)
        )
        if place == area:
            training.ambassadors.set([ali])
        objects.update({f"{prefix}training_topic": topic, f"{prefix}training": training})
    return objects


def _undelivered(*, area, user) -> Message:
    """A message of the area that the gateway would not take: the undelivered page lists it."""
    return Message.objects.create(
        channel=Message.Channel.SMS,
        to_user=user,
        address=user.phone,
        body="Husk besøget",
        idempotency_key="table:undelivered",
        area=area,
        status=Message.Status.FAILED,
        attempts=5,
        last_error="refused: invalid number",
    )


def _recruitment(*, area, other_area) -> dict:
    """Candidates in each area; one accepted who waits to say yes to the area; a new ambassador accepted."""
    nora = user_create(email="table-nora@example.org", full_name="Nora Newcomer", phone="+4530100016")
    membership_grant(user=nora, area=area, role=Role.AMBASSADOR)
    accepted = Ambassador.objects.create(user=nora, area=area, status=Ambassador.Status.ACCEPTED)
    Onboarding.objects.create(ambassador=accepted)
    # Someone with an account elsewhere who has since said yes: their profile can be made.
    vera = user_create(email="table-vera@example.org", full_name="Vera Venter", phone="+4530100015")
    membership_grant(user=vera, area=area, role=Role.AMBASSADOR)
    today = timezone.localdate()
    return {
        "candidate": Candidate.objects.create(
            area=area, full_name="Hanne Kandidat", phone="+4530100014", channel="personal_request"
        ),
        "waiting_candidate": Candidate.objects.create(
            area=area,
            full_name="Vera Venter",
            email="table-vera@example.org",
            channel="poster_advert",
            stage="accepted",
            decided_on=today,
            user=vera,
        ),
        "other_area_candidate": Candidate.objects.create(
            area=other_area, full_name="Karl Kandidat", phone="+4530100013", channel="personal_request"
        ),
        "accepted_profile": accepted,
    }


def _programme_lead(*, organisation):
    """Issue 18: the organisation's programme lead, granted as an administrator does (no area membership)."""
    user = user_create(
        email="table-programme-lead@example.org", full_name="Petra Programmelead", password="naboambassador-test"
    )
    ProgrammeLead.objects.create(user=user, organisation=organisation)
    return user


def _round(*, organisation, area, other_area, coordinator) -> dict:
    """A survey round over `area` only (so its coordinator may view it), with a finished report; and a round
    over `other_area` with its own report, to name through the first round."""
    today = timezone.localdate()
    dates = {"period_start": today - timedelta(days=90), "period_end": today}

    def made(areas: list) -> tuple[SurveyRound, RoundReport]:
        survey_round = SurveyRound.objects.create(organisation=organisation, title="Runde", **dates)
        for in_area in areas:
            survey = survey_build(area=in_area, by=None, title="Runde", opens_on=today, closes_on=today, **dates)
            Survey.objects.filter(pk=survey.pk).update(round=survey_round)
        report = RoundReport(round=survey_round, status=RoundReport.Status.DONE, requested_by=coordinator)
        report.pdf.save("round.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        report.save()
        return survey_round, report

    survey_round, round_report = made([area])
    _other_round, other_round_report = made([other_area])
    return {"survey_round": survey_round, "round_report": round_report, "other_round_report": other_round_report}


def _world(media) -> SimpleNamespace:
    organisation = HousingOrganisation.objects.create(name="Boligselskabet Tabel", slug="table")
    area = build_area(organisation, "table-north", ["101", "102"])
    other_area = build_area(organisation, "table-south", ["201"])
    empty_area = build_area(organisation, "table-east", [])
    people = _people(area=area, other_area=other_area, empty_area=empty_area)
    coordinator, other_coordinator = people["coordinator"], people["other_coordinator"]
    visits = _visits(
        area=area, ambassador=people["ambassador"], other_ambassador=people["other_ambassador"], coordinator=coordinator
    )
    ctx = SimpleNamespace(
        **_folders(
            area=area,
            other_area=other_area,
            coordinator=coordinator,
            other_coordinator=other_coordinator,
            ali=visits["ambassador_profile"],
        ),
        organisation=organisation,
        area=area,
        empty_area=empty_area,
        ambassador_membership=people["ambassador"].memberships.get(),
        former_visit=Visit.objects.get(ambassador__user=people["former_ambassador"]),
        import_run=_import_run(area=area, user=coordinator),
        other_import_run=_import_run(area=other_area, user=other_coordinator),
        other_area=other_area,
        **visits,
        **_meetings(
            area=area,
            other_area=other_area,
            coordinator=coordinator,
            other_coordinator=other_coordinator,
            ali=visits["ambassador_profile"],
            anne=visits["other_ambassador_profile"],
        ),
        **_surveys(area=area, other_area=other_area),
        **_dashboards(area=area, other_area=other_area, coordinator=coordinator),
        undelivered=_undelivered(area=area, user=people["ambassador"]),
    )
    ctx.__dict__.update(
        _hours(
            area=area,
            other_area=other_area,
            coordinator=coordinator,
            ali=ctx.ambassador_profile,
            anne=ctx.other_ambassador_profile,
            other_area_profile=ctx.other_batch_file.ambassador,
        )
    )
    ctx.__dict__.update(_recruitment(area=area, other_area=other_area))
    ctx.__dict__.update(_trainings(area=area, other_area=other_area, ali=ctx.ambassador_profile))
    ctx.__dict__.update(_round(organisation=organisation, area=area, other_area=other_area, coordinator=coordinator))
    ctx.__dict__.update(_survey_rounds(organisation=organisation, area=area, other_area=other_area))
    ctx.__dict__.update(_research_rounds(organisation=organisation, area=area, other_area=other_area))
    people.pop("other_ambassador")
    people["programme_lead"] = _programme_lead(organisation=organisation)
    return SimpleNamespace(media=media, ctx=ctx, users=people)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> SimpleNamespace:
    """The table's data, built once per module and committed; each test runs in a transaction that is rolled
    back, so no test sees another's writes. Removed (with a flush, as transactional tests do) at the end."""
    media = tmp_path_factory.mktemp("table-media")
    quiet = override_settings(
        MEDIA_ROOT=media,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        SMS_BACKEND="apps.core.sms.LocmemSmsBackend",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    with django_db_blocker.unblock(), quiet:
        built = _world(media)
    yield built
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        ensure_standard_bank()


@pytest.fixture
def ctx(world, db, settings, tmp_path) -> SimpleNamespace:
    # The files too are the test's own: an erasure deletes a photo, and that is not rolled back.
    settings.MEDIA_ROOT = shutil.copytree(world.media, tmp_path / "table-media")
    return copy.deepcopy(world.ctx)


@pytest.fixture
def users(world, db) -> dict:
    return copy.deepcopy(world.users)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_role_may_or_may_not_open_url(client, users, ctx, route, role, django_capture_on_commit_callbacks):
    user = users[role]
    if user is not None:
        client.force_login(user)
    data = route.data(ctx) if callable(route.data) else route.data
    url = route.url(ctx)
    # Only a POST may write; taking the whole database before and after costs a query per model.
    writes = route.method == "post"
    before = snapshot.take() if writes else None
    with django_capture_on_commit_callbacks(execute=True):  # what is queued after commit is part of the effect
        response = getattr(client, route.method)(url, data)
    changes = snapshot.diff(before, snapshot.take()) if writes else []

    if role in route.allowed:
        assert response.status_code == route.ok, f"{role} should reach {route}"
        # An allowed POST acts on the objects of its route's area (`area` unless the route says otherwise).
        foreign = snapshot.foreign_changes(changes, own={getattr(ctx, route.own_area.get(role, route.area)).pk})
        if route.asks_consent:
            foreign = [change for change in foreign if not snapshot.is_consent_request(change)]
        assert not foreign, f"{role} {route} wrote outside its area:\n" + "\n".join(map(str, foreign))
        return
    if user is None:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif route.name == "accounts:login":
        assert response.status_code == 302  # a signed-in user is sent on from the login page
    else:
        assert response.status_code == route.refused.get(role, 403), f"{role} must be refused {route}"
    assert not changes, f"{role} was refused {route} but it wrote:\n" + "\n".join(map(str, changes))


def test_admin_is_closed_to_every_role_but_staff(client, users):
    for role, user in users.items():
        if user is not None:
            client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"], role


# --- Issue 18: the research export of a round ---------------------------------------------------------------


def _research_rounds(*, organisation, area, other_area) -> dict:
    """A survey round of `area` alone, and one of `area` and `other_area` (which nobody in the table
    coordinates both of)."""
    from apps.surveys.models import Survey, SurveyRound

    today = timezone.localdate()
    dates = {"period_start": today - timedelta(days=90), "period_end": today}
    rounds = {}
    for name, areas in (("research_round", [area]), ("research_round_both", [area, other_area])):
        survey_round = SurveyRound.objects.create(organisation=organisation, title=name, **dates)
        for the_area in areas:
            survey = survey_build(
                area=the_area, by=None, title=name, opens_on=today, closes_on=today + timedelta(days=30), **dates
            )
            Survey.objects.filter(pk=survey.pk).update(round=survey_round)
        rounds[name] = survey_round
    return rounds
