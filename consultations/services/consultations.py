"""The secretariat's writes: consultations, questions, windows and exports.

Each service checks `rules` first, runs in one transaction and appends the
ModerationEntry that records it. A request that the rules allow but the
consultation's state does not (closing a consultation that is not open, an
extension that ends earlier) raises a ValidationError whose message says why;
views show it and nothing is written.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations import exports, rules
from consultations.models import (
    Consultation,
    ModerationAction,
    ModerationEntry,
    Question,
    field_change,
)
from consultations.tasks import enqueue_archive


def _record(
    *, actor, action: str, consultation: Consultation, question=None, reason="", changes=()
):
    ModerationEntry.objects.create(
        actor=actor,
        action=action,
        consultation=consultation,
        question=question,
        reason=reason,
        changes=list(changes),
    )


def _window_changes(before: Consultation, opens_at: datetime, closes_at: datetime) -> list[dict]:
    return [
        field_change("consultation", name, getattr(before, name), value)
        for name, value in (("opens_at", opens_at), ("closes_at", closes_at))
        if getattr(before, name) != value
    ]


def _locked(consultation: Consultation) -> Consultation:
    """The consultation row, locked until the transaction ends, so two window changes queue."""
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _apply(instance, values: Mapping[str, Any]) -> list[dict]:
    """Set the given field values; return what changed, for the log."""
    changes = []
    model = instance._meta.model_name
    for name, value in values.items():
        before = getattr(instance, name)
        if before != value:
            setattr(instance, name, value)
            changes.append(field_change(model, name, before, value))
    return changes


# --- Consultations and questions ------------------------------------------------------


@transaction.atomic
def consultation_create(*, actor, values: Mapping[str, Any], moderators=()) -> Consultation:
    """Create a consultation from validated field values (translated fields by language)."""
    rules.check(actor, "manage")
    consultation = Consultation(**values)
    consultation.full_clean(exclude=["moderators"])
    consultation.save()
    consultation.moderators.set(moderators)
    _record(actor=actor, action=ModerationAction.CREATE_CONSULTATION, consultation=consultation)
    return consultation


@transaction.atomic
def consultation_edit(
    *, actor, consultation: Consultation, values: Mapping[str, Any], moderators=None
) -> Consultation:
    """Change a consultation's fields (and, when given, its moderators); log what changed."""
    rules.check(actor, "manage", consultation)
    consultation = _locked(consultation)
    changes = _apply(consultation, values)
    consultation.full_clean(exclude=["moderators"])
    consultation.save()
    if moderators is not None:
        before = list(consultation.moderators.all())
        if {moderator.pk for moderator in before} != {moderator.pk for moderator in moderators}:
            consultation.moderators.set(moderators)
            changes.append(field_change("consultation", "moderators", before, list(moderators)))
    _record(
        actor=actor,
        action=ModerationAction.EDIT_CONSULTATION,
        consultation=consultation,
        changes=changes,
    )
    return consultation


def _save_question(question: Question) -> None:
    """Save, turning a number taken meanwhile by someone else into a form error, not a 500."""
    try:
        with transaction.atomic():
            question.save()
    except IntegrityError as error:
        raise ValidationError(
            {"number": _("This consultation already has a question with this number.")}
        ) from error


@transaction.atomic
def question_create(*, actor, consultation: Consultation, values: Mapping[str, Any]) -> Question:
    """Add a numbered question to a consultation."""
    rules.check(actor, "manage", consultation)
    question = Question(consultation=consultation, **values)
    _save_question(question)
    _record(
        actor=actor,
        action=ModerationAction.CREATE_QUESTION,
        consultation=consultation,
        question=question,
    )
    return question


@transaction.atomic
def question_edit(*, actor, question: Question, values: Mapping[str, Any]) -> Question:
    """Change a question's number, texts or lock; log what changed."""
    rules.check(actor, "manage", question.consultation)
    question = (
        Question.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .get(pk=question.pk)
    )
    changes = _apply(question, values)
    _save_question(question)
    _record(
        actor=actor,
        action=ModerationAction.EDIT_QUESTION,
        consultation=question.consultation,
        question=question,
        changes=changes,
    )
    return question


# --- The window -------------------------------------------------------------------------
# The state of a consultation is always read from the clock (opens_at, closes_at,
# now); these services only move the two dates, so no scheduled job is needed.


@transaction.atomic
def consultation_open_now(*, actor, consultation: Consultation) -> Consultation:
    """Open (and publish) the consultation from this moment; it keeps its closing date."""
    rules.check(actor, "manage", consultation)
    consultation = _locked(consultation)
    before = Consultation(opens_at=consultation.opens_at, closes_at=consultation.closes_at)
    consultation.open_now(timezone.now())
    consultation.save(update_fields=["opens_at", "is_published", "updated_at"])
    _record(
        actor=actor,
        action=ModerationAction.OPEN_NOW,
        consultation=consultation,
        changes=_window_changes(before, consultation.opens_at, consultation.closes_at),
    )
    return consultation


@transaction.atomic
def consultation_close_now(*, actor, consultation: Consultation) -> Consultation:
    """Close an open consultation at this moment: it stays readable and takes no more posts.

    Once committed, the worker writes its sealed record (consultations.tasks).
    """
    rules.check(actor, "manage", consultation)
    consultation = _locked(consultation)
    previous = consultation.closes_at
    consultation.close_now(timezone.now())
    consultation.save(update_fields=["closes_at", "updated_at"])
    _record(
        actor=actor,
        action=ModerationAction.CLOSE_NOW,
        consultation=consultation,
        changes=[field_change("consultation", "closes_at", previous, consultation.closes_at)],
    )
    enqueue_archive(consultation)
    return consultation


@transaction.atomic
def consultation_extend(*, actor, consultation: Consultation, closes_at: datetime) -> Consultation:
    """Move the closing date later (this reopens a closed consultation until then)."""
    rules.check(actor, "manage", consultation)
    consultation = _locked(consultation)
    previous = consultation.closes_at
    consultation.extend(closes_at, timezone.now())
    consultation.save(update_fields=["closes_at", "updated_at"])
    _record(
        actor=actor,
        action=ModerationAction.RESCHEDULE,
        consultation=consultation,
        changes=[field_change("consultation", "closes_at", previous, consultation.closes_at)],
    )
    return consultation


@transaction.atomic
def consultation_reschedule(
    *, actor, consultation: Consultation, opens_at: datetime, closes_at: datetime
) -> Consultation:
    """Give the consultation a new window; its state follows from the clock."""
    rules.check(actor, "manage", consultation)
    consultation = _locked(consultation)
    before = Consultation(opens_at=consultation.opens_at, closes_at=consultation.closes_at)
    consultation.reschedule(opens_at, closes_at)
    consultation.save(update_fields=["opens_at", "closes_at", "updated_at"])
    _record(
        actor=actor,
        action=ModerationAction.RESCHEDULE,
        consultation=consultation,
        changes=_window_changes(before, opens_at, closes_at),
    )
    return consultation


# --- Export -----------------------------------------------------------------------------


@transaction.atomic
def contributions_export(
    *, actor, consultation: Consultation, file_format: str
) -> exports.ExportFile:
    """Every contribution of a consultation as a file, and an EXPORT entry in the log.

    `actor` is the secretariat member asking through the site, or None for the
    `export_consultation` management command (the server's operator, who needs
    no site account).
    """
    if actor is not None:
        rules.check(actor, "export", consultation)
    export = exports.export_contributions(consultation, file_format)
    reason = (
        _("Format: %(format)s") if actor is not None else _("Format: %(format)s, command line")
    ) % {"format": file_format.upper()}
    _record(actor=actor, action=ModerationAction.EXPORT, consultation=consultation, reason=reason)
    return export
