"""Where the server puts what it says: errors at the form, confirmations in the new comment.

A form's action ends with the id of its error summary, so the page that comes back after a
refused or invalid post opens there (the browser focuses an address's target when it can take
the focus, which `tabindex="-1"` lets it). The summary is the first thing in the form, right
above the kept text. A confirmation is said inside the comment the redirect opens at.
"""

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from consultations.models import Comment, CommentStatus, ModerationMode
from tests.factories import make_comment, make_consultation, make_question

TEXT = "Recognition of skills works best when both countries train the assessors together."


class _Elements(HTMLParser):
    """Every element's start tag in document order, with its attributes and the form it is in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict, str | None]] = []
        self._form_action = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._form_action = attributes.get("action", "")
        self.elements.append((tag, attributes, self._form_action))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form_action = None


def elements(response) -> list[tuple[str, dict, str | None]]:
    parser = _Elements()
    parser.feed(response.content.decode())
    return parser.elements


def form_actions(response) -> list[str]:
    return [
        attributes.get("action", "")
        for tag, attributes, _form in elements(response)
        if tag == "form"
    ]


def visible_elements_of_form(response, action: str) -> list[tuple[str, dict]]:
    """The elements inside the form posting to `action`, hidden inputs left out."""
    return [
        (tag, attributes)
        for tag, attributes, form in elements(response)
        if form == action
        and tag != "form"
        and not (tag == "input" and attributes.get("type") == "hidden")
    ]


def element_with_id(response, element_id) -> tuple[str, dict]:
    matches = [
        (tag, attrs) for tag, attrs, _form in elements(response) if attrs.get("id") == element_id
    ]
    assert len(matches) == 1, f"expected one element with id {element_id!r}, found {len(matches)}"
    return matches[0]


def reply_url(comment) -> str:
    return reverse("consultations:comment_reply", kwargs={"comment_id": comment.pk})


def edit_url(comment) -> str:
    return reverse("consultations:comment_edit", kwargs={"comment_id": comment.pk})


def report_url(comment) -> str:
    return reverse("consultations:comment_report", kwargs={"comment_id": comment.pk})


def closed_consultation():
    return make_consultation(
        opens_at=datetime(2024, 2, 1, 9, 0, tzinfo=UTC),
        closes_at=datetime(2024, 3, 15, 17, 30, tzinfo=UTC),
    )


# --- The fragment in each form's action -------------------------------------------------


@pytest.mark.django_db
def test_answer_form_posts_to_the_question_at_its_error_summary(stakeholder_client, question):
    response = stakeholder_client.get(question.get_absolute_url())

    assert f"{question.get_absolute_url()}#answer-errors" in form_actions(response)


@pytest.mark.django_db
def test_reply_page_form_posts_to_itself_at_its_error_summary(stakeholder_client, question):
    parent = make_comment(question)

    response = stakeholder_client.get(reply_url(parent))

    assert f"{reply_url(parent)}#reply-errors" in form_actions(response)


@pytest.mark.django_db
def test_inline_reply_template_keeps_only_the_fragment_for_the_script_to_complete(
    stakeholder_client, question
):
    make_comment(question)

    response = stakeholder_client.get(question.get_absolute_url())

    assert "#reply-errors" in form_actions(response)


@pytest.mark.django_db
def test_edit_and_report_forms_post_at_their_error_summaries(
    stakeholder_client, stakeholder, question
):
    mine = make_comment(question, author=stakeholder)
    theirs = make_comment(question)

    edit_page = stakeholder_client.get(edit_url(mine))
    report_page = stakeholder_client.get(report_url(theirs))

    assert f"{edit_url(mine)}#edit-errors" in form_actions(edit_page)
    assert f"{report_url(theirs)}#report-errors" in form_actions(report_page)


@pytest.mark.django_db
def test_console_forms_post_at_their_error_summaries(client_for, secretariat, consultation):
    slug = consultation.slug
    client = client_for(secretariat)

    console = form_actions(
        client.get(reverse("consultations:console_consultation", kwargs={"slug": slug}))
    )
    editor = form_actions(client.get(reverse("consultations:console_edit", kwargs={"slug": slug})))
    question_editor = form_actions(
        client.get(reverse("consultations:console_question_create", kwargs={"slug": slug}))
    )

    assert (
        reverse("consultations:console_extend", kwargs={"slug": slug}) + "#extend-errors" in console
    )
    assert (
        reverse("consultations:console_reschedule", kwargs={"slug": slug}) + "#reschedule-errors"
        in console
    )
    assert (
        reverse("consultations:console_edit", kwargs={"slug": slug}) + "#consultation-errors"
        in editor
    )
    assert (
        reverse("consultations:console_question_create", kwargs={"slug": slug}) + "#question-errors"
        in question_editor
    )


# --- The message: where it sits and what makes it take the focus -----------------------


def assert_focusable_summary(response, summary_id: str) -> dict:
    tag, attributes = element_with_id(response, summary_id)
    assert tag == "div"
    assert attributes.get("tabindex") == "-1", "the address's target takes the focus only with it"
    assert "autofocus" in attributes
    assert attributes.get("role") == "alert"
    return attributes


@pytest.mark.django_db
def test_refused_answer_sits_first_in_the_form_right_above_the_kept_text(
    stakeholder_client, stakeholder
):
    question = make_question(closed_consultation(), number=1)
    action = f"{question.get_absolute_url()}#answer-errors"

    response = stakeholder_client.post(
        question.get_absolute_url(), {"body": TEXT, "language": "en"}
    )

    assert response.status_code == 403
    assert "it no longer takes contributions" in response.content.decode()
    assert_focusable_summary(response, "answer-errors")
    inside = visible_elements_of_form(response, action)
    first_tags = [
        (tag, attributes.get("id") or attributes.get("for")) for tag, attributes in inside
    ]
    summary_at = first_tags.index(("div", "answer-errors"))
    textarea_at = first_tags.index(("textarea", "id_body"))
    assert summary_at == 0, (
        f"the summary should open the form, not follow {first_tags[:summary_at]}"
    )
    assert [tag for tag, _id in first_tags[summary_at + 1 : textarea_at] if tag != "p"] == [
        "div",
        "label",
    ], "only the field and its label stand between the message and the text"
    assert TEXT in response.content.decode()


@pytest.mark.django_db
def test_empty_answer_points_the_textarea_at_the_summary(stakeholder_client, question):
    response = stakeholder_client.post(
        question.get_absolute_url(), {"body": "  ", "language": "en"}
    )

    assert response.status_code == 200
    assert_focusable_summary(response, "answer-errors")
    _tag, textarea = element_with_id(response, "id_body")
    assert textarea["aria-invalid"] == "true"
    assert textarea["aria-describedby"].split()[0] == "answer-errors"
    assert "Write something before you post." in response.content.decode()


@pytest.mark.django_db
def test_refused_reply_shows_the_focusable_summary_on_the_reply_page(stakeholder_client):
    parent = make_comment(make_question(closed_consultation(), number=1))

    response = stakeholder_client.post(reply_url(parent), {"body": TEXT, "language": "en"})

    assert response.status_code == 403
    assert_focusable_summary(response, "reply-errors")
    assert TEXT in response.content.decode()


@pytest.mark.django_db
def test_empty_edit_shows_the_focusable_summary(stakeholder_client, stakeholder, question):
    mine = make_comment(question, author=stakeholder)

    response = stakeholder_client.post(edit_url(mine), {"body": "", "language": "en"})

    assert response.status_code == 200
    assert_focusable_summary(response, "edit-errors")


@pytest.mark.django_db
def test_report_without_a_reason_keeps_the_details_under_the_summary(stakeholder_client, question):
    theirs = make_comment(question)

    response = stakeholder_client.post(report_url(theirs), {"details": "It repeats itself."})

    assert_focusable_summary(response, "report-errors")
    assert "Choose the reason closest to your concern." in response.content.decode()
    assert "It repeats itself." in response.content.decode()


@pytest.mark.django_db
def test_invalid_extension_shows_the_focusable_summary_on_the_console(
    client_for, secretariat, consultation
):
    url = reverse("consultations:console_extend", kwargs={"slug": consultation.slug})

    response = client_for(secretariat).post(url, {"closes_at": "not a date"})

    assert_focusable_summary(response, "extend-errors")
    assert "everything you wrote is kept" in response.content.decode()


@pytest.mark.django_db
def test_a_page_without_errors_has_no_summary_and_nothing_autofocused(stakeholder_client, question):
    response = stakeholder_client.get(question.get_absolute_url())

    assert not [attrs for _tag, attrs, _form in elements(response) if "autofocus" in attrs]
    assert 'id="answer-errors"' not in response.content.decode()


# --- Confirmations inside the new comment -------------------------------------------------


def confirmation_in(response, comment) -> str | None:
    """The text of the confirmation inside `comment`'s article, or None."""
    html = response.content.decode()
    start = html.index(f'<article id="comment-{comment.pk}"')
    article = html[start : html.index("</article>", start)]
    marker = 'class="message'
    if "comment__confirmation" not in article:
        return None
    tail = article[article.index(marker) :]
    return tail[tail.index(">") + 1 : tail.index("</p>")]


def top_messages(response) -> str:
    html = response.content.decode()
    if '<div class="messages"' not in html:
        return ""
    start = html.index('<div class="messages"')
    return html[start : html.index("</div>", start)]


@pytest.mark.django_db
def test_published_answer_redirects_to_its_anchor_and_says_so_inside_it(
    stakeholder_client, question
):
    response = stakeholder_client.post(
        question.get_absolute_url(), {"body": TEXT, "language": "en"}
    )
    posted = Comment.objects.get()

    assert (
        response["Location"]
        == f"{question.get_absolute_url()}?order=oldest&page=1#comment-{posted.pk}"
    )
    page = stakeholder_client.get(response["Location"])
    assert confirmation_in(page, posted) == "Thank you. Your comment is published."
    assert top_messages(page) == ""


@pytest.mark.django_db
def test_pending_answer_says_it_awaits_approval_inside_it(stakeholder_client):
    question = make_question(make_consultation(moderation_mode=ModerationMode.PRE), number=1)

    response = stakeholder_client.post(
        question.get_absolute_url(), {"body": TEXT, "language": "en"}, follow=True
    )

    posted = Comment.objects.get()
    assert posted.status == CommentStatus.PENDING
    assert confirmation_in(response, posted) == (
        "Thank you. Your comment will appear once a moderator has approved it."
    )


@pytest.mark.django_db
def test_reply_confirmation_is_inside_the_reply_not_its_parent(stakeholder_client, question):
    parent = make_comment(question)

    response = stakeholder_client.post(
        reply_url(parent), {"body": TEXT, "language": "en"}, follow=True
    )

    written = Comment.objects.exclude(pk=parent.pk).get()
    assert confirmation_in(response, written) == "Thank you. Your comment is published."
    assert confirmation_in(response, parent) is None


@pytest.mark.django_db
def test_edit_confirmation_is_inside_the_edited_comment(stakeholder_client, stakeholder, question):
    mine = make_comment(question, author=stakeholder, body="First wording.")

    response = stakeholder_client.post(
        edit_url(mine), {"body": "Second wording.", "language": "en"}, follow=True
    )

    assert confirmation_in(response, mine) == "Your changes are saved."


@pytest.mark.django_db
def test_confirmation_falls_back_to_the_list_at_the_top_when_the_comment_is_not_shown(
    stakeholder_client, question
):
    stakeholder_client.post(question.get_absolute_url(), {"body": TEXT, "language": "fr"})

    # Only the English comments: the new French one is not on the page.
    page = stakeholder_client.get(question.get_absolute_url() + "?language=en")

    assert "Thank you. Your comment is published." in top_messages(page)
    assert "comment__confirmation" not in page.content.decode()


@pytest.mark.django_db
def test_the_list_at_the_top_is_a_status_region_holding_a_list(client_for, moderator, question):
    pending = make_comment(question, status=CommentStatus.PENDING)
    queue = reverse("consultations:moderation_queue")
    client = client_for(moderator)

    response = client.post(
        reverse("consultations:comment_approve", kwargs={"comment_id": pending.pk}),
        {"next": queue},
        follow=True,
    )

    region = top_messages(response)
    assert region.startswith('<div class="messages" role="status">')
    assert "<ul>" in region
    assert (
        '<li class="message message--success">The comment is approved and published.</li>' in region
    )


# --- The answer form within reach --------------------------------------------------------


def answer_links(response) -> list[int]:
    """Positions, in document order, of links to the answer form."""
    return [
        position
        for position, (tag, attributes, _form) in enumerate(elements(response))
        if tag == "a" and attributes.get("href", "").endswith("#answer")
    ]


def position_of_id(response, element_id) -> int:
    return next(
        position
        for position, (_tag, attributes, _form) in enumerate(elements(response))
        if attributes.get("id") == element_id
    )


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["visitor", "stakeholder"])
def test_question_page_links_to_the_answer_form_before_the_thread(
    client, stakeholder_client, question, reader
):
    for _number in range(3):
        make_comment(question)
    response = (client if reader == "visitor" else stakeholder_client).get(
        question.get_absolute_url()
    )

    links = answer_links(response)
    assert links, "no link to the answer form"
    assert links[0] < position_of_id(response, "comments-heading")
    assert position_of_id(response, "answer") > position_of_id(response, "comments-heading")


@pytest.mark.django_db
def test_question_page_of_a_closed_consultation_has_no_answer_link(stakeholder_client):
    question = make_question(closed_consultation(), number=1)

    response = stakeholder_client.get(question.get_absolute_url())

    assert answer_links(response) == []


@pytest.mark.django_db
def test_consultation_page_links_each_question_to_its_answer_form(stakeholder_client, consultation):
    first = make_question(consultation, number=1)
    second = make_question(consultation, number=2)

    response = stakeholder_client.get(consultation.get_absolute_url())

    hrefs = [
        attributes["href"]
        for tag, attributes, _form in elements(response)
        if tag == "a" and attributes.get("href", "").endswith("#answer")
    ]
    assert sorted(hrefs) == sorted(
        [f"{first.get_absolute_url()}#answer", f"{second.get_absolute_url()}#answer"]
    )


@pytest.mark.django_db
def test_host_identity_and_notice_forms_post_at_their_error_summaries(client_for, secretariat):
    client = client_for(secretariat)
    identity_url = reverse("site_identity:identity_edit")
    notice_url = reverse("site_identity:notice_edit", args=["privacy"])

    assert f"{identity_url}#identity-errors" in form_actions(client.get(identity_url))
    assert f"{notice_url}#notice-errors" in form_actions(client.get(notice_url))
    response = client.post(notice_url, {"title_en": "", "body_en": ""})
    assert_focusable_summary(response, "notice-errors")


@pytest.mark.django_db
def test_hiding_from_the_thread_says_so_inside_the_hidden_comment(client_for, moderator, question):
    reported = make_comment(question)
    url = reverse("consultations:comment_hide", kwargs={"comment_id": reported.pk})

    response = client_for(moderator).post(url, {"reason": "Advertising."}, follow=True)

    assert response.redirect_chain[-1][0] == reported.get_absolute_url()
    assert confirmation_in(response, reported) == (
        "The comment is hidden; the reason is shown in its place."
    )
    assert top_messages(response) == ""


@pytest.mark.django_db
def test_hiding_from_the_queue_says_so_at_the_top_of_the_queue(client_for, moderator, question):
    reported = make_comment(question)
    queue = reverse("consultations:moderation_queue")
    url = reverse("consultations:comment_hide", kwargs={"comment_id": reported.pk})

    response = client_for(moderator).post(
        url, {"reason": "Advertising.", "next": queue}, follow=True
    )

    assert "The comment is hidden; the reason is shown in its place." in top_messages(response)


@pytest.mark.django_db
def test_too_long_approval_reason_is_said_inside_the_pending_comment(
    client_for, moderator, question
):
    pending = make_comment(question, status=CommentStatus.PENDING)
    url = reverse("consultations:comment_approve", kwargs={"comment_id": pending.pk})

    response = client_for(moderator).post(url, {"reason": "x" * 501}, follow=True)

    assert response.redirect_chain[-1][0] == pending.get_absolute_url()
    assert "500" in (confirmation_in(response, pending) or "")
    pending.refresh_from_db()
    assert pending.status == CommentStatus.PENDING


@pytest.mark.django_db
def test_empty_clarification_request_opens_at_the_focused_summary(client_for, moderator, question):
    comment = make_comment(question)
    url = reverse("consultations:comment_request_clarification", kwargs={"comment_id": comment.pk})
    client = client_for(moderator)

    assert f"{url}#clarification-errors" in form_actions(client.get(url))
    response = client.post(url, {"message": ""})
    assert_focusable_summary(response, "clarification-errors")


@pytest.mark.django_db
def test_clarification_request_is_confirmed_inside_the_comment(client_for, moderator, question):
    comment = make_comment(question)
    url = reverse("consultations:comment_request_clarification", kwargs={"comment_id": comment.pk})

    response = client_for(moderator).post(
        url, {"message": "Could you give a concrete example?"}, follow=True
    )

    assert confirmation_in(response, comment) == (
        "Your request is posted under the comment; its author is told by email."
    )
