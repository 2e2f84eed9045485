"""Privacy notice, terms and accessibility statement: defaults in 3 languages, versioned."""

import pytest
from django.urls import reverse

from site_identity.models import Notice, NoticeKind
from site_identity.services import notice_edit


def edit_url(kind):
    return reverse("site_identity:notice_edit", args=[kind])


def notice_form(notice, **overrides):
    return {
        "body_en": notice.body_en,
        "body_fr": notice.body_fr,
        "body_es": notice.body_es,
        **overrides,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("kind", NoticeKind.values)
def test_every_notice_starts_with_a_text_in_each_language(kind):
    notice = Notice.objects.get(kind=kind)

    assert notice.version == 1
    assert len(notice.body_en) > 1000
    assert notice.body_fr and notice.body_es
    assert notice.body_fr != notice.body_en != notice.body_es


@pytest.mark.django_db
def test_the_default_privacy_notice_says_what_is_published_how_long_and_how_to_remove_it():
    body = Notice.objects.get(kind="privacy").body_en

    assert "## What is published with your name" in body
    assert "## How long we keep it" in body
    assert "## Correction and removal" in body


@pytest.mark.django_db
def test_the_default_accessibility_statement_names_its_target_tests_gaps_and_contact():
    body = Notice.objects.get(kind="accessibility").body_en

    assert "WCAG) 2.1 at level AA" in body
    for heading in ("## How it is tested", "## Known gaps", "## Contact"):
        assert heading in body


@pytest.mark.django_db
def test_a_notice_page_is_in_the_readers_language_with_its_headings(client):
    page = client.get("/fr/privacy/").text

    assert "<title>Notice de confidentialité — Roundtable</title>" in page
    assert "<h2>Ce qui est publié avec votre nom</h2>" in page
    assert "Version 1, modifiée pour la dernière fois le" in page


@pytest.mark.django_db
def test_a_missing_translation_falls_back_to_english_and_says_so(client, secretariat):
    notice = Notice.objects.get(kind="terms")
    notice_edit(actor=secretariat, kind="terms", values={"body_es": ""})

    page = client.get("/es/terms/").text

    assert "No disponible en español" in page
    assert notice.body_en.splitlines()[0] in page
    assert '<div class="notice__body" lang="en">' in page


@pytest.mark.django_db
def test_html_in_a_notice_is_never_rendered(client, secretariat):
    notice_edit(
        actor=secretariat,
        kind="accessibility",
        values={"body_en": "## Contact\n\n<script>alert(1)</script> [mail](javascript:alert(1))"},
    )

    page = client.get("/en/accessibility/").text

    assert "<script>alert(1)</script>" not in page
    assert 'href="javascript:' not in page
    assert "<h2>Contact</h2>" in page


@pytest.mark.django_db
def test_the_footer_links_every_notice(client):
    page = client.get("/en/").text

    for kind in NoticeKind.values:
        assert f'href="/en/{kind}/"' in page


@pytest.mark.django_db
def test_changing_the_text_makes_a_new_version(client_for, secretariat):
    notice = Notice.objects.get(kind="terms")
    changed = notice.body_fr + "\n\nUne phrase de plus."

    response = client_for(secretariat).post(
        edit_url("terms"), notice_form(notice, body_fr=changed), follow=True
    )

    notice.refresh_from_db()
    assert notice.version == 2
    assert notice.body_fr.endswith("Une phrase de plus.")
    assert "saved as version 2" in response.text


@pytest.mark.django_db
def test_saving_the_same_text_keeps_the_version(client_for, secretariat):
    notice = Notice.objects.get(kind="privacy")

    client_for(secretariat).post(edit_url("privacy"), notice_form(notice))

    notice.refresh_from_db()
    assert notice.version == 1


@pytest.mark.django_db
def test_an_empty_privacy_notice_is_refused_and_the_other_languages_are_kept(
    client_for, secretariat
):
    notice = Notice.objects.get(kind="privacy")
    french = notice.body_fr + "\n\nTexte revu par le secrétariat."

    response = client_for(secretariat).post(
        edit_url("privacy"), notice_form(notice, body_en="   ", body_fr=french)
    )

    assert response.status_code == 200
    assert "The English text cannot be empty" in response.text
    assert "Texte revu par le secrétariat." in response.text
    notice.refresh_from_db()
    assert notice.version == 1
    assert notice.body_en


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["stakeholder", "moderator", "global_moderator"])
def test_only_the_secretariat_may_edit_a_notice(request, client_for, role):
    client = client_for(request.getfixturevalue(role))
    notice = Notice.objects.get(kind="terms")

    assert client.get(edit_url("terms")).status_code == 403
    assert client.post(edit_url("terms"), notice_form(notice, body_en="Gone")).status_code == 403
    notice.refresh_from_db()
    assert notice.version == 1


@pytest.mark.django_db
def test_an_unknown_notice_is_not_found(client):
    assert client.get("/en/cookies/").status_code == 404


@pytest.mark.django_db
def test_a_shared_notice_link_shows_the_notice_title(client):
    page = client.get("/es/accessibility/").text

    assert '<meta property="og:title" content="Declaración de accesibilidad">' in page
