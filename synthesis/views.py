"""The synthesis workbench's pages: the synthesis, the codebook, one contribution, exports.

For the secretariat and the consultation's moderators: anonymous visitors
are sent to log in, anyone else gets 403 from `rules` before anything is read
or written. Every form is a plain POST that works without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consultations import rules
from consultations.models import Comment, Consultation
from synthesis import services
from synthesis.forms import (
    ContributionThemesForm,
    PaperUseForm,
    QuoteForm,
    SynthesisFilterForm,
    ThemeForm,
)
from synthesis.models import Quote, Theme
from synthesis.reading import (
    SynthesisFilters,
    TagState,
    contributions,
    cross_table,
    themes_with_contributions,
    with_reading,
)

CONTRIBUTIONS_PER_PAGE = 50


def _consultation(request, slug, action="read_synthesis") -> Consultation:
    consultation = get_object_or_404(Consultation, slug=slug)
    rules.check(request.user, action, consultation)
    return consultation


def _comment(request, consultation, comment_id) -> Comment:
    """One of the consultation's comments; a withdrawn one's text never leaves the database.

    Only the secretariat and the consultation's moderators get here, so pending
    and hidden text is theirs to read, as on the moderation pages.
    """
    comments = (
        Comment.objects.for_consultation(consultation)
        .with_text_only_where_readable(request.user, moderates=True)
        .select_related("author", "question__consultation")
    )
    return get_object_or_404(comments, pk=comment_id)


def _errors_as_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- The synthesis page ------------------------------------------------------------------


@login_required
@require_GET
def synthesis_page(request, slug):
    consultation = _consultation(request, slug)
    form = SynthesisFilterForm(request.GET, consultation=consultation)
    filtered = contributions(consultation, form.filters())
    themes = themes_with_contributions(consultation, filtered)
    page = Paginator(with_reading(filtered), CONTRIBUTIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "synthesis/synthesis.html",
        {
            "consultation": consultation,
            "form": form,
            "query": form.as_query(),
            "by_organisation_type": cross_table(themes, filtered, "organisation_type"),
            "by_region": cross_table(themes, filtered, "region"),
            "by_country": cross_table(themes, filtered, "country"),
            "themes": themes,
            "page": page,
        },
    )


# --- The codebook ------------------------------------------------------------------------


@login_required
@require_GET
def codebook(request, slug):
    consultation = _consultation(request, slug)
    return render(
        request,
        "synthesis/codebook.html",
        {
            "consultation": consultation,
            "themes": Theme.objects.for_consultation(consultation)
            .select_related("consultation")
            .in_codebook_order(),
        },
    )


def _theme_form_page(request, consultation, form, theme=None):
    return render(
        request,
        "synthesis/theme_form.html",
        {"consultation": consultation, "form": form, "theme": theme},
    )


def _saved(form, write):
    """Run `write()` once the form is valid; a refusal from the service becomes a form error."""
    if not form.is_valid():
        return None
    try:
        return write()
    except ValidationError as error:
        form.add_error(None, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def theme_create_view(request, slug):
    consultation = _consultation(request, slug, "edit_codebook")
    form = ThemeForm(request.POST or None, consultation=consultation)
    theme = _saved(
        form,
        lambda: services.theme_create(
            actor=request.user, consultation=consultation, values=form.model_values()
        ),
    )
    if theme is not None:
        messages.success(request, _("The theme is added to the codebook."))
        return redirect("synthesis:codebook", slug=consultation.slug)
    return _theme_form_page(request, consultation, form)


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit_view(request, slug, number):
    consultation = _consultation(request, slug, "edit_codebook")
    theme = get_object_or_404(Theme.objects.for_consultation(consultation), number=number)
    # The form gets its own copy: validating fills it with what was posted.
    form = ThemeForm(
        request.POST or None,
        instance=Theme.objects.get(pk=theme.pk),
        consultation=consultation,
    )
    if form.is_valid():
        try:
            edited = services.theme_edit(
                actor=request.user, theme=theme, values=form.model_values()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if edited is None:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(request, _("Your changes are saved."))
            return redirect("synthesis:codebook", slug=consultation.slug)
    return _theme_form_page(request, consultation, form, theme)


# --- One contribution ----------------------------------------------------------------------


def _contribution_page(request, consultation, comment, *, quote_form=None, use_form=None):
    use = getattr(comment, "paper_use", None)
    next_untagged = (
        contributions(consultation, SynthesisFilters(tag_state=TagState.UNTAGGED))
        .exclude(pk=comment.pk)
        .only("pk")
        .first()
    )
    return render(
        request,
        "synthesis/contribution.html",
        {
            "consultation": consultation,
            "comment": comment,
            "may_tag": rules.may(request.user, "tag", comment),
            "themes_form": ContributionThemesForm(
                consultation=consultation,
                initial={"themes": [tag.theme_id for tag in comment.theme_tags.all()]},
            ),
            "has_themes": Theme.objects.for_consultation(consultation).exists(),
            "quotes": comment.key_quotes.order_by("marked_at", "pk"),
            "quote_form": quote_form or QuoteForm(),
            "paper_use": use,
            "use_form": use_form or PaperUseForm(initial={"section": use.section if use else ""}),
            "next_untagged": next_untagged,
        },
    )


def _to_contribution(consultation, comment):
    return redirect("synthesis:contribution", slug=consultation.slug, comment_id=comment.pk)


@login_required
@require_GET
def contribution_view(request, slug, comment_id):
    consultation = _consultation(request, slug)
    return _contribution_page(request, consultation, _comment(request, consultation, comment_id))


@login_required
@require_POST
def contribution_themes_view(request, slug, comment_id):
    consultation = _consultation(request, slug)
    comment = _comment(request, consultation, comment_id)
    rules.check(request.user, "tag", comment)
    form = ContributionThemesForm(request.POST, consultation=consultation)
    if not form.is_valid():
        for error in form.errors["themes"]:
            messages.error(request, error)
        return _to_contribution(consultation, comment)
    try:
        services.comment_themes_set(
            actor=request.user, comment=comment, themes=form.cleaned_data["themes"]
        )
    except ValidationError as error:
        _errors_as_messages(request, error)
    else:
        messages.success(request, _("The contribution's themes are saved."))
    return _to_contribution(consultation, comment)


@login_required
@require_POST
def quote_mark_view(request, slug, comment_id):
    consultation = _consultation(request, slug)
    comment = _comment(request, consultation, comment_id)
    rules.check(request.user, "quote", comment)
    form = QuoteForm(request.POST)
    quote = _saved(
        form,
        lambda: services.quote_mark(
            actor=request.user, comment=comment, excerpt=form.cleaned_data["excerpt"]
        ),
    )
    if quote is None:
        return _contribution_page(request, consultation, comment, quote_form=form)
    messages.success(request, _("The excerpt is marked as a key quote."))
    return _to_contribution(consultation, comment)


@login_required
@require_POST
def quote_remove_view(request, slug, comment_id, quote_id):
    consultation = _consultation(request, slug)
    comment = _comment(request, consultation, comment_id)
    rules.check(request.user, "quote", comment)
    quote = Quote.objects.filter(comment=comment, pk=quote_id).first()
    if quote is None or services.quote_remove(actor=request.user, quote=quote) is None:
        messages.info(request, _("This key quote was already removed."))
    else:
        messages.success(request, _("The key quote is removed."))
    return _to_contribution(consultation, comment)


@login_required
@require_POST
def paper_use_view(request, slug, comment_id):
    consultation = _consultation(request, slug)
    comment = _comment(request, consultation, comment_id)
    rules.check(request.user, "mark_paper_use", comment)
    if request.POST.get("clear") == "yes":
        if services.paper_use_clear(actor=request.user, comment=comment) is None:
            messages.info(request, _("This contribution was not marked as used in the paper."))
        else:
            messages.success(request, _("The contribution is no longer marked as used."))
        return _to_contribution(consultation, comment)
    form = PaperUseForm(request.POST)
    if not form.is_valid():
        return _contribution_page(request, consultation, comment, use_form=form)
    try:
        use = services.paper_use_set(
            actor=request.user, comment=comment, section=form.cleaned_data["section"]
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _contribution_page(request, consultation, comment, use_form=form)
    if use is None:
        messages.info(request, _("The contribution was already marked as used in this section."))
    else:
        messages.success(request, _("The contribution is marked as used in the paper."))
    return _to_contribution(consultation, comment)


# --- Exports -------------------------------------------------------------------------------


@login_required
@require_GET
def synthesis_export_view(request, slug, file_format):
    consultation = _consultation(request, slug, "export_synthesis")
    export = services.synthesis_export(
        actor=request.user,
        consultation=consultation,
        file_format=file_format,
        site_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export.filename
    )
    return response
