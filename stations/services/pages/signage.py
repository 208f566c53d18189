"""Unified sign plates: one layout (kind title, name, six-promise icons, hours in words, QR, sign code) as SVG or
PDF. Text is measured with the font the PDF embeds (`sign_text`) and wrapped or shrunk to fit, never cut."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import segno
from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from stations.db.models import Station
from stations.hours import opening_words
from stations.reference import KIND_LABELS, Kind
from stations.services.pages import sign_text

WIDTH, HEIGHT = 210.0, 297.0  # mm, one A4 portrait plate per page
RED, WHITE, INK, GREY = "#C8102E", "#FFFFFF", "#1A1A1A", "#666666"
FONT_FAMILY = "'WenQuanYi Zen Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"
SIX_PROMISES = (  # 六可: the amenity that keeps each promise, the promise, the glyph on its icon
    ("heating", "冷可取暖", "暖"), ("air_conditioning", "热可纳凉", "凉"), ("drinking_water", "渴可饮水", "水"),
    ("seating", "累可歇脚", "座"), ("toilet", "急可如厕", "厕"), ("first_aid", "伤可用药", "药"),
)


@dataclass(frozen=True)
class Box:
    """A filled rectangle (mm)."""

    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Disc:
    """A filled circle (mm)."""

    cx: float
    cy: float
    r: float
    fill: str


@dataclass(frozen=True)
class Label:
    """Text whose baseline starts (or centres, for anchor middle) at x, y; size in mm."""

    x: float
    y: float
    text: str
    size: float
    fill: str = INK
    anchor: str = "middle"
    role: str = ""
    """What the text is (name, hours, self_service, sign_code...): the SVG's class, for readers and tests."""


@dataclass(frozen=True)
class Qr:
    """A QR code's dark modules, drawn in a square of `size` mm."""

    x: float
    y: float
    size: float
    matrix: tuple[tuple[bool, ...], ...]


Shape = Box | Disc | Label | Qr


def promises(station: Station) -> list[tuple[str, str]]:
    """The six-promise (promise, glyph) pairs this station keeps, in the standard order."""
    return [(text, glyph) for code, text, glyph in SIX_PROMISES if code in station.amenities]


def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code for a URL (error correction M, quiet zone included)."""
    code = segno.make_qr(url, error="m")
    return tuple(tuple(bool(v) for v in row) for row in code.matrix_iter(scale=1, border=2))


NAME_BOX = (56.0, 86.0)  # top and bottom (mm) of the name, under the red header
HOURS_TOP, HOURS_BOTTOM = 144.0, 182.0  # the hours in words and, under them, self-service hours and the way in
TEXT_WIDTH = WIDTH - 30  # 15 mm margins


def _block(block: sign_text.Block, *, x: float, top: float, role: str, anchor: str = "start",
           fill: str = INK) -> list[Label]:
    """A measured block as one Label per line, the first baseline a size below `top`."""
    step = block.size * sign_text.LEADING
    return [Label(x, top + block.size + i * step, line, block.size, fill, anchor, role)
            for i, line in enumerate(block.lines)]


def _name(station: Station) -> list[Label]:
    """The name, centred: one or two lines at the largest size that fits, smaller (and more lines) only if not."""
    top, bottom = NAME_BOX
    block = sign_text.fit(station.name, limit=TEXT_WIDTH, height=bottom - top, largest=11, smallest=5, max_lines=2)
    return _block(block, x=WIDTH / 2, top=top + (bottom - top - block.height) / 2, role="name", anchor="middle")


def _hours(station: Station) -> list[Label]:
    """开放时间 and the hours in words; 自助开放 hours and how to get in below them when the station has them."""
    said = opening_words(station.hours, station.self_service_hours, station.access_methods)
    labels = [Label(15, HOURS_TOP - 3, "开放时间", 5.5, GREY, "start", "caption")]
    self_service = None
    if said.self_service:
        self_service = f"自助开放 {said.self_service}" + (f"（{said.access}）" if said.access else "")
    room = HOURS_BOTTOM - HOURS_TOP
    hours = sign_text.fit(said.hours, limit=TEXT_WIDTH, height=room * (0.65 if self_service else 1), largest=6.5,
                          smallest=3)
    labels += _block(hours, x=15, top=HOURS_TOP, role="hours")
    if self_service:
        below = HOURS_TOP + hours.height + 1
        block = sign_text.fit(self_service, limit=TEXT_WIDTH, height=HOURS_BOTTOM - below, largest=5, smallest=2.5)
        labels += _block(block, x=15, top=below, role="self_service")
    return labels


def layout(station: Station, *, url: str) -> list[Shape]:
    """The plate's shapes, in mm from the top-left corner; every text measured to fit, none cut."""
    shapes: list[Shape] = [Box(0, 0, WIDTH, HEIGHT, WHITE), Box(0, 0, WIDTH, 52, RED), Box(0, 287, WIDTH, 10, RED)]
    shapes += [Label(WIDTH / 2, 18, "工会服务阵地 · 统一标识", 7, WHITE),
               Label(WIDTH / 2, 40, KIND_LABELS[Kind(station.kind)].zh, 15, WHITE, role="kind")]
    shapes += _name(station)
    kept = promises(station)
    step = WIDTH / max(len(kept), 1)
    for i, (text, glyph) in enumerate(kept):
        cx = step * (i + 0.5)
        shapes += [Disc(cx, 100, 12, RED), Label(cx, 104.5, glyph, 12, WHITE), Label(cx, 123, text, 5)]
    shapes += _hours(station)
    shapes += [Qr(120, 185, 72, qr_matrix(url)), Label(156, 265, "扫码查看 · 导航 · 报告问题", 4.2, GREY)]
    code = sign_text.fit(station.sign_code, limit=100, height=14, largest=10, smallest=4, max_lines=1)
    shapes += [Label(15, 205, "标识编号", 5.5, GREY, "start", "caption"),
               *_block(code, x=15, top=210, role="sign_code")]
    return shapes + rating_shapes(station)


def rating_shapes(station: Station) -> list[Shape]:
    """The star rating, a small element of its own under the sign code (none when the station is not rated)."""
    if not station.star_rating:
        return []
    stars = "★" * station.star_rating + "☆" * (5 - station.star_rating)
    year = f" · {station.star_rated_on.year} 年评定" if station.star_rated_on else ""
    return [Label(15, 240, stars, 8, RED, "start", "rating"), Label(15, 249, f"星级站点{year}", 4.2, GREY, "start",
                                                                   "caption")]


def _svg_shape(shape: Shape) -> str:
    if isinstance(shape, Box):
        return f'<rect x="{shape.x}" y="{shape.y}" width="{shape.w}" height="{shape.h}" fill="{shape.fill}"/>'
    if isinstance(shape, Disc):
        return f'<circle cx="{shape.cx}" cy="{shape.cy}" r="{shape.r}" fill="{shape.fill}"/>'
    if isinstance(shape, Label):
        role = f' class="{shape.role}"' if shape.role else ""
        return (f'<text x="{shape.x}" y="{shape.y:.3f}" font-size="{shape.size}" fill="{shape.fill}" '
                f'text-anchor="{shape.anchor}"{role}>{escape(shape.text)}</text>')
    cell = shape.size / len(shape.matrix)
    path = "".join(
        f"M{shape.x + c * cell:.3f} {shape.y + r * cell:.3f}h{cell:.3f}v{cell:.3f}h-{cell:.3f}z"
        for r, row in enumerate(shape.matrix) for c, dark in enumerate(row) if dark
    )
    return f'<path d="{path}" fill="{INK}"/>'


def render_svg(station: Station, *, url: str) -> str:
    """The plate as a standalone SVG (A4, sizes in mm); text is escaped, never markup."""
    body = "\n".join(_svg_shape(s) for s in layout(station, url=url))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}mm" height="{HEIGHT}mm" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT_FAMILY}">\n'
        f"<title>{escape(station.name)} {escape(station.sign_code)}</title>\n{body}\n</svg>\n"
    )


def _pdf_shape(canvas: Canvas, shape: Shape, font: str) -> None:
    mm = 72 / 25.4
    top = HEIGHT * mm
    if isinstance(shape, Box):
        canvas.setFillColor(HexColor(shape.fill))
        canvas.rect(shape.x * mm, top - (shape.y + shape.h) * mm, shape.w * mm, shape.h * mm, stroke=0, fill=1)
    elif isinstance(shape, Disc):
        canvas.setFillColor(HexColor(shape.fill))
        canvas.circle(shape.cx * mm, top - shape.cy * mm, shape.r * mm, stroke=0, fill=1)
    elif isinstance(shape, Label):
        canvas.setFillColor(HexColor(shape.fill))
        canvas.setFont(font, shape.size * mm)
        draw = canvas.drawCentredString if shape.anchor == "middle" else canvas.drawString
        draw(shape.x * mm, top - shape.y * mm, shape.text)
    else:
        cell = shape.size / len(shape.matrix)
        canvas.setFillColor(HexColor(INK))
        for r, row in enumerate(shape.matrix):
            for c, dark in enumerate(row):
                if dark:
                    x, y = shape.x + c * cell, shape.y + (r + 1) * cell
                    canvas.rect(x * mm, top - y * mm, cell * mm, cell * mm, stroke=0, fill=1)


def render_pdf(plates: Sequence[tuple[Station, str]], *, title: str = "工会服务阵地统一标识") -> bytes:
    """One PDF page per (station, QR url), fonts embedded (batch printing for a region)."""
    font = sign_text.font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(WIDTH * 72 / 25.4, HEIGHT * 72 / 25.4), pageCompression=1)
    canvas.setTitle(title)
    for station, url in plates:
        for shape in layout(station, url=url):
            _pdf_shape(canvas, shape, font)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
