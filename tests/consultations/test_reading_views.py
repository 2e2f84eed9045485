"""What each reader sees on the list, consultation, question and reply pages."""

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse

from consultations.models import CommentStatus
from tests.assertions import rendered_page
from tests.factories import make_comment, make_consultation, make_question, make_user

NOW = datetime(2031, 6, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.textarea_ids: list[str] = []
        self.form_actions: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.classes_text: dict[str, list[str]] = {}
        self._link = None
        self._open_classes: list[list[str]] = []
        self._in_template = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "template":
            self._in_template += 1
        if self._in_template:
            return
        if tag == "textarea":
            self.textarea_ids.append(attributes.get("id", ""))
        if tag == "form":
            self.form_actions.append(attributes.get("action", ""))
        if tag == "a":
            self._link = [attributes.get("href", ""), ""]
            self.links.append(self._link)

    def handle_endtag(self, tag):
        if tag == "template":
            self._in_template -= 1
        if tag == "a":
            self._link = None

    def handle_data(self, data):
        if self._link is not None:
            self._link[1] += data


def page(response) -> _Page:
    assert response.status_code == 200, response.status_code
    parser = _Page()
    parser.feed(response.content.decode())
    return parser


def text(response) -> str:
    return " ".join(response.content.decode().split())


def reply_url(comment) -> str:
    return reverse("consultations:comment_reply", kwargs={"comment_id": comment.pk})


# --- The list --------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_each_window_in_words(client):
    make_consultation(
        title="An open one", opens_at=NOW - 5 * DAY, closes_at=datetime(2031, 6, 30, 17, tzinfo=UTC)
    )
    make_consultation(
        title="An upcoming one",
        opens_at=datetime(2031, 7, 14, 9, tzinfo=UTC),
        closes_at=NOW + 60 * DAY,
    )
    make_consultation(
        title="A closed one",
        opens_at=NOW - 60 * DAY,
        closes_at=datetime(2031, 5, 2, 17, tzinfo=UTC),
    )

    with time_machine.travel(NOW, tick=False):
        content = text(client.get("/en/"))

    assert "Open until 30 June 2031" in content
    assert "Opens on 14 July 2031" in content
    assert "Closed on 2 May 2031" in content
    assert content.index("An open one") < content.index("An upcoming one")
    assert content.index("An upcoming one") < content.index("A closed one")


@pytest.mark.django_db
def test_list_window_changes_at_the_closing_instant(client):
    closes = datetime(2031, 6, 30, 17, tzinfo=UTC)
    make_consultation(title="Closing", opens_at=NOW, closes_at=closes)
    with time_machine.travel(closes - timedelta(seconds=1), tick=False):
        assert "Open until 30 June 2031" in text(client.get("/en/"))
    with time_machine.travel(closes, tick=False):
        assert "Closed on 30 June 2031" in text(client.get("/en/"))


@pytest.mark.django_db
def test_list_window_changes_at_the_opening_instant(client):
    opens = datetime(2031, 7, 1, 9, tzinfo=UTC)
    make_consultation(title="Opening", opens_at=opens, closes_at=opens + 30 * DAY)
    with time_machine.travel(opens - timedelta(seconds=1), tick=False):
        assert "Opens on 1 July 2031" in text(client.get("/en/"))
    with time_machine.travel(opens, tick=False):
        assert "Open until 31 July 2031" in text(client.get("/en/"))


@pytest.mark.django_db
def test_drafts_are_not_listed_for_visitors(client):
    make_consultation(state="draft", title="Still being written")
    assert "Still being written" not in text(client.get("/en/"))


@pytest.mark.django_db
def test_drafts_are_listed_for_the_secretariat(client_for, secretariat):
    make_consultation(state="draft", title="Still being written")
    content = text(client_for(secretariat).get("/en/"))
    assert "Still being written" in content
    assert "Draft, not published" in content


# --- Drafts are not found --------------------------------------------------------------


@pytest.mark.django_db
def test_draft_consultation_and_its_questions_are_not_found_for_visitors(client):
    question = make_question(make_consultation(state="draft"))
    assert client.get(question.consultation.get_absolute_url()).status_code == 404
    assert client.get(question.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_reply_page_of_a_comment_in_a_draft_is_not_found(client, stakeholder_client):
    comment = make_comment(make_question(make_consultation(state="draft")))
    assert client.get(reply_url(comment)).status_code == 404
    assert stakeholder_client.get(reply_url(comment)).status_code == 404


@pytest.mark.django_db
def test_reply_page_does_not_quote_a_pending_comment_to_others(
    client, stakeholder_client, question
):
    pending = make_comment(question, status=CommentStatus.PENDING, body="Unapproved words here.")
    for reader in (client, stakeholder_client):
        response = reader.get(reply_url(pending))
        assert response.status_code == 404
        assert "Unapproved words here." not in response.content.decode()


# --- The question page for each kind of reader ------------------------------------------


@pytest.mark.django_db
def test_visitor_is_invited_to_log_in_and_gets_no_form(client, question):
    make_comment(question, body="An answer already there.")
    response = client.get(question.get_absolute_url())
    parsed = page(response)
    assert "Log in to post a comment" in text(response)
    assert parsed.textarea_ids == []
    assert f"{question.get_absolute_url()}#answer-errors" not in parsed.form_actions
    login_links = [href for href, label in parsed.links if label == "Log in to post a comment"]
    assert login_links == [f"{reverse('account_login')}?next={question.get_absolute_url()}"]


@pytest.mark.django_db
def test_unverified_user_is_asked_to_verify_and_gets_no_form(client_for, unverified_user, question):
    response = client_for(unverified_user).get(question.get_absolute_url())
    assert "Please verify your email address before you post" in text(response)
    assert page(response).textarea_ids == []


@pytest.mark.django_db
def test_verified_stakeholder_gets_the_answer_form(stakeholder_client, question):
    response = stakeholder_client.get(question.get_absolute_url())
    parsed = page(response)
    assert parsed.textarea_ids == ["id_body"]
    assert f"{question.get_absolute_url()}#answer-errors" in parsed.form_actions
    assert "Log in to post a comment" not in text(response)


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["stakeholder", "visitor"])
def test_closed_question_says_so_and_has_no_form(stakeholder_client, client, reader):
    consultation = make_consultation(
        opens_at=datetime(2024, 2, 1, 9, tzinfo=UTC),
        closes_at=datetime(2024, 3, 15, 17, 30, tzinfo=UTC),
    )
    question = make_question(consultation)
    browser = stakeholder_client if reader == "stakeholder" else client
    response = browser.get(question.get_absolute_url())
    assert "This consultation is closed. It closed on 15 March 2024, 17:30" in text(response)
    assert "Log in to post a comment" not in text(response)
    assert page(response).textarea_ids == []


@pytest.mark.django_db
def test_locked_question_says_so_and_has_no_form(stakeholder_client, consultation):
    question = make_question(consultation, is_locked=True)
    response = stakeholder_client.get(question.get_absolute_url())
    assert "A moderator has locked this question" in text(response)
    assert page(response).textarea_ids == []


@pytest.mark.django_db
def test_stakeholder_sees_a_reply_link_on_each_published_comment(stakeholder_client, question):
    first = make_comment(question)
    second = make_comment(question, parent=first)
    hidden = make_comment(question, status=CommentStatus.HIDDEN)
    hrefs = [
        href for href, label in page(stakeholder_client.get(question.get_absolute_url())).links
    ]
    assert reply_url(first) in hrefs
    assert reply_url(second) in hrefs
    assert reply_url(hidden) not in hrefs


@pytest.mark.django_db
def test_visitor_sees_no_reply_link(client, question):
    comment = make_comment(question)
    hrefs = [href for href, label in page(client.get(question.get_absolute_url())).links]
    assert reply_url(comment) not in hrefs


@pytest.mark.django_db
def test_comment_shows_its_author_organisation_and_permalink(client, question):
    author = make_user(display_name="Nadia Haddad", organisation="Harbour Workers Union")
    comment = make_comment(question, author=author, body="Portable pensions matter.")
    response = client.get(question.get_absolute_url())
    content = text(response)
    assert "Nadia Haddad" in content and "Harbour Workers Union" in content
    assert f"{question.get_absolute_url()}?order=oldest&page=1#comment-{comment.pk}" in [
        href for href, _label in page(response).links
    ]


@pytest.mark.django_db
def test_moderator_reply_carries_the_badge(client, question, moderator):
    make_comment(question, author=moderator, body="Could you give a concrete example?")
    assert "Moderator" in text(client.get(question.get_absolute_url()))


@pytest.mark.django_db
def test_comment_bodies_are_rendered_from_the_stored_safe_html(client, question):
    make_comment(question, body="<script>alert('x')</script> *fine*")
    content = client.get(question.get_absolute_url()).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert" in content
    assert "<em>fine</em>" in content


# --- The consultation page ------------------------------------------------------------


@pytest.mark.django_db
def test_consultation_page_invites_visitors_to_log_in(client, question):
    response = client.get(question.consultation.get_absolute_url())
    assert "Log in to post a comment" in text(response)
    assert "Answer this question" not in text(response)


@pytest.mark.django_db
def test_consultation_page_offers_stakeholders_to_answer(stakeholder_client, question):
    response = stakeholder_client.get(question.consultation.get_absolute_url())
    assert "Answer this question" in text(response)
    assert "Log in to post a comment" not in text(response)


@pytest.mark.django_db
def test_consultation_page_shows_every_question_with_its_comments(client, consultation):
    first = make_question(consultation, number=1, title="On recognition of skills")
    second = make_question(consultation, number=2, title="On portable social protection")
    make_comment(first, body="Answer to the first.")
    make_comment(second, body="Answer to the second.")
    content = text(client.get(consultation.get_absolute_url()))
    assert "On recognition of skills" in content and "On portable social protection" in content
    assert "Answer to the first." in content and "Answer to the second." in content


# --- The reply page -------------------------------------------------------------------


@pytest.mark.django_db
def test_reply_page_quotes_the_parent_and_offers_the_form(stakeholder_client, question):
    parent = make_comment(question, body="The quoted answer.")
    response = stakeholder_client.get(reply_url(parent))
    parsed = page(response)
    assert "The quoted answer." in text(response)
    assert parsed.textarea_ids == ["id_body"]
    assert f"{reply_url(parent)}#reply-errors" in parsed.form_actions


@pytest.mark.django_db
def test_reply_page_invites_visitors_to_log_in(client, question):
    parent = make_comment(question, body="The quoted answer.")
    response = client.get(reply_url(parent))
    assert "The quoted answer." in text(response)
    assert "Log in to post a comment" in text(response)
    assert page(response).textarea_ids == []


@pytest.mark.django_db
def test_reply_page_asks_unverified_users_to_verify(client_for, unverified_user, question):
    parent = make_comment(question)
    response = client_for(unverified_user).get(reply_url(parent))
    assert "Please verify your email address before you post" in text(response)
    assert page(response).textarea_ids == []


@pytest.mark.django_db
def test_reply_page_of_a_hidden_comment_does_not_quote_it(stakeholder_client, question):
    parent = make_comment(question, body="Removed words.", status=CommentStatus.HIDDEN)
    response = stakeholder_client.get(reply_url(parent))
    page = rendered_page(response, marker="This comment cannot take replies.")
    assert "Removed words." not in page


@pytest.mark.django_db
def test_root_redirects_to_a_language(client):
    response = client.get("/", headers={"accept-language": "fr"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/"
