"""The stakeholder's writes (posting, replying, editing, withdrawing) and the versions kept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.time_zones import zone_for
from consultations import limits, rules
from consultations.confirmations import say_beside
from consultations.forms import CommentForm, CommentWithAttachmentsForm
from consultations.models import Comment, CommentStatus, Consultation
from consultations.services.comments import comment_edit, comment_post, comment_withdraw
from forum.compiled_queries import compiled_rows
from forum.middleware import activates_consultation_zone
from notifications.services import followed_by_reader


def submit_comment(form, write):
    """Validate `form`, then run `write(**cleaned_data)`.

    Returns (comment, status): the written comment and 302, or None and the
    status to re-render the form with: 200 when the form is invalid, 403 when
    the rules refuse. On refusal the reason becomes a form error, so the
    person sees it above their own text, which the bound form keeps.
    """
    if not form.is_valid():
        return None, 200
    try:
        comment = write(body=form.cleaned_data["body"], language=form.cleaned_data["language"])
    except rules.Refused as refusal:
        form.add_error(None, refusal.message)
        return None, 403
    return comment, 302


def submit_post(request, form, *, question, parent=None):
    """Validate `form`, then post it as an answer to `question` (or a reply to `parent`).

    Returns (comment, status) like `submit_comment`, and 429 when an abuse
    limit is reached: the form keeps the text, the message says how long to
    wait and `form.retry_after` holds the seconds for the `Retry-After`
    header. A form sent again (same one-time token) gives back the comment it
    already stored, whatever the rules and limits say by now, and counts
    against no limit: it is looked for only when the post is refused, or
    given back by `comment_post`, so that a form sent once pays nothing for it.
    """
    if not form.is_valid():
        return None, 200
    text = {"body": form.cleaned_data["body"], "language": form.cleaned_data["language"]}
    token = form.cleaned_data["submission_token"]
    refusal = rules.posting_refusal(request.user, question, parent=parent)
    if refusal:
        return _stored_or_refused(request, form, token, text, message=refusal, status=403)
    usage = None
    try:
        if not rules.is_moderator_of(request.user, question.consultation):
            usage = limits.consume_posting(request, timezone.now())
        comment = comment_post(
            author=request.user,
            question=question,
            parent=parent,
            submission_token=token,
            attachments=form.cleaned_data.get("attachments", ()),
            **text,
        )
    except limits.LimitReached as limit:
        if usage is not None:
            usage.rollback()
        form.retry_after = limit.retry_after
        return _stored_or_refused(request, form, token, text, message=limit.message, status=429)
    except rules.Refused as refusal:
        if usage is not None:
            usage.rollback()
        form.add_error(None, refusal.message)
        return None, 403
    if comment.sent_before and usage is not None:
        usage.rollback()
    return comment, 302


def _stored_or_refused(request, form, token, text, *, message, status):
    """The comment an earlier send of this form stored, or the refusal shown on the form."""
    stored = Comment.objects.submitted_with(request.user, token, body=text["body"]).first()
    if stored is not None:
        return stored, 302
    form.add_error(None, message)
    return None, status


def render_comment_form_page(request, template, context, *, status):
    """Render a page with a comment form; a 429 says when to try again."""
    response = render(request, template, context, status=status)
    if status == 429:
        response["Retry-After"] = str(context["form"].retry_after)
    return response


def redirect_to_posted(request, comment):
    if comment.status == CommentStatus.PENDING:
        say_beside(
            request,
            comment,
            messages.INFO,
            _("Thank you. Your comment will appear once a moderator has approved it."),
        )
    else:
        say_beside(request, comment, messages.SUCCESS, _("Thank you. Your comment is published."))
    return redirect(comment.get_absolute_url())


def _visible_comments(reader, *, replying=False):
    """Comments this reader may see at all, with their question, consultation and author.

    A pending comment of someone else, or any comment of a draft, must not be
    quoted on the reply page. For a reply being sent, read in the same query:
    whether the reader follows the comment's question already, and the comment
    it answers itself, if any (which say whether posting must follow the
    question or look for a request for clarification the reply answers).
    """
    comments = Comment.objects.all()
    if replying:
        comments = comments.select_related("parent").annotate(
            reader_follows_question=followed_by_reader(reader, of="question", through="question_id")
        )
    return (
        comments.visible_to(reader)
        .filter(question__consultation__in=Consultation.objects.visible_to(reader))
        .select_related("question__consultation", "author")
    )


def _comment_in_visible_consultation(request, comment_id):
    """The comment, if this reader may see it at all: else 404, as for any page they can't see.

    The page is then read in its consultation's zone.
    """
    return _in_its_consultation_zone(
        request, get_object_or_404(_visible_comments(request.user), pk=comment_id)
    )


def _in_its_consultation_zone(request, comment):
    timezone.activate(zone_for(request.user, comment.question.consultation))
    return comment


# --- The comment replied to, its query compiled once ------------------------------------

# `_visible_comments` is the same query for every reader with the same roles but
# for two ids, the reader's and the comment's, and Django builds and compiles it
# anew for each request: 6-9 ms of CPU on the reply page and on every reply sent,
# where the database answers in a fraction of a millisecond. It is compiled once
# per database, kind (page or reply sent) and roles (forum/compiled_queries.py);
# tests/consultations/test_reply_lookup.py holds every kind of reader to what the
# query built for them finds.


def _visible_comment(reader, comment_id, *, replying=False) -> Comment | None:
    """`_visible_comments(reader, replying=replying).filter(pk=comment_id).first()`, from
    SQL compiled once for readers with the same roles."""
    found = compiled_rows(
        "comment replied to" if replying else "comment to reply to",
        lambda reader, comment_id: (
            _visible_comments(reader, replying=replying).filter(pk=comment_id).order_by()[:2]
        ),
        key=(rules.reader_roles(reader),),
        reader=reader,
        comment_id=comment_id,
    )
    return found[0] if len(found) == 1 else None


def _parent_to_reply_to(request, comment_id):
    """The comment replied to, if this reader may see it (else 404), read as
    `_visible_comments` says."""
    replying = request.method == "POST"
    parent = _visible_comment(request.user, comment_id, replying=replying)
    if parent is None:
        raise Http404("No comment matches the given query.")
    _in_its_consultation_zone(request, parent)
    if replying:
        parent.question.reader_follows = parent.reader_follows_question
    return parent


@require_http_methods(["GET", "POST"])
@activates_consultation_zone
def comment_reply(request, comment_id):
    """The no-JavaScript reply page: the parent quoted, the form under it."""
    parent = _parent_to_reply_to(request, comment_id)
    question = parent.question
    status = 200
    if request.method == "POST":
        form = CommentWithAttachmentsForm(request.POST, request.FILES)
        reply, status = submit_post(request, form, question=question, parent=parent)
        if reply is not None:
            return redirect_to_posted(request, reply)
    else:
        form = CommentWithAttachmentsForm()
    return render_comment_form_page(
        request,
        "consultations/comment_reply.html",
        {
            "parent": parent,
            "question": question,
            "consultation": question.consultation,
            "form": form,
            "reply_refusal": rules.refusal(request.user, "reply", parent),
        },
        status=status,
    )


def _say_what_the_edit_did(request, before: Comment, after: Comment) -> None:
    if after.edited_at == before.edited_at:
        say_beside(
            request,
            after,
            messages.INFO,
            _("Nothing changed: the text and its language are as they were."),
        )
    elif after.status == CommentStatus.PENDING and before.status == CommentStatus.PUBLISHED:
        say_beside(
            request,
            after,
            messages.INFO,
            _(
                "Your changes are saved. Your comment will appear again once a moderator "
                "has approved them."
            ),
        )
    else:
        say_beside(request, after, messages.SUCCESS, _("Your changes are saved."))


@login_required
@require_http_methods(["GET", "POST"])
@activates_consultation_zone
def comment_edit_view(request, comment_id):
    """The edit form. A refusal on sending (the window closed meanwhile) keeps the new text."""
    comment = _comment_in_visible_consultation(request, comment_id)
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST)
        edited, status = submit_comment(
            form, lambda **text: comment_edit(editor=request.user, comment=comment, **text)
        )
        if edited is not None:
            _say_what_the_edit_did(request, comment, edited)
            return redirect(edited.get_absolute_url())
    else:
        rules.check(request.user, "edit", comment)
        form = CommentForm(initial={"body": comment.body_source, "language": comment.language})
    return render(
        request,
        "consultations/comment_edit.html",
        {
            "comment": comment,
            "question": comment.question,
            "form": form,
            "goes_back_to_moderators": comment.status == CommentStatus.PUBLISHED
            and rules.needs_approval(request.user, comment.question.consultation),
        },
        status=status,
    )


@login_required
@require_GET
@activates_consultation_zone
def comment_revisions_view(request, comment_id):
    """Every version of a comment, newest first: for its author, moderators and the secretariat."""
    comment = _comment_in_visible_consultation(request, comment_id)
    rules.check(request.user, "read_revisions", comment)
    return render(
        request,
        "consultations/comment_revisions.html",
        {
            "comment": comment,
            "question": comment.question,
            "revisions": comment.revisions.newest_first(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@activates_consultation_zone
def comment_withdraw_view(request, comment_id):
    comment = _comment_in_visible_consultation(request, comment_id)
    rules.check(request.user, "withdraw", comment)
    if request.method == "POST":
        comment_withdraw(author=request.user, comment=comment)
        say_beside(
            request,
            comment,
            messages.SUCCESS,
            _("Your comment is withdrawn. Replies to it stay in place."),
        )
        return redirect(comment.get_absolute_url())
    return render(
        request,
        "consultations/comment_withdraw.html",
        {"comment": comment, "question": comment.question},
    )
