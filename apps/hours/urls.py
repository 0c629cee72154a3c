from django.urls import path

from apps.hours import views

# Mounted at the site root: the ambassador's pages under hours/, the coordinator's under areas/<slug>/hours/.
app_name = "hours"

urlpatterns = [
    path("hours/", views.mine, name="mine"),
    path("hours/<int:pk>/", views.entry_edit, name="entry_edit"),
    path("areas/<slug:slug>/hours/", views.area_hours, name="area"),
    path("areas/<slug:slug>/hours/<int:pk>/reject/", views.reject, name="reject"),
    path("areas/<slug:slug>/hours/settings/", views.settings, name="settings"),
    path("areas/<slug:slug>/hours/payroll/<int:pk>/", views.payroll, name="payroll"),
    path("areas/<slug:slug>/hours/export.csv", views.export_csv, name="export_csv"),
]
