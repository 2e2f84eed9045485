"""A question's page of answers put together from blocks, each kept on its own.

A block is a place at the top of the page (an answer, or a reply to a comment
the reader does not see) with every reply under it. It is kept in the "pages"
cache under its answer's `thread_version` (page_cache.answer_block_key), which
only a change to a comment of that answer's thread moves on. So after a post,
the next reader's page costs the counts, the page's places, and the one block
that changed; the others come as they were kept, without reading their rows.

A block holding a comment with a confirmation waiting beside it ("Thank you.
Your comment is published.") is built for this request alone.
"""

from django.contrib import messages
from django.core.cache import caches
from django.db.models.functions import Coalesce
from django.utils.safestring import mark_safe

from consultations.comment_views import CommentReader
from consultations.confirmations import confirmation_comment_id, confirmations_beside
from consultations.models import Comment
from consultations.page_cache import answer_block_key
from consultations.templatetags.comment_fragments import PageOfComments
from consultations.threads import QuestionThread, fetch_blocks


def _answers_with_confirmations(request) -> set[str]:
    """The thread keys of the answers under which a comment has a confirmation waiting."""
    confirmed = {
        comment_id
        for message in messages.get_messages(request)
        if (comment_id := confirmation_comment_id(message)) is not None
    }
    if not confirmed:
        return set()
    return set(
        Comment.objects.filter(pk__in=confirmed).values_list(
            Coalesce("answer_id", "thread_key"), flat=True
        )
    )


def render_page_of_answers(request, thread: QuestionThread, *, page_address: str, moderator_ids):
    """The HTML of the page's blocks in order, and the confirmations shown beside their
    comments (by comment id)."""
    question = thread.question
    consultation = question.consultation
    reader = CommentReader(user=request.user, consultation=consultation)
    confirmed_answers = _answers_with_confirmations(request)
    keys = {
        place.pk: None
        if place.answer_key in confirmed_answers
        else answer_block_key(
            request,
            consultation,
            reader,
            answer_key=place.answer_key,
            thread_version=place.thread_version,
            wrote_here=place.reader_wrote_here,
        )
        for place in thread.places
    }
    pages = caches["pages"]
    kept = pages.get_many([key for key in keys.values() if key is not None])
    html = {place_pk: kept[key] for place_pk, key in keys.items() if key in kept}
    missing = [place for place in thread.places if place.pk not in html]
    blocks = fetch_blocks(question, request.user, missing)
    confirmations = (
        confirmations_beside(
            request, (entry.comment for block in blocks.values() for entry in block)
        )
        if confirmed_answers
        else {}
    )
    page = PageOfComments(reader, request=request) if blocks else None
    built = {}
    for place_pk, entries in blocks.items():
        html[place_pk] = page.html(
            entries,
            page_address=page_address,
            confirmations=confirmations,
            moderator_ids=moderator_ids,
        )
        if keys[place_pk] is not None:
            built[keys[place_pk]] = html[place_pk]
    if built:
        pages.set_many(built)
    return mark_safe("".join(html[place.pk] for place in thread.places)), confirmations
