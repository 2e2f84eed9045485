"""After a refused or invalid post the page opens at the form, the message is focused and the
text kept; a confirmation sits inside the new comment; the answer form is in reach on a phone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from consultations.models import Comment, Consultation, ModerationMode
from tests.factories import make_comment, make_consultation, make_question, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}


def url_of(target, language="en") -> str:
    with translation.override(language):
        return target.get_absolute_url()


def close_now(consultation) -> None:
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )


def newest_comment() -> Comment:
    return Comment.objects.latest("pk")


@pytest.fixture
def screenshots(tmp_path_factory):
    """`shoot(page, name)`: a full-page PNG in a folder under pytest's temporary directory."""
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)

    def shoot(page, name):
        width = page.viewport_size["width"]
        page.screenshot(path=folder / f"{name}-{width}.png", full_page=False)

    return shoot


@pytest.fixture
def stakeholder(transactional_db):
    return make_user(display_name="Kwame Mensah", organisation="Builders' Union")


@pytest.fixture
def discussion(transactional_db):
    """An open consultation whose first question has a long thread."""
    consultation = make_consultation(slug="labour-mobility", title="Labour mobility and skills")
    question = make_question(consultation, number=1, title="How should skills be recognised?")
    amina = make_user(display_name="Amina Diallo", organisation="Coastal Migrants Network")
    answer = make_comment(question, author=amina, body="Mutual recognition agreements work best.")
    for number in range(8):
        make_comment(
            question,
            body=f"Point {number + 1}: assessors trained together in both countries "
            "make the certificates trusted on both sides. " * 3,
        )
    return {"consultation": consultation, "question": question, "answer": answer}


@pytest.mark.parametrize("scripts", [True, False], ids=["with-js", "without-js"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_refused_answer_opens_at_the_focused_message_above_the_kept_text(
    new_context, discussion, stakeholder, screenshots, viewport, scripts
):
    page = new_context(user=stakeholder, viewport=viewport, java_script_enabled=scripts).new_page()
    page.goto(url_of(discussion["question"]))
    text = "An answer I spent an hour on.\n\nIt must not be lost."
    page.locator("#answer").get_by_role("textbox", name="Your comment").fill(text)
    close_now(discussion["consultation"])

    page.locator("#answer").get_by_role("button", name="Post comment").click()

    message = page.locator("#answer-errors")
    expect(message).to_contain_text("This consultation closed on")
    expect(page).to_have_url(re.compile(r"#answer-errors$"))
    expect(message).to_be_focused()
    expect(message).to_be_in_viewport()
    textarea = page.locator("#answer").get_by_role("textbox", name="Your comment")
    expect(textarea).to_have_value(text)
    assert message.bounding_box()["y"] < textarea.bounding_box()["y"]
    screenshots(page, f"refused-answer-{'js' if scripts else 'nojs'}")


@pytest.mark.parametrize("scripts", [True, False], ids=["with-js", "without-js"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_posted_answer_opens_at_the_comment_with_the_confirmation_inside_it(
    new_context, discussion, stakeholder, screenshots, viewport, scripts
):
    page = new_context(user=stakeholder, viewport=viewport, java_script_enabled=scripts).new_page()
    page.goto(url_of(discussion["question"]))
    page.locator("#answer").get_by_role("textbox", name="Your comment").fill(
        "Publish the list of recognised certificates in the three languages."
    )

    page.locator("#answer").get_by_role("button", name="Post comment").click()

    page.wait_for_url(re.compile(r"#comment-\d+$"))
    posted = page.locator(f"#comment-{newest_comment().pk}")
    confirmation = posted.locator(".comment__confirmation")
    expect(confirmation).to_have_text("Thank you. Your comment is published.")
    expect(confirmation).to_be_in_viewport()
    expect(page.locator(".messages")).to_have_count(0)
    if scripts:
        expect(confirmation).to_be_focused()
    screenshots(page, f"confirmation-{'js' if scripts else 'nojs'}")


def test_refused_inline_reply_opens_the_reply_page_at_the_focused_message(
    new_context, discussion, stakeholder, screenshots
):
    answer = discussion["answer"]
    page = new_context(user=stakeholder, viewport=PHONE).new_page()
    page.goto(url_of(discussion["question"]))
    page.locator(f"#comment-{answer.pk}").get_by_role("link", name="Reply").click()
    inline_form = page.locator(f"#comment-{answer.pk} .inline-reply form")
    inline_form.get_by_role("textbox", name="Your comment").fill("My considered reply.")
    close_now(discussion["consultation"])

    inline_form.get_by_role("button", name="Post reply").click()

    expect(page).to_have_url(re.compile(rf"/comments/{answer.pk}/reply/#reply-errors$"))
    message = page.locator("#reply-errors")
    expect(message).to_contain_text("This consultation closed on")
    expect(message).to_be_focused()
    expect(message).to_be_in_viewport()
    expect(page.get_by_role("textbox", name="Your comment")).to_have_value("My considered reply.")
    screenshots(page, "refused-reply")


def test_empty_edit_opens_at_the_focused_message(new_context, discussion, stakeholder):
    mine = make_comment(discussion["question"], author=stakeholder, body="My first wording.")
    page = new_context(user=stakeholder, java_script_enabled=False).new_page()
    page.goto(url_of(discussion["question"]) + f"#comment-{mine.pk}")
    page.locator(f"#comment-{mine.pk}").get_by_role("link", name="Edit").click()
    page.get_by_role("textbox", name="Your comment").fill("   ")

    page.get_by_role("button", name="Save changes").click()

    message = page.locator("#edit-errors")
    expect(message).to_contain_text("Write something")
    expect(message).to_be_focused()
    expect(page.get_by_role("textbox", name="Your comment")).to_have_attribute(
        "aria-invalid", "true"
    )


def test_report_without_a_reason_opens_at_the_focused_message_with_the_details_kept(
    new_context, discussion, stakeholder, screenshots
):
    answer = discussion["answer"]
    page = new_context(user=stakeholder, viewport=PHONE).new_page()
    page.goto(url_of(discussion["question"]))
    page.locator(f"#comment-{answer.pk}").get_by_role("link", name="Report").click()
    page.get_by_role("textbox", name="Anything the moderators should know").fill("It repeats.")

    page.get_by_role("button", name="Send report").click()

    message = page.locator("#report-errors")
    expect(message).to_contain_text("Choose the reason closest to your concern.")
    expect(message).to_be_focused()
    expect(page.get_by_role("textbox", name="Anything the moderators")).to_have_value("It repeats.")
    screenshots(page, "refused-report")


def test_report_confirmation_is_inside_the_reported_comment(new_context, discussion, stakeholder):
    answer = discussion["answer"]
    page = new_context(user=stakeholder).new_page()
    page.goto(url_of(discussion["question"]))
    page.locator(f"#comment-{answer.pk}").get_by_role("link", name="Report").click()
    page.get_by_role("radio").first.check()

    page.get_by_role("button", name="Send report").click()

    expect(page).to_have_url(re.compile(rf"#comment-{answer.pk}$"))
    expect(page.locator(f"#comment-{answer.pk} .comment__confirmation")).to_have_text(
        "Thank you. The moderators will review this comment."
    )


def test_pending_answer_says_it_awaits_approval_inside_the_comment(
    new_context, discussion, stakeholder, screenshots
):
    Consultation.objects.filter(pk=discussion["consultation"].pk).update(
        moderation_mode=ModerationMode.PRE
    )
    page = new_context(user=stakeholder, viewport=DESKTOP).new_page()
    page.goto(url_of(discussion["question"]))
    page.locator("#answer").get_by_role("textbox", name="Your comment").fill(
        "Held until a moderator reads it."
    )

    page.locator("#answer").get_by_role("button", name="Post comment").click()

    posted = page.locator(f"#comment-{newest_comment().pk}")
    expect(posted.locator(".comment__confirmation")).to_have_text(
        "Thank you. Your comment will appear once a moderator has approved it."
    )
    expect(posted.locator(".comment__confirmation")).to_be_in_viewport()
    expect(posted.locator(".badge--pending")).to_be_visible()
    screenshots(page, "pending-confirmation")


def test_answer_link_at_the_top_brings_the_form_in_reach_on_a_phone(
    new_context, discussion, stakeholder, screenshots
):
    page = new_context(user=stakeholder, viewport=PHONE).new_page()
    page.goto(url_of(discussion["question"]))
    link = page.locator("header").get_by_role("link", name="Answer this question")
    expect(link).to_be_in_viewport()
    textarea = page.locator("#answer").get_by_role("textbox", name="Your comment")
    expect(textarea).not_to_be_in_viewport()
    screenshots(page, "question-top")

    link.click()

    expect(page).to_have_url(re.compile(r"#answer$"))
    expect(textarea).to_be_in_viewport()
    screenshots(page, "answer-link-followed")


def test_consultation_page_links_each_question_to_its_answer_form(
    new_context, discussion, stakeholder
):
    page = new_context(user=stakeholder, viewport=PHONE).new_page()
    page.goto(url_of(discussion["consultation"]))

    page.locator("#question-1").get_by_role("link", name="Answer this question").click()

    expect(page).to_have_url(re.compile(re.escape(url_of(discussion["question"])) + "#answer$"))
    expect(page.locator("#answer").get_by_role("textbox", name="Your comment")).to_be_in_viewport()


# --- Keyboard only ------------------------------------------------------------------------


def tab_to(page, locator, *, most=80) -> None:
    """Press Tab until `locator` has the focus, as a keyboard user would."""
    for _press in range(most):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} never took the focus after {most} presses of Tab")


def test_keyboard_only_answer(new_context, discussion, stakeholder):
    page = new_context(user=stakeholder).new_page()
    page.goto(url_of(discussion["question"]))

    tab_to(page, page.locator("header").get_by_role("link", name="Answer this question"))
    page.keyboard.press("Enter")
    textarea = page.locator("#answer").get_by_role("textbox", name="Your comment")
    tab_to(page, textarea, most=3)
    page.keyboard.type("Typed and sent with the keyboard alone.")
    tab_to(page, page.locator("#answer").get_by_role("button", name="Post comment"), most=5)
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"#comment-\d+$"))
    posted = newest_comment()
    assert posted.body_source == "Typed and sent with the keyboard alone."
    assert posted.parent_id is None
    expect(page.locator(f"#comment-{posted.pk} .comment__confirmation")).to_be_focused()


def test_keyboard_only_reply(new_context, discussion, stakeholder):
    answer = discussion["answer"]
    page = new_context(user=stakeholder).new_page()
    page.goto(url_of(discussion["question"]))

    tab_to(page, page.locator(f"#comment-{answer.pk}").get_by_role("link", name="Reply"))
    page.keyboard.press("Enter")
    textarea = page.locator(f"#comment-{answer.pk} .inline-reply").get_by_role(
        "textbox", name="Your comment"
    )
    expect(textarea).to_be_focused()
    page.keyboard.type("A reply typed with the keyboard alone.")
    tab_to(page, page.get_by_role("button", name="Post reply"), most=5)
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"#comment-\d+$"))
    posted = newest_comment()
    assert posted.body_source == "A reply typed with the keyboard alone."
    assert posted.parent_id == answer.thread_key
    expect(page.locator(f"#comment-{posted.pk} .comment__confirmation")).to_be_focused()
