"""The defaults a new Roundtable starts with: the identity and the notices, per language.

The texts live in files beside this module (identity.json, <kind>.<language>.md),
so translators and the secretariat read them as text, not as Python.
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings

DIRECTORY = Path(__file__).resolve().parent


@cache
def _identity_file() -> dict:
    return json.loads((DIRECTORY / "identity.json").read_text(encoding="utf-8"))


def identity_defaults() -> dict[str, str]:
    """Field values for a new SiteIdentity: name_en, name_fr, ..., disclaimer_es."""
    return {
        f"{field}_{code}": texts.get(code, "")
        for field, texts in _identity_file().items()
        for code, _language in settings.LANGUAGES
    }


def notice_body(kind: str, language: str) -> str:
    path = DIRECTORY / f"{kind}.{language}.md"
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""


def notice_defaults(kind: str) -> dict[str, str]:
    """Field values for a new Notice of this kind: body_en, body_fr, body_es."""
    return {f"body_{code}": notice_body(kind, code) for code, _language in settings.LANGUAGES}
