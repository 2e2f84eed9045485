"""A connection outlives its request on SQLite as on PostgreSQL, and a kept SQLite
connection locks nothing: the db_worker and the other workers write beside it. On
PostgreSQL a statement run again on a connection is not planned again."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.db.utils import ConnectionHandler

REPOSITORY = Path(__file__).resolve().parents[2]


def _database_settings(**environment: str) -> dict:
    """DATABASES["default"] as a process started with only `environment` sees it."""
    kept = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    code = "import json; from forum import settings; print(json.dumps(settings.DATABASES))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPOSITORY,
        env={**kept, "DEBUG": "1", **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["default"]


def test_sqlite_connections_are_kept_as_long_as_configured():
    default = _database_settings()
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert default["CONN_MAX_AGE"] == 60
    assert _database_settings(DATABASE_CONN_MAX_AGE="0")["CONN_MAX_AGE"] == 0


@pytest.fixture
def two_processes(tmp_path, django_db_blocker):
    """Two connections to one SQLite file, as two processes have: one kept after its
    request, one writing that gives up at once rather than wait for a lock."""
    name = str(tmp_path / "db.sqlite3")
    handler = ConnectionHandler(
        {
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": name, "CONN_MAX_AGE": 60},
            "writer": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": name,
                "OPTIONS": {"timeout": 0},
            },
        }
    )
    kept, writer = handler["default"], handler["writer"]
    # A file of the test's own, not the test database pytest-django guards.
    with django_db_blocker.unblock():
        with writer.cursor() as cursor:
            cursor.execute("CREATE TABLE answer (id INTEGER PRIMARY KEY, body TEXT)")
            cursor.execute("INSERT INTO answer (body) VALUES ('first')")
        yield kept, writer
        handler.close_all()


def _bodies(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM answer ORDER BY id")
        return [body for (body,) in cursor.fetchall()]


def _request_reads(connection) -> None:
    """A request reads, then ends as Django ends one (request_finished)."""
    connection.close_if_unusable_or_obsolete()
    assert _bodies(connection)
    connection.close_if_unusable_or_obsolete()


def test_a_kept_sqlite_connection_lets_others_write_and_reads_what_they_wrote(two_processes):
    kept, writer = two_processes
    _request_reads(kept)
    assert kept.connection is not None, "the connection should outlive its request"

    with writer.cursor() as cursor:
        cursor.execute("INSERT INTO answer (body) VALUES ('second')")

    assert _bodies(kept) == ["first", "second"]


def test_only_a_connection_left_in_a_transaction_would_keep_others_from_writing(two_processes):
    # What the test above would catch: Django never leaves a request's transaction open.
    kept, writer = two_processes
    with kept.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("SELECT body FROM answer")
        cursor.fetchall()
    with pytest.raises(OperationalError, match="locked"), writer.cursor() as cursor:
        cursor.execute("INSERT INTO answer (body) VALUES ('second')")


def test_postgresql_statements_are_sent_apart_from_their_values_and_kept_prepared():
    database_url = "postgres://roundtable@db.example.org:5432/roundtable"
    options = _database_settings(DATABASE_URL=database_url)["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    # For a PgBouncer in transaction mode that cannot keep prepared statements.
    unprepared = _database_settings(DATABASE_URL=database_url, DATABASE_PREPARE_THRESHOLD="")
    assert unprepared["OPTIONS"]["prepare_threshold"] is None
    assert "server_side_binding" not in _database_settings().get("OPTIONS", {}), "not SQLite's"


@pytest.mark.django_db
def test_a_query_run_again_on_a_postgresql_connection_is_planned_once(django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's: this run uses SQLite")
    prepared = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s"
    # psycopg prepares a statement on the run after the threshold.
    for _ in range(connection.settings_dict["OPTIONS"]["prepare_threshold"] + 1):
        django_user_model.objects.filter(email="nobody@example.org").exists()
    with connection.cursor() as cursor:
        cursor.execute(prepared, ["%accounts_user%"])
        assert cursor.fetchone()[0] >= 1
