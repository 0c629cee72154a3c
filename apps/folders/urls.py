from django.urls import path

from apps.folders import views

# Mounted at the site root: the coordinator's pages under areas/<slug>/folder/, a visit's folder under visits/.
app_name = "folders"

urlpatterns = [
    path("areas/<slug:slug>/folder/", views.editor, name="editor"),
    path("areas/<slug:slug>/folder/sections/new/", views.section_new, name="section_new"),
    path("areas/<slug:slug>/folder/sections/<int:pk>/pictures/", views.picture_upload, name="picture_upload"),
    path("areas/<slug:slug>/folder/sections/<int:pk>/<str:language>/", views.section_edit, name="section_edit"),
    path("areas/<slug:slug>/folder/pictures/<int:pk>/", views.picture, name="picture"),
    path("areas/<slug:slug>/folder/pictures/<int:pk>/remove/", views.picture_delete, name="picture_remove"),
    path("areas/<slug:slug>/folder/languages/", views.language_add, name="language_add"),
    path("areas/<slug:slug>/folder/publish/", views.publish, name="publish"),
    path("areas/<slug:slug>/folder/preview/<str:language>/", views.preview, name="preview"),
    path("areas/<slug:slug>/folder/preview/<str:language>/pdf/", views.preview_pdf, name="preview_pdf"),
    path("areas/<slug:slug>/folder/batches/", views.batch_list, name="batch_list"),
    path("areas/<slug:slug>/folder/batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("areas/<slug:slug>/folder/batches/<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    path("areas/<slug:slug>/folder/batches/<int:pk>/files/<int:file_pk>/", views.batch_file, name="batch_file"),
    path("visits/<int:pk>/folder/", views.visit_folder, name="visit_folder"),
    path("visits/<int:pk>/folder/status/", views.visit_folder_status, name="visit_folder_status"),
]
