"""axe-core finds no accessibility violation, whatever its impact, on the pages people use.

Every page type is checked in English, French and Spanish, for visitors and for each kind of
signed-in person the page exists for; so are the states a form goes through (an error, a
confirmation beside the new comment, an inline reply open).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from consultations.models import CommentStatus
from consultations.services.comments import comment_edit
from consultations.services.moderation import comment_report
from tests.factories import make_comment, make_consultation, make_question, make_user

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "fr", "es"]
LONG_ANSWER = "Skills travel with people, but certificates often do not. " * 20


def violations_on(page) -> list[dict]:
    """Every violation axe finds, minor ones included."""
    return Axe().run(page).response["violations"]


def describe(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def url_in(language, name, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def english_url(name, **kwargs) -> str:
    return url_in("en", name, **kwargs)


@pytest.fixture
def people(transactional_db):
    return {
        "author": make_user(display_name="Amina Diallo", organisation="Coastal Migrants Network"),
        "reader": make_user(display_name="Kwame Mensah", organisation="Builders' Union"),
        "moderator": make_user(display_name="Tomás Ruiz", organisation="Network secretariat"),
    }


@pytest.fixture
def secretariat(transactional_db):
    # Browser tests flush the database, groups from migrations included: grant the right itself.
    user = make_user(display_name="Ines Moreau", organisation="Network secretariat")
    user.user_permissions.add(Permission.objects.get(codename="manage_consultations"))
    return user


@pytest.fixture
def discussion(people):
    consultation = make_consultation(
        slug="labour-mobility",
        title="Labour mobility and skills",
        title_fr="Mobilité de la main-d'œuvre et compétences",
        title_es="Movilidad laboral y competencias",
        summary="How the skills of people who move for work can be recognised.",
        introduction="The network invites *every* stakeholder to answer.",
        objectives="Recognise skills\nLower recruitment costs",
        contact_email="secretariat@example.org",
        moderators=[people["moderator"]],
    )
    make_consultation(state="closed", title="An earlier consultation")
    make_consultation(state="upcoming", title="A later consultation")
    first = make_question(consultation, number=1, title="How should skills be recognised?")
    make_question(consultation, number=2, title="What helps families stay in touch?")
    answer = make_comment(first, author=people["author"], body=LONG_ANSWER)
    make_comment(first, parent=answer, body="A short reply with a [link](https://example.org).")
    own = make_comment(first, author=people["reader"], body="Recruitment fees should be banned.")
    own = comment_edit(
        editor=people["reader"],
        comment=own,
        body="Recruitment fees charged to workers should be banned.",
        language="en",
    )
    make_comment(first, status=CommentStatus.PENDING, body="Waiting for a moderator.")
    reported = make_comment(first, body="Buy cheap certificates here.")
    comment_report(reporter=people["author"], comment=reported, reason="spam")
    return {"consultation": consultation, "question": first, "answer": answer, "own": own}


def _pages(data, language) -> dict:
    slug = data["consultation"].slug
    answer, own = data["answer"].pk, data["own"].pk
    return {
        "consultation list": url_in(language, "consultations:list"),
        "consultation": url_in(language, "consultations:detail", slug=slug),
        "question": url_in(language, "consultations:question", slug=slug, number=1),
        "reply": url_in(language, "consultations:comment_reply", comment_id=answer),
        "edit": url_in(language, "consultations:comment_edit", comment_id=own),
        "versions": url_in(language, "consultations:comment_revisions", comment_id=own),
        "withdraw": url_in(language, "consultations:comment_withdraw", comment_id=own),
        "report": url_in(language, "consultations:comment_report", comment_id=answer),
        "hide": url_in(language, "consultations:comment_hide", comment_id=answer),
        "clarification request": url_in(
            language, "consultations:comment_request_clarification", comment_id=answer
        ),
        "moderation queue": url_in(language, "consultations:moderation_queue"),
        "profile": url_in(language, "accounts:profile"),
        "notification preferences": url_in(language, "notifications:preferences"),
        "privacy notice": url_in(language, "site_identity:notice", kind="privacy"),
        "terms of participation": url_in(language, "site_identity:notice", kind="terms"),
        "accessibility statement": url_in(language, "site_identity:notice", kind="accessibility"),
        "login": url_in(language, "account_login"),
        "signup": url_in(language, "account_signup"),
        "password reset": url_in(language, "account_reset_password"),
        "console": url_in(language, "consultations:console"),
        "consultation console": url_in(language, "consultations:console_consultation", slug=slug),
        "new consultation": url_in(language, "consultations:console_create"),
        "consultation editor": url_in(language, "consultations:console_edit", slug=slug),
        "new question": url_in(language, "consultations:console_question_create", slug=slug),
        "question editor": url_in(
            language, "consultations:console_question_edit", slug=slug, number=1
        ),
        "moderator search": url_in(language, "consultations:console_moderators", slug=slug)
        + "?q=union",
        "statistics": url_in(language, "consultations:console_statistics", slug=slug),
        "audit log": url_in(language, "consultations:audit_log"),
        "close confirmation": url_in(language, "consultations:console_close_now", slug=slug),
        "host identity": url_in(language, "site_identity:identity_edit"),
        "notice editor": url_in(language, "site_identity:notice_edit", kind="terms"),
    }


READERS = {
    "visitor": [
        "consultation list",
        "consultation",
        "question",
        "reply",
        "privacy notice",
        "terms of participation",
        "accessibility statement",
        "login",
        "signup",
        "password reset",
    ],
    "stakeholder": [
        "consultation list",
        "consultation",
        "question",
        "reply",
        "edit",
        "versions",
        "withdraw",
        "report",
        "profile",
        "notification preferences",
        "privacy notice",
    ],
    "moderator": ["moderation queue", "question", "hide", "clarification request", "versions"],
    "secretariat": [
        "console",
        "consultation console",
        "new consultation",
        "consultation editor",
        "new question",
        "question editor",
        "moderator search",
        "statistics",
        "audit log",
        "close confirmation",
        "host identity",
        "notice editor",
    ],
}


def _reader(role, people, secretariat):
    return {
        "visitor": None,
        "stakeholder": people["reader"],
        "moderator": people["moderator"],
        "secretariat": secretariat,
    }[role]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", list(READERS))
def test_every_page_has_no_accessibility_violations(
    new_context, discussion, people, secretariat, role, language
):
    page = new_context(user=_reader(role, people, secretariat)).new_page()
    pages = _pages(discussion, language)
    found = {}

    for name in READERS[role]:
        response = page.goto(pages[name])
        assert response.ok, f"{name} ({pages[name]}) answered {response.status}"
        expect(page.locator("html")).to_have_attribute("lang", language)
        violations = violations_on(page)
        if violations:
            found[name] = describe(violations)

    assert not found, "\n\n".join(f"{name}:\n{text}" for name, text in found.items())


@pytest.mark.parametrize("language", LANGUAGES)
def test_form_error_and_confirmation_have_no_accessibility_violations(
    new_context, discussion, people, language
):
    page = new_context(user=people["reader"]).new_page()
    page.goto(_pages(discussion, language)["question"])
    answer_box = page.locator("#answer")

    answer_box.locator("button[type=submit]").click()
    expect(page.locator("#answer-errors")).to_be_focused()
    errors_found = violations_on(page)
    answer_box.locator("textarea").fill("Certificates should name the skills, not the course.")
    answer_box.locator("button[type=submit]").click()
    expect(page.locator(".comment__confirmation")).to_be_visible()
    confirmation_found = violations_on(page)

    assert not errors_found, f"form error:\n{describe(errors_found)}"
    assert not confirmation_found, f"confirmation:\n{describe(confirmation_found)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_and_console_errors_have_no_accessibility_violations(
    new_context, discussion, people, secretariat, language
):
    pages = _pages(discussion, language)
    stakeholder_page = new_context(user=people["reader"]).new_page()
    stakeholder_page.goto(pages["report"])
    stakeholder_page.locator("main form button[type=submit]").click()
    expect(stakeholder_page.locator("#report-errors")).to_be_focused()
    report_found = violations_on(stakeholder_page)
    console_page = new_context(user=secretariat).new_page()
    console_page.goto(pages["consultation console"])
    console_page.locator("#id_extend_closes_at").fill("")
    console_page.locator("form[action$='#extend-errors'] button[type=submit]").click()
    expect(console_page.locator("#extend-errors")).to_be_focused()
    console_found = violations_on(console_page)

    assert not report_found, f"report error:\n{describe(report_found)}"
    assert not console_found, f"console error:\n{describe(console_found)}"


@pytest.mark.parametrize("name", ["consultation", "question"])
def test_page_with_an_inline_reply_open_has_no_accessibility_violations(
    new_context, discussion, people, name
):
    page = new_context(user=people["reader"]).new_page()
    page.goto(_pages(discussion, "en")[name])
    page.locator(f"#comment-{discussion['answer'].pk}").get_by_role("link", name="Reply").click()
    expect(page.locator(".inline-reply textarea")).to_be_focused()

    violations = violations_on(page)

    assert not violations, f"{name}:\n{describe(violations)}"


def test_host_identity_errors_have_no_accessibility_violations(
    new_context, discussion, secretariat, tmp_path
):
    fake = tmp_path / "logo.png"
    fake.write_text("Not an image.")
    page = new_context(user=secretariat).new_page()
    page.goto(english_url("site_identity:identity_edit"))
    page.locator("#id_name_en").fill("")
    page.get_by_label("New logo").set_input_files(str(fake))
    page.get_by_role("button", name="Save the identity").click()
    expect(page.locator(".form-errors").first).to_be_visible()

    violations = violations_on(page)

    assert not violations, describe(violations)


def test_signup_consent_error_has_no_accessibility_violations(page, discussion):
    page.goto(english_url("account_signup"))
    page.locator("#id_display_name").fill("Lucía Gómez")
    page.locator("form.signup, main form").last.evaluate("form => { form.noValidate = true; }")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.locator("main")).to_contain_text("Tick the box to accept the terms")

    violations = violations_on(page)

    assert not violations, describe(violations)


@pytest.mark.parametrize("language", LANGUAGES)
def test_list_of_messages_at_the_top_has_no_accessibility_violations(
    new_context, discussion, people, language
):
    page = new_context(user=people["moderator"]).new_page()
    page.goto(_pages(discussion, language)["moderation queue"])
    page.locator(".queue-item .decision-form button[type=submit]").first.click()
    expect(page.locator(".messages li")).to_have_count(1)

    violations = violations_on(page)

    assert not violations, describe(violations)
