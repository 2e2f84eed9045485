"""The synthesis workbench's writes: themes, tags, key quotes and uses in the paper.

Each service asks `rules` first, locks the row it changes, and writes its
change and the audit log entry in one transaction. A change that is not
possible (a quote that is not in the text, a theme of another consultation)
raises ValidationError with a sentence to show; nothing is written. Asking
for what is already so (a tag that is there, the same section again) writes
nothing and returns None.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from consultations import rules
from consultations.models import (
    Comment,
    Consultation,
    ModerationAction,
    ModerationEntry,
    field_change,
)
from synthesis import exports
from synthesis.models import PaperUse, Quote, Theme, ThemeTag


def _record(*, actor, action: str, consultation: Consultation, comment=None, changes=(), reason=""):
    return ModerationEntry.objects.create(
        actor=actor,
        action=action,
        consultation=consultation,
        question=comment.question if comment is not None else None,
        comment=comment,
        changes=list(changes),
        reason=reason,
    )


def _locked_comment(comment: Comment) -> Comment:
    """The comment re-read under a row lock: a moderator hiding it meanwhile waits, or wins."""
    return (
        Comment.objects.select_related("question__consultation")
        .select_for_update(of=("self",))
        .get(pk=comment.pk)
    )


def _locked_consultation(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


# --- The codebook ------------------------------------------------------------------------


@transaction.atomic
def theme_create(*, actor, consultation: Consultation, values: Mapping[str, Any]) -> Theme:
    """Add a theme to the consultation's codebook, numbered after the last one."""
    rules.check(actor, "edit_codebook", consultation)
    # Two themes added at once queue here, so each gets its own number.
    consultation = _locked_consultation(consultation)
    last = consultation.themes.aggregate(last=Max("number"))["last"] or 0
    theme = Theme(consultation=consultation, number=last + 1, **values)
    theme.full_clean()
    theme.save()
    _record(
        actor=actor,
        action=ModerationAction.CREATE_THEME,
        consultation=consultation,
        changes=[
            field_change("theme", name, None, value) for name, value in values.items() if value
        ],
    )
    return theme


@transaction.atomic
def theme_edit(*, actor, theme: Theme, values: Mapping[str, Any]) -> Theme | None:
    """Change a theme's titles, description or objectives; None when nothing changed."""
    rules.check(actor, "edit_codebook", theme.consultation)
    theme = (
        Theme.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .get(pk=theme.pk)
    )
    changes = []
    for name, value in values.items():
        before = getattr(theme, name)
        # An untranslated field reads None until someone saves it empty: no change.
        if before != value and not (before in (None, "") and value in (None, "")):
            setattr(theme, name, value)
            changes.append(field_change("theme", name, before, value))
    if not changes:
        return None
    theme.full_clean()
    theme.save()
    _record(
        actor=actor,
        action=ModerationAction.EDIT_THEME,
        consultation=theme.consultation,
        changes=changes,
    )
    return theme


# --- Reading one contribution --------------------------------------------------------------


def _theme_change(before, after) -> list[dict]:
    """A tag as a fact for the log: the theme's number and title in every language."""
    return [
        {
            "model": "themetag",
            "field": "theme",
            "before": before.titles() if before else None,
            "after": after.titles() if after else None,
        }
    ]


@transaction.atomic
def comment_themes_set(*, actor, comment: Comment, themes: Iterable[Theme]) -> list[ThemeTag]:
    """Tag a contribution with exactly these themes of its consultation.

    Adds the missing tags and removes the others, one log entry each;
    returns the contribution's tags afterwards.
    """
    comment = _locked_comment(comment)
    rules.check(actor, "tag", comment)
    consultation = comment.question.consultation
    wanted = {theme.pk: theme for theme in themes}
    if any(theme.consultation_id != consultation.pk for theme in wanted.values()):
        raise ValidationError(_("Choose themes of this consultation's codebook."))
    present = {tag.theme_id: tag for tag in comment.theme_tags.select_related("theme")}
    for theme_id, tag in present.items():
        if theme_id not in wanted:
            tag.delete()
            _record(
                actor=actor,
                action=ModerationAction.REMOVE_TAG,
                consultation=consultation,
                comment=comment,
                changes=_theme_change(tag.theme, None),
            )
    for theme_id, theme in sorted(wanted.items(), key=lambda item: item[1].number):
        if theme_id not in present:
            ThemeTag.objects.create(theme=theme, comment=comment, tagged_by=actor)
            _record(
                actor=actor,
                action=ModerationAction.ADD_TAG,
                consultation=consultation,
                comment=comment,
                changes=_theme_change(None, theme),
            )
    return list(comment.theme_tags.select_related("theme").order_by("theme__number"))


@transaction.atomic
def quote_mark(*, actor, comment: Comment, excerpt: str) -> Quote:
    """Mark an excerpt of the contribution's text as a key quote."""
    comment = _locked_comment(comment)
    rules.check(actor, "quote", comment)
    # Under the comment's lock: the same excerpt marked a moment ago is seen here.
    quote = Quote.excerpt_of(comment, excerpt, marked_by=actor)
    quote.save()
    _record(
        actor=actor,
        action=ModerationAction.MARK_QUOTE,
        consultation=comment.question.consultation,
        comment=comment,
        changes=[field_change("quote", "text", None, quote.text)],
    )
    return quote


@transaction.atomic
def quote_remove(*, actor, quote: Quote) -> ModerationEntry | None:
    """Remove a key quote (the log keeps its words); None when it was already removed."""
    comment = _locked_comment(quote.comment)
    rules.check(actor, "quote", comment)
    removed = Quote.objects.filter(pk=quote.pk, comment=comment).delete()[0]
    if not removed:
        return None
    return _record(
        actor=actor,
        action=ModerationAction.REMOVE_QUOTE,
        consultation=comment.question.consultation,
        comment=comment,
        changes=[field_change("quote", "text", quote.text, None)],
    )


@transaction.atomic
def paper_use_set(*, actor, comment: Comment, section: str) -> PaperUse | None:
    """Mark a contribution as used in the paper, in this section; None when already so."""
    comment = _locked_comment(comment)
    rules.check(actor, "mark_paper_use", comment)
    section = " ".join(section.split())
    if not section:
        raise ValidationError(_("Say which section of the paper uses this contribution."))
    use = PaperUse.objects.filter(comment=comment).first()
    before = use.section if use else None
    if before == section:
        return None
    if use is None:
        use = PaperUse(comment=comment)
    use.section, use.marked_by = section, actor
    use.full_clean(exclude=["comment"])
    use.save()
    _record(
        actor=actor,
        action=ModerationAction.SET_PAPER_USE,
        consultation=comment.question.consultation,
        comment=comment,
        changes=[field_change("paperuse", "section", before, section)],
    )
    return use


@transaction.atomic
def paper_use_clear(*, actor, comment: Comment) -> ModerationEntry | None:
    """The paper no longer uses this contribution; None when it was not marked."""
    comment = _locked_comment(comment)
    rules.check(actor, "mark_paper_use", comment)
    use = PaperUse.objects.filter(comment=comment).first()
    if use is None:
        return None
    use.delete()
    return _record(
        actor=actor,
        action=ModerationAction.CLEAR_PAPER_USE,
        consultation=comment.question.consultation,
        comment=comment,
        changes=[field_change("paperuse", "section", use.section, None)],
    )


# --- Export ------------------------------------------------------------------------------


@transaction.atomic
def synthesis_export(
    *, actor, consultation: Consultation, file_format: str, site_url: str = ""
) -> exports.SynthesisFile:
    """The synthesis as a DOCX annex, Markdown or JSON, and an entry in the log.

    `site_url` ("https://consult.example.org") makes the links in the file absolute.
    """
    rules.check(actor, "export_synthesis", consultation)
    export = exports.export_synthesis(consultation, file_format, site_url=site_url)
    _record(
        actor=actor,
        action=ModerationAction.EXPORT_SYNTHESIS,
        consultation=consultation,
        reason=_("Format: %(format)s") % {"format": file_format.upper()},
    )
    return export
