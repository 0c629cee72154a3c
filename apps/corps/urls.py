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
]
