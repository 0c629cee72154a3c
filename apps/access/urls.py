from django.urls import path

from apps.access import views

app_name = "access"

urlpatterns = [
    path("", views.home, name="home"),
    path("ambassador/", views.ambassador_home, name="ambassador_home"),
    path("board/", views.board_home, name="board_home"),
    path("interviewer/", views.interviewer_home, name="interviewer_home"),
    path("areas/<slug:area_slug>/messages/undelivered/", views.undelivered, name="undelivered"),
    path(
        "areas/<slug:area_slug>/messages/undelivered/<int:pk>/retry/",
        views.undelivered_retry_view,
        name="undelivered_retry",
    ),
    path(
        "areas/<slug:area_slug>/messages/undelivered/<int:pk>/other-channel/",
        views.undelivered_other_channel_view,
        name="undelivered_other_channel",
    ),
]
