"""A comment's HTML from its view (consultations.comment_views.CommentView), by Jinja2.

A thread page draws the same small template once for each of its hundreds of
comments; the Django engine resolves each of its ~44 variables and ~30
conditions node by node and spent some 60% of a cold page there. Jinja2
compiles the template to Python once, so this one hot template is drawn by it
(templates/jinja2/, the "jinja2" engine in forum/settings.py); every other
template stays Django's.

The project translates templates with `{% translate %}` only, and
makemessages does not read Jinja templates: so the Jinja templates hold no
words at all. Every label comes from `CommentLabels`, through `gettext` in
the reader's language, with the msgids the Django template had, so the
catalogues keep translating them.

Values are escaped the way Django escapes them (`&#x27;` and `&quot;`, where
markupsafe writes `&#39;` and `&#34;`), so the HTML is the one the Django
template gave, byte for byte.
"""

from html import escape as _escape

import jinja2
from django.template import engines
from django.utils.translation import gettext
from markupsafe import Markup

COMMENT_TEMPLATE = "consultations/_comment.html"


def escaped_as_django(value):
    """What `{{ value }}` writes in a Django template: safe strings (`__html__`) as they are,
    anything else escaped with `django.utils.html.escape`."""
    if type(value) is str:
        return _escape(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape(str(value))


def environment(**options) -> jinja2.Environment:
    """The Jinja2 environment of the "jinja2" engine (forum/settings.py).

    `finalize` is the escaping: it sees every `{{ value }}` and escapes what is not marked
    safe, as Django does. Jinja's own autoescaping would do the same work again and
    differently (markupsafe writes `&#39;`), wrapping every value in a Markup, so it is off.
    """
    options.update(
        autoescape=False,
        finalize=escaped_as_django,
        # A misspelt name fails loudly instead of writing nothing.
        undefined=jinja2.StrictUndefined,
        # As Django does: a template's last newline is part of its output.
        keep_trailing_newline=True,
    )
    return jinja2.Environment(**options)


def comment_template() -> jinja2.Template:
    """The compiled comment template (Jinja2 keeps it after the first call)."""
    return engines["jinja2"].env.get_template(COMMENT_TEMPLATE)


def _label(text: str) -> Markup:
    # A translation is written as it is, as Django writes a `{% translate %}` literal.
    return Markup(text)


def _sentence(text: str, **values) -> Markup:
    # As `{% blocktranslate %}`: the translation as it is, its values escaped.
    return Markup(text % {name: escaped_as_django(value) for name, value in values.items()})


class CommentLabels:
    """Every word the comment template shows, in the active language: made once per page."""

    def __init__(self):
        self.withdrawn_comment = _label(gettext("Withdrawn comment"))
        self.moderator = _label(gettext("Moderator"))
        self.edited = _label(gettext("edited"))
        self.earlier_versions = _label(gettext("Earlier versions"))
        self.awaiting_moderation = _label(gettext("Awaiting moderation"))
        self.reference_title = _label(gettext("Reference of this contribution, for citing it"))
        self.clarification_requested = _label(gettext("Clarification requested"))
        self.in_reply_to = _label(gettext("In reply to"))
        self.a_withdrawn_comment = _label(gettext("a withdrawn comment"))
        self.hidden_after_reports = _label(
            gettext("This comment is hidden after several reports, until a moderator reviews it.")
        )
        self.show_hidden_text = _label(gettext("Show the hidden text"))
        self.withdrawn_by_author = _label(gettext("Withdrawn by its author"))
        self.out_of_date = _label(
            gettext("Out of date: the original was edited after this translation.")
        )
        self.read_more = _label(gettext("Read more"))
        self.attached_files = _label(gettext("Attached files"))
        self.reply = _label(gettext("Reply"))
        self.edit = _label(gettext("Edit"))
        self.withdraw = _label(gettext("Withdraw"))
        self.approve = _label(gettext("Approve"))
        self.hide = _label(gettext("Hide"))
        self.ask_for_clarification = _label(gettext("Ask for clarification"))
        self.restore = _label(gettext("Restore"))
        self.report = _label(gettext("Report"))
        self.translate = _label(gettext("Translate"))
        self.reason_optional = _label(gettext("Reason (optional, kept in the log)"))
        self.cite_this = _label(gettext("Cite this"))
        self.copied = _label(gettext("Copied"))
        self.copy_the_citation = _label(gettext("Copy the citation"))
        self._hidden_by_moderator = gettext("This comment was hidden by a moderator: %(reason)s")
        self._translated_from = gettext("Translated from %(source)s by %(name)s, %(date)s")
        self._show_the_original = gettext("Show the original (%(source)s)")

    def hidden_by_moderator(self, reason) -> Markup:
        return _sentence(self._hidden_by_moderator, reason=reason)

    def translated_from(self, source, name, date) -> Markup:
        return _sentence(self._translated_from, source=source, name=name, date=date)

    def show_the_original(self, source) -> Markup:
        return _sentence(self._show_the_original, source=source)
