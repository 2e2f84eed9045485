"""Pages a visitor reads: the list, a consultation, a question with its thread."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from consultations import rules
from consultations.forms import CommentWithAttachmentsForm
from consultations.models import Comment, CommentLanguage, Consultation, parse_reference
from consultations.threads import consultation_threads, question_thread
from consultations.views.posting import (
    confirmations_beside,
    redirect_to_posted,
    render_comment_form_page,
    submit_post,
)

# Whether questions are shown in every language at once, remembered for a year
# in a cookie: a visitor has no profile, and no session is needed for it. The
# toggle is a link (`?questions=all` or `one`), so it works without JavaScript
# and in the archive's offline pages, which lead back to the site.
QUESTION_LANGUAGES_COOKIE = "roundtable_question_languages"
QUESTION_LANGUAGES_COOKIE_AGE = 365 * 24 * 60 * 60
QUESTION_LANGUAGES_PARAMETER = "questions"


def shows_questions_in_all_languages(request) -> bool:
    return request.COOKIES.get(QUESTION_LANGUAGES_COOKIE) == "all"


def _remember_question_languages(request):
    """For `?questions=all|one`: remember the choice, back to the same page without it."""
    choice = request.GET.get(QUESTION_LANGUAGES_PARAMETER)
    if choice is None:
        return None
    query = request.GET.copy()
    del query[QUESTION_LANGUAGES_PARAMETER]
    address = request.path + (f"?{query.urlencode()}" if query else "") + "#question-languages"
    response = redirect(address)
    if choice == "all":
        response.set_cookie(
            QUESTION_LANGUAGES_COOKIE,
            "all",
            max_age=QUESTION_LANGUAGES_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(QUESTION_LANGUAGES_COOKIE, samesite="Lax")
    return response


@require_GET
def consultation_list(request):
    consultations = Consultation.objects.visible_to(request.user).in_listing_order()
    return render(request, "consultations/consultation_list.html", {"consultations": consultations})


def _get_consultation(request, slug):
    return get_object_or_404(
        Consultation.objects.visible_to(request.user).prefetch_related("moderators"), slug=slug
    )


@require_GET
def consultation_detail(request, slug):
    consultation = _get_consultation(request, slug)
    if remembered := _remember_question_languages(request):
        return remembered
    threads = consultation_threads(consultation, request.user)
    shown = (entry.comment for thread in threads for entry in thread.entries)
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "threads": threads,
            "comment_confirmations": confirmations_beside(request, shown),
            "moderator_ids": consultation.moderator_ids(),
            "answer_refusal": rules.contributing_refusal(request.user, consultation),
            "background_documents": consultation.background_documents.all(),
            "reply_form": CommentWithAttachmentsForm(),
            "all_languages": shows_questions_in_all_languages(request),
        },
    )


@require_http_methods(["GET", "POST"])
def question_detail(request, slug, number):
    consultation = _get_consultation(request, slug)
    question = get_object_or_404(consultation.questions, number=number)
    question.consultation = consultation
    status = 200
    if request.method == "POST":
        form = CommentWithAttachmentsForm(request.POST, request.FILES)
        answer, status = submit_post(request, form, question=question)
        if answer is not None:
            return redirect_to_posted(request, answer)
    else:
        if remembered := _remember_question_languages(request):
            return remembered
        form = CommentWithAttachmentsForm()
    language = request.GET.get("language")
    if language not in CommentLanguage.values:
        language = None
    thread = question_thread(question, request.user, language=language)
    shown = (entry.comment for entry in thread.entries)
    return render_comment_form_page(
        request,
        "consultations/question_detail.html",
        {
            "consultation": consultation,
            "question": question,
            "thread": thread,
            "comment_confirmations": confirmations_beside(request, shown),
            "language_filter": language,
            "moderator_ids": consultation.moderator_ids(),
            "form": form,
            "reply_form": CommentWithAttachmentsForm(),
            "comment_languages": CommentLanguage.choices,
            "answer_refusal": rules.posting_refusal(request.user, question),
            "all_languages": shows_questions_in_all_languages(request),
        },
        status=status,
    )


@require_GET
def comment_by_reference(request, slug, reference):
    """`Q3-17` in this consultation: to the comment's place in its thread (its placeholder if
    hidden or withdrawn); a reference that does not exist is a 404 that says so."""
    consultation = _get_consultation(request, slug)
    parsed = parse_reference(reference)
    comment = (
        Comment.objects.for_consultation(consultation)
        .filter(question__number=parsed[0], reference_number=parsed[1])
        .select_related("question")
        .first()
        if parsed
        else None
    )
    if comment is None:
        return render(
            request,
            "consultations/reference_not_found.html",
            {"consultation": consultation, "reference": reference},
            status=404,
        )
    comment.question.consultation = consultation
    if not Comment.objects.visible_to(request.user).filter(pk=comment.pk).exists():
        # Published once, now back with the moderators after an edit.
        messages.info(
            request,
            _("Contribution %(reference)s is awaiting a moderator's approval after an edit.")
            % {"reference": comment.reference},
        )
        return redirect(comment.question.get_absolute_url())
    return redirect(comment.get_absolute_url())
