"""The synthesis as files: a DOCX annex, Markdown and JSON, all from one summary.

"Summary of inputs by theme": each theme of the codebook with the published
contributions tagged with it, their key quotes, authors, organisations and
references. Labels and titles are in the language active when the file is
made; the JSON also gives every theme's title in each language.
"""

import io
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Pt

from accounts.time_zones import moment_in_words
from consultations.models import Comment, Consultation, attach_thread_pages
from synthesis.models import Theme
from synthesis.reading import contributions, themes_with_contributions
from synthesis.regions import region_name

FORMATS = ("docx", "md", "json")

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json; charset=utf-8",
}

# Characters XML 1.0 cannot hold: a DOCX with one of them would not open.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Characters Markdown would read as formatting, links or HTML.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


@dataclass(frozen=True)
class SynthesisFile:
    content: bytes
    content_type: str
    filename: str


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text or "")


def _markdown_text(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _xml_safe(text))


def _contribution(comment: Comment, site_url: str) -> dict:
    author = comment.author
    use = getattr(comment, "paper_use", None)
    return {
        "id": comment.pk,
        "reference": comment.reference or "",
        "url": site_url + comment.get_absolute_url(),
        "question": comment.question.number,
        "author": author.display_name,
        "organisation": author.organisation,
        "organisation_type": (
            author.get_organisation_type_display() if author.organisation_type else ""
        ),
        "country": author.country.name if author.country else "",
        "region": region_name(author.country.code),
        "language": comment.language,
        "posted": timezone.localtime(comment.created_at).isoformat(),
        "used_in": use.section if use else "",
        "quotes": [
            {"text": quote.text, "in_current_text": quote.is_in_current_text}
            for quote in comment.key_quotes.all()
        ],
    }


def _theme(theme: Theme, site_url: str) -> dict:
    languages = [code for code, _name in settings.LANGUAGES]
    return {
        "number": theme.number,
        "title": str(theme.title),
        "titles": {code: getattr(theme, f"title_{code}") or theme.title_en for code in languages},
        "description": theme.description or "",
        "objectives": [{"number": number, "text": text} for number, text in theme.objectives()],
        "contributions": [_contribution(tag.comment, site_url) for tag in theme.readings],
    }


def synthesis_summary(consultation: Consultation, *, site_url: str = "") -> dict:
    """Every theme with its tagged published contributions, as plain data."""
    published = contributions(consultation)
    return {
        "consultation": {
            "slug": consultation.slug,
            "title": str(consultation.title),
            "url": site_url + consultation.get_absolute_url(),
        },
        "made_at": timezone.localtime().isoformat(),
        "contributions": published.count(),
        "not_yet_tagged": published.filter(theme_tags__isnull=True).count(),
        "themes": _themes(consultation, published, site_url),
    }


def _themes(consultation: Consultation, published, site_url: str) -> list[dict]:
    themes = list(themes_with_contributions(consultation, published))
    # Each contribution's link names the page of its thread: found for all at once.
    attach_thread_pages(tag.comment for theme in themes for tag in theme.readings)
    return [_theme(theme, site_url) for theme in themes]


# --- Words shared by the Markdown and the DOCX -------------------------------------------------


def _heading() -> str:
    return _("Summary of inputs by theme")


def _theme_heading(theme: dict) -> str:
    return _("Theme %(number)s: %(title)s") % {"number": theme["number"], "title": theme["title"]}


def _who(contribution: dict) -> str:
    """ "Amina Diallo, Coastal Migrants Network (Civil society organisation, Senegal)"."""
    who = contribution["author"]
    if contribution["organisation"]:
        who += ", " + contribution["organisation"]
    details = [
        part for part in (contribution["organisation_type"], contribution["country"]) if part
    ]
    if details:
        who += f" ({', '.join(details)})"
    return who


def _where(contribution: dict) -> str:
    """ "Question 3 · Q3-17 · used in 2.1 Fair recruitment"."""
    parts = [_("Question %(number)s") % {"number": contribution["question"]}]
    if contribution["reference"]:
        parts.append(contribution["reference"])
    if contribution["used_in"]:
        parts.append(_("used in %(section)s") % {"section": contribution["used_in"]})
    return " · ".join(parts)


def _quoted(text: str) -> str:
    # Translators: a key quote, in the quotation marks of your language.
    return _("“%(text)s”") % {"text": text}


def _counted(theme: dict) -> str:
    count = len(theme["contributions"])
    quotes = sum(len(contribution["quotes"]) for contribution in theme["contributions"])
    return _("Contributions: %(contributions)d. Key quotes: %(quotes)d.") % {
        "contributions": count,
        "quotes": quotes,
    }


def _objectives(theme: dict) -> str:
    return _("Objectives under review: %(objectives)s") % {
        "objectives": "; ".join(
            f"{objective['number']}. {objective['text']}" for objective in theme["objectives"]
        )
    }


def _introduction(summary: dict) -> str:
    return _(
        "%(contributions)d published contributions; %(untagged)d not yet tagged with a theme. "
        "Made on %(date)s."
    ) % {
        "contributions": summary["contributions"],
        "untagged": summary["not_yet_tagged"],
        "date": moment_in_words(timezone.now()),
    }


# --- Markdown --------------------------------------------------------------------------------


def summary_to_markdown(summary: dict) -> str:
    consultation = summary["consultation"]
    lines = [
        f"# {_markdown_text(_heading())}",
        "",
        f"**{_markdown_text(consultation['title'])}** — <{consultation['url']}>",
        "",
        _markdown_text(_introduction(summary)),
    ]
    for theme in summary["themes"]:
        lines += ["", f"## {_markdown_text(_theme_heading(theme))}", ""]
        if theme["description"]:
            lines += [_markdown_text(theme["description"]), ""]
        if theme["objectives"]:
            lines += [f"*{_markdown_text(_objectives(theme))}*", ""]
        lines.append(_markdown_text(_counted(theme)))
        without_quotes = []
        for contribution in theme["contributions"]:
            if not contribution["quotes"]:
                without_quotes.append(contribution)
                continue
            for quote in contribution["quotes"]:
                lines += [
                    "",
                    f"> {_markdown_text(quote['text'])}",
                    ">",
                    f"> — {_markdown_text(_who(contribution))} · "
                    f"{_markdown_text(_where(contribution))} · <{contribution['url']}>",
                ]
        if without_quotes:
            lines += ["", f"**{_markdown_text(_('Also tagged, without a key quote:'))}**", ""]
            lines += [
                f"- {_markdown_text(_who(contribution))} · {_markdown_text(_where(contribution))}"
                f" · <{contribution['url']}>"
                for contribution in without_quotes
            ]
    return "\n".join(lines) + "\n"


# --- DOCX ------------------------------------------------------------------------------------


def _docx_paragraph(document, text: str, *, style=None, italic=False, bold=False):
    paragraph = document.add_paragraph(style=style)
    run = paragraph.add_run(_xml_safe(text))
    run.italic, run.bold = italic, bold
    return paragraph


def summary_to_docx(summary: dict) -> bytes:
    document = Document()
    document.core_properties.title = _xml_safe(_heading())
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(_xml_safe(_heading()), level=0)
    _docx_paragraph(document, summary["consultation"]["title"], bold=True)
    _docx_paragraph(document, summary["consultation"]["url"])
    _docx_paragraph(document, _introduction(summary))
    for theme in summary["themes"]:
        document.add_heading(_xml_safe(_theme_heading(theme)), level=1)
        if theme["description"]:
            _docx_paragraph(document, theme["description"])
        if theme["objectives"]:
            _docx_paragraph(document, _objectives(theme), italic=True)
        _docx_paragraph(document, _counted(theme))
        without_quotes = []
        for contribution in theme["contributions"]:
            if not contribution["quotes"]:
                without_quotes.append(contribution)
                continue
            for quote in contribution["quotes"]:
                _docx_paragraph(document, _quoted(quote["text"]), style="Quote")
                _docx_paragraph(
                    document,
                    f"— {_who(contribution)} · {_where(contribution)} · {contribution['url']}",
                )
        if without_quotes:
            _docx_paragraph(document, _("Also tagged, without a key quote:"), bold=True)
            for contribution in without_quotes:
                _docx_paragraph(
                    document,
                    f"{_who(contribution)} · {_where(contribution)} · {contribution['url']}",
                    style="List Bullet",
                )
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def summary_to_json(summary: dict) -> bytes:
    return (json.dumps(summary, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_synthesis(
    consultation: Consultation, file_format: str, *, site_url: str = ""
) -> SynthesisFile:
    """The synthesis of one consultation in one of FORMATS."""
    summary = synthesis_summary(consultation, site_url=site_url)
    if file_format == "docx":
        content = summary_to_docx(summary)
    elif file_format == "md":
        content = summary_to_markdown(summary).encode("utf-8")
    elif file_format == "json":
        content = summary_to_json(summary)
    else:
        raise ValueError(f"Unknown synthesis format: {file_format}")
    return SynthesisFile(
        content=content,
        content_type=CONTENT_TYPES[file_format],
        filename=f"{consultation.slug}-synthesis.{file_format}",
    )
