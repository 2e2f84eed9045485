"""Signing up, verifying, resetting a password: django-allauth with Roundtable's profile."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from accounts.adapter import AccountAdapter
from accounts.models import OrganisationType, User
from consultations.models import Comment
from site_identity.models import TermsAcceptance
from site_identity.services import notice_edit
from tests.factories import make_user

PASSWORD = "a-long-and-unusual-passphrase-41"


def signup_data(**overrides):
    return {
        "email": "Amina.Diallo@Example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": "Amina Diallo",
        "organisation": "Coastal Migrants Network",
        "organisation_type": OrganisationType.MIGRANT_LED,
        "country": "SN",
        "accept_terms": "on",
        **overrides,
    }


def sign_up(client, language="en", **overrides):
    with translation.override(language):
        url = reverse("account_signup")
    return client.post(url, signup_data(**overrides))


def urls_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


@pytest.mark.django_db
def test_signup_page_asks_for_the_profile(client):
    content = client.get(reverse("account_signup")).content.decode()
    for field in ("email", "password1", "password2", "display_name", "organisation"):
        assert f'name="{field}"' in content, field
    assert 'name="organisation_type"' in content
    assert 'name="country"' in content
    assert "Migrant-led or diaspora organisation" in content


@pytest.mark.django_db
def test_signup_page_names_countries_in_the_page_language(client):
    content = client.get("/fr/accounts/signup/").content.decode()
    assert ">Allemagne<" in content
    assert ">Germany<" not in content


@pytest.mark.django_db
def test_signup_creates_the_user_with_the_profile(client):
    response = sign_up(client)

    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "amina.diallo@example.org"
    assert user.display_name == "Amina Diallo"
    assert user.organisation == "Coastal Migrants Network"
    assert user.organisation_type == OrganisationType.MIGRANT_LED
    assert user.country.code == "SN"
    assert user.preferred_language == "en"
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_signup_needs_a_display_name_and_an_organisation_type(client):
    response = sign_up(client, display_name="", organisation_type="")
    assert response.status_code == 200
    assert not User.objects.exists()
    form = response.context["form"]
    assert set(form.errors) >= {"display_name", "organisation_type"}


@pytest.mark.django_db
def test_signup_refuses_an_email_already_used_in_another_case(client):
    make_user(email="amina.diallo@example.org")
    sign_up(client, email="AMINA.DIALLO@example.org")
    assert User.objects.filter(email__iexact="amina.diallo@example.org").count() == 1


@pytest.mark.django_db
def test_signup_sends_a_verification_email(client):
    sign_up(client)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina.diallo@example.org"]
    assert message.subject.startswith("[Roundtable] ")
    assert any("/en/accounts/confirm-email/" in url for url in urls_in(message))
    assert not EmailAddress.objects.get(email="amina.diallo@example.org").verified


@pytest.mark.django_db
def test_new_user_cannot_post_before_verifying(client, question):
    sign_up(client)
    user = User.objects.get()
    client.force_login(user)

    response = client.post(question.get_absolute_url(), {"body": "First words.", "language": "en"})

    assert response.status_code == 403
    assert "Please verify your email address" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_new_user_can_post_after_following_the_link(client, question):
    sign_up(client)
    confirm_url = next(url for url in urls_in(mail.outbox[0]) if "confirm-email" in url)
    client.post(confirm_url.split("testserver", 1)[1])
    assert EmailAddress.objects.get(email="amina.diallo@example.org").verified
    user = User.objects.get()
    client.force_login(user)

    response = client.post(question.get_absolute_url(), {"body": "First words.", "language": "en"})

    assert response.status_code == 302
    assert Comment.objects.get().author == user


@pytest.mark.django_db
def test_login_before_verifying_leads_to_the_verification_notice(client):
    sign_up(client)
    response = client.post(
        reverse("account_login"), {"login": "amina.diallo@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


@pytest.mark.django_db
def test_password_reset_sends_an_email(client):
    make_user(email="kofi@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "kofi@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kofi@example.org"]
    assert any("/accounts/password/reset/key/" in url for url in urls_in(mail.outbox[0]))


@pytest.mark.django_db
def test_login_page_uses_the_site_layout(client):
    content = client.get(reverse("account_login")).content.decode()
    assert 'class="skip-link" href="#main"' in content
    assert '<main id="main"' in content
    assert "Roundtable" in content


@pytest.mark.django_db
def test_signup_page_uses_the_site_layout(client):
    content = client.get(reverse("account_signup")).content.decode()
    assert 'class="skip-link" href="#main"' in content


# --- Email in the reader's language ---------------------------------------------------


@pytest.fixture
def languages_while_rendering(monkeypatch):
    """The active language each time allauth renders an email."""
    seen = []
    render_mail = AccountAdapter.render_mail

    def recording_render_mail(self, template_prefix, email, context, *args, **kwargs):
        seen.append(translation.get_language())
        return render_mail(self, template_prefix, email, context, *args, **kwargs)

    monkeypatch.setattr(AccountAdapter, "render_mail", recording_render_mail)
    return seen


@pytest.mark.django_db
def test_signup_in_french_stores_french_and_mails_in_french(client, languages_while_rendering):
    sign_up(client, language="fr")

    assert User.objects.get().preferred_language == "fr"
    assert languages_while_rendering == ["fr"]
    assert any("/fr/accounts/confirm-email/" in url for url in urls_in(mail.outbox[0]))


@pytest.mark.django_db
def test_password_reset_mail_is_in_the_recipients_language_not_the_pages(
    client, languages_while_rendering
):
    make_user(email="lucia@example.org", preferred_language="es")

    client.post("/en/accounts/password/reset/", {"email": "lucia@example.org"})

    assert languages_while_rendering == ["es"]
    reset_urls = [url for url in urls_in(mail.outbox[0]) if "/password/reset/key/" in url]
    assert reset_urls and all("/es/accounts/" in url for url in reset_urls)


@pytest.mark.django_db
def test_page_language_is_back_after_the_mail_is_sent(client):
    make_user(email="lucia@example.org", preferred_language="es")
    with translation.override("fr"):
        response = client.post("/fr/accounts/password/reset/", {"email": "lucia@example.org"})
        assert translation.get_language() == "fr"
    assert response["Location"].startswith("/fr/")


@pytest.mark.django_db
def test_mail_to_an_unknown_address_uses_the_page_language(client, languages_while_rendering):
    client.post("/es/accounts/password/reset/", {"email": "nobody@example.org"})
    assert languages_while_rendering == ["es"]


# --- Consent to the terms ------------------------------------------------------------


@pytest.mark.django_db
def test_signup_page_asks_for_consent_with_links_to_the_terms_and_privacy_notice(client):
    content = client.get("/fr/accounts/signup/").content.decode()

    assert 'name="accept_terms"' in content
    assert 'href="/fr/terms/"' in content
    assert 'href="/fr/privacy/"' in content


@pytest.mark.django_db
def test_signup_without_consent_is_refused_and_keeps_what_was_typed(client):
    data = signup_data()
    del data["accept_terms"]
    response = client.post(reverse("account_signup"), data)

    assert response.status_code == 200
    assert not User.objects.exists()
    content = response.content.decode()
    assert "Tick the box to accept the terms of participation" in content
    assert 'value="Amina Diallo"' in content
    assert 'value="Coastal Migrants Network"' in content


@pytest.mark.django_db
def test_signup_records_the_version_of_the_terms_accepted_and_when(client, secretariat):
    notice_edit(actor=secretariat, kind="terms", values={"body_en": "Terms, second edition."})
    before = timezone.now()

    sign_up(client)

    acceptance = TermsAcceptance.objects.get(user__email="amina.diallo@example.org")
    assert acceptance.notice.kind == "terms"
    assert acceptance.version == 2
    assert before <= acceptance.accepted_at <= timezone.now()
