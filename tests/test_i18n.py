"""Every page in English, French and Spanish (issue 3)."""

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from consultations.models import Comment
from consultations.services.comments import comment_edit
from tests.factories import make_comment, make_consultation, make_question, make_user

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}")


def project_msgids(language: str) -> list[str]:
    """The project's own English strings whose translation differs from them.

    Read from the compiled catalogue `make test` builds; a msgid with
    placeholders is reduced to its longest literal piece.
    """
    catalogue_path = LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"
    assert catalogue_path.exists(), (
        f"{catalogue_path} is missing: run `make test` or compilemessages"
    )
    with catalogue_path.open("rb") as catalogue_file:
        catalogue = gettext.GNUTranslations(catalogue_file)._catalog
    fragments = set()
    for key, translated in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04")[-1]  # drop a msgctxt
        if not msgid or msgid == translated:
            continue
        pieces = [piece.strip(" .,:;—-()“”\"'") for piece in PLACEHOLDER.split(msgid)]
        longest = max(pieces, key=len)
        # "Question %(number)s: %(title)s" keeps "Question" in French: a
        # piece the translation itself contains proves nothing either way.
        kept_in_translation = re.search(r"(?<![\w])" + re.escape(longest) + r"(?![\w])", translated)
        if len(longest) >= 4 and not kept_in_translation:
            fragments.add(longest)
    return sorted(fragments)


class VisibleText(HTMLParser):
    """Text a person reads or hears in the page's language.

    Text nodes and the attributes that are spoken; an element marked with
    another `lang` (the switcher's "English", an English fallback) is
    meant to be in that language and is left out.
    """

    SPOKEN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}
    SILENT_TAGS = {"script", "style", "template"}
    VOID_TAGS = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
    }

    def __init__(self, language: str):
        super().__init__()
        self.language = language
        self.parts: list[str] = []
        self._skipped_tag: str | None = None
        self._skipped_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self._skipped_tag:
            self._skipped_depth += tag == self._skipped_tag
            return
        other_language = attributes.get("lang") not in (None, self.language) and tag != "html"
        if (tag in self.SILENT_TAGS or other_language) and tag not in self.VOID_TAGS:
            self._skipped_tag, self._skipped_depth = tag, 1
            return
        for name, value in attrs:
            if value and name in self.SPOKEN_ATTRIBUTES:
                self.parts.append(value)
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if self._skipped_tag == tag:
            self._skipped_depth -= 1
            if self._skipped_depth == 0:
                self._skipped_tag = None

    def handle_data(self, data):
        if not self._skipped_tag and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str, language: str) -> str:
    parser = VisibleText(language)
    parser.feed(html)
    return "\n".join(parser.parts)


def english_left_in(html: str, language: str) -> list[str]:
    # Addresses such as /fr/consultations/… are not words to translate.
    text = re.sub(r"\S*/\S*", " ", visible_text(html, language))
    return [
        msgid
        for msgid in project_msgids(language)
        if re.search(r"(?<![\w])" + re.escape(msgid) + r"(?![\w])", text)
    ]


@pytest.fixture
def trilingual_thread(db):
    consultation = make_consultation(
        slug="revue-regionale",
        title="Regional review",
        title_fr="Revue régionale",
        title_es="Revisión regional",
        summary="A review.",
        summary_fr="Une revue.",
        summary_es="Una revisión.",
        introduction="Welcome.",
        introduction_fr="Bienvenue.",
        introduction_es="Bienvenida.",
        objectives="First objective",
        objectives_fr="Premier objectif",
        objectives_es="Primer objetivo",
        guiding_points="Be concise.",
        guiding_points_fr="Soyez concis.",
        guiding_points_es="Sea conciso.",
    )
    question = make_question(
        consultation,
        number=1,
        title="Which practices work?",
        title_fr="Quelles pratiques fonctionnent ?",
        title_es="¿Qué prácticas funcionan?",
        body="Tell us.",
        body_fr="Dites-le-nous.",
        body_es="Cuéntenos.",
    )
    author = make_user(display_name="Inès Moreau", organisation="Réseau Sahel")
    answer = make_comment(question, author=author, body="Les guichets uniques.", language="fr")
    replier = make_user(display_name="Rosa Quispe", organisation="Red Andina")
    reply = make_comment(
        question, parent=answer, author=replier, body="Las ventanillas únicas.", language="es"
    )
    return consultation, question, answer, reply


def _pages(client, consultation, question, answer):
    return {
        "list": client.get(reverse("consultations:list")),
        "consultation": client.get(consultation.get_absolute_url()),
        "question": client.get(question.get_absolute_url()),
        "login": client.get(reverse("account_login")),
        "signup": client.get(reverse("account_signup")),
        "reply": client.get(reverse("consultations:comment_reply", args=[answer.pk])),
    }


@pytest.mark.parametrize("language", ["fr", "es"])
def test_main_pages_leave_no_english_string_of_ours_for_visitors(
    client, trilingual_thread, language
):
    consultation, question, answer, _reply = trilingual_thread
    with translation.override(language):
        pages = _pages(client, consultation, question, answer)
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert f'<html lang="{language}"' in response.content.decode(), name
        leftovers = english_left_in(response.content.decode(), language)
        assert leftovers == [], f"{name} page in {language} shows English: {leftovers}"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_posting_pages_leave_no_english_string_of_ours(client_for, trilingual_thread, language):
    consultation, question, answer, _reply = trilingual_thread
    client = client_for(make_user())
    with translation.override(language):
        pages = _pages(client, consultation, question, answer)
        refused = client.post(question.get_absolute_url(), {"body": "   ", "language": language})
        pages["profile"] = client.get(reverse("accounts:profile"))
    pages["invalid post"] = refused
    for name, response in pages.items():
        leftovers = english_left_in(response.content.decode(), language)
        assert leftovers == [], f"{name} page in {language} shows English: {leftovers}"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_refused_post_speaks_the_readers_language(client_for, language):
    consultation = make_consultation(state="closed")
    question = make_question(consultation, title_fr="Question close", title_es="Pregunta cerrada")
    client = client_for(make_user())
    with translation.override(language):
        response = client.post(
            question.get_absolute_url(), {"body": "Mon texte reste là.", "language": language}
        )
    html = response.content.decode()
    assert response.status_code == 403
    assert "Mon texte reste là." in html
    assert english_left_in(html, language) == []


def test_english_is_the_source_so_english_pages_need_no_catalogue(client, trilingual_thread):
    consultation, question, answer, _reply = trilingual_thread
    for response in _pages(client, consultation, question, answer).values():
        assert response.status_code == 200
        assert '<html lang="en"' in response.content.decode()


def test_root_redirects_by_accept_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/es/"


def test_root_falls_back_to_the_users_preferred_language(client_for):
    client = client_for(make_user(preferred_language="fr"))
    response = client.get("/")
    assert response["Location"] == "/fr/"


def test_switcher_keeps_the_same_page_in_the_other_language(client, trilingual_thread):
    _consultation, question, _answer, _reply = trilingual_thread
    html = client.get(question.get_absolute_url() + "?language=fr").content.decode()
    fr_path = "/language/fr/?next=/fr/consultations/revue-regionale/questions/1/%3Flanguage%3Dfr"
    es_path = "/language/es/?next=/es/consultations/revue-regionale/questions/1/%3Flanguage%3Dfr"
    assert f'href="{fr_path}" hreflang="fr"' in html
    assert f'href="{es_path}" hreflang="es"' in html
    response = client.get(fr_path)
    assert response["Location"] == "/fr/consultations/revue-regionale/questions/1/?language=fr"


def test_each_page_names_its_alternates_with_hreflang(client, trilingual_thread):
    consultation = trilingual_thread[0]
    html = client.get(consultation.get_absolute_url()).content.decode()
    for code in ("en", "fr", "es"):
        assert (
            f'<link rel="alternate" hreflang="{code}" '
            f'href="http://testserver/{code}/consultations/revue-regionale/">' in html
        )


def test_missing_translation_falls_back_to_english_and_says_so(client, db):
    consultation = make_consultation(title="Only in English", title_fr="", title_es="Sólo")
    with translation.override("fr"):
        html = client.get(consultation.get_absolute_url()).content.decode()
    assert '<h1 lang="en">Only in English</h1>' in html
    assert html.count('class="fallback-note"') == 1


def test_no_fallback_note_when_the_translation_exists(client, trilingual_thread):
    consultation = trilingual_thread[0]
    with translation.override("fr"):
        html = client.get(consultation.get_absolute_url()).content.decode()
    assert "<h1>Revue régionale</h1>" in html
    assert 'class="fallback-note"' not in html


def test_comments_carry_their_own_language(client, trilingual_thread):
    _consultation, question, answer, reply = trilingual_thread
    html = client.get(question.get_absolute_url()).content.decode()
    assert f'lang="fr" id="comment-{answer.pk}-body"' in html
    assert f'lang="es" id="comment-{reply.pk}-body"' in html


def test_language_filter_counts_and_filters(client, trilingual_thread):
    _consultation, question, answer, reply = trilingual_thread
    make_comment(question, body="Another view in French.", language="fr")
    response = client.get(question.get_absolute_url(), {"language": "fr"})
    html = response.content.decode()
    assert "French (2)" in html and "Spanish (1)" in html and "English (0)" in html
    shown = [entry.comment for entry in response.context["thread"].entries]
    assert answer in shown and reply not in shown
    assert all(comment.language == "fr" for comment in shown)


def test_comment_language_defaults_to_the_interface_language(client_for, question):
    client = client_for(make_user())
    with translation.override("es"):
        html = client.get(question.get_absolute_url()).content.decode()
    assert '<option value="es" selected>' in html


def test_an_unknown_comment_language_is_refused_with_the_text_kept(client_for, question):
    client = client_for(make_user())
    response = client.post(
        question.get_absolute_url(), {"body": "Texto que no se pierde.", "language": "xx"}
    )
    assert response.status_code == 200
    assert "Texto que no se pierde." in response.content.decode()
    assert "Choose the language your comment is written in" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("path", ["/de/", "/de/consultations/anything/", "/xx/comments/1/reply/"])
def test_an_unknown_language_prefix_is_a_translated_404(client, db, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert english_left_in(html, "fr") == []


def test_verification_email_is_sent_in_the_recipients_language(client, db):
    with translation.override("es"):
        client.post(
            reverse("account_signup"),
            {
                "email": "ana@example.org",
                "password1": "una-clave-bastante-larga",
                "password2": "una-clave-bastante-larga",
                "display_name": "Ana Pérez",
                "organisation": "Red Andina",
                "organisation_type": "civil_society",
                "accept_terms": "on",
            },
        )
    assert len(mail.outbox) == 1
    assert "/es/accounts/confirm-email/" in mail.outbox[0].body


def test_password_reset_email_follows_the_users_preference_not_the_page(client, db):
    make_user(email="claire@example.org", preferred_language="fr")
    with translation.override("en"):
        client.post(reverse("account_reset_password"), {"email": "claire@example.org"})
    assert len(mail.outbox) == 1
    assert "Réinitialiser votre mot de passe" in mail.outbox[0].subject


@pytest.mark.parametrize("language", ["fr", "es"])
def test_moderation_pages_leave_no_english_string_of_ours(client_for, trilingual_thread, language):
    consultation, question, answer, reply = trilingual_thread
    moderator = make_user(display_name="Lucía Fernández", organisation="Secrétariat du réseau")
    consultation.moderators.add(moderator)
    make_comment(
        question,
        parent=answer,
        author=make_user(display_name="Omar Haddad", organisation="Université de Dakar"),
        body="En attente.",
        language="fr",
        status="pending",
    )
    client = client_for(moderator)
    with translation.override(language):
        pages = {
            "queue": client.get(reverse("consultations:moderation_queue")),
            "hide": client.get(reverse("consultations:comment_hide", args=[reply.pk])),
            "question as moderator": client.get(question.get_absolute_url()),
            "report": client_for(make_user()).get(
                reverse("consultations:comment_report", args=[reply.pk])
            ),
        }
    for name, response in pages.items():
        assert response.status_code == 200, name
        leftovers = english_left_in(response.content.decode(), language)
        assert leftovers == [], f"{name} page in {language} shows English: {leftovers}"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_secretariat_pages_leave_no_english_string_of_ours(client_for, trilingual_thread, language):
    from tests.factories import make_secretariat_member

    consultation, question, _answer, _reply = trilingual_thread
    client = client_for(make_secretariat_member(display_name="Awa Ndiaye"))
    slug = consultation.slug
    with translation.override(language):
        client.post(reverse("consultations:console_close_now", args=[slug]))
        pages = {
            "console": client.get(reverse("consultations:console")),
            "consultation console": client.get(
                reverse("consultations:console_consultation", args=[slug])
            ),
            "edit": client.get(reverse("consultations:console_edit", args=[slug])),
            "new question": client.get(
                reverse("consultations:console_question_create", args=[slug])
            ),
            "statistics": client.get(reverse("consultations:console_statistics", args=[slug])),
            "log": client.get(reverse("consultations:audit_log")),
        }
    for name, response in pages.items():
        assert response.status_code == 200, name
        leftovers = english_left_in(response.content.decode(), language)
        assert leftovers == [], f"{name} page in {language} shows English: {leftovers}"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_edit_history_pages_leave_no_english_string_of_ours(
    client_for, trilingual_thread, language
):
    consultation, question, answer, _reply = trilingual_thread
    comment_edit(
        editor=answer.author, comment=answer, body="Les guichets uniques, partout.", language="fr"
    )
    client = client_for(answer.author)
    with translation.override(language):
        pages = {
            "question": client.get(question.get_absolute_url()),
            "versions": client.get(reverse("consultations:comment_revisions", args=[answer.pk])),
            "edit": client.get(reverse("consultations:comment_edit", args=[answer.pk])),
        }
    assert "comment__versions" in pages["question"].content.decode()
    for name, response in pages.items():
        assert response.status_code == 200, name
        leftovers = english_left_in(response.content.decode(), language)
        assert leftovers == [], f"{name} page in {language} shows English: {leftovers}"
