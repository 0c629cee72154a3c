from django.urls import path

from apps.meetings import views

# Mounted at the site root: the ambassador's pages under meetings/, the coordinator's under areas/<slug>/.
app_name = "meetings"

urlpatterns = [
    # The ambassador, on a phone; the token links work without signing in.
    path("meetings/", views.mine, name="mine"),
    path("meetings/answer/<str:token>/", views.answer_by_token, name="answer"),
    path("meetings/ics/<str:token>/", views.ics, name="ics"),
    path("meetings/invitations/<int:pk>/answer/", views.invitation_answer, name="invitation_answer"),
    path("meetings/invitations/<int:pk>/suggest/", views.suggest, name="suggest"),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    # The coordinator of the area
    path("areas/<slug:slug>/meetings/", views.area_list, name="area_list"),
    path("areas/<slug:slug>/meetings/new/", views.meeting_new, name="new"),
    path("areas/<slug:slug>/meetings/series/", views.series_new, name="series_new"),
    path("areas/<slug:slug>/meetings/series/<int:pk>/", views.series, name="series"),
    path("areas/<slug:slug>/meetings/series/<int:pk>/end/", views.series_end, name="series_end"),
    path("areas/<slug:slug>/meetings/overview/", views.overview, name="overview"),
    path("areas/<slug:slug>/meetings/<int:pk>/", views.detail, name="detail"),
    path("areas/<slug:slug>/meetings/<int:pk>/invite/", views.invite, name="invite"),
    path("areas/<slug:slug>/meetings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("areas/<slug:slug>/meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("areas/<slug:slug>/meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("areas/<slug:slug>/meetings/<int:pk>/actions/", views.action_item_new, name="action_item_new"),
    path(
        "areas/<slug:slug>/meetings/<int:pk>/actions/<int:item_pk>/done/",
        views.action_item_done,
        name="action_item_done",
    ),
]
