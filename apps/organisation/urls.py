from django.urls import path

from apps.organisation import views

app_name = "organisation"

urlpatterns = [
    path("<slug:slug>/", views.area_detail, name="area_detail"),
]
