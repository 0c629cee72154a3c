from django.apps import AppConfig


class FoldersConfig(AppConfig):
    name = "apps.folders"
    verbose_name = "Welcome folder"
