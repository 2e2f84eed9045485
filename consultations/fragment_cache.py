"""Rendered comments, kept in the cache under a key made of everything they show.

A comment's fragment is stored under a digest of its view (every value the
template reads, the reader's share included: which links they get, the
time zone and language of its dates) with the active language and the
release's digest. A change to anything shown gives a new key, so there is
nothing to invalidate; old fragments age out of the "pages" cache.
"""

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Protocol, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import get_language

# What a page is made from: a fragment rendered by another release is not reused.
_RELEASE_SUFFIXES = (".py", ".html", ".mo", ".js", ".css")
_NOT_RELEASED = {"tests", "benchmarks", "media", "staticfiles", "node_modules", "__pycache__"}


@cache
def release_digest() -> str:
    """A digest of the code, templates, catalogues and assets this process runs."""
    digest = hashlib.blake2b(digest_size=12)
    for folder, subfolders, files in os.walk(settings.BASE_DIR):
        subfolders[:] = sorted(
            name for name in subfolders if name not in _NOT_RELEASED and not name.startswith(".")
        )
        for name in sorted(files):
            if name.endswith(_RELEASE_SUFFIXES):
                path = Path(folder, name)
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


class Fragment(Protocol):
    # None when the fragment must be rendered for this request alone (it holds a
    # form with the reader's CSRF token, or a confirmation meant for them).
    @property
    def fragment_key(self) -> str | None: ...


View = TypeVar("View", bound=Fragment)


def render_fragments(views: Iterable[View], render: Callable[[View], str]) -> Sequence[str]:
    """Each view's HTML, in order: from the cache where it is there, rendered otherwise."""
    views = list(views)
    prefix = f"comment:{release_digest()}:{get_language()}:"
    keys = [None if view.fragment_key is None else prefix + view.fragment_key for view in views]
    fragments = caches["pages"]
    kept = fragments.get_many([key for key in keys if key is not None])
    rendered, missing = [], {}
    for view, key in zip(views, keys, strict=True):
        html = kept.get(key) if key is not None else None
        if html is None:
            html = render(view)
            if key is not None:
                missing[key] = html
        rendered.append(html)
    if missing:
        fragments.set_many(missing)
    return rendered
