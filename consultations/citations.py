"""A contribution cited in the reader's language, ready to paste into a paper."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from consultations.models import Comment


def citation_text(comment: Comment, *, url: str) -> str:
    """Author, organisation, date, consultation, question, reference and link, in one sentence
    of the active language; `url` is the absolute address of the comment's reference."""
    question = comment.question
    facts = {
        "author": comment.author.display_name,
        "organisation": comment.author.organisation,
        "date": date_format(timezone.localtime(comment.created_at), "DATE_FORMAT"),
        "reference": comment.reference,
        "number": question.number,
        # modeltranslation gives the active language's title, or the English one.
        "question": question.title,
        "consultation": question.consultation.title,
        "url": url,
    }
    if comment.author.organisation:
        sentence = _(
            "%(author)s (%(organisation)s), contribution %(reference)s to question %(number)s "
            "“%(question)s” of the consultation “%(consultation)s”, %(date)s. %(url)s"
        )
    else:
        sentence = _(
            "%(author)s, contribution %(reference)s to question %(number)s “%(question)s” of "
            "the consultation “%(consultation)s”, %(date)s. %(url)s"
        )
    return sentence % facts
