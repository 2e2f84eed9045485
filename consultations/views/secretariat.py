"""The secretariat's console: consultations and questions, windows, exports, statistics, log.

Every view here is for the secretariat only: anonymous visitors are sent to
log in, anyone else logged in gets 403 from `rules` before anything is read
or written.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tasks_db.models import DBTaskResult

from consultations import rules
from consultations.forms import (
    AuditLogFilterForm,
    ConsultationForm,
    ExtendForm,
    ModeratorChangeForm,
    ModeratorSearchForm,
    QuestionForm,
    RescheduleForm,
)
from consultations.models import (
    CommentStatus,
    Consultation,
    ModerationEntry,
    attach_thread_pages,
)
from consultations.services import consultations as services
from consultations.statistics import consultation_statistics
from consultations.window_changes import preview_window_change

LOG_ENTRIES_PER_PAGE = 50
CONSOLE_CONSULTATIONS_PER_PAGE = 25


def secretariat_only(action: str = "manage"):
    """Log in first, then `rules` decide: a logged-in person without the right gets 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def checked(request, *args, **kwargs):
            rules.check(request.user, action)
            return view(request, *args, **kwargs)

        return checked

    return decorator


def _posted(request):
    return request.POST if request.method == "POST" else None


def _consultation(slug) -> Consultation:
    return get_object_or_404(Consultation, slug=slug)


def _show_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _saved(form, write):
    """Run `write()` once the form is valid; a refusal from the service becomes a form error."""
    if not form.is_valid():
        return None
    try:
        return write()
    except ValidationError as error:
        _show_errors(form, error)
        return None


def _to_console_page(consultation):
    return redirect("consultations:console_consultation", slug=consultation.slug)


# --- The console ----------------------------------------------------------------------


@secretariat_only()
@require_GET
def console(request):
    consultations = Consultation.objects.annotate(
        question_count=Count("questions", distinct=True),
        published_count=Count(
            "questions__comments", filter=Q(questions__comments__status=CommentStatus.PUBLISHED)
        ),
        pending_count=Count(
            "questions__comments", filter=Q(questions__comments__status=CommentStatus.PENDING)
        ),
        comment_count=Count("questions__comments"),
    ).order_by("-opens_at", "pk")
    page = Paginator(consultations, CONSOLE_CONSULTATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "consultations/secretariat/console.html",
        {
            "consultations": page.object_list,
            "page": page,
            # Background work (mostly email) that failed for good is never silent.
            "failed_task_count": DBTaskResult.objects.failed().count(),
        },
    )


def _console_page(request, consultation, *, extend_form=None, reschedule_form=None):
    window = {"opens_at": consultation.opens_at, "closes_at": consultation.closes_at}
    return render(
        request,
        "consultations/secretariat/consultation_console.html",
        {
            "consultation": consultation,
            "questions": consultation.questions.order_by("number"),
            "moderators": consultation.moderators.order_by("display_name"),
            "extend_form": extend_form or ExtendForm(initial={"closes_at": consultation.closes_at}),
            "reschedule_form": reschedule_form or RescheduleForm(initial=window),
            "recent_entries": consultation.moderation_entries.select_related("actor")[:10],
        },
    )


@secretariat_only()
@require_GET
def consultation_console(request, slug):
    return _console_page(request, _consultation(slug))


# --- Consultations and questions --------------------------------------------------------


@secretariat_only()
@require_http_methods(["GET", "POST"])
def consultation_create_view(request):
    form = ConsultationForm(_posted(request))
    consultation = _saved(
        form,
        lambda: services.consultation_create(
            actor=request.user,
            values=form.model_values(),
        ),
    )
    if consultation is not None:
        messages.success(
            request,
            _("The consultation is created. Now add its questions and name its moderators."),
        )
        return _to_console_page(consultation)
    return render(request, "consultations/secretariat/consultation_form.html", {"form": form})


@secretariat_only()
@require_http_methods(["GET", "POST"])
def consultation_edit_view(request, slug):
    consultation = _consultation(slug)
    # The form gets its own copy: validating fills it with what was posted.
    form = ConsultationForm(_posted(request), instance=_consultation(slug))
    edited = _saved(
        form,
        lambda: services.consultation_edit(
            actor=request.user,
            consultation=consultation,
            values=form.model_values(),
        ),
    )
    if edited is not None:
        messages.success(request, _("Your changes are saved."))
        return _to_console_page(edited)
    return render(
        request,
        "consultations/secretariat/consultation_form.html",
        {"form": form, "consultation": consultation},
    )


@secretariat_only()
@require_http_methods(["GET", "POST"])
def question_create_view(request, slug):
    consultation = _consultation(slug)
    last_number = consultation.questions.order_by("-number").values_list("number", flat=True)
    form = QuestionForm(
        _posted(request),
        consultation=consultation,
        initial={"number": (last_number.first() or 0) + 1},
    )
    question = _saved(
        form,
        lambda: services.question_create(
            actor=request.user, consultation=consultation, values=form.model_values()
        ),
    )
    if question is not None:
        messages.success(request, _("The question is added."))
        return _to_console_page(consultation)
    return render(
        request,
        "consultations/secretariat/question_form.html",
        {"form": form, "consultation": consultation},
    )


@secretariat_only()
@require_http_methods(["GET", "POST"])
def question_edit_view(request, slug, number):
    consultation = _consultation(slug)
    question = get_object_or_404(consultation.questions, number=number)
    # The form gets its own copy: validating fills it with what was posted.
    form = QuestionForm(
        _posted(request),
        instance=consultation.questions.get(pk=question.pk),
        consultation=consultation,
    )
    edited = _saved(
        form,
        lambda: services.question_edit(
            actor=request.user, question=question, values=form.model_values()
        ),
    )
    if edited is not None:
        messages.success(request, _("Your changes are saved."))
        return _to_console_page(consultation)
    return render(
        request,
        "consultations/secretariat/question_form.html",
        {"form": form, "consultation": consultation, "question": question},
    )


# --- The window -------------------------------------------------------------------------
# Anything that changes a live window (or flips a consultation's state) is
# asked twice: the first request shows what will happen, a POST that says
# "confirmed" does it. Open now and Close now are always asked: the console
# links to their confirmation page, which works without JavaScript.


def _confirmation_page(request, consultation, change, *, action_url, dates=None):
    return render(
        request,
        "consultations/secretariat/window_confirm.html",
        {"consultation": consultation, "change": change, "action_url": action_url, "dates": dates},
    )


def _change_window(request, slug, action: str, change, done: str):
    consultation = _consultation(slug)
    if request.method == "GET":
        try:
            preview = preview_window_change(consultation, action)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return _to_console_page(consultation)
        return _confirmation_page(request, consultation, preview, action_url=request.path)
    try:
        change(actor=request.user, consultation=consultation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return _to_console_page(consultation)


@secretariat_only()
@require_http_methods(["GET", "POST"])
def consultation_open_now_view(request, slug):
    return _change_window(
        request,
        slug,
        "open_now",
        services.consultation_open_now,
        _("The consultation is open from now."),
    )


@secretariat_only()
@require_http_methods(["GET", "POST"])
def consultation_close_now_view(request, slug):
    return _change_window(
        request,
        slug,
        "close_now",
        services.consultation_close_now,
        _("The consultation is closed. It stays online, read-only."),
    )


def _confirmed(request, consultation, form, action: str):
    """None when the change may go ahead; otherwise the page to show instead."""
    if request.POST.get("confirmed") == "yes":
        return None
    try:
        preview = preview_window_change(consultation, action, **form.cleaned_data)
    except ValidationError as error:
        _show_errors(form, error)
        return _console_page(request, consultation, **{f"{action}_form": form})
    if not preview.needs_confirmation:
        return None
    return _confirmation_page(request, consultation, preview, action_url=request.path, dates=form)


@secretariat_only()
@require_POST
def consultation_extend_view(request, slug):
    consultation = _consultation(slug)
    form = ExtendForm(request.POST)
    if form.is_valid() and (page := _confirmed(request, consultation, form, "extend")):
        return page
    extended = _saved(
        form,
        lambda: services.consultation_extend(
            actor=request.user, consultation=consultation, **form.cleaned_data
        ),
    )
    if extended is not None:
        messages.success(request, _("The closing date is extended."))
        return _to_console_page(consultation)
    return _console_page(request, consultation, extend_form=form)


@secretariat_only()
@require_POST
def consultation_reschedule_view(request, slug):
    consultation = _consultation(slug)
    form = RescheduleForm(request.POST)
    if form.is_valid() and (page := _confirmed(request, consultation, form, "reschedule")):
        return page
    rescheduled = _saved(
        form,
        lambda: services.consultation_reschedule(
            actor=request.user, consultation=consultation, **form.cleaned_data
        ),
    )
    if rescheduled is not None:
        messages.success(request, _("The consultation has a new window."))
        return _to_console_page(consultation)
    return _console_page(request, consultation, reschedule_form=form)


# --- Moderators -------------------------------------------------------------------------

MODERATOR_SEARCH_LIMIT = 20


@secretariat_only()
@require_http_methods(["GET", "POST"])
def consultation_moderators_view(request, slug):
    """Name or remove moderators, finding accounts by name or organisation, never listing all."""
    consultation = _consultation(slug)
    form = ModeratorSearchForm(request.GET)
    if request.method == "POST":
        return _change_moderators(request, consultation)
    moderators = consultation.moderators.order_by("display_name")
    matches = None
    if form.is_valid() and form.cleaned_data["q"]:
        matches = (
            get_user_model()
            .objects.matching_name_or_organisation(form.cleaned_data["q"])
            .exclude(pk__in=moderators.values("pk"))[: MODERATOR_SEARCH_LIMIT + 1]
        )
    return render(
        request,
        "consultations/secretariat/moderators.html",
        {
            "consultation": consultation,
            "moderators": moderators,
            "form": form,
            "matches": matches[:MODERATOR_SEARCH_LIMIT] if matches is not None else None,
            "more_matches": matches is not None and len(matches) > MODERATOR_SEARCH_LIMIT,
        },
    )


def _change_moderators(request, consultation):
    form = ModeratorChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a person from the list, then try again."))
        return redirect("consultations:console_moderators", slug=consultation.slug)
    person = form.cleaned_data["person"]
    moderators = set(consultation.moderators.all())
    if form.cleaned_data["change"] == "add":
        moderators.add(person)
        done = _("%(name)s now moderates this consultation.")
    else:
        moderators.discard(person)
        done = _("%(name)s no longer moderates this consultation.")
    services.consultation_edit(
        actor=request.user, consultation=consultation, values={}, moderators=moderators
    )
    messages.success(request, done % {"name": person.display_name})
    return redirect("consultations:console_moderators", slug=consultation.slug)


# --- Export, statistics, log ------------------------------------------------------------


@secretariat_only("export")
@require_GET
def consultation_export_view(request, slug, file_format):
    export = services.contributions_export(
        actor=request.user, consultation=_consultation(slug), file_format=file_format
    )
    response = StreamingHttpResponse(export.chunks(), content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export.filename
    )
    return response


@secretariat_only("read_statistics")
@require_GET
def consultation_statistics_view(request, slug):
    consultation = _consultation(slug)
    return render(
        request,
        "consultations/secretariat/statistics.html",
        {"consultation": consultation, "statistics": consultation_statistics(consultation)},
    )


@secretariat_only("read_log")
@require_GET
def audit_log(request):
    form = AuditLogFilterForm(request.GET)
    consultation = form.cleaned_data["consultation"] if form.is_valid() else None
    entries = ModerationEntry.objects.select_related(
        "actor", "consultation", "question__consultation", "comment__question__consultation"
    )
    if consultation is not None:
        entries = entries.for_consultation(consultation)
    page = Paginator(entries, LOG_ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    attach_thread_pages(entry.comment for entry in page.object_list)
    return render(
        request,
        "consultations/secretariat/audit_log.html",
        {"form": form, "filtered_by": consultation, "page": page},
    )
