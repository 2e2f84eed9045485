from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from consultations.models import (
    Comment,
    CommentTranslation,
    Consultation,
    ModerationAction,
    ModerationEntry,
    Question,
    Report,
    Revision,
    field_change,
)
from documents.admin import BackgroundDocumentInline

# What an admin save is logged as: (created, changed) action for each model.
_ADMIN_ACTIONS = {
    Consultation: (ModerationAction.CREATE_CONSULTATION, ModerationAction.EDIT_CONSULTATION),
    Question: (ModerationAction.CREATE_QUESTION, ModerationAction.EDIT_QUESTION),
    Comment: (ModerationAction.EDIT_COMMENT, ModerationAction.EDIT_COMMENT),
}


def _form_changes(form) -> list[dict]:
    """What a saved admin form changed, field by field, for the log."""
    model = form._meta.model._meta.model_name
    return [
        field_change(model, name, form.initial.get(name), form.cleaned_data.get(name))
        for name in form.changed_data
    ]


def log_admin_save(*, actor, instance, changes: list[dict], created: bool) -> None:
    """An admin save goes into the audit log like any change made through the site."""
    if not changes and not created:
        return
    on_create, on_change = _ADMIN_ACTIONS[type(instance)]
    consultation, question, comment = instance, None, None
    if isinstance(instance, Question):
        consultation, question = instance.consultation, instance
    elif isinstance(instance, Comment):
        consultation, question, comment = (
            instance.question.consultation,
            instance.question,
            instance,
        )
    ModerationEntry.objects.create(
        actor=actor,
        action=on_create if created else on_change,
        consultation=consultation,
        question=question,
        comment=comment,
        changes=changes,
    )


class AuditedAdminMixin:
    """Saves through this admin (its inlines included) write an audit log entry."""

    def save_model(self, request, obj, form, change):
        changes = _form_changes(form)
        super().save_model(request, obj, form, change)
        log_admin_save(actor=request.user, instance=obj, changes=changes, created=not change)

    def save_formset(self, request, form, formset, change):
        saved = [
            (inline_form, _form_changes(inline_form), inline_form.instance.pk is None)
            for inline_form in formset.forms
            if inline_form.has_changed() and inline_form not in formset.deleted_forms
        ]
        super().save_formset(request, form, formset, change)
        for inline_form, changes, created in saved:
            log_admin_save(
                actor=request.user, instance=inline_form.instance, changes=changes, created=created
            )


class QuestionInline(TranslationTabularInline):
    model = Question
    extra = 0
    fields = ["number", "title", "body", "is_locked"]


@admin.register(Consultation)
class ConsultationAdmin(AuditedAdminMixin, TabbedTranslationAdmin):
    list_display = ["title", "slug", "is_published", "opens_at", "closes_at", "moderation_mode"]
    list_filter = ["is_published", "moderation_mode"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["moderators"]
    inlines = [QuestionInline, BackgroundDocumentInline]


@admin.register(Question)
class QuestionAdmin(AuditedAdminMixin, TabbedTranslationAdmin):
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


class TranslationInline(RevisionInline):
    """A comment's translations, made and logged on the site's translate page: shown, never
    changed here."""

    model = CommentTranslation
    fields = ["language", "translator", "updated_at", "source_edited_at", "body_source"]
    readonly_fields = fields


@admin.register(Comment)
class CommentAdmin(AuditedAdminMixin, admin.ModelAdmin):
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
    inlines = [RevisionInline, TranslationInline]

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
