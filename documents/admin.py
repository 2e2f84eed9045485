from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from documents.forms import BackgroundDocumentForm
from documents.models import BackgroundDocument, CommentAttachment


class BackgroundDocumentInline(TranslationTabularInline):
    """On the consultation's admin page: its background documents, titled in three languages."""

    model = BackgroundDocument
    form = BackgroundDocumentForm
    extra = 0
    fields = ["title", "file", "position", "kind_code", "size_in_words"]
    readonly_fields = ["kind_code", "size_in_words"]

    @admin.display(description=_("size"))
    def size_in_words(self, document):
        return filesizeformat(document.size) if document.size else ""


@admin.register(CommentAttachment)
class CommentAttachmentAdmin(admin.ModelAdmin):
    """Read-only: a stakeholder's file changes only with their comment."""

    list_display = ["original_name", "kind_code", "size", "comment", "created_at"]
    list_filter = ["kind_code", "comment__question__consultation"]
    search_fields = ["original_name"]
    list_select_related = ["comment__author"]
    readonly_fields = ["comment", "original_name", "kind_code", "content_type", "size"]
    exclude = ["file"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
