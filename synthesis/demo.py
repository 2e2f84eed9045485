"""The demo's codebook: a few themes, tags, key quotes and a use in the paper.

Read from demo_codebook.json beside this file and written for the demo's open
consultation by `load_demo()` (consultations/demo.py), after the comments.
Like the rest of the demo it is idempotent: each object is found by a stable
key (a theme's number, a comment's demo key, a quote's words) and written only
when it differs. Tags, quotes and uses that the demo does not name are left
alone, so what someone tried on the demo site stays.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError

from synthesis.models import PaperUse, Quote, Theme, ThemeTag, normalise_whitespace

CODEBOOK_FILE = Path(__file__).resolve().parent / "demo_codebook.json"


def _count(result, created: bool, changed: bool = True) -> None:
    if created:
        result.created += 1
    elif changed:
        result.updated += 1
    else:
        result.unchanged += 1


def _theme(result, consultation, data: dict) -> Theme:
    values = {f"title_{code}": text for code, text in data["title"].items()}
    values.update({f"description_{code}": text for code, text in data["description"].items()})
    values["objective_numbers"] = data["objectives"]
    theme = Theme.objects.filter(consultation=consultation, number=data["number"]).first()
    created = theme is None
    if created:
        theme = Theme(consultation=consultation, number=data["number"])
    changed = [name for name, value in values.items() if getattr(theme, name) != value]
    for name in changed:
        setattr(theme, name, values[name])
    if created or changed:
        theme.save()
    _count(result, created, bool(changed))
    return theme


def load_demo_codebook(result) -> None:
    """Write the demo codebook for the consultations and comments `result` holds."""
    data = json.loads(CODEBOOK_FILE.read_text(encoding="utf-8"))
    consultation = result.consultations[data["consultation"]]
    reader = result.accounts[data["tagged_by"]]
    themes = {theme["number"]: _theme(result, consultation, theme) for theme in data["themes"]}
    for tag in data["tags"]:
        comment = result.comments[tag["comment"]]
        for number in tag["themes"]:
            _tag, created = ThemeTag.objects.get_or_create(
                theme=themes[number], comment=comment, defaults={"tagged_by": reader}
            )
            _count(result, created, changed=False)
    for quote in data["quotes"]:
        comment = result.comments[quote["comment"]]
        text = normalise_whitespace(quote["text"])
        if text not in normalise_whitespace(comment.body_text):
            raise ValidationError(f"The demo quote {text!r} is not in comment {quote['comment']}.")
        _quote, created = Quote.objects.get_or_create(
            comment=comment, text=text, defaults={"marked_by": reader}
        )
        _count(result, created, changed=False)
    for use in data["paper_uses"]:
        comment = result.comments[use["comment"]]
        paper_use, created = PaperUse.objects.get_or_create(
            comment=comment, defaults={"section": use["section"], "marked_by": reader}
        )
        changed = paper_use.section != use["section"]
        if changed:
            paper_use.section = use["section"]
            paper_use.save(update_fields=["section"])
        _count(result, created, changed)
