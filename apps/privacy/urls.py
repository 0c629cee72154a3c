from django.urls import path

from apps.privacy import views

app_name = "privacy"

urlpatterns = [
    path("areas/<slug:slug>/personal-data/", views.search, name="search"),
    path("areas/<slug:slug>/personal-data/newcomers/<int:pk>/", views.newcomer_detail, name="newcomer"),
    path(
        "areas/<slug:slug>/personal-data/newcomers/<int:pk>/export.<str:fmt>",
        views.newcomer_export,
        name="newcomer_export",
    ),
    path("areas/<slug:slug>/personal-data/newcomers/<int:pk>/erase/", views.newcomer_erase_view, name="newcomer_erase"),
    path("areas/<slug:slug>/personal-data/people/<int:pk>/", views.person_detail, name="person"),
    path("areas/<slug:slug>/personal-data/people/<int:pk>/export.<str:fmt>", views.person_export, name="person_export"),
    path("areas/<slug:slug>/personal-data/people/<int:pk>/erase/", views.person_erase_view, name="person_erase"),
]
