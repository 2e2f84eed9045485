import pytest
from django.core.cache import cache, caches
from django.test import Client

from forum.cache_backends import UpsertDatabaseCache
from tests.factories import (
    make_consultation,
    make_global_moderator,
    make_question,
    make_secretariat_member,
    make_user,
)


@pytest.fixture(autouse=True)
def _english_utc_and_fast_passwords(settings):
    settings.LANGUAGE_CODE = "en"
    settings.TIME_ZONE = "UTC"
    # Every test user gets a password; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests post quickly from accounts made a moment ago; the abuse limits
    # are switched on by the tests about them (tests/consultations/test_limits.py).
    settings.ROUNDTABLE_RATE_LIMITS = {}


@pytest.fixture(autouse=True)
def _cache_table_trimmed_only_when_asked(request, monkeypatch):
    # The database cache counts and trims its table on one write in CULL_EVERY,
    # drawn at random (forum/cache_backends.py): a test counting a post's queries
    # would count one more now and then. Tests of the trimming itself say so.
    if request.node.get_closest_marker("cache_trims_at_random"):
        return
    monkeypatch.setattr(UpsertDatabaseCache, "_trims_on_this_write", lambda cache: False)


@pytest.fixture(autouse=True)
def _uploads_in_a_throwaway_folder(settings, tmp_path):
    # Attachments and background documents are written through the storage API.
    settings.MEDIA_ROOT = tmp_path / "media"


DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}


@pytest.fixture(autouse=True)
def _empty_cache(request, django_db_setup, django_db_blocker):
    # The rate limits live in the cache, a database table that outlives a
    # test (a transactional test's flush leaves it alone): every test that may
    # use the database starts with none used. A test that may not has no
    # cache to clear, and in a run of such tests alone no test database is
    # made, so clearing would reach the real one.
    uses_database = request.node.get_closest_marker("django_db") or (
        DATABASE_FIXTURES & set(request.fixturenames)
    )
    # The rendered pages and comments live in memory, keyed by rows that a
    # test's rollback may bring back with the same ids: each test starts with
    # none kept.
    caches["pages"].clear()
    if not uses_database:
        yield
        return
    with django_db_blocker.unblock():
        cache.clear()
    yield
    caches["pages"].clear()
    with django_db_blocker.unblock():
        cache.clear()


@pytest.fixture
def consultation(db):
    return make_consultation(state="open")


@pytest.fixture
def question(consultation):
    return make_question(consultation, number=1)


@pytest.fixture
def stakeholder(db):
    return make_user(display_name="Amina Diallo", organisation="Coastal Migrants Network")


@pytest.fixture
def unverified_user(db):
    return make_user(verified=False)


@pytest.fixture
def moderator(consultation):
    user = make_user(display_name="Tomás Ruiz", organisation="Network secretariat")
    consultation.moderators.add(user)
    return user


@pytest.fixture
def other_moderator(db):
    """A moderator named on a different consultation only."""
    user = make_user()
    make_consultation(state="open").moderators.add(user)
    return user


@pytest.fixture
def global_moderator(db):
    return make_global_moderator()


@pytest.fixture
def secretariat(db):
    return make_secretariat_member()


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def stakeholder_client(stakeholder):
    return _client_for(stakeholder)


@pytest.fixture
def client_for(db):
    """`client_for(user)`: a test client logged in as that user."""
    return _client_for
