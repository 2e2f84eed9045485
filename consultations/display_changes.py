"""What makes a consultation's cached pages stale.

Each change to something its pages show moves one of the consultation's
versions on, in the same transaction as the change, and its kept pages are
keyed by both (consultations/page_cache.py): `comments_version` for a
comment and what belongs to it (translations, files, clarification
requests), which also moves its answer's `thread_version` on, so that only
that answer's block is built again (consultations/answer_blocks.py), and its
`thread_edit_version` unless the change is a new comment (then the block
kept before it is only short of the new one);
`display_version` for everything else the pages show, blocks included. Signals
rather than a call in each service: the admin and the shell change these rows
too, and one forgotten call would leave a hidden comment on a cached page.

A window opening or closing by the clock needs no signal: the pages' keys
hold the consultation's state at the time of the request.
"""

from django.contrib.auth.models import Group
from django.db.models import F, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts.models import User
from consultations.models import (
    ClarificationRequest,
    Comment,
    CommentTranslation,
    Consultation,
    ConsultationArchive,
    Question,
)
from documents.models import BackgroundDocument, CommentAttachment
from site_identity.models import SiteIdentity

# A user's saves that change nothing shown beside their comments.
_UNSHOWN_USER_FIELDS = frozenset({"last_login", "password", "preferred_language", "time_zone"})


def _of_comment(comment_id) -> Q:
    return Q(questions__comments=comment_id)


def _consultation_where(where: Q):
    return Consultation.objects.filter(pk__in=Consultation.objects.filter(where).values("pk"))


def _note(where: Q) -> None:
    _consultation_where(where).note_display_change()


def _note_comment_change(answer_keys, consultation, *, new_comment=False) -> None:
    """A comment changed: its answer's block, and the pages of its consultation (a
    queryset of that one consultation). A `new_comment` in a block leaves the rest of it
    as it was: its edit version stays (consultations/answer_blocks.py)."""
    versions = {"thread_version": F("thread_version") + 1}
    if not new_comment:
        versions["thread_edit_version"] = F("thread_edit_version") + 1
    Comment.objects.filter(thread_key__in=answer_keys).update(**versions)
    consultation.note_comment_change()


def _note_everywhere() -> None:
    Consultation.objects.all().note_display_change()


@receiver([post_save, post_delete], sender=Consultation)
def consultation_changed(sender, instance, **kwargs):
    Consultation.objects.filter(pk=instance.pk).note_display_change()


@receiver([post_save, post_delete], sender=Question)
def question_changed(sender, instance, **kwargs):
    Consultation.objects.filter(pk=instance.consultation_id).note_display_change()


@receiver([post_save, post_delete], sender=BackgroundDocument)
@receiver([post_save, post_delete], sender=ConsultationArchive)
def consultation_part_changed(sender, instance, **kwargs):
    """A background document, or the sealed record written at the close."""
    Consultation.objects.filter(pk=instance.consultation_id).note_display_change()


@receiver([post_save, post_delete], sender=Comment)
def comment_changed(sender, instance, created=False, **kwargs):
    # A new answer is a new block: no kept block holds it yet.
    answer_keys = (
        []
        if created and instance.answer_id is None
        else [instance.answer_id or instance.thread_key]
    )
    if Comment.question.is_cached(instance):
        # As after a post: the question is at hand, so is its consultation's id.
        consultation = Consultation.objects.filter(pk=instance.question.consultation_id)
    else:
        consultation = _consultation_where(Q(questions=instance.question_id))
    _note_comment_change(answer_keys, consultation, new_comment=created)


@receiver([post_save, post_delete], sender=CommentTranslation)
@receiver([post_save, post_delete], sender=CommentAttachment)
@receiver([post_save, post_delete], sender=ClarificationRequest)
def comment_part_changed(sender, instance, **kwargs):
    if instance.comment_id is not None:
        answer_key = Comment.objects.filter(pk=instance.comment_id).values(
            key=Coalesce("answer_id", "thread_key")
        )
        _note_comment_change(
            Subquery(answer_key), _consultation_where(_of_comment(instance.comment_id))
        )


@receiver(m2m_changed, sender=Consultation.moderators.through)
def moderators_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A moderator named or removed: their badge beside their comments comes or goes."""
    if not action.startswith("post_"):
        return
    if not reverse:
        Consultation.objects.filter(pk=instance.pk).note_display_change()
    elif pk_set:
        Consultation.objects.filter(pk__in=pk_set).note_display_change()
    else:
        _note_everywhere()


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
def roles_changed(sender, action, **kwargs):
    """Someone became or stopped being a moderator of every consultation (or a translator)."""
    if action.startswith("post_"):
        _note_everywhere()


@receiver(post_save, sender=SiteIdentity)
def site_identity_changed(sender, **kwargs):
    """The host's name, texts and images head and close every page."""
    _note_everywhere()


@receiver(post_save, sender=User)
def person_changed(sender, instance, update_fields=None, **kwargs):
    """A name, organisation or country shown beside someone's comments."""
    if update_fields is not None and set(update_fields) <= _UNSHOWN_USER_FIELDS:
        return
    _note(Q(questions__comments__author=instance) | Q(moderators=instance))
