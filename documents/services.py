"""Writing files: each is checked by its content, stored under a generated name, then recorded."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from documents.checks import check_upload
from documents.models import CommentAttachment


def too_many_files_error(count: int) -> ValidationError:
    limit = settings.COMMENT_ATTACHMENTS_MAX_FILES
    return ValidationError(
        ngettext(
            "A comment can have at most %(limit)d file attached; you chose %(count)d.",
            "A comment can have at most %(limit)d files attached; you chose %(count)d.",
            limit,
        )
        % {"limit": limit, "count": count},
        code="too_many_files",
    )


def comment_attachments_add(*, comment, files) -> list[CommentAttachment]:
    """Check and store `files` on `comment`; part of the transaction that posts the comment.

    The form has checked them already; they are checked again here so no
    other path can store an unchecked file.
    """
    if len(files) > settings.COMMENT_ATTACHMENTS_MAX_FILES:
        raise too_many_files_error(len(files))
    checked_files = [
        check_upload(file, max_bytes=settings.COMMENT_ATTACHMENT_MAX_BYTES) for file in files
    ]
    attachments = []
    for checked in checked_files:
        attachment = CommentAttachment(comment=comment)
        attachment.take_checked(checked)
        checked.file.seek(0)
        # upload_to generates the stored name; the uploaded one is only displayed.
        attachment.file.save(checked.display_name, checked.file, save=True)
        attachments.append(attachment)
    return attachments
