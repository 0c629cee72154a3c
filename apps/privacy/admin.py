from django.contrib import admin

from apps.privacy.models import RetentionRun


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    list_display = ["run_on", "started_at", "finished_at", "counts"]
    readonly_fields = ["run_on", "started_at", "finished_at", "counts"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
