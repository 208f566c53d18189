"""Photos as hostile input: EXIF (GPS included) stripped, resized, thumbnailed; bombs and other formats refused."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from stations.errors import TooLarge
from stations.services.trust.imaging import Limits, UnsupportedImage, process

LIMITS = Limits(max_bytes=2 * 2**20, max_pixels=4_000_000, max_side=800, thumb_side=160)


def jpeg_with_gps(size: tuple[int, int] = (1200, 900)) -> bytes:
    """A JPEG whose EXIF holds a camera make, an orientation and a GPS position (天安门)."""
    image = Image.new("RGB", size, (200, 30, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 26.0), 3: "E", 4: (116.0, 23.0, 29.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels (a decompression bomb's shape)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


def test_exif_and_gps_are_gone_and_the_picture_stays_upright() -> None:
    source = jpeg_with_gps()
    assert b"PhoneMaker" in source and Image.open(io.BytesIO(source)).getexif().get(0x8825)
    done = process(source, LIMITS)
    full, thumb = Image.open(io.BytesIO(done.full)), Image.open(io.BytesIO(done.thumbnail))
    for image, data in ((full, done.full), (thumb, done.thumbnail)):
        assert image.format == "JPEG" and not image.getexif() and b"PhoneMaker" not in data
        assert "exif" not in image.info and "icc_profile" not in image.info
    assert (done.width, done.height) == (600, 800) == full.size  # turned upright (portrait), then fitted in 800
    assert max(thumb.size) == 160


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_formats_outside_the_whitelist_are_refused(fmt: str) -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format=fmt)
    with pytest.raises(UnsupportedImage):
        process(out.getvalue(), LIMITS)


def test_text_and_svg_are_refused() -> None:
    for data in (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", b"hello"):
        with pytest.raises(UnsupportedImage):
            process(data, LIMITS)


def test_a_bomb_is_refused_from_its_header_before_decoding() -> None:
    with pytest.raises(TooLarge, match="像素"):
        process(png_claiming(30_000, 30_000), LIMITS)
    with pytest.raises(TooLarge):
        process(png_claiming(2_100, 2_000), LIMITS)  # just past this limit, below Pillow's own


def test_bytes_past_the_limit_are_refused() -> None:
    with pytest.raises(TooLarge):
        process(b"\xff" * (LIMITS.max_bytes + 1), LIMITS)
