from django.contrib import admin

from apps.dashboards.models import AnnualReport


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ["area", "year", "status", "requested_by", "created_at", "finished_at"]
    list_filter = ["status", "area"]
    readonly_fields = ["claimed_at", "finished_at", "pdf", "csv", "error"]
