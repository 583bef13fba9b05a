"""Headless Chromium for the tests: find it (or skip, saying why), run it, and read back what it made.

The PNG is decoded here with zlib (no imaging library needed) and a PDF's pages are counted from its
page objects.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
A4_POINTS = (595.0, 842.0)


def browser() -> str:
    for name in (os.environ.get("NEGLECT_TEST_BROWSER"), *BROWSERS):
        found = shutil.which(name) if name else None
        if found:
            return found
    pytest.skip("no Chromium binary found (install Debian's `chromium`; .ci/run does) — browser test not run")


def headless(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def png_rows(data: bytes) -> tuple[int, int, Iterator[list[tuple[int, ...]]]]:
    """Width, height and the RGB pixels row by row (decoded lazily) of an 8-bit, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    channels = 3 if colour == 2 else 4
    stride = width * channels
    raw = zlib.decompress(idat)

    def rows() -> Iterator[list[tuple[int, ...]]]:
        previous = bytes(stride)
        for y in range(height):
            kind = raw[y * (stride + 1)]
            line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
            if kind == 2:
                line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
            elif kind in (1, 3, 4):
                for i in range(stride):
                    left = line[i - channels] if i >= channels else 0
                    up = previous[i]
                    if kind == 1:
                        line[i] = (line[i] + left) & 0xFF
                    elif kind == 3:
                        line[i] = (line[i] + (left + up) // 2) & 0xFF
                    else:
                        corner = previous[i - channels] if i >= channels else 0
                        p = left + up - corner
                        pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                        line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
            previous = bytes(line)
            yield [tuple(line[x : x + 3]) for x in range(0, stride, channels)]

    return width, height, rows()


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """The size in points of every page object in a PDF (page objects, not the /Pages tree)."""
    sizes = []
    for match in re.finditer(rb"/Type\s*/Page(?![A-Za-z])", data):
        start = data.rfind(b" obj", 0, match.start())
        end = data.find(b"endobj", match.end())
        body = data[start:end]
        box = re.search(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", body)
        if box is None:  # inherited from the page tree
            box = re.search(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", data)
        assert box is not None, "page without a MediaBox"
        x0, y0, x1, y1 = (float(v) for v in box.groups())
        sizes.append((x1 - x0, y1 - y0))
    return sizes


def screenshot(page: Path, tmp_path: Path) -> tuple[int, int]:
    """Ink (non-white pixels) and coloured pixels (not grey) in a headless Chromium screenshot of the page."""
    binary = browser()
    png = tmp_path / "shot.png"
    ran = headless(binary, tmp_path / "profile", "--window-size=900,1400", f"--screenshot={png}", page.as_uri())
    assert ran.returncode == 0, ran.stderr[-2000:]
    _, _, rows = png_rows(png.read_bytes())
    ink = colour = 0
    for row in rows:
        ink += sum(1 for p in row if p[:3] != (255, 255, 255))
        colour += sum(1 for p in row if max(p[:3]) - min(p[:3]) > 60)
    return ink, colour
