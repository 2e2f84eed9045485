"""`{% comments entries page_address=... teaser=False %}`: a page's comments, each from its view.

The views are built in one pass (consultations.comment_views), then each
comment's HTML comes from the fragment cache or from one compiled Jinja2
template (consultations.comment_html) rendered with nothing in its context
but the view, the page's labels and a stand-in for the CSRF token of the
moderators' forms, which the view replaces with the reader's.
"""

import copy

from django import template
from django.utils.safestring import mark_safe

from consultations.comment_html import CommentLabels, comment_template
from consultations.comment_views import CommentReader, SharedByPage, comment_views
from consultations.fragment_cache import render_fragments
from consultations.page_cache import CSRF_STAND_IN

register = template.Library()


class PageOfComments:
    """The comments of one page, drawn in one go or block by block: who reads, the
    addresses, the dates' formatters and the labels are made once for the page."""

    def __init__(self, reader: CommentReader, *, request=None):
        self.reader = reader
        self.shared = SharedByPage(reader.consultation, request)
        self.labels = CommentLabels()
        self.render = comment_template().render

    def for_reader(self, reader: CommentReader) -> "PageOfComments":
        """The same page drawn for another `reader` of it, sharing what the page made once."""
        page = copy.copy(self)
        page.reader = reader
        return page

    def html(self, entries, *, page_address, teaser=False, confirmations=None, moderator_ids=()):
        """Each of `entries` (ThreadEntry) as the reader sees it, as one piece of HTML."""
        views = self.views(
            entries,
            page_address=page_address,
            teaser=teaser,
            confirmations=confirmations,
            moderator_ids=moderator_ids,
        )
        return mark_safe("".join(self.fragments(views)))

    def views(self, entries, *, page_address, teaser=False, confirmations=None, moderator_ids=()):
        """The view (CommentView) of each of `entries` (ThreadEntry), in order."""
        return comment_views(
            entries,
            reader=self.reader,
            page_address=page_address,
            teaser=teaser,
            confirmations=confirmations,
            moderator_ids=moderator_ids or frozenset(),
            shared=self.shared,
        )

    def fragments(self, views) -> list[str]:
        """The HTML of each of `views`, in order, from the cache where it is kept."""
        render, labels = self.render, self.labels
        # The moderators' forms get a stand-in for the token, so that their comments can
        # be kept too; the view puts the reader's own token in (page_cache.with_csrf_token).
        csrf_token = str(CSRF_STAND_IN)

        def render_one(view) -> str:
            return render(view=view, labels=labels, csrf_token=csrf_token)

        return render_fragments(views, render_one)


@register.simple_tag(takes_context=True)
def comments(context, entries, *, page_address, teaser=False):
    """Each of `entries` (ThreadEntry) as the reader sees it; permalinks start from
    `page_address`; `teaser` cuts long comments short with "Read more"."""
    entries = list(entries)
    if not entries:
        return ""
    request = context.get("request")
    reader = CommentReader(
        user=context.get("user") or request.user,
        consultation=context.get("consultation") or entries[0].comment.question.consultation,
    )
    page = PageOfComments(reader, request=request)
    return page.html(
        entries,
        page_address=page_address,
        teaser=teaser,
        confirmations=context.get("comment_confirmations"),
        moderator_ids=context.get("moderator_ids"),
    )
