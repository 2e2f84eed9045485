"""The comment replied to, read from SQL compiled once (consultations/views/posting.py).

The reply page and every reply sent find their comment with a query compiled
once for all readers with the same roles, then run with each reader's and
comment's ids. Every kind of reader must find, through it, exactly what the
query built for them by the ORM finds: a pending comment stays its author's
and its moderators', a draft stays the secretariat's.
"""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from consultations.models import Comment, CommentStatus
from consultations.views import posting
from notifications.models import Follow
from tests.factories import (
    as_signed_in,
    make_comment,
    make_consultation,
    make_global_moderator,
    make_question,
    make_secretariat_member,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    author, follower = make_user(), make_user()
    consultation_moderator, elsewhere_moderator = make_user(), make_user()
    consultation = make_consultation(moderators=[consultation_moderator])
    make_consultation(moderators=[elsewhere_moderator])
    question = make_question(consultation)
    Follow.objects.create(user=follower, question=question)
    answer = make_comment(question, author=make_user())
    comments = {
        "published": answer,
        "reply": make_comment(question, parent=answer),
        "pending": make_comment(question, author=author, status=CommentStatus.PENDING),
        "hidden": make_comment(question, status=CommentStatus.HIDDEN, moderation_reason="Why."),
        "withdrawn": make_comment(question, status=CommentStatus.WITHDRAWN),
        "in a draft": make_comment(make_question(make_consultation(state="draft"))),
    }
    readers = {
        "visitor": AnonymousUser(),
        "the pending comment's author": author,
        "a follower of the question": follower,
        "another stakeholder": make_user(),
        "the consultation's moderator": consultation_moderator,
        "a moderator elsewhere": elsewhere_moderator,
        "a global moderator": make_global_moderator(),
        "the secretariat": make_secretariat_member(),
    }
    return comments, readers


@pytest.mark.parametrize("replying", [False, True])
def test_every_reader_finds_what_the_query_built_for_them_finds(place, replying):
    comments, readers = place
    for reader_name, person in readers.items():
        for comment_name, comment in comments.items():
            reader = as_signed_in(person)
            expected = (
                posting._visible_comments(reader, replying=replying).filter(pk=comment.pk).first()
            )
            reader = as_signed_in(person)
            found = posting._visible_comment(reader, comment.pk, replying=replying)

            where = f"{reader_name}, {comment_name}, replying={replying}"
            assert (found and found.pk) == (expected and expected.pk), where
            if expected is None:
                continue
            assert found.question.consultation == expected.question.consultation, where
            assert found.author == expected.author, where
            assert found.body_html == expected.body_html, where
            if replying:
                assert found.reader_follows_question == expected.reader_follows_question, where
                assert Comment.parent.is_cached(found), where
                assert found.parent == expected.parent, where


def test_the_rules_still_hide_what_they_hid(place):
    comments, readers = place
    stakeholder = as_signed_in(readers["another stakeholder"])
    author = as_signed_in(readers["the pending comment's author"])

    assert posting._visible_comment(author, comments["pending"].pk) is not None
    assert posting._visible_comment(stakeholder, comments["pending"].pk) is None
    assert posting._visible_comment(AnonymousUser(), comments["in a draft"].pk) is None
    secretariat = as_signed_in(readers["the secretariat"])
    assert posting._visible_comment(secretariat, comments["in a draft"].pk) is not None


def test_each_reader_is_asked_about_with_their_own_id(place):
    comments, readers = place
    answer = comments["published"]

    follower = as_signed_in(readers["a follower of the question"])
    other = as_signed_in(readers["another stakeholder"])
    assert posting._visible_comment(follower, answer.pk, replying=True).reader_follows_question
    assert not posting._visible_comment(other, answer.pk, replying=True).reader_follows_question


def test_an_id_beyond_the_column_is_a_page_not_found(client_for, stakeholder):
    client = client_for(stakeholder)
    for comment_id in (10**30, 2**63):
        path = reverse("consultations:comment_reply", kwargs={"comment_id": comment_id})
        assert client.get(path).status_code == 404
        form = {"body": "Hello.", "language": "en", "submission_token": str(uuid.uuid4())}
        assert client.post(path, form).status_code == 404
