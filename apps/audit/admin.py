from django.contrib import admin

from apps.audit.models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only for admins too: the log is searched, never edited."""

    list_display = ["at", "actor_label", "action", "view_name", "subject_kind", "subject_count", "area"]
    list_filter = ["action", "subject_kind", "area"]
    search_fields = ["actor_label", "view_name", "path"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
