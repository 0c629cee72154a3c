from django.urls import path

from apps.access import views

app_name = "access"

urlpatterns = [
    path("", views.home, name="home"),
    path("ambassador/", views.ambassador_home, name="ambassador_home"),
    path("board/", views.board_home, name="board_home"),
    path("interviewer/", views.interviewer_home, name="interviewer_home"),
]
