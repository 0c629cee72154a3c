from django.urls import path  # noqa: F401

from apps.corps import views

# Mounted at the site root: the public recruitment page under join/, the coordinator's pages under
# areas/<slug>/corps/.
app_name = "corps"

urlpatterns: list = []

# --- Recognition (issue 17 point 5) ---
urlpatterns += [
    path("areas/<slug:slug>/corps/recognition/", views.recognition, name="recognition"),
    path("areas/<slug:slug>/corps/recognition/settings/", views.recognition_settings, name="recognition_settings"),
    path("areas/<slug:slug>/corps/ambassadors/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
]
