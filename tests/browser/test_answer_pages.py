"""A long thread in pages: "More answers" in place with JavaScript, plain links without."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.factories import make_comment, make_consultation, make_question, make_user

pytestmark = pytest.mark.browser

START = datetime(2030, 1, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def long_thread(transactional_db, settings):
    """Five answers, two to a page; the fourth answer has a reply."""
    settings.ROUNDTABLE_ANSWERS_PER_PAGE = 2
    consultation = make_consultation(slug="remittances", title="Remittances and inclusion")
    question = make_question(consultation, number=1, title="What would lower remittance costs?")
    author = make_user(display_name="Amina Diallo")
    answers = [
        make_comment(
            question,
            author=author,
            body=f"Answer {number}: open payment systems to licensed transfer firms.",
            created_at=START + timedelta(minutes=number),
        )
        for number in range(5)
    ]
    make_comment(
        question,
        parent=answers[3],
        body="A reply: mobile wallets already cut the fees in half.",
        created_at=START + timedelta(minutes=30),
    )
    return question


def test_more_answers_appends_the_next_page_in_place(page, live_server, long_thread):
    page.goto(live_server.url + long_thread.get_absolute_url())
    comments = page.locator(".thread .comment")
    expect(comments).to_have_count(2)

    page.get_by_role("button", name="More answers").click()

    expect(comments).to_have_count(5)
    expect(
        page.get_by_text("A reply: mobile wallets already cut the fees in half.")
    ).to_be_visible()
    assert page.url.endswith(long_thread.get_absolute_url())  # still the same page
    page.get_by_role("button", name="More answers").click()
    expect(comments).to_have_count(6)
    expect(page.get_by_role("button", name="More answers")).to_have_count(0)


def test_without_javascript_the_page_links_lead_from_page_to_page(
    new_context, live_server, long_thread
):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + long_thread.get_absolute_url())
    pages = page.get_by_role("navigation", name="Pages of answers")
    expect(page.get_by_role("button", name="More answers")).to_have_count(0)

    pages.get_by_role("link", name="Next page").click()

    expect(pages.locator('[aria-current="page"]')).to_have_text("Page 2")
    expect(
        page.get_by_text("A reply: mobile wallets already cut the fees in half.")
    ).to_be_visible()
    pages.get_by_role("link", name="Page 3").click()
    expect(page.locator(".thread .comment")).to_have_count(1)
