"""A station's kind as clerks name it: in a 类型 cell, at the end of a station's name (…驿站, …妈妈小屋) or in a
sheet's title (…驿站统计表); a text naming two kinds says nothing."""

from __future__ import annotations

import unicodedata

from stations.reference import KIND_LABELS, Kind
from stations.services.importer.messages import Text

WORDS: dict[str, Kind] = {
    "户外劳动者服务站点": Kind.OUTDOOR_STATION, "户外劳动者服务站": Kind.OUTDOOR_STATION,
    "户外劳动者驿站": Kind.OUTDOOR_STATION, "工会驿站": Kind.OUTDOOR_STATION, "驿站": Kind.OUTDOOR_STATION,
    "爱心驿站": Kind.OUTDOOR_STATION, "暖心驿站": Kind.OUTDOOR_STATION,
    "爱心妈妈小屋": Kind.MOTHERS_ROOM, "妈妈小屋": Kind.MOTHERS_ROOM, "母婴室": Kind.MOTHERS_ROOM,
    "哺乳室": Kind.MOTHERS_ROOM, "母婴小屋": Kind.MOTHERS_ROOM,
    "职工书屋": Kind.READING_ROOM, "书屋": Kind.READING_ROOM, "职工阅览室": Kind.READING_ROOM,
    "阅览室": Kind.READING_ROOM,
}
_LONGEST_FIRST = sorted(WORDS, key=len, reverse=True)


def label(kind: Kind) -> Text:
    """A kind's label in both languages."""
    term = KIND_LABELS[kind]
    return Text(term.zh, f"{term.en} ({term.zh})")


def of_cell(text: str) -> Kind | None:
    """The kind a 类型 cell names: a code, a Chinese or English label, or a common short name."""
    wanted = unicodedata.normalize("NFKC", text).strip().casefold()
    for kind, term in KIND_LABELS.items():
        if wanted in (kind.value, term.zh, term.en.casefold()):
            return kind
    return WORDS.get(wanted)


def of_name(name: str) -> Kind | None:
    """The kind a station's name ends with (城关区张掖路驿站 -> outdoor station), or the one kind it names."""
    text = unicodedata.normalize("NFKC", name).strip()
    for word in _LONGEST_FIRST:
        if text.endswith(word):
            return WORDS[word]
    return of_title(text)


def of_title(title: str) -> Kind | None:
    """The one kind a title names (兰州市城关区户外劳动者驿站统计表); None when it names none or several."""
    text = unicodedata.normalize("NFKC", title)
    found = {kind for word, kind in WORDS.items() if word in text}
    return found.pop() if len(found) == 1 else None
