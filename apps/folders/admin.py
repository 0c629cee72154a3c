from django.contrib import admin

from apps.audit.admin import AccessLoggedAdmin
from apps.folders.models import Delivery, FolderVersion, PrintBatch, WelcomeFolder


@admin.register(WelcomeFolder)
class WelcomeFolderAdmin(admin.ModelAdmin):
    list_display = ["area", "languages", "updated_at"]


@admin.register(FolderVersion)
class FolderVersionAdmin(admin.ModelAdmin):
    list_display = ["folder", "number", "published_at", "published_by"]
    readonly_fields = ["folder", "number", "published_at", "published_by"]  # published versions never change


@admin.register(PrintBatch)
class PrintBatchAdmin(admin.ModelAdmin):
    list_display = ["area", "created_at", "status", "done", "total", "attempts"]
    list_filter = ["status"]


@admin.register(Delivery)
class DeliveryAdmin(AccessLoggedAdmin):
    """Each row names the newcomer the folder was made for."""

    list_display = ["newcomer", "version", "language", "status", "finished_at"]
    list_filter = ["status", "language"]
    list_select_related = ["newcomer__tenancy__estate", "version"]
    raw_id_fields = ["newcomer", "visit", "version", "batch_file", "made_by"]

    def access_subjects(self, objects):
        return [(delivery.newcomer.tenancy.estate.area_id, delivery.newcomer_id) for delivery in objects]
