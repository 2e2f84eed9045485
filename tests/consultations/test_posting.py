"""Posting answers and replies through the pages, and every way the server says no.

Whatever the refusal, the person gets the form back with their own text in it
and a sentence saying why, and nothing is written.
"""

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from consultations.models import Comment, CommentStatus, ModerationMode
from consultations.threads import question_thread
from tests.factories import make_comment, make_consultation, make_question, make_user

LIMIT = settings.ROUNDTABLE_COMMENT_MAX_LENGTH
TEXT = "Recognition of skills works best when both countries train the assessors together."


# --- Reading the page back like a browser ----------------------------------------------


class _Form(HTMLParser):
    """The comment textarea's text as a browser shows it, and every textarea/form seen."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.textareas: dict[str, str] = {}
        self.form_actions: list[str] = []
        self._textarea_id = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "textarea":
            self._textarea_id = attributes.get("id", "")
            self.textareas[self._textarea_id] = ""
        elif tag == "form":
            self.form_actions.append(attributes.get("action", ""))

    def handle_data(self, data):
        if self._textarea_id is not None:
            self.textareas[self._textarea_id] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            raw = self.textareas[self._textarea_id]
            # HTML drops one newline right after <textarea>; a browser shows the rest.
            self.textareas[self._textarea_id] = raw[1:] if raw.startswith("\n") else raw
            self._textarea_id = None


def parsed(response) -> _Form:
    parser = _Form()
    parser.feed(response.content.decode())
    parser.close()
    return parser


def shown_text(response) -> str | None:
    """What the comment box shows, or None when the page has no comment box."""
    return parsed(response).textareas.get("id_body")


def answer(client, question, body=TEXT, language="en"):
    return client.post(question.get_absolute_url(), {"body": body, "language": language})


def reply(client, parent, body=TEXT, language="en"):
    return client.post(
        reverse("consultations:comment_reply", kwargs={"comment_id": parent.pk}),
        {"body": body, "language": language},
    )


def closed_consultation(**fields):
    return make_consultation(
        opens_at=datetime(2024, 2, 1, 9, 0, tzinfo=UTC),
        closes_at=datetime(2024, 3, 15, 17, 30, tzinfo=UTC),
        **fields,
    )


def upcoming_consultation(**fields):
    return make_consultation(
        opens_at=datetime(2040, 5, 4, 8, 15, tzinfo=UTC),
        closes_at=datetime(2040, 6, 1, 17, 0, tzinfo=UTC),
        **fields,
    )


# --- The happy paths -------------------------------------------------------------------


@pytest.mark.django_db
def test_answer_is_published_and_the_page_jumps_to_it(stakeholder_client, stakeholder, question):
    response = answer(stakeholder_client, question, language="fr")

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{question.get_absolute_url()}?order=oldest&page=1#comment-{comment.pk}"
    )
    assert comment.author == stakeholder
    assert comment.parent is None
    assert comment.body_source == TEXT
    assert comment.language == "fr"
    assert comment.status == CommentStatus.PUBLISHED
    assert comment.body_html == f"<p>{TEXT}</p>"


@pytest.mark.django_db
def test_answer_text_is_trimmed_before_it_is_stored(stakeholder_client, question):
    answer(stakeholder_client, question, body=f"\n\n   {TEXT}  \n")
    assert Comment.objects.get().body_source == TEXT


@pytest.mark.django_db
def test_published_answer_is_on_the_page_after_the_redirect(stakeholder_client, question):
    response = answer(stakeholder_client, question)
    page = stakeholder_client.get(response["Location"])
    assert TEXT in page.content.decode()
    assert "Thank you. Your comment is published." in page.content.decode()


@pytest.mark.django_db
def test_reply_nests_under_its_parent(stakeholder_client, question):
    parent = make_comment(question, body="The parent answer.")

    response = reply(stakeholder_client, parent)

    written = Comment.objects.exclude(pk=parent.pk).get()
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{question.get_absolute_url()}?order=oldest&page=1#comment-{written.pk}"
    )
    assert written.parent == parent
    assert written.question == question
    entries = question_thread(question, make_user()).entries
    assert [(entry.comment, entry.depth, entry.parent) for entry in entries] == [
        (parent, 0, None),
        (written, 1, parent),
    ]


@pytest.mark.django_db
def test_pre_moderated_consultation_holds_the_comment(client_for):
    question = make_question(make_consultation(moderation_mode=ModerationMode.PRE))
    author = make_user()
    client = client_for(author)

    response = answer(client, question)

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert comment.status == CommentStatus.PENDING
    page = client.get(response["Location"]).content.decode()
    assert "will appear once a moderator has approved it" in page


@pytest.mark.django_db
def test_pre_moderated_reply_is_held_too(client_for):
    question = make_question(make_consultation(moderation_mode=ModerationMode.PRE))
    parent = make_comment(question)

    reply(client_for(make_user()), parent)

    assert Comment.objects.get(parent=parent).status == CommentStatus.PENDING


@pytest.mark.django_db
def test_longest_allowed_answer_is_accepted(stakeholder_client, question):
    body = "x" * LIMIT
    response = answer(stakeholder_client, question, body=f"  {body}\n\n")
    assert response.status_code == 302
    assert Comment.objects.get().body_source == body


# --- Refusals on the question page -----------------------------------------------------


def assert_refused(response, *, status, message, text=TEXT):
    """The form came back with the person's text and the reason, and nothing was written."""
    assert response.status_code == status
    assert shown_text(response) == text, "the person's text is not back in the comment box"
    assert message in response.content.decode()


@pytest.mark.django_db
def test_visitor_cannot_answer(client, question):
    response = answer(client, question)
    assert_refused(response, status=403, message="Log in to post a comment.")
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_unverified_user_cannot_answer(client_for, unverified_user, question):
    response = answer(client_for(unverified_user), question)
    assert_refused(response, status=403, message="Please verify your email address")
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_answer_to_a_closed_consultation_is_refused_naming_the_closing_time(stakeholder_client):
    question = make_question(closed_consultation())
    response = answer(stakeholder_client, question)
    assert_refused(response, status=403, message="This consultation closed on 15 March 2024, 17:30")
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_answer_to_an_upcoming_consultation_is_refused_naming_the_opening_time(
    stakeholder_client,
):
    question = make_question(upcoming_consultation())
    response = answer(stakeholder_client, question)
    assert_refused(response, status=403, message="This consultation opens on 4 May 2040, 08:15")
    assert Comment.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["visitor", "stakeholder"])
def test_draft_consultation_is_not_found(client, stakeholder_client, who):
    question = make_question(make_consultation(state="draft"))
    poster = client if who == "visitor" else stakeholder_client
    response = answer(poster, question)
    assert response.status_code == 404
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_answer_to_a_locked_question_is_refused(stakeholder_client, consultation):
    question = make_question(consultation, is_locked=True)
    response = answer(stakeholder_client, question)
    assert_refused(response, status=403, message="A moderator has locked this question")
    assert Comment.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", ["", "   ", "\n\t \n"], ids=["empty", "spaces", "whitespace-and-newlines"]
)
def test_empty_answer_is_refused(stakeholder_client, question, body):
    response = answer(stakeholder_client, question, body=body)
    assert_refused(response, status=200, message="Write something before you post.", text=body)
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_answer_longer_than_the_limit_after_trimming_is_refused(stakeholder_client, question):
    body = "y" * (LIMIT + 1)
    response = answer(stakeholder_client, question, body=f"  {body}  ")
    assert_refused(
        response,
        status=200,
        message=f"Please keep your comment under {LIMIT} characters (it has {LIMIT + 1})",
        text=f"  {body}  ",
    )
    assert Comment.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["xx", "english", "EN"])
def test_answer_in_an_unknown_language_is_refused(stakeholder_client, question, language):
    response = answer(stakeholder_client, question, language=language)
    assert_refused(response, status=200, message="Choose the language your comment is written in")
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_answer_without_a_language_is_refused(stakeholder_client, question):
    response = answer(stakeholder_client, question, language="")
    assert_refused(response, status=200, message="This field is required.")
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_refused_text_with_markup_comes_back_exactly(stakeholder_client):
    question = make_question(closed_consultation())
    body = '\nFirst line after a blank one.\n\n<b>bold?</b> & "quotes" </textarea> end'
    response = answer(stakeholder_client, question, body=body)
    assert response.status_code == 403
    assert shown_text(response) == body
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_a_post_with_too_many_fields_is_refused(stakeholder_client, question):
    fields = {"body": TEXT, "language": "en"}
    fields.update(
        {f"extra{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}
    )
    response = stakeholder_client.post(question.get_absolute_url(), fields)
    assert response.status_code == 400
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_text_with_a_null_character_is_refused_not_a_server_error(stakeholder_client, question):
    response = answer(stakeholder_client, question, body="before\x00after")
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert Comment.objects.count() == 0


# --- Refusals on the reply page ------------------------------------------------------


@pytest.mark.django_db
def test_visitor_cannot_reply(client, question):
    parent = make_comment(question)
    response = reply(client, parent)
    assert_refused(response, status=403, message="Log in to post a comment.")
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_unverified_user_cannot_reply(client_for, unverified_user, question):
    parent = make_comment(question)
    response = reply(client_for(unverified_user), parent)
    assert_refused(response, status=403, message="Please verify your email address")
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_reply_in_a_closed_consultation_is_refused(stakeholder_client):
    parent = make_comment(make_question(closed_consultation()))
    response = reply(stakeholder_client, parent)
    assert_refused(response, status=403, message="This consultation closed on 15 March 2024, 17:30")
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_reply_in_an_upcoming_consultation_is_refused(stakeholder_client):
    parent = make_comment(make_question(upcoming_consultation()))
    response = reply(stakeholder_client, parent)
    assert_refused(response, status=403, message="This consultation opens on 4 May 2040, 08:15")
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_reply_under_a_locked_question_is_refused(stakeholder_client, consultation):
    parent = make_comment(make_question(consultation, is_locked=True))
    response = reply(stakeholder_client, parent)
    assert_refused(response, status=403, message="A moderator has locked this question")
    assert Comment.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["", "  \n "], ids=["empty", "whitespace"])
def test_empty_reply_is_refused(stakeholder_client, question, body):
    parent = make_comment(question)
    response = reply(stakeholder_client, parent, body=body)
    assert_refused(response, status=200, message="Write something before you post.", text=body)
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_reply_longer_than_the_limit_is_refused(stakeholder_client, question):
    parent = make_comment(question)
    body = "z" * (LIMIT + 1)
    response = reply(stakeholder_client, parent, body=body)
    assert_refused(
        response, status=200, message=f"Please keep your comment under {LIMIT}", text=body
    )
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_reply_in_an_unknown_language_is_refused(stakeholder_client, question):
    parent = make_comment(question)
    response = reply(stakeholder_client, parent, language="klingon")
    assert_refused(response, status=200, message="Choose the language your comment is written in")
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_forged_reply_to_a_comment_of_another_closed_consultation_is_refused(
    stakeholder_client, question
):
    """The reply URL names only the parent; its question decides, not the page it came from."""
    make_comment(question, body="A comment on the open consultation.")
    elsewhere = make_comment(make_question(closed_consultation()), body="On a closed one.")

    response = reply(stakeholder_client, elsewhere)

    assert_refused(response, status=403, message="This consultation closed on 15 March 2024")
    assert not Comment.objects.filter(parent=elsewhere).exists()
    assert not Comment.objects.filter(question=question, parent__isnull=False).exists()


@pytest.mark.django_db
def test_reply_is_always_on_its_parents_question(stakeholder_client, consultation):
    """Extra fields naming another question or parent change nothing."""
    first = make_question(consultation, number=1)
    second = make_question(consultation, number=2)
    parent = make_comment(first)
    other = make_comment(second)

    stakeholder_client.post(
        reverse("consultations:comment_reply", kwargs={"comment_id": parent.pk}),
        {"body": TEXT, "language": "en", "question": second.pk, "parent": other.pk},
    )

    written = Comment.objects.get(body_source=TEXT)
    assert (written.question, written.parent) == (first, parent)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [CommentStatus.HIDDEN, CommentStatus.WITHDRAWN])
def test_reply_to_a_hidden_or_withdrawn_comment_is_refused(stakeholder_client, question, status):
    parent = make_comment(question, status=status)
    response = reply(stakeholder_client, parent)
    assert_refused(response, status=403, message="This comment cannot take replies.")
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_reply_to_a_pending_comment_of_someone_else_is_not_found(stakeholder_client, question):
    parent = make_comment(question, status=CommentStatus.PENDING, body="Not approved yet.")
    response = reply(stakeholder_client, parent)
    assert response.status_code == 404
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_reply_to_a_comment_in_a_draft_is_not_found(stakeholder_client):
    parent = make_comment(make_question(make_consultation(state="draft")))
    response = reply(stakeholder_client, parent)
    assert response.status_code == 404
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_reply_to_a_comment_that_does_not_exist_is_not_found(stakeholder_client):
    response = stakeholder_client.post(
        reverse("consultations:comment_reply", kwargs={"comment_id": 987654}),
        {"body": TEXT, "language": "en"},
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_naughty_strings_never_cause_a_server_error(stakeholder_client, consultation, settings):
    """sanitizer_regressions.jsonl records 51-56: fuzz the form, expect a page or a redirect."""
    from tests.consultations.test_sanitize import naughty_strings

    # The list repeats some strings and has many links: the abuse limits on
    # both are tested in test_limits.py.
    settings.ROUNDTABLE_REPOST_WINDOW = 0
    settings.ROUNDTABLE_NEW_ACCOUNT_MAX_LINKS = 1000

    strings = naughty_strings()
    for start in range(0, len(strings), 25):
        # A fresh question now and then keeps each re-shown page short.
        question = make_question(consultation)
        for body in strings[start : start + 25]:
            response = answer(stakeholder_client, question, body=body)
            assert response.status_code in (200, 302), (body, response.status_code)
            if response.status_code == 200:
                assert shown_text(response) == body, body
        assert stakeholder_client.get(question.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_the_reply_page_of_a_withdrawn_comment_names_no_author(client_for, question, moderator):
    author = make_user(display_name="Ana Withdrew", organisation="Remittance Watch")
    parent = make_comment(question, author=author, status=CommentStatus.WITHDRAWN)

    response = client_for(moderator).get(
        reverse("consultations:comment_reply", kwargs={"comment_id": parent.pk})
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ana Withdrew" not in page
    assert "Remittance Watch" not in page
    assert "Reply to a withdrawn comment" in page
