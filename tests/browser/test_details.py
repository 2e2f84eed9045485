"""Details that show care: a focus ring visible on every background, comment controls big
enough to touch, and questions in all three languages at once without JavaScript."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from consultations.models import CommentStatus
from documents.services import comment_attachments_add
from tests.documents import samples
from tests.factories import make_comment, make_consultation, make_question, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
LONG_ANSWER = " ".join(
    ["Recruitment fees charged to workers lead to debt bondage; the fee must fall on employers."]
    * 12
)


def url_of(thing, language="en"):
    with translation.override(language):
        return thing.get_absolute_url()


@pytest.fixture
def moderator(transactional_db):
    return make_user(display_name="Tomás Ruiz", organisation="Network secretariat")


@pytest.fixture
def stakeholder(transactional_db):
    return make_user(display_name="Kwame Mensah", organisation="Builders' Union")


@pytest.fixture
def thread(moderator, stakeholder):
    """One question with every kind of comment a control can sit on."""
    consultation = make_consultation(slug="fair-recruitment", moderators=[moderator])
    question = make_question(
        consultation,
        number=1,
        title="Which recruitment practices protect workers?",
        title_fr="Quelles pratiques de recrutement protègent les travailleurs ?",
        title_es="¿Qué prácticas de contratación protegen a los trabajadores?",
        body="Think of the fees charged to workers.",
        body_fr="Pensez aux frais facturés aux travailleurs.",
        body_es="Piense en las tarifas cobradas a los trabajadores.",
    )
    amina = make_user(display_name="Amina Diallo", organisation="Coastal Migrants Network")
    answer = make_comment(question, author=amina, body=LONG_ANSWER)
    comment_attachments_add(comment=answer, files=[samples.pdf("survey.pdf")])
    own = make_comment(
        question,
        author=stakeholder,
        parent=answer,
        body="Employers should carry the cost.",
        edited_at=timezone.now() - timedelta(minutes=5),
    )
    pending = make_comment(question, body="Held for approval.", status=CommentStatus.PENDING)
    hidden = make_comment(
        question,
        body="A phone number.",
        status=CommentStatus.HIDDEN,
        moderation_reason="Shares a phone number",
    )
    return {
        "consultation": consultation,
        "question": question,
        "answer": answer,
        "own": own,
        "pending": pending,
        "hidden": hidden,
    }


# --- The focus ring -----------------------------------------------------------------------

MEASURE_FOCUS = """(element) => {
  const rgb = (text) => {
    const match = text.match(/rgba?\\(([^)]+)\\)/);
    if (!match) return null;
    const [r, g, b, a = 1] = match[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return a === 0 ? null : [r, g, b];
  };
  const backgroundBehind = (start) => {
    for (let node = start; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour) return colour;
    }
    return [255, 255, 255];
  };
  element.focus();
  const style = getComputedStyle(element);
  return {
    name: element.outerHTML.slice(0, 80),
    focusVisible: element.matches(":focus-visible"),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    ring: rgb(style.outlineColor),
    halo: rgb(style.boxShadow),
    own: rgb(style.backgroundColor),
    around: backgroundBehind(element.parentElement),
  };
}"""


def luminance(rgb) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ring_problems(page, selector: str, where: str) -> list[str]:
    """What is wrong with the focus ring of the first `selector` on `page`, if anything."""
    measured = page.locator(selector).first.evaluate(MEASURE_FOCUS)
    problems = []
    if not measured["focusVisible"]:
        problems.append("no :focus-visible")
    if measured["outlineStyle"] != "solid" or measured["outlineWidth"] < 2:
        problems.append(f"outline {measured['outlineStyle']} {measured['outlineWidth']}px")
    elif contrast(measured["ring"], measured["around"]) < 3:
        problems.append(
            f"ring {measured['ring']} on {measured['around']}: "
            f"{contrast(measured['ring'], measured['around']):.2f}:1"
        )
    if measured["halo"] and contrast(measured["ring"], measured["halo"]) < 3:
        problems.append(f"ring {measured['ring']} on its halo {measured['halo']}")
    if measured["own"]:
        # A control with a colour of its own: the halo parts a dark one (a button) from
        # the ring; on a light one (a text field) the ring itself stands out.
        parted = max(
            contrast(measured["halo"] or measured["own"], measured["own"]),
            contrast(measured["ring"], measured["own"]),
        )
        if parted < 3:
            problems.append(f"ring and halo on the control's {measured['own']}: {parted:.2f}:1")
    return [f"{where} ({measured['name']}): {problem}" for problem in problems]


def test_the_focus_ring_stands_out_on_every_background(new_context, thread, stakeholder):
    page = new_context(user=stakeholder, viewport=DESKTOP).new_page()
    answer = thread["answer"]
    page.goto(url_of(answer))  # the answer is the :target, on its highlight colour
    expect(page.locator(":target")).to_have_attribute("id", f"comment-{answer.pk}")

    problems = [
        *ring_problems(page, ".skip-link", "skip link"),
        *ring_problems(page, ".site-header .site-nav a", "header"),
        *ring_problems(page, ".site-header .language-switcher a", "header, language"),
        *ring_problems(page, ".site-header button.link-button", "header, log out"),
        *ring_problems(page, ".breadcrumbs a", "body"),
        *ring_problems(page, f"#comment-{answer.pk} .comment__reply", "linked comment"),
        *ring_problems(page, f"#comment-{thread['own'].pk} .comment__reply", "comment"),
        *ring_problems(page, ".answer-box button[type=submit], main form .button", "button"),
        *ring_problems(page, "main textarea", "text field"),
        *ring_problems(page, ".site-footer a", "footer"),
    ]

    # A confirmation (shown inside the new comment, with a flash message's colours):
    # post an answer, then focus a link inside the message it brings.
    page.locator("main textarea").last.fill("Fees must never fall on the worker.")
    page.locator("main textarea").last.press("Tab")
    page.locator("main form .button").last.click()
    message = page.locator(".comment__confirmation").first
    expect(message).to_contain_text("published")
    message.evaluate(
        "(element) => element.insertAdjacentHTML('beforeend', ' <a href=\"#main\">link</a>')"
    )
    problems += ring_problems(page, ".comment__confirmation a", "confirmation message")

    # A danger button: withdrawing one's own comment.
    page.goto(f"/en/comments/{thread['own'].pk}/withdraw/")
    problems += ring_problems(page, "main .button--danger", "danger button")

    assert problems == []


def test_the_old_amber_ring_would_fail_the_same_check():
    """The check above can fail: the amber ring used before had 2:1 on white."""
    assert contrast((0xF5, 0xA6, 0x23), (255, 255, 255)) < 3
    assert contrast((0x1D, 0x23, 0x30), (0x0B, 0x5C, 0xAD)) < 3  # the ring alone on a button
    assert contrast((255, 255, 255), (0x0B, 0x5C, 0xAD)) >= 3  # hence the halo


# --- Target sizes ---------------------------------------------------------------------------

COMMENT_CONTROLS = ", ".join(
    f".comment {selector}"
    for selector in (
        ".comment__actions a",
        ".comment__actions button",
        ".comment__actions input:not([type=hidden])",
        ".comment__permalink",
        ".comment__versions",
        ".read-more",
        ".comment__files a",
        ".comment__hidden-text > summary",
    )
)

MEASURE_TARGETS = """(selector) => [...document.querySelectorAll(selector)]
  .filter((element) => element.getClientRects().length > 0)
  .map((element) => {
    const box = element.getBoundingClientRect();
    return {name: (element.textContent || element.name || "").trim().slice(0, 30),
            width: box.width, height: box.height};
  })"""


def small_targets(page) -> tuple[list[dict], set[str]]:
    targets = page.evaluate(MEASURE_TARGETS, COMMENT_CONTROLS)
    small = [target for target in targets if target["width"] < 24 or target["height"] < 24]
    return small, {target["name"] for target in targets}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
def test_every_comment_control_is_at_least_24px_square(
    new_context, thread, stakeholder, moderator, viewport
):
    as_stakeholder = new_context(user=stakeholder, viewport=viewport).new_page()
    as_moderator = new_context(user=moderator, viewport=viewport).new_page()
    seen = set()
    problems = []
    for page, url in (
        (as_stakeholder, url_of(thread["question"])),
        (as_stakeholder, url_of(thread["consultation"])),  # teasers: "Read more"
        (as_moderator, url_of(thread["question"])),
    ):
        page.goto(url)
        small, names = small_targets(page)
        problems += [f"{url}: {target}" for target in small]
        seen |= names

    # The controls that matter were all there to be measured.
    for name in ("Reply", "Edit", "Withdraw", "Report", "Hide", "Approve", "Restore"):
        assert name in seen, name
    assert {"Read more", "survey.pdf", "Earlier versions", "Show the hidden text"} <= seen
    assert problems == []


# --- Questions in all three languages -------------------------------------------------------


def test_questions_in_all_three_languages_without_javascript(new_context, thread):
    page = new_context(java_script_enabled=False, viewport=PHONE).new_page()
    page.goto(url_of(thread["question"], "fr"))
    expect(page.locator(".question-version")).to_have_count(0)

    page.get_by_role("link", name=re.compile("anglais, français et espagnol")).click()

    versions = page.locator(".question-version")
    expect(versions).to_have_count(3)
    assert [versions.nth(i).get_attribute("lang") for i in range(3)] == ["en", "fr", "es"]
    expect(versions.nth(0)).to_contain_text("Which recruitment practices protect workers?")
    expect(versions.nth(2)).to_contain_text("Piense en las tarifas")
    assert page.url.endswith("#question-languages")

    # Remembered on the next page, in another language.
    page.goto(url_of(thread["consultation"], "es"))
    expect(page.locator("#question-1 .question-version")).to_have_count(3)

    page.get_by_role("link", name=re.compile("solo en el idioma")).click()
    expect(page.locator(".question-version")).to_have_count(0)
    expect(page.locator("#question-1")).to_contain_text("Piense en las tarifas")
