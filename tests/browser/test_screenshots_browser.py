"""`make screenshots` keeps working: the gallery (tests/screenshots.py) is taken into a temporary
folder from the test app, under the watch every browser test runs under (a console error, a
script error or an axe violation on any of its screens fails it), and every picture is there,
a PNG of its device's size, light and dark."""

import struct
import zlib

import screenshots
from screenshots import SCREENS, THEMES

PNG = b"\x89PNG\r\n\x1a\n"


def png_size(data):
    """(width, height) from a PNG's header."""
    assert data[:8] == PNG and data[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", data[16:24])


def top_row_brightness(data):
    """The mean channel value (0-255) of a PNG's first row of pixels (8-bit RGB or RGBA): the
    page's header, white in the light theme, near black in the dark."""
    width, _height = png_size(data)
    depth, colour = data[24], data[25]
    assert depth == 8 and colour in (2, 6), (depth, colour)
    channels = 3 if colour == 2 else 4
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"IDAT":
            chunks.append(data[at + 8:at + 8 + length])
        at += 12 + length
    stride = width * channels
    raw = zlib.decompressobj().decompress(b"".join(chunks), stride + 1)
    kind, line = raw[0], bytearray(raw[1:stride + 1])
    for i in range(stride):  # the row above the first is all zeros
        left = line[i - channels] if i >= channels else 0
        line[i] = (line[i] + {0: 0, 1: left, 2: 0, 3: left // 2, 4: left}[kind]) & 0xFF
    colours = [v for i, v in enumerate(line) if i % channels < 3]
    return sum(colours) / len(colours)


def test_make_screenshots_takes_every_key_screen_in_both_themes(app, browser, live_server, tmp_path):
    world = screenshots.build(app)
    screenshots.take(browser, live_server.url, world, tmp_path)
    screenshots.index(tmp_path)

    expected = {f"{screen.name}-{theme}.png" for screen in SCREENS for theme in THEMES}
    assert {path.name for path in tmp_path.glob("*.png")} == expected
    for screen in SCREENS:
        light, dark = ((tmp_path / f"{screen.name}-{theme}.png").read_bytes() for theme in THEMES)
        assert png_size(light) == png_size(dark) == screenshots.size(screen.who), screen.name
        assert top_row_brightness(light) > top_row_brightness(dark) + 60, screen.name
    index = (tmp_path / "README.md").read_text()
    assert all(f'src="{name}"' in index for name in expected)
