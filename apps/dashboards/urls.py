from django.urls import path

from apps.dashboards import views

# Mounted at the site root: the board's pages under board/, the coordinator's under areas/<slug>/.
app_name = "dashboards"

urlpatterns = [
    path("board/estates/<int:pk>/", views.board_estate, name="board_estate"),
    path("areas/<slug:slug>/dashboard/", views.area_dashboard, name="area"),
    path("areas/<slug:slug>/dashboard/reports/", views.report_list, name="report_list"),
    path("areas/<slug:slug>/dashboard/reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("areas/<slug:slug>/dashboard/reports/<int:pk>/status/", views.report_status, name="report_status"),
    path(
        "areas/<slug:slug>/dashboard/reports/<int:pk>/report.pdf",
        views.report_download,
        {"kind": "pdf"},
        name="report_pdf",
    ),
    path(
        "areas/<slug:slug>/dashboard/reports/<int:pk>/figures.csv",
        views.report_download,
        {"kind": "csv"},
        name="report_csv",
    ),
]
