"""Small factory functions with overridable defaults, for every test module."""

from datetime import timedelta
from itertools import count

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.backends import PermissionsInOneQueryBackend
from accounts.models import OrganisationType, User
from consultations.models import Comment, CommentStatus, Consultation, Question
from consultations.sanitize import render_markdown
from synthesis.models import Theme, ThemeTag

_sequence = count(1)


def make_user(*, verified=True, email=None, display_name=None, **fields) -> User:
    number = next(_sequence)
    user = User.objects.create_user(
        email=email or f"person{number}@example.org",
        password="a-long-test-password",
        display_name=display_name or f"Person {number}",
        organisation=fields.pop("organisation", f"Organisation {number}"),
        organisation_type=fields.pop("organisation_type", OrganisationType.CIVIL_SOCIETY),
        **fields,
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    return user


def make_secretariat_member(**fields) -> User:
    user = make_user(**fields)
    user.groups.add(Group.objects.get(name="Secretariat"))
    return user


def make_global_moderator(**fields) -> User:
    user = make_user(**fields)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def make_consultation(*, state="open", moderators=(), **fields) -> Consultation:
    """A published consultation whose window puts it in `state` now."""
    now = timezone.now()
    windows = {
        "open": (now - timedelta(days=7), now + timedelta(days=21)),
        "upcoming": (now + timedelta(days=7), now + timedelta(days=35)),
        "closed": (now - timedelta(days=60), now - timedelta(days=30)),
        "draft": (now - timedelta(days=7), now + timedelta(days=21)),
    }
    opens_at, closes_at = windows[state]
    number = next(_sequence)
    defaults = {
        "slug": f"consultation-{number}",
        "title": f"Consultation {number}",
        "is_published": state != "draft",
        "opens_at": opens_at,
        "closes_at": closes_at,
    }
    consultation = Consultation.objects.create(**{**defaults, **fields})
    consultation.moderators.add(*moderators)
    return consultation


def make_question(consultation=None, *, number=None, **fields) -> Question:
    consultation = consultation or make_consultation()
    if number is None:
        number = (
            consultation.questions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
    fields.setdefault("title", f"Question {number} of {consultation.slug}")
    return Question.objects.create(consultation=consultation, number=number, **fields)


def make_comment(question=None, *, author=None, parent=None, body="A considered answer.", **fields):
    """A comment written straight to the database, bypassing the posting rules."""
    question = question or (parent.question if parent else make_question())
    created_at = fields.pop("created_at", timezone.now())
    return Comment.objects.create(
        question=question,
        parent=parent,
        author=author or make_user(),
        body_source=body,
        body_html=render_markdown(body),
        language=fields.pop("language", "en"),
        status=fields.pop("status", CommentStatus.PUBLISHED),
        created_at=created_at,
        **fields,
    )


# --- The synthesis workbench ---------------------------------------------------------


def make_theme(consultation, *, number=None, title=None, **fields) -> Theme:
    if number is None:
        number = (
            consultation.themes.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
    fields.setdefault("title_en", title or f"Theme {number}")
    return Theme.objects.create(consultation=consultation, number=number, **fields)


def make_tag(comment, theme, *, tagged_by=None) -> ThemeTag:
    """A theme tag written straight to the database, bypassing the rules and the log."""
    return ThemeTag.objects.create(
        comment=comment, theme=theme, tagged_by=tagged_by or make_secretariat_member()
    )


def make_translator(**fields) -> User:
    user = make_user(**fields)
    user.groups.add(Group.objects.get(name="Translators"))
    return user


def as_signed_in(person):
    """The person as each request reads them (accounts.backends); a visitor as they are."""
    if not person.is_authenticated:
        return person
    return PermissionsInOneQueryBackend().get_user(person.pk)
