from django.contrib import admin

from site_identity.models import TermsAcceptance


@admin.register(TermsAcceptance)
class TermsAcceptanceAdmin(admin.ModelAdmin):
    """Read-only: the record of who accepted which version of the terms, and when."""

    list_display = ["user", "notice", "version", "accepted_at"]
    list_filter = ["version"]
    search_fields = ["user__email", "user__display_name"]
    date_hierarchy = "accepted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
