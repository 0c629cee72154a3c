from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("apps.core.urls")),
    path("", include("apps.access.urls")),
    path("", include("apps.accounts.urls")),
    path("areas/", include("apps.organisation.urls")),
    path("areas/<slug:area_slug>/imports/", include("apps.newcomers.urls")),
    path("", include("apps.visits.urls")),
    path("", include("apps.meetings.urls")),
    path("", include("apps.surveys.urls")),
    path("", include("apps.audit.urls")),
    path("", include("apps.privacy.urls")),
    path("", include("apps.dashboards.urls")),
    path("", include("apps.folders.urls")),
    path("", include("apps.hours.urls")),
    path("", include("apps.corps.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# 403.html, 404.html and 500.html in templates/ are Django's default error pages.
