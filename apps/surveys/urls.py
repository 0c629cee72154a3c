from django.urls import path

from apps.surveys import views

# Mounted at the site root: the newcomer's short links under s/, the interviewer's under surveys/, the
# coordinator's under areas/<slug>/surveys/.
app_name = "surveys"

urlpatterns = [
    # The newcomer, no sign-in: the personal link, the folder's QR code and an anonymous response
    path("s/qr/<str:qr_token>/", views.qr_start, name="qr_start"),
    path("s/a/<str:token>/", views.anonymous, name="anonymous"),
    path("s/<str:token>/", views.answer, name="answer"),
    # The interviewer (and the coordinator)
    path("surveys/calls/", views.calls_home, name="calls_home"),
    path("surveys/<int:pk>/calls/", views.call_list, name="call_list"),
    path("surveys/calls/<int:pk>/record/", views.call_record, name="call_record"),
    path("surveys/calls/<int:pk>/interview/", views.interview, name="interview"),
    # The coordinator of the area
    path("areas/<slug:slug>/surveys/", views.survey_list, name="list"),
    path("areas/<slug:slug>/surveys/new/", views.survey_new, name="new"),
    path("areas/<slug:slug>/surveys/questions/new/", views.question_new, name="question_new"),
    path("areas/<slug:slug>/surveys/<int:pk>/", views.survey_detail, name="detail"),
    path("areas/<slug:slug>/surveys/<int:pk>/edit/", views.survey_edit, name="edit"),
    path("areas/<slug:slug>/surveys/<int:pk>/qr.svg", views.survey_qr, name="qr"),
    path("areas/<slug:slug>/surveys/<int:pk>/invite/", views.survey_invite, name="invite"),
    path("areas/<slug:slug>/surveys/<int:pk>/funnel/", views.funnel, name="funnel"),
    path("areas/<slug:slug>/surveys/<int:pk>/analysis/", views.analysis, name="analysis"),
    path("areas/<slug:slug>/surveys/<int:pk>/analysis.csv", views.analysis_csv, name="analysis_csv"),
    path("areas/<slug:slug>/surveys/<int:pk>/import/", views.survey_import, name="import"),
    # Survey rounds across areas: whoever may view the round (its coordinators, a programme lead, an admin)
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/report.csv", views.round_csv, name="round_csv"),
    # Issue 18, point 3: the organisation's rounds over the years and its areas side by side
    path("rounds/trends/<slug:slug>/", views.round_trends, name="round_trends"),
]

# --- Issue 18: the research export of a round ---
urlpatterns += [
    path("rounds/<int:pk>/research.zip", views.round_research_export, name="round_research_export"),
]

# --- The round's report as a PDF (issue 18): asked for, followed while the worker makes it, downloaded ---
urlpatterns += [
    path("rounds/<int:pk>/report/", views.round_report_new, name="round_report_new"),
    path("rounds/<int:pk>/report/<int:report_pk>/", views.round_report_status, name="round_report_status"),
    path("rounds/<int:pk>/report/<int:report_pk>/file.pdf", views.round_report_file, name="round_report_file"),
]
