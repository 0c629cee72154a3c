from django.contrib import admin

from apps.core.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """The outbox, to look into: messages are only queued and sent by services and tasks.

    Deleting stays allowed: without it the admin could not delete a user or newcomer who has messages.
    """

    list_display = ["created_at", "channel", "address", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["address", "subject", "idempotency_key"]
    date_hierarchy = "created_at"
    raw_id_fields = ["to_user", "to_newcomer"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Without change permission the admin shows every field read-only.
        return False
