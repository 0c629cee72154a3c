from django.urls import path

from apps.corps import views

# Mounted at the site root: the public recruitment page under join/, the coordinator's pages under
# areas/<slug>/corps/.
app_name = "corps"

urlpatterns: list = [
    # --- Recruitment and onboarding (issue 17, points 1 and 2) ---
    path("join/<slug:slug>/", views.join, name="join"),
    path("areas/<slug:slug>/corps/candidates/", views.candidates, name="candidates"),
    path("areas/<slug:slug>/corps/candidates/<int:pk>/", views.candidate, name="candidate"),
    path(
        "areas/<slug:slug>/corps/candidates/<int:pk>/intro-talk/",
        views.candidate_intro_talk,
        name="candidate_intro_talk",
    ),
    path("areas/<slug:slug>/corps/candidates/<int:pk>/accept/", views.candidate_accept, name="candidate_accept"),
    path("areas/<slug:slug>/corps/candidates/<int:pk>/stop/", views.candidate_stop, name="candidate_stop"),
    path("areas/<slug:slug>/corps/candidates/<int:pk>/profile/", views.candidate_profile, name="candidate_profile"),
    path("areas/<slug:slug>/corps/ambassadors/<int:pk>/advance/", views.ambassador_advance, name="ambassador_advance"),
    path("areas/<slug:slug>/corps/ambassadors/<int:pk>/first-steps/", views.onboarding, name="onboarding"),
]
