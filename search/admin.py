from django.contrib import admin

from search.models import OrganisationMerge


@admin.register(OrganisationMerge)
class OrganisationMergeAdmin(admin.ModelAdmin):
    """The record of merges, to read: merges are made on the secretariat's merge page."""

    list_display = ["from_name", "into_name", "merged_by", "merged_at"]
    search_fields = ["from_name", "into_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
