import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naboambassador.settings")

app = Celery("naboambassador")
# Every CELERY_* setting in settings.py configures the app; see settings for the embedded default.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
