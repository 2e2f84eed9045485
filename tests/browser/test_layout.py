"""Deep threads stay readable: replies indented under their parents, nothing wider than a phone."""

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from tests.factories import make_comment, make_consultation, make_question, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEPTH = settings.ROUNDTABLE_THREAD_MAX_INDENT + 2


@pytest.fixture
def deep_thread(transactional_db):
    """A question whose thread nests deeper than the indentation goes, with unbreakable text."""
    question = make_question(make_consultation(slug="deep"), number=1)
    parent = make_comment(question, body="The first answer.")
    comments = [parent]
    for depth in range(1, DEPTH + 1):
        author = make_user(
            display_name=f"Respondent number {depth} with a long name",
            organisation="International Confederation of Rather Long Organisation Names",
        )
        parent = make_comment(
            question,
            author=author,
            parent=parent,
            body=(
                f"Reply {depth}: see https://example.org/an/address/without/any/space/in/it/at/all"
                "/that/is/longer/than/a/phone/screen/is/wide and "
                "Arbeitnehmerfreizügigkeitsverordnungsänderungsentwurf."
            ),
        )
        comments.append(parent)
    return question, comments


def open_thread(new_context, question, viewport, user=None):
    page = new_context(user=user, viewport=viewport).new_page()
    with translation.override("en"):
        page.goto(question.get_absolute_url())
    return page


def overflowing_elements(page) -> list[str]:
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          return [...document.querySelectorAll("body *")]
            .filter((element) => {
              const box = element.getBoundingClientRect();
              return box.width > 0 && box.right > width + 0.5;
            })
            .map((element) => element.outerHTML.slice(0, 120));
        }"""
    )


def test_deep_thread_with_an_inline_reply_fits_a_phone_screen(new_context, deep_thread):
    question, comments = deep_thread
    page = open_thread(new_context, question, PHONE, user=make_user())
    deepest = page.locator(f"#comment-{comments[-1].pk}")
    deepest.get_by_role("link", name="Reply").click()
    expect(deepest.locator(".inline-reply textarea")).to_be_focused()

    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert overflowing_elements(page) == []
    # The deepest reply still has most of the screen for its words.
    body_width = page.locator(f"#comment-{comments[-1].pk}-body").bounding_box()["width"]
    assert body_width >= 0.7 * PHONE["width"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_each_reply_is_indented_under_its_parent_up_to_the_deepest_indent(
    new_context, deep_thread, viewport
):
    question, comments = deep_thread
    page = open_thread(new_context, question, viewport)

    lefts = [page.locator(f"#comment-{comment.pk}").bounding_box()["x"] for comment in comments]

    max_indent = settings.ROUNDTABLE_THREAD_MAX_INDENT
    for depth in range(1, max_indent + 1):
        assert lefts[depth] > lefts[depth - 1], f"depth {depth} is not indented"
    assert lefts[max_indent + 1 :] == [lefts[max_indent]] * (DEPTH - max_indent)
