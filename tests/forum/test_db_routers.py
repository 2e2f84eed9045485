"""Which database each read goes to when a read replica is configured.

The test database has one alias, so the router under test records where it
would send each read and then reads from the primary all the same: what is
checked is the decision, with the real middleware and views.
"""

import runpy
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction

from consultations.models import Comment
from forum import db_routers
from forum.db_routers import PIN_COOKIE, PRIMARY, REPLICA, ReplicaRouter
from tests.factories import make_comment

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "forum" / "settings.py"


class RecordingRouter(ReplicaRouter):
    decisions: list[tuple[str, str]] = []

    def db_for_read(self, model, **hints):
        alias = super().db_for_read(model, **hints)
        self.decisions.append((f"{model._meta.app_label}.{model._meta.object_name}", alias))
        return PRIMARY


@pytest.fixture
def reads(settings):
    """Where each read of the request went, as (model label, alias) pairs."""
    RecordingRouter.decisions = []
    settings.DATABASE_ROUTERS = [RecordingRouter()]
    # Where forum/settings.py puts it when DATABASE_REPLICA_URL is set.
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("forum.middleware.TimeZoneMiddleware"),
        "forum.db_routers.ReplicaReadsMiddleware",
    )
    settings.MIDDLEWARE = middleware
    return RecordingRouter.decisions


def aliases_for(decisions, label):
    return {alias for model, alias in decisions if model == label}


def test_a_visitor_reads_a_question_page_from_the_replica(client, question, reads):
    make_comment(question)
    reads.clear()  # posting it read the question's last reference, outside any request

    response = client.get(question.get_absolute_url())

    assert response.status_code == 200
    assert aliases_for(reads, "consultations.Comment") == {REPLICA}
    assert PIN_COOKIE not in response.cookies


def test_a_signed_in_reader_reads_the_consultation_from_the_replica_but_not_session_or_cache(
    stakeholder_client, consultation, reads
):
    response = stakeholder_client.get(consultation.get_absolute_url())

    assert response.status_code == 200
    assert aliases_for(reads, "consultations.Consultation") == {REPLICA}
    assert aliases_for(reads, "sessions.Session") == {PRIMARY}
    assert aliases_for(reads, "django_cache.CacheEntry") == {PRIMARY}


def test_a_post_reads_everything_from_the_primary_and_pins_the_browser(
    stakeholder_client, question, reads
):
    response = stakeholder_client.post(
        question.get_absolute_url(),
        {"body": "Regular pathways reduce dangerous crossings.", "language": "en"},
    )

    assert response.status_code == 302
    assert {alias for _, alias in reads} == {PRIMARY}
    assert response.cookies[PIN_COOKIE]["max-age"] > 0


def test_the_page_after_a_post_reads_from_the_primary_and_shows_the_new_comment(
    stakeholder_client, question, reads
):
    stakeholder_client.post(
        question.get_absolute_url(),
        {"body": "Family reunion should not take years.", "language": "en"},
    )
    reads.clear()

    response = stakeholder_client.get(question.get_absolute_url())

    assert aliases_for(reads, "consultations.Comment") == {PRIMARY}
    assert "Family reunion should not take years." in response.content.decode()


def test_pages_outside_the_public_reading_pages_read_from_the_primary(
    stakeholder_client, question, reads
):
    comment = make_comment(question)

    stakeholder_client.get(f"/en/comments/{comment.pk}/reply/")

    assert aliases_for(reads, "consultations.Comment") == {PRIMARY}


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(db):
    router = ReplicaRouter()
    token = db_routers._current_request.set(db_routers._RequestReads(may_use_replica=True))
    try:
        before = router.db_for_read(Comment)
        router.db_for_write(Comment)
        after = router.db_for_read(Comment)
    finally:
        db_routers._current_request.reset(token)

    assert (before, after) == (REPLICA, PRIMARY)


def test_writing_a_session_does_not_move_the_content_reads(db):
    router = ReplicaRouter()
    token = db_routers._current_request.set(db_routers._RequestReads(may_use_replica=True))
    try:
        router.db_for_write(Session)
        alias = router.db_for_read(Comment)
    finally:
        db_routers._current_request.reset(token)

    assert alias == REPLICA


def test_reads_inside_a_transaction_go_to_the_primary(transactional_db):
    router = ReplicaRouter()
    token = db_routers._current_request.set(db_routers._RequestReads(may_use_replica=True))
    try:
        with transaction.atomic():
            alias = router.db_for_read(Comment)
    finally:
        db_routers._current_request.reset(token)

    assert alias == PRIMARY


def test_reads_outside_any_request_go_to_the_primary(db):
    assert ReplicaRouter().db_for_read(Comment) == PRIMARY


def test_nothing_is_migrated_on_the_replica():
    router = ReplicaRouter()

    assert router.allow_migrate(REPLICA, "consultations") is False
    assert router.allow_migrate(PRIMARY, "consultations") is None


def test_the_replica_is_configured_only_from_database_replica_url(monkeypatch):
    monkeypatch.setenv("DEBUG", "1")
    monkeypatch.setenv("DATABASE_URL", "postgres://app@primary.internal:5432/roundtable")
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://app@replica.internal:5432/roundtable")

    configured = runpy.run_path(str(SETTINGS_FILE))
    monkeypatch.delenv("DATABASE_REPLICA_URL")
    without = runpy.run_path(str(SETTINGS_FILE))

    assert configured["DATABASES"]["replica"]["HOST"] == "replica.internal"
    assert configured["DATABASES"]["replica"]["TEST"] == {"MIRROR": "default"}
    assert configured["DATABASE_ROUTERS"] == ["forum.db_routers.ReplicaRouter"]
    middleware = configured["MIDDLEWARE"]
    assert middleware.index("forum.db_routers.ReplicaReadsMiddleware") < middleware.index(
        "forum.middleware.TimeZoneMiddleware"
    )
    assert "replica" not in without["DATABASES"]
    assert "forum.db_routers.ReplicaReadsMiddleware" not in without["MIDDLEWARE"]
