"""The cells of a row other than where it is: hours, amenities, the sign flag, dates and numbers, each read as a
clerk writes it, with a note saying what was done and what to paste instead."""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date, timedelta
from functools import lru_cache

from stations.errors import StationsError
from stations.hours import UNKNOWN, parse_hours, suggest_from_prose
from stations.reference import AMENITIES, Kind, amenity_by_label
from stations.services.importer.messages import Note, Text

_SPLIT = re.compile(r"[;；,，、/|\s]+")
_YES = {"是", "有", "已悬挂", "已挂", "已挂牌", "悬挂", "挂", "√", "✓", "y", "yes", "true", "1", "已安装", "已设置"}
_NO = {"否", "无", "未悬挂", "未挂", "未挂牌", "没有", "×", "✗", "x", "n", "no", "false", "0", "未安装", "未设置"}
_WEEKEND_OFF = re.compile(r"\bSa\s*[-,]\s*Su\s+(?:off|closed)\b")
_DATE = re.compile(r"^(?P<y>(?:19|20)\d{2})"
                   r"(?:\s*[-/.年]\s*(?:(?P<m>\d{1,2})\s*[-/.月]?\s*(?:(?P<d>\d{1,2})\s*日?)?)?)?$")
_EXCEL_EPOCH = date(1899, 12, 30)
HOURS_EXAMPLE = "Mo-Fr 09:00-17:00; PH off"


@lru_cache(maxsize=4096)
def _hours_problem(text: str) -> str | None:
    """None if the text is a valid expression, else the paste-ready suggestion (or an example)."""
    try:
        parse_hours(text)
    except StationsError:
        return suggest_from_prose(text) or HOURS_EXAMPLE
    return None


def hours(text: str, field: str, notes: list[Note], *, required: bool) -> str | None:
    """The hours to store: the text if valid, UNKNOWN (with a warning) when empty and required, else None."""
    text = text.strip()
    if not text:
        if required:
            notes.append(Note("hours_empty", "warning", field=field))
            return UNKNOWN
        return None
    hint = _hours_problem(text)
    if hint is not None:
        notes.append(Note("hours_bad", field=field, params={"value": text[:80], "hint": hint}))
        return None
    if _WEEKEND_OFF.search(text) and "PH" not in text:
        notes.append(Note("hours_weekend_no_ph", "warning", field=field, params={"value": f"{text}; PH off"}))
    return text


def amenities(text: str, kind: Kind, notes: list[Note]) -> list[str]:
    """Amenity codes named by labels or codes; unknown ones are left out with a warning naming the closest."""
    codes: list[str] = []
    labels = [t.zh for t in AMENITIES[kind]]
    known = Text("、".join(labels), ", ".join(f"{t.en} ({t.zh})" for t in AMENITIES[kind]))
    for given in filter(None, _SPLIT.split(unicodedata.normalize("NFKC", text))):
        term = amenity_by_label(kind, given)
        if term is None:
            close = [x for x in labels if x in given] or difflib.get_close_matches(given, labels, n=1, cutoff=0.5)
            notes.append(Note("amenity_unknown", "warning", field="amenities",
                              params={"value": given[:20], "labels": known, "hint": close[0] if close else ""}))
        elif term.code not in codes:
            codes.append(term.code)
    return codes


def yes_no(text: str, notes: list[Note]) -> bool:
    """是/否 (有/无, √/×, yes/no...) as a flag; anything else is 否 with a warning."""
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    if folded in _YES:
        return True
    if folded and folded not in _NO:
        notes.append(Note("sign_installed_unknown", "warning", field="sign_installed", params={"value": text[:20]}))
    return False


def a_date(text: str, field: str, notes: list[Note]) -> date | None:
    """A date as clerks write it (2024-05-01, 2024/5/1, 2024年5月, 2024, an Excel date number); None with a note."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if re.fullmatch(r"\d{5}", folded) and 20000 < int(folded) < 80000:  # an Excel date stored as a number
        return _EXCEL_EPOCH + timedelta(days=int(folded))
    match = _DATE.match(folded[:10] if re.match(r"^\d{4}-\d{2}-\d{2}T", folded) else folded)
    try:
        if match is None:
            raise ValueError(folded)
        day = date(int(match["y"]), int(match["m"] or 1), int(match["d"] or 1))
    except ValueError:
        notes.append(Note("date_unreadable", "warning", field=field, params={"value": text[:20]}))
        return None
    if match["d"] is None:
        part = Text("年月", "year and month") if match["m"] else Text("年份", "year")
        notes.append(Note("date_partial", "note", field=field,
                          params={"value": text[:20], "part": part.zh, "part_en": part.en, "date": day.isoformat()}))
    return day


def a_number(text: str, field: str, what: Text, notes: list[Note], *, whole: bool) -> float | None:
    """A count or an area (units and full-width digits allowed: 30人, ５０㎡); None with an error when it is not."""
    folded = unicodedata.normalize("NFKC", text).strip()
    found = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:人|个|平方米|平米|㎡|m2|m²|平)?", folded)
    if found is None or (whole and "." in found[1]):
        notes.append(Note("number_bad", field=field, params={"value": text[:20], "what": what.zh,
                                                             "what_en": what.en, "hint": "30" if whole else "25.5"}))
        return None
    return float(found[1])
