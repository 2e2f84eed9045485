"""Attaching files with a browser: the inline reply form clones a working file input, and a
refused file leaves the text in place."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from consultations.models import Comment
from tests.documents import samples
from tests.factories import make_comment, make_consultation, make_question, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def question(transactional_db):
    consultation = make_consultation(slug="recruitment-fees", title="Recruitment fees")
    return make_question(consultation, number=1, title="Who should pay recruitment costs?")


@pytest.fixture
def stakeholder(transactional_db):
    return make_user(display_name="Kwame Mensah", organisation="Builders' Union")


def url_of(target) -> str:
    with translation.override("en"):
        return target.get_absolute_url()


def test_an_inline_reply_posts_its_file_and_the_reply_shows_it(new_context, question, stakeholder):
    answer = make_comment(question, body="Employers should pay every recruitment cost.")
    page = new_context(user=stakeholder).new_page()
    page.goto(url_of(question))

    page.locator(f"#comment-{answer.pk}").get_by_role("link", name="Reply").click()
    inline_form = page.locator(f"#comment-{answer.pk} .inline-reply form")
    inline_form.get_by_role("textbox", name="Your comment").fill("Our survey agrees.")
    file_input = inline_form.get_by_label("Attach files")
    expect(file_input).to_have_attribute("id", f"id_attachments-reply-{answer.pk}")
    file_input.set_input_files(
        [{"name": "fees-survey.pdf", "mimeType": "application/pdf", "buffer": samples.MINIMAL_PDF}]
    )
    inline_form.get_by_role("button", name="Post reply").click()

    page.wait_for_url(re.compile(r"#comment-\d+$"))
    reply = Comment.objects.latest("pk")
    assert reply.attachments.get().original_name == "fees-survey.pdf"
    expect(page.locator(f"#comment-{reply.pk} .comment__files")).to_contain_text(
        "fees-survey.pdf (PDF"
    )


def test_a_refused_file_keeps_the_answer_text_and_names_the_file(
    new_context, question, stakeholder
):
    page = new_context(user=stakeholder).new_page()
    page.goto(url_of(question))
    answer_form = page.locator(".answer-box form")

    answer_form.get_by_role("textbox", name="Your comment").fill("See the attached page.")
    answer_form.get_by_label("Attach files").set_input_files(
        [{"name": "page.pdf", "mimeType": "application/pdf", "buffer": samples.HTML_PAGE}]
    )
    answer_form.get_by_role("button", name="Post comment").click()

    answer_form = page.locator(".answer-box form")
    expect(answer_form.locator(".field--files .field-errors")).to_contain_text("“page.pdf”")
    expect(answer_form.get_by_role("textbox", name="Your comment")).to_have_value(
        "See the attached page."
    )
    assert Comment.objects.count() == 0
