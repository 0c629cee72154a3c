from django.urls import path

from apps.audit import views

app_name = "audit"

urlpatterns = [
    path("areas/<slug:slug>/access-log/", views.area_log, name="area_log"),
]
