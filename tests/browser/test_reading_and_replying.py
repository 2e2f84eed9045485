"""What a person does with a mouse: reading, answering, replying, switching language."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from consultations.models import Comment, CommentStatus, Consultation
from tests.factories import make_comment, make_consultation, make_question, make_user

pytestmark = pytest.mark.browser

LONG_ANSWER = " ".join(
    [
        "Recognising the skills of people who move for work starts long before they leave.",
        "Training centres in countries of origin already test welders, nurses and drivers,",
        "yet the certificates they issue are rarely read by employers at destination.",
    ]
    * 6
    + ["The last sentence says that a shared register of trusted certificates would help most."]
)


def url_of(target, language="en") -> str:
    """The address of a question or comment in `language`, as the server writes it."""
    with translation.override(language):
        return target.get_absolute_url()


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def newest_comment() -> Comment:
    return Comment.objects.select_related("author").latest("pk")


@pytest.fixture
def amina(transactional_db):
    return make_user(display_name="Amina Diallo", organisation="Coastal Migrants Network")


@pytest.fixture
def stakeholder(transactional_db):
    return make_user(display_name="Kwame Mensah", organisation="Builders' Union")


@pytest.fixture
def discussion(amina):
    """An open consultation with three questions; question 1 has an answer and a reply."""
    consultation = make_consultation(slug="labour-mobility", title="Labour mobility and skills")
    first = make_question(consultation, number=1, title="How should skills be recognised?")
    second = make_question(consultation, number=2, title="What helps families stay in touch?")
    third = make_question(consultation, number=3, title="Which data would you want published?")
    answer = make_comment(first, author=amina, body="Mutual recognition agreements work best.")
    reply = make_comment(
        first,
        author=make_user(display_name="Lucía Fernández"),
        parent=answer,
        body="Only when trade unions sit at the table.",
    )
    other_answer = make_comment(second, body="Cheaper remittances keep families close.")
    return {
        "consultation": consultation,
        "questions": {1: first, 2: second, 3: third},
        "answer": answer,
        "reply": reply,
        "other_answer": other_answer,
    }


def test_visitor_reads_a_consultation_and_follows_a_comment_permalink(page, discussion):
    consultation, answer = discussion["consultation"], discussion["answer"]

    page.goto(url_of(consultation))

    headings = page.locator(".discussion .question h3")
    expect(headings).to_have_count(3)
    expect(headings.nth(0)).to_contain_text("Question 3: Which data would you want published?")
    expect(headings.nth(1)).to_contain_text("Question 2: What helps families stay in touch?")
    expect(headings.nth(2)).to_contain_text("Question 1: How should skills be recognised?")
    question_one = page.locator("#question-1")
    # The consultation page shows the latest answers; their replies are on the question's page.
    expect(question_one.locator(".comment")).to_have_count(1)
    expect(question_one.locator(f"#comment-{answer.pk}")).to_contain_text(
        "Mutual recognition agreements work best."
    )
    expect(question_one).to_contain_text("1 answer, 1 reply")
    expect(page.locator("#question-2 .comment")).to_have_count(1)
    expect(page.get_by_role("link", name="Log in to post a comment").first).to_be_visible()

    page.locator(f"#comment-{answer.pk} .comment__permalink").click()

    question_url = url_of(discussion["questions"][1])
    expect(page).to_have_url(
        re.compile(re.escape(f"{question_url}?order=newest#comment-{answer.pk}") + "$")
    )
    target = page.locator(":target")
    expect(target).to_have_attribute("id", f"comment-{answer.pk}")
    expect(target).to_be_in_viewport()
    expect(page.locator("h1")).to_contain_text("Question 1: How should skills be recognised?")


def test_stakeholder_replies_inline_without_leaving_the_page(new_context, discussion, stakeholder):
    answer, question = discussion["answer"], discussion["questions"][1]
    page = new_context(user=stakeholder).new_page()
    page.goto(url_of(question))
    page.evaluate("window.stillTheSamePage = true")
    parent = page.locator(f"#comment-{answer.pk}")
    parent_depth = int(parent.get_attribute("data-depth"))

    parent.get_by_role("link", name="Reply").click()

    inline_form = parent.locator(".inline-reply form")
    expect(inline_form).to_be_visible()
    expect(page.locator(".inline-reply")).to_have_count(1)
    assert page.evaluate("window.stillTheSamePage") is True
    assert path_of(page.url) == url_of(question)
    textarea = inline_form.get_by_role("textbox", name="Your comment")
    expect(textarea).to_be_focused()
    assert inline_form.bounding_box()["y"] > parent.locator(".comment__byline").bounding_box()["y"]

    page.keyboard.type("Employers' federations should co-sign them too.")
    inline_form.get_by_role("button", name="Post reply").click()

    page.wait_for_url(re.compile(r"#comment-\d+$"))
    reply = newest_comment()
    assert reply.parent_id == answer.thread_key
    assert reply.author == stakeholder
    assert reply.body_source == "Employers' federations should co-sign them too."
    expect(page).to_have_url(re.compile(re.escape(url_of(reply)) + "$"))
    posted = page.locator(f"#comment-{reply.pk}")
    expect(posted).to_be_in_viewport()
    expect(posted).to_have_attribute("data-depth", str(parent_depth + 1))
    expect(posted.locator(".comment__in-reply-to")).to_have_text("In reply to Amina Diallo")
    expect(posted).to_contain_text("Employers' federations should co-sign them too.")
    expect(posted.locator(".comment__confirmation")).to_contain_text("Your comment is published")
    assert posted.bounding_box()["x"] > parent.bounding_box()["x"]


def test_cancelled_inline_reply_keeps_its_text_for_the_next_reply_click(
    new_context, discussion, stakeholder
):
    answer = discussion["answer"]
    page = new_context(user=stakeholder).new_page()
    page.goto(url_of(discussion["questions"][1]))
    reply_link = page.locator(f"#comment-{answer.pk}").get_by_role("link", name="Reply")
    reply_link.click()
    inline_reply = page.locator(f"#comment-{answer.pk} .inline-reply")
    inline_reply.get_by_role("textbox", name="Your comment").fill("Half a thought")

    inline_reply.get_by_role("button", name="Cancel").click()

    expect(inline_reply).to_be_hidden()
    expect(reply_link).to_be_focused()
    expect(reply_link).to_have_attribute("aria-expanded", "false")
    reply_link.click()
    textarea = inline_reply.get_by_role("textbox", name="Your comment")
    expect(textarea).to_be_focused()
    expect(textarea).to_have_value("Half a thought")
    expect(page.locator(".inline-reply")).to_have_count(1)


def test_reply_link_opened_in_a_new_tab_is_the_reply_page(new_context, discussion, stakeholder):
    answer = discussion["answer"]
    context = new_context(user=stakeholder)
    page = context.new_page()
    page.goto(url_of(discussion["questions"][1]))

    with context.expect_page() as new_tab:
        page.locator(f"#comment-{answer.pk}").get_by_role("link", name="Reply").click(
            modifiers=["ControlOrMeta"]
        )

    new_tab.value.wait_for_load_state()
    assert path_of(new_tab.value.url) == f"/en/comments/{answer.pk}/reply/"
    expect(page.locator(".inline-reply")).to_have_count(0)


def test_reply_link_opens_the_reply_page_without_javascript(new_context, discussion, stakeholder):
    answer, question = discussion["answer"], discussion["questions"][1]
    page = new_context(user=stakeholder, java_script_enabled=False).new_page()
    page.goto(url_of(question))

    page.locator(f"#comment-{answer.pk}").get_by_role("link", name="Reply").click()

    expect(page).to_have_url(re.compile(rf"/en/comments/{answer.pk}/reply/$"))
    expect(page.locator("h1")).to_have_text("Reply to Amina Diallo")
    expect(page.locator(".quoted-comment blockquote")).to_contain_text(
        "Mutual recognition agreements work best."
    )
    page.get_by_role("textbox", name="Your comment").fill(
        "A written reply, posted without scripts."
    )
    page.get_by_role("button", name="Post reply").click()

    page.wait_for_url(re.compile(r"#comment-\d+$"))
    reply = newest_comment()
    assert reply.parent_id == answer.thread_key
    expect(page).to_have_url(re.compile(re.escape(url_of(reply)) + "$"))
    posted = page.locator(f"#comment-{reply.pk}")
    expect(posted).to_have_attribute("data-depth", "1")
    expect(posted.locator(".comment__in-reply-to")).to_have_text("In reply to Amina Diallo")
    expect(posted).to_contain_text("A written reply, posted without scripts.")


def test_stakeholder_answers_a_question_through_the_form_under_it(
    new_context, discussion, stakeholder
):
    question = discussion["questions"][3]
    page = new_context(user=stakeholder).new_page()
    page.goto(url_of(question))
    answer_box = page.locator(".answer-box")

    answer_box.get_by_role("textbox", name="Your comment").fill(
        "Publish arrivals by sector and by region, every quarter."
    )
    answer_box.get_by_role("combobox", name="Language of your comment").select_option("en")
    answer_box.get_by_role("button", name="Post comment").click()

    page.wait_for_url(re.compile(r"#comment-\d+$"))
    answer = newest_comment()
    assert answer.question == question
    assert answer.parent_id is None
    assert answer.status == CommentStatus.PUBLISHED
    expect(page).to_have_url(re.compile(re.escape(url_of(answer)) + "$"))
    posted = page.locator(f"#comment-{answer.pk}")
    expect(posted).to_have_attribute("data-depth", "0")
    expect(posted).to_contain_text("Publish arrivals by sector and by region, every quarter.")
    expect(posted.locator(".comment__author")).to_have_text("Kwame Mensah")
    expect(posted.locator(".comment__confirmation")).to_contain_text("Your comment is published")


def test_read_more_expands_a_long_comment_in_place(page, discussion):
    long_comment = make_comment(discussion["questions"][2], body=LONG_ANSWER)
    consultation_url = url_of(discussion["consultation"])
    page.goto(consultation_url)
    body = page.locator(f"#comment-{long_comment.pk}-body")
    expect(body).to_have_class(re.compile(r"\bcomment__body--teaser\b"))
    assert body.evaluate("element => element.scrollHeight > element.clientHeight"), (
        "the teaser should be clamped before Read more"
    )

    page.locator(f"#comment-{long_comment.pk}").get_by_role("link", name="Read more").click()

    expect(body).not_to_have_class(re.compile(r"\bcomment__body--teaser\b"))
    assert path_of(page.url) == consultation_url
    assert body.evaluate("element => element.scrollHeight <= element.clientHeight")
    expect(body).to_contain_text("a shared register of trusted certificates would help most")
    read_more = page.locator(f"#comment-{long_comment.pk}").get_by_role("link", name="Read more")
    expect(read_more).to_have_count(0)
    expect(body).to_be_focused()


def test_language_switcher_keeps_the_comment_anchor(page, discussion):
    answer = discussion["answer"]
    page.goto(url_of(answer))

    page.locator(".language-switcher").get_by_role(
        "link", name=re.compile("^français$", re.IGNORECASE)
    ).click()

    expect(page).to_have_url(re.compile(re.escape(url_of(answer, "fr")) + "$"))
    assert url_of(answer, "fr").startswith(
        "/fr/consultations/labour-mobility/questions/1/?order=oldest&page=1#"
    )
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(":target")).to_have_attribute("id", f"comment-{answer.pk}")


def close_consultation_now(consultation: Consultation) -> None:
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )


def test_refused_answer_shows_the_form_again_with_the_text(new_context, discussion, stakeholder):
    question = discussion["questions"][1]
    page = new_context(user=stakeholder).new_page()
    page.goto(url_of(question))
    text = "A long answer I spent an hour on.\n\nIt must not be lost."
    answer_box = page.locator(".answer-box")
    answer_box.get_by_role("textbox", name="Your comment").fill(text)

    close_consultation_now(discussion["consultation"])
    answer_box.get_by_role("button", name="Post comment").click()

    errors = page.locator(".answer-box .form-errors")
    expect(errors).to_contain_text("This consultation closed on")
    expect(errors).to_contain_text("it no longer takes contributions")
    expect(page.locator(".answer-box").get_by_role("textbox", name="Your comment")).to_have_value(
        text
    )
    assert not Comment.objects.filter(author=stakeholder).exists()


def test_refused_inline_reply_shows_the_form_again_with_the_text(
    new_context, discussion, stakeholder
):
    answer = discussion["answer"]
    page = new_context(user=stakeholder).new_page()
    page.goto(url_of(discussion["questions"][1]))
    page.locator(f"#comment-{answer.pk}").get_by_role("link", name="Reply").click()
    inline_form = page.locator(f"#comment-{answer.pk} .inline-reply form")
    inline_form.get_by_role("textbox", name="Your comment").fill("My considered reply.")

    close_consultation_now(discussion["consultation"])
    inline_form.get_by_role("button", name="Post reply").click()

    expect(page.locator(".form-errors")).to_contain_text("This consultation closed on")
    expect(page.get_by_role("textbox", name="Your comment")).to_have_value("My considered reply.")
    expect(page.locator(".quoted-comment")).to_contain_text("Mutual recognition agreements")
    assert not Comment.objects.filter(author=stakeholder).exists()


def test_a_second_click_on_post_sends_the_comment_once(new_context, discussion, stakeholder):
    question = discussion["questions"][3]
    page = new_context(user=stakeholder).new_page()
    page.goto(url_of(question))
    answer_box = page.locator(".answer-box")
    answer_box.get_by_role("textbox", name="Your comment").fill("Posted once, whatever the clicks.")
    held_posts = []
    # Hold the first post on its way, as a slow network would, while the person clicks again.
    page.route(
        re.compile(re.escape(url_of(question)) + "$"),
        lambda route: (
            held_posts.append(route) if route.request.method == "POST" else route.continue_()
        ),
    )
    submit = answer_box.get_by_role("button", name="Post comment")
    submit.scroll_into_view_if_needed()
    box = submit.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    # The mouse itself, not a locator: a locator would wait for the pending page to load.
    with page.expect_request(lambda request: request.method == "POST"):
        page.mouse.click(x, y)
    page.mouse.click(x, y)
    # Give a second post every chance to leave before counting.
    page.wait_for_timeout(500)
    posts_sent = len(held_posts)
    for route in held_posts:
        route.continue_()

    page.wait_for_url(re.compile(r"#comment-\d+$"))
    assert posts_sent == 1
    assert Comment.objects.filter(author=stakeholder).count() == 1


def test_visitor_logs_in_through_the_form_and_returns_to_the_question(page, discussion):
    make_user(email="nadia@example.org", display_name="Nadia Haddad")
    question = discussion["questions"][1]
    page.goto(url_of(question))

    page.locator(".answer-box").get_by_role("link", name="Log in to post a comment").click()

    expect(page).to_have_url(re.compile(r"/en/accounts/login/\?next="))
    page.get_by_label("Email").fill("nadia@example.org")
    page.get_by_label("Password").fill("a-long-test-password")
    page.locator("main form").get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(re.escape(url_of(question)) + "$"))
    expect(page.locator(".site-nav")).to_contain_text("Nadia Haddad")
    expect(page.locator(".answer-box").get_by_role("textbox", name="Your comment")).to_be_visible()
