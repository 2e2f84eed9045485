"""Text compared the way a reader compares it: without case or accents.

"Migración", "MIGRACION" and "migracion" fold to the same text; so do
"IOM" and " iom ". Used by the SQLite search fallback (as a SQL function,
see apps.py), by the snippets it highlights, and by organisation keys.
"""

import re
import unicodedata

_NOT_A_WORD = re.compile(r"[\W_]+")


def fold_character(character: str) -> str:
    decomposed = unicodedata.normalize("NFKD", character)
    return "".join(part for part in decomposed if not unicodedata.combining(part)).casefold()


def fold(text: str | None) -> str:
    """`text` lower-cased (casefold) and without accents; None stays None for SQL."""
    if text is None:
        return None
    return "".join(fold_character(character) for character in text)


def folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, where it came from in `text`."""
    folded, positions = [], []
    for index, character in enumerate(text):
        for part in fold_character(character):
            folded.append(part)
            positions.append(index)
    return "".join(folded), positions


def words(text: str) -> list[str]:
    """The folded words of `text`, each once, in order."""
    found = [word for word in _NOT_A_WORD.split(fold(text)) if word]
    return list(dict.fromkeys(found))


def organisation_key(name: str) -> str:
    """The name organisations are grouped by: folded, words joined by hyphens ("iom")."""
    return "-".join(_NOT_A_WORD.split(fold(name or ""))).strip("-")
