"""The database cache that writes in one statement: the same answers as Django's, fewer queries."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.cache_backends import UpsertDatabaseCache


def table_cache(**options) -> UpsertDatabaseCache:
    return UpsertDatabaseCache(
        "roundtable_cache", {"OPTIONS": {"MAX_ENTRIES": 1000, "CULL_EVERY": 1000, **options}}
    )


@pytest.fixture
def cache(transactional_db):
    # Outside a test's transaction, as in production: each write is its own.
    kept = table_cache()
    kept.clear()
    yield kept
    kept.clear()


def test_set_writes_and_overwrites_in_one_statement_each(cache):
    with CaptureQueriesContext(connection) as captured:
        cache.set("limit", [1.0], 60)
        cache.set("limit", [2.0, 1.0], 60)

    assert len(captured) == 2
    assert cache.get("limit") == [2.0, 1.0]


def test_add_writes_only_where_nothing_lives_in_one_statement(cache):
    with CaptureQueriesContext(connection) as captured:
        assert cache.add("lock", True, 10) is True
        assert cache.add("lock", False, 10) is False

    assert len(captured) == 2
    assert cache.get("lock") is True


def test_add_takes_the_place_of_an_expired_entry(cache):
    cache.set("lock", "old", 10)

    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        assert cache.add("lock", "new", 10) is True
        assert cache.get("lock") == "new"


def test_an_entry_without_timeout_stays(cache):
    cache.set("identity", {"name": "Roundtable"}, None)

    with time_machine.travel(timezone.now() + timedelta(days=3650)):
        assert cache.get("identity") == {"name": "Roundtable"}
        assert cache.add("identity", "other") is False


def test_expired_entries_read_as_missing(cache):
    cache.set("limit", [1.0], 5)

    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        assert cache.get("limit", "missing") == "missing"


@pytest.mark.cache_trims_at_random
def test_the_table_is_counted_on_about_one_write_in_cull_every(transactional_db, monkeypatch):
    cache = table_cache(CULL_EVERY=4)
    draws = iter([0.9, 0.5, 0.1, 0.95])  # random() * 4 < 1 only for 0.1
    monkeypatch.setattr("forum.cache_backends.random.random", lambda: next(draws))

    with CaptureQueriesContext(connection) as captured:
        for number in range(4):
            cache.set(f"key-{number}", number, 60)

    counts = [query for query in captured.captured_queries if "COUNT(" in query["sql"]]
    assert len(counts) == 1


@pytest.mark.cache_trims_at_random
def test_past_max_entries_the_cull_makes_room(transactional_db, monkeypatch):
    cache = table_cache(MAX_ENTRIES=10, CULL_EVERY=1, CULL_FREQUENCY=2)
    cache.clear()
    for number in range(30):
        cache.set(f"key-{number:02}", number, 60)

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM roundtable_cache")
        assert cursor.fetchone()[0] <= 11
    assert cache.get("key-29") == 29
    cache.clear()


def test_inside_a_transaction_a_write_keeps_the_transaction_usable(db):
    cache = table_cache()

    cache.set("limit", [1.0], 60)
    assert cache.add("limit", [2.0], 60) is False

    assert cache.get("limit") == [1.0]


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def test_writes_of_their_own_do_not_wait_for_the_disk_on_postgresql(cache):
    with CaptureQueriesContext(connection) as captured:
        cache.set("limit", [1.0], 60)
        assert cache.add("lock", True, 10) is True
        assert cache.delete("lock") is True

    without_waiting = [q for q in captured.captured_queries if "set_config" in q["sql"]]
    assert len(without_waiting) == (3 if connection.vendor == "postgresql" else 0)
    assert cache.get("limit") == [1.0]
    assert cache.get("lock") is None
    if connection.vendor == "postgresql":
        # Local to each statement's own transaction: the next one waits as usual.
        assert _synchronous_commit() == "on"


def test_inside_a_callers_transaction_its_commit_still_waits_for_the_disk(cache):
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        cache.set("limit", [1.0], 60)
        cache.delete("limit")
        if connection.vendor == "postgresql":
            assert _synchronous_commit() == "on"

    assert not [q for q in captured.captured_queries if "set_config" in q["sql"]]
