"""Who gets which mail, in which language, and what it may contain."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core import mail

from consultations.models import CommentStatus, ModerationMode, ReportReason
from consultations.services.moderation import comment_approve, comment_hide, comment_report
from notifications import services
from notifications.models import Delivery, Follow, Notification, NotificationPreference
from notifications.tasks import deliver
from tests.factories import make_comment, make_consultation, make_question, make_user

pytestmark = pytest.mark.django_db

MORNING = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)


def _html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def test_a_reply_mails_the_author_of_the_parent_with_the_exact_link(post, question, stakeholder):
    parent = make_comment(question, author=stakeholder, body="Recruitment fees keep workers poor.")
    replier = make_user(display_name="Kofi Mensah")

    reply = post(replier, question, "In our corridor fees reach six months of pay.", parent=parent)

    assert [message.to for message in mail.outbox] == [[stakeholder.email]]
    message = mail.outbox[0]
    assert "Kofi Mensah replied to your comment" in message.subject
    assert (
        f"/en/consultations/{question.consultation.slug}/questions/1/?order=oldest&page=1#comment-{reply.pk}"
        in (message.body)
    )
    assert "six months of pay" in message.body
    assert "six months of pay" in _html_of(message)


def test_a_reply_is_mailed_in_the_recipients_language(post, question):
    author = make_user(preferred_language="fr")
    parent = make_comment(question, author=author)

    reply = post(make_user(display_name="Ana Pérez"), question, "De acuerdo.", parent=parent)

    message = mail.outbox[0]
    assert "Ana Pérez a répondu à votre commentaire" in message.subject
    assert (
        f"/fr/consultations/{question.consultation.slug}/questions/1/?order=oldest&page=1#comment-{reply.pk}"
        in (message.body)
    )
    assert '<html lang="fr">' in _html_of(message)


def test_a_moderators_follow_up_is_marked_as_from_a_moderator(post, question, moderator):
    author = make_user()
    parent = make_comment(question, author=author)

    post(moderator, question, "Thanks — could you give a concrete example?", parent=parent)

    message = mail.outbox[0]
    assert message.subject.endswith("A moderator followed up on your comment")
    assert "[From a moderator]" in message.body
    assert "From a moderator" in _html_of(message)


def test_replying_to_yourself_mails_nobody(post, question, stakeholder):
    parent = make_comment(question, author=stakeholder)

    post(stakeholder, question, "An addition to my own answer.", parent=parent)

    assert mail.outbox == []


def test_followed_activity_waits_for_the_daily_digest_by_default(post, question, stakeholder):
    services.follow(user=stakeholder, target=question)

    post(make_user(), question, "Remittance costs fell after the new law.")

    assert mail.outbox == []
    assert Notification.objects.awaiting_digest().filter(recipient=stakeholder).count() == 1


def test_followed_activity_can_be_mailed_immediately(post, question, stakeholder):
    NotificationPreference.objects.create(user=stakeholder, followed_activity=Delivery.IMMEDIATELY)
    services.follow(user=stakeholder, target=question.consultation)

    post(make_user(), question, "Remittance costs fell after the new law.")

    assert [message.to for message in mail.outbox] == [[stakeholder.email]]
    assert "New comment on" in mail.outbox[0].subject


def test_a_kind_set_to_never_is_not_mailed(post, question, stakeholder):
    NotificationPreference.objects.create(user=stakeholder, reply=Delivery.NEVER)
    parent = make_comment(question, author=stakeholder)

    post(make_user(), question, "A reply nobody is told of.", parent=parent)

    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=stakeholder).exists()


def test_the_digest_gathers_a_days_activity_in_one_mail_grouped_by_consultation(
    run_on_commit, stakeholder
):
    fees = make_consultation(title="Recruitment fees")
    remittances = make_consultation(title="Remittances")
    for consultation in (fees, remittances):
        services.follow(user=stakeholder, target=consultation)
    make_question(fees)
    make_question(remittances)
    for consultation, bodies in (
        (fees, ["First on fees", "Second on fees"]),
        (remittances, ["On costs"]),
    ):
        for body in bodies:
            comment = make_comment(consultation.questions.get(), body=body)
            services.comment_notifications(comment)

    with run_on_commit():
        assert services.daily_digests(now=MORNING + timedelta(days=3650)) == 1

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "3 updates" in mail.outbox[0].subject
    assert body.index("== Recruitment fees ==") < body.index("First on fees")
    assert body.index("Second on fees") < body.index("== Remittances ==") < body.index("On costs")
    # Each item links to its comment on the page of the thread that shows it.
    assert f"?order=oldest&page=1#comment-{comment.pk}" in body


def test_the_digest_goes_once_a_day(run_on_commit, question, stakeholder):
    services.follow(user=stakeholder, target=question)
    services.comment_notifications(make_comment(question))
    later = MORNING + timedelta(days=3650)
    with run_on_commit():
        services.daily_digests(now=later)
    services.comment_notifications(make_comment(question))

    with run_on_commit():
        assert services.daily_digests(now=later + timedelta(hours=2)) == 0
        assert services.daily_digests(now=later + timedelta(days=1)) == 1

    assert len(mail.outbox) == 2


def test_no_digest_before_the_digest_hour(settings, question, stakeholder):
    settings.ROUNDTABLE_DIGEST_HOUR = 7
    services.follow(user=stakeholder, target=question)
    services.comment_notifications(make_comment(question))

    assert services.daily_digests(now=MORNING.replace(hour=6) + timedelta(days=3650)) == 0


def test_a_comment_hidden_before_the_digest_is_never_mailed_to_a_follower(
    run_on_commit, question, stakeholder, moderator
):
    services.follow(user=stakeholder, target=question)
    comment = make_comment(question, body="Names and phone numbers of recruiters' victims")
    services.comment_notifications(comment)
    comment_hide(moderator=moderator, comment=comment, reason="Personal data")

    with run_on_commit():
        services.daily_digests(now=MORNING + timedelta(days=3650))

    assert mail.outbox == []
    assert Notification.objects.get(recipient=stakeholder, event="new_comment").digest.skipped_at


def test_a_reply_hidden_before_sending_is_not_mailed(question, stakeholder, moderator):
    parent = make_comment(question, author=stakeholder)
    reply = make_comment(question, parent=parent, body="Offensive words")
    (notification,) = services.comment_notifications(reply)
    comment_hide(moderator=moderator, comment=reply, reason="Abusive")

    assert deliver(notification.pk) == "skipped"
    assert mail.outbox == []


def test_a_pending_comment_alerts_moderators_and_no_one_else(post, stakeholder):
    consultation = make_consultation(moderation_mode=ModerationMode.PRE)
    question = make_question(consultation)
    moderator = make_user()
    consultation.moderators.add(moderator)
    services.follow(user=stakeholder, target=question)
    NotificationPreference.objects.create(user=stakeholder, followed_activity=Delivery.IMMEDIATELY)

    comment = post(make_user(display_name="Lina Haddad"), question, "Held text about visas")

    assert comment.status == CommentStatus.PENDING
    assert [message.to for message in mail.outbox] == [[moderator.email]]
    assert "awaits your approval" in mail.outbox[0].subject
    assert "Held text about visas" in mail.outbox[0].body


def test_approving_a_pending_comment_tells_the_followers(post, run_on_commit, stakeholder):
    consultation = make_consultation(moderation_mode=ModerationMode.PRE)
    question = make_question(consultation)
    moderator = make_user()
    consultation.moderators.add(moderator)
    NotificationPreference.objects.create(user=stakeholder, followed_activity=Delivery.IMMEDIATELY)
    services.follow(user=stakeholder, target=question)
    comment = post(make_user(), question, "Approved text about visas")
    mail.outbox.clear()

    with run_on_commit():
        comment_approve(moderator=moderator, comment=comment)

    assert [message.to for message in mail.outbox] == [[stakeholder.email]]


def test_a_report_alerts_the_consultations_moderators(run_on_commit, question, moderator):
    comment = make_comment(question)

    with run_on_commit():
        comment_report(reporter=make_user(), comment=comment, reason=ReportReason.SPAM)

    assert [message.to for message in mail.outbox] == [[moderator.email]]
    assert "A comment was reported" in mail.outbox[0].subject


def test_a_retried_send_never_mails_twice(question, stakeholder):
    parent = make_comment(question, author=stakeholder)
    (notification,) = services.comment_notifications(make_comment(question, parent=parent))

    assert deliver(notification.pk) == "sent"
    assert deliver(notification.pk) == "already handled"
    assert len(mail.outbox) == 1


def test_deciding_twice_records_one_notification(question, stakeholder):
    parent = make_comment(question, author=stakeholder)
    reply = make_comment(question, parent=parent)

    services.comment_notifications(reply)
    services.comment_notifications(reply)

    assert Notification.objects.filter(recipient=stakeholder).count() == 1


def test_followers_of_a_consultation_hear_of_every_question(question, stakeholder):
    services.follow(user=stakeholder, target=question.consultation)
    other_question = make_question(question.consultation)

    services.comment_notifications(make_comment(other_question))

    assert Follow.objects.filter(user=stakeholder).count() == 1
    assert Notification.objects.filter(recipient=stakeholder).count() == 1


def test_with_the_mail_server_down_a_reply_is_still_posted(
    client_for, django_capture_on_commit_callbacks, question, stakeholder
):
    parent = make_comment(question, author=stakeholder)
    down = mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("mail server down"),
    )

    with down, django_capture_on_commit_callbacks(execute=True):
        response = client_for(make_user()).post(
            f"/en/comments/{parent.pk}/reply/",
            {"body": "Posted while the mail server sleeps.", "language": "en"},
        )

    assert response.status_code == 302
    assert parent.replies.get().body_source == "Posted while the mail server sleeps."
    notification = Notification.objects.get(recipient=stakeholder)
    assert notification.sent_at is None and notification.skipped_at is None


def test_the_digest_is_in_the_recipients_language(run_on_commit, question):
    reader = make_user(preferred_language="es")
    services.follow(user=reader, target=question)
    services.comment_notifications(make_comment(question, body="Las remesas bajaron."))

    with run_on_commit():
        services.daily_digests(now=MORNING + timedelta(days=3650))

    message = mail.outbox[0]
    assert "Su resumen diario: 1 novedad" in message.subject
    assert "/es/consultations/" in message.body
