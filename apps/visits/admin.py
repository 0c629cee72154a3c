from django.contrib import admin

from apps.audit.admin import AccessLoggedAdmin
from apps.audit.models import AccessLogEntry
from apps.audit.services import newcomer_subjects
from apps.visits.models import Activity, Ambassador, Attempt, LaterContact, Referral, Training, TrainingTopic, Visit


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "schedule", "place", "is_active"]
    list_filter = ["is_active", "area"]
    search_fields = ["name", "description"]


@admin.register(TrainingTopic)
class TrainingTopicAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "refresh_months", "required"]
    list_filter = ["area", "required"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "area", "held_on"]
    list_filter = ["area"]
    date_hierarchy = "held_on"


@admin.register(Ambassador)
class AmbassadorAdmin(AccessLoggedAdmin):
    list_display = ["__str__", "area", "status", "visits_per_month", "sits_on_board"]
    list_filter = ["status", "area", "recruited_via", "sits_on_board"]
    search_fields = ["user__full_name", "user__email", "user__phone"]
    list_select_related = ["user", "area"]
    # Thousands of tenancies and users: pick by searching, never a select with all of them.
    autocomplete_fields = ["user", "home_tenancy"]
    filter_horizontal = ["covered_estates", "covered_entrances", "trainings"]
    # A photo is uploaded only on the ambassador's profile page, which checks it and stores it afresh.
    readonly_fields = ["photo"]
    access_kind = AccessLogEntry.SubjectKind.PERSON

    def access_subjects(self, objects):
        return [(ambassador.area_id, ambassador.user_id) for ambassador in objects]


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ["recorded_at", "outcome", "ambassador", "recorded_by", "do_not_contact"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0


class ReferralInline(admin.TabularInline):
    model = Referral
    fields = ["activity", "status", "followed_up_at", "followed_up_by"]
    readonly_fields = ["followed_up_at", "followed_up_by"]
    extra = 0


class LaterContactInline(admin.TabularInline):
    model = LaterContact
    fields = ["contacted_on", "topic", "recorded_by", "recorded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0


@admin.register(Visit)
class VisitAdmin(AccessLoggedAdmin):
    list_display = ["__str__", "area", "ambassador", "status", "due_date", "close_reason"]
    list_filter = ["status", "close_reason", "area"]
    search_fields = ["newcomer__name", "newcomer__tenancy__number", "newcomer__tenancy__entrance__street"]
    list_select_related = ["newcomer", "area", "ambassador__user"]
    date_hierarchy = "due_date"
    autocomplete_fields = ["newcomer", "ambassador"]
    inlines = [AttemptInline, ReferralInline, LaterContactInline]

    def access_subjects(self, objects):
        return newcomer_subjects(objects)
