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
