"""CAP 1.2 (OASIS Common Alerting Protocol, the format of GB/T 35965.1 and commercial warning feeds) read safely.

The document is parsed by the standard library's expat with every DTD refused (so no entity can be declared, let
alone expanded: no billion laughs, no external entities) and only after its size was checked. Of CAP we keep
what an alert needs: identifier, sender, sent, msgType (Alert, Update, Cancel; references), and the first
`info` block's event, eventCode, severity, onset/effective, expires, headline, description, instruction and the
area's 6-digit adcode geocodes. The level comes from a `level` parameter (blue/yellow/orange/red or 蓝色...), else
the colour named in the event or headline, else CAP's severity.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, TreeBuilder

from stations.errors import InvalidInput, TooLarge
from stations.weather import LEVEL_ZH, TYPE_ZH, AlertType, Level

MAX_BYTES = 256 * 1024
NS = "urn:oasis:names:tc:emergency:cap:1.2"
_ADCODE = re.compile(r"^\d{6}$")
_SEVERITY = {"Extreme": Level.RED, "Severe": Level.ORANGE, "Moderate": Level.YELLOW, "Minor": Level.BLUE}
_TYPE_WORDS = {**{zh: t for t, zh in TYPE_ZH.items()}, "heat": AlertType.HEAT, "cold": AlertType.COLD,
               "rainstorm": AlertType.RAINSTORM, "typhoon": AlertType.TYPHOON}
_LEVEL_WORDS = {**{zh: lv for lv, zh in LEVEL_ZH.items()}, **{lv.value: lv for lv in Level}}


@dataclass(frozen=True)
class CapAlert:
    """What a CAP message says, checked: an alert (or an update or cancellation of `references`)."""

    identifier: str
    sender: str
    sent: datetime
    msg_type: str
    references: tuple[str, ...]
    alert_type: AlertType
    level: Level
    areas: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime
    headline: str
    guidance: str | None


def parse(body: bytes) -> CapAlert:
    """The alert in a CAP 1.2 document, or InvalidInput (TooLarge) saying what is wrong with it."""
    if len(body) > MAX_BYTES:
        raise TooLarge(f"CAP document is {len(body):,} bytes; at most {MAX_BYTES:,} are accepted")
    root = _tree(body)
    if root.tag != f"{{{NS}}}alert":
        raise InvalidInput(f"not a CAP 1.2 alert: the root element must be <alert xmlns=\"{NS}\">")
    info = root.find(_q("info"))
    if info is None:
        raise InvalidInput("CAP alert has no <info> block")
    msg_type = _text(root, "msgType", required=True)
    if msg_type not in ("Alert", "Update", "Cancel"):
        raise InvalidInput(f"CAP msgType {msg_type!r} is not accepted: send Alert, Update or Cancel")
    sent = _time(root, "sent")
    starts = _time(info, "onset", required=False) or _time(info, "effective", required=False) or sent
    ends = _time(info, "expires")
    if ends <= starts:
        raise InvalidInput("CAP <expires> must be later than <onset> (or <effective>, or <sent>)")
    return CapAlert(
        identifier=_text(root, "identifier", required=True), sender=_text(root, "sender", required=True), sent=sent,
        msg_type=msg_type, references=_references(_text(root, "references")), alert_type=_type(info),
        level=_level(info), areas=_areas(info), starts_at=starts, ends_at=ends,
        headline=_text(info, "headline") or _text(info, "event", required=True),
        guidance=_text(info, "instruction") or _text(info, "description") or None,
    )


def _tree(body: bytes) -> Element:
    """The element tree of `body`; a DTD (and so any entity) or malformed XML is refused."""
    builder = TreeBuilder()
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")

    def refuse(*_: Any) -> None:
        raise InvalidInput("CAP documents may not carry a DTD or entity declarations")

    def start(tag: str, attrs: dict[str, str]) -> None:
        builder.start("{" + tag if "}" in tag else tag, attrs)

    def end(tag: str) -> None:
        builder.end("{" + tag if "}" in tag else tag)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(body, True)
    except xml.parsers.expat.ExpatError as exc:
        raise InvalidInput(f"CAP document is not well-formed XML: {exc}") from None
    return builder.close()


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _text(parent: Element, name: str, *, required: bool = False) -> str:
    found = parent.find(_q(name))
    text = (found.text or "").strip() if found is not None else ""
    if required and not text:
        raise InvalidInput(f"CAP <{name}> is missing or empty")
    return text[:2000]


def _time(parent: Element, name: str, *, required: bool = True) -> Any:
    text = _text(parent, name, required=required)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"CAP <{name}> must be a date-time such as 2026-07-20T14:00:00+08:00, "
                           f"got {text!r}") from None
    if moment.tzinfo is None:
        raise InvalidInput(f"CAP <{name}> must carry its offset (e.g. +08:00), got {text!r}")
    return moment


def _references(text: str) -> tuple[str, ...]:
    """Identifiers from CAP's `sender,identifier,sent` triples, space-separated."""
    return tuple(part.split(",")[1] for part in text.split() if part.count(",") == 2)


def _type(info: Element) -> AlertType:
    words = " ".join([_text(info, "event"), _values(info, "eventCode"), _text(info, "headline")]).lower()
    for word, kind in _TYPE_WORDS.items():
        if word in words:
            return kind
    raise InvalidInput("CAP <event> names no alert type we know: 高温, 寒潮, 暴雨 or 台风 (heat, cold, rainstorm, "
                       "typhoon)")


def _level(info: Element) -> Level:
    given = _values(info, "parameter", name="level").lower()
    if given in _LEVEL_WORDS:
        return _LEVEL_WORDS[given]
    for text in (_text(info, "event"), _text(info, "headline")):
        for level, word in LEVEL_ZH.items():
            if word in text:
                return level
    severity = _text(info, "severity")
    if severity in _SEVERITY:
        return _SEVERITY[severity]
    raise InvalidInput("CAP alert names no level: give <parameter><valueName>level</valueName><value>orange</value>"
                       "</parameter>, a colour in <event>, or a <severity>")


def _values(parent: Element, element: str, *, name: str | None = None) -> str:
    """The values of `parent`'s `element` pairs (valueName/value), those named `name` only if given."""
    return " ".join((pair.findtext(_q("value")) or "").strip() for pair in parent.findall(_q(element))
                    if name is None or (pair.findtext(_q("valueName")) or "").strip().lower() == name)


def _areas(info: Element) -> tuple[str, ...]:
    codes = [(code.findtext(_q("value")) or "").strip() for area in info.findall(_q("area"))
             for code in area.findall(_q("geocode"))]
    codes = [code for code in codes if _ADCODE.match(code)]
    if not codes:
        raise InvalidInput("CAP <area> has no 6-digit adcode in a <geocode> (e.g. 440300 for 深圳市)")
    return tuple(dict.fromkeys(codes))
