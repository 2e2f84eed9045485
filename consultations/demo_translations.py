"""The demo's translations: a Spanish contribution in English, a French one in Spanish.

Read from demo_translations.json beside this file and written by `load_demo()`
after the comments, as the secretariat's work. Idempotent like the rest of the
demo: each translation is found by its comment's demo key and its language, and
written only when it differs; translations the demo does not name are left alone.
"""

import json
from datetime import timedelta
from pathlib import Path

from consultations.models import CommentTranslation
from consultations.sanitize import render_markdown

TRANSLATIONS_FILE = Path(__file__).resolve().parent / "demo_translations.json"


def load_demo_translations(result) -> None:
    """Write the demo translations for the comments `result` holds."""
    data = json.loads(TRANSLATIONS_FILE.read_text(encoding="utf-8"))
    translator = result.accounts[data["translated_by"]]
    for wanted in data["translations"]:
        comment = result.comments[wanted["comment"]]
        translated_at = comment.created_at + timedelta(days=wanted["days_after_posting"])
        values = {
            "body_source": wanted["text"],
            "body_html": render_markdown(wanted["text"]),
            "translator": translator,
            "created_at": translated_at,
            "updated_at": translated_at,
            "source_edited_at": comment.edited_at,
        }
        translation = CommentTranslation.objects.filter(
            comment=comment, language=wanted["language"]
        ).first()
        if translation is None:
            CommentTranslation.objects.create(
                comment=comment, language=wanted["language"], **values
            )
            result.created += 1
            continue
        changed = [name for name, value in values.items() if getattr(translation, name) != value]
        for name in changed:
            setattr(translation, name, values[name])
        if changed:
            translation.save(update_fields=changed)
            result.updated += 1
        else:
            result.unchanged += 1
