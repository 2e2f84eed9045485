import pytest
from django.db import connection

from tests.factories import make_comment, make_consultation, make_question, make_user

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Stemming, stop words and ranking are PostgreSQL full-text search (CI runs them there)",
)


@pytest.fixture
def search_page(client):
    """GET the search page with these parameters, in a language (English by default)."""

    def get(page_language="en", **params):
        return client.get(f"/{page_language}/search/", params)

    return get


@pytest.fixture
def migration_thread(db):
    """A consultation on migration policy with contributions in three languages."""
    consultation = make_consultation(state="open", title="Fair recruitment and labour migration")
    question = make_question(consultation, number=1, title="How can recruitment fees be abolished?")
    union = make_user(
        display_name="Grace Mensah",
        organisation="Ghana Trades Union Congress",
        organisation_type="trade_union",
        country="GH",
    )
    ngo = make_user(
        display_name="Lucía Fernández",
        organisation="Red Migrante Andina",
        organisation_type="migrant_led",
        country="PE",
    )
    collective = make_user(
        display_name="Claire Dubois",
        organisation="Collectif des travailleurs",
        organisation_type="civil_society",
        country="FR",
    )
    comments = {
        "en": make_comment(
            question,
            author=union,
            language="en",
            body="Recruitment fees push migrant workers into debt bondage; employers must pay.",
        ),
        "es": make_comment(
            question,
            author=ngo,
            language="es",
            body="La migración laboral necesita reglas claras: nadie debería pagar por un empleo.",
        ),
        "fr": make_comment(
            question,
            author=collective,
            language="fr",
            body="Les travailleurs migrants ne devraient jamais payer leur recrutement.",
        ),
    }
    return question, comments
