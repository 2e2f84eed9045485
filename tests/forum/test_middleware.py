"""The load balancer's health check and the page shown when the database is down."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

from tests.factories import make_user


@pytest.mark.django_db
def test_healthz_is_ok_with_the_database_reachable_and_migrated(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "problems": []}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["consult.example.org"], SECURE_SSL_REDIRECT=True)
def test_healthz_answers_a_probe_by_ip_over_plain_http(client):
    # Load balancers probe by address: neither the host check nor the HTTPS
    # redirect may turn a healthy process into a failing one.
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200


@pytest.mark.django_db
def test_healthz_reports_unapplied_migrations(client):
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan",
        return_value=[("a migration", False)],
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "problems": ["1 migrations not applied"]}


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_database(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["problems"] == ["database unreachable"]


def test_a_post_while_the_database_is_down_gives_a_translated_page_with_the_text(
    client_for, question
):
    client = client_for(make_user())
    url = question.get_absolute_url().replace("/en/", "/fr/")
    with mock.patch(
        "consultations.views.posting.comment_post",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = client.post(url, {"body": "Mon texte à garder", "language": "fr"})

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Mon texte à garder" in page
    assert "Roundtable is briefly unavailable" not in page  # it is in French


# --- Cache headers: nothing that depends on the session is kept by a cache ---------------

VISITOR_PAGES = [
    "/en/",
    "/en/consultations/{slug}/",
    "/en/consultations/{slug}/questions/1/",
    "/en/accounts/login/",
    "/en/accounts/signup/",
    "/en/accounts/password/reset/",
]
SECRETARIAT_PAGES = [
    "/en/",
    "/en/consultations/{slug}/questions/1/",
    "/en/accounts/profile/",
    "/en/accounts/email/",
    "/en/moderation/",
    "/en/secretariat/",
    "/en/secretariat/{slug}/",
    "/en/secretariat/log/",
    "/en/secretariat/{slug}/export/csv/",
    "/en/admin/",
]


def _assert_private(response):
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives
    assert "Cookie" in response["Vary"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", VISITOR_PAGES)
def test_visitor_pages_are_private_because_they_say_log_in(client, question, page):
    _assert_private(client.get(page.format(slug=question.consultation.slug)))


@pytest.mark.parametrize("page", SECRETARIAT_PAGES)
def test_logged_in_pages_are_private_and_not_stored(client_for, secretariat, question, page):
    secretariat.is_staff = True
    secretariat.save(update_fields=["is_staff"])

    _assert_private(client_for(secretariat).get(page.format(slug=question.consultation.slug)))


def test_a_response_that_used_no_session_keeps_its_own_caching(rf):
    from django.http import HttpResponse

    from forum.middleware import PrivateWhenSessionUsedMiddleware

    def public_view(request):
        response = HttpResponse("the same for everyone")
        response["Cache-Control"] = "public, max-age=300"
        return response

    request = rf.get("/static-like/")
    request.session = mock.Mock(accessed=False)

    response = PrivateWhenSessionUsedMiddleware(public_view)(request)

    assert response["Cache-Control"] == "public, max-age=300"


def test_a_view_that_read_the_session_loses_any_public_caching(rf):
    from django.http import HttpResponse

    from forum.middleware import PrivateWhenSessionUsedMiddleware

    def view(request):
        response = HttpResponse("hello, Amina")
        response["Cache-Control"] = "public, max-age=300"
        return response

    request = rf.get("/en/")
    request.session = mock.Mock(accessed=True)

    response = PrivateWhenSessionUsedMiddleware(view)(request)

    assert response["Cache-Control"] == "private, no-store"


# --- The Content Security Policy covers the admin ---------------------------------------


def test_the_admin_change_page_of_a_consultation_has_the_csp(client_for, consultation):
    admin = make_user(is_staff=True, is_superuser=True)

    response = client_for(admin).get(
        f"/en/admin/consultations/consultation/{consultation.pk}/change/"
    )

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy


def test_the_admins_language_tabs_load_jquery_ui_from_our_own_static_files(
    client_for, consultation
):
    admin = make_user(is_staff=True, is_superuser=True)

    page = (
        client_for(admin)
        .get(f"/en/admin/consultations/consultation/{consultation.pk}/change/")
        .content.decode()
    )

    assert '<script src="/static/xstatic/jquery-ui/jquery-ui.min.js">' in page
    assert "googleapis" not in page


@pytest.mark.django_db
def test_the_time_zone_middleware_reads_no_session_without_a_cookie(rf):
    """A visitor's public response stays public: nothing reads their (empty) session."""
    from django.contrib.auth import get_user
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.http import HttpResponse
    from django.utils.functional import SimpleLazyObject

    from forum.middleware import TimeZoneMiddleware

    request = rf.get("/en/")
    request.session = SessionStore()
    request.user = SimpleLazyObject(lambda: get_user(request))

    TimeZoneMiddleware(lambda request: HttpResponse())(request)

    assert request.session.accessed is False
