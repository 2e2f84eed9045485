"""The admin runs under the site's Content Security Policy without anything being blocked."""

import pytest

from tests.factories import make_consultation, make_question, make_user

pytestmark = pytest.mark.browser

# Records every violation the page reports, from the first script on.
LISTEN_FOR_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def test_the_admin_change_page_of_a_consultation_blocks_nothing(new_context, live_server):
    consultation = make_consultation(slug="recruitment-fees", title="Recruitment fees")
    make_question(consultation, number=1, title="Who pays the fees?")
    admin = make_user(is_staff=True, is_superuser=True)
    context = new_context(user=admin)
    context.add_init_script(LISTEN_FOR_VIOLATIONS)
    page = context.new_page()
    console_violations = []
    page.on(
        "console",
        lambda message: (
            console_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )

    response = page.goto(f"/en/admin/consultations/consultation/{consultation.pk}/change/")
    page.wait_for_load_state("load")

    assert response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("#consultation_form").is_visible()
    # jQuery UI, served by the site itself, drew modeltranslation's language tabs.
    assert page.locator(".ui-tabs-nav").first.is_visible()
    assert page.evaluate("window.cspViolations") == []
    assert console_violations == []
