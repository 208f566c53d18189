"""Text on a sign plate, measured with the font the PDF embeds: lines that fit a width, a size that fits a box,
and nothing ever cut (joining a block's lines gives back its text exactly).

Lines break after a phrase ("，" or "；": hours in words break between their clauses) when whole phrases fit;
else between CJK characters, after spaces and punctuation, and never inside a run of Latin letters, digits and
clock times ("08:30–12:00"), unless that run alone is wider than the line; closing punctuation (，、；。）) stays
with what it follows. Spaces where a line breaks stay at the end of that line and are not measured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from stations.errors import SetupError

FONT_NAME = "SignCJK"
FONT_FILES = (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),)
LEADING = 1.25  # line height as a multiple of the size
_CLOSING = "，。、；：！？）」』》,.;:!?)"
_PHRASE = re.compile(r"[^，；]*[，；]?")
_TOKEN = re.compile(rf"[A-Za-z0-9:+/@#&_.'\"()\-–]+[{_CLOSING}]*|\s+|.[{_CLOSING}]*", re.DOTALL)


@lru_cache(maxsize=1)
def font() -> str:
    """Register the CJK font (WenQuanYi Zen Hei) with reportlab once and return its name."""
    for path in FONT_FILES:
        if path.exists():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
            return FONT_NAME
    raise SetupError("no CJK font for sign plates: install the Debian package fonts-wqy-zenhei")


def width(text: str, size: float) -> float:
    """How wide `text` is at `size` (in the size's unit: mm in, mm out), trailing spaces not counted."""
    return float(pdfmetrics.stringWidth(text.rstrip(), font(), size))


def _pieces(text: str, size: float, limit: float) -> list[str]:
    """The text's pieces, as large as fit a line: whole phrases (up to a "，" or "；"), else tokens, else
    characters."""
    pieces: list[str] = []
    for phrase in filter(None, _PHRASE.findall(text)):
        if width(phrase, size) <= limit:
            pieces.append(phrase)
            continue
        for token in _TOKEN.findall(phrase):
            pieces.extend([token] if width(token, size) <= limit else token)
    return pieces


def wrap(text: str, *, size: float, limit: float) -> list[str]:
    """Greedy lines of at most `limit` wide at `size`; "".join(lines) == text."""
    lines: list[str] = []
    line = ""
    for piece in _pieces(text, size, limit):
        if line and not piece.isspace() and width(line + piece, size) > limit:
            lines.append(line)
            line = ""
        line += piece
    return [*lines, line] if line or not lines else lines


@dataclass(frozen=True, slots=True)
class Block:
    """Lines of text at one size (mm); `height` is what they take with leading."""

    lines: tuple[str, ...]
    size: float

    @property
    def height(self) -> float:
        """The block's height in mm."""
        return len(self.lines) * self.size * LEADING


def fit(text: str, *, limit: float, height: float, largest: float, smallest: float, max_lines: int | None = None,
        step: float = 0.25) -> Block:
    """The largest size from `largest` down to `smallest` at which the text wraps into `limit` wide lines that fit
    `height` (and are at most `max_lines`); below `smallest`, or with more lines, only if nothing else fits."""
    size = largest
    while size >= smallest - 1e-9:
        lines = wrap(text, size=size, limit=limit)
        if len(lines) * size * LEADING <= height and (max_lines is None or len(lines) <= max_lines):
            return Block(tuple(lines), size)
        size = round(size - step, 4)
    if max_lines is not None:
        return fit(text, limit=limit, height=height, largest=smallest, smallest=smallest / 4, step=step / 2)
    return Block(tuple(wrap(text, size=smallest, limit=limit)), smallest)  # the tiniest size: still never cut
