"""What a page needs to show the comments of one question or one consultation.

Each function costs a fixed number of queries whatever the thread's size.
A question page shows one page of answers: the counts in one query, the
page's answers with every reply under them, their authors and the reader's
translations in one more, their files in one more. The text of a comment
the reader may not read (hidden, withdrawn, someone else's pending one) is not
fetched at all.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from consultations import rules
from consultations.models import (
    Comment,
    CommentLanguage,
    CommentStatus,
    Consultation,
    Question,
    ThreadEntry,
    arrange_thread,
)
from documents.models import CommentAttachment
from forum.compiled_queries import compiled_rows, padded

OLDEST_FIRST, NEWEST_FIRST = "oldest", "newest"
ANSWER_ORDERS = (OLDEST_FIRST, NEWEST_FIRST)

_PLACEHOLDER_STATUSES = (CommentStatus.HIDDEN, CommentStatus.WITHDRAWN)
_NOT_PLACEHOLDER = ~Q(status__in=_PLACEHOLDER_STATUSES)
# Each comment's files as a list (consultations.comment_views reads it): a plain
# prefetch_related would copy a queryset for every comment.
_ATTACHMENTS = Prefetch("attachments", to_attr="listed_attachments")


@dataclass(frozen=True)
class Place:
    """A comment at the top level of a page of answers for its reader (an answer, or a
    reply to a comment they do not see), with what its block is kept under: its
    answer's thread key and versions, whether the reader wrote anything under
    that answer, and whether something of theirs there awaits approval (which only they
    and the moderators see)."""

    pk: int
    thread_key: str
    answer_key: str
    thread_version: int
    thread_edit_version: int
    reader_wrote_here: bool
    reader_waits_here: bool


@dataclass
class QuestionThread:
    question: Question
    entries: list[ThreadEntry]
    # A page of answers (not one language's comments): its blocks' top comments.
    places: list[Place] = field(default_factory=list)
    language_counts: dict[str, int] = field(default_factory=dict)
    comment_count: int = 0
    answer_count: int = 0
    page: Page | None = None
    order: str = OLDEST_FIRST

    @property
    def reply_count(self) -> int:
        return self.comment_count - self.answer_count


def _visible(question: Question, reader):
    return Comment.objects.for_question(question).visible_to(reader)


def _readable(comments, reader, *, moderates: bool, language: str):
    return (
        comments.with_clarification_state()
        .with_text_only_where_readable(reader, moderates=moderates)
        .with_translation_into(language)
    )


def _top_level(visible) -> Q:
    """Answers, and replies to a comment this reader does not see (a pending one):
    those are shown at the top level."""
    return Q(parent__isnull=True) | ~Exists(visible.filter(thread_key=OuterRef("parent_id")))


def _counts_query(question: Question, reader):
    visible = _visible(question, reader)
    return (
        visible.order_by()
        .values(
            "language",
            "status",
            is_answer=ExpressionWrapper(Q(parent__isnull=True), output_field=BooleanField()),
            is_place=ExpressionWrapper(_top_level(visible), output_field=BooleanField()),
        )
        .annotate(number=Count("pk"))
    )


def _counts(question: Question, reader) -> dict[str, int]:
    """Places at the top level (placeholders too); answers, comments and comments per
    language (placeholders not counted).

    One row per kind of comment, summed here: the same counts as an aggregate with a
    filter for each, whose SQL took the ORM three times as long to build (it repeats
    the reader's visibility rule in each). The SQL is compiled once per kind of reader.
    """
    rows = compiled_rows(
        "question counts",
        _counts_query,
        key=(rules.reader_roles(reader),),
        question=question,
        reader=reader,
    )
    counts = {"places": 0, "answers": 0, "comments": 0}
    counts |= {f"language_{code}": 0 for code in CommentLanguage.values}
    for row in rows:
        number = row["number"]
        if row["is_place"]:
            counts["places"] += number
        if row["status"] in _PLACEHOLDER_STATUSES:
            continue
        counts["comments"] += number
        if row["is_answer"]:
            counts["answers"] += number
        if row["language"] in CommentLanguage.values:
            counts[f"language_{row['language']}"] += number
    return counts


def _newest_or_oldest(comments, order: str):
    if order == NEWEST_FIRST:
        return comments.order_by("-created_at", "-pk")
    return comments.order_by("created_at", "pk")


def question_thread(
    question: Question,
    reader,
    *,
    language: str | None = None,
    page_number=1,
    order: str = OLDEST_FIRST,
    per_page: int | None = None,
    with_entries: bool = True,
) -> QuestionThread:
    """One page of the question's answers, each with all its replies.

    With a `language`, the page holds the comments in that language (answers
    and replies alike, in the order asked). A page number that is not one
    gives the first page, one past the end the last. `per_page` defaults to
    the site's setting. Without `with_entries`, a page of answers comes with
    its places only: `fetch_blocks` fetches the blocks that are not kept.
    """
    counts = _counts(question, reader)
    language_counts = {code: counts[f"language_{code}"] for code in CommentLanguage.values}
    per_page = per_page or settings.ROUNDTABLE_ANSWERS_PER_PAGE
    shown = language_counts[language] if language else counts["places"]
    page = Paginator(range(shown), per_page).get_page(page_number)
    start = (page.number - 1) * per_page
    thread = QuestionThread(
        question=question,
        entries=[],
        language_counts=language_counts,
        comment_count=counts["comments"],
        answer_count=counts["answers"],
        page=page,
        order=order,
    )
    if language:
        comments = _newest_or_oldest(
            _readable(
                _visible(question, reader).filter(_NOT_PLACEHOLDER, language=language),
                reader,
                moderates=rules.is_moderator_of(reader, question.consultation),
                language=get_language(),
            ).select_related("author"),
            order,
        )[start : start + per_page]
        thread.entries = [
            ThreadEntry(comment=comment, depth=0, parent=None)
            for comment in _with_attachments(comments, question)
        ]
        return thread
    thread.places = _places(question, reader, order, slice(start, start + per_page))
    if with_entries:
        thread.entries = [
            entry
            for block in fetch_blocks(question, reader, thread.places).values()
            for entry in block
        ]
    return thread


def _places_query(question: Question, reader, *, order: str, bounds: slice):
    visible = _visible(question, reader)
    answer_key = Coalesce("answer_id", "thread_key")
    if reader.is_authenticated:
        written_here = Comment.objects.filter(author=reader).filter(
            Q(thread_key=OuterRef("block_answer_key")) | Q(answer_id=OuterRef("block_answer_key"))
        )
        wrote_here = Exists(written_here)
        waits_here = Exists(written_here.filter(status=CommentStatus.PENDING))
    else:
        wrote_here = waits_here = Value(False)
    rows = (
        _newest_or_oldest(visible.filter(_top_level(visible)), order)
        .annotate(
            block_answer_key=answer_key,
            block_version=Coalesce("answer__thread_version", "thread_version"),
            block_edit_version=Coalesce("answer__thread_edit_version", "thread_edit_version"),
            block_wrote_here=wrote_here,
            block_waits_here=waits_here,
        )
        .values_list(
            "pk",
            "thread_key",
            "block_answer_key",
            "block_version",
            "block_edit_version",
            "block_wrote_here",
            "block_waits_here",
        )
    )
    return rows[bounds]


def _places(question: Question, reader, order: str, bounds: slice) -> list[Place]:
    """The `bounds` slice of the question's places in `order`, in one query compiled once
    per kind of reader, order and slice."""
    rows = compiled_rows(
        "places of a page",
        lambda question, reader: _places_query(question, reader, order=order, bounds=bounds),
        key=(rules.reader_roles(reader), order, bounds.start, bounds.stop),
        question=question,
        reader=reader,
    )
    return [Place(*row) for row in rows]


def _with_attachments(comments, question: Question) -> list[Comment]:
    comments = list(comments.prefetch_related(_ATTACHMENTS))
    for comment in comments:
        comment.question = question
    return comments


def _files_of_answers_query(question: Question, answer_keys: list[str]):
    return CommentAttachment.objects.filter(
        Q(comment__answer_id__in=answer_keys) | Q(comment__thread_key__in=answer_keys),
        comment__question=question,
    )


def _attach_files_of_answers(comments, question: Question, answer_keys: list[str]) -> None:
    """Each comment's files as `listed_attachments`, and its question, from one query for
    the files of these answers' threads: a prefetch by the comments' ids would send one
    parameter per comment, hundreds on a page, and cost ten times as much."""
    files = compiled_rows(
        "files of answers",
        _files_of_answers_query,
        key=(),
        question=question,
        answer_keys=answer_keys,
    )
    by_comment = {}
    for attachment in files:
        by_comment.setdefault(attachment.comment_id, []).append(attachment)
    for comment in comments:
        comment.listed_attachments = by_comment.get(comment.pk, [])
        comment.question = question


def _blocks_query(question: Question, reader, thread_keys: list[str], *, moderates, language):
    return _readable(
        _visible(question, reader).in_subtrees_of(thread_keys),
        reader,
        moderates=moderates,
        language=language,
    ).in_thread_order()


def _how_read(question: Question, reader) -> tuple[bool, str]:
    """Whether `reader` moderates the question's consultation, and the language a
    comment's translation is read in: what a block's rows depend on beside the reader's
    roles."""
    return (
        rules.is_moderator_of(reader, question.consultation),
        (get_language() or "").split("-")[0],
    )


def fetch_blocks(question: Question, reader, places: list[Place]) -> dict[int, list[ThreadEntry]]:
    """The block of each of `places`, by the place's id in their order: the place and
    every reply under it that the reader sees, in reading order, in one query (and
    one for their files). A reply under a comment the reader does not see is a place of
    its own, so it is in its own block, not in the one above it."""
    if not places:
        return {}
    moderates, language = _how_read(question, reader)
    comments = compiled_rows(
        "blocks of a page",
        lambda question, reader, thread_keys: _blocks_query(
            question, reader, thread_keys, moderates=moderates, language=language
        ),
        key=(rules.reader_roles(reader), moderates, language),
        question=question,
        reader=reader,
        thread_keys=[place.thread_key for place in places],
    )
    _attach_files_of_answers(comments, question, sorted({place.answer_key for place in places}))
    blocks: dict[int, list[ThreadEntry]] = {place.pk: [] for place in places}
    block = None
    for entry in arrange_thread(comments):
        if entry.depth == 0:
            block = blocks.get(entry.comment.pk)
        if block is not None:
            block.append(entry)
    return blocks


@dataclass(frozen=True)
class _Outline:
    """A comment's place in its thread, without what it says (`fetch_block_outlines`)."""

    pk: int
    thread_key: str
    parent_id: str | None
    created_at: object


@dataclass(frozen=True)
class OutlineEntry:
    """A comment of a block as the page places it: its id, its depth, and the id of the
    comment it replies to (None for the block's top comment)."""

    pk: int
    depth: int
    parent_pk: int | None


def fetch_block_outlines(
    question: Question, reader, places: list[Place]
) -> dict[int, list[OutlineEntry]]:
    """The comments of each of `places`' blocks as `fetch_blocks` would give them, in
    the same order and depth, from their ids, keys and dates alone: a kept block is
    compared with it to find the comments posted since (consultations/answer_blocks.py).
    One query, compiled once per kind of reader and number of places."""
    if not places:
        return {}
    moderates = rules.is_moderator_of(reader, question.consultation)
    rows = compiled_rows(
        "outlines of blocks",
        lambda question, reader, thread_keys: (
            _visible(question, reader)
            .in_subtrees_of(thread_keys)
            .order_by()
            .values_list("pk", "thread_key", "parent_id", "created_at")
        ),
        key=(rules.reader_roles(reader), moderates),
        question=question,
        reader=reader,
        thread_keys=[place.thread_key for place in places],
    )
    blocks: dict[int, list[OutlineEntry]] = {place.pk: [] for place in places}
    block = None
    for entry in arrange_thread(_Outline(*row) for row in rows):
        if entry.depth == 0:
            block = blocks.get(entry.comment.pk)
        if block is not None:
            parent_pk = entry.parent.pk if entry.parent is not None else None
            block.append(OutlineEntry(entry.comment.pk, entry.depth, parent_pk))
    return blocks


def fetch_comments_of_blocks(
    question: Question, reader, pks: list[int], answer_keys: list[str]
) -> dict[int, Comment]:
    """The comments with these ids, of the blocks of these answers, as `fetch_blocks`
    reads them (with their files), by id. Compiled once per kind of reader, number of
    answers and power of two the number of comments rounds up to."""
    moderates, language = _how_read(question, reader)
    comments = compiled_rows(
        "comments of blocks",
        lambda question, reader, pks: _readable(
            _visible(question, reader).filter(pk__in=pks),
            reader,
            moderates=moderates,
            language=language,
        ).in_thread_order(),
        key=(rules.reader_roles(reader), moderates, language),
        question=question,
        reader=reader,
        pks=padded(pks),
    )
    _attach_files_of_answers(comments, question, answer_keys)
    return {comment.pk: comment for comment in comments}


def _latest_answer_ids(questions: list[Question], reader, count: int):
    """The ids of each question's `count` latest answers this reader sees, as a subquery:
    the n-th latest of every question, for each n, each found by one lookup in the index
    of answers by question and time (ranking all the answers instead read them all)."""
    if count < 1:
        return Comment.objects.none().values("pk")
    of_question = (
        Comment.objects.filter(question=OuterRef("pk"))
        .visible_to(reader)
        .answers()
        .order_by("-created_at", "-pk")
        .values("pk")
    )
    places = Question.objects.filter(pk__in=[question.pk for question in questions]).order_by()
    nth_latest = [
        places.annotate(answer=Subquery(of_question[n : n + 1])).values("answer")
        for n in range(count)
    ]
    return nth_latest[0].union(*nth_latest[1:], all=True)


def consultation_threads(consultation: Consultation, reader) -> list[QuestionThread]:
    """Each question with its counts and its latest few answers (without their replies)."""
    questions = list(consultation.questions.all())
    # By the questions' ids rather than a join to the questions: each question's
    # comments are then found through the comment indexes that start with the
    # question, however many other comments the table holds.
    visible = Comment.objects.filter(
        question__in=[question.pk for question in questions]
    ).visible_to(reader)
    counts = {
        row["question_id"]: row
        for row in visible.order_by()
        .values("question_id")
        .annotate(
            answers=Count("pk", filter=Q(parent__isnull=True) & _NOT_PLACEHOLDER),
            comments=Count("pk", filter=_NOT_PLACEHOLDER),
        )
    }
    shown = _latest_answer_ids(questions, reader, settings.ROUNDTABLE_LATEST_ANSWERS_SHOWN)
    latest = (
        _readable(
            Comment.objects.filter(pk__in=shown),
            reader,
            moderates=rules.is_moderator_of(reader, consultation),
            language=get_language(),
        )
        .select_related("author")
        .order_by("-created_at", "-pk")
    )
    by_question: dict[int, list[ThreadEntry]] = {question.pk: [] for question in questions}
    questions_by_pk = {question.pk: question for question in questions}
    for comment in latest.prefetch_related(_ATTACHMENTS):
        comment.question = questions_by_pk[comment.question_id]
        by_question[comment.question_id].append(ThreadEntry(comment=comment, depth=0, parent=None))
    threads = []
    for question in questions:
        question.consultation = consultation
        question_counts = counts.get(question.pk, {"answers": 0, "comments": 0})
        threads.append(
            QuestionThread(
                question=question,
                entries=by_question[question.pk],
                comment_count=question_counts["comments"],
                answer_count=question_counts["answers"],
                order=NEWEST_FIRST,
            )
        )
    return threads
