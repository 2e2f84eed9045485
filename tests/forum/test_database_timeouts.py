"""A database that stops answering costs seconds and shows the 503 page, not a hung worker."""

import threading
import time

import psycopg
import pytest
from django.db import connection, connections, transaction

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: statement_timeout and table locks are PostgreSQL's",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_connections_carry_the_configured_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        (value,) = cursor.fetchone()
    assert value == "10s"


def test_a_query_stuck_behind_a_lock_gets_the_503_page_within_seconds(client, question):
    locked = threading.Event()
    release = threading.Event()

    def hold_the_questions_table():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("LOCK TABLE consultations_question IN ACCESS EXCLUSIVE MODE")
                locked.set()
                release.wait(15)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_questions_table)
    holder.start()
    assert locked.wait(5)
    with connection.cursor() as cursor:
        # The configured 10 s, shortened so the test is quick; the setting
        # itself is checked above.
        cursor.execute("SET statement_timeout = '500ms'")
    try:
        started = time.monotonic()
        response = client.get(question.get_absolute_url())
        elapsed = time.monotonic() - started
    finally:
        release.set()
        holder.join(10)
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")

    assert response.status_code == 503
    assert elapsed < 3


def test_a_pooled_connection_cut_by_a_database_restart_is_replaced_not_an_error(client, question):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    # Another session ends ours, as a database restart would.
    with (
        psycopg.connect(**connection.get_connection_params(), autocommit=True) as other_session,
        other_session.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    # What Django does when a request starts (the test client skips it):
    # the next query first checks that the pooled connection still answers.
    connection.close_if_unusable_or_obsolete()

    response = client.get(question.get_absolute_url())

    assert response.status_code == 200
