"""When the sealed record is written: at "Close now", at a close by the clock, again at a later
close (a new version), and for the demo, through the task worker."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from consultations.archive import writer
from consultations.archive.verification import verify
from consultations.demo import CLOSED_CONSULTATION, OPEN_CONSULTATION, UPCOMING_CONSULTATION
from consultations.models import ConsultationArchive, ModerationAction, ModerationEntry
from consultations.services import consultations as services
from tests.consultations.archiving import PUBLISHED_TEXT, archive_file
from tests.factories import make_comment, make_consultation, make_question

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def clock():
    """`clock.move_to(moment)`: the time, frozen, where the test puts it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def committed(db, django_capture_on_commit_callbacks):
    """Run what services send after the commit (the immediate task backend runs the tasks)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _open_consultation(closes_in=timedelta(days=10)):
    consultation = make_consultation(opens_at=NOW - timedelta(days=20), closes_at=NOW + closes_in)
    make_comment(make_question(consultation, number=1), body=PUBLISHED_TEXT)
    return consultation


def _archives(consultation):
    return list(ConsultationArchive.objects.of(consultation).order_by("version"))


def _files(archive):
    return {
        path: archive_file(archive, path)
        for path in writer.stored_files(default_storage, archive.folder)
    }


def _scheduling_loop():
    call_command("send_scheduled_notifications", stdout=StringIO())


# --- Close now ----------------------------------------------------------------------------


def test_close_now_writes_the_archive_once_the_close_is_committed(
    clock, secretariat, django_capture_on_commit_callbacks
):
    consultation = _open_consultation()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.consultation_close_now(actor=secretariat, consultation=consultation)
        assert _archives(consultation) == []  # nothing written inside the transaction
    for callback in callbacks:
        callback()

    [archive] = _archives(consultation)
    assert archive.version == 1
    assert archive.closes_at == NOW
    assert verify(archive) == []


def test_a_refused_close_queues_no_archive(clock, stakeholder, committed):
    consultation = _open_consultation()

    with committed(), pytest.raises(services.rules.Refused):
        services.consultation_close_now(actor=stakeholder, consultation=consultation)

    assert _archives(consultation) == []


# --- Close by the clock -------------------------------------------------------------------


def test_a_close_by_the_clock_is_archived_by_the_scheduling_loop(clock, committed):
    consultation = _open_consultation(closes_in=timedelta(hours=1))

    with committed():
        _scheduling_loop()
    assert _archives(consultation) == []  # still open

    clock.move_to(NOW + timedelta(hours=1, minutes=5))
    with committed():
        _scheduling_loop()

    [archive] = _archives(consultation)
    assert verify(archive) == []
    assert archive.created_at == NOW + timedelta(hours=1, minutes=5)


def test_the_scheduling_loop_run_again_writes_no_second_version(clock, committed):
    consultation = _open_consultation(closes_in=timedelta(hours=1))
    clock.move_to(NOW + timedelta(hours=2))

    for _run in range(3):
        with committed():
            _scheduling_loop()

    assert [archive.version for archive in _archives(consultation)] == [1]
    assert ModerationEntry.objects.filter(action=ModerationAction.ARCHIVE).count() == 1


def test_the_scheduling_loop_says_how_many_archives_it_queued(clock, committed):
    _open_consultation(closes_in=timedelta(hours=1))
    clock.move_to(NOW + timedelta(hours=2))
    output = StringIO()

    with committed():
        call_command("send_scheduled_notifications", stdout=output)

    assert "1 archives queued" in output.getvalue()


# --- A later close: a new version, the earlier one untouched ------------------------------


def test_extending_and_closing_again_writes_version_2_and_leaves_version_1_untouched(
    clock, secretariat, committed
):
    consultation = _open_consultation()
    with committed():
        services.consultation_close_now(actor=secretariat, consultation=consultation)
    [first] = _archives(consultation)
    first_files = _files(first)

    clock.move_to(NOW + timedelta(days=1))
    services.consultation_extend(
        actor=secretariat, consultation=consultation, closes_at=NOW + timedelta(days=8)
    )
    make_comment(consultation.questions.get(), body="Added after the extension.")
    clock.move_to(NOW + timedelta(days=2))
    with committed():
        services.consultation_close_now(actor=secretariat, consultation=consultation)

    first_again, second = _archives(consultation)
    assert (first_again.version, second.version) == (1, 2)
    assert second.folder.endswith("/v2")
    assert _files(first) == first_files
    assert first_again.digest == first.digest
    assert verify(first) == [] and verify(second) == []
    assert b"Added after the extension." in archive_file(second, "data/contributions.json")
    assert b"Added after the extension." not in archive_file(first, "data/contributions.json")
    # Version 2's pages were rendered before it existed: they show no earlier digest.
    assert first.digest.encode() not in archive_file(second, "en/index.html")


def test_an_extended_consultation_closing_by_the_clock_gets_version_2(
    clock, secretariat, committed
):
    consultation = _open_consultation()
    with committed():
        services.consultation_close_now(actor=secretariat, consultation=consultation)
    clock.move_to(NOW + timedelta(hours=1))
    services.consultation_extend(
        actor=secretariat, consultation=consultation, closes_at=NOW + timedelta(days=3)
    )

    clock.move_to(NOW + timedelta(days=3, minutes=5))
    with committed():
        _scheduling_loop()

    assert [archive.version for archive in _archives(consultation)] == [1, 2]


def test_while_extended_the_scheduling_loop_writes_nothing(clock, secretariat, committed):
    consultation = _open_consultation()
    with committed():
        services.consultation_close_now(actor=secretariat, consultation=consultation)
    clock.move_to(NOW + timedelta(hours=1))
    services.consultation_extend(
        actor=secretariat, consultation=consultation, closes_at=NOW + timedelta(days=3)
    )

    with committed():
        _scheduling_loop()

    assert [archive.version for archive in _archives(consultation)] == [1]


# --- Through the real worker --------------------------------------------------------------

# The worker commits as it goes, as in production: these tests use real transactions.
worker_test = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


def _run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@worker_test
def test_a_close_by_the_clock_is_queued_by_the_loop_and_written_by_the_worker(database_tasks):
    consultation = make_consultation(state="closed")
    make_question(consultation)

    _scheduling_loop()

    assert _archives(consultation) == []
    [queued] = DBTaskResult.objects.ready()
    assert queued.task_path == "consultations.tasks.write_consultation_archive"

    _run_worker()

    [archive] = _archives(consultation)
    assert verify(archive) == []
    assert DBTaskResult.objects.successful().count() == 1


@worker_test
def test_the_demos_closed_consultation_has_its_archive_after_load_demo_and_the_worker(
    database_tasks,
):
    call_command("load_demo", "--force", stdout=StringIO())
    _run_worker()

    [archive] = ConsultationArchive.objects.all()
    assert archive.consultation.slug == CLOSED_CONSULTATION.slug
    assert verify(archive) == []
    output = StringIO()
    call_command("verify_archive", CLOSED_CONSULTATION.slug, stdout=output)
    assert "Verified:" in output.getvalue()
    for other in (OPEN_CONSULTATION, UPCOMING_CONSULTATION):
        assert not ConsultationArchive.objects.filter(consultation__slug=other.slug).exists()

    call_command("load_demo", "--force", stdout=StringIO())
    _run_worker()

    assert ConsultationArchive.objects.count() == 1  # run again: nothing more
