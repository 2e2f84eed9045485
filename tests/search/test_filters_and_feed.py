"""Filters narrow the search; the search's feed lists the newest matches."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from search.folding import fold, organisation_key
from tests.factories import make_comment, make_question


def _found(response):
    return {comment.pk for comment in response.context["page"]}


def test_filter_by_language_of_the_contribution(search_page, migration_thread):
    _question, comments = migration_thread

    assert _found(search_page(q="migrant")) == {comments["en"].pk, comments["fr"].pk}
    assert _found(search_page(q="migrant", language="fr")) == {comments["fr"].pk}


def test_filter_by_organisation_type(search_page, migration_thread):
    question, comments = migration_thread
    make_comment(question, body="Unions and fees.", language="en")

    response = search_page(q="fees", organisation_type="trade_union")

    assert _found(response) == {comments["en"].pk}


def test_filter_by_country(search_page, migration_thread):
    _question, comments = migration_thread

    assert _found(search_page(q="bondage", country="GH")) == {comments["en"].pk}
    assert _found(search_page(q="bondage", country="PE")) == set()


def test_a_hidden_country_is_never_a_way_to_find_someone(search_page, migration_thread):
    _question, comments = migration_thread
    comments["en"].author.hide_country = True
    comments["en"].author.save()

    assert _found(search_page(q="bondage", country="GH")) == set()
    assert _found(search_page(q="bondage")) == {comments["en"].pk}


def test_filter_by_consultation_and_question(search_page, migration_thread):
    question, comments = migration_thread
    second = make_question(question.consultation, number=2)
    other = make_comment(second, body="Bondage again, on question two.")
    slug = question.consultation.slug

    assert _found(search_page(q="bondage", consultation=slug)) == {comments["en"].pk, other.pk}
    assert _found(search_page(q="bondage", consultation=slug, question=2)) == {other.pk}


def test_filter_by_date_range(search_page, question):
    now = timezone.now()
    old = make_comment(question, body="Visas then.", created_at=now - timedelta(days=40))
    new = make_comment(question, body="Visas now.", created_at=now)
    day = timedelta(days=1)

    since = (now - 10 * day).date().isoformat()
    until = (now - 30 * day).date().isoformat()

    assert _found(search_page(q="visas", posted_from=since)) == {new.pk}
    assert _found(search_page(q="visas", posted_until=until)) == {old.pk}


def test_the_feed_lists_matching_contributions_newest_first(client, question):
    now = timezone.now()
    make_comment(question, body="Wage theft, first.", created_at=now - timedelta(hours=2))
    make_comment(question, body="Wage theft, second.", created_at=now)
    make_comment(question, body="Nothing to do with it.")

    feed = client.get("/en/search/feed/", {"q": "theft"}).content.decode()

    assert feed.index("second") < feed.index("first")
    assert "Nothing to do" not in feed
    assert "Contributions matching “theft”" in feed


def test_sqlite_fallback_folds_case_and_accents_in_the_database(search_page, question):
    comment = make_comment(question, language="es", body="ÉMIGRATION Y MIGRACIÓN")

    response = search_page(q="emigration migracion")

    assert _found(response) == {comment.pk}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT roundtable_fold(%s)", ["MIGRACIÓN Ñandú"])
            assert cursor.fetchone()[0] == "migracion nandu"


def test_folding_removes_case_and_accents():
    assert fold("Migración ÉTÉ Straße") == "migracion ete strasse"


def test_organisation_names_meet_whatever_their_spacing_and_case():
    assert organisation_key("IOM") == organisation_key("iom ") == "iom"
    assert organisation_key("Red  Migrante   Andina") == organisation_key("red migrante andina")
    assert organisation_key("Organización Internacional") == "organizacion-internacional"
    assert organisation_key("...") == ""
