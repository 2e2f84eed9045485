"""The pages cache in process memory, bounded by size (SizeBoundLocMemCache)."""

import itertools
import pickle

import pytest
from django.conf import settings
from django.core.cache import caches

from forum.cache_backends import SizeBoundLocMemCache

_names = itertools.count()
KILOBYTE = "x" * 1000


def memory_cache(**options) -> SizeBoundLocMemCache:
    # A name of its own: local-memory caches of one name share their entries.
    return SizeBoundLocMemCache(f"test-size-bound-{next(_names)}", {"OPTIONS": options})


def pickled_size(value) -> int:
    return len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def test_the_bytes_held_follow_every_write_replacement_and_delete():
    cache = memory_cache(MAX_ENTRIES=100)

    cache.set("a", KILOBYTE)
    cache.set("b", KILOBYTE * 2)
    cache.set("a", KILOBYTE * 3)
    cache.delete("b")

    assert cache.held_bytes == pickled_size(KILOBYTE * 3)
    cache.clear()
    assert cache.held_bytes == 0


def test_past_the_bound_the_least_recently_used_go_first():
    cache = memory_cache(MAX_ENTRIES=100, MAX_BYTES=pickled_size(KILOBYTE) * 3)
    for key in "abc":
        cache.set(key, KILOBYTE)
    cache.get("a")  # read since: "b" is now the least recently used

    cache.set("d", KILOBYTE)

    assert [key for key in "abcd" if cache.has_key(key)] == ["a", "c", "d"]
    assert cache.held_bytes <= pickled_size(KILOBYTE) * 3


def test_a_value_larger_than_the_bound_is_kept_alone():
    cache = memory_cache(MAX_ENTRIES=100, MAX_BYTES=pickled_size(KILOBYTE) * 2)
    cache.set("small", KILOBYTE)

    cache.set("block", KILOBYTE * 5)

    assert cache.get("block") == KILOBYTE * 5
    assert not cache.has_key("small")
    assert cache.held_bytes == pickled_size(KILOBYTE * 5)


def test_culling_by_entries_keeps_the_count_of_bytes():
    cache = memory_cache(MAX_ENTRIES=4, CULL_FREQUENCY=2)
    for number in range(10):
        cache.set(f"key-{number}", KILOBYTE * (number + 1))

    assert cache.held_bytes == sum(
        pickled_size(value) for value in (cache.get(f"key-{n}") for n in range(10)) if value
    )


def test_a_number_counted_up_keeps_the_count_of_bytes():
    cache = memory_cache(MAX_ENTRIES=100)
    cache.set("text", KILOBYTE)
    cache.set("count", 1)

    cache.incr("count", 2**70)

    assert cache.get("count") == 2**70 + 1
    assert cache.held_bytes == pickled_size(KILOBYTE) + pickled_size(2**70 + 1)


def test_the_entries_of_other_threads_objects_count_the_same():
    name = f"test-size-bound-{next(_names)}"
    first = SizeBoundLocMemCache(name, {"OPTIONS": {"MAX_BYTES": pickled_size(KILOBYTE) * 2}})
    second = SizeBoundLocMemCache(name, {"OPTIONS": {"MAX_BYTES": pickled_size(KILOBYTE) * 2}})

    first.set("a", KILOBYTE)
    second.set("b", KILOBYTE)
    second.set("c", KILOBYTE)

    assert not first.has_key("a")
    assert first.held_bytes == second.held_bytes == pickled_size(KILOBYTE) * 2


@pytest.mark.skipif(
    settings.CACHES["pages"]["BACKEND"].endswith("RedisCache"), reason="REDIS_URL is set"
)
def test_the_pages_cache_is_bounded_by_size_without_redis():
    pages = caches["pages"]

    assert isinstance(pages, SizeBoundLocMemCache)
    assert pages._max_bytes == settings.PAGE_CACHE_MAX_MB * 1024 * 1024
