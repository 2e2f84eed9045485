"""Visitors' pages come from the cache, and every change that alters them is seen at once."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.db import connection, connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from consultations import page_cache
from consultations.models import CommentStatus, Consultation
from consultations.page_cache import CSRF_STAND_IN
from consultations.services.comments import comment_edit, comment_post, comment_withdraw
from consultations.services.moderation import (
    comment_approve,
    comment_hide,
    comment_request_clarification,
    comment_restore,
    question_lock,
)
from consultations.services.translations import comment_translate
from forum import compiled_queries
from site_identity.models import SiteIdentity
from tests.consultations.archiving import closed_consultation_with_every_status, write_archive
from tests.factories import (
    make_comment,
    make_consultation,
    make_question,
    make_secretariat_member,
    make_translator,
    make_user,
)

pytestmark = pytest.mark.django_db

_PER_REQUEST = re.compile(r'(name="(?:csrfmiddlewaretoken|submission_token)" value=")[^"]*(")')


def _without_tokens(html: str) -> str:
    return _PER_REQUEST.sub(r"\1…\2", html)


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def visitor():
    return Client()


@pytest.fixture(params=["visitor", "stakeholder"])
def reader(request, db):
    """A visitor (whose whole page is kept) or a signed-in stakeholder who has not
    written here (whose discussion is kept, shared with readers like them)."""
    client = Client()
    if request.param == "stakeholder":
        client.force_login(make_user(display_name="Reader Who Never Posts"))
    return client


@pytest.fixture
def author(db):
    return make_user(display_name="Léa Moreau", organisation="Harbour Workers Union")


@pytest.fixture
def answer(question, author):
    return make_comment(question, author=author, body="Seasonal permits should be renewable.")


def _question_url(question) -> str:
    return question.get_absolute_url()


def _assert_page_follows(client, url, change) -> tuple[str, str]:
    """The page is cached, then changes with `change`, and what is served then is
    what a page built afresh shows."""
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as building:
        before = _without_tokens(_page(client, url))
    with CaptureQueriesContext(connection) as kept:
        assert _without_tokens(_page(client, url)) == before
    assert len(kept) < len(building), "the second visit should come from the cache"
    change()
    after = _without_tokens(_page(client, url))
    caches["pages"].clear()
    assert after == _without_tokens(_page(client, url)), "a stale page was served after the change"
    assert after != before, "the change does not show on the page"
    return before, after


def test_a_visitor_page_is_kept_and_served_again_with_three_queries(visitor, question, answer):
    url = _question_url(question)
    with CaptureQueriesContext(connection) as first:
        page = _page(visitor, url)
    with CaptureQueriesContext(connection) as second:
        assert _page(visitor, url) == page
    assert len(second) <= 3 < len(first)


@pytest.mark.parametrize("page", ["question", "consultation"])
def test_a_new_answer_shows_at_once(reader, question, stakeholder, page):
    make_comment(question, body="An early answer.")
    url = (
        _question_url(question) if page == "question" else question.consultation.get_absolute_url()
    )

    def post():
        comment_post(
            author=stakeholder, question=question, body="Freshly posted words.", language="en"
        )

    _, after = _assert_page_follows(reader, url, post)
    assert "Freshly posted words." in after


def test_a_reply_shows_at_once(reader, question, answer, stakeholder):
    def reply():
        comment_post(
            author=stakeholder,
            question=question,
            parent=answer,
            body="A reply about renewals.",
            language="en",
        )

    _, after = _assert_page_follows(reader, _question_url(question), reply)
    assert "A reply about renewals." in after


def test_an_edit_shows_at_once(reader, question, answer, author):
    def edit():
        comment_edit(
            editor=author, comment=answer, body="Permits should last two years.", language="en"
        )

    _, after = _assert_page_follows(reader, _question_url(question), edit)
    assert "Permits should last two years." in after


@pytest.mark.parametrize("page", ["question", "consultation"])
def test_a_hidden_comment_leaves_the_page_at_once(reader, question, answer, moderator, page):
    url = (
        _question_url(question) if page == "question" else question.consultation.get_absolute_url()
    )

    def hide():
        comment_hide(moderator=moderator, comment=answer, reason="Personal details")

    before, after = _assert_page_follows(reader, url, hide)
    assert "Seasonal permits should be renewable." in before
    assert "Seasonal permits should be renewable." not in after


def test_a_restored_comment_comes_back_at_once(reader, question, answer, moderator):
    comment_hide(moderator=moderator, comment=answer, reason="Personal details")

    def restore():
        comment_restore(moderator=moderator, comment=answer)

    _, after = _assert_page_follows(reader, _question_url(question), restore)
    assert "Seasonal permits should be renewable." in after


def test_a_withdrawn_comment_leaves_the_page_at_once(reader, question, answer, author):
    def withdraw():
        comment_withdraw(author=author, comment=answer)

    _, after = _assert_page_follows(reader, _question_url(question), withdraw)
    assert "Seasonal permits should be renewable." not in after


def test_an_approved_comment_appears_at_once(reader, question, author, moderator):
    waiting = make_comment(
        question, author=author, body="Held for approval.", status=CommentStatus.PENDING
    )

    def approve():
        comment_approve(moderator=moderator, comment=waiting)

    before, after = _assert_page_follows(reader, _question_url(question), approve)
    assert "Held for approval." not in before
    assert "Held for approval." in after


def test_a_moderator_named_or_removed_gains_or_loses_the_badge_at_once(
    reader, question, answer, author
):
    url = _question_url(question)
    consultation = question.consultation
    _, named = _assert_page_follows(reader, url, lambda: consultation.moderators.add(author))
    assert "badge--moderator" in named
    _, removed = _assert_page_follows(reader, url, lambda: consultation.moderators.remove(author))
    assert "badge--moderator" not in removed


def test_a_global_moderator_made_through_a_group_gains_the_badge_at_once(
    reader, question, answer, author
):
    group = Group.objects.create(name="Roving moderators")
    group.permissions.add(Permission.objects.get(codename="moderate_every_consultation"))
    _, after = _assert_page_follows(
        reader, _question_url(question), lambda: author.groups.add(group)
    )
    assert "badge--moderator" in after


def test_a_translation_shows_at_once_and_so_does_its_new_text(reader, question, answer):
    translator = make_translator()
    url = "/fr" + _question_url(question).removeprefix("/en")

    def translate(body):
        return lambda: comment_translate(
            translator=translator, comment=answer, language="fr", body=body
        )

    _, after = _assert_page_follows(
        reader, url, translate("Les permis saisonniers devraient être renouvelables.")
    )
    assert "Les permis saisonniers devraient être renouvelables." in after
    _, after = _assert_page_follows(
        reader, url, translate("Les permis de saison devraient pouvoir être renouvelés.")
    )
    assert "Les permis de saison devraient pouvoir être renouvelés." in after


def test_a_request_for_clarification_shows_at_once(reader, question, answer, moderator):
    def ask():
        comment_request_clarification(
            moderator=moderator,
            comment=answer,
            message="Which permits do you mean?",
            language="en",
        )

    _, after = _assert_page_follows(reader, _question_url(question), ask)
    assert "Which permits do you mean?" in after


def test_an_author_renamed_shows_under_the_new_name_at_once(reader, question, answer, author):
    def rename():
        author.display_name = "Léa Moreau-Santos"
        author.save()

    _, after = _assert_page_follows(reader, _question_url(question), rename)
    assert "Léa Moreau-Santos" in after


def test_a_login_does_not_make_the_pages_stale(visitor, question, answer, author):
    url = _question_url(question)
    _page(visitor, url)
    question.consultation.refresh_from_db()
    version = question.consultation.display_version
    Client().force_login(author)  # saves last_login only
    question.consultation.refresh_from_db()
    assert question.consultation.display_version == version


def test_a_locked_question_says_so_at_once(reader, question, answer, moderator):
    _, after = _assert_page_follows(
        reader,
        _question_url(question),
        lambda: question_lock(moderator=moderator, question=question),
    )
    assert "locked" in after


def test_a_question_edited_in_the_admin_shows_at_once(reader, question, answer):
    def retitle():
        question.title_en = "Which permits should be renewable?"
        question.save()

    _, after = _assert_page_follows(reader, _question_url(question), retitle)
    assert "Which permits should be renewable?" in after


@pytest.mark.parametrize("page", ["question", "consultation"])
def test_a_window_closing_by_the_clock_shows_at_once(reader, question, answer, page):
    consultation = question.consultation
    url = _question_url(question) if page == "question" else consultation.get_absolute_url()
    before = _without_tokens(_page(reader, url))
    assert _without_tokens(_page(reader, url)) == before
    with time_machine.travel(consultation.closes_at + timedelta(minutes=1), tick=False):
        after = _without_tokens(_page(reader, url))
        caches["pages"].clear()
        assert after == _without_tokens(_page(reader, url))
    assert "Closed on" in after and "Closed on" not in before


def test_a_window_opening_by_the_clock_shows_at_once(reader, db):
    # Within the hour: a signed-in reader's session outlives the wait.
    consultation = make_consultation(state="upcoming", opens_at=timezone.now() + timedelta(hours=1))
    url = make_question(consultation, number=1).get_absolute_url()
    before = _without_tokens(_page(reader, url))
    assert _without_tokens(_page(reader, url)) == before
    with time_machine.travel(consultation.opens_at + timedelta(minutes=1), tick=False):
        after = _without_tokens(_page(reader, url))
        caches["pages"].clear()
        assert after == _without_tokens(_page(reader, url))
    assert "Open until" in after and "Open until" not in before


# --- Whose pages are kept ------------------------------------------------------------


def _readers(consultation) -> dict[str, User]:
    moderator = make_user(display_name="Ines Kovač")
    consultation.moderators.add(moderator)
    global_moderator = make_user(display_name="Oluwaseun Bello")
    global_moderator.user_permissions.add(
        Permission.objects.get(codename="moderate_every_consultation")
    )
    return {
        "stakeholder": make_user(display_name="Amaru Quispe"),
        "unverified": make_user(display_name="Sven Lindqvist", verified=False),
        "moderator": moderator,
        "global moderator": global_moderator,
        "secretariat": make_secretariat_member(display_name="Hana Sato"),
        "translator": make_translator(display_name="Nadia Haddad"),
    }


@pytest.mark.parametrize(
    "role",
    ["stakeholder", "unverified", "moderator", "global moderator", "secretariat", "translator"],
)
@pytest.mark.parametrize("page", ["question", "consultation"])
def test_a_signed_in_page_never_reaches_a_visitor_nor_the_reverse(
    visitor, question, answer, moderator, role, page
):
    hidden = make_comment(question, body="Words a moderator hid.")
    comment_hide(moderator=moderator, comment=hidden, reason="Insult")
    reader = _readers(question.consultation)[role]
    url = (
        _question_url(question) if page == "question" else question.consultation.get_absolute_url()
    )
    signed_in = Client()
    signed_in.force_login(reader)

    visitor_page = _page(visitor, url)
    assert "Log out" in _page(signed_in, url)
    assert "Log out" not in _page(visitor, url)
    assert _page(visitor, url) == visitor_page
    if role in ("moderator", "global moderator") and page == "question":
        assert "Words a moderator hid." in _page(signed_in, url)
    assert "Words a moderator hid." not in _page(visitor, url)


def test_a_visitor_with_a_session_or_a_message_waiting_gets_a_page_of_their_own(
    visitor, question, answer
):
    url = _question_url(question)
    _page(visitor, url)
    keeper = caches["pages"]
    keys_before = len(keeper._cache)  # the local memory cache of the tests
    with_session = Client()
    with_session.cookies["sessionid"] = "x"
    _page(with_session, url)
    with_message = Client()
    with_message.cookies["messages"] = "x"
    _page(with_message, url)
    assert len(keeper._cache) == keys_before


# --- A cache that is down ------------------------------------------------------------

UNREACHABLE_REDIS = {
    alias: {
        "BACKEND": "forum.cache_backends.FailOpenRedisCache",
        # Nothing listens on port 1: every call fails at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
    }
    for alias in ("default", "pages")
}


def test_with_the_cache_down_pages_are_built_from_the_database(
    visitor, question, answer, stakeholder, caplog
):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        assert "Seasonal permits should be renewable." in _page(visitor, _question_url(question))
        assert "Seasonal permits should be renewable." in _page(
            visitor, question.consultation.get_absolute_url()
        )
        signed_in = Client()
        signed_in.force_login(stakeholder)
        assert "Log out" in _page(signed_in, _question_url(question))
    assert "The cache is unreachable" in caplog.text


def _redis_listens() -> bool:
    import socket

    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


REDIS = {
    alias: {
        "BACKEND": "forum.cache_backends.FailOpenRedisCache",
        # A database of its own, emptied by the test.
        "LOCATION": "redis://127.0.0.1:6379/13",
        "KEY_PREFIX": f"test-{alias}",
    }
    for alias in ("default", "pages")
}


@pytest.mark.skipif(not _redis_listens(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_a_visitor_page_is_shared_and_follows_a_change(
    visitor, question, answer, moderator
):
    with override_settings(CACHES=REDIS):
        caches["pages"].clear()
        try:
            _, after = _assert_page_follows(
                visitor,
                _question_url(question),
                lambda: comment_hide(moderator=moderator, comment=answer, reason="Spam"),
            )
            assert "Seasonal permits should be renewable." not in after
        finally:
            caches["pages"].clear()


# --- Nobody's controls reach anyone else -----------------------------------------------


def test_every_reader_gets_from_a_warm_cache_exactly_the_page_built_for_them(
    question, answer, author, moderator
):
    """Each reader in turn warms the caches; then each one's page, served warm, must be
    the page built for them with the caches empty: no link, form, badge or text of
    one reader's page reaches another's."""
    consultation = question.consultation
    waiting = make_comment(question, author=author, body="Waiting for approval.", status="pending")
    hidden = make_comment(question, body="Hidden by a moderator.")
    comment_hide(moderator=moderator, comment=hidden, reason="Insult")
    make_comment(question, parent=answer, author=make_user(), body="A reply under it.")
    make_comment(question, parent=waiting, author=moderator, body="A moderator's reply.")
    readers = {"visitor": None, "author": author, **_readers(consultation)}
    clients = {}
    for name, reader in readers.items():
        clients[name] = Client()
        if reader is not None:
            clients[name].force_login(reader)
    urls = [_question_url(question), consultation.get_absolute_url()]

    def pages():
        return {
            (name, url): _without_tokens(_page(client, url))
            for name, client in clients.items()
            for url in urls
        }

    built_alone = {}
    for name, client in clients.items():
        for url in urls:
            caches["pages"].clear()
            built_alone[(name, url)] = _without_tokens(_page(client, url))
    caches["pages"].clear()
    pages()  # every reader warms the caches, one after the other
    served_warm = pages()
    for page_of, html in served_warm.items():
        assert html == built_alone[page_of], f"{page_of} differs when served from a warm cache"
    assert "Waiting for approval." in built_alone[("author", urls[0])]
    assert "Waiting for approval." not in built_alone[("stakeholder", urls[0])]


def test_the_sealed_record_written_after_the_close_shows_at_once(reader):
    consultation = closed_consultation_with_every_status().consultation
    _, after = _assert_page_follows(
        reader, consultation.get_absolute_url(), lambda: write_archive(consultation)
    )
    assert "Sealed record" in after


def test_moderators_served_a_kept_form_each_get_their_own_working_token(
    question, author, moderator
):
    waiting = make_comment(question, author=author, body="Held for a moderator.", status="pending")
    second_moderator = make_user(display_name="Kwame Mensah")
    question.consultation.moderators.add(second_moderator)
    approve = f"/en/comments/{waiting.pk}/approve/"
    form = re.compile(rf'action="{approve}".*?name="csrfmiddlewaretoken" value="([^"]+)"', re.S)
    tokens = []
    for each in (moderator, second_moderator):  # the second is served the kept discussion
        client = Client(enforce_csrf_checks=True)
        client.force_login(each)
        page = _page(client, _question_url(question))
        assert str(CSRF_STAND_IN) not in page
        tokens.append((client, form.search(page).group(1)))
    assert len(caches["pages"]._cache) > 0

    client, token = tokens[1]
    response = client.post(approve, {"csrfmiddlewaretoken": token, "reason": ""})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == CommentStatus.PUBLISHED


def test_the_hosts_new_name_shows_at_once(reader, question, answer):
    def rename_the_host():
        identity = SiteIdentity.objects.current()
        identity.name = "Regional Labour Mobility Forum"
        identity.save()

    _, after = _assert_page_follows(reader, _question_url(question), rename_the_host)
    assert "Regional Labour Mobility Forum" in after


# --- What a kept visitor page costs ----------------------------------------------------


def _page_url(question, page) -> str:
    if page == "question":
        return _question_url(question)
    return question.consultation.get_absolute_url()


@pytest.mark.parametrize("page", ["question", "consultation"])
def test_a_kept_visitor_page_costs_one_query_reading_only_what_its_key_needs(
    visitor, question, answer, page
):
    url = _page_url(question, page)
    built = _page(visitor, url)
    with CaptureQueriesContext(connection) as kept:
        assert _page(visitor, url) == built
    assert len(kept) == 1
    (read,) = kept.captured_queries
    assert "display_version" in read["sql"] and "closes_at" in read["sql"]
    assert "introduction" not in read["sql"] and "title" not in read["sql"]
    # Compiled once for the connection, not by the ORM on every visit.
    assert page_cache._compiled_reads[connections["default"]] is not None


@pytest.mark.parametrize("page", ["question", "consultation"])
def test_a_kept_visitor_page_carries_the_headers_of_the_page_built(visitor, question, answer, page):
    url = _page_url(question, page)
    built = visitor.get(url)
    kept = visitor.get(url)
    assert kept.content == built.content
    assert sorted(kept.items()) == sorted(built.items())
    assert kept["Cache-Control"] == "private, no-store" and kept["Vary"] == "Cookie"


@pytest.mark.parametrize("page", ["question", "consultation"])
def test_a_consultation_taken_back_to_draft_is_gone_for_visitors_at_once(
    visitor, question, answer, page
):
    url = _page_url(question, page)
    _page(visitor, url)
    # Straight in the database: nothing moves display_version on.
    Consultation.objects.filter(pk=question.consultation.pk).update(is_published=False)
    assert visitor.get(url).status_code == 404


def test_an_address_with_a_choice_to_remember_is_never_served_from_the_cache(
    visitor, question, answer
):
    url = _question_url(question)
    _page(visitor, url)
    for choice in ("?questions=all", "?answers=newest", "?questions=all", "?answers=newest"):
        response = Client().get(url + choice)
        assert response.status_code == 302
        assert response.cookies


@pytest.mark.parametrize("page", ["question", "consultation"])
def test_the_consultations_time_zone_is_read_afresh_for_a_kept_page(
    visitor, question, answer, page
):
    url = _page_url(question, page)
    before = _page(visitor, url)
    # Straight in the database: nothing moves display_version on.
    Consultation.objects.filter(pk=question.consultation.pk).update(time_zone="Asia/Tokyo")
    after = _page(visitor, url)
    caches["pages"].clear()
    assert after == _page(visitor, url)
    assert after != before


def test_a_reading_rule_that_asks_the_clock_is_read_afresh_not_compiled_once(
    visitor, question, answer, monkeypatch
):
    from consultations.models.consultations import ConsultationQuerySet

    def visible_once_open(queryset, user):
        return queryset.filter(is_published=True, opens_at__lte=timezone.now())

    monkeypatch.setattr(ConsultationQuerySet, "visible_to", visible_once_open)
    monkeypatch.setattr(page_cache, "_compiled_reads", page_cache.weakref.WeakKeyDictionary())
    # The rule changed as code would: nothing compiled under the old one is kept.
    monkeypatch.setattr(compiled_queries, "_compiled_shapes", compiled_queries.OrderedDict())
    url = _question_url(question)
    built = _page(visitor, url)
    with CaptureQueriesContext(connection) as kept:
        assert _page(visitor, url) == built
    assert len(kept) == 1
    assert page_cache._compiled_reads[connections["default"]] is None
    with time_machine.travel(question.consultation.opens_at - timedelta(minutes=1), tick=False):
        assert visitor.get(url).status_code == 404
