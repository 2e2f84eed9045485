"""The thread of one question: reading order, depth, indentation, placeholders."""

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings

from consultations.models import Comment, CommentStatus, arrange_thread
from consultations.threads import consultation_threads, question_thread
from tests.factories import make_comment, make_consultation, make_question, make_user

START = datetime(2030, 1, 6, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def bodies(thread) -> list[str]:
    return [entry.comment.body_source for entry in thread.entries]


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.mark.django_db
def test_thread_reads_depth_first_with_the_oldest_sibling_first(question, anonymous):
    # Written out of order on purpose: creation order must not decide.
    second = make_comment(question, body="second answer", created_at=at(20))
    first = make_comment(question, body="first answer", created_at=at(0))
    make_comment(question, parent=first, body="late reply to first", created_at=at(30))
    early_reply = make_comment(
        question, parent=first, body="early reply to first", created_at=at(5)
    )
    make_comment(question, parent=early_reply, body="reply to early reply", created_at=at(40))
    make_comment(question, parent=second, body="reply to second", created_at=at(25))

    assert bodies(question_thread(question, anonymous)) == [
        "first answer",
        "early reply to first",
        "reply to early reply",
        "late reply to first",
        "second answer",
        "reply to second",
    ]


@pytest.mark.django_db
def test_same_instant_siblings_are_ordered_by_id(question, anonymous):
    older = make_comment(question, body="written first", created_at=at(0))
    younger = make_comment(question, body="written second", created_at=at(0))
    assert older.pk < younger.pk
    assert bodies(question_thread(question, anonymous)) == ["written first", "written second"]


@pytest.mark.django_db
def test_depth_counts_the_replies_above(question, anonymous):
    parent = None
    for minute in range(4):
        parent = make_comment(
            question, parent=parent, body=f"level {minute}", created_at=at(minute)
        )
    entries = question_thread(question, anonymous).entries
    assert [entry.depth for entry in entries] == [0, 1, 2, 3]
    assert [entry.parent.body_source if entry.parent else None for entry in entries] == [
        None,
        "level 0",
        "level 1",
        "level 2",
    ]


@pytest.mark.django_db
def test_indent_stops_at_the_cap_while_depth_goes_on(question, anonymous):
    cap = settings.ROUNDTABLE_THREAD_MAX_INDENT
    parent = None
    for minute in range(cap + 3):
        parent = make_comment(
            question, parent=parent, body=f"level {minute}", created_at=at(minute)
        )
    entries = question_thread(question, anonymous).entries
    assert [entry.depth for entry in entries] == list(range(cap + 3))
    assert [entry.indent for entry in entries] == [*range(cap), cap, cap, cap]


class _CommentArticles(HTMLParser):
    """Collects, per comment article, its classes and whether it has an "In reply to" line."""

    def __init__(self):
        super().__init__()
        self.articles: dict[str, dict] = {}
        self._current = None
        self._in_reply_line = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "article" and (attributes.get("id") or "").startswith("comment-"):
            self._current = {"class": attributes.get("class", ""), "in_reply_to": None}
            self.articles[attributes["id"]] = self._current
        elif tag == "p" and "comment__in-reply-to" in (attributes.get("class") or ""):
            self._in_reply_line = True
        elif tag == "a" and self._in_reply_line and self._current is not None:
            self._current["in_reply_to"] = attributes.get("href")

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_reply_line = False


def comment_articles(html: str) -> dict[str, dict]:
    parser = _CommentArticles()
    parser.feed(html)
    return parser.articles


@pytest.mark.django_db
def test_deep_replies_keep_their_in_reply_to_line_beyond_the_indent_cap(client, question):
    cap = settings.ROUNDTABLE_THREAD_MAX_INDENT
    chain = []
    for minute in range(cap + 3):
        chain.append(
            make_comment(
                question,
                parent=chain[-1] if chain else None,
                body=f"level {minute}",
                created_at=at(minute),
            )
        )

    articles = comment_articles(client.get(question.get_absolute_url()).content.decode())

    for depth, comment in enumerate(chain):
        article = articles[f"comment-{comment.pk}"]
        assert f"comment--indent-{min(depth, cap)}" in article["class"].split()
        expected_parent = f"#comment-{chain[depth - 1].pk}" if depth else None
        assert article["in_reply_to"] == expected_parent


@pytest.mark.django_db
def test_reply_to_a_pending_comment_the_reader_cannot_see_comes_out_at_the_top(question, anonymous):
    pending = make_comment(
        question, body="held for review", status=CommentStatus.PENDING, created_at=at(0)
    )
    make_comment(question, parent=pending, body="reply to the held one", created_at=at(5))

    entries = question_thread(question, anonymous).entries

    assert [(entry.comment.body_source, entry.depth, entry.parent) for entry in entries] == [
        ("reply to the held one", 0, None)
    ]


@pytest.mark.django_db
def test_pending_comment_stays_in_place_for_its_author(question):
    author = make_user()
    pending = make_comment(
        question, author=author, body="mine, held", status=CommentStatus.PENDING, created_at=at(0)
    )
    make_comment(question, parent=pending, body="a reply", created_at=at(5))

    entries = question_thread(question, author).entries

    assert [(entry.comment.body_source, entry.depth) for entry in entries] == [
        ("mine, held", 0),
        ("a reply", 1),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [CommentStatus.HIDDEN, CommentStatus.WITHDRAWN])
def test_hidden_and_withdrawn_comments_keep_their_place_and_their_replies(
    question, anonymous, status
):
    parent = make_comment(question, body="the removed text", status=status, created_at=at(0))
    reply = make_comment(question, parent=parent, body="the reply", created_at=at(5))

    entries = question_thread(question, anonymous).entries

    assert [(entry.comment.pk, entry.depth) for entry in entries] == [(parent.pk, 0), (reply.pk, 1)]
    assert [entry.comment.body_source for entry in entries] == ["", "the reply"]
    assert entries[0].comment.is_placeholder
    assert not entries[1].comment.is_placeholder


@pytest.mark.django_db
def test_hidden_comment_is_a_placeholder_for_visitors(client, question):
    hidden = make_comment(
        question,
        body="Words a moderator removed",
        status=CommentStatus.HIDDEN,
        moderation_reason="personal data",
        created_at=at(0),
    )
    reply = make_comment(question, parent=hidden, body="A reply that stays", created_at=at(5))

    html = client.get(question.get_absolute_url()).content.decode()

    assert "Words a moderator removed" not in html
    assert "This comment was hidden by a moderator: personal data" in html
    assert "A reply that stays" in html
    assert comment_articles(html)[f"comment-{reply.pk}"]["in_reply_to"] == f"#comment-{hidden.pk}"


@pytest.mark.django_db
def test_withdrawn_comment_is_a_placeholder_without_its_author(client, question):
    author = make_user(display_name="Withdrawing Author")
    withdrawn = make_comment(
        question,
        author=author,
        body="Words taken back",
        status=CommentStatus.WITHDRAWN,
        created_at=at(0),
    )
    make_comment(question, parent=withdrawn, body="A reply that stays", created_at=at(5))

    html = client.get(question.get_absolute_url()).content.decode()

    assert "Words taken back" not in html
    assert "Withdrawn by its author" in html
    assert "Withdrawing Author" not in html
    assert "In reply to" in html and "a withdrawn comment" in html
    assert "A reply that stays" in html


@pytest.mark.django_db
def test_placeholders_are_not_counted_as_comments(question, anonymous):
    make_comment(question, status=CommentStatus.HIDDEN, created_at=at(0), language="fr")
    make_comment(question, status=CommentStatus.WITHDRAWN, created_at=at(1), language="fr")
    make_comment(question, created_at=at(2), language="fr")
    make_comment(question, created_at=at(3), language="es")

    thread = question_thread(question, anonymous)

    assert thread.comment_count == 2
    assert thread.language_counts == {"en": 0, "fr": 1, "es": 1, "other": 0}


@pytest.mark.django_db
def test_language_filter_keeps_only_that_language_but_counts_all(question, anonymous):
    make_comment(question, body="in French", language="fr", created_at=at(0))
    make_comment(question, body="in Spanish", language="es", created_at=at(1))

    thread = question_thread(question, anonymous, language="es")

    assert bodies(thread) == ["in Spanish"]
    assert thread.language_counts["fr"] == 1


@pytest.mark.django_db
def test_consultation_threads_keep_each_question_apart_with_counts_and_answers_only(
    consultation, anonymous
):
    first = make_question(consultation, number=1)
    second = make_question(consultation, number=2)
    answer = make_comment(first, body="on the first", created_at=at(0))
    make_comment(second, body="on the second", created_at=at(1))
    make_comment(first, parent=answer, body="reply on the first", created_at=at(2))

    threads = {
        thread.question.number: thread for thread in consultation_threads(consultation, anonymous)
    }

    assert bodies(threads[1]) == ["on the first"]
    assert (threads[1].answer_count, threads[1].reply_count) == (1, 1)
    assert bodies(threads[2]) == ["on the second"]
    assert (threads[2].answer_count, threads[2].reply_count) == (1, 0)


@pytest.mark.django_db
def test_consultation_threads_show_the_latest_few_answers_newest_first(
    consultation, anonymous, settings
):
    settings.ROUNDTABLE_LATEST_ANSWERS_SHOWN = 2
    question = make_question(consultation, number=1)
    for minutes in range(4):
        make_comment(question, body=f"answer {minutes}", created_at=at(minutes))

    (thread,) = consultation_threads(consultation, anonymous)

    assert bodies(thread) == ["answer 3", "answer 2"]
    assert thread.answer_count == 4


@pytest.mark.django_db
def test_the_latest_answers_are_each_questions_own_and_only_those_the_reader_sees(
    consultation, anonymous, settings
):
    settings.ROUNDTABLE_LATEST_ANSWERS_SHOWN = 2
    busy = make_question(consultation, number=1)
    quiet = make_question(consultation, number=2)
    make_question(consultation, number=3)
    author = make_user()
    for minutes in range(3):
        make_comment(busy, body=f"busy {minutes}", created_at=at(minutes))
    make_comment(busy, author=author, body="busy pending", status="pending", created_at=at(5))
    same_moment = [make_comment(quiet, body=f"quiet {n}", created_at=at(1)) for n in range(3)]
    make_comment(quiet, body="a newer reply", parent=same_moment[0], created_at=at(8))
    other = make_question(make_consultation(), number=1)
    make_comment(other, body="elsewhere", created_at=at(9))

    for_visitor = {
        thread.question.number: bodies(thread)
        for thread in consultation_threads(consultation, anonymous)
    }
    for_author = {
        thread.question.number: bodies(thread)
        for thread in consultation_threads(consultation, author)
    }

    assert for_visitor == {
        1: ["busy 2", "busy 1"],
        2: ["quiet 2", "quiet 1"],  # the same moment: the later one first
        3: [],
    }
    assert for_author[1] == ["busy pending", "busy 2"]


@pytest.mark.django_db
def test_no_latest_answers_when_the_site_shows_none(consultation, anonymous, settings):
    settings.ROUNDTABLE_LATEST_ANSWERS_SHOWN = 0
    question = make_question(consultation, number=1)
    make_comment(question, body="an answer")

    (thread,) = consultation_threads(consultation, anonymous)

    assert bodies(thread) == []
    assert thread.answer_count == 1


@pytest.mark.django_db
def test_arrange_thread_takes_comments_in_any_order(question):
    root = make_comment(question, body="root", created_at=at(0))
    child = make_comment(question, parent=root, body="child", created_at=at(1))
    grandchild = make_comment(question, parent=child, body="grandchild", created_at=at(2))

    entries = arrange_thread([grandchild, root, child])

    assert [entry.comment for entry in entries] == [root, child, grandchild]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "html_lang"), [("fr", "fr"), ("es", "es"), ("other", "und")])
def test_a_comment_body_is_marked_with_its_language(client, language, html_lang):
    comment = make_comment(body="Words in some language.", language=language)
    html = client.get(comment.question.get_absolute_url()).content.decode()
    assert f'lang="{html_lang}" id="comment-{comment.pk}-body"' in html


# --- Hidden means not fetched ------------------------------------------------------------

SECRET_WORDS = {
    CommentStatus.HIDDEN: "Hidden: the recruiter's home address",
    CommentStatus.WITHDRAWN: "Withdrawn: second thoughts on the levy",
    CommentStatus.PENDING: "Pending: a draft not yet approved",
}


@pytest.fixture
def fetched_rows(monkeypatch):
    """Every row the database sends back while the test runs, as one string each."""
    from django.db.models.sql import compiler

    rows: list[str] = []
    original = compiler.cursor_iter

    def recording(*args, **kwargs):
        for chunk in original(*args, **kwargs):
            rows.extend(repr(row) for row in chunk)
            yield chunk

    monkeypatch.setattr(compiler, "cursor_iter", recording)
    return rows


@pytest.fixture
def removed_comments(question):
    """One comment of each status whose text a visitor may not read, each with a reply."""
    author = make_user(display_name="Ines Moreau")
    for minutes, (status, words) in enumerate(SECRET_WORDS.items()):
        parent = make_comment(
            question,
            author=author,
            body=words,
            status=status,
            moderation_reason="Personal data" if status == CommentStatus.HIDDEN else "",
            created_at=at(minutes * 10),
        )
        make_comment(question, parent=parent, body=f"A reply {minutes}", created_at=at(60))
    return question


def _leaked(rows: list[str]) -> list[str]:
    return [words for words in SECRET_WORDS.values() if any(words in row for row in rows)]


@pytest.mark.parametrize("page", ["question", "consultation"])
def test_a_visitor_page_never_fetches_hidden_withdrawn_or_pending_text(
    client, removed_comments, fetched_rows, django_assert_max_num_queries, page
):
    url = (
        removed_comments.get_absolute_url()
        if page == "question"
        else removed_comments.consultation.get_absolute_url()
    )

    response = client.get(url)

    assert response.status_code == 200
    if page == "question":
        assert "A reply 0" in response.text  # the thread rendered
    assert "This comment was hidden by a moderator: Personal data" in response.text
    assert fetched_rows, "the recorder saw the rows"
    assert _leaked(fetched_rows) == []


def test_a_stakeholder_fetches_the_text_of_their_own_pending_comment_only(
    client_for, question, fetched_rows
):
    author = make_user()
    make_comment(question, author=author, body="My own pending words", status="pending")
    make_comment(question, body=SECRET_WORDS[CommentStatus.HIDDEN], status="hidden")

    response = client_for(author).get(question.get_absolute_url())

    assert "My own pending words" in response.text
    assert _leaked(fetched_rows) == []


def test_a_moderator_of_the_consultation_fetches_hidden_text_but_not_withdrawn(
    client_for, removed_comments, moderator, fetched_rows
):
    response = client_for(moderator).get(removed_comments.get_absolute_url())

    assert SECRET_WORDS[CommentStatus.HIDDEN] in response.text
    assert _leaked(fetched_rows) == [
        SECRET_WORDS[CommentStatus.HIDDEN],
        SECRET_WORDS[CommentStatus.PENDING],
    ]


def test_a_placeholder_never_loads_its_text_later(removed_comments, anonymous):
    entries = question_thread(removed_comments, anonymous).entries
    placeholders = [entry.comment for entry in entries if entry.comment.is_placeholder]

    assert len(placeholders) == 2
    for comment in placeholders:
        assert comment.get_deferred_fields() == set()
        assert (comment.body_source, comment.body_html, comment.body_text) == ("", "", "")


@pytest.mark.django_db
def test_subtrees_of_a_page_of_answers_hold_every_reply_and_nothing_else(question):
    first = make_comment(question, body="first", created_at=at(0))
    second = make_comment(question, body="second", created_at=at(1))
    reply = make_comment(question, parent=first, body="reply", created_at=at(2))
    deep = make_comment(question, parent=reply, body="deep", created_at=at(3))
    make_comment(question, parent=second, body="under the second", created_at=at(4))
    answers = Comment.objects.for_question(question).answers().order_by("created_at")

    from_a_query = Comment.objects.in_subtrees_of(answers[:1])
    from_keys = Comment.objects.in_subtrees_of([first.thread_key])

    assert set(from_a_query) == set(from_keys) == {first, reply, deep}
    assert list(Comment.objects.in_subtrees_of(answers.none())) == []
