"""Attaching files to an answer or a reply, through the pages, and every way a file is refused.

A refused file never costs the person their text: the form comes back with
it, a message naming the file, and a note to choose the files again.
"""

import re
from html import unescape

import pytest
from django.urls import reverse

from consultations.models import Comment
from documents.checks import PDF, PNG
from documents.models import CommentAttachment
from tests.documents import samples
from tests.factories import make_comment

TEXT = "Fee caps only work when the destination country inspects the recruiters it licenses."
MB = 1024 * 1024


def question_url(question):
    return reverse(
        "consultations:question",
        kwargs={"slug": question.consultation.slug, "number": question.number},
    )


def post_answer(client, question, *files, body=TEXT):
    return client.post(
        question_url(question), {"body": body, "language": "en", "attachments": list(files)}
    )


def textarea_text(response) -> str:
    match = re.search(r"<textarea[^>]*>\n?(.*?)</textarea>", response.content.decode(), re.S)
    return unescape(match.group(1)) if match else ""


def padded_pdf(name: str, size: int):
    return samples.upload(name, samples.MINIMAL_PDF + b"%" * (size - len(samples.MINIMAL_PDF)))


# --- Accepted --------------------------------------------------------------------------


def test_an_answer_keeps_its_files_with_the_checked_type_and_the_uploaded_name(
    stakeholder_client, question
):
    response = post_answer(stakeholder_client, question, samples.pdf(), samples.png())

    assert response.status_code == 302
    comment = Comment.objects.get()
    pdf_file, png_file = comment.attachments.order_by("pk")
    assert (pdf_file.original_name, pdf_file.content_type) == (
        "Fair recruitment – submission.pdf",
        PDF.content_type,
    )
    assert (png_file.original_name, png_file.content_type) == (
        "corridor-costs.png",
        PNG.content_type,
    )


def test_files_are_stored_under_generated_names_not_the_uploaded_ones(stakeholder_client, question):
    post_answer(stakeholder_client, question, samples.pdf("../../settings.pdf"))

    stored = CommentAttachment.objects.get().file.name
    assert re.fullmatch(r"comments/[0-9a-f]{32}\.pdf", stored)


def test_the_stored_file_holds_the_uploaded_bytes(stakeholder_client, question):
    post_answer(stakeholder_client, question, samples.pdf())

    with CommentAttachment.objects.get().file.open("rb") as stored:
        assert stored.read() == samples.MINIMAL_PDF


def test_a_reply_from_the_no_javascript_page_keeps_its_files(stakeholder_client, question):
    parent = make_comment(question)

    response = stakeholder_client.post(
        reverse("consultations:comment_reply", args=[parent.pk]),
        {"body": TEXT, "language": "en", "attachments": [samples.pdf()]},
    )

    assert response.status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert reply.attachments.count() == 1


def test_an_answer_without_files_is_still_posted(stakeholder_client, question):
    assert post_answer(stakeholder_client, question).status_code == 302
    assert CommentAttachment.objects.count() == 0


def test_three_files_of_ten_megabytes_each_are_accepted(stakeholder_client, question):
    files = [padded_pdf(f"annex-{number}.pdf", 10 * MB) for number in (1, 2, 3)]

    response = post_answer(stakeholder_client, question, *files)

    assert response.status_code == 302
    assert sorted(CommentAttachment.objects.values_list("size", flat=True)) == [10 * MB] * 3


# --- Refused, with the text kept ----------------------------------------------------------


BAD_FILES = [
    pytest.param(lambda: samples.upload("budget.pdf", samples.WINDOWS_EXECUTABLE), id="exe"),
    pytest.param(lambda: samples.upload("invite.html", samples.HTML_PAGE), id="html"),
    pytest.param(lambda: samples.upload("logo.svg", samples.SVG_IMAGE), id="svg"),
    pytest.param(lambda: samples.upload("logo.png", samples.SVG_IMAGE), id="svg-as-png"),
    pytest.param(lambda: samples.upload("empty.pdf", b""), id="empty"),
    pytest.param(lambda: samples.upload("scan.pdf", samples.MINIMAL_PNG), id="mismatch"),
    pytest.param(lambda: padded_pdf("too-big.pdf", 10 * MB + 1), id="over-limit"),
]


@pytest.mark.parametrize("make_file", BAD_FILES)
def test_a_refused_file_names_itself_keeps_the_text_and_writes_nothing(
    stakeholder_client, question, make_file
):
    bad_file = make_file()

    response = post_answer(stakeholder_client, question, samples.pdf("fine.pdf"), bad_file)

    assert response.status_code == 200
    assert f"“{bad_file.name}”" in unescape(response.content.decode())
    assert textarea_text(response) == TEXT
    assert Comment.objects.count() == 0
    assert CommentAttachment.objects.count() == 0


def test_a_refused_file_asks_to_choose_the_files_again(stakeholder_client, question):
    response = post_answer(stakeholder_client, question, samples.upload("empty.pdf", b""))

    assert "choose the files to attach again" in response.content.decode()


def test_every_refused_file_gets_its_own_message(stakeholder_client, question):
    response = post_answer(
        stakeholder_client,
        question,
        samples.upload("one.pdf", samples.HTML_PAGE),
        samples.upload("two.png", b""),
    )

    page = unescape(response.content.decode())
    assert "“one.pdf”" in page
    assert "“two.png”" in page


def test_more_files_than_the_limit_are_refused_with_the_text_kept(stakeholder_client, question):
    files = [samples.pdf(f"annex-{number}.pdf") for number in range(4)]

    response = post_answer(stakeholder_client, question, *files)

    assert response.status_code == 200
    assert "at most 3 files" in response.content.decode()
    assert textarea_text(response) == TEXT
    assert Comment.objects.count() == 0


def test_the_limits_come_from_the_settings(stakeholder_client, question, settings):
    settings.COMMENT_ATTACHMENTS_MAX_FILES = 1
    settings.COMMENT_ATTACHMENT_MAX_BYTES = 10

    response = post_answer(stakeholder_client, question, samples.pdf("small.pdf"))

    assert response.status_code == 200
    assert "“small.pdf”" in unescape(response.content.decode())


def test_a_refused_reply_keeps_its_text_on_the_reply_page(stakeholder_client, question):
    parent = make_comment(question)

    response = stakeholder_client.post(
        reverse("consultations:comment_reply", args=[parent.pk]),
        {"body": TEXT, "language": "en", "attachments": [samples.upload("x.pdf", b"")]},
    )

    assert response.status_code == 200
    assert textarea_text(response) == TEXT
    assert "“x.pdf”" in unescape(response.content.decode())


def test_far_too_many_files_get_a_bad_request_not_a_server_error(stakeholder_client, question):
    files = [samples.pdf(f"annex-{number}.pdf") for number in range(25)]

    assert post_answer(stakeholder_client, question, *files).status_code == 400


# --- The form -------------------------------------------------------------------------------


def test_the_answer_form_sends_files_without_javascript(stakeholder_client, question):
    page = stakeholder_client.get(question_url(question)).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert re.search(
        r'<input type="file" name="attachments" id="id_attachments"[^>]* multiple', page
    )


def test_the_inline_reply_template_carries_a_file_input_of_its_own(stakeholder_client, question):
    page = stakeholder_client.get(question_url(question)).content.decode()
    template = page[page.index('<template id="reply-form-template">') :]

    assert 'id="id_attachments-reply"' in template


def test_the_edit_form_offers_no_files(client_for, stakeholder, question):
    comment = make_comment(question, author=stakeholder)

    page = client_for(stakeholder).get(reverse("consultations:comment_edit", args=[comment.pk]))

    assert 'type="file"' not in page.content.decode()
