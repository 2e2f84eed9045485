"""Background work of the consultations domain: writing the sealed record at the close."""

from django.db import transaction
from django_tasks import task

from consultations.models import Consultation
from consultations.services.archives import (
    consultation_archive_write,
    consultations_awaiting_archive,
)


@task()
def write_consultation_archive(consultation_id: int) -> int | None:
    """Write the archive of a closed consultation; returns the version that seals its close."""
    archive = consultation_archive_write(consultation_id=consultation_id)
    return archive.version if archive else None


def enqueue_archive(consultation: Consultation) -> None:
    """For services: once the transaction commits, have the worker write the archive."""
    consultation_id = consultation.pk
    transaction.on_commit(lambda: write_consultation_archive.enqueue(consultation_id))


def enqueue_due_archives(now=None) -> int:
    """Enqueue the archive of every closed consultation whose close has none; returns how many.

    Run by `send_scheduled_notifications` (closes by the clock) and `load_demo`.
    A consultation still waiting for the worker is enqueued again: the task
    writes it once.
    """
    due = list(consultations_awaiting_archive(now))
    for consultation in due:
        enqueue_archive(consultation)
    return len(due)
