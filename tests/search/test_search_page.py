"""The search page: what a reader finds, and how it is shown (both databases)."""

from tests.factories import make_comment


def _found(response):
    return [comment.pk for comment in response.context["page"]]


def test_a_word_finds_the_contribution_that_contains_it(search_page, migration_thread):
    _question, comments = migration_thread

    response = search_page(q="bondage")

    assert response.status_code == 200
    assert _found(response) == [comments["en"].pk]


def test_a_word_without_its_accent_finds_it_with_its_accent(search_page, migration_thread):
    _question, comments = migration_thread

    assert _found(search_page(page_language="es", q="migracion")) == [comments["es"].pk]


def test_capitals_do_not_matter(search_page, migration_thread):
    _question, comments = migration_thread

    assert _found(search_page(q="RECRUITMENT FEES")) == [comments["en"].pk]


def test_the_singular_finds_the_plural(search_page, migration_thread):
    _question, comments = migration_thread

    assert _found(search_page(page_language="fr", q="travailleur")) == [comments["fr"].pk]


def test_a_result_links_to_the_exact_comment(search_page, migration_thread):
    question, comments = migration_thread

    response = search_page(q="bondage")

    link = f"{question.get_absolute_url()}?order=oldest&amp;page=1#comment-{comments['en'].pk}"
    assert f'href="{link}"' in response.content.decode()


def test_the_snippet_marks_the_words_found(search_page, migration_thread):
    response = search_page(q="bondage")

    assert "<mark>bondage</mark>" in response.content.decode()


def test_the_snippet_escapes_what_the_author_wrote(search_page, question):
    make_comment(question, body="Beware <script>alert('fees')</script> of fees")

    page = search_page(q="fees").content.decode()

    assert "<script>alert" not in page
    assert "alert(&#x27;" in page


def test_questions_that_match_are_listed_too(search_page, migration_thread):
    question, _comments = migration_thread

    response = search_page(q="abolished")

    assert response.context["questions"] == [question]


def test_results_come_in_pages(search_page, question, settings):
    for number in range(25):
        make_comment(question, body=f"Remittances matter, point {number}.")

    first, second = search_page(q="remittances"), search_page(q="remittances", page=2)

    assert len(first.context["page"]) == 20
    assert len(second.context["page"]) == 5
    assert 'rel="next"' in first.content.decode()


def test_the_header_has_a_search_box_on_every_page(client, db):
    page = client.get("/en/").content.decode()

    assert 'role="search"' in page
    assert 'action="/en/search/"' in page


def test_the_search_page_offers_a_feed_of_its_results(search_page, migration_thread):
    page = search_page(q="bondage").content.decode()

    assert 'type="application/atom+xml" href="/en/search/feed/?q=bondage"' in page


def test_the_chosen_filters_stay_chosen(search_page, migration_thread):
    question, _comments = migration_thread

    page = search_page(q="fees", country="GH", consultation=question.consultation.slug)
    html = page.content.decode()

    assert '<option value="GH" selected>' in html
    assert f'<option value="{question.consultation.slug}" selected>' in html
    assert '<option value="" selected>' in html  # the filters left alone


def test_contributions_in_the_page_language_come_first(search_page, question):
    english = make_comment(question, language="en", body="Remesas is the word we heard.")
    spanish = make_comment(question, language="es", body="Las remesas sostienen a las familias.")

    assert _found(search_page(page_language="es", q="remesas")) == [spanish.pk, english.pk]
    assert _found(search_page(page_language="en", q="remesas")) == [english.pk, spanish.pk]


def _queries_for_a_search(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15) as captured:
        response = client.get("/en/search/", {"q": "visas"})
    assert response.status_code == 200
    return len(captured)


def test_a_search_page_costs_the_same_queries_for_few_or_many_results(
    client, question, django_assert_max_num_queries
):
    for number in range(2):
        make_comment(question, body=f"Seasonal visas, point {number}.")
    client.get("/en/search/", {"q": "visas"})  # the site's identity is cached from now on
    few = _queries_for_a_search(client, django_assert_max_num_queries)
    for number in range(40):
        make_comment(question, body=f"Student visas, point {number}.")
    many = _queries_for_a_search(client, django_assert_max_num_queries)

    assert few == many
