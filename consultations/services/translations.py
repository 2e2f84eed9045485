"""Translating a published contribution into another interface language."""

from django.db import transaction
from django.utils import timezone

from consultations import rules
from consultations.models import (
    Comment,
    CommentTranslation,
    ModerationAction,
    ModerationEntry,
    TransitionRefused,
    field_change,
)
from consultations.sanitize import render_markdown


@transaction.atomic
def comment_translate(
    *, translator, comment: Comment, language: str, body: str
) -> tuple[CommentTranslation, ModerationEntry | None]:
    """Add the translation of `comment` into `language`, or replace the one there is.

    Made from the original as it stands now: the original's edit time is kept
    beside it, so a later edit marks the translation out of date. Sending the
    same text back for an up-to-date translation changes nothing (the entry is
    None). Raises `rules.Refused` when the translator may not, and
    `TransitionRefused` for the comment's own language or an empty text.
    """
    locked = (
        Comment.objects.select_related("question__consultation")
        .select_for_update(of=("self",))
        .get(pk=comment.pk)
    )
    rules.check(translator, "translate", locked)
    refusal = CommentTranslation.refusal_for(locked, language)
    if refusal:
        raise TransitionRefused(refusal)
    body = (body or "").strip()
    translation = CommentTranslation.objects.filter(
        comment=locked, language=language
    ).first() or CommentTranslation(comment=locked, language=language)
    translation.comment = locked
    before = translation.body_source
    is_new = translation.pk is None
    if translation.pk and before == body and not translation.is_out_of_date:
        return translation, None
    now = timezone.now()
    translation.write(
        body_source=body, body_html=render_markdown(body), translator=translator, now=now
    )
    if is_new:
        translation.created_at = now
    translation.save()
    entry = ModerationEntry.objects.create(
        actor=translator,
        action=ModerationAction.TRANSLATE,
        consultation=locked.question.consultation,
        question=locked.question,
        comment=locked,
        changes=[
            field_change("commenttranslation", "language", None if is_new else language, language),
            field_change("commenttranslation", "body_source", before or None, body),
        ],
        created_at=now,
    )
    return translation, entry
