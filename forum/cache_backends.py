"""The caches' backends: Redis made to fail open, a table written in one statement, and
process memory bounded by size.

`FailOpenRedisCache`: with Redis down, pages are still served. Every read
then misses and every write is dropped, so each page is built from the
database, the site identity is read from its row, and rate limits let
people through rather than refusing everyone. Each failure is logged.

`UpsertDatabaseCache`: Django's database cache, for when there is no Redis.

`SizeBoundLocMemCache`: Django's local-memory cache, for the pages each process
keeps when there is no Redis, bounded by the bytes it holds as well as by its
entries.
"""

import base64
import contextlib
import functools
import logging
import pickle
import random
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _failing_open(method, answer_when_down):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            logger.warning("The cache is unreachable (%s); going on without it.", error)
            return (
                answer_when_down(*args, **kwargs)
                if callable(answer_when_down)
                else answer_when_down
            )

    return wrapper


def _default_argument(key, default=None, *args, **kwargs):
    return default


class FailOpenRedisCache(RedisCache):
    get = _failing_open(RedisCache.get, _default_argument)
    get_many = _failing_open(RedisCache.get_many, {})
    has_key = _failing_open(RedisCache.has_key, False)
    add = _failing_open(RedisCache.add, False)
    set = _failing_open(RedisCache.set, None)
    set_many = _failing_open(RedisCache.set_many, [])
    touch = _failing_open(RedisCache.touch, False)
    delete = _failing_open(RedisCache.delete, False)
    delete_many = _failing_open(RedisCache.delete_many, None)
    clear = _failing_open(RedisCache.clear, None)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            logger.warning("The cache is unreachable (%s); going on without it.", error)
            # As if the count had just started: a limit counted in the cache
            # lets the request through while the cache is away.
            return delta


# On PostgreSQL, a statement run outside a transaction is a transaction of its own, and
# its commit waits until the write-ahead log is on disk (an fsync, milliseconds on a busy
# machine). A cache entry needs no such promise: losing the last fraction of a second of
# them in a crash costs a recomputed page or one post more than a rate would allow. The
# setting made local here lasts to the end of the statement's own transaction.
WITHOUT_WAITING_FOR_THE_DISK = "SELECT set_config('synchronous_commit', 'off', true)"


class UpsertDatabaseCache(DatabaseCache):
    """Django's database cache, each `set` and `add` one statement, the table culled now and then.

    Django's own counts the whole table before every write (to cull it past
    `MAX_ENTRIES`), then reads the row and updates or inserts it in a
    transaction: five statements. A rate limit writes four times per post
    (allauth's lock taken, the count read and written, the lock freed), so a
    post paid about a dozen statements for its limits. Here `set` and `add`
    are one `INSERT ... ON CONFLICT` each (`add` replacing only a row that has
    expired, as Django's does), and the count and cull run on about one
    write in `CULL_EVERY` (an option, 100 by default): the table may pass
    `MAX_ENTRIES` by that many rows before it is trimmed. On databases other
    than PostgreSQL and SQLite, Django's own statements are used.

    On PostgreSQL, outside a caller's transaction, writes and deletes commit
    without waiting for the disk (`WITHOUT_WAITING_FOR_THE_DISK`): the three
    writes of a rate limit then no longer cost three fsyncs of the post.
    """

    UPSERT_VENDORS = {"postgresql", "sqlite"}

    def __init__(self, table, params):
        super().__init__(table, params)
        options = params.get("OPTIONS", {})
        self._cull_every = max(1, int(options.get("CULL_EVERY", 100)))

    def _trims_on_this_write(self) -> bool:
        """One write in `CULL_EVERY`, drawn at random (the table is shared by every
        process: a counter in one would not know the others' writes)."""
        return random.random() * self._cull_every < 1

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        if not self._upsert("set", key, value, timeout):
            super()._base_set("set", key, value, timeout)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        added = self._upsert("add", key, value, timeout)
        if added is None:
            return super()._base_set("add", key, value, timeout)
        return added

    def _upsert(self, mode, key, value, timeout):
        """Write the row in one statement; None when this database is not one that can."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if connection.vendor not in self.UPSERT_VENDORS:
            return None
        timeout = self.get_backend_timeout(timeout)
        now = tz_now().replace(microsecond=0)
        expires = (
            datetime.max
            if timeout is None
            else datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        ).replace(microsecond=0)
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        columns = [quote_name(name) for name in ("cache_key", "value", "expires")]
        row = "VALUES (%s, %s, %s)"
        if self._may_skip_the_disk_wait(connection):
            row = (
                "SELECT CAST(%s AS varchar), CAST(%s AS text), CAST(%s AS timestamptz) "
                f"FROM ({WITHOUT_WAITING_FOR_THE_DISK}) AS asynchronous_commit"
            )
        statement = (
            f"INSERT INTO {table} ({', '.join(columns)}) {row} "
            f"ON CONFLICT ({columns[0]}) DO UPDATE SET "
            f"{columns[1]} = EXCLUDED.{columns[1]}, {columns[2]} = EXCLUDED.{columns[2]}"
        )
        parameters = [key, encoded, connection.ops.adapt_datetimefield_value(expires)]
        if mode == "add":
            # Only a row that has expired gives way; RETURNING says whether one was written.
            statement += f" WHERE {table}.{columns[2]} < %s RETURNING {columns[0]}"
            parameters.append(connection.ops.adapt_datetimefield_value(now))
        with connection.cursor() as cursor:
            if self._trims_on_this_write():
                self._cull_if_full(db, cursor, now)
            try:
                # Inside a caller's transaction, a failed write must not spoil it.
                with (
                    transaction.atomic(using=db)
                    if connection.in_atomic_block
                    else contextlib.nullcontext()
                ):
                    cursor.execute(statement, parameters)
                    return cursor.fetchone() is not None if mode == "add" else True
            except DatabaseError:
                # As Django's: a write that fails is a cache miss, not an error page.
                return False

    def _base_delete_many(self, keys):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if not keys or not self._may_skip_the_disk_wait(connection):
            return super()._base_delete_many(keys)
        quote_name = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                # In FROM, not in an EXISTS (whose select list PostgreSQL never runs).
                f"DELETE FROM {quote_name(self._table)} "
                f"USING ({WITHOUT_WAITING_FOR_THE_DISK}) AS asynchronous_commit "
                f"WHERE {quote_name('cache_key')} IN ({', '.join(['%s'] * len(keys))})",
                keys,
            )
            return bool(cursor.rowcount)

    @staticmethod
    def _may_skip_the_disk_wait(connection) -> bool:
        """A write in a statement of its own, on PostgreSQL: its commit need not wait for the
        disk. Inside a caller's transaction, the setting would hold for all of it: not there."""
        return connection.vendor == "postgresql" and not connection.in_atomic_block

    def _cull_if_full(self, db, cursor, now):
        cursor.execute(f"SELECT COUNT(*) FROM {connections[db].ops.quote_name(self._table)}")
        count = cursor.fetchone()[0]
        if count > self._max_entries:
            self._cull(db, cursor, now, count)


class _HeldBytes:
    """The bytes one named local-memory cache holds, shared like its entries by the
    cache objects of every thread of the process."""

    def __init__(self):
        self.count = 0


_held_bytes: dict[str, _HeldBytes] = {}


class SizeBoundLocMemCache(LocMemCache):
    """Django's local-memory cache, which also drops its least recently used entries when
    their pickled values pass `OPTIONS["MAX_BYTES"]` (none: no bound but the entries').

    The pages cache holds rendered comments of a few kilobytes and blocks of an answer
    with its replies of hundreds: a bound on entries alone lets a process grow by
    gigabytes before it culls. The value just written is always kept.
    """

    def __init__(self, name, params):
        super().__init__(name, params)
        max_bytes = params.get("OPTIONS", {}).get("MAX_BYTES")
        self._max_bytes = int(max_bytes) if max_bytes else None
        self._held = _held_bytes.setdefault(name, _HeldBytes())

    @property
    def held_bytes(self) -> int:
        return self._held.count

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        self._delete(key)
        super()._set(key, value, timeout)
        self._held.count += len(value)
        while self._max_bytes and self._held.count > self._max_bytes and len(self._cache) > 1:
            self._drop_least_recently_used()

    def _drop_least_recently_used(self):
        key, value = self._cache.popitem()  # the end: LocMemCache moves each hit to the front
        del self._expire_info[key]
        self._held.count -= len(value)

    def _cull(self):
        if self._cull_frequency == 0:
            self._clear_held()
        else:
            for _ in range(len(self._cache) // self._cull_frequency):
                self._drop_least_recently_used()

    def _delete(self, key):
        value = self._cache.get(key)
        deleted = super()._delete(key)
        if deleted:
            self._held.count -= len(value)
        return deleted

    def incr(self, key, delta=1, version=None):
        value = super().incr(key, delta, version)
        with self._lock:
            self._held.count = sum(len(pickled) for pickled in self._cache.values())
        return value

    def _clear_held(self):
        self._cache.clear()
        self._expire_info.clear()
        self._held.count = 0

    def clear(self):
        with self._lock:
            self._clear_held()
