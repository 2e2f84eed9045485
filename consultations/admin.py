from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from consultations.models import (
    Comment,
    Consultation,
    ModerationEntry,
    Question,
    Report,
    Revision,
)
from documents.admin import BackgroundDocumentInline


class QuestionInline(TranslationTabularInline):
    model = Question
    extra = 0
    fields = ["number", "title", "body", "is_locked"]


@admin.register(Consultation)
class ConsultationAdmin(TabbedTranslationAdmin):
    list_display = ["title", "slug", "is_published", "opens_at", "closes_at", "moderation_mode"]
    list_filter = ["is_published", "moderation_mode"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["moderators"]
    inlines = [QuestionInline, BackgroundDocumentInline]


@admin.register(Question)
class QuestionAdmin(TabbedTranslationAdmin):
    list_display = ["__str__", "consultation", "is_locked"]
    list_filter = ["consultation", "is_locked"]


class RevisionInline(admin.TabularInline):
    """A comment's earlier versions, oldest first: shown, never changed."""

    model = Revision
    extra = 0
    fields = ["written_at", "replaced_at", "language", "body_source"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Read-mostly: people's words are changed only through the site's moderation actions."""

    list_display = ["pk", "author", "question", "language", "status", "created_at"]
    list_filter = ["status", "language", "question__consultation"]
    search_fields = ["body_source", "author__display_name", "author__email"]
    list_select_related = ["author", "question__consultation"]
    readonly_fields = [
        "question",
        "parent",
        "author",
        "body_source",
        "language",
        "status",
        "moderation_reason",
        "created_at",
        "edited_at",
    ]
    exclude = ["body_html"]
    inlines = [RevisionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "reporter", "reason", "status", "created_at"]
    list_filter = ["status", "reason"]
    readonly_fields = ["comment", "reporter", "reason", "details", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModerationEntry)
class ModerationEntryAdmin(admin.ModelAdmin):
    """The audit log: readable, never writable, from the admin."""

    list_display = ["created_at", "actor", "action", "consultation", "comment", "reason"]
    list_filter = ["action", "consultation"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.site_header = _("Roundtable administration")
admin.site.site_title = _("Roundtable")
