from django.urls import path

from apps.core import views

app_name = "core"

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    # Delivery reports from the SMS gateway (GATEWAYAPI_CALLBACK_URL points here).
    path("hooks/sms/gatewayapi/", views.gatewayapi_webhook, name="gatewayapi_webhook"),
]
