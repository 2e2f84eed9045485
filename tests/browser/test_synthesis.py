"""The synthesis workbench in a real browser: tagging, a key quote from a selection, axe."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import OrganisationType
from synthesis.models import Quote, ThemeTag
from tests.browser.test_accessibility import describe
from tests.factories import make_comment, make_consultation, make_question, make_theme, make_user

pytestmark = pytest.mark.browser

ANSWER = (
    "Recruitment fees push workers into debt before they even arrive. "
    "Ban them outright, and make the employer pay."
)


def url(name, *args, language="en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def secretariat(transactional_db):
    # Browser tests flush the database, groups from migrations included: grant the right itself.
    user = make_user(display_name="Ines Moreau", organisation="Network secretariat")
    user.user_permissions.add(Permission.objects.get(codename="manage_consultations"))
    return user


@pytest.fixture
def reading(transactional_db):
    consultation = make_consultation(
        state="closed",
        slug="regional-review",
        title="Regional review",
        objectives_en="Safer pathways\nFair recruitment",
    )
    question = make_question(consultation, number=1, title="What has changed?")
    author = make_user(
        display_name="Amina Diallo",
        organisation="Coastal Migrants Network",
        organisation_type=OrganisationType.CIVIL_SOCIETY,
        country="SN",
    )
    answer = make_comment(question, author=author, body=ANSWER)
    make_comment(question, body="Cities collect data that never reaches states.", language="en")
    theme = make_theme(
        consultation,
        title="Fair recruitment",
        title_fr="Recrutement équitable",
        objective_numbers=[2],
    )
    make_theme(consultation, title="Data")
    # One contribution from each type of organisation: the count table is wider than the page.
    for organisation_type in OrganisationType.values:
        make_comment(
            question,
            author=make_user(organisation_type=organisation_type),
            body="Every kind of organisation has a view on this.",
        )
    return {"consultation": consultation, "answer": answer, "theme": theme}


def all_violations(page) -> list[dict]:
    return Axe().run(page).response["violations"]


def test_tagging_a_contribution_and_marking_a_quote_from_a_selection(
    new_context, secretariat, reading
):
    page = new_context(user=secretariat).new_page()
    slug, answer = reading["consultation"].slug, reading["answer"]
    page.goto(url("synthesis:page", slug) + "?tag_state=untagged")
    page.locator(f"#contribution-{answer.pk}").get_by_role("link", name="Read and tag").click()

    page.get_by_role("checkbox", name="1. Fair recruitment").check()
    page.get_by_role("button", name="Save the themes").click()
    expect(page.locator(".messages")).to_contain_text("The contribution's themes are saved.")
    page.locator("#contribution-text").evaluate(
        """(text) => {
            const node = text.querySelector("p").firstChild;
            const start = node.data.indexOf("Ban them");
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, node.data.length);
            document.getSelection().removeAllRanges();
            document.getSelection().addRange(range);
        }"""
    )
    page.get_by_role("button", name="Quote the words selected in the text").click()
    expect(page.get_by_role("textbox", name="Key quote")).to_have_value(
        "Ban them outright, and make the employer pay."
    )
    page.get_by_role("button", name="Mark as a key quote").click()

    expect(page.locator(".messages")).to_contain_text("The excerpt is marked as a key quote.")
    expect(page.locator(".synthesis-quotes")).to_contain_text(
        "“Ban them outright, and make the employer pay.”"
    )
    assert ThemeTag.objects.filter(comment=answer, theme=reading["theme"]).exists()
    assert list(Quote.objects.values_list("text", flat=True)) == [
        "Ban them outright, and make the employer pay."
    ]
    page.goto(url("synthesis:page", slug))
    expect(page.locator("#theme-1-heading + p + ul, .synthesis-theme").first).to_contain_text(
        "Ban them outright"
    )


def test_a_quote_typed_wrong_is_refused_in_the_browser_and_kept(new_context, secretariat, reading):
    page = new_context(user=secretariat, java_script_enabled=False).new_page()
    page.goto(url("synthesis:contribution", reading["consultation"].slug, reading["answer"].pk))

    page.get_by_role("textbox", name="Key quote").fill("Fees are fair.")
    page.get_by_role("button", name="Mark as a key quote").click()

    expect(page.locator(".form-errors")).to_contain_text("not a part of the contribution")
    expect(page.get_by_role("textbox", name="Key quote")).to_have_value("Fees are fair.")
    assert not Quote.objects.exists()


PAGES = {
    "synthesis": lambda data: url("synthesis:page", data["consultation"].slug),
    "synthesis in French": lambda data: url(
        "synthesis:page", data["consultation"].slug, language="fr"
    ),
    "not yet tagged": lambda data: (
        url("synthesis:page", data["consultation"].slug) + "?tag_state=untagged"
    ),
    "unknown filter": lambda data: (
        url("synthesis:page", data["consultation"].slug) + "?language=klingon"
    ),
    "contribution": lambda data: url(
        "synthesis:contribution", data["consultation"].slug, data["answer"].pk
    ),
    "codebook": lambda data: url("synthesis:codebook", data["consultation"].slug),
    "new theme": lambda data: url("synthesis:theme_create", data["consultation"].slug),
    "theme": lambda data: url("synthesis:theme_edit", data["consultation"].slug, 1),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_synthesis_page_has_no_accessibility_violations(new_context, secretariat, reading, name):
    page = new_context(user=secretariat).new_page()
    page.goto(PAGES[name](reading))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    violations = all_violations(page)

    assert not violations, f"{name}:\n{describe(violations)}"
