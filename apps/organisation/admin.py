from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from apps.organisation.models import Area, Entrance, Estate, HousingOrganisation, Tenancy


@admin.register(HousingOrganisation)
class HousingOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "estate_count", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # One query for the list, however many areas there are.
        return super().get_queryset(request).annotate(estate_count=Count("estates"))

    @admin.display(description=_("estates"), ordering="estate_count")
    def estate_count(self, obj: Area) -> int:
        return obj.estate_count


@admin.register(Estate)
class EstateAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "organisation", "area"]
    list_filter = ["area", "organisation"]
    search_fields = ["number", "name", "organisation__name"]
    list_select_related = ["organisation", "area"]


@admin.register(Entrance)
class EntranceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "postcode", "city", "estate"]
    list_filter = ["estate__area", "estate"]
    search_fields = ["street", "house_number", "postcode"]
    list_select_related = ["estate"]


@admin.register(Tenancy)
class TenancyAdmin(admin.ModelAdmin):
    list_display = ["number", "address", "estate"]
    list_filter = ["estate__area", "estate"]
    search_fields = ["number", "entrance__street", "entrance__house_number"]
    list_select_related = ["entrance", "estate"]
    # An area has hundreds of entrances: a search box instead of a select with every one.
    autocomplete_fields = ["entrance"]

    @admin.display(description=_("address"), ordering="entrance__street")
    def address(self, obj: Tenancy) -> str:
        return obj.address
