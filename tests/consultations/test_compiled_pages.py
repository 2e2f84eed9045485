"""A question's page read through SQL compiled once (consultations/threads.py).

The counts, the places of a page of answers, the blocks under them and their
files are read with SQL compiled once per kind of reader (and order, slice,
language), then run with each reader's, question's and comments' ids. Every
kind of reader must get, through it, exactly what the queries built for them
by the ORM give: the readers take turns on the same compiled SQL, so a fact
of the reader that changes the SQL but is missing from its key shows here.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from consultations import threads
from consultations.models import CommentStatus, CommentTranslation
from consultations.services.moderation import comment_request_clarification
from documents.services import comment_attachments_add
from forum import compiled_queries
from tests.documents import samples
from tests.factories import (
    as_signed_in,
    make_comment,
    make_consultation,
    make_global_moderator,
    make_question,
    make_secretariat_member,
    make_translator,
    make_user,
)

pytestmark = pytest.mark.django_db


def _built_by_the_orm(name, build, *, key, **values):
    return list(build(**values))


@pytest.fixture
def consultation_with_readers(settings):
    settings.ROUNDTABLE_ANSWERS_PER_PAGE = 3
    author, moderator, elsewhere = make_user(), make_user(), make_user()
    consultation = make_consultation(moderators=[moderator])
    make_consultation(moderators=[elsewhere])
    questions = [make_question(consultation), make_question(consultation)]
    for number, question in enumerate(questions):
        answers = [make_comment(question, author=make_user()) for _ in range(4 + number)]
        reply = make_comment(question, parent=answers[0], language="fr")
        make_comment(question, parent=reply)
        pending = make_comment(
            question, parent=answers[1], author=author, status=CommentStatus.PENDING
        )
        make_comment(question, parent=pending)
        make_comment(question, author=author, status=CommentStatus.PENDING)
        make_comment(
            question, parent=answers[2], status=CommentStatus.HIDDEN, moderation_reason="Off topic."
        )
        make_comment(question, parent=answers[3], status=CommentStatus.WITHDRAWN)
        make_comment(question, parent=answers[0], author=author)
        CommentTranslation.objects.create(
            comment=answers[0],
            language="fr",
            body_source="Une réponse traduite.",
            body_html="<p>Une réponse traduite.</p>",
            translator=make_translator(),
        )
        comment_attachments_add(comment=reply, files=[samples.pdf("Note on the reply.pdf")])
        comment_request_clarification(
            moderator=moderator,
            comment=answers[2],
            message="Which region do you mean?",
            language="en",
        )
    readers = {
        "visitor": AnonymousUser(),
        "the pending comments' author": author,
        "the consultation's moderator": moderator,
        "another stakeholder": make_user(),
        "a global moderator": make_global_moderator(),
        "a moderator elsewhere": elsewhere,
        "the secretariat": make_secretariat_member(),
    }
    return questions, readers


def _what_the_page_shows(question, person, *, order, page_number):
    reader = as_signed_in(person)
    thread = threads.question_thread(
        question, reader, order=order, page_number=page_number, with_entries=False
    )
    blocks = threads.fetch_blocks(question, reader, thread.places)
    outlines = threads.fetch_block_outlines(question, reader, thread.places)
    # As a kept block short of new comments reads them (consultations/answer_blocks.py).
    comments = threads.fetch_comments_of_blocks(
        question,
        reader,
        sorted(entry.comment.pk for block in blocks.values() for entry in block),
        sorted({place.answer_key for place in thread.places}),
    )
    return {
        "counts": (thread.comment_count, thread.answer_count, thread.language_counts),
        "page": thread.page.number,
        "places": thread.places,
        "blocks": {
            place: [(*_as_shown(entry.comment), entry.depth) for entry in block]
            for place, block in blocks.items()
        },
        "outlines": {
            place: [(entry.pk, entry.depth, entry.parent_pk) for entry in outline]
            for place, outline in outlines.items()
        },
        "comments of blocks": {pk: _as_shown(comment) for pk, comment in comments.items()},
    }


def _as_shown(comment) -> tuple:
    return (
        comment.pk,
        comment.status,
        comment.body_html,
        comment.author.display_name,
        comment.awaits_clarification,
        comment.reader_translation and comment.reader_translation.body_html,
        [attachment.pk for attachment in comment.listed_attachments],
    )


def test_every_reader_gets_what_the_queries_built_for_them_give(
    consultation_with_readers, monkeypatch
):
    questions, readers = consultation_with_readers
    compiled_queries._compiled_shapes.clear()
    pages = [
        (language, question, order, page_number)
        for language in ("en", "fr")
        for question in questions
        for order in (threads.OLDEST_FIRST, threads.NEWEST_FIRST)
        for page_number in (1, 2, 3)
    ]

    def every_page():
        shown = {}
        for language, question, order, page_number in pages:
            with translation.override(language):
                for reader_name, person in readers.items():
                    shown[(reader_name, language, question.pk, order, page_number)] = (
                        _what_the_page_shows(question, person, order=order, page_number=page_number)
                    )
        return shown

    compiled = every_page()
    monkeypatch.setattr(threads, "compiled_rows", _built_by_the_orm)
    built = every_page()

    assert compiled.keys() == built.keys()
    for where, shown in compiled.items():
        assert shown == built[where], where
        # A block's outline is the block, without what its comments say.
        assert {
            place: [(pk, depth) for pk, depth, _ in outline]
            for place, outline in shown["outlines"].items()
        } == {
            place: [(row[0], row[-1]) for row in block] for place, block in shown["blocks"].items()
        }, where
        assert shown["comments of blocks"] == {
            row[0]: row[:-1] for block in shown["blocks"].values() for row in block
        }, where


def test_the_rules_still_hold_through_the_compiled_queries(consultation_with_readers):
    questions, readers = consultation_with_readers
    compiled_queries._compiled_shapes.clear()
    question = questions[0]
    seen = {}
    for reader_name in ("the pending comments' author", "another stakeholder", "visitor"):
        shown = _what_the_page_shows(
            question, readers[reader_name], order=threads.OLDEST_FIRST, page_number=1
        )
        seen[reader_name] = {
            status for block in shown["blocks"].values() for _, status, *_ in block
        }
        seen[reader_name] |= {
            status
            for page_number in (2, 3)
            for block in _what_the_page_shows(
                question, readers[reader_name], order=threads.OLDEST_FIRST, page_number=page_number
            )["blocks"].values()
            for _, status, *_ in block
        }

    assert CommentStatus.PENDING in seen["the pending comments' author"]
    assert CommentStatus.PENDING not in seen["another stakeholder"]
    assert CommentStatus.PENDING not in seen["visitor"]


def test_a_value_that_is_not_an_id_or_text_is_refused():
    with pytest.raises(TypeError):
        compiled_queries.compiled_rows("refused", lambda flag: None, key=(), flag=True)
