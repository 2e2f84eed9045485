"""The session store (forum/sessions.py): Django's database sessions, read with SQL
compiled once."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from forum.sessions import SessionStore
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _saved_session(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_live_session_is_read_back():
    key = _saved_session(colour="teal", count=3)

    store = SessionStore(key)

    assert store.load() == {"colour": "teal", "count": 3}
    assert store.session_key == key


def test_an_expired_session_is_not_read_and_its_key_is_dropped():
    key = _saved_session(colour="teal")
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))

    store = SessionStore(key)

    assert store.load() == {}
    assert store.session_key is None


def test_each_key_reads_its_own_session():
    first, second = _saved_session(who="first"), _saved_session(who="second")

    assert SessionStore(first).load() == {"who": "first"}
    assert SessionStore(second).load() == {"who": "second"}
    assert SessionStore("no-such-session-key").load() == {}


def test_reading_a_session_builds_no_sql_once_compiled():
    first, second = _saved_session(who="first"), _saved_session(who="second")
    SessionStore(first).load()

    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("SQL built")):
        assert SessionStore(second).load() == {"who": "second"}


def test_a_signed_in_request_is_read_through_this_store(client):
    user = make_user()
    client.force_login(user)

    response = client.get("/en/accounts/profile/")

    assert response.status_code == 200
    assert response.wsgi_request.user == user
    assert isinstance(response.wsgi_request.session, SessionStore)


def test_a_session_expires_by_this_processs_clock_as_djangos_does():
    key = _saved_session(colour="teal")
    expires = Session.objects.get(pk=key).expire_date

    with time_machine.travel(expires - timedelta(seconds=1)):
        assert SessionStore(key).load() == {"colour": "teal"}
    with time_machine.travel(expires + timedelta(seconds=1)):
        assert SessionStore(key).load() == {}
