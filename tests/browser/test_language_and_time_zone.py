"""In a browser: a language picked is remembered, a chosen zone is used, account pages pass axe."""

import re
from datetime import UTC, datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.test_accessibility import describe
from tests.factories import make_consultation, make_user

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "fr", "es"]
CLOSES_AT = datetime(2030, 3, 15, 16, 0, tzinfo=UTC)


def url_in(language, name, *args):
    with translation.override(language):
        return reverse(name, args=args)


def all_violations(page) -> list[dict]:
    return Axe().run(page).response["violations"]


@pytest.fixture
def paris_consultation(transactional_db):
    return make_consultation(
        slug="labour-migration-review",
        title="Labour migration review",
        title_fr="Revue des migrations de travail",
        title_es="Revisión de la migración laboral",
        closes_at=CLOSES_AT,
        time_zone="Europe/Paris",
    )


def test_a_language_picked_in_the_header_is_remembered(page, paris_consultation):
    page.goto(paris_consultation.get_absolute_url())

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()
    expect(page).to_have_url(re.compile(r"/fr/consultations/labour-migration-review/$"))
    expect(page.locator("h1")).to_have_text("Revue des migrations de travail")

    # The browser still asks for English (en-GB); the pick wins.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/fr/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_a_person_chooses_a_time_zone_and_reads_dates_in_it(new_context, paris_consultation):
    person = make_user(display_name="Lucía Gómez", organisation="Red de Migrantes")
    page = new_context(user=person).new_page()
    page.goto(paris_consultation.get_absolute_url())
    expect(page.locator(".window").first).to_contain_text("15 March 2030, 17:00 UTC+01:00")

    page.goto(url_in("en", "accounts:profile"))
    page.get_by_label("Your time zone").select_option("America/Bogota")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".messages")).to_contain_text("Your profile is saved.")

    page.goto(paris_consultation.get_absolute_url())
    expect(page.locator(".window").first).to_contain_text("15 March 2030, 11:00 UTC−05:00")


VISITOR_PAGES = ["account_login", "account_signup", "account_reset_password"]
MEMBER_PAGES = [
    "account_email",
    "account_change_password",
    "account_reauthenticate",
    "account_logout",
    "accounts:profile",
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_account_pages_have_no_accessibility_violations(new_context, language):
    visitor = new_context().new_page()
    member = new_context(user=make_user(display_name="Kwame Mensah")).new_page()
    found = {}
    for browser_page, names in ((visitor, VISITOR_PAGES), (member, MEMBER_PAGES)):
        for name in names:
            browser_page.goto(url_in(language, name))
            expect(browser_page.locator("h1")).to_be_visible()
            violations = all_violations(browser_page)
            if violations:
                found[name] = describe(violations)
    assert found == {}, "\n".join(f"{name}:\n{text}" for name, text in found.items())


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_login_has_no_accessibility_violations(page, transactional_db, language):
    page.goto(url_in(language, "account_login"))
    page.locator("#id_login").fill("nobody@example.org")
    page.locator("#id_password").fill("not-the-password")
    page.locator("form.account-form button[type=submit]").click()
    expect(page.locator(".form-errors")).to_be_visible()

    violations = all_violations(page)

    assert not violations, describe(violations)
