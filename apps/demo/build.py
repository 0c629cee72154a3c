"""The whole demo area, built by each app's own `demo.py` in a fixed order.

This app is the top floor: it may import every app, and no app imports it. Each step draws from the one
seeded random generator in turn, so the data is the same on every run; a new app adds its `demo.py` and
one step here, after the steps whose rows it needs.
"""

import random

from apps.accounts.demo import SECOND_AREA_USERS, programme_lead_demo_build, users_demo_build
from apps.accounts.models import Membership, User
from apps.corps.demo_health import corps_health_demo_build
from apps.corps.demo_recognition import recognition_demo_build
from apps.corps.demo_recruitment import recruitment_demo_build
from apps.corps.demo_training import training_demo_build
from apps.folders.demo import folder_build_demo
from apps.hours.demo import hours_demo_build
from apps.meetings.demo import meetings_demo_build, meetings_demo_build_history
from apps.organisation.demo import (
    SECOND_AREA_CITY,
    SECOND_AREA_ESTATES,
    SECOND_AREA_POSTCODE,
    organisation_demo_build,
    tenancies_demo_build,
)
from apps.organisation.models import Area, HousingOrganisation
from apps.surveys.demo import survey_demo_build, survey_rounds_demo_build
from apps.surveys.models import Survey, SurveyRound
from apps.visits.demo import (
    SECOND_AREA_ACTIVITIES,
    SECOND_AREA_ACTIVITY_CONTACT,
    SECOND_AREA_PROFILES,
    visits_demo_build,
    visits_demo_build_history,
)

SEED = 2026
DEMO_SLUG = "demo"
SECOND_AREA_SLUG = "demo-egeloekke"


def demo_build(*, rng: random.Random) -> dict[str, int]:
    """Build the whole demo area; returns counts to report."""
    organisation, area, estates = organisation_demo_build(slug=DEMO_SLUG)
    tenancy_count = tenancies_demo_build(estates=estates, rng=rng)
    users = users_demo_build(area=area, estates=estates)
    visit_counts = visits_demo_build(area=area, users=users, rng=rng)
    meeting_count = meetings_demo_build(area=area, rng=rng)
    interviewer = User.objects.get(memberships__area=area, memberships__role=Membership.Role.INTERVIEWER)
    survey_counts = survey_demo_build(area=area, interviewer=interviewer, rng=rng)
    # Last year, so the dashboards' comparison with the same period a year before has figures.
    history_newcomers = visits_demo_build_history(area=area, rng=rng)
    history_meetings = meetings_demo_build_history(area=area, rng=rng)
    coordinator = next(user for user in users if user.email == "coordinator@demo.dk")
    folder = folder_build_demo(area=area, by=coordinator)
    # Last: its draws come after every other step's, so adding it changed no other demo data.
    hour_counts = hours_demo_build(area=area, coordinator=coordinator, rng=rng)
    # The ambassador corps (issue 17), after every other step so its draws change no other demo data:
    # training, then a two-year status history for the corps' health, then the thank-yous sent.
    training_counts = training_demo_build(area=area, rng=rng)
    corps_health_demo_build(area=area, rng=rng)
    recognition_counts = recognition_demo_build(area=area, rng=rng)
    # Then the candidates in every stage and two new ambassadors in onboarding.
    recruitment_counts = recruitment_demo_build(area=area, coordinator=coordinator, rng=rng)
    # Issue 18, after every other step so the first area's data stays as it was: the organisation's second
    # area and the survey rounds of last year and this year across both areas.
    second_area_counts = second_area_demo_build(organisation=organisation, first_area=area, rng=rng)
    # And the organisation's programme lead, who follows those rounds (draws nothing from `rng`).
    programme_lead_demo_build(organisation=organisation)
    return {
        "estates": len(estates),
        "tenancies": tenancy_count,
        "users": len(users),
        "meetings": meeting_count,
        "folder_versions": folder.versions.count(),
        "history_newcomers": history_newcomers,
        "history_meetings": history_meetings,
        **visit_counts,
        **survey_counts,
        **hour_counts,
        **training_counts,
        **recognition_counts,
        **recruitment_counts,
        **second_area_counts,
    }


# --- Issue 18: a second area and survey rounds across areas ---------------------------------------------


def second_area_demo_build(*, organisation: HousingOrganisation, first_area: Area, rng: random.Random) -> dict:
    """The demo organisation's second area (estates, tenancies, its own coordinator, ambassadors with visits,
    newcomers, a running survey) and two survey rounds over both areas, built with the same builders as the
    first area. Returns counts ("second_area_*", "survey_rounds")."""
    _organisation, area, estates = organisation_demo_build(
        slug=SECOND_AREA_SLUG,
        organisation=organisation,
        name="Egeløkke Helhedsplan",
        description="Et fiktivt boligområde med to afdelinger, det andet i Boligselskabet Demo.",
        estates=SECOND_AREA_ESTATES,
    )
    tenancy_count = tenancies_demo_build(
        estates=estates, rng=rng, spec=SECOND_AREA_ESTATES, postcode=SECOND_AREA_POSTCODE, city=SECOND_AREA_CITY
    )
    users = users_demo_build(area=area, estates=estates, specs=SECOND_AREA_USERS)
    visit_counts = visits_demo_build(
        area=area,
        users=users,
        rng=rng,
        profiles=SECOND_AREA_PROFILES,
        activities=SECOND_AREA_ACTIVITIES,
        activity_contact=SECOND_AREA_ACTIVITY_CONTACT,
        support_conversations=[],
    )
    history_newcomers = visits_demo_build_history(area=area, rng=rng)
    interviewer = next(user for user in users if user.email == "interviewer2@demo.dk")
    first_survey = Survey.objects.get(area=first_area, round__isnull=True)
    survey_round_area_build = survey_demo_build(
        area=area, interviewer=interviewer, rng=rng, title=f"Tilflytterundersøgelse {first_survey.period_end.year}"
    )
    second_survey = Survey.objects.get(area=area)
    survey_rounds_demo_build(
        organisation=organisation,
        areas=[first_area, area],
        current={first_area: first_survey, area: second_survey},
        rng=rng,
    )
    return {
        "second_area_tenancies": tenancy_count,
        "second_area_users": len(users),
        "second_area_newcomers": visit_counts["newcomers"] + history_newcomers,
        "second_area_visits": visit_counts["visits"],
        "second_area_survey_answers": survey_round_area_build["survey_answers"],
        "survey_rounds": SurveyRound.objects.filter(organisation=organisation).count(),
    }
