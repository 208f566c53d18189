"""Photos as uploads that cannot hurt: formats whitelisted, pixels bounded before decoding, every byte of metadata
(EXIF with GPS, XMP, ICC, comments) dropped by re-encoding the pixels alone, resized and thumbnailed.

Pure and CPU-bound: callers run `process` in a thread (`asyncio.to_thread`), never on the event loop.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from stations.errors import InvalidInput, TooLarge

FORMATS = ("JPEG", "PNG", "WEBP")
"""What a phone or a clerk sends; anything else (GIF, SVG, TIFF, HEIC...) is refused before decoding."""


class UnsupportedImage(InvalidInput):
    """Not a JPEG, PNG or WebP picture."""

    status_code = 415


@dataclass(frozen=True)
class Limits:
    """How big a photo may be: bytes (checked before reading), pixels (before decoding), sides kept."""

    max_bytes: int = 10 * 2**20
    max_pixels: int = 40_000_000
    max_side: int = 1600
    thumb_side: int = 320


@dataclass(frozen=True)
class Processed:
    """The re-encoded JPEGs (no metadata) and what is stored about them."""

    full: bytes
    thumbnail: bytes
    width: int
    height: int
    sha256: str


def _open(data: bytes, limits: Limits) -> Image.Image:
    """The picture's header read and judged; nothing decoded yet."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        if isinstance(exc, UnidentifiedImageError):
            raise UnsupportedImage("只接受 JPEG、PNG 或 WebP 照片 (only JPEG, PNG or WebP photos)") from exc
        raise TooLarge(f"照片像素过多：最多 {limits.max_pixels // 1_000_000} 百万像素 (too many pixels)") from exc
    width, height = image.size
    if width * height > limits.max_pixels or width < 1 or height < 1:
        raise TooLarge(f"照片 {width}×{height} 像素过多：最多 {limits.max_pixels // 1_000_000} 百万像素 "
                       "(too many pixels)")
    return image


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82, optimize=True, progressive=True)  # no exif=, no icc_profile=
    return out.getvalue()


def process(data: bytes, limits: Limits) -> Processed:
    """Check, orient (by EXIF), strip, resize and thumbnail a photo; TooLarge or UnsupportedImage on bad input."""
    if len(data) > limits.max_bytes:
        raise TooLarge(f"照片超过 {limits.max_bytes // 2**20} MB (photo too large)")
    image = _open(data, limits)
    try:
        image.load()
        upright = ImageOps.exif_transpose(image)  # the camera's orientation applied, so dropping EXIF keeps it upright
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or corrupt pixel data
        raise InvalidInput("照片文件已损坏，无法读取 (the picture is damaged)") from exc
    pixels = upright.convert("RGB")  # a new image: pixels only, none of the source's info or metadata
    clean = Image.new("RGB", pixels.size)
    clean.paste(pixels)
    clean.thumbnail((limits.max_side, limits.max_side), Image.Resampling.LANCZOS)
    thumb = clean.copy()
    thumb.thumbnail((limits.thumb_side, limits.thumb_side), Image.Resampling.LANCZOS)
    full = _jpeg(clean)
    return Processed(full=full, thumbnail=_jpeg(thumb), width=clean.width, height=clean.height,
                     sha256=hashlib.sha256(full).hexdigest())
