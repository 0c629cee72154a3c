from django.apps import AppConfig


class FoldersConfig(AppConfig):
    name = "apps.folders"
    verbose_name = "Welcome folder"

    def ready(self) -> None:
        from apps.core.jobs import job_kind_register
        from apps.folders.models import Delivery, PrintBatch
        from apps.folders.tasks import folder_batch_make, folder_delivery_render

        job_kind_register(model=PrintBatch, task=folder_batch_make)
        job_kind_register(model=Delivery, task=folder_delivery_render)
