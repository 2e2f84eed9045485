from django.contrib import admin

from notifications.models import Follow, Notification, NotificationPreference


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "consultation", "question", "created_at"]
    list_select_related = ["user", "consultation", "question__consultation"]
    raw_id_fields = ["user", "consultation", "question"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "reply",
        "moderator_follow_up",
        "followed_activity",
        "window",
        "moderation_alert",
        "follow_questions_i_answer",
    ]
    raw_id_fields = ["user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the record of what was decided and sent, for answering "did I get mail?"."""

    list_display = ["recipient", "event", "delivery", "created_at", "sent_at", "skipped_at"]
    list_filter = ["event", "delivery"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
