"""Two workers given the same archive task at once, on PostgreSQL with real connections."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from consultations.archive.verification import verify
from consultations.models import ConsultationArchive, ModerationAction, ModerationEntry
from consultations.services.archives import consultation_archive_write
from tests.consultations.archiving import closed_consultation_with_every_status
from tests.consultations.test_races import in_threads

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks, it locks the whole file",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_workers_writing_the_same_archive_at_once_write_one_version():
    consultation = closed_consultation_with_every_status().consultation

    def write():
        return consultation_archive_write(consultation_id=consultation.pk)

    first, second = in_threads(write, write)

    assert isinstance(first, ConsultationArchive) and isinstance(second, ConsultationArchive)
    assert first.pk == second.pk
    assert list(ConsultationArchive.objects.values_list("version", flat=True)) == [1]
    assert ModerationEntry.objects.filter(action=ModerationAction.ARCHIVE).count() == 1
    assert default_storage.listdir(f"archives/{consultation.slug}")[0] == ["v1"]
    assert verify(first) == []
