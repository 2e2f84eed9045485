"""Whole consultation and question pages, kept for visitors who are not logged in.

A visitor's page holds nothing of their own: no form, no token, no name.
It is kept in the "pages" cache under everything that decides it (the
address, language, time zone and remembered choices, the release, the
consultation's state by the clock and its `display_version`, which every
change the page shows moves on) and served from there until one of them
changes. Anyone logged in, a visitor with a session or a message waiting,
and the sealed record's own renders get the page built for them.

Signed-in readers' parts of a page (a question's discussion, a consultation's
questions) are kept the same way, shared by readers the rules treat alike, and
so is each block of a question's page of answers, for every reader.
"""

import hashlib
import weakref

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connections, router
from django.db.models.expressions import Col
from django.db.models.sql.where import WhereNode
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from accounts.time_zones import zone_for
from consultations.fragment_cache import release_digest
from consultations.models import Consultation

# The reader's remembered choices (consultations/views/reading.py sets them):
# they change a visitor's page.
QUESTION_LANGUAGES_COOKIE = "roundtable_question_languages"
ANSWER_ORDER_COOKIE = "roundtable_answer_order"
PAGE_COOKIES = (QUESTION_LANGUAGES_COOKIE, ANSWER_ORDER_COOKIE)


def _is_plain_visit(request) -> bool:
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not getattr(request, "shows_every_answer", False)
    )


def _key(kind: str, request, consultation: Consultation, *decided_also_by, comments=True) -> str:
    """A key made of what decides any kept page: the release, the address, language,
    time zone and remembered choices, the consultation's versions and state.
    `comments=False` leaves its comments' version out, for a part that holds a version
    of its own (an answer block)."""
    decided_by = (
        release_digest(),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        get_language(),
        timezone.get_current_timezone_name(),
        *(request.COOKIES.get(name, "") for name in PAGE_COOKIES),
        consultation.pk,
        consultation.display_version,
        consultation.comments_version if comments else None,
        consultation.state_at(timezone.now()),
        *decided_also_by,
    )
    return f"{kind}:" + hashlib.blake2b(repr(decided_by).encode(), digest_size=20).hexdigest()


def visitor_page_key(request, consultation: Consultation) -> str | None:
    """The page's key in the cache, or None when this page is not a plain visitor's."""
    if not _is_plain_visit(request):
        return None
    return _key("visitor-page", request, consultation)


def visitor_page(request, consultation: Consultation, build) -> HttpResponse:
    """The page from the cache for a plain visitor, else `build()`'s (kept for the next visitor)."""
    key = visitor_page_key(request, consultation)
    pages = caches["pages"]
    if key is not None:
        kept = pages.get(key)
        if kept is not None:
            content, content_type = kept
            return HttpResponse(content, content_type=content_type)
    response = build()
    if key is not None and response.status_code == 200 and not response.cookies:
        pages.set(key, (response.content, response["Content-Type"]))
    return response


# What a kept page's key needs of its consultation; the rest is read when the page is built.
_KEY_FIELDS = (
    "id",
    "display_version",
    "comments_version",
    "is_published",
    "opens_at",
    "closes_at",
    "time_zone",
)
_SLUG_STAND_IN = "roundtable-slug-stand-in"
# The read of those fields, compiled once per database connection (so per thread).
_compiled_reads = weakref.WeakKeyDictionary()


def _compares_columns_with_constants(where) -> bool:
    """Whether each condition compares a column with a plain value (nothing of the clock's)."""
    for condition in where.children:
        if isinstance(condition, WhereNode):
            if not _compares_columns_with_constants(condition):
                return False
        elif not (
            isinstance(getattr(condition, "lhs", None), Col)
            and type(getattr(condition, "rhs", None)) in (bool, int, str)
        ):
            return False
    return True


def _compile_key_fields_read(alias: str):
    """The SQL of `visible_to(a visitor).filter(slug=...)` for the key's fields, with how to
    turn its row into a Consultation; None if it depends on more than the slug (the clock)."""
    query = (
        Consultation.objects.visible_to(AnonymousUser())
        .filter(slug=_SLUG_STAND_IN)
        .order_by()
        .values_list(*_KEY_FIELDS)
        .query
    )
    if not _compares_columns_with_constants(query.where) or query.annotations:
        return None
    compiler = query.get_compiler(alias)
    sql, params = compiler.as_sql()
    if params.count(_SLUG_STAND_IN) != 1:
        return None
    converters = compiler.get_converters([column for column, _, _ in compiler.select])
    # Model.from_db wants the values in the order of the model's fields.
    selected = [name for _, _, name in compiler.select]
    names = [field.attname for field in Consultation._meta.concrete_fields]
    names = [name for name in names if name in selected]
    positions = [selected.index(name) for name in names]
    return compiler, sql, params, converters, names, positions


def _consultation_for_key(slug: str) -> Consultation | None:
    """The consultation a visitor may see at `slug`, with only the key's fields (any other
    would cost a query of its own), or None. Read from the database every time, so a change
    shows at once; Django compiles the read once per connection, not per request, which
    would cost a kept page more than everything else it does."""
    alias = router.db_for_read(Consultation)
    connection = connections[alias]
    if connection not in _compiled_reads:
        _compiled_reads[connection] = _compile_key_fields_read(alias)
    compiled = _compiled_reads[connection]
    if compiled is None:
        fields = Consultation.objects.visible_to(AnonymousUser()).only(*_KEY_FIELDS)
        return fields.filter(slug=slug).first()
    compiler, sql, params, converters, names, positions = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug if value == _SLUG_STAND_IN else value for value in params])
        row = cursor.fetchone()
    if row is None:
        return None
    if converters:
        row = next(compiler.apply_converters([row], converters))
    return Consultation.from_db(alias, names, [row[position] for position in positions])


def kept_visitor_page(request, slug: str) -> HttpResponse | None:
    """A plain visitor's page about the consultation at `slug`, from the cache after one
    lean read of that consultation; None when the view must go on (not a plain visit, no
    such consultation, or not kept yet: the view builds it and keeps it)."""
    if not _is_plain_visit(request):
        return None
    consultation = _consultation_for_key(slug)
    if consultation is None:
        return None
    # The zone is part of the key; the view activates the same one when it builds the page.
    timezone.activate(zone_for(None, consultation))
    kept = caches["pages"].get(_key("visitor-page", request, consultation))
    if kept is None:
        return None
    content, content_type = kept
    return HttpResponse(content, content_type=content_type)


def _csrf_stand_in() -> str:
    # Derived from the secret key: the same in every process, so a part kept in
    # Redis by one is completed by another, and impossible for anyone to write
    # into a comment, where it would be replaced too.
    return "csrf-" + salted_hmac("roundtable.csrf-stand-in", "token").hexdigest()


CSRF_STAND_IN = SimpleLazyObject(_csrf_stand_in)


def with_csrf_token(request, html: str) -> str:
    """A kept part with the moderators' forms in it, completed with this reader's token."""
    stand_in = str(CSRF_STAND_IN)
    if stand_in not in html:
        return html
    return mark_safe(html.replace(stand_in, get_token(request)))


def _has_messages_waiting(request) -> bool:
    return CookieStorage.cookie_name in request.COOKIES or bool(
        getattr(request, "session", {}).get("_messages")
    )


def signed_in_part_key(request, consultation, reader, *, part: str, wrote_here: bool):
    """The key of a page's `part` shared by signed-in readers who see the same (a
    question's discussion, a consultation's questions with their latest answers), or
    None when it must be built for this request alone: with a message waiting to be
    shown beside a comment, or for a form sent back with its errors. A reader who
    `wrote_here` sees their own controls and waiting comments, so gets a key of their
    own. The moderators' forms are kept with a stand-in for the token
    (`with_csrf_token` puts the reader's in)."""
    if (
        request.method != "GET"
        or not reader.is_authenticated
        or _has_messages_waiting(request)
        or getattr(request, "shows_every_answer", False)
    ):
        return None
    return _key("signed-in", request, consultation, part, *_reader_facts(reader, wrote_here))


def _reader_facts(reader, wrote_here: bool) -> tuple:
    """What rules.py asks of a reader about comments that are not theirs; who they are
    only if they `wrote_here` (their controls, their comments awaiting approval)."""
    return (
        reader.is_authenticated,
        reader.moderates,
        reader.is_verified,
        reader.may_contribute_now,
        reader.can_translate,
        reader.is_secretariat,
        reader.pk if wrote_here else None,
    )


def answer_block_key(
    request, consultation, reader, *, place_key: str, thread_version: int, wrote_here: bool
) -> str | None:
    """The key of one block of a question's page (an answer with every reply under it, or
    a reply standing at the top for this reader) for the readers who see it alike: kept
    under its answer's `thread_version` rather than the consultation's comments, so a
    comment posted elsewhere leaves it as it is. None for the sealed record's renders.

    `place_key` is the thread key of the block's top comment: a reply to a comment the
    reader does not see stands under the same answer, at the same version, as the
    answer's own block, and is another block."""
    if getattr(request, "shows_every_answer", False):
        return None
    return _key(
        "answer-block",
        request,
        consultation,
        place_key,
        thread_version,
        *_reader_facts(reader, wrote_here),
        comments=False,
    )


def answer_block_lineage_key(request, consultation, reader, *, place_key: str) -> str:
    """Where the latest block kept for every reader of this kind of a place is named,
    whatever its `thread_version`: a block short only of new comments is built from
    them alone (consultations/answer_blocks.py)."""
    return _key(
        "answer-block-lineage",
        request,
        consultation,
        place_key,
        *_reader_facts(reader, False),
        comments=False,
    )
