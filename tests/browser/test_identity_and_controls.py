"""The host's identity, the notices, consent at sign-up and the secretariat's safe controls,
in a real browser."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import User
from consultations.models import Consultation
from site_identity.models import SiteIdentity, TermsAcceptance
from tests.factories import make_consultation, make_user
from tests.site_identity.factories import png_bytes

pytestmark = pytest.mark.browser


def english(path_name, *args):
    from django.urls import reverse

    with translation.override("en"):
        return reverse(path_name, args=args)


@pytest.fixture
def secretariat(transactional_db):
    # Browser tests flush the database, groups from migrations included: grant the right itself.
    user = make_user(display_name="Ines Moreau", organisation="Network secretariat")
    user.user_permissions.add(Permission.objects.get(codename="manage_consultations"))
    return user


@pytest.fixture
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_secretariat_sets_the_host_name_and_logo_and_visitors_see_them(
    new_context, secretariat, tmp_path, _media_in_a_temporary_folder
):
    logo = tmp_path / "network-logo.png"
    logo.write_bytes(png_bytes(40, 20))
    page = new_context(user=secretariat).new_page()
    page.goto(english("site_identity:identity_edit"))

    page.locator("#id_name_en").fill("Global Network on Labour Migration")
    page.locator("#id_name_fr").fill("Réseau mondial sur les migrations de main-d’œuvre")
    page.locator("#id_tagline_en").fill("Fair recruitment, decent work")
    page.locator("#id_contact_email").fill("consultations@example.org")
    page.get_by_label("New logo").set_input_files(str(logo))
    page.get_by_role("button", name="Save the identity").click()
    expect(page.locator(".messages")).to_contain_text("The host's identity is saved.")

    visitor = new_context().new_page()
    visitor.goto("/fr/")
    expect(visitor).to_have_title(
        "Consultations — Réseau mondial sur les migrations de main-d’œuvre"
    )
    header_logo = visitor.locator(".site-header .site-logo")
    expect(header_logo).to_be_visible()
    assert header_logo.evaluate("image => image.naturalWidth") == 40
    expect(visitor.locator(".powered-by")).to_contain_text("Roundtable")
    expect(visitor.locator(".site-footer")).to_contain_text("consultations@example.org")


def test_a_logo_that_is_not_an_image_is_refused_and_the_name_typed_is_kept(
    new_context, secretariat, tmp_path, _media_in_a_temporary_folder
):
    fake = tmp_path / "logo.png"
    fake.write_text("This is a letter, not a logo.")
    page = new_context(user=secretariat).new_page()
    page.goto(english("site_identity:identity_edit"))

    page.locator("#id_name_es").fill("Red Mundial sobre Migración Laboral")
    page.get_by_label("New logo").set_input_files(str(fake))
    page.get_by_role("button", name="Save the identity").click()

    expect(page.locator(".field-errors, .errorlist").first).to_contain_text(
        "neither a PNG image nor a well-formed SVG image"
    )
    expect(page.locator("#id_name_es")).to_have_value("Red Mundial sobre Migración Laboral")
    assert not SiteIdentity.objects.get().logo


def test_a_visitor_reaches_every_notice_from_the_footer(page):
    page.goto("/en/")
    page.locator(".site-footer").get_by_role("link", name="Accessibility statement").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    expect(page.get_by_role("heading", name="Known gaps")).to_be_visible()
    page.locator(".site-footer").get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", name="What is published with your name")).to_be_visible()


def test_signing_up_without_ticking_consent_keeps_everything_typed(page):
    page.goto(english("account_signup"))

    page.locator("#id_email").fill("lucia.gomez@example.org")
    page.locator("#id_password1").fill("a-long-and-unusual-passphrase-41")
    page.locator("#id_password2").fill("a-long-and-unusual-passphrase-41")
    page.locator("#id_display_name").fill("Lucía Gómez")
    page.locator("#id_organisation").fill("Red Andina de Migraciones")
    page.locator("#id_organisation_type").select_option("migrant_led")
    page.get_by_role("button", name="Sign Up").click()
    # The browser itself stops the form first; the server says the same if it is sent anyway.
    assert page.locator("#id_accept_terms").evaluate("box => box.validity.valueMissing")
    page.locator("#id_accept_terms").evaluate("box => { box.form.noValidate = true; }")
    page.get_by_role("button", name="Sign Up").click()

    expect(page.locator("main")).to_contain_text("Tick the box to accept the terms")
    expect(page.locator("#id_display_name")).to_have_value("Lucía Gómez")
    assert not User.objects.exists()

    page.locator("#id_password1").fill("a-long-and-unusual-passphrase-41")
    page.locator("#id_password2").fill("a-long-and-unusual-passphrase-41")
    page.locator("#id_accept_terms").check()
    page.get_by_role("button", name="Sign Up").click()

    expect(page).to_have_url(english("account_email_verification_sent"))
    assert TermsAcceptance.objects.get().user.email == "lucia.gomez@example.org"


def test_close_now_without_javascript_asks_first_then_closes(new_context, secretariat):
    consultation = make_consultation(slug="recruitment-fees", title="Recruitment fees")
    page = new_context(user=secretariat, java_script_enabled=False).new_page()
    page.goto(english("consultations:console_consultation", consultation.slug))

    page.get_by_role("link", name="Close now…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close the consultation now?")
    expect(page.locator(".confirmation")).to_contain_text("Posting stops")
    assert Consultation.objects.get().is_open

    page.get_by_role("button", name="Yes, close it now").click()
    expect(page.locator(".messages")).to_contain_text("The consultation is closed.")
    assert Consultation.objects.get().is_closed


def test_cancelling_a_confirmation_changes_nothing(new_context, secretariat):
    consultation = make_consultation(slug="remittances", title="Remittances")
    page = new_context(user=secretariat).new_page()
    page.goto(english("consultations:console_close_now", consultation.slug))

    page.get_by_role("link", name="No, back to the console").click()

    expect(page.get_by_role("link", name="Close now…")).to_be_visible()
    assert Consultation.objects.get().is_open


def test_the_secretariat_finds_a_moderator_by_organisation_and_names_them(new_context, secretariat):
    consultation = make_consultation(slug="skills", title="Skills")
    make_user(display_name="Kwame Mensah", organisation="Builders' Union")
    make_user(display_name="Lucía Gómez", organisation="Red Andina de Migraciones")
    page = new_context(user=secretariat).new_page()
    page.goto(english("consultations:console_moderators", consultation.slug))

    page.get_by_label("Name or organisation").fill("builders")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("list", name="People found")).not_to_contain_text("Lucía Gómez")
    page.get_by_role("button", name="Name Kwame Mensah as moderator").click()

    expect(page.locator(".messages")).to_contain_text("Kwame Mensah now moderates")
    expect(page.get_by_role("button", name="Remove Kwame Mensah")).to_be_visible()
    assert [user.display_name for user in consultation.moderators.all()] == ["Kwame Mensah"]
