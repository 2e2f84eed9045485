"""Choosing files: several at once on the comment form, one per background document."""

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from documents.checks import ACCEPT_ATTRIBUTE, ACCEPTED_KINDS, check_upload
from documents.models import BackgroundDocument
from documents.services import too_many_files_error


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to COMMENT_ATTACHMENTS_MAX_FILES files, each checked by its content.

    Cleans to a list of uploaded files; every refused file gets its own
    message naming it.
    """

    widget = MultipleFileInput
    accept = ACCEPT_ATTRIBUTE

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if len(files) > settings.COMMENT_ATTACHMENTS_MAX_FILES:
            raise too_many_files_error(len(files))
        errors = []
        for file in files:
            try:
                check_upload(file, max_bytes=settings.COMMENT_ATTACHMENT_MAX_BYTES)
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return files


def attachments_help_text() -> str:
    limit = settings.COMMENT_ATTACHMENTS_MAX_FILES
    return ngettext(
        "Optional: up to %(limit)d file (%(kinds)s), at most %(size)s.",
        "Optional: up to %(limit)d files (%(kinds)s), at most %(size)s each.",
        limit,
    ) % {
        "limit": limit,
        "kinds": ", ".join(kind.label for kind in ACCEPTED_KINDS),
        "size": filesizeformat(settings.COMMENT_ATTACHMENT_MAX_BYTES),
    }


class AttachmentsFormMixin(forms.Form):
    """Adds the attachments field to a comment form (an answer or a reply, not an edit)."""

    accepts_attachments = True

    attachments = AttachmentsField(label=_("Attach files"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help_text()

    @property
    def files_to_choose_again(self) -> bool:
        """Files were sent, but the form is shown again: a browser never keeps them."""
        return self.is_bound and bool(self.files.getlist(self.add_prefix("attachments")))


class _DownloadLink:
    """What a file widget shows for the stored file: its name, linked to the download view."""

    def __init__(self, url: str, name: str):
        self.url = url
        self.name = name

    def __str__(self):
        return self.name


class StoredFileWidget(AdminFileWidget):
    """The admin's file input, with "Currently:" linking to the download view, as MEDIA_URL
    is never served."""

    def __init__(self, *, stored, **kwargs):
        super().__init__(**kwargs)
        self.stored = stored

    def format_value(self, value):
        if self.is_initial(value):
            return _DownloadLink(self.stored.get_absolute_url(), self.stored.original_name)
        return super().format_value(value)


class BackgroundDocumentForm(forms.ModelForm):
    """The admin's form for one background document: a new file is checked by its content."""

    class Meta:
        model = BackgroundDocument
        fields = ["title", "file", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["file"].widget = StoredFileWidget(stored=self.instance)

    def clean_file(self):
        file = self.cleaned_data["file"]
        if isinstance(file, UploadedFile):
            checked = check_upload(file, max_bytes=settings.BACKGROUND_DOCUMENT_MAX_BYTES)
            self.instance.take_checked(checked)
        return file
