"""Pages a visitor reads: the list, a consultation, a question with its thread."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.time_zones import zone_for
from consultations import rules
from consultations.answer_blocks import render_page_of_answers
from consultations.comment_views import CommentReader
from consultations.confirmations import confirmations_beside
from consultations.forms import CommentWithAttachmentsForm
from consultations.models import (
    Comment,
    CommentLanguage,
    Consultation,
    Question,
    parse_reference,
)
from consultations.page_cache import (
    ANSWER_ORDER_COOKIE,
    QUESTION_LANGUAGES_COOKIE,
    kept_visitor_page,
    signed_in_part_key,
    visitor_page,
    with_csrf_token,
)
from consultations.threads import (
    ANSWER_ORDERS,
    NEWEST_FIRST,
    OLDEST_FIRST,
    consultation_threads,
    question_thread,
)
from consultations.views.posting import (
    redirect_to_posted,
    render_comment_form_page,
    submit_post,
)
from forum.compiled_queries import compiled_rows
from forum.middleware import activates_consultation_zone
from notifications.services import followed_by_reader

# Whether questions are shown in every language at once, remembered for a year
# in a cookie: a visitor has no profile, and no session is needed for it. The
# toggle is a link (`?questions=all` or `one`), so it works without JavaScript
# and in the archive's offline pages, which lead back to the site.
QUESTION_LANGUAGES_COOKIE_AGE = 365 * 24 * 60 * 60
QUESTION_LANGUAGES_PARAMETER = "questions"


# Whether a question's answers come oldest or newest first, chosen with a link
# (`?answers=newest` or `oldest`), remembered the same way. The pages' own
# links carry the order they were made in (`?order=newest&page=2`), so a
# copied link shows the same answers to anyone.
ANSWER_ORDER_CHOICE_PARAMETER = "answers"
ANSWER_ORDER_PARAMETER = "order"
PAGE_PARAMETER = "page"
WHOLE_THREAD = 10**9
ANSWER_ORDER_LABELS = [
    (OLDEST_FIRST, gettext_lazy("Oldest first")),
    (NEWEST_FIRST, gettext_lazy("Newest first")),
]


def shows_questions_in_all_languages(request) -> bool:
    return request.COOKIES.get(QUESTION_LANGUAGES_COOKIE) == "all"


def _keep_in_cookie(response, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=QUESTION_LANGUAGES_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _address(request, query) -> str:
    return request.path + (f"?{query.urlencode()}" if query else "")


def _remember_question_languages(request):
    """For `?questions=all|one`: remember the choice, back to the same page without it."""
    choice = request.GET.get(QUESTION_LANGUAGES_PARAMETER)
    if choice is None:
        return None
    query = request.GET.copy()
    del query[QUESTION_LANGUAGES_PARAMETER]
    response = redirect(_address(request, query) + "#question-languages")
    if choice == "all":
        _keep_in_cookie(response, QUESTION_LANGUAGES_COOKIE, "all")
    else:
        response.delete_cookie(QUESTION_LANGUAGES_COOKIE, samesite="Lax")
    return response


def _remember_answer_order(request):
    """For `?answers=newest|oldest`: remember the choice, back to the first page in that order."""
    choice = request.GET.get(ANSWER_ORDER_CHOICE_PARAMETER)
    if choice is None:
        return None
    query = request.GET.copy()
    del query[ANSWER_ORDER_CHOICE_PARAMETER]
    query.pop(PAGE_PARAMETER, None)
    if choice in ANSWER_ORDERS:
        query[ANSWER_ORDER_PARAMETER] = choice
    response = redirect(_address(request, query) + "#comments-heading")
    if choice in ANSWER_ORDERS:
        _keep_in_cookie(response, ANSWER_ORDER_COOKIE, choice)
    return response


def _answer_order(request) -> str:
    """The order in the address, else the one the reader chose last, else oldest first."""
    asked, remembered = (
        request.GET.get(ANSWER_ORDER_PARAMETER),
        request.COOKIES.get(ANSWER_ORDER_COOKIE),
    )
    for order in (asked, remembered):
        if order in ANSWER_ORDERS:
            return order
    return OLDEST_FIRST


def _requested_page(request) -> int:
    """The page asked for; anything but a whole number from 1 up asks for the first."""
    try:
        return max(int(request.GET.get(PAGE_PARAMETER, "1")), 1)
    except ValueError:
        return 1


def _redirect_to_page_shown(request, thread):
    """A page number that is not the one shown (past the end, below 1, not a number):
    to the address of the page shown instead."""
    asked = request.GET.get(PAGE_PARAMETER)
    if asked is None or asked == str(thread.page.number):
        return None
    query = request.GET.copy()
    query[PAGE_PARAMETER] = str(thread.page.number)
    return redirect(_address(request, query) + "#comments-heading")


@require_GET
def consultation_list(request):
    consultations = Consultation.objects.visible_to(request.user).in_listing_order()
    return render(request, "consultations/consultation_list.html", {"consultations": consultations})


def _consultations_for_page(reader, slug, *, for_posting):
    consultations = Consultation.objects.visible_to(reader)
    if reader.is_authenticated and not for_posting:
        # A visitor's page comes from the cache after this one query: keep it plain.
        consultations = consultations.with_reader_wrote_here(reader).annotate(
            reader_follows=followed_by_reader(reader, of="consultation")
        )
    return consultations.filter(slug=slug)[:2]


def _get_consultation(request, slug, *, for_posting=False):
    """The consultation, with what its pages say of the reader; for a post, plain (a post
    needs none of it, and a refused one shows its page without the kept parts). Its
    SQL is compiled once per kind of reader (forum/compiled_queries.py)."""
    found = compiled_rows(
        "consultation of a page",
        lambda reader, slug: _consultations_for_page(reader, slug, for_posting=for_posting),
        key=(rules.reader_roles(request.user), for_posting, get_language()),
        reader=request.user,
        slug=slug,
    )
    if len(found) != 1:
        raise Http404("No consultation matches the given query.")
    consultation = found[0]
    timezone.activate(zone_for(request.user, consultation))
    return consultation


@require_GET
@activates_consultation_zone
def consultation_detail(request, slug):
    if kept := kept_visitor_page(request, slug):
        return kept
    consultation = _get_consultation(request, slug)
    if remembered := _remember_question_languages(request):
        return remembered
    return visitor_page(request, consultation, lambda: _consultation_page(request, consultation))


def _consultation_page(request, consultation):
    key = signed_in_part_key(
        request,
        consultation,
        CommentReader(user=request.user, consultation=consultation),
        part="consultation",
        wrote_here=getattr(consultation, "reader_wrote_here", False),
    )
    body = caches["pages"].get(key) if key else None
    comment_confirmations = {}
    if body is None:
        threads = consultation_threads(consultation, request.user)
        comment_confirmations = confirmations_beside(
            request, (entry.comment for thread in threads for entry in thread.entries)
        )
        body = get_template("consultations/_consultation_body.html").render(
            {
                "request": request,
                "user": request.user,
                "consultation": consultation,
                "threads": threads,
                "comment_confirmations": comment_confirmations,
                "moderator_ids": consultation.moderator_ids(),
                "answer_refusal": rules.contributing_refusal(request.user, consultation),
                "background_documents": consultation.background_documents.all(),
                "all_languages": shows_questions_in_all_languages(request),
            }
        )
        if key:
            caches["pages"].set(key, body)
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "consultation_body": with_csrf_token(request, body),
            # Messages shown beside their comments are not repeated at the top.
            "comment_confirmations": comment_confirmations,
            "answer_refusal": rules.contributing_refusal(request.user, consultation),
            "reply_form": CommentWithAttachmentsForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@activates_consultation_zone
def question_detail(request, slug, number):
    # A page's address with `?questions=` or `?answers=` (a choice to remember) is never
    # kept: the redirect below answers it.
    if kept := kept_visitor_page(request, slug):
        return kept
    if request.method == "POST":
        consultation = _get_consultation(request, slug, for_posting=True)
        question = _get_question(request, consultation, number, for_posting=True)
        form = CommentWithAttachmentsForm(request.POST, request.FILES)
        answer, status = submit_post(request, form, question=question)
        if answer is not None:
            return redirect_to_posted(request, answer)
        return _question_page(request, question, form=form, status=status)
    consultation = _get_consultation(request, slug)
    if remembered := _remember_question_languages(request) or _remember_answer_order(request):
        return remembered
    return visitor_page(
        request,
        consultation,
        lambda: _question_page(request, _get_question(request, consultation, number)),
    )


def _questions_for_page(consultation, reader, *, number, for_posting):
    questions = Question.objects.filter(consultation=consultation, number=number).annotate(
        reader_follows=followed_by_reader(reader, of="question")
    )
    if not for_posting:
        questions = questions.with_reader_wrote_here(reader)
    return questions[:2]


def _get_question(request, consultation, number, *, for_posting=False):
    """The question, with whether the reader follows it (a post follows it if not) and,
    for its page, whether they wrote there; its SQL compiled once per kind of reader
    and question number."""
    found = compiled_rows(
        "question of a page",
        lambda consultation, reader: _questions_for_page(
            consultation, reader, number=number, for_posting=for_posting
        ),
        key=(rules.reader_roles(request.user), for_posting, number, get_language()),
        consultation=consultation,
        reader=request.user,
    )
    if len(found) != 1:
        raise Http404("No question matches the given query.")
    question = found[0]
    question.consultation = consultation
    return question


def _question_page(request, question, *, form=None, status=200):
    consultation = question.consultation
    key = form is None and signed_in_part_key(
        request,
        consultation,
        CommentReader(user=request.user, consultation=consultation),
        part=f"question-{question.pk}",
        wrote_here=question.reader_wrote_here,
    )
    discussion = caches["pages"].get(key) if key else None
    comment_confirmations = {}
    if discussion is None:
        thread = question_thread(
            question,
            request.user,
            language=_language_filter(request),
            page_number=_requested_page(request),
            order=_answer_order(request),
            # The archive's offline copy of the page holds every answer.
            per_page=WHOLE_THREAD if getattr(request, "shows_every_answer", False) else None,
            # A page of answers is put together from kept blocks (consultations/answer_blocks.py).
            with_entries=False,
        )
        if request.method == "GET" and (elsewhere := _redirect_to_page_shown(request, thread)):
            return elsewhere
        discussion, comment_confirmations = _render_discussion(request, question, thread)
        if key:
            caches["pages"].set(key, discussion)
    return render_comment_form_page(
        request,
        "consultations/question_detail.html",
        {
            "consultation": consultation,
            "question": question,
            "discussion": with_csrf_token(request, discussion),
            "comment_confirmations": comment_confirmations,
            "form": form or CommentWithAttachmentsForm(),
            "reply_form": CommentWithAttachmentsForm(),
            "answer_refusal": rules.posting_refusal(request.user, question),
            "all_languages": shows_questions_in_all_languages(request),
        },
        status=status,
    )


def _language_filter(request) -> str | None:
    language = request.GET.get("language")
    return language if language in CommentLanguage.values else None


def _render_discussion(request, question, thread):
    """The counts and the page of answers, from nothing but what its cache key holds, with
    the confirmations shown beside their comments."""
    page_query = QueryDict(mutable=True)
    page_query[ANSWER_ORDER_PARAMETER] = thread.order
    language = _language_filter(request)
    if language:
        page_query["language"] = language
    page_address = f"{request.path}?{page_query.urlencode()}&page={thread.page.number}"
    moderator_ids = question.consultation.moderator_ids()
    if language:
        answers, comment_confirmations = (
            None,
            confirmations_beside(request, (entry.comment for entry in thread.entries)),
        )
    else:
        answers, comment_confirmations = render_page_of_answers(
            request, thread, page_address=page_address, moderator_ids=moderator_ids
        )
    discussion = get_template("consultations/_question_discussion.html").render(
        {
            "request": request,
            "user": request.user,
            "consultation": question.consultation,
            "question": question,
            "thread": thread,
            "answers": answers,
            "comment_confirmations": comment_confirmations,
            "language_filter": language,
            "page_query": page_query.urlencode() + "&",
            "page_address": page_address,
            "page_numbers": thread.page.paginator.get_elided_page_range(
                thread.page.number, on_each_side=2, on_ends=1
            ),
            "answer_orders": ANSWER_ORDER_LABELS,
            "moderator_ids": moderator_ids,
            "comment_languages": CommentLanguage.choices,
        }
    )
    return discussion, comment_confirmations


@require_GET
@activates_consultation_zone
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
