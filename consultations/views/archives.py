"""The sealed record: an archive's folder, downloaded as a ZIP."""

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from consultations import rules
from consultations.archive.download import zip_chunks
from consultations.models import Consultation, ConsultationArchive


@require_GET
def archive_download(request, slug, version):
    consultation = get_object_or_404(Consultation.objects.visible_to(request.user), slug=slug)
    rules.check(request.user, "download_archive", consultation)
    archive = get_object_or_404(ConsultationArchive.objects.of(consultation), version=version)
    response = StreamingHttpResponse(zip_chunks(archive), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive.download_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
