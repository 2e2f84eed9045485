"""Writing a closed consultation's sealed record, once per close, and recording it.

Called by the task worker (`consultations.tasks`): after "Close now", and
for consultations that closed by the clock (`send_scheduled_notifications`
asks which are due). Safe to run twice: a close that has its archive gets
no second one.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from consultations.archive import writer
from consultations.models import (
    Consultation,
    ConsultationArchive,
    ConsultationState,
    ModerationAction,
    ModerationEntry,
    field_change,
)


def consultations_awaiting_archive(now: datetime | None = None):
    """Closed consultations whose current close has no archive yet."""
    now = now or timezone.now()
    sealed = ConsultationArchive.objects.filter(
        consultation=OuterRef("pk"), created_at__gte=OuterRef("closes_at")
    )
    return Consultation.objects.closed(now).exclude(Exists(sealed))


@transaction.atomic
def consultation_archive_write(
    *, consultation_id: int, now: datetime | None = None
) -> ConsultationArchive | None:
    """Write the next version of a closed consultation's archive, unless its close has one.

    Returns the archive that seals the current close (the one found or the
    one written), or None when the consultation is gone or is not closed
    (extended meanwhile). The consultation's row stays locked while the files
    are written, so two workers given the same task write one version.
    """
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().filter(pk=consultation_id).first()
    if consultation is None or consultation.state_at(now) != ConsultationState.CLOSED:
        return None
    existing = ConsultationArchive.objects.sealing_current_close(consultation).first()
    if existing is not None:
        return existing
    version = writer.next_version(consultation)
    written = writer.write_archive(consultation, version=version, now=now)
    archive = ConsultationArchive.objects.create(
        consultation=consultation,
        version=version,
        folder=written.folder,
        digest=written.digest,
        closes_at=consultation.closes_at,
        file_count=written.file_count,
        total_bytes=written.total_bytes,
        created_at=now,
    )
    ModerationEntry.objects.create(
        actor=None,
        action=ModerationAction.ARCHIVE,
        consultation=consultation,
        changes=[
            field_change("archive", "version", None, version),
            field_change("archive", "digest", None, written.digest),
        ],
    )
    return archive
