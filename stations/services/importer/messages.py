"""Import messages in Chinese and English: a note names its catalogue entry and values, and is rendered per language
only when the report is built, so the same note on many rows is one note listing its rows.

Every entry has a problem and a suggestion. Where a value can be given, the suggestion is exactly what to put
in the cell the note names (pasteable); otherwise it says what to do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from stations.errors import Conflict, InvalidInput, NotFound, StationsError, TooLarge
from stations.services.importer.catalogue import CATALOGUE

LANGS = ("zh", "en")
MOST_ROWS_LISTED = 1000
"""A grouped note lists at most this many rows (and says how many there are)."""


@dataclass(frozen=True)
class Text:
    """A short text in both languages, for values inside a message (a kind's label, a column's role...)."""

    zh: str
    en: str

    def __str__(self) -> str:
        """The Chinese text (what a message shows by default)."""
        return self.zh


def say(code: str, lang: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """The (problem, suggestion) of a catalogue entry in `lang`, its values filled in."""
    entry = CATALOGUE[code]
    values = {k: (getattr(v, lang) if isinstance(v, Text) else v) for k, v in params.items()}
    problem, suggestion = (entry[0], entry[2]) if lang == "zh" else (entry[1], entry[3])
    return problem.format(**values), suggestion.format(**values)


@dataclass
class Note:
    """One message: its catalogue code, level (`error` rejects the row), the column as the clerk wrote it, our
    field, the values it names, and the rows it applies to (none for a note about the whole file)."""

    code: str
    level: str = "error"
    column: str = ""
    field: str = ""
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    rows: list[int] = dataclasses.field(default_factory=list)

    @property
    def row(self) -> int | None:
        """The first row this note is about."""
        return self.rows[0] if self.rows else None

    def key(self) -> tuple[Any, ...]:
        """What makes two notes the same note (then only their rows differ)."""
        values = tuple(sorted((k, str(v)) for k, v in self.params.items()))
        return (self.code, self.level, self.column, self.field, values)

    def render(self, lang: str) -> dict[str, Any]:
        """The note as the report shows it in `lang`."""
        problem, suggestion = say(self.code, lang, self.params)
        shown = self.rows[:MOST_ROWS_LISTED]
        out: dict[str, Any] = {"row": self.row, "rows": shown, "row_count": len(self.rows), "column": self.column,
                               "field": self.field, "code": self.code, "level": self.level, "problem": problem,
                               "suggestion": suggestion}
        return out


def grouped(notes: Iterable[Note]) -> list[Note]:
    """Notes with the same code, level, column and values merged into one listing every row, by first row."""
    merged: dict[tuple[Any, ...], Note] = {}
    for note in notes:
        key = note.key()
        if key in merged:
            rows = merged[key].rows
            rows.extend(r for r in note.rows if not rows or r != rows[-1])
        else:
            merged[key] = Note(note.code, note.level, note.column, note.field, dict(note.params), list(note.rows))
    return sorted(merged.values(), key=lambda n: (n.row or 0, _LEVELS.get(n.level, 3)))


_LEVELS = {"error": 0, "warning": 1, "note": 2}


class ImportRefused(InvalidInput):
    """A file the import cannot read or use at all, with the reason in Chinese (`message`) and English (`en`)."""

    def __init__(self, message: str, *, en: str) -> None:
        super().__init__(message)
        self.en = en


class ImportTooLarge(TooLarge):
    """A file past a limit, with the reason in Chinese (`message`) and English (`en`)."""

    def __init__(self, message: str, *, en: str) -> None:
        super().__init__(message)
        self.en = en


class ImportConflict(Conflict):
    """An import in a state that does not allow what was asked, in Chinese (`message`) and English (`en`)."""

    def __init__(self, message: str, *, en: str) -> None:
        super().__init__(message)
        self.en = en


class ImportNotFound(NotFound):
    """No import the caller may see has this id, in Chinese (`message`) and English (`en`)."""

    def __init__(self, message: str, *, en: str) -> None:
        super().__init__(message)
        self.en = en


def with_english(exc: StationsError, en: str) -> StationsError:
    """The error with its English message attached (what `english` reads)."""
    setattr(exc, "en", en)  # noqa: B010 (an optional attribute the base class does not declare)
    return exc


def english(exc: StationsError) -> str | None:
    """The English message of an import's error, when it has one."""
    en = getattr(exc, "en", None)
    return en if isinstance(en, str) else None


def _text(code: str, params: Mapping[str, Any]) -> tuple[str, str]:
    zh, zh_hint = say(code, "zh", params)
    en, en_hint = say(code, "en", params)
    return "：".join(filter(None, (zh, zh_hint))), ": ".join(filter(None, (en, en_hint)))


def refuse(code: str, **params: Any) -> ImportRefused:
    """The error refusing a whole file, from the catalogue."""
    zh, en = _text(code, params)
    return ImportRefused(zh, en=en)


def too_large(code: str, **params: Any) -> ImportTooLarge:
    """The error for a file past a limit, from the catalogue."""
    zh, en = _text(code, params)
    return ImportTooLarge(zh, en=en)


def in_language(message: str, en: str | None, lang: str) -> str:
    """A refusal's message in `lang` (the Chinese one when there is no English)."""
    return en if lang == "en" and en else message
