"""What a change to a consultation's window will do, told to the secretariat before it is done.

`preview_window_change` applies the same model transition the service will
apply, to a copy that is never saved, so the confirmation page and the
service cannot disagree about what is allowed or what follows.
"""

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from consultations.models import Comment, Consultation, ConsultationState

RECENT = timedelta(hours=24)


@dataclass(frozen=True)
class WindowChange:
    action: str  # "open_now", "close_now", "extend" or "reschedule"
    now: datetime
    before: Consultation
    after: Consultation
    recent_contribution_count: int

    @property
    def state_before(self) -> ConsultationState:
        return self.before.state_at(self.now)

    @property
    def state_after(self) -> ConsultationState:
        return self.after.state_at(self.now)

    @property
    def stops_posting(self) -> bool:
        return self.state_before == ConsultationState.OPEN != self.state_after

    @property
    def starts_posting(self) -> bool:
        return self.state_after == ConsultationState.OPEN != self.state_before

    @property
    def publishes(self) -> bool:
        return not self.before.is_published and self.after.is_published

    @property
    def needs_confirmation(self) -> bool:
        """A live window, or one whose state the change flips, is changed only once confirmed."""
        return self.state_before == ConsultationState.OPEN or self.state_before != self.state_after


def preview_window_change(
    consultation: Consultation,
    action: str,
    *,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    now: datetime | None = None,
) -> WindowChange:
    """The consultation before and after `action`; raises the transition's ValidationError."""
    now = now or timezone.now()
    after = copy.copy(consultation)
    if action == "open_now":
        after.open_now(now)
    elif action == "close_now":
        after.close_now(now)
    elif action == "extend":
        after.extend(closes_at, now)
    elif action == "reschedule":
        after.reschedule(opens_at, closes_at)
    else:
        raise ValueError(f"Unknown window action {action!r}")
    recent = Comment.objects.filter(
        question__consultation=consultation, created_at__gte=now - RECENT
    ).count()
    return WindowChange(action, now, consultation, after, recent)
