"""Every role against every action, through the views (issue 4, point 10).

Each cell is one request by one kind of person; the test checks the answer
(allowed: it took effect; refused: 403, or the login page for a visitor)
and that a refusal wrote nothing.
"""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from consultations.models import (
    ClarificationRequest,
    Comment,
    CommentStatus,
    CommentTranslation,
    Consultation,
    ModerationEntry,
    Revision,
)
from synthesis.models import PaperUse, Quote, Theme, ThemeTag
from tests.factories import (
    make_comment,
    make_consultation,
    make_question,
    make_secretariat_member,
    make_theme,
    make_user,
)

ROLES = [
    "visitor",
    "unverified",
    "stakeholder",
    "moderator_here",
    "moderator_elsewhere",
    "secretariat",
]

Y, N = True, False
#                         visitor unverif. stakeh. mod-here mod-else secret.
EXPECTED = {
    "post":               (N,      N,       Y,      Y,       Y,       Y),
    "reply":              (N,      N,       Y,      Y,       Y,       Y),
    "edit_own":           (N,      N,       Y,      Y,       Y,       Y),
    "read_revisions":     (N,      N,       N,      Y,       N,       Y),
    "withdraw_own":       (N,      Y,       Y,      Y,       Y,       Y),
    "edit_others":        (N,      N,       N,      N,       N,       N),
    "withdraw_others":    (N,      N,       N,      N,       N,       N),
    "report":             (N,      N,       Y,      Y,       Y,       Y),
    "approve":            (N,      N,       N,      Y,       N,       Y),
    "hide":               (N,      N,       N,      Y,       N,       Y),
    "restore":            (N,      N,       N,      Y,       N,       Y),
    "lock":               (N,      N,       N,      Y,       N,       Y),
    "request_clarification": (N,   N,       N,      Y,       N,       Y),
    "open_close":         (N,      N,       N,      N,       N,       Y),
    "export":             (N,      N,       N,      N,       N,       Y),
    "read_log":           (N,      N,       N,      N,       N,       Y),
    "read_synthesis":     (N,      N,       N,      Y,       N,       Y),
    "edit_codebook":      (N,      N,       N,      Y,       N,       Y),
    "tag":                (N,      N,       N,      Y,       N,       Y),
    "quote":              (N,      N,       N,      Y,       N,       Y),
    "mark_paper_use":     (N,      N,       N,      Y,       N,       Y),
    "export_synthesis":   (N,      N,       N,      Y,       N,       Y),
    "translate":          (N,      N,       N,      N,       N,       Y),
    "translate_pending":  (N,      N,       N,      N,       N,       N),
}  # fmt: skip


@dataclass
class World:
    consultation: Consultation
    question: object
    published: Comment
    pending: Comment
    hidden: Comment
    own: Comment | None
    user: object
    client: Client


def _user_for(role, consultation):
    if role == "visitor":
        return None
    if role == "unverified":
        return make_user(verified=False)
    if role == "secretariat":
        return make_secretariat_member()
    user = make_user()
    if role == "moderator_here":
        consultation.moderators.add(user)
    elif role == "moderator_elsewhere":
        make_consultation().moderators.add(user)
    return user


@pytest.fixture
def world(request, db):
    role = request.param
    consultation = make_consultation(state="open")
    question = make_question(consultation, number=1)
    someone = make_user(display_name="Someone Else")
    user = _user_for(role, consultation)
    client = Client()
    if user is not None:
        client.force_login(user)
    return World(
        consultation=consultation,
        question=question,
        published=make_comment(question, author=someone, body="Published words."),
        pending=make_comment(
            question, author=someone, body="Pending words.", status=CommentStatus.PENDING
        ),
        hidden=make_comment(
            question,
            author=someone,
            body="Hidden words.",
            status=CommentStatus.HIDDEN,
            moderation_reason="Off topic",
        ),
        own=make_comment(question, author=user, body="My own words.") if user else None,
        user=user,
        client=client,
    )


def _status(comment):
    comment.refresh_from_db()
    return comment.status


def _post(world):
    before = Comment.objects.count()
    response = world.client.post(
        world.question.get_absolute_url(), {"body": "A new answer.", "language": "en"}
    )
    return response, Comment.objects.count() == before + 1


def _reply(world):
    before = Comment.objects.count()
    response = world.client.post(
        reverse("consultations:comment_reply", args=[world.published.pk]),
        {"body": "A reply.", "language": "en"},
    )
    return response, Comment.objects.filter(parent=world.published).count() == 1 and (
        Comment.objects.count() == before + 1
    )


def _edit_own(world):
    target = world.own or world.published
    response = world.client.post(
        reverse("consultations:comment_edit", args=[target.pk]),
        {"body": "Changed words.", "language": "en"},
    )
    target.refresh_from_db()
    return response, target.body_source == "Changed words."


def _read_revisions(world):
    """Someone else's edited comment: its earlier versions are for moderators and secretariat."""
    published = world.published
    Revision.objects.create(
        comment=published,
        body_source="Earlier words.",
        body_html="<p>Earlier words.</p>",
        language="en",
        written_at=published.created_at,
        replaced_at=published.created_at,
    )
    response = world.client.get(reverse("consultations:comment_revisions", args=[published.pk]))
    return response, response.status_code == 200 and b"Earlier words." in response.content


def _withdraw_own(world):
    target = world.own or world.published
    response = world.client.post(reverse("consultations:comment_withdraw", args=[target.pk]))
    return response, _status(target) == CommentStatus.WITHDRAWN


def _edit_others(world):
    response = world.client.post(
        reverse("consultations:comment_edit", args=[world.published.pk]),
        {"body": "Words put in someone else's mouth.", "language": "en"},
    )
    world.published.refresh_from_db()
    return response, world.published.body_source != "Published words."


def _withdraw_others(world):
    response = world.client.post(
        reverse("consultations:comment_withdraw", args=[world.published.pk])
    )
    return response, _status(world.published) == CommentStatus.WITHDRAWN


def _report(world):
    response = world.client.post(
        reverse("consultations:comment_report", args=[world.published.pk]),
        {"reason": "off_topic", "details": ""},
    )
    return response, world.published.reports.exists()


def _approve(world):
    response = world.client.post(reverse("consultations:comment_approve", args=[world.pending.pk]))
    return response, _status(world.pending) == CommentStatus.PUBLISHED


def _hide(world):
    response = world.client.post(
        reverse("consultations:comment_hide", args=[world.published.pk]),
        {"reason": "Personal data of a third person."},
    )
    return response, _status(world.published) == CommentStatus.HIDDEN


def _restore(world):
    response = world.client.post(reverse("consultations:comment_restore", args=[world.hidden.pk]))
    return response, _status(world.hidden) == CommentStatus.PUBLISHED


def _lock(world):
    response = world.client.post(
        reverse("consultations:question_lock", args=[world.consultation.slug, 1])
    )
    world.question.refresh_from_db()
    return response, world.question.is_locked


def _request_clarification(world):
    response = world.client.post(
        reverse("consultations:comment_request_clarification", args=[world.published.pk]),
        {"message": "Could you give a concrete example?"},
    )
    return response, ClarificationRequest.objects.filter(comment=world.published).exists()


def _open_close(world):
    response = world.client.post(
        reverse("consultations:console_close_now", args=[world.consultation.slug])
    )
    world.consultation.refresh_from_db()
    return response, world.consultation.is_closed


def _export(world):
    response = world.client.get(
        reverse("consultations:console_export", args=[world.consultation.slug, "csv"])
    )
    content = response.getvalue() if response.status_code == 200 else b""
    return response, b"Published words." in content


def _read_log(world):
    ModerationEntry.objects.create(
        action="lock", consultation=world.consultation, reason="A reason only the log shows"
    )
    response = world.client.get(reverse("consultations:audit_log"))
    return response, response.status_code == 200 and b"A reason only the log shows" in (
        response.content
    )


# --- The synthesis workbench (synthesis/) ---


def _synthesis_url(world, name, *args):
    return reverse(f"synthesis:{name}", args=[world.consultation.slug, *args])


def _read_synthesis(world):
    response = world.client.get(_synthesis_url(world, "page"))
    return response, response.status_code == 200 and b"Published words." in response.content


def _edit_codebook(world):
    response = world.client.post(
        _synthesis_url(world, "theme_create"), {"title_en": "Fair recruitment"}
    )
    return response, Theme.objects.filter(title_en="Fair recruitment").exists()


def _tag(world):
    theme = make_theme(world.consultation, title="Decent work")
    response = world.client.post(
        _synthesis_url(world, "contribution_themes", world.published.pk), {"themes": [theme.pk]}
    )
    return response, ThemeTag.objects.filter(comment=world.published, theme=theme).exists()


def _quote(world):
    response = world.client.post(
        _synthesis_url(world, "quote_mark", world.published.pk), {"excerpt": "Published words"}
    )
    return response, Quote.objects.filter(comment=world.published).exists()


def _mark_paper_use(world):
    response = world.client.post(
        _synthesis_url(world, "paper_use", world.published.pk), {"section": "2.1"}
    )
    return response, PaperUse.objects.filter(comment=world.published).exists()


def _export_synthesis(world):
    response = world.client.get(_synthesis_url(world, "export", "json"))
    return response, response.status_code == 200 and b'"themes"' in response.content


# --- Translations (the "Translators" group holds the right too; see test_translations) ---


def _translate_comment(world, comment):
    response = world.client.post(
        reverse("consultations:comment_translate", args=[comment.pk]),
        {"language": "fr", "body": "Des mots publiés."},
    )
    return response, CommentTranslation.objects.filter(comment=comment).exists()


ACTIONS = {
    "post": _post,
    "reply": _reply,
    "edit_own": _edit_own,
    "read_revisions": _read_revisions,
    "withdraw_own": _withdraw_own,
    "edit_others": _edit_others,
    "withdraw_others": _withdraw_others,
    "report": _report,
    "approve": _approve,
    "hide": _hide,
    "restore": _restore,
    "lock": _lock,
    "request_clarification": _request_clarification,
    "open_close": _open_close,
    "export": _export,
    "read_log": _read_log,
    "read_synthesis": _read_synthesis,
    "edit_codebook": _edit_codebook,
    "tag": _tag,
    "quote": _quote,
    "mark_paper_use": _mark_paper_use,
    "export_synthesis": _export_synthesis,
    "translate": lambda world: _translate_comment(world, world.published),
    "translate_pending": lambda world: _translate_comment(world, world.pending),
}

CELLS = [
    pytest.param(role, action, EXPECTED[action][index], id=f"{role}-{action}")
    for action in ACTIONS
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("world", "action", "allowed"), [
    pytest.param(cell.values[0], cell.values[1], cell.values[2], id=cell.id) for cell in CELLS
], indirect=["world"])  # fmt: skip
def test_role_may_or_may_not_do_action(world, action, allowed):
    entries_before = ModerationEntry.objects.count()
    response, took_effect = ACTIONS[action](world)

    if allowed:
        assert took_effect, f"expected the action to take effect, got {response.status_code}"
        assert response.status_code in (200, 302)
    else:
        assert not took_effect
        if world.user is None:
            assert response.status_code in (302, 403)
            if response.status_code == 302:
                assert reverse("account_login") in response["Location"]
        else:
            assert response.status_code == 403
        # A refusal writes nothing to the log either (read_log adds its own line).
        expected_entries = entries_before + (1 if action == "read_log" else 0)
        assert ModerationEntry.objects.count() == expected_entries


def test_the_matrix_covers_every_role_and_action():
    assert set(EXPECTED) == set(ACTIONS)
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())
