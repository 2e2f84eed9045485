"""The one answer to "may this user do this to that?".

Views, services and templates all ask here. Each rule is a function that
returns a refusal message (a translated sentence saying why not) or None;
`may()` is the yes/no form, `check()` raises `Refused` for services.

Roles: a stakeholder is any active user with a verified email address; a
moderator is named on a consultation, or holds the global
`moderate_every_consultation` permission (the "Moderators" group); the
secretariat holds `manage_consultations` (the "Secretariat" group).
"""

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.time_zones import moment_in_words
from consultations.models import (
    ClarificationRequest,
    Comment,
    CommentStatus,
    Consultation,
    ConsultationState,
    Question,
)


class Refused(PermissionDenied):
    """An action this user may not take; the message says why, for a person to read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _local_datetime_in_words(moment) -> str:
    return moment_in_words(moment)


# --- Who is who -------------------------------------------------------------


def is_verified(user) -> bool:
    """An active user with at least one verified email address (cached on the user)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_roundtable_is_verified"):
        # Read with the person at sign-in, per request (accounts.backends), or here.
        known = getattr(user, "has_verified_email", None)
        user._roundtable_is_verified = (
            known
            if known is not None
            else EmailAddress.objects.filter(user=user, verified=True).exists()
        )
    return user._roundtable_is_verified


def can_manage_consultations(user) -> bool:
    return user.is_authenticated and user.has_perm("consultations.manage_consultations")


def can_moderate_every_consultation(user) -> bool:
    return user.is_authenticated and user.has_perm("consultations.moderate_every_consultation")


def _moderated_consultation_ids(user) -> set[int]:
    if not hasattr(user, "_roundtable_moderated_ids"):
        # Someone known at sign-in (accounts.backends) to moderate nothing has nothing to read.
        user._roundtable_moderated_ids = (
            set()
            if getattr(user, "moderates_a_consultation", None) is False
            else set(user.moderated_consultations.values_list("pk", flat=True))
        )
    return user._roundtable_moderated_ids


def is_moderator_of(user, consultation: Consultation) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return can_moderate_every_consultation(user) or consultation.pk in _moderated_consultation_ids(
        user
    )


def is_moderator_anywhere(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return can_moderate_every_consultation(user) or bool(_moderated_consultation_ids(user))


def reader_roles(reader) -> tuple:
    """What the querysets of comments and consultations read of a reader besides their id
    (`Comment.visible_to`, `Consultation.visible_to`): readers alike in these are given
    the same SQL. Should those querysets ever read another fact of the reader, it
    belongs here (tests/consultations/test_reply_lookup.py and test_compiled_pages.py
    fail until it is)."""
    return (
        reader.is_authenticated,
        can_moderate_every_consultation(reader),
        can_manage_consultations(reader),
        # Known at sign-in to moderate nothing: Comment.visible_to then leaves out the
        # moderators' subquery (None when not known, as for someone read otherwise).
        getattr(reader, "moderates_a_consultation", None),
    )


def needs_approval(user, consultation: Consultation) -> bool:
    """Whether what this user posts or edits here waits for a moderator first."""
    return consultation.is_pre_moderated and not is_moderator_of(user, consultation)


# --- Refusals -----------------------------------------------------------------


def _with_moment(message: str, moment) -> str:
    return gettext(message) % {"moment": _local_datetime_in_words(moment)}


# Refusals are lazy: a page asks `may()` for every comment and only needs the
# yes or no; the sentence is translated and dated only if someone reads it.
_lazy_with_moment = lazy(_with_moment, str)


def _window_refusal(consultation: Consultation, now=None) -> str | None:
    now = now or timezone.now()
    state = consultation.state_at(now)
    if state == ConsultationState.OPEN:
        return None
    if state == ConsultationState.CLOSED:
        return _lazy_with_moment(
            gettext_noop(
                "This consultation closed on %(moment)s; it no longer takes contributions."
            ),
            consultation.closes_at,
        )
    if state == ConsultationState.UPCOMING:
        return _lazy_with_moment(
            gettext_noop(
                "This consultation opens on %(moment)s; contributions are welcome from then."
            ),
            consultation.opens_at,
        )
    return _("This consultation is not published yet.")


def _stakeholder_refusal(user) -> str | None:
    if not user.is_authenticated:
        return _("Log in to post a comment.")
    if not is_verified(user):
        return _(
            "Please verify your email address before you post: follow the link in the "
            "email we sent you."
        )
    return None


def contributing_refusal(user, consultation: Consultation, now=None):
    """Why this user may not contribute to this consultation at all (account, window), or None."""
    return _stakeholder_refusal(user) or _window_refusal(consultation, now)


def posting_refusal(user, question: Question, *, parent: Comment | None = None, now=None):
    """Why this user may not answer this question (or reply to `parent`), or None."""
    refusal = contributing_refusal(user, question.consultation, now)
    if refusal:
        return refusal
    if question.is_locked:
        return _("A moderator has locked this question; it takes no new comments.")
    if parent is not None:
        if parent.question_id != question.pk:
            return _("You can only reply to a comment on the same question.")
        if parent.status != CommentStatus.PUBLISHED and not is_moderator_of(
            user, question.consultation
        ):
            return _("This comment cannot take replies.")
    return None


def editing_refusal(user, comment: Comment, now=None):
    if not user.is_authenticated or comment.author_id != user.pk:
        return _("Only the author can change a comment.")
    if comment.status not in (CommentStatus.PUBLISHED, CommentStatus.PENDING):
        return _("This comment can no longer be changed.")
    return (
        _stakeholder_refusal(user)
        or _window_refusal(comment.question.consultation, now)
        or (
            _("A moderator has locked this question; it takes no new comments.")
            if comment.question.is_locked
            else None
        )
    )


def revisions_refusal(user, comment: Comment):
    """The earlier versions of a comment are for its author, its moderators and the secretariat."""
    if user.is_authenticated and user.is_active and comment.author_id == user.pk:
        return None
    if is_moderator_of(user, comment.question.consultation) or can_manage_consultations(user):
        return None
    return _("Only the author, the moderators and the secretariat can see earlier versions.")


def withdrawing_refusal(user, comment: Comment, now=None):
    if not user.is_authenticated or comment.author_id != user.pk:
        return _("Only the author can withdraw a comment.")
    if comment.status == CommentStatus.WITHDRAWN:
        return _("This comment has already been withdrawn.")
    if comment.status == CommentStatus.HIDDEN:
        return _("A moderator has hidden this comment.")
    return _window_refusal(comment.question.consultation, now)


def reporting_refusal(user, comment: Comment, now=None):
    refusal = _stakeholder_refusal(user)
    if refusal:
        return _("Log in to report a comment.") if not user.is_authenticated else refusal
    if comment.author_id == user.pk:
        return _("You cannot report your own comment.")
    if comment.status != CommentStatus.PUBLISHED:
        return _("Only published comments can be reported.")
    return _window_refusal(comment.question.consultation, now)


def downloading_refusal(user, comment: Comment):
    """Why this user may not open this comment's files: whoever may read its text may.

    The secretariat may open every file, as its exports list every comment.
    """
    consultation = comment.question.consultation
    if can_manage_consultations(user) or comment.status == CommentStatus.PUBLISHED:
        return None
    if comment.status == CommentStatus.PENDING:
        if (user.is_authenticated and comment.author_id == user.pk) or is_moderator_of(
            user, consultation
        ):
            return None
        return _("This comment is awaiting moderation; its files open once it is published.")
    if comment.status == CommentStatus.HIDDEN:
        if is_moderator_of(user, consultation):
            return None
        return _("A moderator has hidden this comment, and its files with it.")
    return _("Its author has withdrawn this comment, and its files with it.")


def archive_download_refusal(user, consultation: Consultation):
    """A consultation's sealed records are the public record: anyone who may read it may."""
    if consultation.is_published or can_manage_consultations(user):
        return None
    return _("This consultation is not published.")


def moderating_refusal(user, consultation: Consultation):
    if not is_moderator_of(user, consultation):
        return _("Only this consultation's moderators can do that.")
    return None


def clarification_refusal(user, comment: Comment):
    """Why this user may not ask the author of `comment` to clarify it, or None."""
    refusal = moderating_refusal(user, comment.question.consultation)
    if refusal:
        return refusal
    if comment.author_id == user.pk:
        return _("You cannot ask yourself for clarification.")
    return ClarificationRequest.refusal_for(comment)


def queue_refusal(user):
    if not is_moderator_anywhere(user):
        return _("Only moderators can see the moderation queue.")
    return None


def secretariat_refusal(user):
    if not can_manage_consultations(user):
        return _("Only the secretariat can do that.")
    return None


# --- The single entry point --------------------------------------------------------


def _consultation_of(target) -> Consultation:
    if isinstance(target, Consultation):
        return target
    if isinstance(target, Question):
        return target.consultation
    return target.question.consultation


_RULES = {
    "post": lambda user, question: posting_refusal(user, question),
    "reply": lambda user, comment: posting_refusal(user, comment.question, parent=comment),
    "edit": editing_refusal,
    "read_revisions": revisions_refusal,
    "withdraw": withdrawing_refusal,
    "report": reporting_refusal,
    "download": downloading_refusal,
    "download_archive": archive_download_refusal,
    "moderate": lambda user, target: moderating_refusal(user, _consultation_of(target)),
    "approve": lambda user, comment: moderating_refusal(user, _consultation_of(comment)),
    "hide": lambda user, comment: moderating_refusal(user, _consultation_of(comment)),
    "restore": lambda user, comment: moderating_refusal(user, _consultation_of(comment)),
    "dismiss_reports": lambda user, comment: moderating_refusal(user, _consultation_of(comment)),
    "request_clarification": clarification_refusal,
    "close_clarification": lambda user, request: moderating_refusal(
        user, request.comment.question.consultation
    ),
    "lock": lambda user, question: moderating_refusal(user, _consultation_of(question)),
    "unlock": lambda user, question: moderating_refusal(user, _consultation_of(question)),
    "read_queue": lambda user, target=None: queue_refusal(user),
    "manage": lambda user, target=None: secretariat_refusal(user),
    "export": lambda user, target=None: secretariat_refusal(user),
    "read_log": lambda user, target=None: secretariat_refusal(user),
    "read_statistics": lambda user, target=None: secretariat_refusal(user),
    "merge_organisations": lambda user, target=None: secretariat_refusal(user),
}

ACTIONS = frozenset(_RULES)


def refusal(user, action: str, target=None) -> str | None:
    """Why `user` may not do `action` to `target`, or None when they may."""
    return _RULES[action](user, target)


def may(user, action: str, target=None) -> bool:
    return refusal(user, action, target) is None


def check(user, action: str, target=None) -> None:
    """Raise `Refused` (a 403) unless `user` may do `action` to `target`."""
    message = refusal(user, action, target)
    if message is not None:
        raise Refused(message)


# --- The synthesis workbench (synthesis/) ----------------------------------------------
# The secretariat, and the moderators of a consultation, read its contributions
# for the background paper: a codebook of themes, tags, key quotes and where a
# contribution is used. Only published contributions are read.


def _synthesis_reader_refusal(user, consultation: Consultation):
    if can_manage_consultations(user) or is_moderator_of(user, consultation):
        return None
    return _("Only the secretariat and this consultation's moderators can work on its synthesis.")


def synthesis_reading_refusal(user, consultation: Consultation):
    """Why this user may not see the synthesis page and the codebook, or None."""
    return _synthesis_reader_refusal(user, consultation)


def codebook_refusal(user, consultation: Consultation):
    """Why this user may not add or change the themes of this consultation's codebook, or None."""
    return _synthesis_reader_refusal(user, consultation)


def _unpublished_refusal(comment: Comment, sentence):
    return None if comment.status == CommentStatus.PUBLISHED else sentence


def tagging_refusal(user, comment: Comment):
    """Why this user may not add or remove themes on this contribution, or None."""
    return _synthesis_reader_refusal(user, _consultation_of(comment)) or _unpublished_refusal(
        comment,
        _(
            "Only published contributions can be tagged: this one is awaiting moderation, "
            "hidden or withdrawn."
        ),
    )


def quoting_refusal(user, comment: Comment):
    """Why this user may not mark or remove key quotes of this contribution, or None."""
    return _synthesis_reader_refusal(user, _consultation_of(comment)) or _unpublished_refusal(
        comment,
        _(
            "Only published contributions can be quoted: this one is awaiting moderation, "
            "hidden or withdrawn."
        ),
    )


def paper_use_refusal(user, comment: Comment):
    """Why this user may not mark this contribution as used in the paper (or unmark it), or None."""
    return _synthesis_reader_refusal(user, _consultation_of(comment)) or _unpublished_refusal(
        comment,
        _(
            "Only published contributions can be used in the paper: this one is awaiting "
            "moderation, hidden or withdrawn."
        ),
    )


def synthesis_export_refusal(user, consultation: Consultation):
    """Why this user may not download the synthesis (names and organisations in it), or None."""
    return _synthesis_reader_refusal(user, consultation)


_RULES.update(
    {
        "read_synthesis": lambda user, target: synthesis_reading_refusal(
            user, _consultation_of(target)
        ),
        "edit_codebook": lambda user, target: codebook_refusal(user, _consultation_of(target)),
        "tag": tagging_refusal,
        "quote": quoting_refusal,
        "mark_paper_use": paper_use_refusal,
        "export_synthesis": lambda user, target: synthesis_export_refusal(
            user, _consultation_of(target)
        ),
    }
)
ACTIONS = frozenset(_RULES)


# --- Translations of contributions ---------------------------------------------------
# The secretariat translates, and so do the people it makes translators (the
# "Translators" group, granted in the admin).


def can_translate(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (
            user.has_perm("consultations.translate_contributions") or can_manage_consultations(user)
        )
    )


def translating_refusal(user, comment: Comment):
    """Why this user may not translate this contribution (into any language), or None."""
    if not can_translate(user):
        return _("Only the secretariat and its translators can translate contributions.")
    return _unpublished_refusal(
        comment,
        _(
            "Only published contributions can be translated: this one is awaiting "
            "moderation, hidden or withdrawn."
        ),
    )


_RULES["translate"] = translating_refusal
ACTIONS = frozenset(_RULES)
