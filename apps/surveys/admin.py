from django.contrib import admin

from apps.surveys.models import Question, Survey


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "area", "depends_on", "depends_value"]
    list_filter = ["kind", "area"]
    search_fields = ["code"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    # Responses and invitations are not in the admin: answers are seen only as figures, and the link
    # between a newcomer and their answers is nobody's to browse.
    list_display = ["title", "area", "period_start", "period_end", "opens_on", "closes_on"]
    list_filter = ["area"]
    readonly_fields = ["qr_token"]
