from django.contrib import admin

from apps.audit.admin import AccessLoggedAdmin
from apps.audit.services import newcomer_subjects
from apps.newcomers.models import ColumnMapping, ImportProblem, ImportRun, Newcomer


@admin.register(Newcomer)
class NewcomerAdmin(AccessLoggedAdmin):
    list_display = ["__str__", "tenancy", "move_in_date", "listed_on", "language", "do_not_contact"]
    list_filter = ["do_not_contact", "language", "tenancy__estate__area", "tenancy__estate"]
    search_fields = ["name", "phone", "email", "tenancy__number", "tenancy__entrance__street"]
    date_hierarchy = "move_in_date"
    # The estate gives each row's area to the access log.
    list_select_related = ["tenancy__entrance", "tenancy__estate"]
    # Thousands of tenancies: pick one by searching, never a select with all of them.
    autocomplete_fields = ["tenancy"]

    def access_subjects(self, objects):
        return newcomer_subjects(objects)


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ["organisation", "updated_at"]
    search_fields = ["organisation__name"]


class ImportProblemInline(admin.TabularInline):
    model = ImportProblem
    fields = ["line", "level", "column", "message"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    max_num = 0


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """The import history, read-only: it records what happened. The uploaded file itself is never shown."""

    list_display = [
        "filename",
        "organisation",
        "area",
        "uploaded_by",
        "status",
        "total_rows",
        "created",
        "updated",
        "error_count",
        "created_at",
    ]
    list_filter = ["status", "organisation", "area"]
    search_fields = ["filename", "file_sha256"]
    date_hierarchy = "created_at"
    list_select_related = ["organisation", "area", "uploaded_by"]
    exclude = ["source"]
    inlines = [ImportProblemInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "source"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportProblem)
class ImportProblemAdmin(admin.ModelAdmin):
    list_display = ["run", "line", "level", "column", "message"]
    list_filter = ["level"]
    list_select_related = ["run"]
    raw_id_fields = ["run"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
