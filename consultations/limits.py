"""Abuse limits on the stakeholders' writes: how often a person may post, reply and report.

The rates are allauth's (`ROUNDTABLE_RATE_LIMITS` in settings, in allauth's
notation) and are counted by allauth's limiter, in the cache every app
process shares, so a limit reached on one worker holds on all of them. The
public `allauth.core.ratelimit.consume` only reads allauth's own settings and
gives no way to undo a hit; the module it wraps takes the rates as an
argument, which is why it is used here (django-allauth is pinned below 66).

A limit reached raises `LimitReached`: a sentence for the person and the
seconds until they may try again, for the `Retry-After` header.
"""

import math
import re
import time
from datetime import datetime, timedelta

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext, ngettext

RATE_LIMIT_APP = "roundtable"


class LimitReached(Exception):
    """Too much, too fast: the message says so and `retry_after` says for how long."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = max(1, int(retry_after))


def _wait_in_words(seconds: int) -> str:
    if seconds < 120:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def seconds_until_allowed(request, *, app: str, action: str, config: dict, key=None, user=None):
    """How long until `action` is allowed again under every one of its rates (0 if it is now)."""
    now = time.time()
    wait = 0.0
    for rate in ratelimit.get_rates(app=app, action=action, config=config):
        if rate.per == "user" and user is None and not request.user.is_authenticated:
            continue
        if rate.per == "key" and key is None:
            continue
        cache_key = ratelimit.get_cache_key(
            request, app=app, action=action, rate=rate, key=key, user=user
        )
        history = [moment for moment in cache.get(cache_key, []) if moment > now - rate.duration]
        if len(history) >= rate.amount:
            # The list is newest first: a place frees when the oldest hit still counted expires.
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return math.ceil(wait)


def is_new_account(user, now: datetime) -> bool:
    return user.date_joined > now - timedelta(seconds=settings.ROUNDTABLE_NEW_ACCOUNT_AGE)


def _consume(request, action: str, message: str) -> ratelimit.RateLimitUsage:
    config = settings.ROUNDTABLE_RATE_LIMITS
    usage = ratelimit.consume(
        request, app=RATE_LIMIT_APP, action=action, config=config, user=request.user
    )
    if usage is None:
        wait = seconds_until_allowed(
            request, app=RATE_LIMIT_APP, action=action, config=config, user=request.user
        )
        raise LimitReached(message % {"wait": _wait_in_words(max(1, wait))}, wait)
    return usage


def consume_posting(request, now: datetime) -> ratelimit.RateLimitUsage:
    """Count an answer or a reply by `request.user`; raise `LimitReached` when over the rate.

    Accounts younger than `ROUNDTABLE_NEW_ACCOUNT_AGE` have the tighter
    `post_new_account` rate. The returned usage can be rolled back when the
    post is refused after all.
    """
    action = "post_new_account" if is_new_account(request.user, now) else "post"
    return _consume(
        request,
        action,
        gettext(
            "You are posting faster than this discussion allows. Your text is below: "
            "please post it again in %(wait)s."
        ),
    )


def consume_reporting(request) -> ratelimit.RateLimitUsage:
    """Count a report by `request.user`; raise `LimitReached` when over the rate."""
    return _consume(
        request,
        "report",
        gettext(
            "You have sent many reports in a short time. Please send this one again in %(wait)s."
        ),
    )


def check_repost(*, author, body: str, now: datetime, comments) -> None:
    """Refuse the same text from the same person again within `ROUNDTABLE_REPOST_WINDOW`.

    `comments` is the author's comments (a QuerySet); the caller holds the
    lock that makes two simultaneous copies see each other.
    """
    window = timedelta(seconds=settings.ROUNDTABLE_REPOST_WINDOW)
    previous = (
        comments.filter(body_source=body, created_at__gt=now - window)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if previous is not None:
        wait = math.ceil((previous + window - now).total_seconds())
        raise LimitReached(
            gettext(
                "You posted this same text a moment ago. To post it again, wait %(wait)s; "
                "your text is below."
            )
            % {"wait": _wait_in_words(max(1, wait))},
            wait,
        )


_LINK = re.compile(r"<a\s", re.IGNORECASE)


def check_links(*, author, body_html: str, now: datetime) -> None:
    """Refuse more than `ROUNDTABLE_NEW_ACCOUNT_MAX_LINKS` links from an account under a day old."""
    limit = settings.ROUNDTABLE_NEW_ACCOUNT_MAX_LINKS
    if not is_new_account(author, now) or len(_LINK.findall(body_html)) <= limit:
        return
    grown_up_at = author.date_joined + timedelta(seconds=settings.ROUNDTABLE_NEW_ACCOUNT_AGE)
    raise LimitReached(
        ngettext(
            "New accounts can include at most %(limit)d link in a comment. Remove some "
            "links from your text below, or post it in %(wait)s.",
            "New accounts can include at most %(limit)d links in a comment. Remove some "
            "links from your text below, or post it in %(wait)s.",
            limit,
        )
        % {
            "limit": limit,
            "wait": _wait_in_words(max(1, math.ceil((grown_up_at - now).total_seconds()))),
        },
        math.ceil((grown_up_at - now).total_seconds()),
    )
