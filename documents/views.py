"""Downloads: every stored file is served here after asking who may read it, never from MEDIA."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from consultations import rules
from consultations.models import Consultation
from documents.models import BackgroundDocument, CommentAttachment, StoredFile


def _download(stored: StoredFile) -> FileResponse:
    """The file as an attachment, with the content type its check found, never sniffed."""
    try:
        content = stored.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        content,
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Who may read a file can change (a comment is hidden): no shared cache keeps one.
    patch_cache_control(response, private=True)
    return response


@require_safe
def background_document_download(request, document_id):
    document = get_object_or_404(
        BackgroundDocument.objects.filter(
            consultation__in=Consultation.objects.visible_to(request.user)
        ),
        pk=document_id,
    )
    return _download(document)


@require_safe
def comment_attachment_download(request, attachment_id):
    attachment = get_object_or_404(
        CommentAttachment.objects.in_consultations(
            Consultation.objects.visible_to(request.user)
        ).select_related("comment__question__consultation"),
        pk=attachment_id,
    )
    rules.check(request.user, "download", attachment.comment)
    return _download(attachment)
