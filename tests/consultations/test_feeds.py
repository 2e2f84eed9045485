"""Atom feeds of the latest published comments of a consultation and a question (issue 7, point 5).

Feeds are read as XML, the way a feed reader does: the Atom namespace, one
entry per published comment, links to the comment's anchor, the language of
the URL prefix. Hidden, pending and withdrawn text never reaches a feed.
"""

import xml.etree.ElementTree as ElementTree
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from consultations.feeds import FEED_LENGTH
from consultations.models import CommentStatus
from tests.factories import make_comment, make_consultation, make_question, make_user

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def consultation_feed_url(consultation, language="en"):
    with translation.override(language):
        return reverse("consultations:feed", kwargs={"slug": consultation.slug})


def question_feed_url(question, language="en"):
    with translation.override(language):
        return reverse(
            "consultations:question_feed",
            kwargs={"slug": question.consultation.slug, "number": question.number},
        )


def read_feed(client, url) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)


def entries(feed) -> list[ElementTree.Element]:
    return feed.findall(f"{ATOM}entry")


def entry_links(feed) -> list[str]:
    return [entry.find(f"{ATOM}link").get("href") for entry in entries(feed)]


@pytest.fixture
def thread(question):
    """Published answers and a reply, and one comment in every other status."""
    start = timezone.now() - timedelta(days=1)
    author = make_user(display_name="Amina Diallo", organisation="Coastal Migrants Network")
    answer = make_comment(
        question,
        author=author,
        body="Recruitment **fees** should be paid by employers.",
        created_at=start,
    )
    reply = make_comment(
        question,
        parent=answer,
        body="Agreed: our union saw workers arrive owing four months' wages.",
        created_at=start + timedelta(hours=1),
    )
    hidden = make_comment(
        question,
        body="HIDDEN text with a phone number.",
        status=CommentStatus.HIDDEN,
        moderation_reason="Personal data",
        created_at=start + timedelta(hours=2),
    )
    pending = make_comment(
        question,
        body="PENDING text a moderator has not read.",
        status=CommentStatus.PENDING,
        created_at=start + timedelta(hours=3),
    )
    withdrawn = make_comment(
        question,
        body="WITHDRAWN text its author took back.",
        status=CommentStatus.WITHDRAWN,
        created_at=start + timedelta(hours=4),
    )
    return {
        "answer": answer,
        "reply": reply,
        "hidden": hidden,
        "pending": pending,
        "withdrawn": withdrawn,
    }


# --- A valid Atom feed ---------------------------------------------------------------------


def test_consultation_feed_is_atom_with_an_entry_per_published_comment(client, thread, question):
    feed = read_feed(client, consultation_feed_url(question.consultation))

    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text
    assert feed.find(f"{ATOM}updated").text
    assert len(entries(feed)) == 2
    for entry in entries(feed):
        for child in ("title", "id", "updated", "published", "author", "content"):
            assert entry.find(f"{ATOM}{child}") is not None, child


def test_entries_come_newest_first_and_link_to_the_comments_anchor(client, thread, question):
    feed = read_feed(client, consultation_feed_url(question.consultation))

    assert entry_links(feed) == [
        f"http://testserver/en/consultations/{question.consultation.slug}/questions/1/"
        f"?order=oldest&page=1#comment-{comment.pk}"
        for comment in (thread["reply"], thread["answer"])
    ]


def test_an_entry_names_its_author_and_carries_the_sanitized_text(client, thread, question):
    feed = read_feed(client, consultation_feed_url(question.consultation))
    answer = entries(feed)[-1]

    assert answer.find(f"{ATOM}title").text == "Amina Diallo answered question 1"
    assert answer.find(f"{ATOM}author/{ATOM}name").text == (
        "Amina Diallo, Coastal Migrants Network"
    )
    content = answer.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert content.text == thread["answer"].body_html
    assert "<strong>fees</strong>" in content.text


@pytest.mark.parametrize(("language", "marked"), [("es", "es"), ("fr", "fr"), ("other", None)])
def test_each_comment_keeps_the_language_it_was_written_in(client, question, language, marked):
    make_comment(question, body="Las remesas sostienen a las familias.", language=language)

    feed = read_feed(client, question_feed_url(question, "fr"))

    assert feed.get(XML_LANG) == "fr"
    assert entries(feed)[0].find(f"{ATOM}content").get(XML_LANG) == marked


def test_a_reply_is_titled_as_a_reply(client, thread, question):
    feed = read_feed(client, consultation_feed_url(question.consultation))

    assert entries(feed)[0].find(f"{ATOM}title").text.endswith("replied on question 1")


def test_the_feed_links_to_the_page_and_to_itself(client, thread, question):
    slug = question.consultation.slug
    feed = read_feed(client, consultation_feed_url(question.consultation))
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}

    assert links["alternate"] == f"http://testserver/en/consultations/{slug}/"
    assert links["self"] == f"http://testserver/en/consultations/{slug}/feed/"


def test_an_edited_comment_says_when_it_was_updated(client, question):
    posted = timezone.now() - timedelta(days=2)
    make_comment(question, created_at=posted, edited_at=posted + timedelta(hours=5))
    entry = entries(read_feed(client, question_feed_url(question)))[0]

    published = entry.find(f"{ATOM}published").text
    updated = entry.find(f"{ATOM}updated").text
    assert published < updated


def test_the_feed_is_cut_to_the_latest_comments(client, question):
    start = timezone.now() - timedelta(days=3)
    for minutes in range(FEED_LENGTH + 5):
        make_comment(question, created_at=start + timedelta(minutes=minutes))

    assert len(entries(read_feed(client, question_feed_url(question)))) == FEED_LENGTH


def test_an_empty_discussion_is_still_a_valid_feed(client, question):
    feed = read_feed(client, question_feed_url(question))

    assert feed.tag == f"{ATOM}feed"
    assert entries(feed) == []


# --- Per question ------------------------------------------------------------------------


def test_question_feed_holds_only_that_questions_comments(client, thread, question):
    other = make_question(question.consultation, number=2)
    elsewhere = make_comment(other, body="On the second question.")

    feed = read_feed(client, question_feed_url(question))
    other_feed = read_feed(client, question_feed_url(other))

    assert len(entries(feed)) == 2
    assert [link.rsplit("#", 1)[1] for link in entry_links(other_feed)] == [
        f"comment-{elsewhere.pk}"
    ]


def test_question_feed_is_titled_with_the_question(client, question):
    feed = read_feed(client, question_feed_url(question))

    assert feed.find(f"{ATOM}title").text == (
        f"Latest comments on question 1: Question 1 of {question.consultation.slug}"
    )


# --- Language ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_feed_speaks_the_language_of_its_address(client, thread, question, language):
    question.consultation.title_fr = "Consultation sur les frais de recrutement"
    question.consultation.save()

    feed = read_feed(client, consultation_feed_url(question.consultation, language))

    assert feed.get(XML_LANG) == language
    assert all(f"/{language}/consultations/" in link for link in entry_links(feed))


def test_a_french_feed_has_french_titles(client, thread, question):
    consultation = question.consultation
    consultation.title_fr = "Consultation sur les frais de recrutement"
    consultation.save()

    feed = read_feed(client, consultation_feed_url(consultation, "fr"))

    assert feed.find(f"{ATOM}title").text == (
        "Derniers commentaires sur «\u00a0Consultation sur les frais de recrutement\u00a0»"
    )
    assert entries(feed)[-1].find(f"{ATOM}title").text == ("Amina Diallo a répondu à la question 1")


# --- Never a leak --------------------------------------------------------------------------


@pytest.mark.parametrize("feed", ["consultation", "question"])
@pytest.mark.parametrize("who", ["visitor", "author", "moderator"])
def test_hidden_pending_and_withdrawn_text_never_reach_a_feed(
    request, client, client_for, thread, question, feed, who
):
    # Even the people who may read that text on the site get the public feed.
    reader = {
        "visitor": client,
        "author": client_for(thread["pending"].author),
        "moderator": client_for(request.getfixturevalue("moderator")),
    }[who]
    url = (
        consultation_feed_url(question.consultation)
        if feed == "consultation"
        else question_feed_url(question)
    )

    content = reader.get(url).content.decode()

    for status in ("hidden", "pending", "withdrawn"):
        assert status.upper() not in content
        assert f"#comment-{thread[status].pk}" not in content


def test_an_edited_comment_back_in_the_queue_leaves_the_feed(client, question):
    comment = make_comment(question, body="Published at first.")
    url = question_feed_url(question)
    assert len(entries(read_feed(client, url))) == 1

    comment.status = CommentStatus.PENDING
    comment.save()

    assert entries(read_feed(client, url)) == []


# --- Bad input: a clear 404 ----------------------------------------------------------------


def test_a_draft_consultation_has_no_feed(client, client_for, secretariat):
    draft = make_consultation(state="draft")
    question = make_question(draft, number=1)
    make_comment(question, body="Written while it was a draft.")

    # Not even for the secretariat, who may read the draft itself: feeds are public.
    for reader in (client, client_for(secretariat)):
        assert reader.get(consultation_feed_url(draft)).status_code == 404
        assert reader.get(question_feed_url(question)).status_code == 404


def test_a_question_that_does_not_exist_has_no_feed(client, question):
    url = f"/en/consultations/{question.consultation.slug}/questions/99/feed/"

    response = client.get(url)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/en/consultations/no-such-consultation/feed/",
        "/en/consultations/no-such-consultation/questions/1/feed/",
        "/en/consultations/{slug}/questions/0/feed/",
        "/en/consultations/{slug}/questions/not-a-number/feed/",
        "/en/consultations/{slug}/questions/99999999999999999999/feed/",
    ],
)
def test_feed_addresses_that_lead_nowhere_are_a_404(client, question, path):
    response = client.get(path.format(slug=question.consultation.slug))

    assert response.status_code == 404


# --- Linked from the pages -----------------------------------------------------------------


class _AlternateFeeds(HTMLParser):
    """The addresses of a page's `<link rel="alternate" type="application/atom+xml">`."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if (
            tag == "link"
            and attributes.get("rel") == "alternate"
            and attributes.get("type") == "application/atom+xml"
        ):
            self.found.append(attributes["href"])


def _alternate_feeds(response) -> list[str]:
    parser = _AlternateFeeds()
    parser.feed(response.content.decode())
    return parser.found


def test_the_consultation_page_links_its_feed(client, question):
    response = client.get(question.consultation.get_absolute_url())

    assert _alternate_feeds(response) == [consultation_feed_url(question.consultation)]


def test_the_question_page_links_its_feed_and_the_consultations(client, question):
    with translation.override("fr"):
        response = client.get(question.get_absolute_url())

    assert _alternate_feeds(response) == [
        question_feed_url(question, "fr"),
        consultation_feed_url(question.consultation, "fr"),
    ]


def test_a_draft_page_shown_to_the_secretariat_links_no_feed(client_for, secretariat):
    draft = make_consultation(state="draft")

    response = client_for(secretariat).get(draft.get_absolute_url())

    assert response.status_code == 200
    assert _alternate_feeds(response) == []


def _feed_queries(client, question, answers: int) -> int:
    for _number in range(answers):
        make_comment(question)
    client.get(question_feed_url(question))  # the site's name and domain are cached after this
    with CaptureQueriesContext(connection) as queries:
        assert client.get(question_feed_url(question)).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_a_feed_costs_the_same_queries_for_few_or_many_entries(client):
    few = make_question(make_consultation(state="open", slug="few"), number=1)
    many = make_question(make_consultation(state="open", slug="many"), number=1)

    assert _feed_queries(client, few, 2) == _feed_queries(client, many, 30)
