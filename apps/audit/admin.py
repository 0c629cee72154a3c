from collections.abc import Iterable

from django.contrib import admin

from apps.audit.http import access_record_for_request
from apps.audit.models import AccessLogEntry
from apps.audit.search import search_category


class AccessLoggedAdmin(admin.ModelAdmin):
    """An admin for a model with personal data: its list and its change page write an access-log entry,
    as the app's own pages do (who, which people, a search as its category only).

    A subclass says whose data its rows show: `access_kind` and `access_subjects`, which turns the rows
    on the page into (area id, person id) pairs (the list's own `list_select_related` should load what
    it needs, so logging adds no query per row).
    """

    access_kind: str = AccessLogEntry.SubjectKind.NEWCOMER

    def access_subjects(self, objects: Iterable) -> list[tuple[int | None, int]]:
        raise NotImplementedError

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            access_record_for_request(
                request,
                kind=self.access_kind,
                subjects=self.access_subjects(changelist.result_list),
                search=search_category(changelist.query),
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = (getattr(response, "context_data", None) or {}).get("original")
        if shown is not None:
            access_record_for_request(request, kind=self.access_kind, subjects=self.access_subjects([shown]))
        return response


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only for admins too: the log is searched, never edited."""

    list_display = ["at", "actor_label", "action", "view_name", "search", "subject_kind", "subject_count", "area"]
    list_filter = ["action", "subject_kind", "search", "area"]
    search_fields = ["actor_label", "view_name", "path"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
