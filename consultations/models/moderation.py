"""Reports on comments and the append-only log of moderation and secretariat actions."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from consultations.models.comments import Comment
from consultations.models.consultations import Consultation, Question


class ReportReason(models.TextChoices):
    ABUSIVE = "abusive", _("Abusive or hateful")
    PERSONAL_DATA = "personal_data", _("Shares someone's personal data")
    SPAM = "spam", _("Spam or advertising")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DISMISSED = "dismissed", _("Dismissed")
    UPHELD = "upheld", _("Upheld")


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ReportStatus.OPEN)

    def by(self, user):
        return self.filter(reporter=user) if user.is_authenticated else self.none()

    def resolve(self, status: ReportStatus, now=None) -> int:
        """Close the open ones among these reports as dismissed or upheld; returns how many."""
        return self.open().update(status=status, resolved_at=now or timezone.now())


class Report(models.Model):
    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.PROTECT, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    reason = models.CharField(_("reason"), max_length=16, choices=ReportReason.choices)
    details = models.TextField(_("details"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                name="report_once_per_comment_and_reporter",
                violation_error_message=_("You have already reported this comment."),
            ),
        ]

    def __str__(self):
        return _("Report on comment %(id)s") % {"id": self.comment_id}


class ModerationAction(models.TextChoices):
    APPROVE = "approve", _("Approved a comment")
    HIDE = "hide", _("Hid a comment")
    AUTO_HIDE = "auto_hide", _("Hid a comment automatically after reports")
    RESTORE = "restore", _("Restored a comment")
    WITHDRAW = "withdraw", _("Withdrew own comment")
    EDIT = "edit", _("Edited own comment")
    DISMISS_REPORTS = "dismiss_reports", _("Dismissed reports")
    LOCK = "lock", _("Locked a question")
    UNLOCK = "unlock", _("Unlocked a question")
    CREATE_CONSULTATION = "create_consultation", _("Created a consultation")
    EDIT_CONSULTATION = "edit_consultation", _("Edited a consultation")
    OPEN_NOW = "open_now", _("Opened a consultation")
    CLOSE_NOW = "close_now", _("Closed a consultation")
    RESCHEDULE = "reschedule", _("Changed a consultation's window")
    CREATE_QUESTION = "create_question", _("Created a question")
    EDIT_QUESTION = "edit_question", _("Edited a question")
    EXPORT = "export", _("Exported contributions")
    EDIT_COMMENT = "edit_comment", _("Changed a comment in the admin")
    # The synthesis workbench (synthesis/).
    CREATE_THEME = "create_theme", _("Created a theme")
    EDIT_THEME = "edit_theme", _("Changed a theme")
    ADD_TAG = "add_tag", _("Tagged a contribution with a theme")
    REMOVE_TAG = "remove_tag", _("Removed a theme from a contribution")
    MARK_QUOTE = "mark_quote", _("Marked a key quote")
    REMOVE_QUOTE = "remove_quote", _("Removed a key quote")
    SET_PAPER_USE = "set_paper_use", _("Marked a contribution as used in the paper")
    CLEAR_PAPER_USE = "clear_paper_use", _("Unmarked a contribution as used in the paper")
    EXPORT_SYNTHESIS = "export_synthesis", _("Exported the synthesis")


# The models a change in the log can name, by the key stored with it.
_CHANGED_MODELS = {"consultation": Consultation, "question": Question, "comment": Comment}


def register_changed_model(model: type[models.Model]) -> None:
    """Let the log name another app's fields in each reader's language (from its ready())."""
    _CHANGED_MODELS[model._meta.model_name] = model


def _loggable(value):
    """A field value as the log stores it: JSON data, the same in every language."""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(_loggable(item) for item in value)
    if isinstance(value, dict):
        return {str(key): _loggable(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def field_change(model: str, field: str, before, after) -> dict:
    """One fact for `ModerationEntry.changes`: which field of which model, before and after."""
    return {"model": model, "field": field, "before": _loggable(before), "after": _loggable(after)}


@dataclass(frozen=True)
class ChangeInWords:
    field: str
    before: str
    after: str


def _value_in_words(model_field, value) -> str:
    if isinstance(value, dict):
        # One value per language ({"en": ..., "fr": ...}): the reader's, or English.
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        value = value.get(language) or value.get(settings.LANGUAGE_CODE)
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    choices = dict(model_field.flatchoices) if model_field is not None else {}
    return str(choices.get(value, value))


class ModerationEntryQuerySet(models.QuerySet):
    def for_consultation(self, consultation):
        return self.filter(consultation=consultation)

    def update(self, **kwargs):
        raise TypeError("The moderation log is append-only.")

    def delete(self):
        raise TypeError("The moderation log is append-only.")


class ModerationEntry(models.Model):
    """One line of the append-only log of moderation and secretariat actions."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_entries",
        help_text=_("Empty for actions Roundtable took by itself."),
    )
    action = models.CharField(_("action"), max_length=32, choices=ModerationAction.choices)
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="moderation_entries",
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, null=True, blank=True
    )
    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.PROTECT, null=True, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    # Facts, not sentences: [{"model", "field", "before", "after"}], put into
    # words in each reader's language when the log is read.
    changes = models.JSONField(_("changes"), default=list, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = ModerationEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("add", "view")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The moderation log is append-only.")

    def changes_in_words(self) -> Iterable[ChangeInWords]:
        """What changed, with field names and values in the active language."""
        for change in self.changes:
            model = _CHANGED_MODELS.get(change.get("model"), Consultation)
            try:
                model_field = model._meta.get_field(change["field"])
            except FieldDoesNotExist:
                model_field = None
            yield ChangeInWords(
                field=str(model_field.verbose_name) if model_field else change["field"],
                before=_value_in_words(model_field, change.get("before")),
                after=_value_in_words(model_field, change.get("after")),
            )
