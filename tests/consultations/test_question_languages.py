"""Questions in English, French and Spanish at once: a link without JavaScript, remembered."""

from html.parser import HTMLParser

import pytest
from django.utils import translation

from consultations.views.reading import QUESTION_LANGUAGES_COOKIE
from tests.factories import make_consultation, make_question


@pytest.fixture
def trilingual_question(db):
    consultation = make_consultation(slug="fair-recruitment", state="open")
    return make_question(
        consultation,
        number=1,
        title="Which recruitment practices protect workers?",
        title_fr="Quelles pratiques de recrutement protègent les travailleurs ?",
        title_es="¿Qué prácticas de contratación protegen a los trabajadores?",
        body="Think of **fees** charged to workers.",
        body_fr="Pensez aux **frais** facturés aux travailleurs.",
        body_es="Piense en las **tarifas** cobradas a los trabajadores.",
    )


def question_url(question, language="en"):
    with translation.override(language):
        return question.get_absolute_url()


def consultation_url(question, language="en"):
    with translation.override(language):
        return question.consultation.get_absolute_url()


class _Page(HTMLParser):
    """The tags of a page (name and attributes) and the text of each stacked question version."""

    VOID = {"input", "br", "img", "meta", "link", "hr"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.versions: list[list] = []  # [lang, text pieces, depth still open, question section]
        self.open_depth = 0
        self.question_section = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in self.VOID:
            return
        self.open_depth += 1
        classes = (attributes.get("class") or "").split()
        if "question" in classes and tag == "section":
            self.question_section += 1
        if "question-version" in classes:
            version = [attributes.get("lang"), [], self.open_depth, self.question_section]
            self.versions.append(version)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.versions and self.versions[-1][2] == self.open_depth:
            self.versions[-1][2] = None
        self.open_depth -= 1

    def handle_data(self, data):
        if self.versions and self.versions[-1][2] is not None:
            self.versions[-1][1].append(data)

    def find(self, tag: str, **attributes) -> list[dict]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(attrs.get(k) == v for k, v in attributes.items())
        ]


def page(response) -> _Page:
    return _Page(response.content.decode())


def versions(response) -> dict[str, str]:
    """Each stacked version's language attribute and its text."""
    return {
        language: " ".join("".join(pieces).split())
        for language, pieces, _open, _section in page(response).versions
    }


def show_all(client, page_url):
    return client.get(page_url, {"questions": "all"})


def test_a_question_is_shown_in_the_pages_language_by_default(client, trilingual_question):
    response = client.get(question_url(trilingual_question, "fr"))

    assert versions(response) == {}
    assert "Pensez aux" in response.content.decode()
    assert "Think of" not in response.content.decode()


def test_the_toggle_is_a_plain_link_that_works_without_javascript(client, trilingual_question):
    document = page(client.get(question_url(trilingual_question)))

    assert document.find("p", id="question-languages")
    [link] = [attrs for attrs in document.find("a") if attrs.get("href", "").startswith("?q")]
    assert link["href"] == "?questions=all" and link["rel"] == "nofollow"


def test_showing_all_languages_is_remembered_in_a_cookie(client, trilingual_question):
    response = show_all(client, question_url(trilingual_question))

    # Back to the same page, without the parameter, at the toggle.
    assert response.status_code == 302
    assert response.url == question_url(trilingual_question) + "#question-languages"
    cookie = response.cookies[QUESTION_LANGUAGES_COOKIE]
    assert cookie.value == "all"
    assert cookie["max-age"] >= 300 * 24 * 60 * 60
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_the_toggle_keeps_the_comment_language_filter(client, trilingual_question):
    response = client.get(question_url(trilingual_question), {"language": "fr", "questions": "all"})

    assert response.url == question_url(trilingual_question) + "?language=fr#question-languages"
    document = page(client.get(question_url(trilingual_question), {"language": "fr"}))
    assert document.find("a", href="?language=fr&questions=one", rel="nofollow")


def test_a_question_page_then_stacks_all_three_languages_each_marked(client, trilingual_question):
    show_all(client, question_url(trilingual_question))

    response = client.get(question_url(trilingual_question, "es"))

    assert versions(response) == {
        "en": "English Which recruitment practices protect workers? Think of fees charged to"
        " workers.",
        "fr": "Français Quelles pratiques de recrutement protègent les travailleurs ? Pensez aux"
        " frais facturés aux travailleurs.",
        "es": "Español ¿Qué prácticas de contratación protegen a los trabajadores? Piense en las"
        " tarifas cobradas a los trabajadores.",
    }
    assert list(versions(response)) == ["en", "fr", "es"]


def test_the_consultation_page_stacks_every_question_too(client, trilingual_question):
    make_question(trilingual_question.consultation, number=2, title="Only in English")
    show_all(client, consultation_url(trilingual_question))

    document = page(client.get(consultation_url(trilingual_question)))

    languages_by_section = {}
    for language, pieces, _open, section in document.versions:
        languages_by_section.setdefault(section, []).append((language, "".join(pieces)))
    stacks = {
        "Only in English" in "".join(text for _language, text in versions): [
            language for language, _text in versions
        ]
        for versions in languages_by_section.values()
    }
    assert stacks[False] == ["en", "fr", "es"]
    # A language with neither title nor body is left out rather than shown empty.
    assert stacks[True] == ["en"]


def test_the_choice_holds_across_pages_and_languages(client, trilingual_question):
    show_all(client, question_url(trilingual_question))

    for language in ("en", "fr", "es"):
        assert len(versions(client.get(question_url(trilingual_question, language)))) == 3
    document = page(client.get(question_url(trilingual_question, "fr")))
    assert document.find("a", href="?questions=one")


def test_going_back_to_one_language_forgets_the_choice(client, trilingual_question):
    show_all(client, question_url(trilingual_question))

    response = client.get(question_url(trilingual_question), {"questions": "one"})

    assert response.cookies[QUESTION_LANGUAGES_COOKIE].value == ""  # deleted
    assert versions(client.get(question_url(trilingual_question))) == {}


def test_a_signed_in_person_uses_the_same_toggle(client, trilingual_question, stakeholder):
    client.force_login(stakeholder)
    show_all(client, question_url(trilingual_question))

    assert len(versions(client.get(question_url(trilingual_question)))) == 3


def test_an_unknown_choice_means_one_language(client, trilingual_question):
    show_all(client, consultation_url(trilingual_question))

    response = client.get(consultation_url(trilingual_question), {"questions": "<script>"})

    assert response.status_code == 302
    assert response.url == consultation_url(trilingual_question) + "#question-languages"
    assert response.cookies[QUESTION_LANGUAGES_COOKIE].value == ""
