"""The moderation queue and moderators' actions, through the views: who may, what is shown."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from consultations.models import (
    CommentStatus,
    ModerationAction,
    ModerationEntry,
    ModerationMode,
    Report,
    ReportReason,
    ReportStatus,
)
from tests.assertions import rendered_page
from tests.factories import make_comment, make_consultation, make_question, make_user

pytestmark = pytest.mark.django_db


QUEUE_URL = "/en/moderation/"


def _report(comment, *, reason=ReportReason.SPAM, details="", status=ReportStatus.OPEN):
    return Report.objects.create(
        comment=comment, reporter=make_user(), reason=reason, details=details, status=status
    )


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- The queue ---------------------------------------------------------------------------


def test_a_visitor_is_sent_to_log_in_from_the_queue(client):
    response = client.get(QUEUE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


@pytest.mark.parametrize("role", ["stakeholder", "unverified_user"])
def test_the_queue_is_refused_to_people_who_moderate_nothing(request, client_for, role):
    response = client_for(request.getfixturevalue(role)).get(QUEUE_URL)

    assert response.status_code == 403


def test_the_queue_shows_pending_and_reported_comments_with_their_context(
    client_for, question, moderator
):
    parent = make_comment(question, body="The parent comment text.")
    pending = make_comment(
        question, parent=parent, body="Pending reply text.", status=CommentStatus.PENDING
    )
    reported = make_comment(question, body="Reported comment text.")
    _report(reported, reason=ReportReason.PERSONAL_DATA, details="It names my neighbour.")
    make_comment(question, body="An ordinary published comment.")

    response = client_for(moderator).get(QUEUE_URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["comments"]) == [pending, reported]
    assert "Pending reply text." in page
    assert "The parent comment text." in page  # the parent, quoted
    assert "Reported comment text." in page
    assert "Shares someone&#x27;s personal data" in page
    assert "It names my neighbour." in page
    assert question.title in page
    assert pending.author.display_name in page
    assert "An ordinary published comment." not in page


def test_the_queue_lists_comments_oldest_first(client_for, question, moderator):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    newer = make_comment(question, status=CommentStatus.PENDING, created_at=now)
    older = make_comment(
        question, status=CommentStatus.PENDING, created_at=now - timedelta(hours=2)
    )

    response = client_for(moderator).get(QUEUE_URL)

    assert list(response.context["comments"]) == [older, newer]


def test_the_queue_shows_automatically_hidden_comments_with_their_text(
    client_for, question, moderator
):
    comment = make_comment(
        question,
        body="Text hidden from readers.",
        status=CommentStatus.HIDDEN,
        moderation_reason="Hidden automatically",
    )
    for _number in range(3):
        _report(comment)

    page = client_for(moderator).get(QUEUE_URL).content.decode()

    assert "<details>" in page
    assert "Text hidden from readers." in page
    assert reverse("consultations:comment_dismiss_reports", args=[comment.pk]) in page
    assert "Dismiss reports and restore" in page


def test_dismissed_and_upheld_reports_leave_the_queue(client_for, question, moderator):
    comment = make_comment(question)
    _report(comment, status=ReportStatus.DISMISSED)
    _report(comment, status=ReportStatus.UPHELD)

    response = client_for(moderator).get(QUEUE_URL)

    assert list(response.context["comments"]) == []


def test_a_named_moderator_sees_only_the_consultations_they_moderate(
    client_for, question, moderator
):
    here = make_comment(question, status=CommentStatus.PENDING)
    elsewhere = make_comment(make_question(make_consultation()), status=CommentStatus.PENDING)

    response = client_for(moderator).get(QUEUE_URL)

    assert list(response.context["comments"]) == [here]
    assert elsewhere not in response.context["comments"]


@pytest.mark.parametrize("role", ["global_moderator", "secretariat"])
def test_global_moderators_and_the_secretariat_see_every_consultation(
    request, client_for, question, role
):
    here = make_comment(question, status=CommentStatus.PENDING)
    elsewhere = make_comment(make_question(make_consultation()), status=CommentStatus.PENDING)

    response = client_for(request.getfixturevalue(role)).get(QUEUE_URL)

    assert list(response.context["comments"]) == [here, elsewhere]


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE_URL).status_code == 200
    return len(queries)


def test_the_queue_costs_the_same_number_of_queries_whatever_its_length(
    client_for, question, moderator
):
    client = client_for(moderator)

    def add_items():
        parent = make_comment(question)
        make_comment(question, parent=parent, status=CommentStatus.PENDING)
        reported = make_comment(question)
        _report(reported, details="Why.")
        _report(reported)

    add_items()
    client.get(QUEUE_URL)  # the first request warms the host identity's cache
    short = _queue_queries(client)
    for _number in range(5):
        add_items()
        make_question(question.consultation)
    long = _queue_queries(client)

    assert long == short


# --- Actions: allowed ---------------------------------------------------------------------


def _post(client, name, comment, **data):
    return client.post(reverse(f"consultations:{name}", args=[comment.pk]), data)


@pytest.mark.parametrize("role", ["moderator", "global_moderator", "secretariat"])
def test_moderators_approve_hide_restore_and_dismiss(request, client_for, question, role):
    user = request.getfixturevalue(role)
    client = client_for(user)
    comment = make_comment(question, status=CommentStatus.PENDING)

    _post(client, "comment_approve", comment)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED

    _report(comment)
    _post(client, "comment_hide", comment, reason="Shares an address")
    comment.refresh_from_db()
    assert (comment.status, comment.moderation_reason) == (
        CommentStatus.HIDDEN,
        "Shares an address",
    )
    assert comment.reports.get().status == ReportStatus.UPHELD

    _post(client, "comment_restore", comment)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED

    _report(comment)
    _post(client, "comment_dismiss_reports", comment)
    assert not comment.reports.open().exists()

    actions = [entry.action for entry in ModerationEntry.objects.filter(actor=user)]
    assert actions == [
        ModerationAction.DISMISS_REPORTS,
        ModerationAction.RESTORE,
        ModerationAction.HIDE,
        ModerationAction.APPROVE,
    ]


@pytest.mark.parametrize("role", ["moderator", "global_moderator", "secretariat"])
def test_moderators_lock_and_unlock_a_question(request, client_for, question, role):
    client = client_for(request.getfixturevalue(role))
    args = [question.consultation.slug, question.number]

    response = client.post(reverse("consultations:question_lock", args=args))
    question.refresh_from_db()
    assert question.is_locked
    assert response["Location"] == question.get_absolute_url()

    client.post(reverse("consultations:question_unlock", args=args))
    question.refresh_from_db()
    assert not question.is_locked


def test_a_locked_question_refuses_new_comments(client_for, question, moderator, stakeholder):
    client_for(moderator).post(
        reverse("consultations:question_lock", args=[question.consultation.slug, 1])
    )

    response = client_for(stakeholder).post(
        question.get_absolute_url(), {"body": "Late answer", "language": "en"}
    )

    assert response.status_code == 403
    assert not question.comments.exists()


def test_an_action_redirects_back_to_the_comment_with_a_message(client_for, question, moderator):
    comment = make_comment(question, status=CommentStatus.PENDING)

    response = _post(client_for(moderator), "comment_approve", comment)

    assert response.status_code == 302
    assert response["Location"] == comment.get_absolute_url()


def test_an_action_from_the_queue_goes_back_to_the_queue(client_for, question, moderator):
    comment = make_comment(question, status=CommentStatus.PENDING)

    response = _post(client_for(moderator), "comment_approve", comment, next=QUEUE_URL)

    assert response["Location"] == QUEUE_URL


def test_an_action_ignores_a_next_address_on_another_site(client_for, question, moderator):
    comment = make_comment(question, status=CommentStatus.PENDING)

    response = _post(
        client_for(moderator), "comment_approve", comment, next="https://elsewhere.example/"
    )

    assert response["Location"] == comment.get_absolute_url()


def test_a_double_submitted_approval_is_harmless(client_for, question, moderator):
    client = client_for(moderator)
    comment = make_comment(question, status=CommentStatus.PENDING)
    _post(client, "comment_approve", comment)

    response = _post(client, "comment_approve", comment, next=QUEUE_URL)

    assert response.status_code == 302
    assert "This comment was already published." in _messages(client.get(QUEUE_URL))
    assert ModerationEntry.objects.filter(action=ModerationAction.APPROVE).count() == 1


def test_a_double_submitted_hide_is_harmless(client_for, question, moderator):
    client = client_for(moderator)
    comment = make_comment(question)
    _post(client, "comment_hide", comment, reason="Spam")

    response = _post(client, "comment_hide", comment, reason="Spam")

    assert response.status_code == 302
    assert ModerationEntry.objects.filter(action=ModerationAction.HIDE).count() == 1


def test_approving_a_comment_its_author_withdrew_says_why_not(client_for, question, moderator):
    client = client_for(moderator)
    comment = make_comment(question, status=CommentStatus.WITHDRAWN)

    response = _post(client, "comment_approve", comment, next=QUEUE_URL)

    assert response.status_code == 302
    assert "Only a comment awaiting moderation can be approved." in _messages(client.get(QUEUE_URL))
    comment.refresh_from_db()
    assert comment.status == CommentStatus.WITHDRAWN


# --- Hide: the form ----------------------------------------------------------------------


def test_the_hide_page_shows_the_comment_and_a_reason_field(client_for, question, moderator):
    comment = make_comment(question, body="Text to judge.")

    response = client_for(moderator).get(reverse("consultations:comment_hide", args=[comment.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Text to judge." in page
    assert 'name="reason"' in page


@pytest.mark.parametrize("reason", ["", "   "])
def test_hiding_without_a_reason_shows_the_form_again(client_for, question, moderator, reason):
    comment = make_comment(question)

    response = _post(client_for(moderator), "comment_hide", comment, reason=reason, next=QUEUE_URL)

    assert response.status_code == 200
    assert "Give a reason for hiding this comment" in response.content.decode()
    assert f'value="{QUEUE_URL}"' in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert not ModerationEntry.objects.exists()


# --- Actions: refused ---------------------------------------------------------------------


def _every_action(question):
    pending = make_comment(question, status=CommentStatus.PENDING)
    hidden = make_comment(question, status=CommentStatus.HIDDEN, moderation_reason="Spam")
    reported = make_comment(question)
    _report(reported)
    lock_args = [question.consultation.slug, question.number]
    return [
        (reverse("consultations:comment_approve", args=[pending.pk]), {}),
        (reverse("consultations:comment_hide", args=[reported.pk]), {"reason": "Mine"}),
        (reverse("consultations:comment_restore", args=[hidden.pk]), {}),
        (reverse("consultations:comment_dismiss_reports", args=[reported.pk]), {}),
        (reverse("consultations:question_lock", args=lock_args), {}),
    ]


def _nothing_was_written(question):
    statuses = dict(question.comments.values_list("status", "pk"))
    assert set(statuses) == {CommentStatus.PENDING, CommentStatus.HIDDEN, CommentStatus.PUBLISHED}
    assert Report.objects.get().status == ReportStatus.OPEN
    question.refresh_from_db()
    assert not question.is_locked
    assert not ModerationEntry.objects.exists()


@pytest.mark.parametrize("role", ["stakeholder", "other_moderator", "unverified_user"])
def test_forged_actions_by_people_without_the_right_get_403_and_write_nothing(
    request, client_for, question, role
):
    client = client_for(request.getfixturevalue(role))

    for url, data in _every_action(question):
        assert client.post(url, data).status_code == 403, url

    _nothing_was_written(question)


def test_forged_actions_by_visitors_are_sent_to_log_in_and_write_nothing(question):
    client = Client()

    for url, data in _every_action(question):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/en/accounts/login/")

    _nothing_was_written(question)


def test_the_hide_page_is_refused_to_a_stakeholder(client_for, question, stakeholder):
    comment = make_comment(question)

    response = client_for(stakeholder).get(reverse("consultations:comment_hide", args=[comment.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize("name", ["comment_approve", "comment_restore", "comment_dismiss_reports"])
def test_reading_a_post_only_action_address_is_not_allowed(client_for, question, moderator, name):
    comment = make_comment(question, status=CommentStatus.PENDING)

    response = client_for(moderator).get(reverse(f"consultations:{name}", args=[comment.pk]))

    assert response.status_code == 405
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_reading_the_lock_address_is_not_allowed(client_for, question, moderator):
    response = client_for(moderator).get(
        reverse("consultations:question_lock", args=[question.consultation.slug, 1])
    )

    assert response.status_code == 405


# --- The thread, for moderators and others -------------------------------------------------


def test_moderators_get_approve_and_hide_actions_on_a_pending_comment(
    client_for, question, moderator
):
    comment = make_comment(question, status=CommentStatus.PENDING)

    page = client_for(moderator).get(question.get_absolute_url()).content.decode()

    assert reverse("consultations:comment_approve", args=[comment.pk]) in page
    assert reverse("consultations:comment_hide", args=[comment.pk]) in page


def test_moderators_get_a_restore_action_on_a_hidden_comment(client_for, question, moderator):
    comment = make_comment(question, status=CommentStatus.HIDDEN, moderation_reason="Spam")

    page = client_for(moderator).get(question.get_absolute_url()).content.decode()

    assert reverse("consultations:comment_restore", args=[comment.pk]) in page


def test_a_stakeholder_gets_no_moderation_actions(client_for, question, stakeholder):
    comment = make_comment(question)

    page = client_for(stakeholder).get(question.get_absolute_url()).content.decode()

    assert reverse("consultations:comment_hide", args=[comment.pk]) not in page
    assert reverse("consultations:comment_report", args=[comment.pk]) in page


def test_a_moderator_of_another_consultation_gets_no_moderation_actions(
    client_for, question, other_moderator
):
    comment = make_comment(question)

    page = rendered_page(
        client_for(other_moderator).get(question.get_absolute_url()),
        marker=f'id="comment-{comment.pk}"',
    )

    assert reverse("consultations:comment_hide", args=[comment.pk]) not in page


# --- Pending visibility ------------------------------------------------------------------------


@pytest.fixture
def pre_moderated_question(db):
    consultation = make_consultation(moderation_mode=ModerationMode.PRE)
    return make_question(consultation, number=1)


def test_a_pending_comment_is_marked_for_its_author(
    client_for, pre_moderated_question, stakeholder
):
    client = client_for(stakeholder)
    client.post(
        pre_moderated_question.get_absolute_url(),
        {"body": "My answer, held for review.", "language": "en"},
    )
    assert pre_moderated_question.comments.get().status == CommentStatus.PENDING

    page = client.get(pre_moderated_question.get_absolute_url()).content.decode()

    assert "My answer, held for review." in page
    assert "Awaiting moderation" in page


@pytest.mark.parametrize("role", ["moderator", "global_moderator", "secretariat"])
def test_moderators_see_a_pending_comment(request, client_for, question, role):
    make_comment(question, body="Held for review.", status=CommentStatus.PENDING)

    page = client_for(request.getfixturevalue(role)).get(question.get_absolute_url())

    assert "Held for review." in page.content.decode()


@pytest.mark.parametrize("role", ["stakeholder", "other_moderator"])
def test_other_people_do_not_see_a_pending_comment(request, client_for, question, role):
    make_comment(question, body="Held for review.", status=CommentStatus.PENDING)
    make_comment(question, body="Published beside it.")

    page = rendered_page(
        client_for(request.getfixturevalue(role)).get(question.get_absolute_url()),
        marker="Published beside it.",
    )

    assert "Held for review." not in page


def test_visitors_do_not_see_a_pending_comment(client, question):
    make_comment(question, body="Held for review.", status=CommentStatus.PENDING)
    make_comment(question, body="Published beside it.")

    page = rendered_page(client.get(question.get_absolute_url()), marker="Published beside it.")

    assert "Held for review." not in page


def test_approving_publishes_a_pending_comment_for_everyone(
    client, client_for, question, moderator
):
    comment = make_comment(question, body="Held for review.", status=CommentStatus.PENDING)

    _post(client_for(moderator), "comment_approve", comment)

    assert "Held for review." in client.get(question.get_absolute_url()).content.decode()


# --- Placeholders --------------------------------------------------------------------------------


def test_a_hidden_comment_is_a_placeholder_for_visitors_and_its_replies_stay(
    client, client_for, question, moderator
):
    comment = make_comment(question, body="Text that breaks the rules.")
    make_comment(question, parent=comment, body="A reply that stays.")
    _post(client_for(moderator), "comment_hide", comment, reason="Shares a phone number")

    page = client.get(question.get_absolute_url()).content.decode()

    assert "This comment was hidden by a moderator: Shares a phone number" in page
    assert "Text that breaks the rules." not in page
    assert "A reply that stays." in page


def test_a_withdrawn_comment_is_a_placeholder_for_visitors_and_its_replies_stay(
    client, client_for, question, stakeholder
):
    comment = make_comment(question, author=stakeholder, body="Words I take back.")
    make_comment(question, parent=comment, body="A reply that stays.")
    client_for(stakeholder).post(reverse("consultations:comment_withdraw", args=[comment.pk]))

    page = client.get(question.get_absolute_url()).content.decode()

    assert "Withdrawn by its author" in page
    assert "Words I take back." not in page
    assert "A reply that stays." in page


# --- Moderator follow-ups -----------------------------------------------------------------------


def test_a_moderators_comment_carries_the_badge_and_their_organisation(client, question, moderator):
    make_comment(question, author=moderator, body="Could you give an example?")

    page = client.get(question.get_absolute_url()).content.decode()

    assert '<span class="badge badge--moderator">Moderator</span>' in page
    assert "Network secretariat" in page


def test_a_stakeholders_comment_carries_no_badge(client, question, stakeholder):
    make_comment(question, author=stakeholder)

    page = rendered_page(client.get(question.get_absolute_url()), marker=stakeholder.display_name)

    assert "badge--moderator" not in page


@pytest.mark.parametrize("status", [CommentStatus.PUBLISHED, CommentStatus.PENDING])
def test_a_moderator_replies_to_any_comment_as_themselves_in_one_click(
    client_for, pre_moderated_question, status
):
    moderator = make_user(display_name="Lena Park", organisation="Network secretariat")
    pre_moderated_question.consultation.moderators.add(moderator)
    comment = make_comment(pre_moderated_question, status=status)
    client = client_for(moderator)
    reply_url = reverse("consultations:comment_reply", args=[comment.pk])

    page = client.get(pre_moderated_question.get_absolute_url()).content.decode()
    assert f'href="{reply_url}"' in page
    client.post(reply_url, {"body": "Thanks, could you say more?", "language": "en"})

    reply = comment.replies.get()
    assert reply.author == moderator
    assert reply.status == CommentStatus.PUBLISHED  # moderators are not held for review


# --- The audit log in the admin --------------------------------------------------------------


def test_the_admin_offers_no_way_to_add_change_or_delete_log_entries(question, moderator):
    superuser = User.objects.create_superuser(
        email="root@example.org", password="a-long-test-password", display_name="Root"
    )
    entry = ModerationEntry.objects.create(
        actor=moderator,
        action=ModerationAction.LOCK,
        consultation=question.consultation,
        question=question,
    )
    model_admin = admin.site._registry[ModerationEntry]
    request = RequestFactory().get("/")
    request.user = superuser

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)

    client = Client()
    client.force_login(superuser)
    base = "/en/admin/consultations/moderationentry"
    assert client.get(f"{base}/add/").status_code == 403
    assert client.post(f"{base}/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(f"{base}/{entry.pk}/change/", {"reason": "rewritten", "action": "hide"})
    entry.refresh_from_db()
    assert (entry.reason, entry.action) == ("", ModerationAction.LOCK)
    assert ModerationEntry.objects.count() == 1


# --- Reasons for approving and restoring -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [("comment_approve", CommentStatus.PENDING), ("comment_restore", CommentStatus.HIDDEN)],
)
def test_approve_and_restore_keep_the_reason_given(client_for, question, moderator, name, status):
    comment = make_comment(question, status=status, moderation_reason="Off topic")

    _post(client_for(moderator), name, comment, reason="Discussed with the author by email.")

    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert ModerationEntry.objects.get(comment=comment).reason == (
        "Discussed with the author by email."
    )


@pytest.mark.parametrize(
    ("name", "status"),
    [("comment_approve", CommentStatus.PENDING), ("comment_restore", CommentStatus.HIDDEN)],
)
def test_a_reason_too_long_is_refused_with_a_message_and_nothing_changes(
    client_for, question, moderator, name, status
):
    comment = make_comment(question, status=status, moderation_reason="Off topic")
    client = client_for(moderator)

    response = _post(client, name, comment, reason="x" * 501, next=QUEUE_URL)

    assert response.status_code == 302
    assert "under 500 characters" in " ".join(_messages(client.get(QUEUE_URL)))
    comment.refresh_from_db()
    assert comment.status == status
    assert not ModerationEntry.objects.exists()


def test_a_stakeholder_sending_a_reason_is_still_refused(client_for, question, stakeholder):
    comment = make_comment(question, status=CommentStatus.PENDING)

    response = _post(client_for(stakeholder), "comment_approve", comment, reason="x" * 501)

    assert response.status_code == 403


def test_the_queue_offers_a_reason_field_to_approve(client_for, question, moderator):
    pending = make_comment(question, status=CommentStatus.PENDING)

    page = client_for(moderator).get(QUEUE_URL).content.decode()

    assert f'id="approve-reason-{pending.pk}"' in page


def test_the_thread_offers_a_reason_field_to_approve_and_to_restore(
    client_for, question, moderator
):
    pending = make_comment(question, status=CommentStatus.PENDING)
    hidden = make_comment(question, status=CommentStatus.HIDDEN, moderation_reason="Spam")

    page = client_for(moderator).get(question.get_absolute_url()).content.decode()

    assert f'id="approve-reason-{pending.pk}"' in page
    assert f'id="restore-reason-{hidden.pk}"' in page


def test_the_queue_shows_that_a_comment_came_back_after_an_edit(client_for, question, moderator):
    comment = make_comment(
        question, status=CommentStatus.PENDING, edited_at=question.consultation.opens_at
    )

    page = client_for(moderator).get(QUEUE_URL).content.decode()

    assert reverse("consultations:comment_revisions", args=[comment.pk]) in page
