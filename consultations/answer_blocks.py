"""A question's page of answers put together from blocks, each kept on its own.

A block is a place at the top of the page (an answer, or a reply to a comment
the reader does not see) with every reply under it. It is kept in the "pages"
cache under its answer's `thread_version` (page_cache.answer_block_key), which
only a change to a comment of that answer's thread moves on. So after a post,
the next reader's page costs the counts, the page's places, and the one block
that changed; the others come as they were kept, without reading their rows.

A block changed by nothing but new comments since it was kept (its answer's
`thread_edit_version` has not moved) is not read again either: its outline
(ids, keys and dates: threads.fetch_block_outlines) shows where the new
comments stand, and only they are read and drawn into the kept HTML. A reply
in a thread of hundreds costs a few comments' work, not the thread's. The
latest block kept for a place is named under a key without its version
(page_cache.answer_block_lineage_key), and the one it supersedes is dropped.

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

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.core.cache import caches
from django.db.models.functions import Coalesce
from django.utils.safestring import mark_safe

from consultations.comment_views import CommentReader, as_written_by_reader
from consultations.confirmations import confirmation_comment_id, confirmations_beside
from consultations.models import Comment, ThreadEntry
from consultations.page_cache import answer_block_key, answer_block_lineage_key
from consultations.templatetags.comment_fragments import PageOfComments
from consultations.threads import (
    QuestionThread,
    fetch_block_outlines,
    fetch_blocks,
    fetch_comments_of_blocks,
)


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
    """Where what is kept beside a block (`_KeptBlock`) is."""
    return f"{block_key}:authors"


@dataclass(frozen=True)
class _KeptBlock:
    """Beside a block kept for every reader of a kind: where each comment's HTML ends in
    it, in order, and each author's comments' views, pickled by author so that a reader
    unpickles their own only, not the views of a thread of hundreds of comments."""

    ends: tuple[tuple[int, int], ...]  # (comment id, where its HTML ends)
    by_author: dict[int, bytes]  # author id: pickled ((comment id, view), ...)

    def spans(self) -> dict[int, tuple[int, int]]:
        """Where each comment's HTML starts and ends in the block, by comment id."""
        spans, start = {}, 0
        for pk, end in self.ends:
            spans[pk] = (start, end)
            start = end
        return spans

    def views_of(self, author_id) -> tuple:
        pickled = self.by_author.get(author_id)
        return pickle.loads(pickled) if pickled is not None else ()


@dataclass(frozen=True)
class _Lineage:
    """The block last kept for every reader of a kind of a place, and its versions."""

    key: str
    thread_version: int
    thread_edit_version: int


def _pickled_by_author(views_by_author: dict[int, list]) -> dict[int, bytes]:
    return {
        author: pickle.dumps(tuple(views), pickle.HIGHEST_PROTOCOL)
        for author, views in views_by_author.items()
    }


def _spans_to_redraw(kept: _KeptBlock, reader_id, confirmed: dict) -> list:
    """The (start, end, view) of the comments of a kept block that its reader sees
    otherwise than the readers it was kept for: their own, and those with a
    confirmation waiting beside them; in the block's order."""
    views = dict(kept.views_of(reader_id))
    for author_id in {confirmation.author_id for confirmation in confirmed.values()}:
        if author_id != reader_id:
            views.update((pk, view) for pk, view in kept.views_of(author_id) if pk in confirmed)
    if not views:
        return []
    spans = kept.spans()
    return sorted((*spans[pk], view) for pk, view in views.items())


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


class _SharedBlocks:
    """Blocks built for every reader of the request's reader's kind, whoever wrote what,
    with each author's comments listed beside (only a signed-in reader can have written
    any): from their rows, or from a block kept before and the comments posted since."""

    def __init__(self, page: PageOfComments, *, page_address, moderator_ids):
        reader = page.reader
        self.lists_authors = reader.is_authenticated
        self.page = page.for_reader(
            CommentReader(
                user=reader.user, consultation=reader.consultation, as_another_author=True
            )
        )
        self.page_address = page_address
        self.moderator_ids = moderator_ids

    def _drawn(self, entries) -> tuple[list, list[str]]:
        views = self.page.views(
            entries, page_address=self.page_address, moderator_ids=self.moderator_ids
        )
        return views, self.page.fragments(views)

    def built(self, entries) -> tuple[str, _KeptBlock]:
        """The block of `entries` (ThreadEntry) and what is kept beside it."""
        views, fragments = self._drawn(entries)
        ends, end, by_author = [], 0, {}
        for entry, view, fragment in zip(entries, views, fragments, strict=True):
            end += len(fragment)
            ends.append((view.pk, end))
            if self.lists_authors:
                by_author.setdefault(entry.comment.author_id, []).append((view.pk, view))
        kept = _KeptBlock(ends=tuple(ends), by_author=_pickled_by_author(by_author))
        return "".join(fragments), kept

    def appended(self, html: str, kept: _KeptBlock, outline, comments) -> tuple[str, _KeptBlock]:
        """The block `html` (with `kept` beside it) with the comments of `outline`
        (OutlineEntry, in the block's order) it lacks drawn in their places, from
        `comments` (by id)."""
        spans = kept.spans()
        new = [entry for entry in outline if entry.pk not in spans]
        views, fragments = self._drawn(
            [
                ThreadEntry(
                    comment=comments[entry.pk],
                    depth=entry.depth,
                    parent=comments.get(entry.parent_pk),
                )
                for entry in new
            ]
        )
        drawn = {view.pk: fragment for view, fragment in zip(views, fragments, strict=True)}
        pieces, ends, end = [], [], 0
        for entry in outline:
            if entry.pk in drawn:
                piece = drawn[entry.pk]
            else:
                start, stop = spans[entry.pk]
                piece = html[start:stop]
            pieces.append(piece)
            end += len(piece)
            ends.append((entry.pk, end))
        by_author = dict(kept.by_author)
        if self.lists_authors:
            added = {}
            for view in views:
                author_id = comments[view.pk].author_id
                added.setdefault(author_id, list(kept.views_of(author_id))).append((view.pk, view))
            by_author.update(_pickled_by_author(added))
        return "".join(pieces), _KeptBlock(ends=tuple(ends), by_author=by_author)


def _new_in(kept: _KeptBlock, outline) -> list:
    """The entries of `outline` (OutlineEntry) that the kept block lacks."""
    kept_pks = {pk for pk, _ in kept.ends}
    return [entry for entry in outline if entry.pk not in kept_pks]


def _lacks_only_new_comments(kept: _KeptBlock, outline) -> bool:
    """Whether the block `outline` (OutlineEntry) describes is the kept one with comments
    added in places of their own: every comment kept is there, in the same order."""
    kept_order = [pk for pk, _ in kept.ends]
    kept_pks = set(kept_order)
    return [entry.pk for entry in outline if entry.pk in kept_pks] == kept_order


def _earlier_blocks(pages, lineage_keys: dict, places: dict) -> tuple[dict, list[str]]:
    """For each place (by id) whose block was last kept for its readers' kind at an
    earlier `thread_version` with nothing changed since but new comments (by its
    `thread_edit_version`): that block's HTML and what is kept beside it. And the keys
    of the blocks kept at earlier versions, which the ones built now supersede."""
    lineages = pages.get_many(list(lineage_keys.values()))
    earlier, superseded = {}, []
    for place_pk, lineage_key in lineage_keys.items():
        lineage, place = lineages.get(lineage_key), places[place_pk]
        if lineage is None or lineage.thread_version >= place.thread_version:
            continue
        superseded += [lineage.key, _authors_key(lineage.key)]
        if lineage.thread_edit_version == place.thread_edit_version:
            earlier[place_pk] = lineage.key
    kept = pages.get_many([*earlier.values(), *map(_authors_key, earlier.values())])
    blocks = {
        place_pk: (kept[key], kept[_authors_key(key)])
        for place_pk, key in earlier.items()
        if key in kept and _authors_key(key) in kept
    }
    return blocks, superseded


def _short_only_of_new_comments(question, reader, earlier: dict, places: dict):
    """Of the `earlier` blocks (`_earlier_blocks`), those the comments posted since are
    all that is missing from, each with its outline (OutlineEntry); and those comments
    and the ones they reply to, by id."""
    outlines = fetch_block_outlines(question, reader, [places[pk] for pk in earlier])
    earlier = {
        place_pk: (html, kept, outlines[place_pk])
        for place_pk, (html, kept) in earlier.items()
        if _lacks_only_new_comments(kept, outlines[place_pk])
    }
    if not earlier:
        return {}, {}
    needed = {
        place_pk: {
            pk
            for entry in _new_in(kept, outline)
            for pk in (entry.pk, entry.parent_pk)
            if pk is not None
        }
        for place_pk, (_, kept, outline) in earlier.items()
    }
    comments = fetch_comments_of_blocks(
        question,
        reader,
        sorted(set().union(*needed.values())),
        sorted({places[place_pk].answer_key for place_pk in earlier}),
    )
    # A comment out of sight since its outline was read (held again after an edit, say):
    # that block is built from its rows instead.
    return {
        place_pk: block
        for place_pk, block in earlier.items()
        if needed[place_pk] <= comments.keys()
    }, comments


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
    kept_beside = {place_pk: kept.get(_authors_key(keys[place_pk])) for place_pk in own_in}
    missing = {place.pk: place for place in thread.places if place.pk not in html}
    lineage_keys = {
        place_pk: answer_block_lineage_key(
            request, consultation, reader, place_key=place.thread_key
        )
        for place_pk, place in missing.items()
        if keys[place_pk] is not None and place_pk not in alone
    }
    earlier, superseded = (
        _earlier_blocks(pages, lineage_keys, missing) if lineage_keys else ({}, [])
    )
    earlier, new_comments = _short_only_of_new_comments(question, request.user, earlier, missing)
    blocks = fetch_blocks(
        question, request.user, [place for pk, place in missing.items() if pk not in earlier]
    )
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
    page = PageOfComments(reader, request=request) if missing or own_in else None
    shared_blocks = (
        _SharedBlocks(page, page_address=page_address, moderator_ids=moderator_ids)
        if missing
        else None
    )
    built = {}

    def keep(place_pk, block_html, beside):
        place = missing[place_pk]
        html[place_pk], kept_beside[place_pk] = block_html, beside
        built.update(
            {
                keys[place_pk]: block_html,
                _authors_key(keys[place_pk]): beside,
                lineage_keys[place_pk]: _Lineage(
                    keys[place_pk], place.thread_version, place.thread_edit_version
                ),
            }
        )

    for place_pk, (block_html, beside, outline) in earlier.items():
        keep(place_pk, *shared_blocks.appended(block_html, beside, outline, new_comments))
    for place_pk, entries in blocks.items():
        key = keys[place_pk]
        if key is None or place_pk in alone:
            html[place_pk] = page.html(
                entries,
                page_address=page_address,
                confirmations=confirmations,
                moderator_ids=moderator_ids,
            )
            if key is not None:
                built[key] = html[place_pk]
        else:
            keep(place_pk, *shared_blocks.built(entries))
    if superseded:
        pages.delete_many(superseded)
    if built:
        pages.set_many(built)
    for place_pk in own_in:
        spans = _spans_to_redraw(kept_beside[place_pk], reader.pk, confirmed)
        html[place_pk] = _redrawn(html[place_pk], spans, page, question, confirmed)
        confirmations.update(
            (view.pk, confirmed[view.pk].message) for _, _, view in spans if view.pk in confirmed
        )
    return mark_safe("".join(html[place.pk] for place in thread.places)), confirmations
