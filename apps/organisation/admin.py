from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from apps.organisation.models import Area, Entrance, Estate, HousingOrganisation, Tenancy
from apps.organisation.services import entrance_get_or_create, estate_create, tenancy_create


class CreateThroughServiceMixin:
    """New rows are made by the organisation's service, as everywhere else; changes are saved as usual."""

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = self.create(obj)
        # The admin goes on with `obj` (the log entry, the redirect): it becomes the row the service made.
        obj.pk, obj.created_at, obj.updated_at = created.pk, created.created_at, created.updated_at
        obj._state.adding = False


@admin.register(HousingOrganisation)
class HousingOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "estate_count", "closed_on", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # One query for the list, however many areas there are.
        return super().get_queryset(request).annotate(estate_count=Count("estates"))

    @admin.display(description=_("estates"), ordering="estate_count")
    def estate_count(self, obj: Area) -> int:
        return obj.estate_count


@admin.register(Estate)
class EstateAdmin(CreateThroughServiceMixin, admin.ModelAdmin):
    list_display = ["number", "name", "organisation", "area"]
    list_filter = ["area", "organisation"]
    search_fields = ["number", "name", "organisation__name"]
    list_select_related = ["organisation", "area"]

    def create(self, obj: Estate) -> Estate:
        return estate_create(organisation=obj.organisation, area=obj.area, number=obj.number, name=obj.name)


@admin.register(Entrance)
class EntranceAdmin(CreateThroughServiceMixin, admin.ModelAdmin):
    list_display = ["__str__", "postcode", "city", "estate"]
    list_filter = ["estate__area", "estate"]
    search_fields = ["street", "house_number", "postcode"]
    list_select_related = ["estate"]

    def create(self, obj: Entrance) -> Entrance:
        return entrance_get_or_create(
            estate=obj.estate, street=obj.street, house_number=obj.house_number, postcode=obj.postcode, city=obj.city
        )


@admin.register(Tenancy)
class TenancyAdmin(CreateThroughServiceMixin, admin.ModelAdmin):
    list_display = ["number", "address", "estate"]
    list_filter = ["estate__area", "estate"]
    search_fields = ["number", "entrance__street", "entrance__house_number"]
    list_select_related = ["entrance", "estate"]
    # An area has hundreds of entrances: a search box instead of a select with every one.
    autocomplete_fields = ["entrance"]

    def create(self, obj: Tenancy) -> Tenancy:
        return tenancy_create(entrance=obj.entrance, number=obj.number, floor=obj.floor, door=obj.door)

    @admin.display(description=_("address"), ordering="entrance__street")
    def address(self, obj: Tenancy) -> str:
        return obj.address
