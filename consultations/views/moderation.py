"""The moderation queue, reports, and moderators' actions (each a POST form that works without JS).

Anonymous people are sent to log in; a logged-in person without the right
gets 403 from `rules` and nothing is written.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consultations import limits, rules
from consultations.confirmations import say_beside
from consultations.forms import (
    ClarificationRequestForm,
    DecisionReasonForm,
    HideForm,
    ReportForm,
)
from consultations.models import (
    ClarificationRequest,
    Comment,
    Consultation,
    Question,
    TransitionRefused,
    attach_thread_pages,
)
from consultations.services.clarifications import clarification_close
from consultations.services.moderation import (
    comment_approve,
    comment_dismiss_reports,
    comment_hide,
    comment_report,
    comment_request_clarification,
    comment_restore,
    question_lock,
    question_unlock,
)

# A queue of a thousand reported comments took 22 s to open in a browser.
QUEUE_COMMENTS_PER_PAGE = 25


def _get_comment(comment_id) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("question__consultation", "author"), pk=comment_id
    )


def _get_question(slug, number) -> Question:
    return get_object_or_404(
        Question.objects.select_related("consultation"), consultation__slug=slug, number=number
    )


def _back(request, default: str):
    """Back to where the form was (a safe `next`), or to `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _act(request, write, *, done: str, unchanged: str, default: str, comment=None):
    """Run a moderation service and say what came of it: done, nothing to do, or not possible.

    What is said about a `comment` shows inside it when the page opens at it.
    """

    def say(level, text):
        if comment is None:
            messages.add_message(request, level, text)
        else:
            say_beside(request, comment, level, text)

    try:
        entry = write()
    except TransitionRefused as refusal:
        say(messages.ERROR, refusal.message)
    else:
        if entry is None:
            say(messages.INFO, unchanged)
        else:
            say(messages.SUCCESS, done)
    return _back(request, default)


@login_required
@require_GET
def moderation_queue(request):
    rules.check(request.user, "read_queue")
    comments = (
        Comment.objects.moderated_by(request.user).awaiting_moderation().with_moderation_context()
    )
    consultations = Consultation.objects.moderated_by(request.user)
    questions = Question.objects.filter(
        consultation__in=consultations.open() | consultations.upcoming()
    ).select_related("consultation")
    clarification_requests = list(
        ClarificationRequest.objects.open().moderated_by(request.user).with_context().oldest_first()
    )
    page = Paginator(comments, QUEUE_COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    attach_thread_pages(
        [
            *page.object_list,
            *(comment.parent for comment in page.object_list),
            *(asked.comment for asked in clarification_requests),
            *(asked.follow_up for asked in clarification_requests),
        ]
    )
    return render(
        request,
        "consultations/moderation/queue.html",
        {
            "comments": page.object_list,
            "page": page,
            "questions": questions.order_by("consultation__slug", "number"),
            "clarification_requests": clarification_requests,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_report_view(request, comment_id):
    comment = _get_comment(comment_id)
    if comment.reports.by(request.user).exists():
        say_beside(request, comment, messages.INFO, _("You have already reported this comment."))
        return redirect(comment.get_absolute_url())
    rules.check(request.user, "report", comment)
    form = ReportForm(request.POST) if request.method == "POST" else ReportForm()
    if form.is_valid():
        try:
            usage = limits.consume_reporting(request)
        except limits.LimitReached as limit:
            form.add_error(None, limit.message)
            response = render(
                request,
                "consultations/moderation/comment_report.html",
                {"comment": comment, "form": form},
                status=429,
            )
            response["Retry-After"] = str(limit.retry_after)
            return response
        _report, created = comment_report(
            reporter=request.user, comment=comment, **form.cleaned_data
        )
        if created:
            say_beside(
                request,
                comment,
                messages.SUCCESS,
                _("Thank you. The moderators will review this comment."),
            )
        else:
            usage.rollback()
            say_beside(
                request, comment, messages.INFO, _("You have already reported this comment.")
            )
        return redirect(comment.get_absolute_url())
    return render(
        request, "consultations/moderation/comment_report.html", {"comment": comment, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_hide_view(request, comment_id):
    comment = _get_comment(comment_id)
    rules.check(request.user, "hide", comment)
    form = HideForm(request.POST) if request.method == "POST" else HideForm()
    if form.is_valid():
        return _act(
            request,
            lambda: comment_hide(
                moderator=request.user, comment=comment, reason=form.cleaned_data["reason"]
            ),
            done=_("The comment is hidden; the reason is shown in its place."),
            unchanged=_("This comment was already hidden."),
            default=comment.get_absolute_url(),
            comment=comment,
        )
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return render(
        request,
        "consultations/moderation/comment_hide.html",
        {"comment": comment, "form": form, "next_url": next_url},
    )


def _decide_with_optional_reason(
    request, comment, action: str, decide, *, done: str, unchanged: str
):
    """Approve or restore with the reason the moderator may give; a too long one is sent back."""
    rules.check(request.user, action, comment)
    form = DecisionReasonForm(request.POST)
    if not form.is_valid():
        say_beside(request, comment, messages.ERROR, form.errors["reason"][0])
        return _back(request, comment.get_absolute_url())
    return _act(
        request,
        lambda: decide(moderator=request.user, comment=comment, reason=form.cleaned_data["reason"]),
        done=done,
        unchanged=unchanged,
        default=comment.get_absolute_url(),
        comment=comment,
    )


@require_POST
@login_required
def comment_approve_view(request, comment_id):
    return _decide_with_optional_reason(
        request,
        _get_comment(comment_id),
        "approve",
        comment_approve,
        done=_("The comment is approved and published."),
        unchanged=_("This comment was already published."),
    )


@require_POST
@login_required
def comment_restore_view(request, comment_id):
    return _decide_with_optional_reason(
        request,
        _get_comment(comment_id),
        "restore",
        comment_restore,
        done=_("The comment is shown again."),
        unchanged=_("This comment was already shown."),
    )


@require_POST
@login_required
def comment_dismiss_reports_view(request, comment_id):
    comment = _get_comment(comment_id)
    return _act(
        request,
        lambda: comment_dismiss_reports(moderator=request.user, comment=comment),
        done=_("The reports are dismissed."),
        unchanged=_("This comment had no open reports."),
        default=comment.get_absolute_url(),
        comment=comment,
    )


@require_POST
@login_required
def question_lock_view(request, slug, number):
    question = _get_question(slug, number)
    return _act(
        request,
        lambda: question_lock(moderator=request.user, question=question),
        done=_("The question is locked; it takes no new comments."),
        unchanged=_("This question was already locked."),
        default=question.get_absolute_url(),
    )


@require_POST
@login_required
def question_unlock_view(request, slug, number):
    question = _get_question(slug, number)
    return _act(
        request,
        lambda: question_unlock(moderator=request.user, question=question),
        done=_("The question is unlocked; it takes comments again."),
        unchanged=_("This question was not locked."),
        default=question.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_request_clarification_view(request, comment_id):
    """Ask the author to clarify: the message becomes the moderator's reply under the comment.

    A refusal (the comment was withdrawn meanwhile, the window closed) shows the form
    again with the message in it and says why.
    """
    comment = _get_comment(comment_id)
    rules.check(request.user, "request_clarification", comment)
    form = ClarificationRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_valid():
        try:
            comment_request_clarification(
                moderator=request.user,
                comment=comment,
                message=form.cleaned_data["message"],
                language=get_language(),
            )
        except (TransitionRefused, rules.Refused) as refusal:
            form.add_error(None, refusal.message)
            status = 403 if isinstance(refusal, rules.Refused) else 409
        else:
            say_beside(
                request,
                comment,
                messages.SUCCESS,
                _("Your request is posted under the comment; its author is told by email."),
            )
            return redirect(comment.get_absolute_url())
    return render(
        request,
        "consultations/moderation/comment_request_clarification.html",
        {"comment": comment, "form": form},
        status=status,
    )


@require_POST
@login_required
def clarification_close_view(request, request_id):
    clarification_request = get_object_or_404(
        ClarificationRequest.objects.with_context(), pk=request_id
    )
    return _act(
        request,
        lambda: clarification_close(moderator=request.user, request=clarification_request),
        done=_("The request for clarification is closed."),
        unchanged=_("This request for clarification was already closed."),
        default=reverse("consultations:moderation_queue"),
    )
