from django.urls import path

from apps.newcomers import views

# Mounted at areas/<slug:area_slug>/imports/: every page belongs to one area.
app_name = "newcomers"

urlpatterns = [
    path("", views.history, name="history"),
    path("new/", views.upload, name="upload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/problems.csv", views.problems_csv, name="problems_csv"),
]
