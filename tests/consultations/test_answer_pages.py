"""A question's answers in pages: each answer with all its replies, the reader's order
remembered, permalinks that open the page holding the comment, bad page numbers."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from consultations.models import CommentStatus, attach_thread_pages
from tests.factories import make_comment, make_user

START = datetime(2030, 1, 6, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.fixture
def two_per_page(settings):
    settings.ROUNDTABLE_ANSWERS_PER_PAGE = 2


@pytest.fixture
def five_answers(question, two_per_page):
    """Answers 0..4, oldest first; answer 1 has a reply with a reply of its own."""
    answers = [
        make_comment(question, body=f"Answer number {n} on labour mobility", created_at=at(n * 10))
        for n in range(5)
    ]
    reply = make_comment(
        question, parent=answers[1], body="A reply on remittance costs", created_at=at(45)
    )
    deep = make_comment(question, parent=reply, body="A deep reply on visas", created_at=at(46))
    return {"answers": answers, "reply": reply, "deep": deep}


# Each shown comment's text, in the order of the page.
COMMENT_TEXT = re.compile(r'<div class="comment__body[^"]*"[^>]*><p>(.*?)</p>', re.S)


def shown_bodies(response) -> list[str]:
    return COMMENT_TEXT.findall(response.content.decode())


def test_the_first_page_holds_the_oldest_answers_with_every_reply(client, question, five_answers):
    response = client.get(question.get_absolute_url())

    assert shown_bodies(response) == [
        "Answer number 0 on labour mobility",
        "Answer number 1 on labour mobility",
        "A reply on remittance costs",
        "A deep reply on visas",
    ]


def test_the_last_page_holds_what_is_left(client, question, five_answers):
    response = client.get(question.get_absolute_url() + "?page=3")

    assert shown_bodies(response) == ["Answer number 4 on labour mobility"]


def test_newest_first_is_remembered_in_a_cookie_and_kept_in_the_links(
    client, question, five_answers
):
    chosen = client.get(question.get_absolute_url() + "?answers=newest&page=2")

    assert chosen.status_code == 302
    assert chosen["Location"] == question.get_absolute_url() + "?order=newest#comments-heading"
    later = client.get(question.get_absolute_url())  # no order in the address: the cookie
    assert shown_bodies(later)[:2] == [
        "Answer number 4 on labour mobility",
        "Answer number 3 on labour mobility",
    ]
    assert "?order=newest&amp;page=2" in later.content.decode()


def test_the_order_in_the_address_wins_over_the_remembered_one(client, question, five_answers):
    client.get(question.get_absolute_url() + "?answers=newest")

    response = client.get(question.get_absolute_url() + "?order=oldest")

    assert shown_bodies(response)[0] == "Answer number 0 on labour mobility"


def test_replies_stay_oldest_first_under_their_answer_when_answers_are_newest_first(
    client, question, five_answers
):
    response = client.get(question.get_absolute_url() + "?order=newest&page=2")

    assert shown_bodies(response) == [
        "Answer number 2 on labour mobility",
        "Answer number 1 on labour mobility",
        "A reply on remittance costs",
        "A deep reply on visas",
    ]


def test_a_comment_address_carries_the_page_of_its_answer(question, five_answers):
    deep_on_first_page = five_answers["deep"]
    last_answer = five_answers["answers"][4]

    assert deep_on_first_page.get_absolute_url() == (
        f"{question.get_absolute_url()}?order=oldest&page=1#comment-{deep_on_first_page.pk}"
    )
    assert last_answer.get_absolute_url() == (
        f"{question.get_absolute_url()}?order=oldest&page=3#comment-{last_answer.pk}"
    )


def test_pages_of_many_comments_are_found_in_one_query(
    question, five_answers, django_assert_num_queries
):
    comments = [*five_answers["answers"], five_answers["deep"]]

    with django_assert_num_queries(1):
        attach_thread_pages(comments)
        pages = [comment.page_in_thread() for comment in comments]

    assert pages == [1, 1, 2, 2, 3, 1]


def test_the_reference_opens_the_page_that_holds_the_comment(client, question, five_answers):
    answer = five_answers["answers"][3]
    reference_url = reverse(
        "consultations:reference",
        kwargs={"slug": question.consultation.slug, "reference": answer.reference},
    )

    response = client.get(reference_url, follow=True)

    assert response.redirect_chain[-1][0].endswith(f"?order=oldest&page=2#comment-{answer.pk}")
    assert "Answer number 3 on labour mobility" in shown_bodies(response)


def test_a_permalink_to_a_hidden_reply_opens_the_page_with_its_placeholder(
    client, question, five_answers
):
    hidden = five_answers["reply"]
    hidden.status = CommentStatus.HIDDEN
    hidden.moderation_reason = "Personal data"
    hidden.save()

    response = client.get(hidden.get_absolute_url())

    assert f'id="comment-{hidden.pk}"' in response.content.decode()
    assert "This comment was hidden by a moderator: Personal data" in response.content.decode()


@pytest.mark.parametrize(
    ("asked", "shown"), [("abc", 1), ("-3", 1), ("0", 1), ("99", 3), ("2.5", 1)]
)
def test_a_page_that_is_not_one_redirects_to_the_first_or_last(
    client, question, five_answers, asked, shown
):
    response = client.get(question.get_absolute_url() + f"?order=oldest&page={asked}")

    assert response.status_code == 302
    assert response["Location"] == (
        f"{question.get_absolute_url()}?order=oldest&page={shown}#comments-heading"
    )


def test_the_pages_work_without_javascript(client, question, five_answers):
    html = client.get(question.get_absolute_url() + "?order=oldest&page=2").content.decode()

    assert '<nav class="pagination answer-pages" aria-label="Pages of answers"' in html
    assert '<span aria-current="page">Page 2</span>' in html
    assert 'rel="prev">Previous page</a>' in html
    assert (
        'href="/en/consultations/' in html and '?order=oldest&amp;page=3#comments-heading"' in html
    )


def test_a_short_thread_has_no_page_links(client, question):
    make_comment(question, body="The only answer so far")

    assert "answer-pages" not in client.get(question.get_absolute_url()).content.decode()


def test_the_consultation_page_shows_counts_and_latest_answers_only(client, question, settings):
    settings.ROUNDTABLE_LATEST_ANSWERS_SHOWN = 2
    answers = [
        make_comment(question, body=f"Answer {n} about circular migration", created_at=at(n))
        for n in range(3)
    ]
    make_comment(question, parent=answers[0], body="A reply nobody sees here", created_at=at(9))

    html = client.get(question.consultation.get_absolute_url()).content.decode()

    assert "3 answers" in html and "1 reply" in html
    assert "Answer 2 about circular migration" in html
    assert "Answer 1 about circular migration" in html
    assert "Answer 0 about circular migration" not in html
    assert "A reply nobody sees here" not in html


def test_the_moderation_queue_is_paged(client_for, question, moderator, monkeypatch):
    from consultations.views import moderation

    monkeypatch.setattr(moderation, "QUEUE_COMMENTS_PER_PAGE", 2)
    for n in range(3):
        make_comment(question, body=f"Held answer {n}", status=CommentStatus.PENDING)
    browser = client_for(moderator)

    first = browser.get(reverse("consultations:moderation_queue"))
    last = browser.get(reverse("consultations:moderation_queue") + "?page=9")

    assert "3 comments waiting for a decision" in first.content.decode()
    assert len(first.context["comments"]) == 2
    assert [comment.body_source for comment in last.context["comments"]] == ["Held answer 2"]


def test_a_reader_sees_their_own_pending_answer_on_the_page(client_for, question, two_per_page):
    author = make_user()
    make_comment(question, body="Published first", created_at=at(0))
    make_comment(
        question, author=author, body="My pending answer", status="pending", created_at=at(1)
    )

    response = client_for(author).get(question.get_absolute_url())

    assert shown_bodies(response) == ["Published first", "My pending answer"]


def test_the_console_lists_consultations_in_pages(client_for, secretariat, monkeypatch):
    from consultations.views import secretariat as secretariat_views
    from tests.factories import make_consultation

    monkeypatch.setattr(secretariat_views, "CONSOLE_CONSULTATIONS_PER_PAGE", 2)
    for _ in range(3):
        make_consultation(state="open")
    browser = client_for(secretariat)

    first = browser.get(reverse("consultations:console"))
    second = browser.get(reverse("consultations:console") + "?page=2")

    assert len(first.context["consultations"]) == 2
    assert 'rel="next"' in first.content.decode()
    assert len(second.context["consultations"]) == 1


def test_the_audit_log_is_paged(client_for, question, secretariat, moderator, monkeypatch):
    from consultations.services.moderation import question_lock, question_unlock
    from consultations.views import secretariat as secretariat_views

    monkeypatch.setattr(secretariat_views, "LOG_ENTRIES_PER_PAGE", 1)
    question_lock(moderator=moderator, question=question)
    question_unlock(moderator=moderator, question=question)

    response = client_for(secretariat).get(reverse("consultations:audit_log") + "?page=2")

    assert len(response.context["page"].object_list) == 1
    assert response.context["page"].number == 2


def test_a_reply_to_an_answer_awaiting_approval_has_its_own_place_and_its_permalink_finds_it(
    client, question, two_per_page
):
    """A visitor does not see the waiting answer, so its replies stand in the order of
    answers as places of their own: the permalinks must count them the same way."""
    waiting = make_comment(
        question, body="Waiting answer", created_at=at(0), status=CommentStatus.PENDING
    )
    orphans = [
        make_comment(question, parent=waiting, body=f"Reply {n} to it", created_at=at(n))
        for n in range(1, 4)
    ]
    later = [
        make_comment(question, body=f"Later answer {n}", created_at=at(10 + n)) for n in range(3)
    ]
    nested = make_comment(question, parent=later[2], body="Under a later one", created_at=at(20))
    comments = [*orphans, *later, nested]
    attach_thread_pages(comments)

    for comment in comments:
        page = client.get(comment.get_absolute_url()).content.decode()
        assert f'id="comment-{comment.pk}"' in page, comment.body_source
    assert [comment.page_in_thread() for comment in comments] == [1, 1, 2, 2, 3, 3, 3]
