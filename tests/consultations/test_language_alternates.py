"""Every page's language alternates (consultations.context_processors): the page's own
address in each language, as Django's `translate_url` gives it."""

from unittest import mock

import pytest
from django.conf import settings
from django.urls import translate_url

from consultations import context_processors
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def _alternates(client, path):
    response = client.get(path)
    return response, {
        alternate["code"]: alternate["url"] for alternate in response.context["language_alternates"]
    }


@pytest.mark.parametrize("logged_in", [False, True])
def test_each_page_links_its_own_address_in_every_language(
    client, stakeholder, question, logged_in
):
    if logged_in:
        client.force_login(stakeholder)
    comment = make_comment(question)
    paths = [
        "/en/",
        question.consultation.get_absolute_url(),
        f"{question.get_absolute_url()}?order=oldest&page=1",
        f"/fr/comments/{comment.pk}/reply/" if logged_in else "/es/search/?q=%C3%A9t%C3%A9",
        "/en/no-such-page/",
    ]
    for path in paths:
        response, alternates = _alternates(client, path)
        full_path = response.wsgi_request.get_full_path()
        assert alternates == {
            code: translate_url(full_path, code) for code, _name in settings.LANGUAGES
        }, path


def test_a_routed_page_is_not_resolved_again_for_each_language(client, question):
    with mock.patch.object(
        context_processors, "translate_url", side_effect=AssertionError("resolved again")
    ):
        response, alternates = _alternates(client, f"{question.get_absolute_url()}?page=1")

    assert response.status_code == 200
    assert alternates["es"] == f"/es{question.get_absolute_url()[3:]}?page=1"
