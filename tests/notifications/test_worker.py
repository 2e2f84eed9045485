"""Through the real database task backend and `db_worker --batch`: mail leaves the request,
survives a mail server that is down, and a send that fails for good is counted."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from notifications.tasks import retry_delay
from tests.factories import make_comment, make_user

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The worker commits as it goes, as in production: these tests use real transactions.
worker_test = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


def _run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _reply_to(author, question, client_for):
    parent = make_comment(question, author=author)
    return client_for(make_user()).post(
        f"/en/comments/{parent.pk}/reply/",
        {"body": "We saw the same in the Gulf corridor.", "language": "en"},
    )


def test_retries_wait_longer_each_time(settings):
    settings.ROUNDTABLE_EMAIL_RETRY_BASE_SECONDS = 60

    assert [retry_delay(attempt) for attempt in (1, 2, 3)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=25),
    ]


@worker_test
def test_a_reply_is_mailed_by_the_worker_not_the_request(
    database_tasks, question, stakeholder, client_for
):
    response = _reply_to(stakeholder, question, client_for)

    assert response.status_code == 302
    assert mail.outbox == []
    assert DBTaskResult.objects.ready().count() == 1

    _run_worker()

    assert [message.to for message in mail.outbox] == [[stakeholder.email]]
    assert DBTaskResult.objects.successful().count() == 2  # decide, then send


@worker_test
def test_the_worker_sends_through_whichever_backend_is_set_the_file_backend_too(
    database_tasks, settings, tmp_path, question, stakeholder, client_for
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "sent-mail"

    _reply_to(stakeholder, question, client_for)
    _run_worker()

    written = [path.read_text() for path in (tmp_path / "sent-mail").iterdir()]
    assert len(written) == 1
    assert f"To: {stakeholder.email}" in written[0]
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in written[0]


@worker_test
def test_with_the_mail_server_down_the_post_succeeds_and_the_mail_goes_later(
    database_tasks, settings, question, stakeholder, client_for, caplog
):
    settings.ROUNDTABLE_EMAIL_RETRY_BASE_SECONDS = 60
    down = mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("mail server down"),
    )
    with down:
        response = _reply_to(stakeholder, question, client_for)
        _run_worker()

    assert response.status_code == 302
    assert mail.outbox == []
    assert "trying again in 0:01:00" in caplog.text
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.run_after > timezone.now()

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        _run_worker()

    assert [message.to for message in mail.outbox] == [[stakeholder.email]]
    assert not DBTaskResult.objects.failed().exists()


@worker_test
def test_a_send_that_fails_for_good_is_counted_on_the_console(
    database_tasks, settings, question, stakeholder, client_for
):
    settings.ROUNDTABLE_EMAIL_MAX_ATTEMPTS = 2
    settings.ROUNDTABLE_EMAIL_RETRY_BASE_SECONDS = 0
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPServerDisconnected("gone"),
    ):
        _reply_to(stakeholder, question, client_for)
        _run_worker()

    assert DBTaskResult.objects.failed().count() == 1
    # The data migration's groups may be flushed by earlier transactional tests.
    secretariat = make_user()
    secretariat.user_permissions.add(Permission.objects.get(codename="manage_consultations"))
    page = client_for(secretariat).get("/en/secretariat/").content.decode()
    assert "1 background task failed for good" in page


@worker_test
def test_account_mail_is_rendered_in_the_request_and_sent_by_the_worker(database_tasks, client):
    response = client.post(
        "/fr/accounts/signup/",
        {
            "email": "awa.ndiaye@example.org",
            "password1": "a-long-enough-password-41",
            "password2": "a-long-enough-password-41",
            "display_name": "Awa Ndiaye",
            "organisation": "Réseau des femmes migrantes",
            "organisation_type": "migrant_led",
            "country": "SN",
            "accept_terms": "on",
        },
    )

    assert response.status_code == 302
    assert mail.outbox == []

    _run_worker()

    assert [message.to for message in mail.outbox] == [["awa.ndiaye@example.org"]]
    assert "/fr/accounts/confirm-email/" in mail.outbox[0].body
