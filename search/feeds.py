"""An Atom feed of a search: the newest contributions that match, as a visitor finds them.

Feed readers carry no login, so the feed always reads as a visitor would:
published contributions of published consultations only. An invalid search
gives an empty feed (never an error page).
"""

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from consultations.feeds import FEED_LENGTH, ConsultationCommentsFeed
from search.forms import SearchForm
from search.query import ContributionSearch


class SearchResultsFeed(ConsultationCommentsFeed):
    def get_object(self, request):
        self.request = request
        form = SearchForm(request.GET, user=AnonymousUser())
        self.query_string = request.GET.urlencode()
        return form

    def _url(self, name: str) -> str:
        path = reverse(name)
        return self._absolute(f"{path}?{self.query_string}" if self.query_string else path)

    def title(self, form):
        text = form.cleaned_data.get("q", "") if form.is_valid() else ""
        if not text:
            return _("Search")
        return _("Contributions matching “%(text)s”") % {"text": text}

    def subtitle(self, form):
        return None

    def link(self, form):
        return self._url("search:search")

    def feed_url(self, form):
        return self._url("search:feed")

    def items(self, form):
        if not form.is_valid() or not form.cleaned_data["q"].strip():
            return []
        search = ContributionSearch(
            text=form.cleaned_data["q"].strip(), language=get_language(), user=AnonymousUser()
        )
        if not search.has_words:
            return []
        return (
            search.comments(filters=form.comment_filters())
            .order_by("-created_at", "-pk")
            .select_related("author", "question__consultation")[:FEED_LENGTH]
        )


def search_feed(request):
    return SearchResultsFeed()(request)
