"""Atom feeds of the latest published comments of a consultation and of a question.

A feed is public whoever asks: it holds published comments of published
consultations only, so hidden, pending and withdrawn text never reaches a
feed reader, and a draft consultation has no feed (404). Titles and links
are in the language of the URL prefix.

Each request gets its own feed object (see `consultation_feed` and
`question_feed`), so the request can be kept on it to make absolute links
for the host the reader used, as the pages' own alternate links do.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from consultations.models import Comment, Consultation, Question, attach_thread_pages

FEED_LENGTH = 30


class CommentsAtomFeed(Atom1Feed):
    """Atom whose entries carry the comment as `<content>` marked with its own language.

    The feed's titles are in the reader's language (`xml:lang` on the feed);
    each comment keeps the language its author wrote it in.
    """

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        attributes = {"type": "html"}
        if item["content_language"]:
            attributes["xml:lang"] = item["content_language"]
        handler.addQuickElement("content", item["content_html"], attributes)


class ConsultationCommentsFeed(Feed):
    feed_type = CommentsAtomFeed

    def get_object(self, request, slug):
        self.request = request
        return Consultation.objects.published().get(slug=slug)

    def _absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def _comments(self, consultation: Consultation):
        return Comment.objects.for_consultation(consultation)

    def title(self, consultation):
        return _("Latest comments on “%(title)s”") % {"title": consultation.title}

    def subtitle(self, consultation):
        return consultation.summary

    def link(self, consultation):
        return self._absolute(consultation.get_absolute_url())

    def feed_url(self, consultation):
        return self._absolute(reverse("consultations:feed", kwargs={"slug": consultation.slug}))

    def items(self, subject):
        comments = list(
            self._comments(subject)
            .published()
            .select_related("author", "question__consultation")
            .latest_first()[:FEED_LENGTH]
        )
        # Each entry links to the page of its thread that shows it: found for all at once.
        attach_thread_pages(comments)
        return comments

    def item_title(self, comment: Comment):
        names = {"author": comment.author.display_name, "number": comment.question.number}
        if comment.is_reply:
            return _("%(author)s replied on question %(number)s") % names
        return _("%(author)s answered question %(number)s") % names

    def item_description(self, comment: Comment):
        return None  # the text goes in <content>, with its language

    def item_extra_kwargs(self, comment: Comment):
        return {
            "content_html": comment.body_html,
            "content_language": "" if comment.html_lang == "und" else comment.language,
        }

    def item_link(self, comment: Comment):
        return self._absolute(comment.get_absolute_url())

    def item_author_name(self, comment: Comment):
        author = comment.author
        return (
            f"{author.display_name}, {author.organisation}"
            if author.organisation
            else (author.display_name)
        )

    def item_pubdate(self, comment: Comment):
        return comment.created_at

    def item_updateddate(self, comment: Comment):
        return comment.edited_at or comment.created_at


class QuestionCommentsFeed(ConsultationCommentsFeed):
    def get_object(self, request, slug, number):
        self.request = request
        return Question.objects.select_related("consultation").get(
            consultation__in=Consultation.objects.published(),
            consultation__slug=slug,
            number=number,
        )

    def _comments(self, question: Question):
        return Comment.objects.for_question(question)

    def title(self, question):
        return _("Latest comments on question %(number)s: %(title)s") % {
            "number": question.number,
            "title": question.title,
        }

    def subtitle(self, question):
        return question.consultation.title

    def link(self, question):
        return self._absolute(question.get_absolute_url())

    def feed_url(self, question):
        return self._absolute(
            reverse(
                "consultations:question_feed",
                kwargs={"slug": question.consultation.slug, "number": question.number},
            )
        )


def consultation_feed(request, slug):
    return ConsultationCommentsFeed()(request, slug=slug)


def question_feed(request, slug, number):
    return QuestionCommentsFeed()(request, slug=slug, number=number)
