"""Files on the site: a consultation's background documents and a comment's attachments.

Both are stored through Django's storage API under generated names
(`background/<uuid>.<ext>`, `comments/<uuid>.<ext>`), never under the name
they were uploaded with; that name is kept, cleaned, for display and for the
download's Content-Disposition. The content type stored is the one the
content check found, and is the one the file is served with.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Comment, Consultation
from documents.checks import KINDS_BY_CODE, FileKind


def _generated_name(folder: str, instance) -> str:
    return f"{folder}/{uuid.uuid4().hex}.{instance.kind.extension}"


def background_document_storage_name(instance, _uploaded_name) -> str:
    return _generated_name("background", instance)


def comment_attachment_storage_name(instance, _uploaded_name) -> str:
    return _generated_name("comments", instance)


class StoredFile(models.Model):
    """What every stored file keeps: its checked kind, its shown name and its size."""

    original_name = models.CharField(_("file name"), max_length=160)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    kind_code = models.CharField(_("type"), max_length=8, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)

    class Meta:
        abstract = True

    @property
    def kind(self) -> FileKind:
        return KINDS_BY_CODE[self.kind_code]

    @property
    def kind_label(self) -> str:
        return self.kind.label

    def take_checked(self, checked) -> None:
        """Copy what the content check found onto this row (before saving the file)."""
        self.original_name = checked.display_name
        self.kind_code = checked.kind.code
        self.content_type = checked.kind.content_type
        self.size = checked.size


class BackgroundDocument(StoredFile):
    """A paper the secretariat puts beside a consultation, titled in the three languages."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="background_documents",
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=background_document_storage_name, max_length=200)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Documents are listed from the lowest position.")
    )

    class Meta:
        verbose_name = _("background document")
        verbose_name_plural = _("background documents")
        ordering = ["consultation", "position", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:background_document", kwargs={"document_id": self.pk})


class CommentAttachmentQuerySet(models.QuerySet):
    def in_consultations(self, consultations):
        return self.filter(comment__question__consultation__in=consultations)


class CommentAttachment(StoredFile):
    """A file a stakeholder attached to their comment; it is shown wherever the text is."""

    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=comment_attachment_storage_name, max_length=200)

    objects = CommentAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["comment", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="comment_attachment_not_empty"),
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("documents:comment_attachment", kwargs={"attachment_id": self.pk})
