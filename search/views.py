"""The search page, participants' public pages, "my contributions" and organisation pages."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from consultations import rules
from consultations.models import Comment, ModerationAction, ModerationEntry, attach_thread_pages
from search.directory import organisations, public_comments, resolve_organisation_key
from search.forms import OrganisationMergeForm, SearchForm
from search.models import OrganisationMerge
from search.query import ContributionSearch
from search.services import MergeRefused, organisation_merge

RESULTS_PER_PAGE = 20
CONTRIBUTIONS_PER_PAGE = 25


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def run_search(request, form: SearchForm):
    """The matching contributions for a valid form, or a notice saying why there are none."""
    text = form.cleaned_data["q"].strip()
    if not text:
        return None, _("Type one or more words to search for.")
    search = ContributionSearch(text=text, language=get_language(), user=request.user)
    if not search.has_words:
        return None, _(
            "Your search has only very common words (such as “the” or “and”), which are not "
            "searched for. Add a more specific word."
        )
    return search, None


@require_GET
def search_page(request):
    form = SearchForm(request.GET or None, user=request.user)
    context = {"form": form, "query_string": _query_without_page(request)}
    if form.is_bound and form.is_valid():
        search, notice = run_search(request, form)
        context["notice"] = notice
        if search is not None:
            page = Paginator(search.comments(filters=form.comment_filters()), RESULTS_PER_PAGE)
            page = page.get_page(request.GET.get("page"))
            attach_thread_pages(page.object_list)
            for comment in page:
                comment.snippet = search.snippet(comment)
            context.update(
                page=page,
                questions=search.questions(),
                consultations=search.consultations(),
                searched=True,
            )
    return render(request, "search/search.html", context)


@require_GET
def participant(request, user_id):
    """A participant's public page: who they are and what they published, newest first."""
    person = get_object_or_404(get_user_model(), pk=user_id)
    contributions = (
        public_comments()
        .filter(author=person)
        .select_related("question__consultation")
        .latest_first()
    )
    if person != request.user and not contributions.exists():
        raise Http404  # nobody learns a name from an address alone
    page = Paginator(contributions, CONTRIBUTIONS_PER_PAGE).get_page(request.GET.get("page"))
    attach_thread_pages(page.object_list)
    return render(
        request,
        "search/participant.html",
        {
            "person": person,
            "page": page,
            "show_country": bool(person.country) and not person.hide_country,
        },
    )


def _last_hiding(field: str):
    return Subquery(
        ModerationEntry.objects.filter(
            comment=OuterRef("pk"),
            action__in=[ModerationAction.HIDE, ModerationAction.AUTO_HIDE],
        )
        .order_by("-created_at", "-pk")
        .values(field)[:1]
    )


@login_required
@require_GET
def my_contributions(request):
    """Everything the signed-in person wrote, with its state and a moderator's reason."""
    contributions = (
        Comment.objects.filter(author=request.user)
        .with_text_only_where_readable(request.user, moderates=False)
        .select_related("question__consultation")
        .annotate(hiding_reason=_last_hiding("reason"), hiding_action=_last_hiding("action"))
        .latest_first()
    )
    page = Paginator(contributions, CONTRIBUTIONS_PER_PAGE).get_page(request.GET.get("page"))
    attach_thread_pages(page.object_list)
    return render(request, "search/my_contributions.html", {"page": page})


@require_GET
def organisation_list(request):
    found = organisations(with_contribution_counts=True)
    listed = sorted(
        (organisation for organisation in found.values() if organisation.contribution_count),
        key=lambda organisation: organisation.name.casefold(),
    )
    return render(request, "search/organisation_list.html", {"organisations": listed})


@require_GET
def organisation_detail(request, key):
    current = resolve_organisation_key(key)
    if current != key:
        return redirect("search:organisation", key=current, permanent=False)
    organisation = organisations().get(key)
    if organisation is None:
        raise Http404
    contributions = (
        public_comments()
        .filter(author__in=organisation.member_ids)
        .select_related("author", "question__consultation")
        .latest_first()
    )
    page = Paginator(contributions, CONTRIBUTIONS_PER_PAGE).get_page(request.GET.get("page"))
    attach_thread_pages(page.object_list)
    return render(request, "search/organisation.html", {"organisation": organisation, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_merges(request):
    """The secretariat's page to merge two spellings of one organisation, and past merges."""
    rules.check(request.user, "merge_organisations")
    form = OrganisationMergeForm(
        request.POST if request.method == "POST" else None, known=organisations()
    )
    if request.method == "POST" and form.is_valid():
        try:
            merge = organisation_merge(
                actor=request.user,
                from_key=form.cleaned_data["from_key"],
                into_key=form.cleaned_data["into_key"],
            )
        except MergeRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _("“%(from)s” is now shown as “%(into)s”.")
                % {"from": merge.from_name, "into": merge.into_name},
            )
            return redirect("search:organisation_merges")
    return render(
        request,
        "search/organisation_merges.html",
        {
            "form": form,
            "merges": OrganisationMerge.objects.select_related("merged_by").newest_first(),
        },
    )
