from django.urls import path

from apps.corps import views

# Mounted at the site root: the public recruitment page under join/, the coordinator's pages under
# areas/<slug>/corps/.
app_name = "corps"

urlpatterns = [
    # Health: the corps at a glance, for the area's coordinators
    path("areas/<slug:slug>/corps/", views.health, name="health"),
    # Recognition: figures per ambassador, thank-you settings and the certificate
    path("areas/<slug:slug>/corps/recognition/", views.recognition, name="recognition"),
    path("areas/<slug:slug>/corps/recognition/settings/", views.recognition_settings, name="recognition_settings"),
    path("areas/<slug:slug>/corps/ambassadors/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    # Training: sessions, attendance and topics
    path("areas/<slug:slug>/corps/trainings/", views.trainings, name="trainings"),
    path("areas/<slug:slug>/corps/trainings/new/", views.training_new, name="training_new"),
    path("areas/<slug:slug>/corps/trainings/<int:pk>/edit/", views.training_edit, name="training_edit"),
    path("areas/<slug:slug>/corps/trainings/<int:pk>/delete/", views.training_delete, name="training_delete"),
    path("areas/<slug:slug>/corps/trainings/topics/new/", views.topic_new, name="topic_new"),
    path("areas/<slug:slug>/corps/trainings/topics/<int:pk>/edit/", views.topic_edit, name="topic_edit"),
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
