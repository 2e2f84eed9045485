"""A question's page of answers put together from blocks, each kept on its own.

A block is a place at the top of the page (an answer, or a reply to a comment
the reader does not see) with every reply under it. It is kept in the "pages"
cache under its answer's `thread_version` (page_cache.answer_block_key), which
only a change to a comment of that answer's thread moves on. So after a post,
the next reader's page costs the counts, the page's places, and the one block
that changed; the others come as they were kept, without reading their rows.

A reader who wrote under an answer sees their own controls there (Edit,
Withdraw rather than Report). Unless they moderate the consultation or have a
comment awaiting approval there (which only they and the moderators see), they
get the block kept for the readers of their kind who wrote nothing there, with
their own comments drawn again for them: the block is kept with each author's
comments' places and views, and only the actions of a view depend on who wrote
it (consultations.comment_views.as_written_by_reader). Sixteen people posting
in the same threads then share each block instead of building it once each.

A comment with a confirmation waiting beside it ("Thank you. Your comment is
published.", on the page the reader is sent to after posting) is drawn again
too, with the confirmation, into the block kept for everyone: the page a poster
lands on builds that block for the next readers rather than for them alone. A
moderator's block, or one with a comment awaiting approval, is built for this
request alone when it holds a confirmation.
"""

import pickle
from dataclasses import dataclass, replace
from operator import itemgetter

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.core.cache import caches
from django.db.models.functions import Coalesce
from django.utils.safestring import mark_safe

from consultations.comment_views import CommentReader, as_written_by_reader
from consultations.confirmations import confirmation_comment_id, confirmations_beside
from consultations.models import Comment
from consultations.page_cache import answer_block_key
from consultations.templatetags.comment_fragments import PageOfComments
from consultations.threads import QuestionThread, fetch_blocks


@dataclass(frozen=True)
class _Confirmed:
    """A comment with a confirmation waiting beside it (consultations/confirmations.py)."""

    message: Message
    answer_key: str
    author_id: int | None


def _confirmed_comments(request) -> dict[int, _Confirmed]:
    """The comments with a confirmation waiting beside them, by id, with the thread key
    of their answer and their author."""
    messages_by_comment = {
        comment_id: message
        for message in messages.get_messages(request)
        if (comment_id := confirmation_comment_id(message)) is not None
    }
    if not messages_by_comment:
        return {}
    return {
        pk: _Confirmed(messages_by_comment[pk], answer_key, author_id)
        for pk, answer_key, author_id in Comment.objects.filter(
            pk__in=messages_by_comment
        ).values_list("pk", Coalesce("answer_id", "thread_key"), "author_id")
    }


def _authors_key(block_key: str) -> str:
    """Where a kept block's comments are listed by author (`_by_author`)."""
    return f"{block_key}:authors"


def _by_author(entries, views, fragments) -> dict[int, bytes]:
    """Each author's comments in a block's HTML, (start, end, view) of each in order,
    pickled by author: a reader unpickles their own only (`_spans_of`), not the views
    of a thread of hundreds of comments each time they read it."""
    by_author, start = {}, 0
    for entry, view, fragment in zip(entries, views, fragments, strict=True):
        end = start + len(fragment)
        by_author.setdefault(entry.comment.author_id, []).append((start, end, view))
        start = end
    return {
        author: pickle.dumps(tuple(spans), pickle.HIGHEST_PROTOCOL)
        for author, spans in by_author.items()
    }


def _spans_of(by_author: dict[int, bytes], author_id) -> tuple:
    pickled = by_author.get(author_id)
    return pickle.loads(pickled) if pickled is not None else ()


def _spans_to_redraw(by_author: dict[int, bytes], reader_id, confirmed: dict) -> list:
    """The (start, end, view) of the comments of a kept block that its reader sees
    otherwise than the readers it was kept for: their own, and those with a
    confirmation waiting beside them; in the block's order."""
    spans = {span[2].pk: span for span in _spans_of(by_author, reader_id)}
    for author_id in {confirmation.author_id for confirmation in confirmed.values()}:
        if author_id != reader_id:
            spans.update(
                (span[2].pk, span)
                for span in _spans_of(by_author, author_id)
                if span[2].pk in confirmed
            )
    return sorted(spans.values(), key=itemgetter(0))


def _redrawn(block: str, spans, page: PageOfComments, question, confirmed: dict) -> str:
    """`block`, kept for readers who wrote none of it, with the comments at `spans`
    drawn as `page`'s reader sees them: their own with their controls, and a
    confirmation waiting beside one in it."""
    if not spans:
        return block
    reader, addresses = page.reader, page.shared.addresses
    views = []
    for _, _, view in spans:
        confirmation = confirmed.get(view.pk)
        if confirmation is not None:
            message = confirmation.message
            view = replace(view, confirmation=str(message), confirmation_level=message.level_tag)
        if confirmation is None or confirmation.author_id == reader.pk:
            view = as_written_by_reader(view, reader=reader, question=question, addresses=addresses)
        views.append(view)
    pieces, last = [], 0
    for (start, end, _), fragment in zip(spans, page.fragments(views), strict=True):
        pieces += [block[last:start], fragment]
        last = end
    pieces.append(block[last:])
    return "".join(pieces)


def render_page_of_answers(request, thread: QuestionThread, *, page_address: str, moderator_ids):
    """The HTML of the page's blocks in order, and the confirmations shown beside their
    comments (by comment id)."""
    question = thread.question
    consultation = question.consultation
    reader = CommentReader(user=request.user, consultation=consultation)
    confirmed = _confirmed_comments(request)
    confirmed_answers = {confirmation.answer_key for confirmation in confirmed.values()}
    keys, alone, own_in = {}, set(), set()
    for place in thread.places:
        # Whether this reader gets the block kept for their kind, with their own comments
        # and any confirmation drawn in: not a moderator (they see hidden text), nor someone
        # with a comment awaiting approval there (only they see it).
        shared = reader.is_authenticated and not (reader.moderates or place.reader_waits_here)
        if place.answer_key in confirmed_answers:
            if not shared:
                keys[place.pk] = None
                continue
            own_in.add(place.pk)
        elif place.reader_wrote_here:
            (own_in if shared else alone).add(place.pk)
        keys[place.pk] = answer_block_key(
            request,
            consultation,
            reader,
            place_key=place.thread_key,
            thread_version=place.thread_version,
            wrote_here=place.pk in alone,
        )
    pages = caches["pages"]
    kept = pages.get_many(
        [key for key in keys.values() if key is not None]
        + [_authors_key(keys[place_pk]) for place_pk in own_in]
    )
    html = {
        place_pk: kept[key]
        for place_pk, key in keys.items()
        if key in kept and (place_pk not in own_in or _authors_key(key) in kept)
    }
    missing = [place for place in thread.places if place.pk not in html]
    blocks = fetch_blocks(question, request.user, missing)
    # Beside the comments of the blocks built for this request alone.
    confirmations = (
        confirmations_beside(
            request,
            (
                entry.comment
                for place_pk, block in blocks.items()
                if keys[place_pk] is None
                for entry in block
            ),
        )
        if confirmed
        else {}
    )
    page = PageOfComments(reader, request=request) if blocks or own_in else None
    shared_page = None
    built, authors = {}, {}
    for place_pk, entries in blocks.items():
        key = keys[place_pk]
        if key is None or place_pk in alone:
            html[place_pk] = page.html(
                entries,
                page_address=page_address,
                confirmations=confirmations,
                moderator_ids=moderator_ids,
            )
        else:
            # For every reader of this kind, whoever wrote what: each author's comments
            # are listed with it (only a signed-in reader can have written any).
            if shared_page is None:
                shared_page = page.for_reader(
                    CommentReader(
                        user=request.user, consultation=consultation, as_another_author=True
                    )
                )
            views = shared_page.views(
                entries, page_address=page_address, moderator_ids=moderator_ids
            )
            fragments = shared_page.fragments(views)
            html[place_pk] = "".join(fragments)
            if reader.is_authenticated:
                authors[place_pk] = built[_authors_key(key)] = _by_author(entries, views, fragments)
        if key is not None:
            built[key] = html[place_pk]
    if built:
        pages.set_many(built)
    for place_pk in own_in:
        by_author = authors.get(place_pk) or kept[_authors_key(keys[place_pk])]
        spans = _spans_to_redraw(by_author, reader.pk, confirmed)
        html[place_pk] = _redrawn(html[place_pk], spans, page, question, confirmed)
        confirmations.update(
            (view.pk, confirmed[view.pk].message) for _, _, view in spans if view.pk in confirmed
        )
    return mark_safe("".join(html[place.pk] for place in thread.places)), confirmations
