"""The product's URLs, plus two baselines served by the same gunicorn.

- `bench/static/<page>/`: the bytes of a page rendered beforehand (the static
  ceiling: what serving a page of that size costs at all);
- `bench/floor/<page>/`: the same bytes after one query fetching every row of
  the thread with its author, as the real page does (the database floor).

`<page>` names a file in BENCH_PAGES_DIR, written by benchmarks/bench.py, whose
first line says which comments the floor fetches.
"""

import os
from functools import cache
from pathlib import Path

from django.http import Http404, HttpResponse
from django.urls import path

from consultations.models import Comment
from forum.urls import handler400, handler429  # noqa: F401
from forum.urls import urlpatterns as product_urlpatterns


@cache
def _page(name: str) -> tuple[dict, bytes]:
    pages = Path(os.environ["BENCH_PAGES_DIR"])
    page_file = (pages / name).resolve()
    if page_file.parent != pages.resolve() or not page_file.is_file():
        raise Http404
    scope, _, content = page_file.read_bytes().partition(b"\n")
    slug, _, number = scope.decode().partition("/")
    query = {"question__consultation__slug": slug}
    if number:
        query["question__number"] = int(number)
    return query, content


def static_ceiling(request, name):
    _, content = _page(name)
    return HttpResponse(content)


def database_floor(request, name):
    query, content = _page(name)
    rows = list(Comment.objects.filter(**query).select_related("author").order_by("created_at"))
    response = HttpResponse(content)
    response["X-Rows"] = str(len(rows))
    return response


urlpatterns = [
    path("bench/static/<str:name>/", static_ceiling),
    path("bench/floor/<str:name>/", database_floor),
    *product_urlpatterns,
]
