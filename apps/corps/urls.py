from django.urls import path

from apps.corps import views

# Mounted at the site root: the public recruitment page under join/, the coordinator's pages under
# areas/<slug>/corps/.
app_name = "corps"

urlpatterns: list = [
    # Health: the corps at a glance, for the area's coordinators
    path("areas/<slug:slug>/corps/", views.health, name="health"),
]
