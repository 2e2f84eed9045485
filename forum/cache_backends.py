"""Django's Redis cache, made to fail open: with Redis down, pages are still served.

Every read then misses and every write is dropped, so each page is built from
the database, the site identity is read from its row, and rate limits let
people through rather than refusing everyone. Each failure is logged.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
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
