"""Every string a person reads is marked for translation.

The French interface is rendered with a pseudo catalogue that wraps every
string any catalogue translates (the project's, Django's, allauth's) in
⟦…⟧. What is left on a page outside the markers, once the people's and the
secretariat's own content and plain data (numbers, dates, addresses) are
taken out, is interface text nobody marked: a new unmarked string fails here.
"""

import gettext
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from site_identity.models import SiteIdentity
from tests.factories import make_comment, make_secretariat_member, make_user
from tests.test_i18n import trilingual_thread, visible_text  # noqa: F401  (a fixture)

LANGUAGE = "fr"
MARKED = re.compile(r"⟦[^⟦⟧]*⟧")
# Data, not words: numbers, times, dates, addresses, citation references (Q3-17), and
# punctuation.
DATA = re.compile(
    r"\S+@\S+|\S*/\S*|\bQ\d+-\d+\b|\d+(?:[.,:h]\d+)*|[\s\W_]+",
)
# Country names are django-countries' data, cached per language by it.
COUNTRY_CHOICES = re.compile(r'<select name="country".*?</select>', re.DOTALL)
CONTEXT_SEPARATOR = "\x04"


class PseudoTranslation(gettext.NullTranslations):
    """Wraps each string the real catalogue translates in ⟦…⟧; leaves the others as they are."""

    def __init__(self, real):
        super().__init__()
        self._real = real
        self._msgids = {key[0] if isinstance(key, tuple) else key for key in real._catalog.keys()}
        self._msgids.discard("")

    def _mark(self, key: str, shown: str) -> str:
        return f"⟦{shown}⟧" if key in self._msgids else shown

    def gettext(self, message):
        shown = message.split(CONTEXT_SEPARATOR, 1)[-1]
        # A context string comes back untranslated when it has no entry: keep the separator.
        if CONTEXT_SEPARATOR in message and message not in self._msgids:
            return message
        return self._mark(message, shown)

    def ngettext(self, singular, plural, number):
        chosen = singular if number == 1 else plural
        if CONTEXT_SEPARATOR in singular and singular not in self._msgids:
            return chosen
        return self._mark(singular, chosen.split(CONTEXT_SEPARATOR, 1)[-1])

    def language(self):
        return LANGUAGE

    def to_language(self):
        return LANGUAGE


@pytest.fixture
def pseudo_french(monkeypatch):
    real = trans_real.translation(LANGUAGE)
    monkeypatch.setitem(trans_real._translations, LANGUAGE, PseudoTranslation(real))
    with translation.override(LANGUAGE):
        yield


@pytest.fixture
def site_content(trilingual_thread, client_for):  # noqa: F811  (the fixture imported above)
    consultation, question, answer, reply = trilingual_thread
    secretariat = make_secretariat_member(display_name="Awa Ndiaye", organisation="Secrétariat")
    consultation.moderators.add(secretariat)
    pending = make_comment(
        question,
        parent=answer,
        author=make_user(display_name="Omar Haddad", organisation="Université de Dakar"),
        body="En attente de relecture.",
        language="fr",
        status="pending",
    )
    return {
        "consultation": consultation,
        "question": question,
        "answer": answer,
        "reply": reply,
        "pending": pending,
        "secretariat": secretariat,
        "client": client_for(secretariat),
        "author_client": client_for(answer.author),
    }


def _content_strings(site) -> list[str]:
    """What people and the secretariat wrote: not interface text."""
    consultation, question = site["consultation"], site["question"]
    strings = []
    for instance, fields in (
        (consultation, ["title", "summary", "introduction", "objectives", "guiding_points"]),
        (question, ["title", "body"]),
    ):
        for field in fields:
            strings += [getattr(instance, f"{field}_{code}") or "" for code in ("en", "fr", "es")]
    for comment in (site["answer"], site["reply"], site["pending"]):
        strings += [comment.body_source, comment.author.display_name, comment.author.organisation]
        strings.append(comment.author.email)
    secretariat = site["secretariat"]
    strings += [secretariat.display_name, secretariat.organisation, secretariat.email]
    # The host's own texts, set by the secretariat (site_identity), are content too.
    identity = SiteIdentity.objects.current()
    for field in ("name", "tagline", "footer_text", "disclaimer"):
        strings += [getattr(identity, f"{field}_{code}") or "" for code in ("en", "fr", "es")]
    strings.append(identity.contact_email)
    strings += [consultation.slug, "Roundtable", "Français", "English", "Español"]
    strings += ["CSV", "XLSX", "JSON"]  # names of file formats
    return sorted((string for string in strings if string), key=len, reverse=True)


def unmarked_text(html: str, content: list[str]) -> list[str]:
    # A marked string may hold a link ("please <a>sign up</a> first"): markers
    # are matched across the whole text, then what is left is read line by line.
    text = visible_text(COUNTRY_CHOICES.sub("", html), LANGUAGE)
    while MARKED.search(text):
        text = MARKED.sub(" ", text)
    leftovers = []
    for line in text.splitlines():
        for string in content:
            line = line.replace(string, " ")
        line = DATA.sub(" ", line).strip()
        if line:
            leftovers.append(line)
    return leftovers


def _pages(site) -> dict[str, object]:
    consultation, question = site["consultation"], site["question"]
    client, author_client = site["client"], site["author_client"]
    slug, answer = consultation.slug, site["answer"]
    from django.test import Client

    visitor = Client()
    return {
        "list": visitor.get(reverse("consultations:list")),
        "consultation": visitor.get(consultation.get_absolute_url()),
        "question": visitor.get(question.get_absolute_url()),
        "login": visitor.get(reverse("account_login")),
        "signup": visitor.get(reverse("account_signup")),
        "password reset": visitor.get(reverse("account_reset_password")),
        "not found": visitor.get(f"/{LANGUAGE}/consultations/no-such-review/"),
        "question as moderator": client.get(question.get_absolute_url()),
        "reply": client.get(reverse("consultations:comment_reply", args=[answer.pk])),
        "edit": author_client.get(reverse("consultations:comment_edit", args=[answer.pk])),
        "withdraw": author_client.get(reverse("consultations:comment_withdraw", args=[answer.pk])),
        "report": client.get(reverse("consultations:comment_report", args=[site["reply"].pk])),
        "profile": client.get(reverse("accounts:profile")),
        "queue": client.get(reverse("consultations:moderation_queue")),
        "hide": client.get(reverse("consultations:comment_hide", args=[site["reply"].pk])),
        "ask for clarification": client.get(
            reverse("consultations:comment_request_clarification", args=[site["reply"].pk])
        ),
        "reference not found": visitor.get(
            reverse("consultations:reference", args=[slug, "Q9-99"])
        ),
        "console": client.get(reverse("consultations:console")),
        "console consultation": client.get(
            reverse("consultations:console_consultation", args=[slug])
        ),
        "console edit": client.get(reverse("consultations:console_edit", args=[slug])),
        "new question": client.get(reverse("consultations:console_question_create", args=[slug])),
        "statistics": client.get(reverse("consultations:console_statistics", args=[slug])),
        "log": client.get(reverse("consultations:audit_log")),
    }


def test_every_page_shows_only_marked_interface_text(pseudo_french, site_content):
    content = _content_strings(site_content)
    unmarked = {}
    for name, response in _pages(site_content).items():
        assert response.status_code in (200, 404), name
        html = response.content.decode()
        assert "⟦" in html, f"{name} was not rendered with the pseudo catalogue"
        leftovers = unmarked_text(html, content)
        if leftovers:
            unmarked[name] = leftovers
    assert unmarked == {}, "\n".join(f"{name}: {lines}" for name, lines in unmarked.items())


def test_the_pseudo_locale_check_sees_an_unmarked_string(pseudo_french):
    html = '<html lang="fr"><body><p>⟦Marqué⟧</p><p>Forgotten to mark</p></body></html>'

    assert unmarked_text(html, []) == ["Forgotten to mark"]
