"""Moderation services: each transition, double submits, refusals and the audit entries."""

import pytest

from consultations.models import (
    CommentStatus,
    ModerationAction,
    ModerationEntry,
    ReportReason,
    ReportStatus,
    TransitionRefused,
)
from consultations.rules import Refused
from consultations.services.comments import comment_withdraw
from consultations.services.moderation import (
    comment_approve,
    comment_dismiss_reports,
    comment_hide,
    comment_report,
    comment_restore,
    question_lock,
    question_unlock,
)
from tests.factories import make_comment, make_user

pytestmark = pytest.mark.django_db


def _entries(comment=None, **filters):
    entries = ModerationEntry.objects.filter(**filters)
    return list(entries.filter(comment=comment) if comment is not None else entries)


def _report_by_new_people(comment, how_many):
    for _number in range(how_many):
        comment_report(reporter=make_user(), comment=comment, reason=ReportReason.SPAM)
    comment.refresh_from_db()


# --- Approve ------------------------------------------------------------------------


def test_approving_publishes_a_pending_comment_and_logs_it(question, moderator):
    comment = make_comment(question, status=CommentStatus.PENDING)

    entry = comment_approve(moderator=moderator, comment=comment)

    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert entry.action == ModerationAction.APPROVE
    assert (entry.actor, entry.consultation, entry.question, entry.comment) == (
        moderator,
        question.consultation,
        question,
        comment,
    )


def test_approving_keeps_the_moderators_reason_in_the_log(question, moderator):
    comment = make_comment(question, status=CommentStatus.PENDING)

    entry = comment_approve(
        moderator=moderator, comment=comment, reason="  Checked the figures with the author.  "
    )

    assert entry.reason == "Checked the figures with the author."


def test_approving_without_a_reason_logs_an_empty_one(question, moderator):
    comment = make_comment(question, status=CommentStatus.PENDING)

    assert comment_approve(moderator=moderator, comment=comment).reason == ""


def test_approving_twice_does_nothing_the_second_time(question, moderator):
    comment = make_comment(question, status=CommentStatus.PENDING)
    comment_approve(moderator=moderator, comment=comment)

    second = comment_approve(moderator=moderator, comment=comment)

    assert second is None
    assert len(_entries(comment, action=ModerationAction.APPROVE)) == 1


def test_a_withdrawn_comment_cannot_be_approved(question, moderator):
    comment = make_comment(question, status=CommentStatus.WITHDRAWN)

    with pytest.raises(TransitionRefused):
        comment_approve(moderator=moderator, comment=comment)

    comment.refresh_from_db()
    assert comment.status == CommentStatus.WITHDRAWN
    assert _entries() == []


# --- Hide -----------------------------------------------------------------------------


def test_hiding_stores_the_reason_and_logs_it(question, moderator):
    comment = make_comment(question)

    entry = comment_hide(moderator=moderator, comment=comment, reason="  Shares a phone number  ")

    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN
    assert comment.moderation_reason == "Shares a phone number"
    assert comment.body_source == "A considered answer."  # kept for the record
    assert (entry.action, entry.reason) == (ModerationAction.HIDE, "Shares a phone number")


def test_hiding_a_pending_comment_rejects_it(question, moderator):
    comment = make_comment(question, status=CommentStatus.PENDING)

    comment_hide(moderator=moderator, comment=comment, reason="Advertising")

    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN


@pytest.mark.parametrize("reason", ["", "   "])
def test_hiding_without_a_reason_is_refused_and_writes_nothing(question, moderator, reason):
    comment = make_comment(question)

    with pytest.raises(TransitionRefused):
        comment_hide(moderator=moderator, comment=comment, reason=reason)

    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert _entries() == []


def test_hiding_twice_does_nothing_the_second_time(question, moderator):
    comment = make_comment(question)
    comment_hide(moderator=moderator, comment=comment, reason="Off topic")

    second = comment_hide(moderator=moderator, comment=comment, reason="Another reason")

    comment.refresh_from_db()
    assert second is None
    assert comment.moderation_reason == "Off topic"
    assert len(_entries(comment, action=ModerationAction.HIDE)) == 1


def test_hiding_upholds_the_open_reports(question, moderator):
    comment = make_comment(question)
    _report_by_new_people(comment, 2)

    comment_hide(moderator=moderator, comment=comment, reason="Abusive")

    assert set(comment.reports.values_list("status", flat=True)) == {ReportStatus.UPHELD}
    assert all(report.resolved_at for report in comment.reports.all())


def test_hiding_an_automatically_hidden_comment_confirms_it_with_the_moderators_reason(
    question, moderator
):
    comment = make_comment(question)
    _report_by_new_people(comment, 3)
    assert comment.status == CommentStatus.HIDDEN

    entry = comment_hide(moderator=moderator, comment=comment, reason="Personal attack")

    comment.refresh_from_db()
    assert entry is not None
    assert comment.moderation_reason == "Personal attack"
    assert not comment.reports.open().exists()


def test_a_withdrawn_comment_cannot_be_hidden(question, moderator):
    comment = make_comment(question, status=CommentStatus.WITHDRAWN)

    with pytest.raises(TransitionRefused):
        comment_hide(moderator=moderator, comment=comment, reason="Spam")


# --- Restore ------------------------------------------------------------------------------


def test_restoring_shows_the_comment_again_and_clears_the_reason(question, moderator):
    comment = make_comment(question, status=CommentStatus.HIDDEN, moderation_reason="Spam")

    entry = comment_restore(moderator=moderator, comment=comment)

    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert comment.moderation_reason == ""
    assert entry.action == ModerationAction.RESTORE


def test_restoring_keeps_its_reason_and_the_hiding_reason_in_the_log(question, moderator):
    comment = make_comment(question)
    comment_hide(moderator=moderator, comment=comment, reason="Looks like a phone number")

    comment_restore(
        moderator=moderator, comment=comment, reason="The number is the union's public hotline."
    )

    reasons = {entry.action: entry.reason for entry in _entries(comment)}
    assert reasons == {
        ModerationAction.HIDE: "Looks like a phone number",
        ModerationAction.RESTORE: "The number is the union's public hotline.",
    }


def test_restoring_twice_does_nothing_the_second_time(question, moderator):
    comment = make_comment(question, status=CommentStatus.HIDDEN, moderation_reason="Spam")
    comment_restore(moderator=moderator, comment=comment)

    assert comment_restore(moderator=moderator, comment=comment) is None
    assert len(_entries(comment, action=ModerationAction.RESTORE)) == 1


def test_restoring_an_automatically_hidden_comment_dismisses_its_reports(question, moderator):
    comment = make_comment(question)
    _report_by_new_people(comment, 3)

    comment_restore(moderator=moderator, comment=comment)

    assert set(comment.reports.values_list("status", flat=True)) == {ReportStatus.DISMISSED}
    # The old reports no longer count: one more report does not hide it again.
    _report_by_new_people(comment, 1)
    assert comment.status == CommentStatus.PUBLISHED


def test_a_pending_comment_cannot_be_restored(question, moderator):
    comment = make_comment(question, status=CommentStatus.PENDING)

    with pytest.raises(TransitionRefused):
        comment_restore(moderator=moderator, comment=comment)


# --- Dismiss reports ------------------------------------------------------------------


def test_dismissing_reports_closes_them_and_logs_it(question, moderator):
    comment = make_comment(question)
    _report_by_new_people(comment, 2)

    entry = comment_dismiss_reports(moderator=moderator, comment=comment)

    assert entry.action == ModerationAction.DISMISS_REPORTS
    assert set(comment.reports.values_list("status", flat=True)) == {ReportStatus.DISMISSED}
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED


def test_dismissing_reports_twice_does_nothing_the_second_time(question, moderator):
    comment = make_comment(question)
    _report_by_new_people(comment, 1)
    comment_dismiss_reports(moderator=moderator, comment=comment)

    assert comment_dismiss_reports(moderator=moderator, comment=comment) is None
    assert len(_entries(comment, action=ModerationAction.DISMISS_REPORTS)) == 1


def test_dismissing_the_reports_that_hid_a_comment_restores_it(question, moderator):
    comment = make_comment(question)
    _report_by_new_people(comment, 3)

    comment_dismiss_reports(moderator=moderator, comment=comment)

    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert comment.moderation_reason == ""
    assert [entry.action for entry in _entries(comment, actor=moderator)] == [
        ModerationAction.RESTORE,
        ModerationAction.DISMISS_REPORTS,
    ]


# --- Lock -----------------------------------------------------------------------------


def test_locking_and_unlocking_a_question_are_logged(question, moderator):
    question_lock(moderator=moderator, question=question)
    question.refresh_from_db()
    assert question.is_locked

    question_unlock(moderator=moderator, question=question)
    question.refresh_from_db()
    assert not question.is_locked

    actions = [entry.action for entry in ModerationEntry.objects.filter(question=question)]
    assert actions == [ModerationAction.UNLOCK, ModerationAction.LOCK]  # newest first


def test_locking_twice_does_nothing_the_second_time(question, moderator):
    question_lock(moderator=moderator, question=question)

    assert question_lock(moderator=moderator, question=question) is None
    assert ModerationEntry.objects.filter(action=ModerationAction.LOCK).count() == 1


def test_unlocking_an_unlocked_question_does_nothing(question, moderator):
    assert question_unlock(moderator=moderator, question=question) is None
    assert _entries() == []


# --- Who may -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["stakeholder", "other_moderator", "unverified_user"])
def test_people_who_do_not_moderate_this_consultation_are_refused_and_nothing_is_written(
    request, question, role
):
    user = request.getfixturevalue(role)
    pending = make_comment(question, status=CommentStatus.PENDING)
    hidden = make_comment(question, status=CommentStatus.HIDDEN, moderation_reason="Spam")
    published = make_comment(question)

    attempts = [
        lambda: comment_approve(moderator=user, comment=pending),
        lambda: comment_hide(moderator=user, comment=published, reason="Mine"),
        lambda: comment_restore(moderator=user, comment=hidden),
        lambda: comment_dismiss_reports(moderator=user, comment=published),
        lambda: question_lock(moderator=user, question=question),
    ]
    for attempt in attempts:
        with pytest.raises(Refused):
            attempt()

    for comment in (pending, hidden, published):
        comment.refresh_from_db()
    assert [comment.status for comment in (pending, hidden, published)] == [
        CommentStatus.PENDING,
        CommentStatus.HIDDEN,
        CommentStatus.PUBLISHED,
    ]
    question.refresh_from_db()
    assert not question.is_locked
    assert _entries() == []


@pytest.mark.parametrize("role", ["moderator", "global_moderator", "secretariat"])
def test_moderators_of_this_consultation_global_moderators_and_the_secretariat_may_moderate(
    request, question, role
):
    user = request.getfixturevalue(role)
    comment = make_comment(question, status=CommentStatus.PENDING)

    assert comment_approve(moderator=user, comment=comment) is not None


# --- Reports ---------------------------------------------------------------------------------


def test_a_stakeholder_reports_a_comment_with_a_reason_and_details(question, stakeholder):
    comment = make_comment(question)

    report, created = comment_report(
        reporter=stakeholder, comment=comment, reason=ReportReason.ABUSIVE, details=" Insults. "
    )

    assert created
    assert (report.reporter, report.reason, report.details, report.status) == (
        stakeholder,
        ReportReason.ABUSIVE,
        "Insults.",
        ReportStatus.OPEN,
    )


def test_reporting_twice_is_harmless(question, stakeholder):
    comment = make_comment(question)
    first, _created = comment_report(
        reporter=stakeholder, comment=comment, reason=ReportReason.SPAM
    )

    second, created = comment_report(
        reporter=stakeholder, comment=comment, reason=ReportReason.OTHER
    )

    assert not created
    assert second == first
    assert comment.reports.count() == 1


def test_an_author_cannot_report_their_own_comment(question, stakeholder):
    comment = make_comment(question, author=stakeholder)

    with pytest.raises(Refused):
        comment_report(reporter=stakeholder, comment=comment, reason=ReportReason.SPAM)
    assert not comment.reports.exists()


def test_an_unverified_user_cannot_report(question, unverified_user):
    comment = make_comment(question)

    with pytest.raises(Refused):
        comment_report(reporter=unverified_user, comment=comment, reason=ReportReason.SPAM)


@pytest.mark.parametrize("status", [CommentStatus.PENDING, CommentStatus.HIDDEN])
def test_only_published_comments_can_be_reported(question, stakeholder, status):
    comment = make_comment(question, status=status, moderation_reason="x")

    with pytest.raises(Refused):
        comment_report(reporter=stakeholder, comment=comment, reason=ReportReason.SPAM)


def test_comments_of_a_closed_consultation_cannot_be_reported(stakeholder):
    from tests.factories import make_consultation, make_question

    comment = make_comment(make_question(make_consultation(state="closed")))

    with pytest.raises(Refused):
        comment_report(reporter=stakeholder, comment=comment, reason=ReportReason.SPAM)


def test_two_open_reports_do_not_hide_a_comment(question):
    comment = make_comment(question)

    _report_by_new_people(comment, 2)

    assert comment.status == CommentStatus.PUBLISHED
    assert _entries() == []


def test_the_third_open_report_hides_a_comment_pending_review(question):
    comment = make_comment(question)

    _report_by_new_people(comment, 3)

    assert comment.status == CommentStatus.HIDDEN
    assert comment.moderation_reason == ""  # the placeholder says why, in each language
    [entry] = _entries(comment)
    assert (entry.action, entry.actor) == (ModerationAction.AUTO_HIDE, None)
    assert comment.reports.open().count() == 3  # still waiting for a moderator


def test_dismissed_reports_do_not_count_towards_hiding(question, moderator):
    comment = make_comment(question)
    _report_by_new_people(comment, 2)
    comment_dismiss_reports(moderator=moderator, comment=comment)

    _report_by_new_people(comment, 2)
    assert comment.status == CommentStatus.PUBLISHED

    _report_by_new_people(comment, 1)
    assert comment.status == CommentStatus.HIDDEN


def test_the_auto_hide_threshold_is_a_setting(question, settings):
    settings.ROUNDTABLE_REPORTS_TO_AUTO_HIDE = 2
    comment = make_comment(question)

    _report_by_new_people(comment, 2)

    assert comment.status == CommentStatus.HIDDEN


# --- Withdraw (the author's transition) ----------------------------------------------------


def test_withdrawing_keeps_the_text_and_logs_it(question, stakeholder):
    comment = make_comment(question, author=stakeholder)

    comment_withdraw(author=stakeholder, comment=comment)

    comment.refresh_from_db()
    assert comment.status == CommentStatus.WITHDRAWN
    assert comment.body_source == "A considered answer."
    [entry] = _entries(comment)
    assert (entry.action, entry.actor) == (ModerationAction.WITHDRAW, stakeholder)


def test_comment_transitions_check_without_saving(question):
    comment = make_comment(question, status=CommentStatus.PENDING)

    comment.approve()

    assert comment.status == CommentStatus.PUBLISHED
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    with pytest.raises(TransitionRefused):
        comment.restore()
    comment.withdraw()
    with pytest.raises(TransitionRefused):
        comment.withdraw()


# --- The log is append-only ------------------------------------------------------------------


def test_the_moderation_log_cannot_be_edited_or_deleted(question, moderator):
    entry = question_lock(moderator=moderator, question=question)

    entry.reason = "rewritten"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        ModerationEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(TypeError):
        ModerationEntry.objects.all().delete()

    entry.refresh_from_db()
    assert entry.reason == ""
    assert ModerationEntry.objects.count() == 1


@pytest.mark.parametrize(
    "status", [CommentStatus.PENDING, CommentStatus.HIDDEN, CommentStatus.WITHDRAWN]
)
def test_only_a_published_comment_is_hidden_pending_review(question, status):
    comment = make_comment(question, status=status)
    with pytest.raises(TransitionRefused):
        comment.hide_pending_review()
    assert comment.status == status
