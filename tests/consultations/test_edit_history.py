"""Editing a comment keeps every earlier version (issue 7, point 6).

The service keeps the replaced text as a Revision and logs the edit in the
same transaction; a pre-moderated consultation takes the edited comment back
to the queue; the versions page is for the author, the moderators and the
secretariat; a refused edit gives the new text back.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import (
    Comment,
    CommentStatus,
    ModerationAction,
    ModerationEntry,
    ModerationMode,
    Revision,
)
from consultations.rules import Refused
from consultations.services.comments import comment_edit
from consultations.services.moderation import comment_approve
from tests.consultations.test_posting import shown_text
from tests.factories import make_comment, make_consultation, make_question, make_user

pytestmark = pytest.mark.django_db

FIRST = "Employers should pay every recruitment fee."
SECOND = "Employers should pay every recruitment fee, including visa and travel costs."
THIRD = "Les employeurs devraient payer tous les frais de recrutement, visa compris."


def edit_url(comment):
    return reverse("consultations:comment_edit", args=[comment.pk])


def versions_url(comment):
    return reverse("consultations:comment_revisions", args=[comment.pk])


@pytest.fixture
def own_comment(question, stakeholder):
    return make_comment(
        question,
        author=stakeholder,
        body=FIRST,
        created_at=timezone.now() - timedelta(hours=2),
    )


def pre_moderated_question(*moderators):
    consultation = make_consultation(moderation_mode=ModerationMode.PRE, moderators=moderators)
    return make_question(consultation, number=1)


# --- The service keeps every version --------------------------------------------------------


def test_an_edit_keeps_the_earlier_text_language_and_time(own_comment, stakeholder):
    posted_at = own_comment.created_at

    edited = comment_edit(editor=stakeholder, comment=own_comment, body=SECOND, language="en")

    earlier = Revision.objects.get(comment=own_comment)
    assert (earlier.body_source, earlier.language) == (FIRST, "en")
    assert earlier.body_html == own_comment.body_html
    assert earlier.written_at == posted_at
    assert earlier.replaced_at == edited.edited_at
    assert edited.body_source == SECOND


def test_every_edit_adds_a_version_written_when_the_one_before_was_replaced(
    own_comment, stakeholder
):
    first_edit = comment_edit(editor=stakeholder, comment=own_comment, body=SECOND, language="en")
    second_edit = comment_edit(editor=stakeholder, comment=own_comment, body=THIRD, language="fr")

    oldest, newer = Revision.objects.filter(comment=own_comment).order_by("written_at")
    assert [oldest.body_source, newer.body_source] == [FIRST, SECOND]
    assert newer.written_at == first_edit.edited_at == oldest.replaced_at
    assert newer.replaced_at == second_edit.edited_at
    own_comment.refresh_from_db()
    assert (own_comment.body_source, own_comment.language) == (THIRD, "fr")


def test_the_new_text_is_trimmed_and_rendered(own_comment, stakeholder):
    body = "  **Fees** matter.  "
    comment_edit(editor=stakeholder, comment=own_comment, body=body, language="en")

    own_comment.refresh_from_db()
    assert own_comment.body_source == "**Fees** matter."
    assert "<strong>Fees</strong>" in own_comment.body_html


def test_an_edit_is_written_to_the_log(own_comment, stakeholder, question):
    comment_edit(editor=stakeholder, comment=own_comment, body=SECOND, language="en")

    entry = ModerationEntry.objects.get(action=ModerationAction.EDIT)
    assert (entry.actor, entry.comment, entry.question, entry.consultation) == (
        stakeholder,
        own_comment,
        question,
        question.consultation,
    )


def test_sending_the_same_text_back_writes_nothing(own_comment, stakeholder):
    comment_edit(editor=stakeholder, comment=own_comment, body=f"{FIRST}\n", language="en")

    own_comment.refresh_from_db()
    assert own_comment.edited_at is None
    assert not Revision.objects.exists()
    assert not ModerationEntry.objects.exists()


def test_changing_only_the_language_is_an_edit(own_comment, stakeholder):
    comment_edit(editor=stakeholder, comment=own_comment, body=FIRST, language="other")

    assert Revision.objects.get(comment=own_comment).language == "en"


def test_an_earlier_version_cannot_be_changed(own_comment, stakeholder):
    comment_edit(editor=stakeholder, comment=own_comment, body=SECOND, language="en")
    earlier = Revision.objects.get()

    earlier.body_source = "Rewritten history."
    with pytest.raises(TypeError):
        earlier.save()
    with pytest.raises(TypeError):
        Revision.objects.update(body_source="Rewritten history.")
    assert Revision.objects.get().body_source == FIRST


# --- Refusals write nothing ------------------------------------------------------------------


def test_an_edit_after_the_window_closed_is_refused_and_writes_nothing(own_comment, stakeholder):
    consultation = own_comment.question.consultation
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save()

    with pytest.raises(Refused, match="closed"):
        comment_edit(editor=stakeholder, comment=own_comment, body=SECOND, language="en")

    own_comment.refresh_from_db()
    assert own_comment.body_source == FIRST
    assert not Revision.objects.exists()
    assert not ModerationEntry.objects.exists()


def test_someone_elses_comment_cannot_be_edited(own_comment):
    with pytest.raises(Refused):
        comment_edit(editor=make_user(), comment=own_comment, body=SECOND, language="en")

    assert not Revision.objects.exists()


def test_a_comment_hidden_meanwhile_cannot_be_edited(own_comment, stakeholder):
    # The view read it before a moderator hid it; the service reads it again under a lock.
    Comment.objects.filter(pk=own_comment.pk).update(status=CommentStatus.HIDDEN)

    with pytest.raises(Refused):
        comment_edit(editor=stakeholder, comment=own_comment, body=SECOND, language="en")

    assert not Revision.objects.exists()


# --- Pre-moderation ---------------------------------------------------------------------------


def test_in_a_pre_moderated_consultation_an_edited_comment_goes_back_to_the_queue(stakeholder):
    moderator = make_user()
    question = pre_moderated_question(moderator)
    comment = make_comment(question, author=stakeholder, body=FIRST)

    edited = comment_edit(editor=stakeholder, comment=comment, body=SECOND, language="en")

    assert edited.status == CommentStatus.PENDING
    assert list(Comment.objects.moderated_by(moderator).awaiting_moderation()) == [comment]
    assert not Comment.objects.for_question(question).visible_to(make_user()).exists()


def test_the_moderators_approve_the_edited_text(stakeholder):
    moderator = make_user()
    question = pre_moderated_question(moderator)
    comment = make_comment(question, author=stakeholder, body=FIRST)
    comment_edit(editor=stakeholder, comment=comment, body=SECOND, language="en")

    comment_approve(moderator=moderator, comment=comment)

    comment.refresh_from_db()
    assert (comment.status, comment.body_source) == (CommentStatus.PUBLISHED, SECOND)


def test_a_moderators_own_edit_in_a_pre_moderated_consultation_stays_published():
    moderator = make_user()
    question = pre_moderated_question(moderator)
    comment = make_comment(question, author=moderator, body=FIRST)

    edited = comment_edit(editor=moderator, comment=comment, body=SECOND, language="en")

    assert edited.status == CommentStatus.PUBLISHED


def test_in_a_post_moderated_consultation_an_edited_comment_stays_published(
    own_comment, stakeholder
):
    edited = comment_edit(editor=stakeholder, comment=own_comment, body=SECOND, language="en")

    assert edited.status == CommentStatus.PUBLISHED


def test_a_pending_comment_edited_stays_pending(stakeholder):
    question = pre_moderated_question()
    comment = make_comment(question, author=stakeholder, body=FIRST, status=CommentStatus.PENDING)

    edited = comment_edit(editor=stakeholder, comment=comment, body=SECOND, language="en")

    assert edited.status == CommentStatus.PENDING
    assert Revision.objects.get(comment=comment).body_source == FIRST


# --- The edit page ------------------------------------------------------------------------


def test_the_edit_page_saves_and_says_so(stakeholder_client, own_comment):
    response = stakeholder_client.post(
        edit_url(own_comment), {"body": SECOND, "language": "en"}, follow=True
    )

    assert "Your changes are saved." in response.content.decode()
    assert Revision.objects.filter(comment=own_comment).count() == 1


def test_a_pre_moderated_edit_says_it_waits_for_approval(client_for, stakeholder):
    question = pre_moderated_question()
    comment = make_comment(question, author=stakeholder, body=FIRST)

    response = client_for(stakeholder).post(
        edit_url(comment), {"body": SECOND, "language": "en"}, follow=True
    )

    assert "will appear again once a moderator has approved them" in response.content.decode()


def test_an_unchanged_edit_says_nothing_changed(stakeholder_client, own_comment):
    response = stakeholder_client.post(
        edit_url(own_comment), {"body": FIRST, "language": "en"}, follow=True
    )

    assert "Nothing changed" in response.content.decode()


def test_an_edit_refused_when_sent_shows_the_form_again_with_the_new_text(
    stakeholder_client, own_comment
):
    # The form was opened while the window was open; it closed before it was sent.
    assert stakeholder_client.get(edit_url(own_comment)).status_code == 200
    consultation = own_comment.question.consultation
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save()

    response = stakeholder_client.post(edit_url(own_comment), {"body": SECOND, "language": "en"})

    assert response.status_code == 403
    assert shown_text(response) == SECOND
    assert "no longer takes contributions" in response.content.decode()
    own_comment.refresh_from_db()
    assert own_comment.body_source == FIRST
    assert not Revision.objects.exists()


def test_an_edit_into_a_locked_question_keeps_the_new_text(stakeholder_client, own_comment):
    question = own_comment.question
    question.is_locked = True
    question.save()

    response = stakeholder_client.post(edit_url(own_comment), {"body": SECOND, "language": "en"})

    assert response.status_code == 403
    assert shown_text(response) == SECOND


def test_opening_the_edit_form_of_a_closed_consultation_is_refused(stakeholder_client, own_comment):
    consultation = own_comment.question.consultation
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save()

    assert stakeholder_client.get(edit_url(own_comment)).status_code == 403


# --- "edited" on the comment ------------------------------------------------------------------


def _edited(own_comment, stakeholder):
    return comment_edit(editor=stakeholder, comment=own_comment, body=SECOND, language="en")


def test_an_edited_comment_says_when_it_was_edited(client, own_comment, stakeholder):
    edited = _edited(own_comment, stakeholder)

    page = client.get(own_comment.question.get_absolute_url()).content.decode()

    moment = f"{edited.edited_at:%Y-%m-%dT%H:%M:%S}"
    assert f'<span class="comment__edited">edited <time datetime="{moment}' in page


def test_a_comment_never_edited_does_not_say_edited(client, own_comment):
    page = client.get(own_comment.question.get_absolute_url()).content.decode()

    assert "comment__edited" not in page


@pytest.mark.parametrize(
    ("who", "sees_link"),
    [
        ("visitor", False),
        ("other_stakeholder", False),
        ("other_moderator", False),
        ("author", True),
        ("moderator", True),
        ("global_moderator", True),
        ("secretariat", True),
    ],
)
def test_the_link_to_earlier_versions_shows_only_to_those_who_may_open_it(
    request, client, client_for, own_comment, stakeholder, who, sees_link
):
    _edited(own_comment, stakeholder)
    reader = {
        "visitor": lambda: client,
        "other_stakeholder": lambda: client_for(make_user()),
        "author": lambda: client_for(stakeholder),
    }.get(who, lambda: client_for(request.getfixturevalue(who)))()

    page = reader.get(own_comment.question.get_absolute_url()).content.decode()

    assert (versions_url(own_comment) in page) is sees_link


# --- The versions page ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["author", "moderator", "global_moderator", "secretariat"])
def test_the_author_moderators_and_secretariat_see_every_version(
    request, client_for, own_comment, stakeholder, who
):
    _edited(own_comment, stakeholder)
    comment_edit(editor=stakeholder, comment=own_comment, body=THIRD, language="fr")
    user = stakeholder if who == "author" else request.getfixturevalue(who)

    response = client_for(user).get(versions_url(own_comment))

    assert response.status_code == 200
    page = response.content.decode()
    # Newest first: the current text, then the versions it replaced.
    assert page.index(THIRD) < page.index(SECOND) < page.index(FIRST)
    assert '<div class="comment__body" lang="fr">' in page


@pytest.mark.parametrize("who", ["other_stakeholder", "other_moderator", "unverified_user"])
def test_anyone_else_logged_in_is_refused_the_versions(
    request, client_for, own_comment, stakeholder, who
):
    _edited(own_comment, stakeholder)
    user = make_user() if who == "other_stakeholder" else request.getfixturevalue(who)

    response = client_for(user).get(versions_url(own_comment))

    assert response.status_code == 403
    assert FIRST not in response.content.decode()


def test_a_visitor_is_sent_to_log_in_for_the_versions(client, own_comment, stakeholder):
    _edited(own_comment, stakeholder)

    response = client.get(versions_url(own_comment))

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_the_versions_of_a_comment_that_does_not_exist_are_not_found(stakeholder_client):
    assert stakeholder_client.get("/en/comments/999999/versions/").status_code == 404


def test_a_comment_never_edited_has_only_its_current_version(stakeholder_client, own_comment):
    page = stakeholder_client.get(versions_url(own_comment)).content.decode()

    assert FIRST in page
    assert "This comment has not been edited." in page


def test_the_versions_page_costs_the_same_queries_for_one_or_many_versions(
    client_for, own_comment, stakeholder
):
    client = client_for(stakeholder)
    _edited(own_comment, stakeholder)
    client.get(versions_url(own_comment))  # warms the session

    with CaptureQueriesContext(connection) as one:
        client.get(versions_url(own_comment))
    for number in range(5):
        comment_edit(
            editor=stakeholder, comment=own_comment, body=f"Version {number}.", language="en"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(versions_url(own_comment))

    assert len(one.captured_queries) == len(many.captured_queries)


# --- Two edits at once (PostgreSQL: SQLite has no row locks) ---------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; SQLite runs one writer at a time anyway",
)
@pytest.mark.django_db(transaction=True)
def test_two_edits_at_once_each_keep_the_version_they_replaced():
    author = make_user()
    comment = make_comment(make_question(make_consultation()), author=author, body=FIRST)
    start = threading.Barrier(2)

    def edit(body):
        try:
            start.wait()
            # Each edit starts from the comment as its form saw it: the first text.
            comment_edit(
                editor=author, comment=Comment.objects.get(pk=comment.pk), body=body, language="en"
            )
        finally:
            connection.close()

    editors = [threading.Thread(target=edit, args=(body,)) for body in (SECOND, THIRD)]
    for editor in editors:
        editor.start()
    for editor in editors:
        editor.join()

    comment.refresh_from_db()
    kept = list(comment.revisions.order_by("written_at").values_list("body_source", flat=True))
    # The second edit replaced the first one's text, not the original a second time.
    assert kept[0] == FIRST
    assert sorted([kept[1], comment.body_source]) == sorted([SECOND, THIRD])
    assert ModerationEntry.objects.filter(action=ModerationAction.EDIT).count() == 2


# --- The admin ------------------------------------------------------------------------------


def test_the_admin_shows_earlier_versions_and_cannot_change_them(client_for, own_comment):
    superuser = make_user(is_staff=True, is_superuser=True)
    comment_edit(editor=own_comment.author, comment=own_comment, body=SECOND, language="en")

    response = client_for(superuser).get(
        reverse("admin:consultations_comment_change", args=[own_comment.pk])
    )

    assert response.status_code == 200
    assert FIRST in response.content.decode()
    inline = next(
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.opts.model is Revision
    )
    assert not inline.has_add_permission and not inline.has_change_permission
    assert not inline.has_delete_permission


def test_the_edit_page_of_a_pre_moderated_consultation_warns_it_goes_back_to_the_queue(
    client_for, stakeholder
):
    question = pre_moderated_question()
    comment = make_comment(question, author=stakeholder, body=FIRST)

    page = client_for(stakeholder).get(edit_url(comment)).content.decode()

    assert "until a moderator approves them" in page


def test_the_edit_page_of_a_post_moderated_consultation_has_no_such_warning(
    stakeholder_client, own_comment
):
    page = stakeholder_client.get(edit_url(own_comment)).content.decode()

    assert "until a moderator approves them" not in page
