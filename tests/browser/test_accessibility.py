"""axe-core finds no serious or critical accessibility violation on the pages people use."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from tests.factories import make_comment, make_consultation, make_question, make_user

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}
LONG_ANSWER = "Skills travel with people, but certificates often do not. " * 20


def blocking_violations(page) -> list[dict]:
    results = Axe().run(page)
    return [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def describe(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def english_url(name, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def people(transactional_db):
    return {
        "author": make_user(display_name="Amina Diallo", organisation="Coastal Migrants Network"),
        "reader": make_user(display_name="Kwame Mensah", organisation="Builders' Union"),
    }


@pytest.fixture
def discussion(people):
    consultation = make_consultation(
        slug="labour-mobility",
        title="Labour mobility and skills",
        summary="How the skills of people who move for work can be recognised.",
        introduction="The network invites *every* stakeholder to answer.",
        objectives="Recognise skills\nLower recruitment costs",
        contact_email="secretariat@example.org",
    )
    make_consultation(state="closed", title="An earlier consultation")
    make_consultation(state="upcoming", title="A later consultation")
    first = make_question(consultation, number=1, title="How should skills be recognised?")
    make_question(consultation, number=2, title="What helps families stay in touch?")
    answer = make_comment(first, author=people["author"], body=LONG_ANSWER)
    make_comment(first, parent=answer, body="A short reply with a [link](https://example.org).")
    return {"consultation": consultation, "question": first, "answer": answer}


PAGES = {
    "consultation list": lambda data: english_url("consultations:list"),
    "consultation": lambda data: english_url(
        "consultations:detail", slug=data["consultation"].slug
    ),
    "question": lambda data: english_url(
        "consultations:question", slug=data["consultation"].slug, number=1
    ),
    "reply page": lambda data: english_url(
        "consultations:comment_reply", comment_id=data["answer"].pk
    ),
    "login": lambda data: english_url("account_login"),
    "signup": lambda data: english_url("account_signup"),
    "privacy notice": lambda data: english_url("site_identity:notice", kind="privacy"),
    "terms of participation": lambda data: english_url("site_identity:notice", kind="terms"),
    "accessibility statement": lambda data: english_url(
        "site_identity:notice", kind="accessibility"
    ),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_for_visitors_has_no_serious_accessibility_violations(page, discussion, name):
    page.goto(PAGES[name](discussion))

    violations = blocking_violations(page)

    assert not violations, f"{name}:\n{describe(violations)}"


@pytest.mark.parametrize("name", ["question", "reply page"])
def test_page_with_forms_for_stakeholders_has_no_serious_accessibility_violations(
    new_context, discussion, people, name
):
    page = new_context(user=people["reader"]).new_page()
    page.goto(PAGES[name](discussion))
    expect(page.get_by_role("textbox", name="Your comment").first).to_be_visible()

    violations = blocking_violations(page)

    assert not violations, f"{name}:\n{describe(violations)}"


@pytest.mark.parametrize("name", ["consultation", "question"])
def test_page_with_an_inline_reply_open_has_no_serious_accessibility_violations(
    new_context, discussion, people, name
):
    page = new_context(user=people["reader"]).new_page()
    page.goto(PAGES[name](discussion))
    page.locator(f"#comment-{discussion['answer'].pk}").get_by_role("link", name="Reply").click()
    expect(page.locator(".inline-reply textarea")).to_be_focused()

    violations = blocking_violations(page)

    assert not violations, f"{name}:\n{describe(violations)}"


def test_form_errors_have_no_serious_accessibility_violations(new_context, discussion, people):
    page = new_context(user=people["reader"]).new_page()
    page.goto(PAGES["question"](discussion))
    page.locator(".answer-box").get_by_role("button", name="Post comment").click()
    expect(page.locator(".answer-box .field-errors")).to_contain_text("Write something")

    violations = blocking_violations(page)

    assert not violations, describe(violations)


# --- The secretariat's pages for the host identity, notices and window controls -------------


@pytest.fixture
def secretariat(transactional_db):
    # Browser tests flush the database, groups from migrations included: grant the right itself.
    user = make_user(display_name="Ines Moreau", organisation="Network secretariat")
    user.user_permissions.add(Permission.objects.get(codename="manage_consultations"))
    return user


SECRETARIAT_PAGES = {
    "host identity": lambda data: english_url("site_identity:identity_edit"),
    "notice editor": lambda data: english_url("site_identity:notice_edit", kind="terms"),
    "close confirmation": lambda data: english_url(
        "consultations:console_close_now", slug=data["consultation"].slug
    ),
    "moderator search": lambda data: (
        english_url("consultations:console_moderators", slug=data["consultation"].slug) + "?q=union"
    ),
}


@pytest.mark.parametrize("name", list(SECRETARIAT_PAGES))
def test_secretariat_page_has_no_serious_accessibility_violations(
    new_context, discussion, people, secretariat, name
):
    page = new_context(user=secretariat).new_page()
    page.goto(SECRETARIAT_PAGES[name](discussion))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    violations = blocking_violations(page)

    assert not violations, f"{name}:\n{describe(violations)}"


def test_host_identity_errors_have_no_serious_accessibility_violations(
    new_context, discussion, secretariat, tmp_path
):
    fake = tmp_path / "logo.png"
    fake.write_text("Not an image.")
    page = new_context(user=secretariat).new_page()
    page.goto(SECRETARIAT_PAGES["host identity"](discussion))
    page.locator("#id_name_en").fill("")
    page.get_by_label("New logo").set_input_files(str(fake))
    page.get_by_role("button", name="Save the identity").click()
    expect(page.locator(".form-errors").first).to_be_visible()

    violations = blocking_violations(page)

    assert not violations, describe(violations)


def test_signup_consent_error_has_no_serious_accessibility_violations(page, discussion):
    page.goto(PAGES["signup"](discussion))
    page.locator("#id_display_name").fill("Lucía Gómez")
    page.locator("form.signup, main form").last.evaluate("form => { form.noValidate = true; }")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.locator("main")).to_contain_text("Tick the box to accept the terms")

    violations = blocking_violations(page)

    assert not violations, describe(violations)
