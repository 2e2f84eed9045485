"""The workbench's records in the admin, to look at only.

Every change goes through the workbench's pages, whose services write the
audit log; the admin would change them without a trace.
"""

from django.contrib import admin

from synthesis.models import PaperUse, Quote, Theme, ThemeTag


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "consultation"]
    list_filter = ["consultation"]
    search_fields = ["title_en", "title_fr", "title_es"]


@admin.register(ThemeTag)
class ThemeTagAdmin(ReadOnlyAdmin):
    list_display = ["theme", "comment", "tagged_by", "tagged_at"]
    list_select_related = ["theme", "tagged_by"]
    list_filter = ["theme__consultation"]


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ["text", "comment", "marked_by", "marked_at"]
    list_select_related = ["marked_by"]


@admin.register(PaperUse)
class PaperUseAdmin(ReadOnlyAdmin):
    list_display = ["section", "comment", "marked_by", "marked_at"]
    list_select_related = ["marked_by"]
