"""Reads of the public pages from a read replica; everything else from the primary.

Installed only when DATABASE_REPLICA_URL is set (forum/settings.py): the
`replica` alias, `ReplicaRouter` and `ReplicaReadsMiddleware` go together.

A replica lags the primary by a moment, so it may only serve what can be a
moment old, to someone who has not just changed it:

- only GET and HEAD requests for the pages listed in `REPLICA_VIEWS` (the
  consultation list, a consultation, a question and their feeds) read from it;
- only the content tables (`REPLICA_APPS`); the session, the cache and rate
  limits, allauth's addresses and the task queue always come from the primary;
- once a request has written content, or opened a transaction, the rest of it
  reads from the primary;
- a response to any other method (a post, an edit, a hide), or to a request
  that wrote, sets a short-lived cookie that keeps that browser on the
  primary for DATABASE_REPLICA_PIN_SECONDS: the person who just posted sees
  their comment on the very next page.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"
PIN_COOKIE = "rt_primary"
READ_ONLY_METHODS = frozenset({"GET", "HEAD"})
REPLICA_VIEWS = frozenset(
    {
        "consultations:list",
        "consultations:detail",
        "consultations:question",
        "consultations:feed",
        "consultations:question_feed",
    }
)
REPLICA_APPS = frozenset({"consultations", "documents", "site_identity", "accounts", "auth"})


@dataclass
class _RequestReads:
    may_use_replica: bool = False
    wrote: bool = False


_current_request = ContextVar("replica_reads", default=None)


def _in_transaction_of_this_request() -> bool:
    # A test case wraps every test in transactions of its own (marked by
    # Django); only the ones the code opened count.
    return any(
        not getattr(block, "_from_testcase", False) for block in connections[PRIMARY].atomic_blocks
    )


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        reads = _current_request.get()
        if (
            reads is not None
            and reads.may_use_replica
            and not reads.wrote
            and model._meta.app_label in REPLICA_APPS
            and not _in_transaction_of_this_request()
        ):
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        reads = _current_request.get()
        if reads is not None and model._meta.app_label in REPLICA_APPS:
            reads.wrote = True
        return PRIMARY

    def allow_relation(self, first, second, **hints):
        if {first._state.db, second._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica copies the primary's schema; nothing migrates it directly.
        return False if db == REPLICA else None


class ReplicaReadsMiddleware:
    """Decide per request whether its reads may go to the replica, and pin writers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reads = _RequestReads()
        token = _current_request.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        if reads.wrote or request.method not in READ_ONLY_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        reads = _current_request.get()
        if reads is not None:
            reads.may_use_replica = (
                request.method in READ_ONLY_METHODS
                and PIN_COOKIE not in request.COOKIES
                and request.resolver_match is not None
                and request.resolver_match.view_name in REPLICA_VIEWS
            )
        return None
