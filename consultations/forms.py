import uuid

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from accounts.forms import TimeZoneField
from accounts.time_zones import default_time_zone
from consultations.models import (
    TRANSLATION_LANGUAGES,
    CommentLanguage,
    Consultation,
    Question,
    ReportReason,
)
from documents.forms import AttachmentsFormMixin
from forum.forms import TranslatedFieldsMixin, by_language


class CommentForm(forms.Form):
    """An answer, a reply or an edit: the Markdown text and the language it is written in."""

    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=settings.ROUNDTABLE_COMMENT_MAX_LENGTH,
        strip=True,
        help_text=_(
            "Plain text with a little Markdown: *emphasis*, **strong**, lists, "
            "[links](https://example.org) and > quotes."
        ),
        error_messages={
            "required": _("Write something before you post."),
            "max_length": _(
                "Please keep your comment under %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of your comment"),
        choices=CommentLanguage.choices,
        error_messages={
            "invalid_choice": _(
                "Choose the language your comment is written in: English, French, "
                "Spanish or another language."
            ),
        },
    )

    # A fresh token in every form shown: the form sent twice stores one comment.
    submission_token = forms.Field(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())
            interface_language = (get_language() or "en").split("-")[0]
            if interface_language in CommentLanguage.values:
                self.initial.setdefault("language", interface_language)

    def clean_submission_token(self) -> uuid.UUID | None:
        # A missing or mangled token only loses the double-submit guard; the
        # person cannot see or fix a hidden field, so it is never an error.
        try:
            return uuid.UUID(str(self.cleaned_data["submission_token"]))
        except ValueError:
            return None


class CommentWithAttachmentsForm(AttachmentsFormMixin, CommentForm):
    """An answer or a reply: the text, its language and the files attached to it."""


# --- Moderation forms -------------------------------------------------------


class ReportForm(forms.Form):
    """Why a reader reports a comment to the moderators."""

    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason closest to your concern.")},
    )
    details = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        required=False,
        max_length=2000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("Please keep this under %(limit_value)d characters."),
        },
    )


class HideForm(forms.Form):
    """A moderator's reason for hiding a comment, shown to everyone in its place."""

    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=500,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown to everyone in place of the comment, for example "
            "“Shares a person's phone number”."
        ),
        error_messages={
            "required": _("Give a reason for hiding this comment: it is shown in its place."),
            "max_length": _("Please keep the reason under %(limit_value)d characters."),
        },
    )


class ClarificationRequestForm(forms.Form):
    """A moderator's question to the author of a comment, posted as a reply under it."""

    message = forms.CharField(
        label=_("What would you like the author to clarify?"),
        max_length=2000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Shown publicly as your reply under the comment, for example "
            "“Could you give a concrete example from your city?”. The author is told by email."
        ),
        error_messages={
            "required": _("Write your question to the author: it is posted under the comment."),
            "max_length": _("Please keep the message under %(limit_value)d characters."),
        },
    )


class DecisionReasonForm(forms.Form):
    """A moderator's optional reason for approving or restoring, kept in the log."""

    reason = forms.CharField(
        label=_("Reason (optional, kept in the log)"),
        required=False,
        max_length=500,
        strip=True,
        error_messages={
            "max_length": _("Please keep the reason under %(limit_value)d characters."),
        },
    )


# --- Secretariat forms ------------------------------------------------------


# The console's forms: consultations and questions in the three languages,
# the window, and the audit log's filter. They validate only; the services in
# consultations/services/consultations.py write.


# Taken by the console's own pages (site_identity's among them).
RESERVED_SLUGS = frozenset({"new", "log", "identity", "notices"})
TRANSLATED_CONSULTATION_FIELDS = (
    "title",
    "summary",
    "introduction",
    "objectives",
    "guiding_points",
    "organisers",
)
TRANSLATED_QUESTION_FIELDS = ("title", "body")


def _textareas(name, rows):
    return {
        f"{name}_{code}": forms.Textarea(attrs={"rows": rows}) for code, _l in settings.LANGUAGES
    }


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _say_time_zone(form, *names):
    for name in names:
        form.fields[name].help_text = gettext("Date and time in %(timezone)s.") % {
            "timezone": timezone.get_current_timezone_name()
        }


def _check_window_order(form):
    opens_at, closes_at = form.cleaned_data.get("opens_at"), form.cleaned_data.get("closes_at")
    if opens_at and closes_at and opens_at >= closes_at:
        form.add_error(
            "closes_at", gettext("The closing date must be later than the opening date.")
        )


class ConsultationForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = TRANSLATED_CONSULTATION_FIELDS
    time_zone = TimeZoneField(
        label=_("Time zone"),
        required=False,  # left out: the site's zone
        help_text=_(
            "Visitors read this consultation's dates and times in this zone; "
            "people who are logged in may choose their own."
        ),
    )

    class Meta:
        model = Consultation
        fields = [
            *by_language(TRANSLATED_CONSULTATION_FIELDS),
            "slug",
            "contact_email",
            "is_published",
            "opens_at",
            "closes_at",
            "time_zone",
            "moderation_mode",
        ]
        widgets = {
            "opens_at": _datetime_widget(),
            "closes_at": _datetime_widget(),
            **_textareas("summary", 2),
            **_textareas("objectives", 4),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._label_translated_fields()
        _say_time_zone(self, "opens_at", "closes_at")
        self.fields["slug"].help_text = _(
            "Part of the web address, for example “decent-work” in "
            "/en/consultations/decent-work/. Lower-case letters, digits and hyphens."
        )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This address name is reserved; choose another one."))
        return slug

    def _keep_seconds(self, name):
        """A stored date shown to the minute and sent back unchanged keeps its seconds."""
        value = self.cleaned_data[name]
        stored = getattr(self.instance, name) if self.instance.pk else None
        if value and stored and value == stored.replace(second=0, microsecond=0):
            return stored
        return value

    def clean_time_zone(self):
        return self.cleaned_data["time_zone"] or default_time_zone()

    def clean_opens_at(self):
        return self._keep_seconds("opens_at")

    def clean_closes_at(self):
        return self._keep_seconds("closes_at")

    def clean(self):
        cleaned = super().clean()
        _check_window_order(self)
        return cleaned


class QuestionForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = TRANSLATED_QUESTION_FIELDS

    class Meta:
        model = Question
        fields = ["number", *by_language(TRANSLATED_QUESTION_FIELDS), "is_locked"]
        widgets = _textareas("body", 5)

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self._label_translated_fields()

    def clean_number(self):
        number = self.cleaned_data["number"]
        taken = self.consultation.questions.filter(number=number).exclude(pk=self.instance.pk)
        if number is not None and taken.exists():
            raise ValidationError(_("This consultation already has a question with this number."))
        renumbered = self.instance.pk is not None and number != self.instance.number
        if renumbered and self.instance.comments.filter(reference_number__isnull=False).exists():
            # The number is part of every reference to its contributions ("Q3-17").
            raise ValidationError(
                _(
                    "Contributions to this question are cited by its number, so the number "
                    "can no longer change."
                )
            )
        return number


class ExtendForm(forms.Form):
    closes_at = forms.DateTimeField(label=_("New closing date"), widget=_datetime_widget())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_extend_%s")  # shares a page with RescheduleForm
        super().__init__(*args, **kwargs)
        _say_time_zone(self, "closes_at")


class RescheduleForm(forms.Form):
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=_datetime_widget())
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=_datetime_widget())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_reschedule_%s")
        super().__init__(*args, **kwargs)
        _say_time_zone(self, "opens_at", "closes_at")

    def clean(self):
        cleaned = super().clean()
        _check_window_order(self)
        return cleaned


class ModeratorSearchForm(forms.Form):
    """Find an account to name as moderator by its name or organisation (never by listing all)."""

    q = forms.CharField(
        label=_("Name or organisation"),
        required=False,
        max_length=100,
        strip=True,
        help_text=_("At least two letters of the person's name or organisation."),
    )

    def clean_q(self):
        text = self.cleaned_data["q"]
        if text and len(text) < 2:
            raise ValidationError(_("Type at least two letters to search."))
        return text


class ModeratorChangeForm(forms.Form):
    person = forms.ModelChoiceField(queryset=get_user_model().objects.filter(is_active=True))
    change = forms.ChoiceField(choices=[("add", "add"), ("remove", "remove")])


class AuditLogFilterForm(forms.Form):
    consultation = forms.ModelChoiceField(
        label=_("Consultation"),
        queryset=Consultation.objects.order_by("-opens_at"),
        to_field_name="slug",
        required=False,
        empty_label=_("All consultations"),
    )


class CommentTranslationForm(forms.Form):
    """A translation of a contribution: the language it is translated into and its text."""

    language = forms.ChoiceField(
        label=_("Translate into"),
        error_messages={"required": _("Choose the language of the translation.")},
    )
    body = forms.CharField(
        label=_("Translation"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=settings.ROUNDTABLE_COMMENT_MAX_LENGTH,
        strip=True,
        help_text=_(
            "The same Markdown as comments. It replaces an earlier translation into this "
            "language, and is shown with your name and today's date."
        ),
        error_messages={
            "required": _("Write the translation: the text is empty."),
            "max_length": _(
                "Please keep the translation under %(limit_value)d characters (it has "
                "%(show_value)d)."
            ),
        },
    )

    def __init__(self, *args, comment_language: str, **kwargs):
        super().__init__(*args, **kwargs)
        every_language = [(language.value, language.label) for language in TRANSLATION_LANGUAGES]
        # Every interface language is accepted, so a translation into the
        # comment's own language is refused by the service with a sentence
        # that says why; only the others are offered.
        self.fields["language"].choices = every_language
        self.fields["language"].widget.choices = [
            choice for choice in every_language if choice[0] != comment_language
        ]
