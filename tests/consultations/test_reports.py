"""Reporting a comment through the site: the Report link, the form, the automatic hide."""

import pytest
from django.urls import reverse

from consultations.models import (
    CommentStatus,
    ModerationAction,
    ModerationEntry,
    Report,
    ReportReason,
    ReportStatus,
)
from tests.assertions import rendered_page
from tests.factories import make_comment, make_consultation, make_question, make_user

pytestmark = pytest.mark.django_db


def _report_url(comment) -> str:
    return reverse("consultations:comment_report", args=[comment.pk])


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_report_address_is_under_the_language_prefix(question):
    comment = make_comment(question)

    assert _report_url(comment) == f"/en/comments/{comment.pk}/report/"


def test_a_stakeholder_sees_a_report_link_on_someone_elses_comment(
    client_for, question, stakeholder
):
    comment = make_comment(question)

    page = client_for(stakeholder).get(question.get_absolute_url()).content.decode()

    assert f'href="{_report_url(comment)}"' in page


def test_there_is_no_report_link_on_ones_own_comment(client_for, question, stakeholder):
    comment = make_comment(question, author=stakeholder)

    page = rendered_page(
        client_for(stakeholder).get(question.get_absolute_url()),
        marker=f'id="comment-{comment.pk}"',
    )

    assert _report_url(comment) not in page


def test_visitors_get_no_report_link(client, question):
    comment = make_comment(question)

    page = rendered_page(
        client.get(question.get_absolute_url()), marker=f'id="comment-{comment.pk}"'
    )

    assert _report_url(comment) not in page


def test_the_report_page_shows_the_comment_and_the_reasons(client_for, question, stakeholder):
    comment = make_comment(question, body="Buy cheap watches here.")

    response = client_for(stakeholder).get(_report_url(comment))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Buy cheap watches here." in page
    for value, label in ReportReason.choices:
        assert f'value="{value}"' in page
        assert str(label).replace("'", "&#x27;") in page


def test_a_stakeholder_reports_a_comment_without_javascript(client_for, question, stakeholder):
    comment = make_comment(question)
    client = client_for(stakeholder)

    response = client.post(
        _report_url(comment), {"reason": ReportReason.SPAM, "details": "Links to a shop."}
    )

    assert response.status_code == 302
    assert response["Location"] == comment.get_absolute_url()
    report = Report.objects.get()
    assert (report.comment, report.reporter, report.reason, report.details) == (
        comment,
        stakeholder,
        ReportReason.SPAM,
        "Links to a shop.",
    )
    assert report.status == ReportStatus.OPEN


def test_a_report_needs_a_reason_from_the_list(client_for, question, stakeholder):
    comment = make_comment(question)

    response = client_for(stakeholder).post(
        _report_url(comment), {"reason": "i-dislike-it", "details": "Keep this text."}
    )

    assert response.status_code == 200
    assert "Keep this text." in response.content.decode()
    assert not Report.objects.exists()


def test_reporting_twice_says_so_and_keeps_one_report(client_for, question, stakeholder):
    comment = make_comment(question)
    client = client_for(stakeholder)
    client.post(_report_url(comment), {"reason": ReportReason.SPAM})

    response = client.post(_report_url(comment), {"reason": ReportReason.OTHER}, follow=True)

    assert response.status_code == 200
    assert "You have already reported this comment." in _messages(response)
    assert Report.objects.count() == 1
    assert Report.objects.get().reason == ReportReason.SPAM


def test_opening_the_report_page_again_says_it_is_already_reported(
    client_for, question, stakeholder
):
    comment = make_comment(question)
    client = client_for(stakeholder)
    client.post(_report_url(comment), {"reason": ReportReason.SPAM})

    response = client.get(_report_url(comment), follow=True)

    assert "You have already reported this comment." in _messages(response)


def test_a_visitor_is_sent_to_log_in_to_report(client, question):
    comment = make_comment(question)

    response = client.post(_report_url(comment), {"reason": ReportReason.SPAM})

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    assert not Report.objects.exists()


def test_an_unverified_user_cannot_report(client_for, question, unverified_user):
    comment = make_comment(question)

    response = client_for(unverified_user).post(_report_url(comment), {"reason": "spam"})

    assert response.status_code == 403
    assert not Report.objects.exists()


def test_an_author_cannot_report_their_own_comment(client_for, question, stakeholder):
    comment = make_comment(question, author=stakeholder)

    response = client_for(stakeholder).post(_report_url(comment), {"reason": "spam"})

    assert response.status_code == 403
    assert not Report.objects.exists()


def test_a_comment_of_a_closed_consultation_cannot_be_reported(client_for, stakeholder):
    comment = make_comment(make_question(make_consultation(state="closed")))

    response = client_for(stakeholder).post(_report_url(comment), {"reason": "spam"})

    assert response.status_code == 403
    assert not Report.objects.exists()


def test_a_pending_comment_cannot_be_reported(client_for, question, stakeholder):
    comment = make_comment(question, status=CommentStatus.PENDING)

    response = client_for(stakeholder).get(_report_url(comment))

    assert response.status_code == 403


def test_reading_the_report_page_of_a_missing_comment_is_a_404(client_for, stakeholder):
    assert client_for(stakeholder).get("/en/comments/999999/report/").status_code == 404


def test_the_third_report_hides_the_comment_for_visitors(client, client_for, question):
    comment = make_comment(question, body="Three people object to this.")
    make_comment(question, parent=comment, body="A reply that stays.")
    for _number in range(3):
        client_for(make_user()).post(_report_url(comment), {"reason": ReportReason.ABUSIVE})

    page = client.get(question.get_absolute_url()).content.decode()

    assert "Three people object to this." not in page
    assert "This comment is hidden after several reports, until a moderator reviews it." in page
    assert "hidden by a moderator" not in page
    assert "A reply that stays." in page
    entry = ModerationEntry.objects.get()
    assert (entry.action, entry.actor, entry.comment) == (ModerationAction.AUTO_HIDE, None, comment)


def test_two_reports_leave_the_comment_published(client, client_for, question):
    comment = make_comment(question, body="Two people object to this.")
    for _number in range(2):
        client_for(make_user()).post(_report_url(comment), {"reason": ReportReason.ABUSIVE})

    page = client.get(question.get_absolute_url()).content.decode()

    assert "Two people object to this." in page
    assert not ModerationEntry.objects.exists()


def test_a_third_reporters_double_submit_after_the_hide_is_harmless(client_for, question):
    comment = make_comment(question)
    for _number in range(2):
        client_for(make_user()).post(_report_url(comment), {"reason": ReportReason.SPAM})
    third = client_for(make_user())
    third.post(_report_url(comment), {"reason": ReportReason.SPAM})

    response = third.post(_report_url(comment), {"reason": ReportReason.SPAM}, follow=True)

    assert response.status_code == 200
    assert "You have already reported this comment." in _messages(response)
    assert Report.objects.count() == 3
    assert ModerationEntry.objects.count() == 1
