"""A contribution cited in the reader's language, ready to paste into a paper."""

from collections.abc import Callable
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from consultations.models import Comment, Question


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


class Citations:
    """The citations of one question's comments: the sentences, the question's and the
    consultation's titles looked up once, not once per comment. `day` writes a moment's
    date in the active zone and language (`date_format` of DATE_FORMAT by default)."""

    def __init__(self, question: Question, *, day: Callable[[datetime], str] = _day):
        self._day = day
        self._facts = {
            "number": question.number,
            # modeltranslation gives the active language's title, or the English one.
            "question": question.title,
            "consultation": question.consultation.title,
        }
        self._with_organisation = _(
            "%(author)s (%(organisation)s), contribution %(reference)s to question %(number)s "
            "“%(question)s” of the consultation “%(consultation)s”, %(date)s. %(url)s"
        )
        self._without_organisation = _(
            "%(author)s, contribution %(reference)s to question %(number)s “%(question)s” of "
            "the consultation “%(consultation)s”, %(date)s. %(url)s"
        )

    def __call__(self, comment: Comment, *, url: str) -> str:
        """Author, organisation, date, consultation, question, reference and link, in one
        sentence; `url` is the absolute address of the comment's reference."""
        author = comment.author
        sentence = self._with_organisation if author.organisation else self._without_organisation
        return sentence % {
            **self._facts,
            "author": author.display_name,
            "organisation": author.organisation,
            "date": self._day(comment.created_at),
            "reference": comment.reference,
            "url": url,
        }


def citation_text(comment: Comment, *, url: str) -> str:
    """Author, organisation, date, consultation, question, reference and link, in one sentence
    of the active language; `url` is the absolute address of the comment's reference."""
    return Citations(comment.question)(comment, url=url)
