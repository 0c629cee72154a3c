from django.contrib import admin

from apps.newcomers.models import Newcomer


@admin.register(Newcomer)
class NewcomerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "tenancy", "move_in_date", "language", "do_not_contact"]
    list_filter = ["do_not_contact", "language", "tenancy__estate__area", "tenancy__estate"]
    search_fields = ["name", "phone", "email", "tenancy__number", "tenancy__entrance__street"]
    date_hierarchy = "move_in_date"
    list_select_related = ["tenancy__entrance"]
    # Thousands of tenancies: pick one by searching, never a select with all of them.
    autocomplete_fields = ["tenancy"]
