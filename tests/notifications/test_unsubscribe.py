"""One-click unsubscribe: the headers, the signed link, and tokens that do not work."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from notifications import services
from notifications.emails import unsubscribe_token
from notifications.models import Delivery, NotificationPreference
from notifications.tasks import deliver
from tests.factories import make_comment, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply_mail(question, stakeholder):
    parent = make_comment(question, author=stakeholder)
    (notification,) = services.comment_notifications(make_comment(question, parent=parent))
    deliver(notification.pk)
    return mail.outbox[0]


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_every_mail_carries_the_rfc_8058_headers(reply_mail):
    assert re.fullmatch(
        r"<https?://[^>]+/en/notifications/unsubscribe/[^/]+/>",
        (reply_mail.extra_headers["List-Unsubscribe"]),
    )
    assert reply_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_link_in_the_text_is_the_one_in_the_header(reply_mail):
    url = reply_mail.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in reply_mail.body
    assert url in next(content for content, _type in reply_mail.alternatives)


def test_a_one_click_post_turns_that_kind_off_without_logging_in(reply_mail, stakeholder):
    url = _path(reply_mail.extra_headers["List-Unsubscribe"].strip("<>"))
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    preference = NotificationPreference.objects.get(user=stakeholder)
    assert preference.reply == Delivery.NEVER
    assert preference.followed_activity == Delivery.DAILY_DIGEST


def test_opening_the_link_asks_for_the_click_and_changes_nothing(reply_mail, stakeholder, client):
    url = _path(reply_mail.extra_headers["List-Unsubscribe"].strip("<>"))

    response = client.get(url)

    assert response.status_code == 200
    assert "Turn them off" in response.content.decode()
    assert "Replies to your comments" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=stakeholder).exists()


def test_a_tampered_token_gets_a_clear_page(client, stakeholder):
    token = unsubscribe_token(stakeholder, ["reply"])
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    response = client.post(f"/en/notifications/unsubscribe/{tampered}/")

    assert response.status_code == 400
    assert "incomplete or was changed" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=stakeholder).exists()


def test_garbage_instead_of_a_token_gets_a_clear_page(client):
    response = client.get("/en/notifications/unsubscribe/not-a-token/")

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_an_expired_token_gets_a_clear_page(client, stakeholder, settings):
    settings.ROUNDTABLE_UNSUBSCRIBE_MAX_AGE_DAYS = 30
    token = unsubscribe_token(stakeholder, ["reply"])

    with time_machine.travel(timezone.now() + timedelta(days=31)):
        response = client.post(f"/en/notifications/unsubscribe/{token}/")

    assert response.status_code == 400
    assert "too old" in response.content.decode()


def test_a_token_for_a_deleted_account_gets_a_clear_page(client):
    user = make_user()
    token = unsubscribe_token(user, ["reply"])
    user.is_active = False
    user.save()

    assert client.post(f"/en/notifications/unsubscribe/{token}/").status_code == 400
