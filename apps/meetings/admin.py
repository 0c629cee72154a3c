from django.contrib import admin

from apps.meetings.models import ActionItem, AgendaSuggestion, Invitation, MeetingSeries, NetworkMeeting


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "nth", "weekday", "start_time", "place", "active"]
    list_filter = ["active", "area"]
    search_fields = ["title", "place"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    fields = ["ambassador", "answer", "answered_at", "attended"]
    readonly_fields = ["answered_at"]
    # Many ambassadors per area: pick by searching, never a select with all of them.
    autocomplete_fields = ["ambassador"]
    extra = 0


class AgendaSuggestionInline(admin.TabularInline):
    model = AgendaSuggestion
    fields = ["ambassador", "text", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["ambassador"]
    extra = 0


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    fields = ["text", "owner", "owner_name", "due_date", "done"]
    autocomplete_fields = ["owner"]
    extra = 0


@admin.register(NetworkMeeting)
class NetworkMeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "starts_at", "place", "status", "minutes_published_at"]
    list_filter = ["status", "area"]
    search_fields = ["title", "theme", "place"]
    date_hierarchy = "starts_at"
    list_select_related = ["area"]
    # The minutes are written on the meeting page, where minutes_save sanitises the HTML; editing the
    # Markdown here would leave the stored HTML stale. Cancelling goes through the page too (it tells people).
    readonly_fields = ["status", "cancelled_at", "minutes_markdown", "minutes_published_at", "series", "series_date"]
    exclude = ["minutes_html"]
    inlines = [InvitationInline, AgendaSuggestionInline, ActionItemInline]
