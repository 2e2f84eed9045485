"""Whatever is typed into the search, the reader gets a page and a clear message."""

import pytest
from django.contrib.auth.models import AnonymousUser

from search.forms import QUERY_MAX_LENGTH, SearchForm
from tests.factories import make_comment

HOSTILE_QUERIES = [
    '"',
    '"unclosed phrase',
    "fees & wages",
    "fees | wages",
    "!fees",
    "fee:*",
    "fees:* & !",
    "100%",
    "%_%",
    "back\\slash\\",
    "\\",
    "<script>alert(1)</script>",
    "'; DROP TABLE consultations_comment; --",
    "(((",
    "-",
    "OR",
    "émigration ± ∞ 移民",
]


@pytest.fixture
def fees(question):
    return make_comment(question, body="Recruitment fees must be abolished.")


@pytest.mark.parametrize("text", HOSTILE_QUERIES)
def test_hostile_queries_give_a_page_not_an_error(search_page, fees, text):
    response = search_page(q=text)

    assert response.status_code == 200
    assert response.context["form"].is_valid()


def test_a_nul_character_in_the_address_gets_the_bad_request_page(search_page, fees):
    # Refused for every page by forum.middleware.RefuseNullCharactersMiddleware.
    response = search_page(q="fe\x00es")

    assert response.status_code == 400


def test_the_search_form_drops_nul_characters_it_is_given(fees):
    form = SearchForm({"q": "fe\x00es"}, user=AnonymousUser())

    assert form.is_valid()
    assert form.cleaned_data["q"] == "fees"


def test_a_percent_sign_is_not_a_wildcard(search_page, fees):
    response = search_page(q="%")

    assert list(response.context.get("page") or []) == []


def test_ten_thousand_characters_are_refused_with_a_message_and_kept(search_page, fees):
    text = "fees " * 2000

    response = search_page(q=text)
    page = response.content.decode()

    assert response.status_code == 200
    assert "page" not in response.context
    assert f"Please search for at most {QUERY_MAX_LENGTH} characters" in page
    assert text.strip()[:500] in page


def test_only_common_words_say_so(search_page, fees, settings):
    response = search_page(q="the and of")

    if response.context["notice"]:
        assert "only very common words" in response.context["notice"]
    else:
        # SQLite has no stop words: they are searched like any word.
        assert response.status_code == 200


def test_no_words_at_all_asks_for_some(search_page, fees):
    response = search_page(q="   ")

    assert "Type one or more words" in response.context["notice"]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("consultation", "no-such-consultation"),
        ("question", "seven"),
        ("question", "999"),
        ("language", "klingon"),
        ("organisation_type", "secret_society"),
        ("country", "XX"),
        ("posted_from", "yesterday"),
        ("posted_until", "2024-13-45"),
        ("page", "last"),
        ("page", "-1"),
        ("page", "99999"),
    ],
)
def test_an_unknown_filter_value_gives_a_message_not_an_error(search_page, fees, parameter, value):
    response = search_page(q="fees", **{parameter: value})

    assert response.status_code == 200
    if parameter != "page":
        assert parameter in response.context["form"].errors
        assert 'role="alert"' in response.content.decode()


def test_a_question_without_its_consultation_is_explained(search_page, fees):
    response = search_page(q="fees", question="1")

    assert "Choose a consultation" in str(response.context["form"].errors["question"])


def test_dates_the_wrong_way_round_are_explained(search_page, fees):
    response = search_page(q="fees", posted_from="2025-05-01", posted_until="2025-01-01")

    assert "must come before" in response.content.decode()


@pytest.mark.parametrize("text", ['"', "fees & !", "x" * 10_000])
def test_the_feed_takes_any_query(client, fees, text):
    response = client.get("/en/search/feed/", {"q": text})

    assert response.status_code == 200
