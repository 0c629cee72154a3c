from django.contrib import admin

from apps.surveys.models import Question, Survey, SurveyRound


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "area", "depends_on", "depends_value"]
    list_filter = ["kind", "area"]
    search_fields = ["code"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    # Responses and invitations are not in the admin: answers are seen only as figures, and the link
    # between a newcomer and their answers is nobody's to browse.
    list_display = ["title", "area", "round", "period_start", "period_end", "opens_on", "closes_on"]
    list_filter = ["area", "round"]
    readonly_fields = ["qr_token"]


class RoundSurveyInline(admin.TabularInline):
    """The areas' surveys of a round, to see; they are made by the round's services and the import, and each
    is changed on its own page."""

    model = Survey
    fields = ["area", "title", "opens_on", "closes_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SurveyRound)
class SurveyRoundAdmin(admin.ModelAdmin):
    """To see the rounds: they are made through `survey_round_create` (the import command), which checks
    that every area is the organisation's and gives each its survey; a period changed here would not
    reach the areas' surveys."""

    list_display = ["title", "organisation", "period_start", "period_end", "created_at"]
    list_filter = ["organisation"]
    list_select_related = ["organisation"]
    inlines = [RoundSurveyInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
