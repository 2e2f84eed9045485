"""The host's identity: set by the secretariat on a console page, shown on every page, cached."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from site_identity.models import IDENTITY_CACHE_KEY, SiteIdentity
from tests.factories import make_consultation
from tests.site_identity.factories import CLEAN_SVG, png_bytes, svg, upload

IDENTITY_URL = "/en/secretariat/identity/"


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def identity_form(**overrides):
    return {
        "name_en": "Global Network on Labour Migration",
        "name_fr": "Réseau mondial sur les migrations de main-d’œuvre",
        "name_es": "Red Mundial sobre Migración Laboral",
        "tagline_en": "Fair recruitment, decent work",
        "tagline_fr": "Recrutement équitable, travail décent",
        "tagline_es": "Contratación equitativa, trabajo decente",
        "footer_text_en": "Palais des Nations, Geneva",
        "disclaimer_en": "The views expressed are those of the participants.",
        "contact_email": "consultations@example.org",
        **overrides,
    }


@pytest.mark.django_db
def test_a_new_site_starts_with_roundtables_name_and_a_disclaimer(client):
    page = client.get("/en/").text

    assert "<title>Consultations — Roundtable</title>" in page
    assert "The views expressed are those of the participants" in page


@pytest.mark.django_db
def test_the_secretariat_renames_the_host_and_every_page_says_it_in_its_language(
    client, client_for, secretariat
):
    response = client_for(secretariat).post(IDENTITY_URL, identity_form())
    assert response.status_code == 302

    english = client.get("/en/").text
    french = client.get("/fr/").text
    assert "<title>Consultations — Global Network on Labour Migration</title>" in english
    assert "Réseau mondial sur les migrations de main-d’œuvre</span>" in french
    assert "Recrutement équitable, travail décent" in french
    assert 'href="mailto:consultations@example.org"' in english
    assert "Palais des Nations, Geneva" in english


@pytest.mark.django_db
def test_roundtable_stays_only_in_the_powered_by_line(client, client_for, secretariat):
    client_for(secretariat).post(IDENTITY_URL, identity_form())

    page = client.get("/en/").text

    assert page.count("Roundtable") == 1
    assert "Powered by Roundtable" in page


@pytest.mark.django_db
def test_a_png_logo_is_shown_and_served_as_an_image_in_a_sandbox(client, client_for, secretariat):
    client_for(secretariat).post(
        IDENTITY_URL, identity_form(logo_upload=upload(png_bytes(), name="../../evil name.png"))
    )
    identity = SiteIdentity.objects.get()
    assert identity.logo.name.startswith("site/logo-") and ".." not in identity.logo.name

    page = client.get("/en/").text
    logo = client.get(reverse("site_asset", args=["logo"]))

    assert 'class="site-logo" src="/site/logo?v=' in page
    assert '<meta property="og:image" content="http://testserver/site/logo?v=' in page
    assert logo["Content-Type"] == "image/png"
    assert "sandbox" in logo["Content-Security-Policy"]
    assert logo["X-Content-Type-Options"] == "nosniff"
    assert b"".join(logo.streaming_content) == png_bytes()


@pytest.mark.django_db
def test_an_svg_favicon_is_linked_with_its_type(client, client_for, secretariat):
    client_for(secretariat).post(
        IDENTITY_URL,
        identity_form(favicon_upload=upload(CLEAN_SVG, "icon.svg", "image/svg+xml")),
    )

    page = client.get("/en/").text
    favicon = client.get(reverse("site_asset", args=["favicon"]))

    assert 'rel="icon" href="/site/favicon?v=' in page
    assert 'type="image/svg+xml"' in page
    assert favicon["Content-Type"] == "image/svg+xml"


@pytest.mark.django_db
def test_without_a_logo_the_logo_address_is_not_found(client):
    assert client.get(reverse("site_asset", args=["logo"])).status_code == 404


@pytest.mark.django_db
def test_a_logo_that_is_not_an_image_is_refused_and_the_typed_texts_are_kept(
    client_for, secretariat
):
    response = client_for(secretariat).post(
        IDENTITY_URL, identity_form(logo_upload=upload(b"%PDF-1.7 a report", "logo.png"))
    )

    assert response.status_code == 200
    assert "neither a PNG image nor a well-formed SVG image" in response.text
    assert "Red Mundial sobre Migración Laboral" in response.text
    assert "A file must be chosen again" in response.text
    assert SiteIdentity.objects.get().name_en == "Roundtable"


@pytest.mark.django_db
def test_an_svg_logo_with_script_is_refused(client_for, secretariat):
    response = client_for(secretariat).post(
        IDENTITY_URL,
        identity_form(logo_upload=upload(svg("<script>alert(1)</script>"), "logo.svg")),
    )

    assert response.status_code == 200
    assert "could run code" in response.text
    assert not SiteIdentity.objects.get().logo


@pytest.mark.django_db
def test_an_oversized_logo_is_refused(client_for, secretariat):
    response = client_for(secretariat).post(
        IDENTITY_URL, identity_form(logo_upload=upload(png_bytes() + b"\0" * 600_000))
    )

    assert response.status_code == 200
    assert "the limit is 512.0\xa0KB" in response.text
    assert not SiteIdentity.objects.get().logo


@pytest.mark.django_db
def test_the_host_needs_a_name_in_english(client_for, secretariat):
    response = client_for(secretariat).post(IDENTITY_URL, identity_form(name_en=""))

    assert response.status_code == 200
    assert "Give the host&#x27;s name in English" in response.text
    assert "Réseau mondial sur les migrations" in response.text


@pytest.mark.django_db
def test_removing_the_logo_takes_it_off_the_pages(client, client_for, secretariat):
    secretariat_client = client_for(secretariat)
    secretariat_client.post(IDENTITY_URL, identity_form(logo_upload=upload(png_bytes())))
    secretariat_client.post(IDENTITY_URL, identity_form(remove_logo="on"))

    assert "site-logo" not in client.get("/en/").text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["stakeholder", "moderator", "global_moderator"])
def test_only_the_secretariat_may_change_the_identity(request, client_for, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(IDENTITY_URL).status_code == 403
    assert client.post(IDENTITY_URL, identity_form()).status_code == 403
    assert SiteIdentity.objects.get().name_en == "Roundtable"


@pytest.mark.django_db
def test_visitors_are_sent_to_log_in_from_the_identity_page(client):
    response = client.get(IDENTITY_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_a_page_reads_the_identity_from_the_cache_not_the_database(client):
    client.get("/en/")  # warms the cache

    with CaptureQueriesContext(connection) as queries:
        client.get("/en/")

    # The shared cache may itself be a database table (no REDIS_URL): reading
    # it is the cache lookup, not a read of the identity's own tables.
    assert not [
        query
        for query in queries
        if "site_identity" in query["sql"]
        and settings.CACHES["default"]["LOCATION"] not in query["sql"]
    ]


@pytest.mark.django_db
def test_saving_the_identity_forgets_the_cached_one(client, client_for, secretariat):
    client.get("/en/")
    assert cache.get(IDENTITY_CACHE_KEY) is not None

    client_for(secretariat).post(IDENTITY_URL, identity_form())

    assert "Global Network on Labour Migration" in client.get("/en/").text


@pytest.mark.django_db
def test_a_shared_consultation_link_shows_its_title_and_summary(client):
    consultation = make_consultation(
        title="Recruitment fees and related costs",
        summary="How can workers be protected from paying for their own recruitment?",
    )
    with translation.override("en"):
        page = client.get(consultation.get_absolute_url()).text

    assert '<meta property="og:title" content="Recruitment fees and related costs">' in page
    assert (
        '<meta property="og:description" content="How can workers be protected from paying '
        'for their own recruitment?">'
    ) in page
    assert '<meta name="twitter:card" content="summary">' in page
    assert "<title>Recruitment fees and related costs — Roundtable</title>" in page


@pytest.mark.django_db
def test_a_shared_question_link_shows_the_question(client, question):
    with translation.override("en"):
        page = client.get(question.get_absolute_url()).text

    assert f'<meta property="og:title" content="Question 1: {question.title}">' in page
